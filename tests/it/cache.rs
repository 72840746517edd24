//! The store of big `--data` files, which `lookup`, `at` and `resolve` answer from: it
//! must give the answers a full read gives, and never answer from a file that changed.

use crate::util;

use std::time::{Duration, SystemTime};
use util::Dir;

/// A data file over the indexing threshold, with names that depend on `tag`, its
/// modification time set in the past, and left to settle (a file changed in the last
/// seconds is not indexed).
fn big_file(dir: &Dir, tag: &str) -> std::path::PathBuf {
    let mut csv = String::from("place_id,name,start,end,lang,type,country\n");
    for i in 0..12_000 {
        csv.push_str(&format!(
            "p{i},Oldname{i}{tag},1800,1900-0{}-1{},en,town,DE\n\"p{i}\",\"New, name {i}{tag}\",1900-0{}-1{},,en,town,DE\n",
            i % 9 + 1,
            i % 10,
            i % 9 + 1,
            i % 10
        ));
    }
    // One place with a row far from the others, and one that extends a built-in place.
    csv.push_str("p7,Zweitname,1850,1860,de,town,DE\n");
    let path = dir.write("big.csv", &csv);
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    settle();
    path
}

/// Waits until the file's change time is over two seconds old: a file changed more
/// recently is not indexed (setting the modification time back changes the change time).
fn settle() {
    std::thread::sleep(Duration::from_millis(2100));
}

#[test]
fn the_store_gives_lookup_and_at_the_answers_a_full_read_gives() {
    let dir = Dir::new();
    big_file(&dir, "");
    let queries: [&[&str]; 5] = [
        &["lookup", "Oldname7"],
        &["at", "1855", "New, name 7"],
        &["--format", "json", "lookup", "new name 11999"],
        &["at", "1958", "Volgograd"],
        &["--format", "csv", "at", "1899", "Oldname4242"],
    ];
    let full: Vec<_> = queries
        .iter()
        .map(|q| {
            let mut args = vec!["--no-cache", "--data", "big.csv"];
            args.extend_from_slice(q);
            dir.run(&args)
        })
        .collect();
    assert_eq!(snapshots(&dir).len(), 0, "--no-cache wrote a store");
    // The first query builds the store, the others use it.
    for (q, expected) in queries.iter().zip(&full) {
        let mut args = vec!["--data", "big.csv"];
        args.extend_from_slice(q);
        let out = dir.run(&args);
        out.code(expected.code).stdout_is(&expected.stdout);
        assert_eq!(out.stderr, expected.stderr);
        assert_eq!(snapshots(&dir).len(), 1);
    }
    assert!(full[0].stdout.contains("Zweitname"), "{}", full[0].stdout);
    assert!(full[3].stdout.contains("Stalingrad"), "{}", full[3].stdout);
}

#[test]
fn a_store_is_never_used_for_a_changed_file() {
    let dir = Dir::new();
    let path = big_file(&dir, "a");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    dir.run(&["--data", "big.csv", "lookup", "Oldname5a"])
        .code(0)
        .stdout_has("New, name 5a");
    assert_eq!(snapshots(&dir).len(), 1);
    // Same size, same modification time, other names: only the change time differs.
    big_file(&dir, "b");
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(mtime).unwrap();
    dir.run(&["--data", "big.csv", "lookup", "Oldname5b"])
        .code(0)
        .stdout_has("New, name 5b");
    dir.run(&["--data", "big.csv", "lookup", "Oldname5a"])
        .code(1);
}

#[test]
fn invalid_or_fresh_files_get_no_store() {
    let dir = Dir::new();
    let path = big_file(&dir, "");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("p1,Bad,19999,,en,town,DE\n");
    dir.write("big.csv", &text);
    settle();
    dir.run(&["--skip-invalid", "--data", "big.csv", "lookup", "Oldname1"])
        .code(0);
    assert_eq!(
        snapshots(&dir).len(),
        0,
        "a store of a file with an invalid row"
    );
    // Valid, but modified just now: a later edit in the same tick could go unseen.
    // A file read more than two seconds after its change may get a store: on a machine so busy
    // that the run took that long, these two checks cannot tell, and say so.
    let fresh = Duration::from_millis(1900);
    big_file(&dir, "");
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    let changed = std::time::Instant::now();
    f.set_modified(SystemTime::now()).unwrap();
    dir.run(&["--data", "big.csv", "lookup", "Oldname1"])
        .code(0);
    if changed.elapsed() < fresh {
        assert_eq!(
            snapshots(&dir).len(),
            0,
            "a store of a file modified just now"
        );
    } else {
        eprintln!("inconclusive: the run ended over two seconds after the change");
    }
    // Modified just now, then dated back (`touch -d`): its change time still says now.
    let changed = std::time::Instant::now();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    dir.run(&["--data", "big.csv", "lookup", "Oldname1"])
        .code(0);
    if changed.elapsed() < fresh {
        assert_eq!(
            snapshots(&dir).len(),
            0,
            "a store of a file whose change time is now"
        );
    } else {
        eprintln!("inconclusive: the run ended over two seconds after the change");
    }
}

#[test]
fn a_blank_line_before_the_header_survives_the_store() {
    let dir = Dir::new();
    let path = big_file(&dir, "");
    let text = std::fs::read_to_string(&path).unwrap();
    dir.write("big.csv", format!(" \r\n{text}"));
    settle();
    let first = dir.run(&["--data", "big.csv", "lookup", "Oldname5"]);
    first.code(0).stdout_has("New, name 5");
    let again = dir.run(&["--data", "big.csv", "lookup", "Oldname5"]);
    again.code(0).stdout_is(&first.stdout);
}

#[test]
fn a_store_is_used_only_with_the_inputs_it_was_validated_with() {
    let dir = Dir::new();
    big_file(&dir, "");
    // Another file that gives a place of big.csv another type: together they are invalid.
    dir.write("other.csv", "place_id,name,type\np7,Third,river\n");
    dir.run(&[
        "--no-default-data",
        "--data",
        "big.csv",
        "lookup",
        "Oldname7",
    ])
    .code(0);
    dir.run(&["--data", "big.csv", "lookup", "Oldname7"])
        .code(0);
    assert!(!snapshots(&dir).is_empty());
    dir.run(&[
        "--data",
        "big.csv",
        "--data",
        "other.csv",
        "lookup",
        "Oldname7",
    ])
    .code(2)
    .stderr_has("conflicts with");
}

fn snapshots(dir: &Dir) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir.path().join(".cache"))
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "snap"))
                .collect()
        })
        .unwrap_or_default()
}

/// `resolve` of q.csv against big.csv (and the built-in data).
const RESOLVE: [&str; 8] = [
    "--data",
    "big.csv",
    "resolve",
    "q.csv",
    "--name-column",
    "name",
    "--date-column",
    "date",
];

/// Queries of every tier and status, against big.csv and the built-in data together.
const QUERIES: &str = "name,date\n\
Oldname7,1850\n\
oldname7,1850\n\
\"New, name 7\",1950\n\
Oldname7,1950\n\
Сталинград,1950\n\
Sankt-Peterburg,2000\n\
Oldname7,1700\n\
Zarizyn,1900\n\
Koenigsberg,1930\n\
Stalinobad,1950\n\
Stalingrd,1950\n\
Nowhere at all,1950\n\
,1950\n\
Oldname8,19x1\n\
Oldname9,\n\
Kirov,1950\n\
...,1950\n\
Zweitname,1855\n";

#[test]
fn the_resolve_cache_gives_the_answers_a_full_read_gives() {
    let dir = Dir::new();
    big_file(&dir, "");
    dir.write("q.csv", QUERIES);
    let runs: [&[&str]; 4] = [&[], &["--type", "town"], &["--country", "RU"], &["--fuzzy"]];
    for extra in runs {
        let mut args = vec!["--data", "big.csv"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&RESOLVE[2..]);
        let mut full = vec!["--no-cache"];
        full.extend_from_slice(&args);
        let expected = dir.run(&full);
        expected.code(0);
        // The first run writes the cache (once: later runs find it), then it is used.
        for _ in 0..2 {
            let out = dir.run(&args);
            out.code(0).stdout_is(&expected.stdout);
            assert_eq!(out.stderr, expected.stderr);
            assert_eq!(snapshots(&dir).len(), 1);
        }
    }
    // The rows above meet every tier and every status.
    let expected = dir.run(&[&["--no-cache"], &RESOLVE[..]].concat());
    for needle in [
        ",exact,",
        ",folded,",
        ",transliterated,",
        ",variant,",
        ",ok,\n",
        ",ambiguous,\n",
        ",not_found,\n",
        ",no_name_at_date,\n",
        ",bad_date,'19x1' is not a date",
        ",no_date,\n",
        ",empty_name,\n",
    ] {
        expected.stdout_has(needle);
    }
}

#[test]
fn a_changed_file_gets_a_new_resolve_cache_and_the_old_one_goes() {
    let dir = Dir::new();
    let path = big_file(&dir, "a");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    dir.write("q.csv", "name,date\nOldname5a,1850\nOldname5b,1850\n");
    let args = RESOLVE;
    dir.run(&args).code(0);
    let first = snapshots(&dir);
    assert_eq!(first.len(), 1);
    let out = dir.run(&args);
    out.code(0).stdout_has("Oldname5a,1850,p5,Oldname5a,");
    // (#15: seven appended columns, gz_name_period among them.)
    out.stdout_has("Oldname5b,1850,,,,,,,not_found");
    // Same size, same modification time, other names: only the change time differs.
    big_file(&dir, "b");
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(mtime).unwrap();
    settle();
    let out = dir.run(&args);
    out.code(0).stdout_has("Oldname5b,1850,p5,Oldname5b,");
    out.stdout_has("Oldname5a,1850,,,,,,,not_found");
    let second = snapshots(&dir);
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(first, second);
}

// #17: a damaged store is found on opening, wherever the damage is: the data is read
// instead, the answer is the same, the run succeeds, and the store is made again. (It
// used to be found only when a damaged place was read, and the run then failed.)
#[test]
fn a_damaged_resolve_cache_is_ignored_and_made_again() {
    let dir = Dir::new();
    big_file(&dir, "");
    dir.write("q.csv", QUERIES);
    let args = RESOLVE;
    let expected = dir.run(&args);
    expected.code(0);
    let snap = snapshots(&dir).pop().expect("a resolve cache");
    let good = std::fs::read(&snap).unwrap();
    assert!(good.len() > 200_000);
    // In the place records (the first section, after the 64-byte prelude), in the middle,
    // and in the footer at the end.
    for at in [200, good.len() / 2, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x10;
        std::fs::write(&snap, &bad).unwrap();
        let out = dir.run(&args);
        out.code(0).stdout_is(&expected.stdout);
        assert_eq!(out.stderr, expected.stderr, "damage at {at}");
        assert_eq!(
            std::fs::read(&snap).unwrap(),
            good,
            "made again, damage at {at}"
        );
    }
}

// #17: `lookup` and `at` check each chunk of the store they read: a store damaged in every
// chunk is found whatever the query reads, the data is read instead, the answer is the
// same, the run succeeds, and the store is made again.
#[test]
fn a_damaged_store_is_passed_over_by_lookup_and_at() {
    let dir = Dir::new();
    big_file(&dir, "");
    let queries: [&[&str]; 3] = [
        &["--data", "big.csv", "lookup", "Oldname7"],
        &["--data", "big.csv", "at", "1855", "New, name 7"],
        &["--data", "big.csv", "lookup", "Oldnme7"],
    ];
    let expected: Vec<_> = queries.iter().map(|q| dir.run(q)).collect();
    let snap = snapshots(&dir).pop().expect("a store");
    let good = std::fs::read(&snap).unwrap();
    assert!(good.len() > 200_000);
    for (q, want) in queries.iter().zip(&expected) {
        // One bit in every 64 KiB, past the 64-byte prelude.
        let mut bad = good.clone();
        for at in (100..bad.len()).step_by(1 << 16) {
            bad[at] ^= 0x10;
        }
        std::fs::write(&snap, &bad).unwrap();
        let out = dir.run(q);
        out.code(want.code).stdout_is(&want.stdout);
        assert_eq!(out.stderr, want.stderr, "{q:?}");
        assert_eq!(std::fs::read(&snap).unwrap(), good, "made again: {q:?}");
    }
}
