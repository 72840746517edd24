//! Inputs that can be read only once (pipes, FIFOs, standard input) and inputs that must
//! not fill the machine's memory, through the real binary.

use crate::util;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use util::{Dir, Output};

/// Data with a place of its own and a name added to a built-in place (Volgograd).
const DATA: &str = "place_id,name,start,end,source\n\
                    my-foo,Foo,1900,,https://example.org/foo\n\
                    ru-volgograd,Zarizynsk,1589,1925-04-10,https://example.org/z\n";

/// A FIFO in `dir`, and a thread that writes `bytes` into it once a reader opens it.
struct Fifo {
    path: PathBuf,
    opened: Arc<AtomicBool>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Fifo {
    fn new(dir: &Path, name: &str, bytes: &[u8]) -> Fifo {
        let path = dir.join(name);
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("run mkfifo");
        assert!(made.success(), "mkfifo {}", path.display());
        let opened = Arc::new(AtomicBool::new(false));
        let writer = {
            let (path, opened, bytes) = (path.clone(), opened.clone(), bytes.to_vec());
            std::thread::spawn(move || {
                // Blocks until the program opens the FIFO for reading.
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .expect("open the FIFO for writing");
                opened.store(true, Ordering::SeqCst);
                // The program may stop reading early; that is its business.
                let _ = f.write_all(&bytes);
            })
        };
        Fifo {
            path,
            opened,
            writer: Some(writer),
        }
    }

    fn arg(&self) -> &str {
        self.path.to_str().expect("UTF-8 temp path")
    }

    /// After the run: whether the program opened the FIFO (and the writer is done).
    fn finish(mut self) -> bool {
        let opened = self.opened.load(Ordering::SeqCst);
        if !opened {
            // Release the writer, still waiting for a reader.
            let _ = std::fs::File::open(&self.path);
        }
        if let Some(w) = self.writer.take() {
            w.join().expect("FIFO writer");
        }
        opened
    }
}

/// Runs with `bytes` in a FIFO standing for the `{}` argument (every one of them).
fn with_fifo(bytes: &str, args: &[&str]) -> Output {
    let dir = Dir::new();
    let fifo = Fifo::new(dir.path(), "data", bytes.as_bytes());
    let path = fifo.arg().to_string();
    let args: Vec<&str> = args
        .iter()
        .map(|&a| if a == "{}" { path.as_str() } else { a })
        .collect();
    let out = dir.run(&args);
    assert!(fifo.finish(), "the FIFO was never read: {args:?}");
    out
}

/// Each command, with its data (or its input) the `{}` argument, and what it must print.
fn each_command() -> Vec<(Vec<&'static str>, i32, &'static str)> {
    vec![
        (vec!["--data", "{}", "lookup", "Foo"], 0, "Foo (id my-foo)"),
        // The name is not in the quick selection: everything is read again, but a pipe
        // cannot be, so it was read once with everything.
        (vec!["--data", "{}", "lookup", "Nothere"], 1, ""),
        (vec!["--data", "{}", "lookup", "Zarizynsk"], 0, "Volgograd"),
        (vec!["--data", "{}", "at", "1950", "Foo"], 0, "Foo"),
        (
            vec!["--data", "{}", "at", "1900", "Zarizynsk"],
            0,
            "Zarizynsk",
        ),
        (vec!["--data", "{}", "search", "zarizyn"], 0, "Zarizynsk"),
        (
            vec!["--data", "{}", "export", "--format", "csv"],
            0,
            "my-foo,Foo,1900",
        ),
        (vec!["check", "{}"], 0, "checked 1 file: 2 places, 2 names"),
        (vec!["import", "csv", "{}"], 0, "my-foo,Foo,1900"),
    ]
}

fn assert_answers(out: &Output, code: i32, expected: &str) {
    out.code(code).stdout_has(expected);
    assert!(
        !out.stderr.contains("empty"),
        "read twice? {}\n{}",
        out.stderr,
        out.stdout
    );
}

// #14
#[test]
fn a_fifo_is_read_once_by_every_command() {
    for (args, code, expected) in each_command() {
        let out = with_fifo(DATA, &args);
        assert_answers(&out, code, expected);
    }
    // resolve: the data, and the rows to resolve, from a FIFO.
    let dir = Dir::new();
    dir.write("rows.csv", "name\nFoo\nZarizynsk\n");
    let fifo = Fifo::new(dir.path(), "data", DATA.as_bytes());
    let out = dir.run(&[
        "resolve",
        "rows.csv",
        "--name-column",
        "name",
        "--date",
        "1910",
        "--data",
        fifo.arg(),
    ]);
    assert!(fifo.finish());
    out.code(0)
        .stdout_has("Foo,my-foo,Foo,Foo,exact,1900/..,certain,ok")
        .stdout_has("Zarizynsk,ru-volgograd,Zarizynsk,Volgograd,exact,1589/1925-04-10,certain,ok");
    let out = with_fifo(
        "name\nVolgograd\n",
        &["resolve", "{}", "--name-column", "name", "--date", "1950"],
    );
    out.code(0)
        .stdout_has("Volgograd,ru-volgograd,Stalingrad,Volgograd,");
}

// #14
#[test]
fn standard_input_as_dash_or_dev_stdin_is_read_once_by_every_command() {
    for stdin in ["-", "/dev/stdin"] {
        for (args, code, expected) in each_command() {
            let args: Vec<&str> = args
                .iter()
                .map(|&a| if a == "{}" { stdin } else { a })
                .collect();
            let out = Dir::new().run_with_stdin(&args, Some(DATA.as_bytes()));
            assert_answers(&out, code, expected);
        }
        let dir = Dir::new();
        dir.write("rows.csv", "name\nFoo\n");
        let out = dir.run_with_stdin(
            &[
                "resolve",
                "rows.csv",
                "--name-column",
                "name",
                "--date",
                "1910",
                "--data",
                stdin,
            ],
            Some(DATA.as_bytes()),
        );
        out.code(0)
            .stdout_has("Foo,my-foo,Foo,Foo,exact,1900/..,certain,ok");
        // And the rows to resolve from standard input.
        let resolve = ["resolve", stdin, "--name-column", "name", "--date", "1950"];
        Dir::new()
            .run_with_stdin(&resolve, Some(b"name\nVolgograd\n"))
            .code(0)
            .stdout_has("Volgograd,ru-volgograd,Stalingrad,Volgograd,");
    }
}

/// Runs the binary under a limit of virtual memory (400 MB: a normal run needs a few
/// tens), and a time limit that only stops a run gone wrong.
fn run_limited(dir: &Dir, args: &str) -> Output {
    let script = format!(
        "ulimit -v 400000; exec timeout 120 '{}' {args}",
        env!("CARGO_BIN_EXE_gazetteer")
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .env("GAZETTEER_CACHE_DIR", dir.path().join(".cache"))
        .output()
        .expect("run sh");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        args: vec![script],
    }
}

// #14: the pass that picks the built-in places a data file extends read without the line
// limit: /dev/zero grew to gigabytes, a 300 MB line cost 1 GB before it was refused.
#[test]
fn no_pass_over_a_data_file_reads_past_the_limits() {
    let dir = Dir::new();
    // The fits-in-the-limit check: a normal run.
    dir.write("small.csv", DATA);
    run_limited(&dir, "--data small.csv lookup Foo")
        .code(0)
        .stdout_has("my-foo");
    for command in [
        "lookup X",
        "at 1950 X",
        "search X",
        "export --format csv",
        "check",
        // LP-TSV is read whole: its line limit applies as it is read, not after 512 MB.
        "import",
        "--data-format lp-tsv lookup X",
    ] {
        let args = match command {
            "check" => "check /dev/zero".to_string(),
            "import" => "import lp-tsv /dev/zero".to_string(),
            c => format!("--data /dev/zero {c}"),
        };
        run_limited(&dir, &args)
            .code(2)
            .stderr_has("/dev/zero: cannot read: line 1 is over 1 MB long");
    }
    // A second line of 300 MB (a sparse file: the hole reads as zero bytes).
    let path = dir.path().join("long.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"place_id,name\nx,").unwrap();
    f.set_len(300 << 20).unwrap();
    drop(f);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b"\ny,Foo\n")
        .unwrap();
    for command in ["lookup Foo", "at 1950 Foo", "search Foo"] {
        run_limited(&dir, &format!("--data long.csv {command}"))
            .code(2)
            .stderr_has("long.csv: cannot read: line 2 is over 1 MB long");
    }
}

// #14: LPF is read a Feature at a time, but one Feature was read whole however long it ran:
// a string left open (or an endless one) grew until memory ran out and the run aborted.
#[test]
fn an_lpf_feature_that_never_ends_is_refused_within_the_memory_limit() {
    let dir = Dir::new();
    for (name, head) in [
        (
            "open.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"@id\":\"",
        ),
        (
            "open.jsonl",
            "{\"type\":\"Feature\",\"@id\":\"x\",\"properties\":{\"title\":\"A\"}}\n{\"@id\":\"",
        ),
    ] {
        // 40 MB of one string left open: past the limit, it is refused as it is read.
        let path = dir.path().join(name);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..40 {
            f.write_all(&chunk).unwrap();
        }
        drop(f);
        run_limited(&dir, &format!("import lpf {name}"))
            .code(2)
            .stderr_has(" is over 16 MB of JSON");
    }
}

/// `--data DIR` reads the directory's CSV files, as `check DIR` does; a directory with
/// none is a usage error that says so.
#[test]
fn a_data_directory_stands_for_its_csv_files() {
    let dir = Dir::new();
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    dir.write("mine/a.csv", DATA);
    dir.write(
        "mine/b.csv",
        "place_id,name,start,end,source\nmy-bar,Bar Town,1850,,https://example.org/bar\n",
    );
    dir.write("mine/notes.txt", "not data");
    for (name, id) in [("Foo", "my-foo"), ("Bar Town", "my-bar")] {
        dir.run(&[
            "--no-default-data",
            "--data",
            "mine",
            "at",
            "--format",
            "csv",
            "1950",
            name,
        ])
        .code(0)
        .stdout_has(&format!("{id},{name},"));
    }
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    dir.run(&["--no-default-data", "--data", "empty", "lookup", "Foo"])
        .code(2)
        .stderr_has("empty: the directory has no .csv files");
}
