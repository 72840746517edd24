//! `gazetteer resolve`, run as a user runs it: every row out, in order, byte for byte,
//! with its answer; and on a big generated file, the same answers as a slow reference
//! written here from the definition of `at`.

use crate::util;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use util::Dir;

const DATA: &str = "place_id,name,start,end,lang\n\
a,Foo,1900-01-01,1950-06-01,en\n\
a,Bar,1950-06-01,,en\n\
b,foo,1800-01-01,1900-01-01,en\n\
c,Baz,,,en\n\
d,\"Comma, Town\",1700,,en\n\
e,Baz,1950,,en\n";

fn resolve(dir: &Dir, args: &[&str], stdin: Option<&[u8]>) -> util::Output {
    dir.write("d.csv", DATA);
    let mut all = vec!["--no-default-data", "--data", "d.csv", "resolve"];
    all.extend_from_slice(args);
    dir.run_with_stdin(&all, stdin)
}

/// The gz_ columns of each output row, parsed as CSV.
fn answers(out: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(out.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            r.iter()
                .skip(r.len() - 8)
                .take(7)
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn every_status_and_every_column() {
    let dir = Dir::new();
    // #15: the date chooses among the places that bore the name (Foo in 1920 is a's
    // alone: b's foo ended in 1900); a place that held it surely comes first (e's Baz,
    // before c's undated one); none held Foo in 1960 (out of period: a, called Bar then).
    let input = "id,name,date\n1,Foo,1920-01-01\n2,Bar,1960-01-01\n3,Bar,1800-01-01\n\
                 4,Nope,1900\n5,Baz,\n6,,1900\n7,Bar,19x\n8,comma town,1800\n\
                 9,Baz,1960\n10,Foo,1960\n";
    let out = resolve(
        &dir,
        &["-", "--name-column", "name", "--date-column", "date"],
        Some(input.as_bytes()),
    );
    out.code(0).stderr_has(
        "resolved 10 rows: 3 ok, 1 ambiguous, 1 out of period, 1 not found, 1 no name at date, 1 bad date, 1 no date, 1 empty name",
    );
    let rows = answers(&out.stdout);
    let want = [
        [
            "gz_place_id",
            "gz_name",
            "gz_current_name",
            "gz_match",
            "gz_name_period",
            "gz_certainty",
            "gz_status",
        ],
        [
            "a",
            "Foo",
            "Bar",
            "exact",
            "1900-01-01/1950-06-01",
            "certain",
            "ok",
        ],
        ["a", "Bar", "Bar", "exact", "1950-06-01/..", "certain", "ok"],
        [
            "a",
            "",
            "Bar",
            "exact",
            "1950-06-01/..",
            "",
            "no_name_at_date",
        ],
        ["", "", "", "", "", "", "not_found"],
        ["c|e", "|", "Baz|Baz", "exact|exact", "|", "|", "no_date"],
        ["", "", "", "", "", "", "empty_name"],
        ["a", "", "Bar", "exact", "", "", "bad_date"],
        [
            "d",
            "Comma, Town",
            "Comma, Town",
            "folded",
            "1700/..",
            "certain",
            "ok",
        ],
        [
            "e|c",
            "Baz|Baz",
            "Baz|Baz",
            "exact|exact",
            "1950/..|/..",
            "certain|undated",
            "ambiguous",
        ],
        [
            "a|b",
            "Bar|",
            "Bar|foo",
            "exact|folded",
            "1900-01-01/1950-06-01|1800-01-01/1900-01-01",
            "certain|",
            "out_of_period",
        ],
    ];
    assert_eq!(rows.len(), want.len(), "{}", out.stdout);
    for (got, want) in rows.iter().zip(want) {
        assert_eq!(got, &want.map(str::to_string), "{}", out.stdout);
    }
}

#[test]
fn rows_come_out_byte_for_byte_and_in_order() {
    let dir = Dir::new();
    // Quoted newlines and commas, a CRLF file with a byte order mark, odd spacing.
    let input = "\u{feff}note,place,when\r\n\"two\r\nlines, and a comma\",Bar,1960\r\n\
                 \"say \"\"hi\"\"\" ,  Foo ,1920-01-01\r\n,Baz,1900\r\n";
    let out = resolve(
        &dir,
        &["-", "--name-column", "place", "--date-column", "3"],
        Some(input.as_bytes()),
    );
    out.code(0);
    assert_eq!(
        out.stdout,
        "\u{feff}note,place,when,gz_place_id,gz_name,gz_current_name,gz_match,gz_name_period,gz_certainty,gz_status,gz_date_problem\r\n\
         \"two\r\nlines, and a comma\",Bar,1960,a,Bar,Bar,exact,1950-06-01/..,certain,ok,\r\n\
         \"say \"\"hi\"\"\" ,  Foo ,1920-01-01,a,Foo,Bar,exact,1900-01-01/1950-06-01,certain,ok,\r\n\
         ,Baz,1900,c,Baz,Baz,exact,/..,undated,ok,\r\n"
    );
}

#[test]
fn headerless_tab_separated_input_with_one_date_for_all() {
    let dir = Dir::new();
    dir.write("q.tsv", "x\tBar\ny\tNope\nz\tFoo\n");
    let out = resolve(
        &dir,
        &[
            "q.tsv",
            "--no-headers",
            "--delimiter",
            "\t",
            "--name-column",
            "2",
            "--date",
            "1960",
        ],
        None,
    );
    out.code(0);
    assert_eq!(
        out.stdout,
        "x\tBar\ta\tBar\tBar\texact\t1950-06-01/..\tcertain\tok\t\n\
         y\tNope\t\t\t\t\t\t\tnot_found\t\n\
         z\tFoo\ta|b\tBar|\tBar|foo\texact|folded\t1900-01-01/1950-06-01|1800-01-01/1900-01-01\tcertain|\tout_of_period\t\n"
    );
}

#[test]
fn broken_input_is_refused_with_its_place() {
    let dir = Dir::new();
    resolve(
        &dir,
        &["-", "--name-column", "town", "--date", "1960"],
        Some(b"name\nFoo\n"),
    )
    .code(2)
    .stderr_has("no column named 'town'");
    resolve(
        &dir,
        &["-", "--name-column", "name", "--date", "1960"],
        Some(b"name\nFoo\n\"Bar\n"),
    )
    .code(2)
    .stderr_has("<stdin>:3")
    .stderr_has("never closed")
    // The rows before it are answered; the one that swallowed the rest is not a row.
    .stdout_is("name,gz_place_id,gz_name,gz_current_name,gz_match,gz_name_period,gz_certainty,gz_status,gz_date_problem\nFoo,a|b,Bar|,Bar|foo,exact|folded,1900-01-01/1950-06-01|1800-01-01/1900-01-01,certain|,out_of_period,\n");
    resolve(
        &dir,
        &["-", "--name-column", "name", "--date", "1960"],
        Some(b""),
    )
    .code(2)
    .stderr_has("empty");
}

/// `resolve` over standard input against `d.csv`, with every stream piped, for tests that
/// read the output while it is written.
fn spawn_resolve(dir: &Dir, date: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_gazetteer"))
        .args([
            "--no-default-data",
            "--data",
            "d.csv",
            "resolve",
            "-",
            "--name-column",
            "name",
        ])
        .args(date)
        .current_dir(dir.path())
        .env("GAZETTEER_CACHE_DIR", dir.path().join(".cache"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_reader_that_goes_away_mid_stream_is_not_an_error() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    let mut input = String::from("name,date\n");
    for i in 0..200_000 {
        input.push_str(if i % 2 == 0 {
            "Foo,1920\n"
        } else {
            "Bar,1960\n"
        });
    }
    let mut child = spawn_resolve(&dir, &["--date-column", "date"]);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then closed
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(first.starts_with(b"name,date,gz_place_id"));
}

/// A small deterministic generator, so that the test needs no crate for randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn a_hundred_thousand_rows_agree_with_a_slow_reference() {
    // 3,000 places with 1 to 4 names of 400 distinct spellings (so many homonyms), each
    // name holding over whole days [start, end); dates as days.
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let syllables = ["ka", "lo", "mir", "sk", "an", "vo", "gr", "ad", "tse", "ny"];
    let spelling = |k: u64| -> String {
        let mut s = String::new();
        let mut k = k;
        for _ in 0..3 {
            s.push_str(syllables[(k % 10) as usize]);
            k /= 10;
        }
        s[..1].to_uppercase() + &s[1..]
    };
    let day = |y: u64, d: u64| format!("{:04}-{:02}-{:02}", y, d % 12 + 1, d % 28 + 1);
    // (place, name, start, end) with dates as sortable strings; "" for open.
    let mut names: Vec<(String, String, String, String)> = Vec::new();
    for p in 0..3000 {
        let id = format!("p{p:05}");
        let n = 1 + rng.next(4);
        let mut year = 1700 + rng.next(100);
        let mut start = if rng.next(5) == 0 {
            String::new()
        } else {
            day(year, rng.next(400))
        };
        for k in 0..n {
            let name = spelling(rng.next(400));
            let end = if k + 1 == n && rng.next(3) > 0 {
                String::new()
            } else {
                year += 1 + rng.next(80);
                day(year, rng.next(400))
            };
            names.push((id.clone(), name, start.clone(), end.clone()));
            start = end;
        }
    }
    // A long note makes the file big enough (over 1 MB) for the resolve cache.
    let mut data = String::from("place_id,name,start,end,lang,note\n");
    let note = "a note long enough to make this file bigger than the size at which caching starts "
        .repeat(2);
    for (id, name, s, e) in &names {
        data.push_str(&format!("{id},{name},{s},{e},en,{note}\n"));
    }
    let mut input = String::from("q,date\n");
    let mut queries = Vec::new();
    for _ in 0..100_000 {
        let name = if rng.next(10) == 0 {
            format!("Zz{}", rng.next(1000))
        } else {
            spelling(rng.next(400))
        };
        let name = if rng.next(4) == 0 {
            name.to_lowercase()
        } else {
            name
        };
        let date = day(1650 + rng.next(400), rng.next(400));
        input.push_str(&format!("{name},{date}\n"));
        queries.push((name, date));
    }
    let dir = Dir::new();
    let path = dir.write("big.csv", &data);
    assert!(data.len() > 1 << 20);
    dir.write("q.csv", &input);
    // A file changed in the last two seconds is not cached: date it back, and wait.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // The first run reads the data and writes the resolve cache, the second answers from
    // the cache: both must agree with the reference.
    for run in ["first", "from the cache"] {
        let out = dir.run(&[
            "--no-default-data",
            "--data",
            "big.csv",
            "resolve",
            "q.csv",
            "--name-column",
            "q",
            "--date-column",
            "date",
        ]);
        out.code(0);
        let snapshots = std::fs::read_dir(dir.path().join(".cache"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "snap")
            })
            .count();
        assert_eq!(snapshots, 1, "after the {run} run");
        agrees_with_reference(&names, &queries, &answers(&out.stdout), run);
    }
}

type Row = (String, String, String, String);

fn agrees_with_reference(
    names: &[Row],
    queries: &[(String, String)],
    got: &[Vec<String>],
    run: &str,
) {
    assert_eq!(got.len(), queries.len() + 1);
    // The reference's two lookups, built the plain way.
    let mut by_name: std::collections::HashMap<String, Vec<&str>> = Default::default();
    let mut by_place: std::collections::HashMap<&str, Vec<&Row>> = Default::default();
    for n in names {
        by_name.entry(n.1.to_lowercase()).or_default().push(&n.0);
        by_place.entry(&n.0).or_default().push(n);
    }
    for ((name, date), row) in queries.iter().zip(&got[1..]) {
        // Every place with a name equal to the query ignoring case, in id order; for
        // each, the names holding on the day: start <= day < end.
        let mut places: Vec<&str> = by_name
            .get(&name.to_lowercase())
            .cloned()
            .unwrap_or_default();
        places.sort();
        places.dedup();
        // How surely a name holds on the day (#15), surest first: 0 certain (start <=
        // day < end), 1 possible (an unknown start, before the end), 2 undated (no dates).
        let holds = |n: &Row| -> Option<u8> {
            let before_end = n.3.is_empty() || date.as_str() < n.3.as_str();
            match (n.2.is_empty(), n.3.is_empty()) {
                (true, true) => Some(2),
                (true, false) => before_end.then_some(1),
                (false, _) => (n.2.as_str() <= date.as_str() && before_end).then_some(0),
            }
        };
        // The surest names of a place on the day, in time order.
        let holding = |p: &str| -> Vec<&str> {
            let best = by_place[p].iter().filter_map(|n| holds(n)).min();
            by_place[p]
                .iter()
                .filter(|n| best.is_some() && holds(n) == best)
                .map(|n| n.1.as_str())
                .collect()
        };
        // Whether, and how surely, the place held the queried name on the day.
        let held = |p: &str| {
            by_place[p]
                .iter()
                .filter(|n| n.1.eq_ignore_ascii_case(name))
                .filter_map(|n| holds(n))
                .min()
        };
        let mut chosen: Vec<(u8, &str)> = places
            .iter()
            .filter_map(|p| held(p).map(|c| (c, *p)))
            .collect();
        chosen.sort_by_key(|c| c.0);
        let held_count = chosen.len();
        if chosen.is_empty() {
            // None held it then: the places that still bear the name come first (#18:
            // `lookup`'s order; these places have no population, so no other weight).
            let still = |p: &str| {
                by_place[p]
                    .iter()
                    .any(|n| n.1.eq_ignore_ascii_case(name) && n.3.is_empty())
            };
            chosen = places.iter().map(|p| (u8::from(!still(p)), *p)).collect();
            chosen.sort_by_key(|c| c.0);
        }
        let status = match held_count {
            _ if places.is_empty() => "not_found",
            0 if chosen.iter().all(|c| holding(c.1).is_empty()) => "no_name_at_date",
            0 => "out_of_period",
            1 => "ok",
            _ => "ambiguous",
        };
        // One value per place and name at the date, in both columns.
        let (mut ids, mut at) = (Vec::new(), Vec::new());
        for (_, p) in &chosen {
            let names = holding(p);
            if names.is_empty() {
                ids.push(*p);
                at.push("");
            }
            for n in names {
                ids.push(*p);
                at.push(n);
            }
        }
        assert_eq!(
            (row[0].as_str(), row[1].as_str(), row[6].as_str()),
            (ids.join("|").as_str(), at.join("|").as_str(), status),
            "query {name} at {date}, {run} run"
        );
    }
}

/// Ctrl-C (SIGINT) during a long run: the output stops after a whole row, the exit code is
/// 130, and stderr says how many rows were written.
#[cfg(unix)]
#[test]
fn ctrl_c_leaves_only_whole_rows() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    let mut child = spawn_resolve(&dir, &["--date", "1950"]);
    let mut stdin = child.stdin.take().unwrap();
    // Rows without end, until the program stops reading.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(b"name,note\n");
        let row = b"Foo,\"a note, with a comma\"\nComma Town,x\n".repeat(1000);
        while stdin.write_all(&row).is_ok() {}
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 1 << 16];
    while out.len() < 1 << 20 {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "output ended early");
        out.extend_from_slice(&buf[..n]);
    }
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    stdout.read_to_end(&mut out).unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    feeder.join().unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: "), "{stderr}");
    assert_eq!(out.last(), Some(&b'\n'), "the output ends inside a row");
    // Every row whole: the input's two columns and the seven appended ones.
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&out[..])
        .records()
        .map(Result::unwrap)
        .collect();
    assert!(rows.len() > 1000);
    for r in &rows {
        assert_eq!(r.len(), 10, "{r:?}");
    }
    let written: usize = stderr
        .split("interrupted: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a count of rows");
    assert_eq!(
        written + 1,
        rows.len(),
        "the count on stderr is the rows written"
    );
}

/// `resolve` of rows given on stdin, without a header: the name in column 1, the date in
/// column 2.
fn resolve_rows(dir: &Dir, input: &[u8]) -> util::Output {
    let args = [
        "-",
        "--no-headers",
        "--name-column",
        "1",
        "--date-column",
        "2",
    ];
    resolve(dir, &args, Some(input))
}

/// Found by fuzzing (`fuzz/fuzz_targets/resolve.rs`): a lone CR inside a row is data, not a
/// row end (rows end at LF, after an optional CR), so one row in gives one row out, its
/// bytes kept.
#[test]
fn a_lone_cr_is_data_not_a_row_end() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    let input = std::fs::read(util::fixture("resolve_lone_cr.csv")).unwrap();
    assert_eq!(input, b"z,\r!");
    let out = resolve_rows(&dir, &input);
    out.code(0).stderr_has("resolved 1 row:");
    // (#15: seven appended columns, gz_name_period among them; #20: and why the date
    // could not be read, here where no place was found.)
    assert_eq!(
        out.stdout,
        "z,\r!,,,,,,,not_found,'!' is not a date (unexpected character '!')\n"
    );
}

/// Found by fuzzing: a CR is data unless it ends a row (before its LF), also at the start
/// of a row and before a quote, which is then literal, as the csv reader takes it. Rows
/// kept byte for byte; the quote left open on the last line is reported, with its line.
/// (The second row has one field where the first has two: it is padded and marked
/// `ragged_row`, #14.)
#[test]
fn a_cr_at_the_start_of_a_row_or_before_a_quote_is_data() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    let input = std::fs::read(util::fixture("resolve_cr_quote.csv")).unwrap();
    assert_eq!(input, b",\xff\r\"\r\"\n\r\"\n\r\n\"\n");
    let out = resolve_rows(&dir, &input);
    out.code(2)
        .stderr_has(":4: a quoted field opened on this line is never closed");
    assert_eq!(
        out.stdout.as_bytes(),
        // (#15: seven appended columns, gz_name_period among them; #14: the one-field row
        // after a two-field header is ragged, padded to two.)
        // #20: and gz_date_problem, the date of the first row being no date.
        b",\xef\xbf\xbd\r\"\r\",,,,,,,empty_name,\"'\xef\xbf\xbd\r\"\"\r\"\"' is not a date (unexpected character '\xef\xbf\xbd')\"\n\r\",,,,,,,,ragged_row,\n".as_slice(),
    );
}

/// Found by fuzzing: the byte-order mark is passed through, and a second one alone on its
/// line (which the csv reader drops, leaving a blank line) is a blank line: not a row, and
/// not written out as part of the next row.
#[test]
fn a_second_byte_order_mark_on_its_own_line_is_a_blank_line() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    let input = b"\xEF\xBB\xBF\xEF\xBB\xBF\nStalingrad,1950\n";
    let out = resolve_rows(&dir, input);
    out.code(0).stderr_has("resolved 1 row:");
    assert!(
        out.stdout.starts_with("\u{feff}Stalingrad,1950,"),
        "{:?}",
        out.stdout
    );
    assert_eq!(out.stdout.lines().count(), 1, "{:?}", out.stdout);
    // The same with CRLF line ends.
    let crlf = b"\xEF\xBB\xBF\xEF\xBB\xBF\r\nStalingrad,1950\r\n";
    let out = resolve_rows(&dir, crlf);
    out.code(0).stderr_has("resolved 1 row:");
    assert_eq!(out.stdout.lines().count(), 1, "{:?}", out.stdout);
    // Further on, a byte-order mark is data: its line is a row, as the reader takes it.
    let later = b"x,1\n\xEF\xBB\xBF\nStalingrad,1950\n";
    let out = resolve_rows(&dir, later);
    out.code(0).stderr_has("resolved 3 rows:");
    assert_eq!(out.stdout.lines().count(), 3, "{:?}", out.stdout);
    // A quote right after the dropped mark opens a field, for the reader as for the
    // check that finds quotes left open.
    let quote = b"\xEF\xBB\xBF\xEF\xBB\xBF\"never closed\nStalingrad\n";
    let out = resolve(
        &dir,
        &["-", "--no-headers", "--name-column", "1", "--date", "1950"],
        Some(quote),
    );
    out.code(2)
        .stderr_has("<stdin>:1: a quoted field opened on this line is never closed");
}

/// Every status `resolve` writes.
const STATUSES: [&str; 9] = [
    "ok",
    "ambiguous",
    "out_of_period",
    "not_found",
    "no_name_at_date",
    "bad_date",
    "no_date",
    "empty_name",
    "ragged_row",
];

/// Reads `resolve`'s output as a CSV reader that takes rows of any length does, and checks
/// that under every gz_ header of every row stands a value of that column: the status is a
/// status, and no input field stands under gz_place_id.
fn gz_columns_stand_under_their_headers(out: &str, width: usize) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(out.as_bytes());
    for (i, row) in reader.records().enumerate() {
        let row = row.unwrap();
        assert!(row.len() >= width + 7, "row {i}: {row:?}");
        let status = &row[width + 6];
        if i == 0 && status == "gz_status" {
            continue;
        }
        assert!(STATUSES.contains(&status), "row {i}: {row:?}");
        if status == "ragged_row" {
            let gz: Vec<&str> = row.iter().skip(width).take(6).collect();
            assert_eq!(gz, ["", "", "", "", "", ""], "row {i}: {row:?}");
        }
    }
}

// #14
#[test]
fn ragged_rows_are_marked_and_keep_the_gz_columns_under_their_headers() {
    let dir = Dir::new();
    let input = "name,date\nFoo,1920-01-01,extra\nFoo\nBar,1960-01-01\n\
                 \"a\"\"b\",1900,\"x,\ny\",z\nBaz,\n";
    dir.write("in.csv", input);
    let out = resolve(
        &dir,
        &["in.csv", "--name-column", "name", "--date-column", "date"],
        None,
    );
    // A long row's extra fields follow the gz_ columns; a short row is padded.
    out.code(0).stdout_is(
        "name,date,gz_place_id,gz_name,gz_current_name,gz_match,gz_name_period,gz_certainty,gz_status,gz_date_problem\n\
         Foo,1920-01-01,,,,,,,ragged_row,,extra\n\
         Foo,,,,,,,,ragged_row,\n\
         Bar,1960-01-01,a,Bar,Bar,exact,1950-06-01/..,certain,ok,\n\
         \"a\"\"b\",1900,,,,,,,ragged_row,,\"x,\ny\",z\n\
         Baz,,c|e,|,Baz|Baz,exact|exact,|,|,no_date,\n",
    );
    out.stderr_has(
        "gazetteer: in.csv:2: warning: 3 fields where the header has 2 (and 2 more rows): \
         such a row is not looked up, its gz_status is ragged_row",
    )
    .stderr_has("--strict")
    .stderr_has("resolved 5 rows: 1 ok, 0 ambiguous, 0 out of period, 0 not found, 0 no name at date, 0 bad date, 1 no date, 0 empty name, 3 ragged row");
    gz_columns_stand_under_their_headers(&out.stdout, 2);
    // A reader that requires rows of equal length refuses the long rows rather than
    // reading their extra fields as answers.
    let strict = csv::Reader::from_reader(out.stdout.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>();
    assert!(strict.is_err(), "{strict:?}");
}

// #14
#[test]
fn without_headers_the_first_row_sets_the_width() {
    let dir = Dir::new();
    let out = resolve_rows(&dir, b"Foo,1920-01-01\nFoo\nFoo\t,1920-01-01,x\n");
    out.code(0)
        .stdout_is(
            "Foo,1920-01-01,a,Foo,Bar,exact,1900-01-01/1950-06-01,certain,ok,\n\
             Foo,,,,,,,,ragged_row,\n\
             Foo\t,1920-01-01,,,,,,,ragged_row,,x\n",
        )
        .stderr_has("<stdin>:2: warning: 1 field where the first row has 2 (and 1 more row)")
        .stderr_has("2 ragged row");
    // A tab-separated file of three columns: a row with a comma in a field is no ragged row.
    let out = resolve(
        &dir,
        &[
            "-",
            "--delimiter",
            "tab",
            "--no-headers",
            "--name-column",
            "2",
            "--date",
            "1920",
        ],
        Some(b"1\tFoo\tx\n2\tBar, Foo\ty\n3\tBar\n"),
    );
    out.code(0)
        .stdout_is(
            "1\tFoo\tx\ta\tFoo\tBar\texact\t1900-01-01/1950-06-01\tcertain\tok\t\n\
             2\tBar, Foo\ty\t\t\t\t\t\t\tnot_found\t\n\
             3\tBar\t\t\t\t\t\t\t\tragged_row\t\n",
        )
        .stderr_has("<stdin>:3: warning: 2 fields where the first row has 3:");
}

// #14
#[test]
fn strict_stops_at_the_first_ragged_row_with_its_place() {
    let dir = Dir::new();
    dir.write(
        "in.csv",
        "name,date\nBar,1960\n\"Comma, Town\",1800\nComma, Town,1800\nBar,1960\n",
    );
    let out = resolve(
        &dir,
        &[
            "in.csv",
            "--name-column",
            "name",
            "--date-column",
            "date",
            "--strict",
        ],
        None,
    );
    // The rows before it are answered; nothing after it is written.
    out.code(2)
        .stdout_is(
            "name,date,gz_place_id,gz_name,gz_current_name,gz_match,gz_name_period,gz_certainty,gz_status,gz_date_problem\n\
             Bar,1960,a,Bar,Bar,exact,1950-06-01/..,certain,ok,\n\
             \"Comma, Town\",1800,d,\"Comma, Town\",\"Comma, Town\",exact,1700/..,certain,ok,\n",
        )
        .stderr_has(
            "gazetteer: in.csv:4: 3 fields where the header has 2: quote the fields that hold \
             the delimiter ','",
        );
    assert!(
        !out.stderr.contains("gazetteer: resolved"),
        "{}",
        out.stderr
    );
}

// #14: rows are answered in batches of 16,384 on several threads; ragged rows in a later
// batch come out as in a small input, and --strict stops there with the right line.
#[test]
fn ragged_rows_in_a_big_input_are_handled_as_in_a_small_one() {
    let dir = Dir::new();
    let ragged = [7usize, 16_383, 16_384, 16_385, 30_001, 39_999];
    let mut input = String::from("name,date\n");
    for i in 0..40_000 {
        if i == 16_385 {
            input.push_str("Foo\n");
        } else if ragged.contains(&i) {
            input.push_str(&format!("Bar,1960,{i}\n"));
        } else {
            input.push_str("Bar,1960\n");
        }
    }
    dir.write("big.csv", &input);
    let args = ["big.csv", "--name-column", "name", "--date-column", "date"];
    let out = resolve(&dir, &args, None);
    out.code(0)
        .stderr_has("big.csv:9: warning: 3 fields where the header has 2 (and 5 more rows)")
        .stderr_has("resolved 40000 rows: 39994 ok, ")
        .stderr_has(", 6 ragged row");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 40_001);
    for (i, line) in lines[1..].iter().enumerate() {
        let want = if i == 16_385 {
            "Foo,,,,,,,,ragged_row,".to_string()
        } else if ragged.contains(&i) {
            format!("Bar,1960,,,,,,,ragged_row,,{i}")
        } else {
            "Bar,1960,a,Bar,Bar,exact,1950-06-01/..,certain,ok,".to_string()
        };
        assert_eq!(*line, want, "row {i}");
    }
    gz_columns_stand_under_their_headers(&out.stdout, 2);

    let mut strict = args.to_vec();
    strict.push("--strict");
    let out = resolve(&dir, &strict, None);
    out.code(2)
        .stderr_has("big.csv:9: 3 fields where the header has 2");
    assert_eq!(
        out.stdout.lines().count(),
        8,
        "the header and the 7 rows before"
    );
    // The first ragged row in a later batch.
    let late = input.replacen("Bar,1960,7\n", "Bar,1960\n", 1);
    dir.write("big.csv", &late);
    let out = resolve(&dir, &strict, None);
    out.code(2)
        .stderr_has("big.csv:16385: 3 fields where the header has 2");
    assert_eq!(out.stdout.lines().count(), 16_384);
}

// #15: multi-valued fields are joined by `|`; a `|` (or `\`) inside a value is escaped, so
// the values of a place id or a name that holds one can still be told apart.
#[test]
fn a_separator_inside_a_value_is_escaped() {
    let dir = Dir::new();
    dir.write(
        "pipe.csv",
        "place_id,name,start,source\nmy|a,Foo|Bar,1900,s\nmy-b,Foo|Bar,1900,s\nmy\\c,Foo|Bar,1900,s\n",
    );
    dir.write("in.csv", "n,d\nFoo|Bar,1950\n");
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "pipe.csv",
        "resolve",
        "in.csv",
        "--name-column",
        "n",
        "--date-column",
        "d",
    ]);
    out.code(0).stdout_has(
        "Foo|Bar,1950,my-b|my\\\\c|my\\|a,Foo\\|Bar|Foo\\|Bar|Foo\\|Bar,Foo\\|Bar|Foo\\|Bar|Foo\\|Bar,exact|exact|exact,",
    );
}

/// A blank line is no row, so the output has none for it: the run says how many it
/// skipped and where the first was, so that lining the output up with the input's lines is
/// not silently off. A blank line at the very end shifts nothing and is not counted.
#[test]
fn blank_lines_between_rows_are_counted_and_said() {
    let dir = Dir::new();
    let input = b"\nFoo,1920\n\n   \nBar,1960\n\n";
    let out = resolve_rows(&dir, input);
    out.code(0)
        .stderr_has("resolved 2 rows:")
        .stderr_has("<stdin>: 3 blank lines skipped (the first at line 1)");
    assert_eq!(out.stdout.lines().count(), 2, "{:?}", out.stdout);
    let out = resolve_rows(&dir, b"Foo,1920\r\n\r\nBar,1960\r\n");
    out.code(0)
        .stderr_has("<stdin>: 1 blank line skipped (the first at line 2)");
    resolve_rows(&dir, b"Foo,1920\nBar,1960\n\n")
        .code(0)
        .stderr_lacks("blank line");
}
