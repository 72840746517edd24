//! `gazetteer`: a historical place-name gazetteer.
//!
//! The pipeline, one module per step: [`source`] reads data files → [`validate`] rows
//! (of the columns in [`schema`]) into a [`model::Gazetteer`] → index names in [`matching`] →
//! answer in [`query`] (and [`explain`] an empty answer) → [`render`] tables, CSV or JSON;
//! [`formats`] reads and writes other gazetteers' files. [`cli`] and [`config`] turn the
//! command line into a resolved configuration; [`run`] hands it to [`cmd`], which wires the
//! steps for each subcommand. [`load`] chooses where rows come from and feeds the
//! validator; [`resolve`] streams a CSV file through the look-up, with [`country`] reading
//! each row's country cell. [`text`] makes untrusted text safe for a terminal. [`store`]
//! keeps, between runs, an index of big data files and a copy of all loaded data, in one
//! checked format.

pub mod builtin;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod country;
pub mod explain;
pub mod generate;
pub mod lang;
pub mod load;
pub mod progress;
pub mod render;
pub mod resolve;
pub mod version;

// The steps the build script shares, under the same names (see the `gazetteer-core` crate).
pub use gazetteer_core::{
    date, error, fold, formats, hash, matching, model, query, schema, source, spelling, store,
    text, twins, validate,
};

use config::Terminal;
use error::{Error, ExitCode};
use std::ffi::OsString;
use std::io::Write;

/// Runs the tool as the binary does, writing to the given streams. Never exits the process.
///
/// Flushes `stdout` before it returns: a write that fails (a full disk, a closed standard
/// output) ends the run with exit code 2 and a message, whatever the command was; only a
/// reader that went away (a closed pipe, `| head -1`) is not an error.
pub fn run<I, T>(
    args: I,
    terminal: &Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut closed = ClosedOutput;
    let stdout: &mut dyn Write = if terminal.stdout_closed {
        &mut closed
    } else {
        stdout
    };
    let result = parse_and_run(args, terminal, stdout, stderr);
    // What is still buffered must reach the reader too.
    let result = match (result, stdout.flush()) {
        (Ok(_), Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
        (result, _) => result,
    };
    match result {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => ExitCode::Answered,
        Err(e) => {
            // Messages quote file names and values as given: none may rewrite the screen.
            for line in e.to_string().lines() {
                let _ = writeln!(stderr, "gazetteer: {}", crate::text::sanitize(line));
            }
            e.exit_code()
        }
    }
}

fn parse_and_run<I, T>(
    args: I,
    terminal: &Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match cli::parse(args, terminal, stdout, stderr)? {
        cli::Parsed::Run(config) => cmd::run(&config, stdout, stderr),
        cli::Parsed::Done(code) => Ok(code),
    }
}

/// Standard output when it was closed before the program started: it takes nothing.
struct ClosedOutput;

impl Write for ClosedOutput {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("standard output is closed"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
