//! The bad-input corpus: one file per kind of damage in `tests/bad/` (and three too big to
//! keep, written here), each loaded as `--data`: the documented exit code, and a message
//! naming the file and the line.

use crate::util;

use util::Dir;

/// (file in tests/bad, exit code, what stderr says). Exit 2 is refused data; 0 is a file
/// the tool accepts, for a reason the README gives.
const CORPUS: &[(&str, i32, &str)] = &[
    (
        "truncated_mid_quote.csv",
        2,
        "truncated_mid_quote.csv:3: a quoted field opened on this line is never closed",
    ),
    (
        "nul_byte.csv",
        2,
        "nul_byte.csv:2: column 'name': holds the control character U+0000",
    ),
    (
        "latin1.csv",
        2,
        "latin1.csv:2: column 'name': bytes that are not UTF-8",
    ),
    (
        "utf16_bom.csv",
        2,
        "utf16_bom.csv: the file is UTF-16: save it as UTF-8",
    ),
    (
        "duplicate_header.csv",
        2,
        "duplicate_header.csv:1: the header names column 'name' twice",
    ),
    (
        "whitespace_header.csv",
        2,
        "whitespace_header.csv:1: header field 3 is blank",
    ),
    (
        "date_1961_00_10.csv",
        2,
        "date_1961_00_10.csv:2: column 'start': '1961-00-10' is not a date (month 00)",
    ),
    (
        "date__99999.csv",
        2,
        "date__99999.csv:2: column 'start': '-99999' is not a date",
    ),
    (
        "date_1961_02_29.csv",
        2,
        "date_1961_02_29.csv:2: column 'start': '1961-02-29' is not a date (1961 has no february 29)",
    ),
    (
        "date_19611.csv",
        2,
        "date_19611.csv:2: column 'start': '19611' is not a date (year must have 4 digits)",
    ),
    (
        "date_1961__01.csv",
        2,
        "date_1961__01.csv:2: column 'start': '1961--01' is not a date (misplaced '-')",
    ),
    (
        "date_1961_11_10__.csv",
        2,
        "date_1961_11_10__.csv:2: column 'start': '1961-11-10~?' is not a date (more than one qualifier",
    ),
    (
        "start_after_end.csv",
        2,
        "start_after_end.csv:2: column 'end': '1950' is not after start '1961'",
    ),
    (
        "end_equal_start.csv",
        2,
        "end_equal_start.csv:2: column 'end': '1961-11-10' is not after start '1961-11-10'",
    ),
    (
        "lat_91.csv",
        2,
        "lat_91.csv:2: column 'lat': '91' is out of range",
    ),
    (
        "lon_nan.csv",
        2,
        "lon_nan.csv:2: column 'lon': 'NaN' is out of range",
    ),
    (
        "lon_inf.csv",
        2,
        "lon_inf.csv:2: column 'lon': 'inf' is out of range",
    ),
    // Valid EDTF: year 0 is 1 BCE; XXXX-XX-XX is a date that happened, nobody knows when.
    ("date_0000_01_01.csv", 0, ""),
    ("date_XXXX_XX_XX.csv", 0, ""),
    ("date_2024_02_29_valid.csv", 0, ""),
    // Two names of one place over the same period load (names may hold at once); `check`
    // warns of the overlap, below.
    ("two_names_same_period.csv", 0, ""),
];

#[test]
fn every_damaged_file_gives_its_exit_code_and_message() {
    let dir = Dir::new();
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut listed: Vec<&str> = CORPUS.iter().map(|c| c.0).collect();
    listed.sort();
    let mut present: Vec<String> = std::fs::read_dir(&here)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    present.sort();
    assert_eq!(
        present, listed,
        "every file in tests/bad is in the table, and only those"
    );
    for (file, code, message) in CORPUS {
        let path = here.join(file);
        let out = dir.run(&[
            "--no-default-data",
            "--data",
            path.to_str().unwrap(),
            "lookup",
            "A",
        ]);
        out.code(*code);
        if *code != 0 {
            out.stderr_has(message);
        }
        assert!(!out.stderr.contains("panicked"), "{file}: {}", out.stderr);
    }
    dir.run(&[
        "--no-default-data",
        "check",
        here.join("two_names_same_period.csv").to_str().unwrap(),
    ])
    .code(0)
    .stdout_has("overlap");
}

#[test]
fn inputs_too_big_to_keep_are_refused_without_filling_memory() {
    let dir = Dir::new();
    let field = format!("place_id,name\np1,{}\n", "x".repeat(10 << 20));
    dir.write("field_10mb.csv", &field);
    let header: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
    dir.write("columns_1m.csv", header.join(",") + "\n");
    let header: Vec<String> = (0..5_000).map(|i| format!("c{i}")).collect();
    dir.write("columns_5k.csv", header.join(",") + "\n");
    dir.write(
        "fields_10k.csv",
        format!("place_id,name\np1,{}\n", vec!["a"; 10_000].join(",")),
    );
    dir.write(
        "open_quote.csv",
        format!("place_id,name\np1,\"{}", "x\n".repeat(2_000_000)),
    );
    for (file, message) in [
        (
            "field_10mb.csv",
            "field_10mb.csv: cannot read: line 2 is over 1 MB long",
        ),
        (
            "columns_1m.csv",
            "columns_1m.csv: cannot read: line 1 is over 1 MB long",
        ),
        (
            "columns_5k.csv",
            "columns_5k.csv:1: the header has 5000 columns, more than the 1000",
        ),
        (
            "fields_10k.csv",
            "fields_10k.csv:2: the row has 10001 fields but the header has 2",
        ),
        (
            "open_quote.csv",
            "open_quote.csv: cannot read: the quoted field opened on line 2 is over 1 MB long",
        ),
    ] {
        dir.run(&["--no-default-data", "--data", file, "lookup", "A"])
            .code(2)
            .stderr_has(message);
    }
    // And for the streamed importers.
    dir.run(&["import", "geonames", "field_10mb.csv"])
        .code(2)
        .stderr_has("field_10mb.csv:2: cannot read: line 2 is over 1 MB long");
    // The same limits hold for the input of resolve.
    dir.write(
        "q.csv",
        format!("name,date\n{},1950\n", "y".repeat(2 << 20)),
    );
    dir.run(&[
        "resolve",
        "q.csv",
        "--name-column",
        "name",
        "--date-column",
        "date",
    ])
    .code(2)
    .stderr_has("line 2 is over 1 MB long");
}
