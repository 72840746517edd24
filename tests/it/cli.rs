//! The commands of issue #2, run through the real binary on fixture data.

use crate::util;

use util::{Dir, fixture, on_fixture};

#[test]
fn lookup_lists_the_whole_chronology_in_time_order() {
    let out = on_fixture(&["lookup", "Stalingrad"]);
    out.code(0).stderr_empty();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("Volgograd (city; RU; 48.708, 44.5133; id t-volgograd)"),
        "{}",
        out.stdout
    );
    // (#20: the footnotes under the table start with their number.)
    let names: Vec<&str> = lines[2..]
        .iter()
        .take_while(|l| !l.starts_with('['))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Tsaritsyn",
            "Царицын",
            "Stalingrad",
            "Сталинград",
            "Volgograd",
            "Волгоград"
        ]
    );
}

#[test]
fn lookup_ignores_case_diacritics_and_punctuation() {
    for typed in [
        "stalingrad",
        "STALINGRAD.",
        "Eisenhuttenstadt",
        "ismoil-somoni peak",
        "Konigsberg",
    ] {
        on_fixture(&["lookup", typed]).code(0);
    }
    on_fixture(&["lookup", "Ismoil", "Somoni", "Peak"])
        .code(0)
        .stdout_has("Communism Peak");
}

#[test]
fn homonyms_are_all_shown_never_one_picked() {
    let out = on_fixture(&["lookup", "Kaliningrad"]);
    out.code(0)
        .stdout_has("id t-kaliningrad")
        .stdout_has("id t-korolyov");
}

#[test]
fn at_a_year_inside_a_name() {
    let out = on_fixture(&["at", "1958", "Volgograd", "--format", "csv"]);
    out.code(0);
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{}", out.stdout);
    assert!(
        rows[0].starts_with("t-volgograd,Stalingrad,1925-04-10,1961-11-10,en,"),
        "{}",
        out.stdout
    );
    assert!(
        rows[0].contains(",1958,certain,,,exact:Volgograd"),
        "{}",
        out.stdout
    );
    assert!(rows[1].starts_with("t-volgograd,Сталинград,"));
}

#[test]
fn at_the_year_of_a_renaming_gives_both_names_and_the_day() {
    let out = on_fixture(&["at", "1961", "Volgograd"]);
    out.code(0)
        .stdout_has("partly: until 1961-11-10")
        .stdout_has("partly: from 1961-11-10");
}

#[test]
fn at_the_day_of_a_renaming_the_new_name_holds() {
    let out = on_fixture(&["at", "1961-11-10", "Stalingrad", "--format", "csv"]);
    out.code(0)
        .stdout_has("t-volgograd,Volgograd,")
        .stdout_lacks("t-volgograd,Stalingrad,");
    let out = on_fixture(&["at", "1961-11-09", "Stalingrad", "--format", "csv"]);
    out.code(0)
        .stdout_has("t-volgograd,Stalingrad,")
        .stdout_lacks("t-volgograd,Volgograd,");
}

#[test]
fn at_an_old_style_date() {
    // 1914-08-18 Julian is 1914-08-31 Gregorian, the day Saint Petersburg became Petrograd.
    let out = on_fixture(&["at", "1914-08-18", "--calendar", "julian", "Leningrad"]);
    out.code(0)
        .stdout_has("1914-08-18 (Julian; Gregorian 1914-08-31)")
        .stdout_has("Petrograd");
    let out = on_fixture(&[
        "at",
        "1914-08-17",
        "--calendar",
        "julian",
        "Leningrad",
        "--format",
        "csv",
    ]);
    out.code(0)
        .stdout_has("t-spb,Saint Petersburg,1703-05-27,")
        .stdout_lacks("Petrograd");
}

#[test]
fn at_bce_years() {
    let out = on_fixture(&["at", "-0043", "Roma", "--format", "csv"]);
    out.code(0)
        .stdout_has("t-rome,Roma,-0752~,")
        .stdout_has("approximate");
    let out = on_fixture(&["at", "44BCE", "Roma", "--format", "json"]);
    out.code(0).stdout_has("\"earliest\": \"-0043-01-01\"");
    let out = on_fixture(&["at", "-0800", "Roma"]);
    out.code(0)
        .stdout_has("no name recorded on -0800: the first known name, Roma, dates from -0752~");
}

#[test]
fn a_decade_bound_makes_names_possible() {
    let out = on_fixture(&["at", "1965", "Newtown", "--format", "csv"]);
    out.code(0);
    assert_eq!(
        out.stdout.matches(",possible,").count(),
        2,
        "{}",
        out.stdout
    );
}

#[test]
fn json_has_one_object_per_place_with_its_names() {
    let out = on_fixture(&["lookup", "Kaliningrad", "--format", "json"]);
    out.code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let places = v.as_array().unwrap();
    assert_eq!(places.len(), 2);
    assert_eq!(places[0]["place_id"], "t-kaliningrad");
    assert_eq!(places[0]["current_name"], "Kaliningrad");
    assert_eq!(places[0]["names"][0]["name"], "Königsberg");
    assert_eq!(places[1]["current_name"], "Korolyov");
}

#[test]
fn csv_output_round_trips_as_data() {
    let first = on_fixture(&["lookup", "Leningrad", "--format", "csv"]);
    first.code(0);
    let dir = Dir::new();
    dir.write("round.csv", &first.stdout);
    let second = dir.run(&[
        "--no-default-data",
        "--data",
        "round.csv",
        "lookup",
        "Leningrad",
        "--format",
        "csv",
    ]);
    second.code(0).stderr_empty().stdout_is(&first.stdout);
    let table1 = on_fixture(&["lookup", "Leningrad"]);
    let table2 = dir.run(&[
        "--no-default-data",
        "--data",
        "round.csv",
        "lookup",
        "Leningrad",
    ]);
    assert_eq!(table1.stdout, table2.stdout);
}

#[test]
fn not_found_exits_1_with_suggestions() {
    let out = on_fixture(&["lookup", "Volgogard"]);
    out.code(1)
        .stdout_is("")
        .stderr_has("gazetteer: no place named 'Volgogard'; did you mean: Volgograd?");
    on_fixture(&["at", "1950", "Xyzzyqq"]).code(1).stderr_has(
        "no place named 'Xyzzyqq', nor one spelled like it: `gazetteer search TEXT` lists \
             the names that contain a part of it, and `--data FILE` adds places of your own",
    );
}

#[test]
fn usage_errors_exit_2() {
    on_fixture(&["at", "1961-13-01", "Volgograd"])
        .code(2)
        .stderr_has("'1961-13-01' is not a date (month 13)");
    // #20: `XXXX` became a query date (any year); a date of no known form is refused,
    // with the forms that are read.
    on_fixture(&["at", "Springtide 1950", "Volgograd"])
        .code(2)
        .stderr_has("'Springtide 1950' is not a date")
        .stderr_has("ABT 1890, BEF 1900");
    // A season in words is a date (EDTF's season): Stalingrad, certain.
    on_fixture(&["at", "Spring 1950", "Volgograd"])
        .code(0)
        .stdout_has("on 1950-21:")
        .stdout_has("Stalingrad  en    1925-04-10  1961-11-10  certain");
    on_fixture(&["frobnicate"]).code(2);
    on_fixture(&["lookup"]).code(2);
    Dir::new()
        .run(&["--no-default-data", "lookup", "X"])
        .code(2)
        .stderr_has("--no-default-data needs");
}

#[test]
fn data_is_added_to_the_builtin_data_and_can_replace_it() {
    let dir = Dir::new();
    dir.write(
        "mine.csv",
        "place_id,name,start,end\nmy-foo,Foo,1900,1950\nmy-foo,Bar,1950,\n",
    );
    dir.run(&["--data", "mine.csv", "at", "1949", "Bar", "--format", "csv"])
        .code(0)
        .stdout_has("my-foo,Foo,1900,1950,");
    dir.run(&["--data", "mine.csv", "--no-default-data", "lookup", "Foo"])
        .code(0)
        .stdout_has("Bar");
    dir.run(&[
        "--no-default-data",
        "--data",
        "mine.csv",
        "lookup",
        "Stalingrad",
    ])
    .code(1);
}

#[test]
fn a_place_id_in_two_files_is_one_place() {
    let dir = Dir::new();
    dir.write(
        "extra.csv",
        "place_id,name,start,end,lang\nt-volgograd,Zarizyn,1589,1925-04-10,de\n",
    );
    let data = fixture("renamings.csv");
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        &data,
        "--data",
        "extra.csv",
        "lookup",
        "Zarizyn",
    ]);
    out.code(0)
        .stdout_has("id t-volgograd")
        .stdout_has("Tsaritsyn")
        .stdout_has("Zarizyn");
}

#[test]
fn data_from_stdin() {
    let out = Dir::new().run_with_stdin(
        &["--data", "-", "--no-default-data", "lookup", "Foo"],
        Some(b"place_id,name\nx,Foo\n"),
    );
    out.code(0).stdout_has("Foo (id x)");
}

#[test]
fn unknown_columns_are_named_once_on_stderr() {
    let dir = Dir::new();
    dir.write("a.csv", "place_id,name,inhabitants\nx,Foo,1\n");
    dir.write("b.csv", "place_id,name,inhabitants\ny,Bar,2\n");
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "a.csv",
        "--data",
        "b.csv",
        "lookup",
        "Foo",
    ]);
    out.code(0);
    assert_eq!(
        out.stderr.matches("inhabitants").count(),
        1,
        "{}",
        out.stderr
    );
}

#[test]
fn no_box_drawing_or_ansi_in_a_pipe_unless_asked() {
    let out = on_fixture(&["lookup", "Volgograd"]);
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('│'),
        "{}",
        out.stdout
    );
    let out = on_fixture(&["--color", "always", "lookup", "Volgograd"]);
    assert!(
        out.stdout.contains('\u{1b}') && out.stdout.contains('│'),
        "{}",
        out.stdout
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Enough rows that the writer is still writing when `head` goes away.
    let mut csv = String::from("place_id,name\n");
    for i in 0..20_000 {
        csv.push_str(&format!("p{i},Foo\n"));
    }
    let dir = Dir::new();
    dir.write("many.csv", &csv);
    for format in ["table", "csv", "json"] {
        let script = format!(
            "'{}' --no-default-data --data many.csv lookup Foo --format {format} | head -1; echo \"rc=${{PIPESTATUS[0]}}\"",
            env!("CARGO_BIN_EXE_gazetteer")
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .output()
            .expect("bash");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stdout.ends_with("rc=0\n"), "{format}: {stdout}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn help_has_examples_and_exit_codes() {
    let out = Dir::new().run(&["--help"]);
    out.code(0)
        .stdout_has("gazetteer at 1958 Volgograd")
        .stdout_has("Exit status:");
}

/// The id of the built-in place that bore `name`, read from the tool's own CSV output.
fn builtin_id(name: &str) -> String {
    let out = Dir::new().run(&["lookup", name, "--format", "csv"]);
    out.code(0);
    out.stdout
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').next())
        .expect("a row")
        .to_string()
}

#[test]
fn a_data_file_can_add_a_name_to_a_builtin_place() {
    let id = builtin_id("Stalingrad");
    let dir = Dir::new();
    dir.write(
        "extra.csv",
        format!("place_id,name,start,end,lang\n{id},Zarizyn,,1925-04-10,de\n"),
    );
    dir.run(&["--data", "extra.csv", "lookup", "Zarizyn"])
        .code(0)
        .stdout_has(&format!("id {id}"))
        .stdout_has("Stalingrad")
        .stdout_has("Zarizyn");
    dir.write(
        "clash.csv",
        format!("place_id,name,country\n{id},Zarizyn,FR\n"),
    );
    dir.run(&["--data", "clash.csv", "lookup", "Stalingrad"])
        .code(2)
        .stderr_has("clash.csv:2: column 'country': 'FR' conflicts with");
}

#[test]
fn a_date_after_the_last_name_ended_says_so() {
    on_fixture(&["at", "1970", "Stalin Monument"])
        .code(0)
        .stdout_has("no name recorded on 1970: the last known name, Stalin Monument, ended 1962");
    on_fixture(&["at", "1970", "Stalin Monument", "--format", "csv"])
        .code(0)
        // (#14: the schema's new `attested` column is one more empty cell.)
        .stdout_has("t-statue,,,,,,,,,,,,,,,1970,none,");
}

#[test]
fn names_have_kinds_and_official_names_come_first() {
    let dir = Dir::new();
    dir.write(
        "k.csv",
        "place_id,name,start,end,lang,kind\n\
         pl-wroclaw,Breslau,1241,1945,de,official\n\
         pl-wroclaw,Breslau,1945,,de,exonym\n\
         pl-wroclaw,Wrocław,1945,,pl,\n\
         pl-wroclaw,Wrocław,1945,,en,official\n\
         pl-wroclaw,Breslau,1241,1945,en,OFFICIAL\n",
    );
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "k.csv",
        "at",
        "1950",
        "Breslau",
    ]);
    out.code(0).stdout_has("kind");
    let first = out.stdout.find("Wrocław").expect("official name shown");
    let exonym = out.stdout.find("exonym").expect("exonym marked");
    assert!(first < exonym, "official names come first:\n{}", out.stdout);
    dir.run(&[
        "--no-default-data",
        "--data",
        "k.csv",
        "--format",
        "json",
        "lookup",
        "Breslau",
    ])
    .code(0)
    .stdout_has("\"kind\": \"exonym\"");
    // resolve answers with the official name, even for a query in German.
    dir.run_with_stdin(
        &[
            "--no-default-data",
            "--data",
            "k.csv",
            "resolve",
            "-",
            "--name-column",
            "1",
            "--no-headers",
            "--date",
            "1950",
        ],
        Some(b"Breslau\n"),
    )
    .code(0)
    // #15: the period of the name that matched (the exonym Breslau, since 1945).
    .stdout_is("Breslau,pl-wroclaw,Wrocław,Wrocław,exact,1945/..,certain,ok,\n");
    dir.write("bad.csv", "place_id,name,kind\nx,Y,nickname\n");
    dir.run(&["--no-default-data", "--data", "bad.csv", "lookup", "Y"])
        .code(2)
        .stderr_has("bad.csv:2: column 'kind': 'nickname' is not a kind of name");
    // Without the column, every name is official: no kind column in tables.
    on_fixture(&["lookup", "Stalingrad"])
        .code(0)
        .stdout_lacks("kind");
}

#[test]
fn check_keeps_its_exit_code_when_the_reader_goes_away() {
    use std::io::Read;
    let dir = Dir::new();
    let mut csv = String::from("place_id,name,start\n");
    for i in 0..5000 {
        csv.push_str(&format!("p{i},X,19999\n"));
    }
    dir.write("bad.csv", &csv);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazetteer"))
        .args(["check", "bad.csv"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then closed
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_reads_a_file_with_the_builtin_data_it_extends() {
    let id = builtin_id("Stalingrad");
    let dir = Dir::new();
    dir.write(
        "mine.csv",
        format!("place_id,name,start,end,lang,country,source\n{id},Zarizyn,,1925-04-10,de,FR,https://example.org\n"),
    );
    dir.run(&["check", "mine.csv"])
        .code(2)
        .stdout_has("mine.csv:2: column 'country': 'FR' conflicts with")
        .stdout_has("checked 1 file: 0 places, 0 names; 1 error, 0 warnings");
    // Alone, the file is fine.
    dir.run(&["--no-default-data", "check", "mine.csv"])
        .code(0)
        .stdout_has("0 errors");
}

/// #18: `data/links.csv` holds links to other gazetteers (`place_id,same_as,source`), no names,
/// so `check data/` passes it over; a links.csv given by name is still read as data.
#[test]
fn check_of_a_folder_passes_over_its_links_file() {
    let dir = Dir::new();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    dir.write(
        "data/places.csv",
        "place_id,name,source\nxx-a,Alpha,https://example.org\n",
    );
    dir.write(
        "data/links.csv",
        "place_id,same_as,source\nxx-a,geonames:1,https://www.geonames.org/1\n",
    );
    dir.run(&["--no-default-data", "check", "data"])
        .code(0)
        .stdout_has("checked 1 file: 1 places, 1 names; 0 errors");
    dir.run(&["--no-default-data", "check", "data/links.csv"])
        .code(2)
        .stdout_has("the header has no 'name' column");
}

#[test]
fn csv_output_reads_back_as_data_without_warnings() {
    let dir = Dir::new();
    let out = dir.run(&["--format", "csv", "lookup", "Stalingrad"]);
    out.code(0)
        // #14: `attested` is a column of the schema.
        .stdout_has(",kind,attested,population,same_as,matched\n")
        .stdout_has(",official,,1013533,geonames:472757,exact:Stalingrad\n");
    dir.write("back.csv", &out.stdout);
    let again = dir.run(&[
        "--no-default-data",
        "--data",
        "back.csv",
        "--format",
        "csv",
        "lookup",
        "Stalingrad",
    ]);
    again.code(0).stderr_empty();
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn check_reports_an_overlap_with_a_builtin_name_whichever_row_comes_first() {
    let id = builtin_id("Stalingrad");
    let dir = Dir::new();
    // Earlier than every built-in name of the place, and overlapping Tsaritsyn (1589-1925).
    dir.write(
        "early.csv",
        format!(
            "place_id,name,start,end,lang,source\n{id},Oldest,1500,1600,en,https://example.org\n"
        ),
    );
    dir.run(&["check", "early.csv"])
        .code(0)
        .stdout_has("overlaps 'Oldest' (early.csv:2)");
}

#[test]
fn data_on_standard_input_can_extend_a_builtin_place() {
    let id = builtin_id("Stalingrad");
    let rows = format!("place_id,name,start,end,lang\n{id},Zarizyn,,1925-04-10,de\n");
    Dir::new()
        .run_with_stdin(&["--data", "-", "lookup", "Zarizyn"], Some(rows.as_bytes()))
        .code(0)
        .stdout_has(&format!("id {id}"))
        .stdout_has("Stalingrad");
}

#[test]
fn csv_safe_quotes_every_field_and_defuses_formulas() {
    let dir = Dir::new();
    dir.write(
        "f.csv",
        "place_id,name,start,lat,lon\np1,\"=HYPERLINK(\"\"http://x\"\")\",-0043,10.5,-43.25\np1,@SUM(A1),1900,10.5,-43.25\n",
    );
    let args = [
        "--no-default-data",
        "--data",
        "f.csv",
        "--format",
        "csv",
        "lookup",
        "@SUM(A1)",
    ];
    let plain = dir.run(&args);
    plain.code(0).stdout_has("\"=HYPERLINK(\"\"http://x\"\")\"");
    let mut safe_args = args.to_vec();
    safe_args.insert(0, "--csv-safe");
    let safe = dir.run(&safe_args);
    safe.code(0)
        .stdout_has("\"'=HYPERLINK(\"\"http://x\"\")\"")
        .stdout_has("\"'@SUM(A1)\"")
        // Numbers and dates that start with '-' are data, not formulas.
        .stdout_has("\"-0043\"")
        .stdout_has("\"-43.25\"");
    for line in safe.stdout.lines() {
        assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
    }
    // The same for resolve's new columns (the input's own bytes are kept as they came).
    dir.write("q.csv", "name\n@SUM(A1)\n");
    dir.run(&[
        "--csv-safe",
        "--no-default-data",
        "--data",
        "f.csv",
        "resolve",
        "q.csv",
        "--name-column",
        "name",
        "--date",
        "1950",
    ])
    .code(0)
    // #15: one value per name, joined by '|', in every column.
    .stdout_has("\n@SUM(A1),\"p1|p1\",\"'=HYPERLINK(\"\"http://x\"\")|@SUM(A1)\",\"'=HYPERLINK(");
}

#[test]
fn names_cannot_rewrite_the_terminal() {
    let dir = Dir::new();
    // A right-to-left override is text, not damage: shown escaped.
    dir.write("b.csv", "place_id,name\np1,Evil\u{202E}dlrow\n");
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "b.csv",
        "lookup",
        "Evil\u{202E}dlrow",
    ]);
    out.code(0).stdout_has("Evil\\u{202e}dlrow");
    assert!(!out.stdout.contains('\u{202E}'));
    // A control character is damage: refused, and the message quoting the value escapes it.
    dir.write("c.csv", "place_id,name,start\np1,A,19\u{1b}[2J61\n");
    let out = dir.run(&["--no-default-data", "--data", "c.csv", "lookup", "A"]);
    out.code(2)
        .stderr_has("c.csv:2: column 'start': holds the control character U+001B");
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
}
