//! #20: the picture of a chronology (`lookup --timeline`, `--format svg`) and the notes and
//! sources of tables as numbered footnotes, through the real binary.

use crate::util::{Dir, Output};
use std::process::{Command, Stdio};

const DATA: &str = "place_id,name,start,end,lang,kind,attested,source,note\n\
p-demo,Bragenfeld,,,en,,0967,https://example.org/epns,967 BCS\n\
p-demo,Bracken <Field> & Co,1200~,1500?,en,,,https://example.org/a-very-long-source-url/that/would/wrap/in/a/table/cell/over/several/lines/and/could/not/be/copied,infobox gives 1200; text gives 1210\n\
p-demo,Brakenfeld,196X,,en,,,https://example.org/epns,\n\
p-demo,Brachfeld,..,1200,de,exonym,,,\n\
p-demo,Brekka,,1300,is,historical,,,\n\
p-demo,Brakfeld,,,de,variant,,,\n\
p-demo,Brakkenfeld,1500,1960,nl,variant,,,\n";

/// Runs on DATA alone with the environment given (and a fixed today), stdout a pipe.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = Dir::new();
    dir.write("demo.csv", DATA);
    let mut all = vec!["--no-default-data", "--data", "demo.csv"];
    all.extend_from_slice(args);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gazetteer"));
    cmd.args(&all)
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .env("GAZETTEER_CACHE_DIR", dir.path().join(".cache"))
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run gazetteer");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        args: all.iter().map(|s| s.to_string()).collect(),
    }
}

fn width(line: &str) -> usize {
    line.chars().count()
}

// #20
#[test]
fn the_timeline_fits_columns_and_falls_back_to_80() {
    for (columns, expected) in [
        (Some("60"), 60),
        (Some("0"), 80),
        (None, 80),
        (Some("132"), 132),
    ] {
        let env: Vec<(&str, &str)> = columns.map(|c| ("COLUMNS", c)).into_iter().collect();
        let out = run(&["lookup", "Brakenfeld", "--timeline"], &env);
        out.code(0).stderr_empty();
        let bars: Vec<&str> = out.stdout.lines().skip(1).take(9).collect();
        for line in &bars {
            assert!(
                width(line) <= expected,
                "{columns:?}: {line:?}\n{}",
                out.stdout
            );
        }
        // Still in use: Brakenfeld's bar runs to the right edge, today.
        let last = bars.iter().find(|l| l.starts_with("Brakenfeld")).unwrap();
        assert_eq!(width(last), expected, "{}", out.stdout);
    }
}

// #20
#[test]
fn the_timeline_reads_without_colour() {
    let out = run(&["lookup", "Brakenfeld", "--timeline"], &[]);
    out.code(0)
        .stdout_lacks("\x1b[")
        // Kinds as letters, with a legend.
        .stdout_has("O official")
        .stdout_has("E exonym")
        .stdout_has("V variant")
        .stdout_has("H historical")
        .stdout_has("░▒▓ bound approximate, uncertain or imprecise")
        .stdout_has("? start or end unknown")
        .stdout_has("◀ from the earliest times")
        .stdout_has("┃ attested");
    let row = |name: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name}\n{}", out.stdout))
            .to_string()
    };
    assert!(row("Brachfeld").contains("◀█"), "{}", out.stdout);
    assert!(
        row("Brekka").contains("?░"),
        "an unknown start is not 'always'\n{}",
        out.stdout
    );
    assert_eq!(row("Bragenfeld").matches('┃').count(), 1, "{}", out.stdout);
    assert!(row("Brakfeld").ends_with("undated"), "{}", out.stdout);
    assert!(row("Bracken").contains("░▒▓█"), "{}", out.stdout);
    // The axis has years.
    assert!(
        out.stdout.contains("1000") && out.stdout.contains("1800"),
        "{}",
        out.stdout
    );
}

// #20
#[test]
fn the_timeline_is_coloured_by_kind_only_when_allowed() {
    let always = run(
        &["--color", "always", "lookup", "Brakenfeld", "--timeline"],
        &[],
    );
    always
        .code(0)
        .stdout_has("\x1b[34m")
        .stdout_has("\x1b[32m")
        .stdout_has("\x1b[35m");
    // A pipe, or NO_COLOR on `auto`: no colour.
    run(
        &["lookup", "Brakenfeld", "--timeline"],
        &[("NO_COLOR", "1")],
    )
    .code(0)
    .stdout_lacks("\x1b[");
    run(
        &["--color", "never", "lookup", "Brakenfeld", "--timeline"],
        &[],
    )
    .code(0)
    .stdout_lacks("\x1b[");
}

// #20
#[test]
fn svg_is_well_formed_with_one_bar_per_name_and_a_legend() {
    let out = run(&["lookup", "Brakenfeld", "--format", "svg"], &[]);
    out.code(0).stderr_empty();
    let doc = roxmltree::Document::parse(&out.stdout)
        .unwrap_or_else(|e| panic!("not XML: {e}\n{}", out.stdout));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let names: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("name"))
        .collect();
    assert_eq!(names.len(), 7, "one group per name");
    // The text comes back as written: escaped in the file, not dropped.
    assert!(
        doc.descendants()
            .any(|n| n.is_text() && n.text() == Some("Bracken <Field> & Co ")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Bracken &lt;Field&gt; &amp; Co"));
    // Colour by kind, and the soft bound as a gradient.
    let kinds: std::collections::BTreeSet<_> = names
        .iter()
        .filter_map(|n| n.attribute("data-kind"))
        .collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(out.stdout.contains("url(#in-official)"));
    assert!(
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("legend"))
            .count()
            >= 4
    );
    // `--timeline --format svg` is the same picture.
    let again = run(
        &["lookup", "Brakenfeld", "--timeline", "--format", "svg"],
        &[],
    );
    again.code(0).stdout_is(&out.stdout);
}

// #20
#[test]
fn pictures_are_refused_where_they_make_no_sense() {
    run(
        &["lookup", "Brakenfeld", "--timeline", "--format", "csv"],
        &[],
    )
    .code(2)
    .stderr_has("--timeline draws a picture");
    run(&["at", "1950", "Brakenfeld", "--format", "svg"], &[])
        .code(2)
        .stderr_has("--format svg draws the timeline of lookup");
    run(&["lookup", "Nowhere", "--timeline"], &[]).code(1);
}

// #20
#[test]
fn notes_and_sources_are_numbered_footnotes_under_tables() {
    let out = run(&["lookup", "Brakenfeld"], &[]);
    out.code(0);
    let long = "https://example.org/a-very-long-source-url/that/would/wrap/in/a/table/cell/over/several/lines/and/could/not/be/copied";
    // Whole, on a line of its own, however narrow the table.
    let lines: Vec<&str> = out.stdout.lines().collect();
    let cited = |text: &str| {
        lines
            .iter()
            .filter(|l| l.starts_with('[') && l.ends_with(&format!("] {text}")))
            .count()
    };
    assert_eq!(cited(long), 1, "{}", out.stdout);
    assert_eq!(
        cited("infobox gives 1200; text gives 1210"),
        1,
        "{}",
        out.stdout
    );
    // A source two rows share has one number.
    assert_eq!(cited("https://example.org/epns"), 1, "{}", out.stdout);
    assert_eq!(cited("967 BCS"), 1, "{}", out.stdout);
    let epns = lines
        .iter()
        .find(|l| l.ends_with("] https://example.org/epns"))
        .unwrap();
    let marker = &epns[..epns.find(' ').unwrap()];
    let rows_citing = lines
        .iter()
        .filter(|l| !l.starts_with('[') && l.contains(marker))
        .count();
    assert_eq!(rows_citing, 2, "{}", out.stdout);
    assert!(!out.stdout.contains("source  "), "no source column");
    // The same in `at`, and in boxes at a narrow width.
    let at = run(
        &["--color", "always", "at", "1300", "Brakenfeld"],
        &[("COLUMNS", "50")],
    );
    at.code(0).stdout_has(&format!("] {long}\n"));
    // CSV keeps source and note as columns.
    run(&["lookup", "Brakenfeld", "--format", "csv"], &[])
        .code(0)
        .stdout_has(long)
        .stdout_lacks("[1]");
}

// #20: the built-in data's notes now show (Dushanbe's disagreeing sources).
#[test]
fn a_built_in_note_shows_under_the_table() {
    Dir::new()
        .run(&["lookup", "Stalinabad"])
        .code(0)
        .stdout_has("] infobox gives Stalinabad 1929-60; text gives 1929-1961; day: ");
}
