//! Bad data files (issue #2): every one is refused with file, line, column and a fix,
//! exit code 2; `--skip-invalid` skips the rows instead; `check` lists all problems.

use crate::util;

use util::Dir;

const HEADER: &str = "place_id,name,start,end,lang,type,country,lat,lon,source,note\n";

/// Runs `lookup Good` on a data file holding one good row plus `bad`.
fn refused(file_name: &str, contents: &[u8]) -> util::Output {
    let dir = Dir::new();
    dir.write(file_name, contents);
    dir.run(&["--no-default-data", "--data", file_name, "lookup", "Good"])
}

fn with_good_row(bad_rows: &str) -> Vec<u8> {
    format!("{HEADER}g,Good,1900,,en,city,RU,1,2,s,\n{bad_rows}").into_bytes()
}

#[test]
fn missing_required_column() {
    refused("m.csv", b"place_id,start\nx,1900\n")
        .code(2)
        .stderr_has("gazetteer: m.csv:1: the header has no 'name' column");
}

#[test]
fn empty_place_id_or_name() {
    refused("e.csv", &with_good_row(",Foo,,,,,,,,,\ny,,,,,,,,,,\n"))
        .code(2)
        .stderr_has("e.csv:3: column 'place_id': is empty")
        .stderr_has("e.csv:4: column 'name': is empty")
        .stderr_has("2 errors")
        .stderr_has("--skip-invalid");
}

#[test]
fn impossible_and_unparseable_dates() {
    refused(
        "d.csv",
        &with_good_row("x,Foo,1961-02-30,,,,,,,,\ny,Bar,,1961-13-01,,,,,,,\nz,Baz,soon,,,,,,,,\n"),
    )
    .code(2)
    .stderr_has("d.csv:3: column 'start': '1961-02-30' is not a date")
    .stderr_has("d.csv:4: column 'end': '1961-13-01' is not a date (month 13)")
    .stderr_has("d.csv:5: column 'start': 'soon' is not a date");
}

#[test]
fn start_after_end() {
    refused("s.csv", &with_good_row("x,Foo,1970,1960,,,,,,,\n"))
        .code(2)
        .stderr_has("s.csv:3: column 'end': '1960' is not after start '1970'");
}

#[test]
fn coordinates_out_of_range_or_not_numbers() {
    refused(
        "c.csv",
        &with_good_row("x,Foo,,,,,,91,0,,\ny,Bar,,,,,,0,east,,\n"),
    )
    .code(2)
    .stderr_has("c.csv:3: column 'lat': '91' is out of range")
    .stderr_has("c.csv:4: column 'lon': 'east' is not a number");
}

#[test]
fn conflicting_place_attributes() {
    refused(
        "k.csv",
        &with_good_row("g,Gut,1800,1900,de,town,RU,1,2,s,\n"),
    )
    .code(2)
    .stderr_has(
        "k.csv:3: column 'type': 'town' conflicts with 'city' given for place 'g' at k.csv:2",
    );
}

#[test]
fn header_only_and_empty_file() {
    refused("h.csv", HEADER.as_bytes())
        .code(2)
        .stderr_has("h.csv:1: the file has a header but no rows");
    refused("z.csv", b"")
        .code(2)
        .stderr_has("z.csv: the file is empty");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(
        String::from_utf8(with_good_row(""))
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    refused("b.csv", &bytes)
        .code(0)
        .stderr_empty()
        .stdout_has("Good (city; RU; 1, 2; id g)");
}

#[test]
fn bytes_that_are_not_utf8() {
    let mut bytes = with_good_row("");
    bytes.extend(b"x,Gr\xF6\xDFe,,,,,,,,,\n");
    refused("l.csv", &bytes)
        .code(2)
        .stderr_has("l.csv:3: column 'name': bytes that are not UTF-8");
}

#[test]
fn ragged_row() {
    refused("r.csv", &with_good_row("x,Foo,1900\n"))
        .code(2)
        .stderr_has("r.csv:3: the row has 3 fields but the header has 11");
}

#[test]
fn unterminated_quote() {
    refused(
        "q.csv",
        &with_good_row("x,\"Foo,1900,,,,,,,,\ny,Bar,,,,,,,,,\n"),
    )
    .code(2)
    .stderr_has("q.csv:3: a quoted field opened on this line is never closed");
}

#[test]
fn at_most_twenty_errors_then_a_count() {
    let rows: String = (0..25)
        .map(|i| format!("x{i},Foo,1961-02-30,,,,,,,,\n"))
        .collect();
    let out = refused("many.csv", &with_good_row(&rows));
    out.code(2)
        .stderr_has("... and 5 more invalid rows")
        .stderr_has("25 errors");
    assert_eq!(
        out.stderr.matches("is not a date").count(),
        20,
        "{}",
        out.stderr
    );
}

#[test]
fn skip_invalid_skips_with_the_same_messages() {
    let dir = Dir::new();
    dir.write("s.csv", with_good_row("x,Foo,1961-02-30,,,,,,,,\n"));
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "s.csv",
        "--skip-invalid",
        "lookup",
        "Good",
    ]);
    out.code(0)
        .stdout_has("Good")
        .stderr_has("gazetteer: skipped: s.csv:3: column 'start': '1961-02-30' is not a date")
        .stderr_has("skipped 1 invalid row");
    dir.run(&[
        "--no-default-data",
        "--data",
        "s.csv",
        "--skip-invalid",
        "lookup",
        "Foo",
    ])
    .code(1);
}

#[test]
fn a_missing_file_is_a_clear_error() {
    Dir::new()
        .run(&["--data", "nope.csv", "lookup", "Foo"])
        .code(2)
        .stderr_has("gazetteer: nope.csv: cannot read:");
}

#[test]
fn check_lists_errors_and_warnings_and_exits_by_errors_only() {
    let dir = Dir::new();
    dir.write(
        "w.csv",
        format!(
            "{HEADER}a,A,1900,1930,en,city,RU,1,2,s,\n\
             a,B,1925,1960,en,,,,,s,\n\
             a,C,1965,,en,,,,,s,a gap the records leave\n\
             a,C,1965,,en,,,,,s,a gap the records leave\n"
        ),
    );
    let out = dir.run(&["check", "w.csv"]);
    out.code(0)
        .stdout_has("w.csv:3: warning: 'B' overlaps 'A' (w.csv:2)")
        .stdout_has("w.csv:4: warning: column 'start': gap: 'B' ends 1960")
        .stdout_has("(note: a gap the records leave)")
        .stdout_has("w.csv:5: warning: duplicate of the row at w.csv:4")
        .stdout_has("checked 1 file: 1 places, 4 names; 0 errors, 3 warnings");
    dir.write("bad.csv", with_good_row("x,Foo,1961-02-30,,,,,,,,\n"));
    dir.run(&["check", "w.csv", "bad.csv"])
        .code(2)
        .stdout_has("bad.csv:3: column 'start': '1961-02-30' is not a date")
        .stdout_has("1 error, 3 warnings");
}

#[test]
fn check_accepts_a_directory_and_defaults_to_the_builtin_data() {
    let dir = Dir::new();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    dir.write("d/one.csv", with_good_row(""));
    dir.write("d/two.csv", format!("{HEADER}h,Other,,,en,,,,,s,\n"));
    dir.run(&["check", "d"])
        .code(0)
        .stdout_has("checked 2 files: 2 places, 2 names; 0 errors");
    dir.run(&["check"]).code(0).stdout_has("0 errors");
}
