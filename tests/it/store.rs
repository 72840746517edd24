//! The store kept between runs (#17): whatever sits at a store's path, and whatever keeps
//! a store from being written, a run answers as it would without one, and exits 0.

use crate::util;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use util::Dir;

/// A data file over the store threshold (1 MB), dated an hour back and left to settle.
fn big_file(dir: &Dir) {
    let mut csv = String::from("place_id,name,start,end,lang,type,country\n");
    for i in 0..20_000 {
        csv.push_str(&format!(
            "p{i},Oldname{i},1800,1900,en,town,DE\np{i},Newname{i},1900,,en,town,DE\n"
        ));
    }
    let path = dir.write("big.csv", &csv);
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    std::thread::sleep(Duration::from_millis(2100));
}

const QUERIES: &str = "name,date\nOldname7,1850\nNewname12,1950\nOldnme7,1850\nNowhere,1900\n";

/// Each command the store serves: lookup, at and resolve, each on a hit and a miss.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["--data", "big.csv", "lookup", "Oldname7"],
        vec!["--data", "big.csv", "at", "1950", "Newname12"],
        vec!["--data", "big.csv", "lookup", "Oldnme7"],
        vec![
            "--data",
            "big.csv",
            "resolve",
            "q.csv",
            "--name-column",
            "name",
            "--date-column",
            "date",
        ],
        // #17: the closest spellings, from the store's table of near keys.
        vec![
            "--data",
            "big.csv",
            "resolve",
            "q.csv",
            "--name-column",
            "name",
            "--date-column",
            "date",
            "--fuzzy",
        ],
    ]
}

/// Runs the binary through `sh -c SCRIPT` (the binary is `$0`), with the test's cache
/// folder, and fails the test if it has not ended after five minutes (a hang is forever;
/// a debug build on a loaded machine took over 30 seconds). The outputs are small: they
/// fit in the pipes' buffers, so the run cannot wait on them.
fn run_sh(dir: &Dir, script: &str, args: &[&str], cache: &std::path::Path) -> util::Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_gazetteer"))
        .args(args)
        .current_dir(dir.path())
        .env("GAZETTEER_CACHE_DIR", cache)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("{args:?} still running after 300 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    util::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

fn stores(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut all: Vec<_> = std::fs::read_dir(cache)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    all.sort();
    all
}

/// What each command answers with `--no-cache`.
fn expected(dir: &Dir) -> Vec<util::Output> {
    commands()
        .iter()
        .map(|c| dir.run(&[&["--no-cache"], &c[..]].concat()))
        .collect()
}

fn same(out: &util::Output, want: &util::Output) {
    out.code(want.code).stdout_is(&want.stdout);
    assert_eq!(out.stderr, want.stderr, "{:?}", out.args);
}

// #17: a FIFO at a store's path made lookup, at and resolve hang forever.
#[test]
fn a_fifo_at_a_store_path_is_passed_over() {
    let dir = Dir::new();
    big_file(&dir);
    dir.write("q.csv", QUERIES);
    let want = expected(&dir);
    let cache = dir.path().join(".cache");
    for (c, w) in commands().iter().zip(&want) {
        same(&dir.run(c), w);
    }
    let made = stores(&cache);
    assert_eq!(made.len(), 1, "one store for every command: {made:?}");
    for s in &made {
        std::fs::remove_file(s).unwrap();
        let ok = Command::new("mkfifo").arg(s).status().unwrap();
        assert!(ok.success());
    }
    for (c, w) in commands().iter().zip(&want) {
        same(&run_sh(&dir, "exec \"$0\" \"$@\"", c, &cache), w);
    }
    // Each FIFO was replaced by a store.
    for s in &made {
        assert!(std::fs::metadata(s).unwrap().is_file(), "{s:?}");
    }
}

// #17: a store that cannot be written costs only time: a cache folder that cannot be
// made, and a file-size limit (`ulimit -f`) smaller than the store, which used to kill
// the run (exit 153, no output).
#[test]
fn a_store_that_cannot_be_written_costs_only_time() {
    let dir = Dir::new();
    big_file(&dir);
    dir.write("q.csv", QUERIES);
    let want = expected(&dir);
    let blocked = dir.write("not-a-folder", "x").join("cache");
    for (c, w) in commands().iter().zip(&want) {
        same(&run_sh(&dir, "exec \"$0\" \"$@\"", c, &blocked), w);
    }
    // 64 blocks of 512 bytes: far smaller than the store.
    let cache = dir.path().join(".cache");
    for (c, w) in commands().iter().zip(&want) {
        same(
            &run_sh(&dir, "ulimit -f 64 && exec \"$0\" \"$@\"", c, &cache),
            w,
        );
    }
    assert_eq!(
        stores(&cache),
        Vec::<std::path::PathBuf>::new(),
        "no half-written store"
    );
    // Without the limit the store is written, and answers the same.
    for (c, w) in commands().iter().zip(&want) {
        same(&dir.run(c), w);
    }
    assert_eq!(stores(&cache).len(), 1);
    for (c, w) in commands().iter().zip(&want) {
        same(&dir.run(c), w);
    }
}

// #17: `index FILE...` builds the store a query would build on first use, and it
// answers as a full read does.
#[test]
fn index_builds_the_store_queries_then_use() {
    let dir = Dir::new();
    big_file(&dir);
    dir.write("q.csv", QUERIES);
    let want = expected(&dir);
    let cache = dir.path().join(".cache");
    let out = dir.run(&["index", "big.csv"]);
    out.code(0).stderr_has("gazetteer: indexed big.csv in ");
    assert_eq!(out.stdout, "");
    let made = stores(&cache);
    assert_eq!(made.len(), 1, "{made:?}");
    let when: Vec<_> = made
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    for (c, w) in commands().iter().zip(&want) {
        same(&dir.run(c), w);
    }
    // The queries used the store: it was not written again; nor by a second index.
    dir.run(&["index", "big.csv"])
        .code(0)
        .stderr_has("gazetteer: big.csv already indexed: the store is in ");
    assert_eq!(stores(&cache), made);
    for (p, t) in made.iter().zip(&when) {
        assert_eq!(&std::fs::metadata(p).unwrap().modified().unwrap(), t);
    }
    dir.run(&["--no-cache", "index", "big.csv"])
        .code(2)
        .stderr_has("--no-cache");
    dir.run(&["index", "missing.csv"])
        .code(2)
        .stderr_has("missing.csv: cannot read");
    dir.write("small.csv", "place_id,name\nx1,Tiny\n");
    dir.run(&["index", "small.csv"])
        .code(0)
        .stderr_has("nothing to index");
    dir.run(&["index"]).code(2);
}

/// Letters for the i-th word of the test data: "ab", "ac", ... (no digits, which the
/// spelling conventions leave alone).
fn word(mut i: usize) -> String {
    let mut w = String::from("a");
    loop {
        w.push((b'a' + (i % 26) as u8) as char);
        i /= 26;
        if i == 0 {
            return w;
        }
    }
}

// #17: a name found under no folded key (a transliterated or variant spelling, a
// misspelling with suggestions, `--fuzzy`) is answered from the store's table of near
// keys as a full read answers it, with and without the built-in data, including
// a built-in place that the data file extends.
#[test]
fn misspelt_and_variant_names_answer_the_same_from_the_store() {
    let dir = Dir::new();
    let mut csv = String::from("place_id,name,start,end,lang,type,country\n");
    let bases = [
        "Сталинград",
        "Königsberg",
        "Ordschonikidse",
        "Sankt Peterburg",
    ];
    for i in 0..13_000 {
        let w = word(i);
        csv.push_str(&format!(
            "p{i},Oldname{i},1800,1900,en,town,DE\np{i},Newname{i},1900,,en,town,DE\n\
             q{i},{} {w},1900,,ru,town,RU\n",
            bases[i % bases.len()]
        ));
    }
    csv.push_str("ru-volgograd,Volgogradia,2001,,en,city,RU\n");
    let path = dir.write("big.csv", &csv);
    assert!(csv.len() > 1 << 20);
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    let (a, b, c) = (word(4), word(1), word(2));
    let (a, b, c) = (
        format!("Stalingrad {a}"),
        format!("Koenigsberg {b}"),
        format!("Ordzhonikidze {c}"),
    );
    let stalngrad = a.replace("Stalingrad", "Stalngrad");
    // Each full read costs seconds in a debug build: a few queries of each kind.
    let with_builtin: Vec<Vec<&str>> = vec![
        vec!["lookup", "Oldnme7"],
        vec!["at", "1850", "Oldnme7"],
        vec!["lookup", "--fuzzy", "Oldnme7"],
        vec!["lookup", &a],
        vec!["lookup", &b],
        vec!["lookup", "Qwxyzzyvv"],
        vec!["lookup", "Zarizyn"],
        vec!["at", "2010", "Tsaritsin"],
        vec!["lookup", "Volgogradya"],
    ];
    let without: Vec<Vec<&str>> = vec![
        vec!["lookup", "Newnaem123"],
        vec!["at", "1950", "--fuzzy", "Newnam12"],
        vec!["lookup", &c],
        vec!["lookup", &stalngrad],
        vec!["lookup", "Stalingrd"],
    ];
    for (builtin, queries, answering) in [(true, with_builtin, 5), (false, without, 2)] {
        let cache = dir.path().join(format!(".cache-{builtin}"));
        let mut base = vec!["--data", "big.csv"];
        if !builtin {
            base.push("--no-default-data");
        }
        let with = |extra: &[&str], q: &[&str]| {
            let mut args = base.clone();
            args.extend(extra);
            args.extend(q);
            run_sh(&dir, "exec \"$0\" \"$@\"", &args, &cache)
        };
        // The first run writes the store; the rest answer from it.
        with(&[], &["lookup", "Oldname1"]).code(0);
        assert_eq!(stores(&cache).len(), 1, "the store");
        let mut answered = 0;
        for q in &queries {
            let want = with(&["--no-cache"], q);
            same(&with(&[], q), &want);
            answered += usize::from(want.code == 0);
        }
        assert!(answered >= answering, "{answered} answered");
    }
}

/// The queries of every known answer (tests/known), and, for every third, the name
/// misspelt (a letter dropped, two swapped), in lower case, and made up: what a real
/// list holds, hits, variants and misses.
fn known_queries() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["name", "date"]).unwrap();
    let mut n = 0;
    for f in files {
        let mut r = csv::Reader::from_path(&f).unwrap();
        let headers = r.headers().unwrap().clone();
        let col = |c: &str| headers.iter().position(|h| h == c).unwrap();
        let (q, d) = (col("query"), col("date"));
        for row in r.records() {
            let row = row.unwrap();
            let (name, date) = (&row[q], &row[d]);
            out.write_record([name, date]).unwrap();
            n += 1;
            if n % 3 != 0 {
                continue;
            }
            let chars: Vec<char> = name.chars().collect();
            let mid = chars.len() / 2;
            if chars.len() > 4 {
                let dropped: String = chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != mid)
                    .map(|(_, c)| c)
                    .collect();
                let mut swapped = chars.clone();
                swapped.swap(mid - 1, mid);
                let swapped: String = swapped.into_iter().collect();
                out.write_record([dropped.as_str(), date]).unwrap();
                out.write_record([swapped.as_str(), date]).unwrap();
            }
            out.write_record([name.to_lowercase().as_str(), date])
                .unwrap();
            out.write_record([format!("Qx{}zz", name.len()).as_str(), date])
                .unwrap();
        }
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

// #17: the built-in data is compiled into the store format by the build, and `resolve`
// answers from that store as it answers from the data read whole (`--no-cache`): every
// known answer's query, misspelt, in lower case and made up, alone, with `--fuzzy` and
// with a filter.
#[test]
fn the_builtin_store_answers_as_the_data_read_whole() {
    let dir = Dir::new();
    dir.write("q.csv", known_queries());
    let base = [
        "resolve",
        "q.csv",
        "--name-column",
        "name",
        "--date-column",
        "date",
    ];
    let options: [&[&str]; 3] = [&[], &["--fuzzy"], &["--type", "city"]];
    for extra in options {
        let run = |no_cache: bool| {
            let mut args: Vec<&str> = base.to_vec();
            args.extend(extra);
            if no_cache {
                args.push("--no-cache");
            }
            dir.run(&args)
        };
        let (stored, read) = (run(false), run(true));
        stored.code(0);
        read.code(0);
        assert!(stored.stdout.lines().count() > 2_000, "{extra:?}");
        let differ: Vec<String> = stored
            .stdout
            .lines()
            .zip(read.stdout.lines())
            .filter(|(a, b)| a != b)
            .take(5)
            .map(|(a, b)| format!("store: {a}\nread:  {b}"))
            .collect();
        assert!(
            differ.is_empty(),
            "{extra:?}: the answers differ:\n{}",
            differ.join("\n")
        );
        assert_eq!(stored.stdout.len(), read.stdout.len(), "{extra:?}");
        assert_eq!(
            stored.stderr, read.stderr,
            "{extra:?}: the summaries differ"
        );
    }
}

// #17: `lookup` and `at` on the built-in data answer from the store the build compiled in
// as they answer from the data itself (`--no-cache`): a sample of the known queries,
// misspelt, in lower case and made up, in each output format and with `--fuzzy`.
#[test]
fn lookup_and_at_answer_from_the_builtin_store_as_from_the_data() {
    let dir = Dir::new();
    let queries = known_queries();
    let mut rows = csv::Reader::from_reader(queries.as_bytes());
    let mut compared = 0;
    for row in rows.records().step_by(25) {
        let row = row.unwrap();
        let (name, date) = (&row[0], &row[1]);
        let commands: [Vec<&str>; 3] = [
            vec!["lookup", "--format", "json", name],
            vec!["at", "--format", "csv", date, name],
            vec!["at", "--fuzzy", date, name],
        ];
        for args in commands {
            let stored = dir.run(&args);
            let mut read_args = vec!["--no-cache"];
            read_args.extend(&args);
            let read = dir.run(&read_args);
            assert_eq!(
                (stored.code, &stored.stdout, &stored.stderr),
                (read.code, &read.stdout, &read.stderr),
                "{args:?}: the store and the data answer differently"
            );
            compared += 1;
        }
    }
    assert!(compared > 500, "{compared}");
}
