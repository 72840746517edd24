//! The persistent index of big `--data` files: it must give the answers a full read
//! gives, and never answer from a file that changed.

mod util;

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

fn index_files(dir: &Dir) -> usize {
    std::fs::read_dir(dir.path().join(".cache"))
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "idx")
            })
            .count()
        })
        .unwrap_or(0)
}

#[test]
fn an_index_gives_the_answers_a_full_read_gives() {
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
    assert_eq!(index_files(&dir), 0, "--no-cache wrote an index");
    // The first query builds the index, the others use it.
    for (q, expected) in queries.iter().zip(&full) {
        let mut args = vec!["--data", "big.csv"];
        args.extend_from_slice(q);
        let out = dir.run(&args);
        out.code(expected.code).stdout_is(&expected.stdout);
        assert_eq!(out.stderr, expected.stderr);
        assert_eq!(index_files(&dir), 1);
    }
    assert!(full[0].stdout.contains("Zweitname"), "{}", full[0].stdout);
    assert!(full[3].stdout.contains("Stalingrad"), "{}", full[3].stdout);
}

#[test]
fn an_index_is_never_used_for_a_changed_file() {
    let dir = Dir::new();
    let path = big_file(&dir, "a");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    dir.run(&["--data", "big.csv", "lookup", "Oldname5a"])
        .code(0)
        .stdout_has("New, name 5a");
    assert_eq!(index_files(&dir), 1);
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
fn invalid_or_fresh_files_are_not_indexed() {
    let dir = Dir::new();
    let path = big_file(&dir, "");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("p1,Bad,19999,,en,town,DE\n");
    dir.write("big.csv", &text);
    settle();
    dir.run(&["--skip-invalid", "--data", "big.csv", "lookup", "Oldname1"])
        .code(0);
    assert_eq!(index_files(&dir), 0, "indexed a file with an invalid row");
    // Valid, but modified just now: a later edit in the same tick could go unseen.
    big_file(&dir, "");
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(SystemTime::now()).unwrap();
    dir.run(&["--data", "big.csv", "lookup", "Oldname1"])
        .code(0);
    assert_eq!(index_files(&dir), 0, "indexed a file modified just now");
    // Modified just now, then dated back (`touch -d`): its change time still says now.
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    dir.run(&["--data", "big.csv", "lookup", "Oldname1"])
        .code(0);
    assert_eq!(
        index_files(&dir),
        0,
        "indexed a file whose change time is now"
    );
}

#[test]
fn a_blank_line_before_the_header_survives_the_index() {
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
fn an_index_is_used_only_with_the_inputs_it_was_validated_with() {
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
    assert!(index_files(&dir) >= 1);
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
