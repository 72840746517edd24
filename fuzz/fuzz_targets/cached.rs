//! Differential: random small data and random (name, date) queries, answered through the
//! store (by resolve, lookup and at), and again with `--no-cache`: every answer (exit
//! status, stdout and stderr) must be the same.
//!
//! Real runs index only data of at least 1 MB left unchanged for 2 s; `cargo fuzz` builds
//! with `--cfg fuzzing`, where the stores are kept for data of any size and age (see
//! `src/store/validity.rs`). Each input gets a new cache folder, so no store outlives its data.
#![no_main]
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "../util.rs"]
mod util;

/// Names that share letters, cases, scripts and spellings, so that the tiers of matching
/// and homonyms come up often.
const NAMES: &[&str] = &[
    "Kirov",
    "kirov",
    "Vyatka",
    "Wjatka",
    "Tsaritsyn",
    "Zarizyn",
    "Stalingrad",
    "Volgograd",
    "Danzig",
    "Gdańsk",
    "Gdansk",
    "Königsberg",
    "Koenigsberg",
    "Sankt-Peterburg",
    "Санкт-Петербург",
    "St. Petersburg",
    "Saint Petersburg",
    "Eisenhüttenstadt",
    "Stalinstadt",
    "Foo",
];
const DATA_DATES: &[&str] = &[
    "",
    "1589",
    "1780",
    "1900",
    "1925-04-10",
    "1934",
    "1945~",
    "1961-11-10",
    "1961-11",
    "19XX",
    "XXXX",
    "-0044",
    "1800?",
    "1991",
];
const QUERY_DATES: &[&str] = &[
    "",
    "1600",
    "1800",
    "1900",
    "1925-04-09",
    "1925-04-10",
    "1934",
    "1950",
    "1961-11",
    "2000",
    "-0044",
    "44 BC",
    "1945~",
    "19XX",
    "1961-11-10",
];
const IDS: &[&str] = &["p1", "p2", "p3", "p4", "p5"];
const LANGS: &[&str] = &["en", "de", "ru", "pl", ""];
const TYPES: &[&str] = &["city", "town", "region", ""];
const COUNTRIES: &[&str] = &["RU", "PL", "DE", ""];

/// A value from the list, or now and then a short string of the input's own.
fn pick(u: &mut Unstructured, list: &[&str]) -> Result<String> {
    if u.ratio(1u8, 10)? {
        let s: &str = u.arbitrary()?;
        Ok(s.chars().take(16).collect())
    } else {
        Ok(u.choose(list)?.to_string())
    }
}

fn csv_of(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

/// One input: the data rows and the queries.
fn case(u: &mut Unstructured) -> Result<(Vec<u8>, Vec<(String, String)>)> {
    let mut rows = Vec::new();
    for _ in 0..u.int_in_range(1..=12)? {
        rows.push(vec![
            u.choose(IDS)?.to_string(),
            pick(u, NAMES)?,
            pick(u, DATA_DATES)?,
            pick(u, DATA_DATES)?,
            u.choose(LANGS)?.to_string(),
            u.choose(TYPES)?.to_string(),
            u.choose(COUNTRIES)?.to_string(),
        ]);
    }
    let header = [
        "place_id", "name", "start", "end", "lang", "type", "country",
    ];
    let mut queries = Vec::new();
    for _ in 0..u.int_in_range(1..=8)? {
        queries.push((pick(u, NAMES)?, pick(u, QUERY_DATES)?));
    }
    Ok((csv_of(&header, &rows), queries))
}

/// Exit status, stdout and stderr of one run.
fn answer(r: util::Run) -> (i32, Vec<u8>, String) {
    (r.code, r.stdout, r.stderr)
}

fuzz_target!(|input: &[u8]| {
    let Ok((data, queries)) = case(&mut Unstructured::new(input)) else {
        return;
    };
    let dir = util::dir("cached");
    let cache = dir.join("cache");
    let _ = std::fs::remove_dir_all(&cache);
    std::fs::create_dir_all(&cache).unwrap();
    let data_file = dir.join("d.csv");
    std::fs::write(&data_file, &data).unwrap();
    let rows: Vec<Vec<String>> = queries
        .iter()
        .map(|(n, d)| vec![n.clone(), d.clone()])
        .collect();
    let query_file = dir.join("q.csv");
    std::fs::write(&query_file, csv_of(&["name", "date"], &rows)).unwrap();
    let (data_file, query_file) = (data_file.to_str().unwrap(), query_file.to_str().unwrap());

    let cached = gazetteer::config::Terminal {
        cache_dir: Some(cache.clone()),
        ..Default::default()
    };
    let run = |args: &[&str], with_cache: bool| {
        let mut all = vec!["gazetteer", "--no-default-data", "--data", data_file];
        if !with_cache {
            all.push("--no-cache");
        }
        all.extend_from_slice(args);
        answer(util::run_with(&all, &cached))
    };
    let resolve = [
        "resolve",
        query_file,
        "--name-column",
        "name",
        "--date-column",
        "date",
    ];
    let full = run(&resolve, false);
    // The first run with the cache reads the data and writes the store; the second
    // answers from it.
    let writing = run(&resolve, true);
    let written = std::fs::read_dir(&cache).map_or(0, |d| d.count());
    let reading = run(&resolve, true);
    assert_eq!(full, writing, "resolve, writing the cache");
    assert_eq!(full, reading, "resolve, from the cache");
    // Clean data (no warning: only the summary on stderr) is always cached.
    if full.0 == 0 && full.2.lines().count() == 1 {
        assert!(written > 0, "clean data, and nothing cached: {}", full.2);
    }
    let clean = full.0 == 0 && full.2.lines().count() == 1;
    for (name, date) in queries.iter().take(3) {
        let args: Vec<&str> = if date.trim().is_empty() {
            vec!["lookup", name.as_str()]
        } else {
            vec!["at", date.as_str(), name.as_str()]
        };
        let full = run(&args, false);
        // The store `resolve` wrote answers lookup and at too; without it, the first run
        // writes it and the next reads it.
        let writing = run(&args, true);
        let stored = std::fs::read_dir(&cache).map_or(false, |d| {
            d.flatten()
                .any(|f| f.file_name().to_string_lossy().ends_with(".snap"))
        });
        let reading = run(&args, true);
        assert_eq!(full, writing, "{args:?}, with the store");
        assert_eq!(full, reading, "{args:?}, from the store");
        // (An empty name is refused before any data is read.)
        if clean && writing.0 != 2 {
            assert!(stored, "clean data, and no store: {}", writing.2);
        }
    }
});
