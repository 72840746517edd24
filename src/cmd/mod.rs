//! The commands: each file wires read → validate → index → query → render for one
//! subcommand. No logic of its own beyond that wiring.

mod at;
mod check;
mod lookup;
mod resolve;

use crate::config::{Config, Task};
use crate::error::{Error, ExitCode};
use crate::model::Gazetteer;
use crate::read::{Input, Table, read_into};
use crate::validate::{Validated, Validator};
use std::collections::BTreeSet;
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
        Task::Resolve(task) => resolve::run(config, task, stdout, stderr)?,
    };
    stdout.flush().map_err(Error::Output)?;
    Ok(code)
}

/// Reads and validates every input together.
pub(crate) fn read_and_validate(inputs: &[Input]) -> Result<Validated, Error> {
    let mut v = Validator::new();
    for input in inputs {
        read_into(input, &mut v)?;
    }
    Ok(v.finish())
}

/// Loads the data a query for `name` needs: every `--data` row, and of the built-in
/// data the places that bore the name or share an id with a `--data` place (all of it
/// when the build could not index it). Refuses invalid data unless `--skip-invalid`,
/// and reports on stderr whatever was ignored or skipped.
pub(crate) fn load(
    config: &Config,
    name: &str,
    stderr: &mut dyn Write,
) -> Result<Gazetteer, Error> {
    if !config.builtin {
        return accept(read_and_validate(&config.data)?, config, stderr);
    }
    if !crate::builtin::indexed() {
        return load_all(config, stderr);
    }
    // The built-in rows go first, as they would when loading everything; the user's
    // rows are kept meanwhile, to learn which built-in places they extend.
    let mut user = Vec::new();
    for input in &config.data {
        let mut t = Table {
            file: input.display_name().into(),
            header: Vec::new(),
            rows: Vec::new(),
            problems: Vec::new(),
        };
        read_into(input, &mut t)?;
        user.push(t);
    }
    let mut ids: BTreeSet<&str> = crate::builtin::places_with_key(&crate::fold::fold(name))
        .into_iter()
        .collect();
    for t in &user {
        let Some(id_col) = t
            .header
            .iter()
            .position(|h| h.eq_ignore_ascii_case("place_id"))
        else {
            continue;
        };
        ids.extend(
            t.rows
                .iter()
                .filter_map(|r| r.fields.get(id_col))
                .map(|id| id.trim())
                .filter(|id| crate::builtin::has_place(id)),
        );
    }
    let mut v = Validator::new();
    for t in crate::builtin::tables_for(&ids).iter().chain(&user) {
        t.replay(&mut v);
    }
    accept(v.finish(), config, stderr)
}

/// Loads everything: the built-in data and every `--data` file.
pub(crate) fn load_all(config: &Config, stderr: &mut dyn Write) -> Result<Gazetteer, Error> {
    let mut inputs = if config.builtin {
        crate::builtin::inputs()
    } else {
        Vec::new()
    };
    inputs.extend(config.data.iter().cloned());
    accept(read_and_validate(&inputs)?, config, stderr)
}

fn accept(
    validated: Validated,
    config: &Config,
    stderr: &mut dyn Write,
) -> Result<Gazetteer, Error> {
    let errors = validated.errors().count();
    if errors > 0 && !config.skip_invalid {
        return Err(Error::InvalidData {
            diagnostics: validated.diagnostics,
        });
    }
    for d in &validated.diagnostics {
        let prefix = if d.is_error() { "skipped: " } else { "" };
        writeln!(stderr, "gazetteer: {prefix}{d}").map_err(Error::Output)?;
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

/// Says on stderr that nothing matched, with close names if any. Suggestions need every
/// name, so this loads all the data (quietly: `load` has already reported its problems).
pub(crate) fn not_found(
    config: &Config,
    name: &str,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let all = load_all(config, &mut std::io::sink())?;
    let suggestions = crate::matching::Matcher::default().suggest(&all, name, 3);
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
