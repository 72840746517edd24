//! The commands: each file wires read → validate → index → query → render for one
//! subcommand. No logic of its own beyond that wiring.

mod at;
mod check;
mod lookup;

use crate::config::{Config, Task};
use crate::error::{Diagnostic, Error, ExitCode};
use crate::model::Gazetteer;
use crate::read::{Input, read};
use crate::validate::{Validated, validate};
use std::io::Write;

pub fn run(
    config: &Config,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let code = match &config.task {
        Task::Lookup { name } => lookup::run(config, name, stdout, stderr)?,
        Task::At { date, name } => at::run(config, date, name, stdout, stderr)?,
        Task::Check { inputs } => check::run(inputs, stdout)?,
    };
    stdout.flush().map_err(Error::Output)?;
    Ok(code)
}

/// Reads and validates every input together.
pub(crate) fn read_and_validate(inputs: &[Input]) -> Result<Validated, Error> {
    let tables = inputs.iter().map(read).collect::<Result<Vec<_>, _>>()?;
    Ok(validate(&tables))
}

/// Loads the data for a query: refuses invalid data unless `--skip-invalid`, and
/// reports on stderr whatever was ignored or skipped.
pub(crate) fn load(config: &Config, stderr: &mut dyn Write) -> Result<Gazetteer, Error> {
    let validated = read_and_validate(&config.inputs)?;
    let errors = validated.errors().count();
    if errors > 0 && !config.skip_invalid {
        return Err(Error::InvalidData {
            diagnostics: validated.diagnostics,
        });
    }
    let say = |stderr: &mut dyn Write, d: &Diagnostic| {
        let prefix = if d.is_error() { "skipped: " } else { "" };
        writeln!(stderr, "gazetteer: {prefix}{d}")
    };
    for d in &validated.diagnostics {
        say(stderr, d).map_err(Error::Output)?;
    }
    if errors > 0 {
        writeln!(
            stderr,
            "gazetteer: warning: skipped {errors} invalid row{} (--skip-invalid): the answer may be incomplete",
            if errors == 1 { "" } else { "s" }
        )
        .map_err(Error::Output)?;
    }
    Ok(validated.gazetteer)
}

/// Says on stderr that nothing matched, with close names if any.
pub(crate) fn not_found(
    matcher: &crate::matching::Matcher,
    name: &str,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let suggestions = matcher.suggest(name, 3);
    let shown = crate::render::sanitize(name);
    let line = if suggestions.is_empty() {
        format!("gazetteer: no place named '{shown}'")
    } else {
        let list: Vec<String> = suggestions
            .iter()
            .map(|s| crate::render::sanitize(s).into_owned())
            .collect();
        format!(
            "gazetteer: no place named '{shown}'; did you mean: {}?",
            list.join(", ")
        )
    };
    writeln!(stderr, "{line}").map_err(Error::Output)?;
    Ok(ExitCode::NotFound)
}
