//! Typed errors, row diagnostics and the exit codes they map to.
//!
//! Owns what can go wrong and how it is worded; it never prints. Messages are lowercase
//! without a trailing period and say what, where and how to fix it.

use std::fmt;
use std::io;

/// The process exit status, documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// The query was answered.
    Answered = 0,
    /// No place matched the name.
    NotFound = 1,
    /// Bad usage or invalid data.
    Invalid = 2,
    /// Stopped by Ctrl-C (SIGINT), as shells report it: 128 + 2.
    Interrupted = 130,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c as u8)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a data file, pointing at its file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; `None` when the problem is the whole file.
    pub line: Option<u64>,
    pub severity: Severity,
    pub column: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, line: Option<u64>, column: Option<&str>, message: String) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            severity: Severity::Error,
            column: column.map(str::to_string),
            message,
        }
    }

    pub fn warning(file: &str, line: Option<u64>, column: Option<&str>, message: String) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, column, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values from the data are quoted in messages: they must not rewrite the terminal.
        let clean = crate::text::sanitize;
        write!(f, "{}", clean(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if self.severity == Severity::Warning {
            write!(f, ": warning")?;
        }
        if let Some(col) = &self.column {
            write!(f, ": column '{}'", clean(col))?;
        }
        write!(f, ": {}", clean(&self.message))
    }
}

/// Everything that stops a command.
#[derive(Debug)]
pub enum Error {
    /// The command line asks for something impossible.
    Usage(String),
    /// A file could not be read at all.
    Io { path: String, source: io::Error },
    /// Data rows are invalid; `shown` of them are listed, `total` were found.
    InvalidData { diagnostics: Vec<Diagnostic> },
    /// An input to annotate is not readable as CSV, or lacks a column.
    BrokenInput(Diagnostic),
    /// Writing the answer failed (other than a closed pipe, which is not an error).
    Output(io::Error),
    /// A cache file could not be read as it was written; it has been removed.
    DamagedCache(std::path::PathBuf),
    /// The store compiled into the binary could not be read as it was written: a bug.
    DamagedBuiltin,
    /// Ctrl-C: `rows` whole rows were written.
    Interrupted { rows: u64 },
}

/// How many invalid rows a refused load lists before it only counts.
pub const MAX_LISTED_ERRORS: usize = 20;

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Interrupted { .. } => ExitCode::Interrupted,
            _ => ExitCode::Invalid,
        }
    }

    /// Whether this is only the reader of our output going away (`| head -1`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(msg) => write!(f, "{msg}"),
            Error::Io { path, source } => write!(f, "{path}: cannot read: {source}"),
            Error::InvalidData { diagnostics } => {
                let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
                for d in errors.iter().take(MAX_LISTED_ERRORS) {
                    writeln!(f, "{d}")?;
                }
                if errors.len() > MAX_LISTED_ERRORS {
                    writeln!(
                        f,
                        "... and {} more invalid rows",
                        errors.len() - MAX_LISTED_ERRORS
                    )?;
                }
                write!(
                    f,
                    "data refused: {} error{}; fix the rows above (`gazetteer check FILE` lists \
                     every one), or pass --skip-invalid to skip them",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                )
            }
            Error::BrokenInput(d) => write!(f, "{d}"),
            Error::Output(e) => write!(f, "cannot write the output: {}", io_reason(e)),
            Error::Interrupted { rows } => write!(
                f,
                "interrupted: {rows} rows were written, each whole; run again to resolve the rest"
            ),
            Error::DamagedCache(path) => write!(
                f,
                "{}: the resolve cache is damaged and has been removed; run the command again \
                 (it reads the data files anew), or pass --no-cache",
                path.display()
            ),
            Error::DamagedBuiltin => write!(
                f,
                "the built-in data's store in this binary cannot be read as it was written: \
                 this is a bug, please report it; pass --no-cache to read the built-in data \
                 instead"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// What went wrong, without the "(os error 28)" that only repeats it as a number.
fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match (e.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(at)) => text[..at].to_string(),
        _ => text,
    }
}

/// Finds a broken pipe however deeply a writer library wrapped it.
pub fn io_error_of_csv(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

pub fn io_error_of_json(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    }
}
