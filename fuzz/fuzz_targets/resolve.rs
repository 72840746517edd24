//! `resolve` over arbitrary input, run as the binary runs it (through `gazetteer::run`) against a
//! small data file: never panics, exits 0 or 2, and on 0 writes exactly one line of output
//! per row the summary counts, each with its gz_ columns under their headers.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;

const DATA: &str = "place_id,name,start,end,lang\n\
v,Tsaritsyn,1589,1925-04-10,en\nv,Stalingrad,1925-04-10,1961-11-10,en\n\
v,Volgograd,1961-11-10,,en\nk,Kirov,1934,,en\nk2,Kirov,1936,,en\n";

/// Every status `resolve` writes.
const STATUSES: [&str; 8] = [
    "ok",
    "ambiguous",
    "not_found",
    "no_name_at_date",
    "bad_date",
    "no_date",
    "empty_name",
    "ragged_row",
];

fuzz_target!(|input: &[u8]| {
    let dir = std::env::temp_dir().join(format!("gz-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let data = dir.join("d.csv");
    let rows = dir.join("in.csv");
    std::fs::write(&data, DATA).unwrap();
    std::fs::write(&rows, input).unwrap();
    let terminal = gazetteer::config::Terminal::default();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = gazetteer::run(
        [
            "gazetteer",
            "--no-default-data",
            "--no-cache",
            "--data",
            data.to_str().unwrap(),
            "resolve",
            rows.to_str().unwrap(),
            "--no-headers",
            "--name-column",
            "1",
            "--date-column",
            "2",
        ],
        &terminal,
        &mut out,
        &mut err,
    );
    let code = code as i32;
    let stderr = String::from_utf8_lossy(&err);
    assert!(code == 0 || code == 2, "exit {code}: {stderr}");
    if code == 0 {
        let summary = stderr.lines().last().unwrap_or_default();
        let n: usize = summary
            .split_whitespace()
            .nth(2)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no summary: {stderr}"));
        // Rows may hold quoted line ends: count records, not lines. Rows end at LF, as
        // resolve reads them (a lone CR is data; the first crash this target found was this
        // harness counting it as a row end).
        let records: Vec<csv::ByteRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(&out[..])
            .byte_records()
            .collect::<Result<_, _>>()
            .expect("the output is CSV");
        assert_eq!(records.len(), n, "one output record per input row");
        // Whatever the number of fields of a row, its gz_ columns stand where the first
        // row's do (#14): the status is always the sixth field after the first row's width.
        if let Some(first) = records.first() {
            let width = first.len() - 6;
            for r in &records {
                // (A row that ended in CRLF ends so again: this reader keeps the CR.)
                let status = r
                    .get(width + 5)
                    .map(|s| {
                        if width + 6 == r.len() {
                            s.strip_suffix(b"\r").unwrap_or(s)
                        } else {
                            s
                        }
                    })
                    .map(String::from_utf8_lossy);
                assert!(
                    status.as_deref().is_some_and(|s| STATUSES.contains(&s)),
                    "no status at field {}: {r:?}",
                    width + 6
                );
            }
        }
    }
    let _ = std::io::stderr().flush();
});
