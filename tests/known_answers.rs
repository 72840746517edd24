//! The known-answers table (issues #2, #3): for every row of `tests/known/*.csv`,
//! `gazetteer at DATE QUERY` on the built-in data must name EXPECTED, for certain, for
//! the expected place. Each row carries the source that states the answer.

mod util;

use std::path::Path;

#[derive(Debug, serde::Deserialize)]
struct Known {
    query: String,
    date: String,
    calendar: String,
    expected: String,
    place_id: String,
    source: String,
}

fn known_rows() -> Vec<(String, Known)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/known exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for f in files {
        let mut reader = csv::Reader::from_path(&f).expect("readable known-answers file");
        for (i, row) in reader.deserialize::<Known>().enumerate() {
            let row = row.unwrap_or_else(|e| panic!("{}: row {}: {e}", f.display(), i + 2));
            rows.push((
                format!("{}:{}", f.file_name().unwrap().to_string_lossy(), i + 2),
                row,
            ));
        }
    }
    rows
}

#[test]
fn every_known_answer_holds_on_the_builtin_data() {
    let rows = known_rows();
    assert!(
        rows.len() >= 60,
        "the table should hold at least 60 known answers, has {}",
        rows.len()
    );
    let dir = util::Dir::new();
    let mut failures = Vec::new();
    for (at, k) in &rows {
        assert!(
            k.source.starts_with("http"),
            "{at}: every known answer needs its source URL"
        );
        let out = dir.run(&[
            "at",
            &k.date,
            "--calendar",
            &k.calendar,
            "--format",
            "csv",
            &k.query,
        ]);
        if out.code != 0 {
            failures.push(format!(
                "{at}: {k:?}: exit {} {}",
                out.code,
                out.stderr.trim()
            ));
            continue;
        }
        let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
        let headers = reader.headers().expect("header").clone();
        let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
        let (pid, name, certainty) = (col("place_id"), col("name"), col("certainty"));
        let hit = reader.records().map(|r| r.expect("csv row")).any(|r| {
            (k.place_id.is_empty() || r[pid] == *k.place_id)
                && r[name] == *k.expected
                && &r[certainty] == "certain"
        });
        if !hit {
            failures.push(format!("{at}: {k:?}: got\n{}", out.stdout));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} known answers failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
