//! The commands: each file wires read → validate → index → query → render for one
//! subcommand. No logic of its own beyond that wiring.

mod at;
mod check;
mod export;
mod import;
mod index;
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
        Task::Check { inputs, format } => check::run(config, inputs, *format, stdout, stderr)?,
        Task::Import {
            format,
            input,
            places,
        } => import::run(config, (*format, input, places.as_ref()), stdout, stderr)?,
        Task::Resolve(task) => resolve::run(config, task, stdout, stderr)?,
        Task::Index { progress } => index::run(config, *progress, stderr)?,
    };
    match stdout.flush() {
        // The reader went away: the answer stands, and so does its exit code.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(Error::Output(e)),
        Ok(()) => Ok(code),
    }
}

/// What a miss writes on stdout with `--format json` or `csv`: the empty answer (`[]`,
/// the header alone), so that a script reads an answer with no rows, not broken input.
/// A table writes nothing.
pub(crate) fn empty_answer(
    config: &Config,
    stdout: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    if config.format == crate::render::Format::Table {
        return Ok(());
    }
    write(stdout).map_err(Error::Output)
}

/// Says on stderr that places were found, but none has a name in the `--lang` languages.
pub(crate) fn no_name_in(config: &Config, name: &str, stderr: &mut dyn Write) -> Result<(), Error> {
    writeln!(
        stderr,
        "gazetteer: places named '{}' exist, but none has a name in {} (--lang)",
        crate::text::sanitize(name),
        config.langs.listed()
    )
    .map_err(Error::Output)
}
