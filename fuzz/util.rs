//! What the fuzz targets that run the command line share.
#![allow(dead_code)]

use std::path::PathBuf;

/// A folder of this process for one target's files.
pub fn dir(target: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gz-fuzz-{target}-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The input up to its first NUL byte, and the rest after it if there is one.
pub fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    }
}

/// One run of the command line.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs the command line as the binary does, with no terminal and no cache folder.
pub fn run(args: &[&str]) -> Run {
    run_with(args, &gazetteer::config::Terminal::default())
}

pub fn run_with(args: &[&str], terminal: &gazetteer::config::Terminal) -> Run {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = gazetteer::run(args, terminal, &mut stdout, &mut stderr) as i32;
    Run {
        code,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Lines of stderr that report on the run as a whole, or on the answer, rather than on a
/// place in a file.
const SUMMARIES: [&str; 4] = [
    "gazetteer: data refused: ",
    "gazetteer: ... and ",
    "gazetteer: imported ",
    "gazetteer: no place named ",
];

impl Run {
    /// Exit 0 (answered), 1 (nothing found) or 2 (refused), and every other line of stderr
    /// names `file`.
    pub fn check(&self, file: &str) {
        self.check_any(&[file]);
    }

    /// As [`Run::check`], with a problem naming any of `files`.
    pub fn check_any(&self, files: &[&str]) {
        assert!(
            (0..=2).contains(&self.code),
            "exit {}: {}",
            self.code,
            self.stderr
        );
        for line in self.stderr.lines() {
            if SUMMARIES.iter().any(|s| line.starts_with(s)) {
                continue;
            }
            assert!(
                files.iter().any(|f| line.contains(f)),
                "a message that names no file ({files:?}): {line:?}\n{}",
                self.stderr
            );
        }
    }
}
