//! The command line's surface (#20): help per command, short flags, completions, the man
//! page, --format honoured or refused everywhere, --lang, progress, search's tiers and
//! --version, run through the real binary.

use crate::util;

use util::{Dir, fixture, on_fixture};

/// `--format lpf` and `--format lp-tsv` as help describes them (`--data-format` names
/// them too, in other words).
const LPF: &str = "as the World Historical Gazetteer reads it";
const LP_TSV: &str = "lossy";
const TABLE: &str = "Aligned columns";

/// Each command's help lists the options it takes, and none it does not. // #20
#[test]
fn each_command_help_lists_only_its_own_options() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "lookup",
            &[
                "-t, --type",
                "-c, --country",
                "-Z, --fuzzy",
                "-f, --format",
                "-l, --lang",
                "-d, --data",
                LPF,
            ],
            &["--calendar", "--limit", LP_TSV, "--places", "--name-column"],
        ),
        (
            "at",
            &[
                "--calendar",
                "-t, --type",
                "-Z, --fuzzy",
                "-l, --lang",
                "json",
            ],
            &["--limit", LPF, "--places"],
        ),
        (
            "search",
            &["-n, --limit", "-Z, --fuzzy", "-l, --lang", "csv"],
            &["--calendar", LPF, "--places"],
        ),
        (
            "export",
            &[
                "-t, --type",
                "-c, --country",
                LPF,
                LP_TSV,
                "--csv-safe",
                "[default: csv]",
            ],
            &["--fuzzy", "--lang", TABLE, "--calendar", "--color"],
        ),
        (
            "resolve",
            &["--name-column", "-Z, --fuzzy", "-t, --type", "-d, --data"],
            &["--lang", "--limit", "--color", LPF],
        ),
        (
            "check",
            &["-f, --format", "json", "--no-default-data", "--data-format"],
            &[
                "--type",
                "--fuzzy",
                "--country",
                TABLE,
                "--csv-safe",
                "--skip-invalid",
            ],
        ),
        (
            "import",
            &["--places", "--skip-invalid", "--csv-safe"],
            &[
                "--type",
                "--fuzzy",
                "--format",
                "--data-format",
                "--no-default-data",
                "--lang",
            ],
        ),
    ];
    let dir = Dir::new();
    for (command, has, lacks) in cases {
        let out = dir.run(&[command, "--help"]);
        out.code(0);
        for h in *has {
            out.stdout_has(h);
        }
        for l in *lacks {
            out.stdout_lacks(l);
        }
    }
    // The top level lists the commands, and leaves their options to them.
    let top = dir.run(&["--help"]);
    top.code(0)
        .stdout_has("completions")
        .stdout_has("man")
        .stdout_lacks("-Z, --fuzzy")
        .stdout_lacks("-f, --format");
}

/// Options given before the command name still work, and one the command does not take
/// is refused there, naming the command. // #20
#[test]
fn options_before_the_command_are_merged_or_refused() {
    let data = fixture("renamings.csv");
    let dir = Dir::new();
    let before = dir.run(&[
        "--no-default-data",
        "--data",
        &data,
        "--format",
        "csv",
        "--country",
        "RU",
        "lookup",
        "Stalingrad",
    ]);
    let after = dir.run(&[
        "lookup",
        "Stalingrad",
        "--no-default-data",
        "--data",
        &data,
        "--format",
        "csv",
        "--country",
        "RU",
    ]);
    before.code(0).stdout_has("t-volgograd,Stalingrad");
    assert_eq!(before.stdout, after.stdout);
    dir.run(&["--fuzzy", "check"])
        .code(2)
        .stderr_has("--fuzzy is not an option of 'check'");
    dir.run(&["--lang", "de", "export"])
        .code(2)
        .stderr_has("--lang is not an option of 'export'");
}

/// Short flags do what the long ones do. // #20
#[test]
fn short_flags_are_the_long_ones() {
    let data = fixture("renamings.csv");
    let dir = Dir::new();
    let long = dir.run(&[
        "--no-default-data",
        "--data",
        &data,
        "lookup",
        "Kaliningrad",
        "--type",
        "city",
        "--country",
        "RU",
        "--format",
        "json",
        "--lang",
        "de",
    ]);
    let short = dir.run(&[
        "--no-default-data",
        "-d",
        &data,
        "lookup",
        "Kaliningrad",
        "-t",
        "city",
        "-c",
        "RU",
        "-f",
        "json",
        "-l",
        "de",
    ]);
    long.code(0).stdout_has("Königsberg");
    assert_eq!(long.stdout, short.stdout);
    let limited = on_fixture(&["search", "a", "-n", "1"]);
    limited.code(0).stderr_has("showing 1 of");
    let fuzzy = on_fixture(&["lookup", "Stalingrat", "-Z"]);
    fuzzy.code(0).stdout_has("fuzzy");
}

/// Completions for every shell name the commands. // #20
#[test]
fn completions_for_every_shell_name_the_commands() {
    let dir = Dir::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = dir.run(&["completions", shell]);
        out.code(0).stderr_empty();
        for command in [
            "lookup", "at", "search", "resolve", "check", "export", "import",
        ] {
            out.stdout_has(command);
        }
        // The options of a command are completed too.
        out.stdout_has("name-column");
    }
    dir.run(&["completions", "tcsh"])
        .code(2)
        .stderr_has("possible values");
}

/// The man page is roff with a title, the usual sections and one per command. // #20
#[test]
fn the_man_page_is_roff_naming_every_command() {
    let out = Dir::new().run(&["man"]);
    out.code(0).stderr_empty();
    let lines: Vec<&str> = out.stdout.lines().collect();
    let th = lines.iter().position(|l| l.starts_with(".TH gazetteer 1"));
    let sh = lines.iter().position(|l| l.starts_with(".SH "));
    assert!(
        th.is_some() && th < sh,
        ".TH comes before any section:\n{}",
        out.stdout
    );
    // Every line is a request or text; none starts with a stray quote that roff reads
    // as a control line.
    assert!(lines.iter().all(|l| !l.starts_with('\'')), "{}", out.stdout);
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH EXAMPLES"] {
        out.stdout_has(section);
    }
    for command in [
        "LOOKUP",
        "AT",
        "SEARCH",
        "RESOLVE",
        "CHECK",
        "EXPORT",
        "IMPORT",
        "COMPLETIONS",
    ] {
        out.stdout_has(&format!(".SH \"GAZETTEER {command}\""));
    }
}

const BROKEN: &str = "place_id,name,start,end,lang,type,country\n\
p1,Foo,1900,1950,en,town,RU\n\
p1,Bar,1950-13,,en,town,RU\n";

/// `check --format json` writes the problems as a JSON list for editors and CI; csv the
/// same as rows; the summary goes to stderr. // #20
#[test]
fn check_writes_its_problems_as_json_or_csv() {
    let dir = Dir::new();
    dir.write("b.csv", BROKEN);
    let out = dir.run(&["check", "--no-default-data", "b.csv", "--format", "json"]);
    out.code(2).stderr_has("1 error");
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    let problems = list.as_array().expect("a JSON array");
    let errors: Vec<_> = problems
        .iter()
        .filter(|p| p["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stdout);
    // (The rows cite no source: a warning each.)
    assert!(
        problems
            .iter()
            .all(|p| p["file"] == "b.csv" && p["message"].is_string()),
        "{}",
        out.stdout
    );
    let p = errors[0];
    assert_eq!(p["file"], "b.csv");
    assert_eq!(p["line"], 3);
    assert_eq!(p["column"], "start");
    assert_eq!(p["severity"], "error");
    assert!(
        p["message"].as_str().is_some_and(|m| m.contains("1950-13")),
        "{p}"
    );

    let csv = dir.run(&["check", "--no-default-data", "b.csv", "-f", "csv"]);
    csv.code(2);
    let mut rows = csv.stdout.lines();
    assert_eq!(rows.next(), Some("file,line,column,severity,message"));
    let rows: Vec<&str> = rows.collect();
    assert_eq!(rows.len(), problems.len(), "{}", csv.stdout);
    assert!(
        rows.iter().any(|r| r.starts_with("b.csv,3,start,error,")),
        "{}",
        csv.stdout
    );

    // A clean file: an empty list, exit 0.
    dir.write(
        "ok.csv",
        "place_id,name,start,end,lang,type,country,source\np1,Foo,1900,1950,en,town,RU,register\n",
    );
    dir.run(&["check", "--no-default-data", "ok.csv", "--format", "json"])
        .code(0)
        .stdout_is("[]\n");
    dir.run(&["check", "ok.csv", "--format", "table"])
        .code(2)
        .stderr_has("it writes text, json or csv");
}

/// A miss with --format json prints [] and with csv the header, still exit 1. // #20
#[test]
fn a_miss_prints_an_empty_answer_in_json_and_csv() {
    for args in [
        &["lookup", "Nowhereville"][..],
        &["at", "1950", "Nowhereville"],
        &["search", "Nowhereville"],
    ] {
        let json: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
        let out = on_fixture(&json);
        out.code(1).stderr_has("Nowhereville");
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(v, serde_json::json!([]), "{args:?}");

        let csv: Vec<&str> = args.iter().copied().chain(["--format", "csv"]).collect();
        let out = on_fixture(&csv);
        out.code(1);
        assert_eq!(out.stdout.lines().count(), 1, "{args:?}: {}", out.stdout);
        assert!(out.stdout.starts_with("place_id,name,"), "{}", out.stdout);

        // A table shows nothing on stdout.
        on_fixture(args).code(1).stdout_is("");
    }
}

/// A command given a format it cannot write refuses it, naming those it writes. // #20
#[test]
fn a_format_a_command_cannot_write_is_refused_by_name() {
    on_fixture(&["search", "Stalin", "--format", "lpf"])
        .code(2)
        .stderr_has("it writes table, csv or json");
    on_fixture(&["export", "-f", "table"])
        .code(2)
        .stderr_has("it writes csv, lpf or lp-tsv");
    on_fixture(&["--format", "lp-tsv", "at", "1950", "Stalingrad"])
        .code(2)
        .stderr_has("it writes table, csv or json");
    // export's default is csv, as its help says.
    let out = on_fixture(&["export"]);
    out.code(0);
    assert!(
        out.stdout.starts_with("place_id,name,start,end"),
        "{}",
        out.stdout
    );
}

const LANGS: &str = "place_id,name,start,end,lang,type,country\n\
w,Wien,,,de,city,AT\n\
w,Wean,,,de-AT,city,AT\n\
w,Vienna,,,en,city,AT\n\
w,Vena,,,ru-Latn,city,AT\n\
w,Вена,,,ru,city,AT\n";

/// --lang shows only names in those languages; a tag of one subtag takes its regions,
/// a longer one only itself; matching still uses every name. // #20
#[test]
fn lang_limits_the_names_shown_not_those_matched() {
    let dir = Dir::new();
    dir.write("w.csv", LANGS);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--no-default-data",
            "--data",
            "w.csv",
            "lookup",
            "Vienna",
            "-f",
            "csv",
        ];
        args.extend_from_slice(extra);
        dir.run(&args)
    };
    let names = |out: &util::Output| -> Vec<String> {
        out.stdout
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap_or("").to_string())
            .collect()
    };
    let all = run(&[]);
    all.code(0);
    assert_eq!(names(&all).len(), 5, "{}", all.stdout);
    let de = run(&["--lang", "de"]);
    de.code(0);
    assert_eq!(names(&de), ["Wien", "Wean"]);
    let latn = run(&["--lang", "ru-Latn"]);
    assert_eq!(names(&latn), ["Vena"]);
    // ru takes ru-Latn too.
    let two = run(&["-l", "ru,en"]);
    assert_eq!(names(&two), ["Vienna", "Вена", "Vena"]);
    // Typed in Russian, shown in German.
    let out = dir.run(&[
        "--no-default-data",
        "-d",
        "w.csv",
        "at",
        "2000",
        "Вена",
        "-l",
        "de",
        "-f",
        "csv",
    ]);
    out.code(0);
    assert_eq!(names(&out), ["Wien", "Wean"]);
    let search = dir.run(&[
        "--no-default-data",
        "-d",
        "w.csv",
        "search",
        "Wean",
        "-l",
        "en",
    ]);
    search.code(1).stderr_has("none in en");
    // No name in the language: nothing shown, exit 1, and said why.
    run(&["--lang", "fr"])
        .code(1)
        .stderr_has("none has a name in fr");
    run(&["--lang", "de_AT"])
        .code(2)
        .stderr_has("not a BCP 47 language tag");
}

/// `search` finds a name under every tier's key: `Koenigsb` is in `Königsberg`, as
/// `lookup Koenigsberg` finds it. // #20
#[test]
fn search_uses_every_matching_tier() {
    let out = on_fixture(&["search", "Koenigsb", "-f", "csv"]);
    out.code(0).stdout_has("Königsberg");
    assert!(
        out.stdout.lines().skip(1).all(|l| l.ends_with(",variant")),
        "{}",
        out.stdout
    );
    // The same tiers as lookup: a German spelling of a Russian name.
    dir_search("Zarizyn").code(0).stdout_has("Tsaritsyn");
    // A lossy key too short to mean anything finds nothing.
    on_fixture(&["search", "zzzz"]).code(1);
}

fn dir_search(text: &str) -> util::Output {
    on_fixture(&["search", text])
}

/// --version gives the data's date and counts, the counts `check` finds. // #20
#[test]
fn version_gives_the_data_version_and_counts() {
    let dir = Dir::new();
    let out = dir.run(&["--version"]);
    out.code(0)
        .stdout_has(concat!("gazetteer ", env!("CARGO_PKG_VERSION")));
    let date =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/VERSION")).unwrap();
    out.stdout_has(&format!("data {} (", date.trim()));
    out.stdout_has("credits: ");
    // "checked 15 files: 1080 places, 7256 names; ..." against "1080 places, 7256 names in 15 files".
    let check = dir.run(&["check"]);
    let summary = check.stdout.lines().last().unwrap_or("");
    let counts = |text: &str, before: &str| -> String {
        let at = text
            .find(before)
            .unwrap_or_else(|| panic!("{before:?} in {text}"));
        text[..at].rsplit(' ').next().unwrap_or("").to_string()
    };
    for what in [" places", " names", " files"] {
        assert_eq!(
            counts(&out.stdout, what),
            counts(summary, what),
            "{what}: {} vs {summary}",
            out.stdout
        );
    }
}

/// Progress goes only to a terminal: a long resolve with stderr in a pipe writes none of
/// its bytes (no carriage return, no escape). // #20
#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    let dir = Dir::new();
    let mut q = String::from("name,date\n");
    for i in 0..60_000 {
        q.push_str(if i % 2 == 0 {
            "Stalingrad,1950\n"
        } else {
            "Leningrad,1930\n"
        });
    }
    dir.write("q.csv", q);
    let data = fixture("renamings.csv");
    let started = std::time::Instant::now();
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        &data,
        "resolve",
        "q.csv",
        "--name-column",
        "name",
        "--date-column",
        "date",
    ]);
    out.code(0);
    assert!(
        !out.stderr.contains('\r') && !out.stderr.contains('\x1b'),
        "{:?}",
        out.stderr
    );
    assert_eq!(out.stdout.lines().count(), 60_001);
    // (Informational: the run must be long enough for progress to have been due.)
    eprintln!("resolve of 60,000 rows took {:?}", started.elapsed());
}

/// On a terminal, a long resolve shows its progress on stderr, and ends: the bar is drawn
/// from a thread of its own, which once waited forever for stderr. Run under script(1)
/// for a terminal; skipped where it is missing. // #20
#[test]
fn progress_on_a_terminal_shows_and_ends() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped: no script(1) to give the binary a terminal");
        return;
    }
    let dir = Dir::new();
    let mut q = String::from("name,date\n");
    for _ in 0..60_000 {
        q.push_str("Stalingrad,1950\n");
    }
    dir.write("q.csv", q);
    let line = format!(
        "timeout 300 '{}' --no-default-data --data '{}' resolve q.csv --name-column name \
         --date-column date > out.csv",
        env!("CARGO_BIN_EXE_gazetteer"),
        fixture("renamings.csv")
    );
    let started = std::time::Instant::now();
    let out = std::process::Command::new("script")
        .args(["-qfec", &line, "tty.log"])
        .current_dir(dir.path())
        .env("GAZETTEER_CACHE_DIR", dir.path().join(".cache"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script");
    let took = started.elapsed();
    assert!(out.status.success(), "{out:?}");
    let written = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert_eq!(written.lines().count(), 60_001);
    let tty = std::fs::read_to_string(dir.path().join("tty.log")).unwrap();
    // Progress shows after a second of work; on a machine that resolves this faster,
    // there is nothing to see.
    if took > std::time::Duration::from_secs(3) {
        assert!(tty.contains("rows resolved"), "{took:?}: {tty}");
    }
    // What it drew is wiped: the summary is the last line.
    assert!(tty.contains("gazetteer: resolved 60000 rows"), "{tty}");
}
