//! Dates as people and standards write them (#20): EDTF levels 0 and 1, genealogy and
//! record forms, numeric dates with `--date-order`, in queries, data cells and `resolve`;
//! and resolve's output formats and `--prefix`. Through the real binary.

use crate::util;

use util::Dir;

/// Volgograd's three names, and a village attested only within a window.
const DATA: &str = "place_id,name,start,end,attested\n\
                    v,Tsaritsyn,1589,1925-04-10,\n\
                    v,Stalingrad,1925-04-10,1961-11-10,\n\
                    v,Volgograd,1961-11-10,,\n\
                    h,Hamfeud,,,c. 1175\n\
                    w,Wintertown,,,2001-24\n\
                    g,Gedcomville,ABT 1890,BET 1920 AND 1925,\n";

fn run(dir: &Dir, args: &[&str]) -> util::Output {
    dir.write("d.csv", DATA);
    let mut all = vec!["--no-default-data", "--data", "d.csv"];
    all.extend_from_slice(args);
    dir.run(&all)
}

// #20
#[test]
fn edtf_level_0_and_1_query_dates_are_windows() {
    let dir = Dir::new();
    // An interval: renamings inside it are found, both names partly.
    run(&dir, &["at", "1960/1962", "Volgograd"])
        .code(0)
        .stdout_has("on 1960/1962:")
        .stdout_has("Stalingrad")
        .stdout_has("partly: until 1961-11-10")
        .stdout_has("partly: from 1961-11-10");
    // Open and unknown ends.
    run(&dir, &["at", "1962/..", "Volgograd"])
        .code(0)
        .stdout_has("Volgograd")
        .stdout_lacks("Tsaritsyn");
    run(&dir, &["at", "/1600", "Volgograd"])
        .code(0)
        .stdout_has("Tsaritsyn")
        .stdout_lacks("Stalingrad");
    // A date-time is its day (the zone does not move it).
    run(&dir, &["at", "1961-11-09T23:59:59-12:00", "Volgograd"])
        .code(0)
        .stdout_has("on 1961-11-09T23:59:59-12:00:")
        .stdout_has("Stalingrad")
        .stdout_lacks("Volgograd   ");
    // A season, not "month 21"; winter runs into the next year.
    run(&dir, &["at", "1961-24", "Volgograd"])
        .code(0)
        .stdout_has("on 1961-24:")
        .stdout_has("certain")
        .stdout_lacks("Stalingrad");
    run(&dir, &["at", "1961-23", "Volgograd"])
        .code(0)
        .stdout_has("partly: from 1961-11-10")
        .stdout_has("Stalingrad");
    run(&dir, &["at", "2002-02", "Wintertown"])
        .code(0)
        .stdout_has("attested 2001-24");
    // Unspecified digits and XXXX.
    run(&dir, &["at", "195X", "Volgograd"])
        .code(0)
        .stdout_has("Stalingrad")
        .stdout_has("certain");
    run(&dir, &["at", "XXXX", "Volgograd"])
        .code(0)
        .stdout_has("Tsaritsyn")
        .stdout_has("Volgograd");
    // A long year: valid EDTF, beyond what can be compared: said so.
    run(&dir, &["at", "Y170000002", "Volgograd"])
        .code(2)
        .stderr_has("year 170000002 is valid EDTF, but beyond the years gazetteer can compare");
    // Still refused: a reversed interval.
    run(&dir, &["at", "1962/1960", "Volgograd"])
        .code(2)
        .stderr_has("the interval ends (1960) before it starts (1962)");
}

// #20
#[test]
fn genealogy_and_record_forms_are_their_edtf_windows() {
    let dir = Dir::new();
    for (written, edtf, holds) in [
        ("ABT 1950", "1950~", "Stalingrad"),
        ("BEF 1600", "../1600", "Tsaritsyn"),
        ("AFT 1962", "1962/..", "Volgograd"),
        ("BET 1930 AND 1935", "1930/1935", "Stalingrad"),
        ("FROM 1930 TO 1935", "1930/1935", "Stalingrad"),
        ("12 MAR 1950", "1950-03-12", "Stalingrad"),
        ("MAR 1950", "1950-03", "Stalingrad"),
        ("18 August 1914", "1914-08-18", "Tsaritsyn"),
        ("August 18, 1914", "1914-08-18", "Tsaritsyn"),
        ("12.03.1950", "1950-03-12", "Stalingrad"),
        ("c. 1950", "1950~", "Stalingrad"),
        ("circa 1950", "1950~", "Stalingrad"),
        ("1930s", "193X", "Stalingrad"),
        ("1900s", "19XX", "Stalingrad"),
        ("1924/25", "1925", "Stalingrad"),
    ] {
        run(&dir, &["at", written, "Volgograd"])
            .code(0)
            .stdout_has(&format!("on {edtf}:"))
            .stdout_has(holds);
    }
    // A GEDCOM Julian date: 1961-10-28 Julian is 1961-11-10 Gregorian.
    run(&dir, &["at", "@#DJULIAN@ 28 OCT 1961", "Volgograd"])
        .code(0)
        .stdout_has("on 1961-10-28 (Julian; Gregorian 1961-11-10):")
        .stdout_has("Volgograd")
        .stdout_lacks("Stalingrad");
    // A dual year whose second year is not the next: no guess.
    run(&dir, &["at", "1924/27", "Volgograd"])
        .code(2)
        .stderr_has("not a dual year");
}

// #20
#[test]
fn numeric_dates_need_date_order() {
    let dir = Dir::new();
    run(&dir, &["at", "03/12/1961", "Volgograd"])
        .code(2)
        .stderr_has("pass --date-order dmy or --date-order mdy");
    // 3 December: Volgograd; 12 March: Stalingrad.
    run(
        &dir,
        &["--date-order", "dmy", "at", "03/12/1961", "Volgograd"],
    )
    .code(0)
    .stdout_has("on 1961-12-03:")
    .stdout_lacks("Stalingrad");
    run(
        &dir,
        &["at", "3-12-1961", "--date-order", "mdy", "Volgograd"],
    )
    .code(0)
    .stdout_has("on 1961-03-12:")
    .stdout_has("Stalingrad");
    run(
        &dir,
        &["--date-order", "mdy", "at", "13/03/1961", "Volgograd"],
    )
    .code(2)
    .stderr_has("month 13");
}

// #20
#[test]
fn a_date_of_no_known_form_lists_the_forms() {
    let dir = Dir::new();
    run(&dir, &["at", "the spring of 1950", "Volgograd"])
        .code(2)
        .stderr_has("'the spring of 1950' is not a date")
        .stderr_has("BET 1890 AND 1895")
        .stderr_has("2001-21 for spring")
        .stderr_has("README \"Dates\"");
    // In a data file too, with its file, line and column.
    dir.write("bad.csv", "place_id,name,start\nx,Foo,Whitsun 1890\n");
    dir.run(&["check", "bad.csv"])
        .code(2)
        .stdout_has("bad.csv:2: column 'start': 'Whitsun 1890' is not a date")
        .stdout_has("ABT 1890");
}

// #20
#[test]
fn calendar_is_case_insensitive_with_old_and_new_style() {
    let dir = Dir::new();
    // 1961-10-28 Old Style is 1961-11-10 New Style, Volgograd's first day.
    for cal in ["julian", "Julian", "OS", "os"] {
        run(&dir, &["at", "1961-10-28", "--calendar", cal, "Volgograd"])
            .code(0)
            .stdout_has("Volgograd   ")
            .stdout_lacks("Stalingrad");
    }
    for cal in ["NS", "Gregorian"] {
        run(&dir, &["at", "1961-10-28", "--calendar", cal, "Volgograd"])
            .code(0)
            .stdout_has("Stalingrad");
    }
    run(&dir, &["at", "1961", "--calendar", "hebrew", "Volgograd"]).code(2);
}

// #20
#[test]
fn data_cells_hold_intervals_seasons_and_genealogy_forms() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    dir.run(&["check", "d.csv"]).code(0);
    // `c. 1175` is attested 1175~; `ABT 1890` starts around 1890, and the end lies
    // somewhere in 1920-1925.
    let out = run(&dir, &["lookup", "Gedcomville", "--format", "csv"]);
    out.code(0).stdout_has("g,Gedcomville,1890~,1920/1925,");
    run(&dir, &["at", "1922", "Gedcomville"])
        .code(0)
        .stdout_has("possible");
    run(&dir, &["at", "1910", "Gedcomville"])
        .code(0)
        .stdout_has("certain");
    run(&dir, &["at", "1175", "Hamfeud"])
        .code(0)
        .stdout_has("attested 1175~");
    // The CSV a lookup writes reads back.
    dir.write("again.csv", &out.stdout);
    dir.run(&[
        "--no-default-data",
        "--data",
        "again.csv",
        "at",
        "1910",
        "Gedcomville",
    ])
    .code(0)
    .stdout_has("certain");
    // A Julian GEDCOM date keeps its calendar.
    dir.write(
        "j.csv",
        "place_id,name,start\nj,Julia,@#DJULIAN@ 28 OCT 1961\n",
    );
    dir.run(&[
        "--no-default-data",
        "--data",
        "j.csv",
        "at",
        "1961-11-09",
        "Julia",
    ])
    .code(0)
    .stdout_has("no name recorded");
    dir.run(&[
        "--no-default-data",
        "--data",
        "j.csv",
        "at",
        "1961-11-10",
        "Julia",
    ])
    .code(0)
    .stdout_has("certain");
    // Numeric dates in a data cell: no flag decides, the cell should say it in EDTF.
    dir.write("n.csv", "place_id,name,start\nn,Num,03/12/1890\n");
    dir.run(&["check", "n.csv"])
        .code(2)
        .stdout_has("write it as EDTF, year-month-day (1890-12-03 or 1890-03-12)");
}

const PEOPLE: &str = "person,birth_place,birth_date,death_place,death_date\n\
                      Anna,Stalingrad,1950,Tsaritsyn,ABT 1900\n\
                      Boris,Tsaritsyn,12 MAR 1890,Volgograd,03/12/1961\n";

// #20: a file resolved twice, once per name column.
#[test]
fn resolve_twice_with_prefixes() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    dir.write("people.csv", PEOPLE);
    let base = ["--no-default-data", "--data", "d.csv", "resolve"];
    let first = dir.run(
        &[
            &base[..],
            &[
                "people.csv",
                "--name-column",
                "birth_place",
                "--date-column",
                "birth_date",
                "--prefix",
                "birth_",
            ],
        ]
        .concat(),
    );
    first.code(0);
    let second = dir.run_with_stdin(
        &[
            &base[..],
            &[
                "-",
                "--name-column",
                "death_place",
                "--date-column",
                "death_date",
                "--prefix",
                "death_",
            ],
        ]
        .concat(),
        Some(first.stdout.as_bytes()),
    );
    second.code(0);
    let mut reader = csv::Reader::from_reader(second.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |row: usize, column: &str| {
        let at = headers.iter().position(|h| h == column).unwrap();
        rows[row][at].to_string()
    };
    assert_eq!(headers.len(), 5 + 8 + 8, "{headers:?}");
    assert_eq!(cell(0, "birth_name"), "Stalingrad");
    assert_eq!(cell(0, "death_name"), "Tsaritsyn");
    assert_eq!(cell(0, "death_certainty"), "certain (approximate)");
    assert_eq!(cell(1, "birth_name"), "Tsaritsyn");
    assert_eq!(cell(1, "birth_status"), "ok");
    // Boris's death date is numeric: bad_date, and why.
    assert_eq!(cell(1, "death_status"), "bad_date");
    assert!(
        cell(1, "death_date_problem").contains("--date-order"),
        "{}",
        second.stdout
    );
    second.stderr_has("1 row with a date that could not be read: death_date_problem says why");
    // Without a prefix, the second run would add columns the file already has.
    dir.write("once.csv", &first.stdout);
    dir.run(
        &[
            &base[..],
            &[
                "once.csv",
                "--name-column",
                "birth_place",
                "--date",
                "1950",
                "--prefix",
                "birth_",
            ],
        ]
        .concat(),
    )
    .code(2)
    .stderr_has("already has a column 'birth_place_id'")
    .stderr_has("pass --prefix");
}

// #20
#[test]
fn resolve_writes_tsv_and_json_lines_and_refuses_the_rest() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    dir.write("people.csv", PEOPLE);
    let args = |format: &str| {
        vec![
            "--no-default-data",
            "--data",
            "d.csv",
            "--date-order",
            "dmy",
            "resolve",
            "people.csv",
            "--name-column",
            "death_place",
            "--date-column",
            "death_date",
            "--format",
            format.to_string().leak(),
        ]
    };
    let tsv = dir.run(&args("tsv"));
    tsv.code(0);
    let lines: Vec<&str> = tsv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "person\tbirth_place\tbirth_date\tdeath_place\tdeath_date\tgz_place_id\tgz_name\t\
         gz_current_name\tgz_match\tgz_name_period\tgz_certainty\tgz_status\tgz_date_problem"
    );
    assert!(
        lines[2]
            .starts_with("Boris\tTsaritsyn\t12 MAR 1890\tVolgograd\t03/12/1961\tv\tVolgograd\t"),
        "{}",
        tsv.stdout
    );
    let jsonl = dir.run(&args("jsonl"));
    jsonl.code(0);
    let rows: Vec<serde_json::Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{}", jsonl.stdout);
    assert_eq!(rows[1]["person"], "Boris");
    assert_eq!(rows[1]["death_date"], "03/12/1961");
    assert_eq!(rows[1]["gz_name"], serde_json::json!(["Volgograd"]));
    assert_eq!(rows[1]["gz_status"], "ok");
    assert_eq!(
        rows[0]["gz_certainty"],
        serde_json::json!(["certain (approximate)"])
    );
    for refused in ["table", "json"] {
        dir.run(&args(refused))
            .code(2)
            .stderr_has(&format!(
                "--format {refused} is not one that resolve writes"
            ))
            .stderr_has("it writes csv, tsv or jsonl");
    }
    run(&dir, &["lookup", "Volgograd", "--format", "jsonl"])
        .code(2)
        .stderr_has("--format jsonl is resolve's");
}

// #20: an interval in a data cell goes out to LPF with its EDTF, and comes back the same;
// its open end gives no day.
#[test]
fn intervals_in_cells_round_trip_through_lpf() {
    let dir = Dir::new();
    dir.write(
        "g.csv",
        "place_id,name,start,end\ng,Gedcomville,BEF 1890,BET 1920 AND 1925\n",
    );
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "g.csv",
        "export",
        "--format",
        "lpf",
    ]);
    out.code(0)
        .stdout_has("\"edtf\": \"../1890\"")
        .stdout_has("\"edtf\": \"1920/1925\"")
        .stdout_has("\"latest\": \"1890-12-31\"")
        .stdout_lacks("262");
    dir.write("g.geojson", &out.stdout);
    dir.run(&[
        "--no-default-data",
        "--data",
        "g.geojson",
        "lookup",
        "Gedcomville",
        "--format",
        "csv",
    ])
    .code(0)
    .stdout_has("g,Gedcomville,../1890,1920/1925,");
}
