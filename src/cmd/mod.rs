//! The commands: each file wires read → validate → index → query → render for one
//! subcommand. No logic of its own beyond that wiring.

mod at;
mod check;
mod export;
mod import;
mod lookup;
mod resolve;
mod search;

use crate::config::{Config, Task};
use crate::error::{Error, ExitCode};
use std::io::Write;

pub fn run(
    config: &Config,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let code = match &config.task {
        Task::Lookup { name } => lookup::run(config, name, stdout, stderr)?,
        Task::Search { text, limit } => search::run(config, text, *limit, stdout, stderr)?,
        Task::Export => export::run(config, stdout, stderr)?,
        Task::At { date, name } => at::run(config, date, name, stdout, stderr)?,
        Task::Check { inputs } => check::run(config, inputs, stdout)?,
        Task::Import {
            format,
            input,
            places,
        } => import::run(config, (*format, input, places.as_ref()), stdout, stderr)?,
        Task::Resolve(task) => resolve::run(config, task, stdout, stderr)?,
    };
    match stdout.flush() {
        // The reader went away: the answer stands, and so does its exit code.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(Error::Output(e)),
        Ok(()) => Ok(code),
    }
}
