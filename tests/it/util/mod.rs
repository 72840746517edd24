//! A small harness that runs the real binary in a temporary directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod shared_fixtures;

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub args: Vec<String>,
}

impl Output {
    fn context(&self) -> String {
        format!(
            "\n--- args: {:?}\n--- exit code: {}\n--- stdout:\n{}\n--- stderr:\n{}\n",
            self.args, self.code, self.stdout, self.stderr
        )
    }

    /// Asserts the exit code, printing all three streams when it differs.
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code,
            expected,
            "unexpected exit code{}",
            self.context()
        );
        self
    }

    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}{}",
            self.context()
        );
        self
    }

    pub fn stdout_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.stdout.contains(needle),
            "stdout has {needle:?}{}",
            self.context()
        );
        self
    }

    pub fn stderr_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.stderr.contains(needle),
            "stderr has {needle:?}{}",
            self.context()
        );
        self
    }

    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}{}",
            self.context()
        );
        self
    }

    pub fn stderr_empty(&self) -> &Self {
        assert!(
            self.stderr.is_empty(),
            "stderr is not empty{}",
            self.context()
        );
        self
    }

    pub fn stdout_is(&self, expected: &str) -> &Self {
        assert_eq!(self.stdout, expected, "stdout differs{}", self.context());
        self
    }
}

/// A temporary working directory with files written into it.
pub struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).expect("write fixture");
        p
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gazetteer"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            // Indexes of big data files go to the test's own folder, never the user's.
            .env("GAZETTEER_CACHE_DIR", self.dir.path().join(".cache"))
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run gazetteer");
        if let Some(input) = stdin {
            // A run that stops before reading its input (a usage error found first) closes
            // the pipe: that is its answer, which the test checks, not a failure of the
            // harness. (Now that the built-in data opens in a millisecond, this races.)
            let written = child.stdin.take().expect("stdin").write_all(input);
            if let Err(e) = written {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
            }
        }
        let out = child.wait_with_output().expect("wait for gazetteer");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The path of a fixture file shipped in `tests/fixtures`.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs with only the given fixture as data.
pub fn on_fixture(args: &[&str]) -> Output {
    let data = fixture("renamings.csv");
    let mut all = vec!["--no-default-data", "--data", data.as_str()];
    all.extend_from_slice(args);
    Dir::new().run(&all)
}

/// The shared fixtures, or `None`: the test returns, skipped, with a line on stderr (see
/// `shared_fixtures.rs`, the one locator, which the unit tests use too).
pub use shared_fixtures::shared_fixtures as fixtures;

impl Dir {
    /// Runs with standard output sent where `stdout` says (the `Output`'s stdout is then
    /// empty); stdin is empty.
    pub fn run_to(&self, args: &[&str], stdout: Stdio) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_gazetteer"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .env("GAZETTEER_CACHE_DIR", self.dir.path().join(".cache"))
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .output()
            .expect("run gazetteer");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::new(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Runs with standard output closed, as `gazetteer ARGS >&-` in a shell does.
    pub fn run_stdout_closed(&self, args: &[&str]) -> Output {
        let mut all = vec![
            "-c",
            "exec \"$0\" \"$@\" >&-",
            env!("CARGO_BIN_EXE_gazetteer"),
        ];
        all.extend_from_slice(args);
        let out = Command::new("sh")
            .args(&all)
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .env("GAZETTEER_CACHE_DIR", self.dir.path().join(".cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("run gazetteer through sh");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// Arguments that load the curated data of `data/` alone, without the world layer (#18):
/// for tests of the matching rules, which GeoNames' many spellings would meet in a
/// stronger tier first.
pub fn curated_data() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .filter(|p| p.file_name().is_some_and(|n| n != "links.csv"))
        .collect();
    files.sort();
    let mut args = vec!["--no-default-data".to_string()];
    for f in files {
        args.push("--data".to_string());
        args.push(f.display().to_string());
    }
    args
}
