//! Output that cannot be written, and output that must not rewrite the terminal (#14).

use crate::util;

use std::io::Read;
use std::process::{Command, Stdio};
use util::{Dir, fixture};

/// One run of every command that writes to stdout, on the fixture data (resolve and
/// import read files written into `dir`).
fn every_command(dir: &Dir) -> Vec<Vec<String>> {
    let data = fixture("renamings.csv");
    let input = dir.write("in.csv", "n,d\nStalingrad,1950\nVolgograd,1970\n");
    let import = dir.write("import.csv", "place_id,name\nx-1,Foo\n");
    let on_data = |args: &[&str]| {
        let mut all = vec!["--no-default-data", "--data", data.as_str()];
        all.extend_from_slice(args);
        all.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let input = input.display().to_string();
    let import = import.display().to_string();
    vec![
        on_data(&["lookup", "Stalingrad"]),
        on_data(&["at", "1958", "Volgograd"]),
        on_data(&["search", "grad"]),
        on_data(&["export", "--format", "csv"]),
        vec!["import".into(), "csv".into(), import],
        vec!["check".into(), data.clone()],
        on_data(&[
            "resolve",
            &input,
            "--name-column",
            "n",
            "--date-column",
            "d",
        ]),
        vec!["--help".into()],
        vec!["--version".into()],
        vec!["lookup".into(), "--help".into()],
    ]
}

// #14
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_for_every_command() {
    let dir = Dir::new();
    for args in every_command(&dir) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        dir.run_to(&args, Stdio::from(full))
            .code(2)
            .stderr_has("gazetteer: cannot write the output: No space left on device\n");
    }
}

// #14
#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_is_an_error_for_every_command() {
    let dir = Dir::new();
    for args in every_command(&dir) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = dir.run_stdout_closed(&args);
        out.code(2)
            .stderr_has("gazetteer: cannot write the output: standard output is closed\n");
        // Nothing claims success: resolve's summary is not printed.
        assert!(!out.stderr.contains("resolved"), "{}", out.stderr);
    }
}

// #14
#[test]
fn the_same_commands_succeed_when_stdout_takes_their_output() {
    // The runs above fail because of where stdout goes, not because of their arguments.
    let dir = Dir::new();
    for args in every_command(&dir) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = dir.run(&args);
        out.code(0);
        assert!(!out.stdout.is_empty(), "{args:?} wrote nothing");
    }
}

// #14
#[test]
fn a_closed_stdout_matters_only_when_there_is_something_to_write() {
    // Nothing found: nothing to write, so the exit code is still 1.
    let dir = Dir::new();
    dir.run_stdout_closed(&["lookup", "Nowhereville"])
        .code(1)
        .stderr_has("no place named 'Nowhereville'");
}

// #14
#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let dir = Dir::new();
    // The export is bigger than a pipe holds, so the writer meets the closed pipe.
    let whole = dir.run(&["export", "--format", "csv"]);
    whole.code(0);
    assert!(whole.stdout.len() > 1 << 20, "{}", whole.stdout.len());
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazetteer"))
        .args(["export", "--format", "csv"])
        .env("GAZETTEER_CACHE_DIR", dir.path().join(".cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gazetteer");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).expect("one byte");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(first[0], b'p', "the export starts with its header");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Asserts that neither stream carries an escape or a bell, and that stderr shows `shown`.
fn escaped(out: &util::Output, shown: &str) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !text.contains(['\u{1b}', '\u{7}']),
            "{stream} carries a raw ESC or BEL: {text:?}"
        );
    }
    out.stderr_has(shown);
}

// #14
#[test]
fn a_country_code_is_escaped_in_its_error() {
    let out = Dir::new().run(&["--country", "\u{1b}[31mXX", "lookup", "X"]);
    out.code(2);
    escaped(&out, "--country '\\u{1b}[31mXX'");
}

// #14
#[test]
fn a_file_name_cannot_set_the_terminal_title() {
    let out = Dir::new().run(&["--data", "x\u{1b}]0;pwned\u{7}.csv", "lookup", "X"]);
    out.code(2);
    escaped(&out, "x\\u{1b}]0;pwned\\u{7}.csv: cannot read");
    let out = Dir::new().run(&["check", "d\u{1b}[2J.csv"]);
    out.code(2);
    escaped(&out, "d\\u{1b}[2J.csv: cannot read");
    let dir = Dir::new();
    let name = "i\u{1b}]0;t\u{7}.csv";
    dir.write(name, "place_id,name\nx-1,Foo\n");
    let out = dir.run(&["import", "csv", name]);
    out.code(0);
    escaped(&out, "from i\\u{1b}]0;t\\u{7}.csv");
}

// #14
#[test]
fn a_date_cannot_clear_the_screen() {
    let out = Dir::new().run(&["at", "19\u{1b}[2J58", "X"]);
    out.code(2);
    escaped(&out, "'19\\u{1b}[2J58' is not a date");
}

// #14
#[test]
fn clap_usage_errors_show_the_argument_escaped() {
    let out = Dir::new().run(&["--b\u{1b}[2Jogus"]);
    out.code(2);
    escaped(&out, "unexpected argument '--b\\u{1b}[2Jogus' found\n");
    out.stderr_has("\nUsage: gazetteer");
    let out = Dir::new().run(&["lookup", "--format", "\u{1b}]0;x\u{7}", "X"]);
    out.code(2);
    escaped(
        &out,
        "invalid value '\\u{1b}]0;x\\u{7}' for '--format <FORMAT>'",
    );
}

// #14
#[test]
fn names_show_separators_and_invisible_characters_escaped() {
    let dir = Dir::new();
    dir.write(
        "odd.csv",
        "place_id,name,lang\n\
         o-1,Odd\u{2028}town,en\n\
         o-1,Zero\u{200B}width,de\n\
         o-1,Tag\u{E0041}ged,fr\n\
         o-1,Word\u{2060}joined\u{FEFF},it\n",
    );
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "odd.csv",
        "lookup",
        "Odd town",
    ]);
    out.code(0);
    for shown in [
        "Odd\\u{2028}town",
        "Zero\\u{200b}width",
        "Tag\\u{e0041}ged",
        "Word\\u{2060}joined\\u{feff}",
    ] {
        out.stdout_has(shown);
    }
    for raw in ['\u{2028}', '\u{200B}', '\u{E0041}', '\u{2060}', '\u{FEFF}'] {
        assert!(!out.stdout.contains(raw), "{raw:?} in {}", out.stdout);
    }
}

// #14
#[cfg(target_os = "linux")]
#[test]
fn a_stderr_that_takes_nothing_does_not_panic() {
    let dir = Dir::new();
    for args in every_command(&dir) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        let out = Command::new(env!("CARGO_BIN_EXE_gazetteer"))
            .args(&args)
            .current_dir(dir.path())
            .env("GAZETTEER_CACHE_DIR", dir.path().join(".cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(full))
            .output()
            .expect("run gazetteer");
        // The answer is written; a message that cannot be is an error (as GNU tools
        // treat it), but never a panic (exit code 101).
        assert!(!out.stdout.is_empty(), "{args:?} wrote nothing");
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{args:?}: {:?}",
            out.status
        );
    }
    // Nothing found: the message that says so is lost, and the exit code is not 0.
    let out = Command::new(env!("CARGO_BIN_EXE_gazetteer"))
        .args(["lookup", "Nowhereville"])
        .env("GAZETTEER_CACHE_DIR", dir.path().join(".cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("open /dev/full"),
        ))
        .output()
        .expect("run gazetteer");
    assert_eq!(out.status.code(), Some(2));
}
