//! `gazetteer check [FILE...]`: every error and warning in data files, on stdout.

use crate::error::{Error, ExitCode};
use crate::read::Input;
use std::io::Write;

pub fn run(inputs: &[Input], stdout: &mut dyn Write) -> Result<ExitCode, Error> {
    let validated = super::read_and_validate(inputs)?;
    let mut diagnostics = validated.diagnostics.clone();
    diagnostics.extend(crate::check::lint(&validated.gazetteer));
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.severity).cmp(&(&b.file, b.line, b.severity)));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let code = if errors > 0 {
        ExitCode::Invalid
    } else {
        ExitCode::Answered
    };
    // A reader that stops early (`| head`) does not make invalid data valid: the exit
    // code still says whether there were errors.
    let w = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Ok(code)
        } else {
            Err(Error::Output(e))
        }
    };
    for d in &diagnostics {
        if let Err(e) = writeln!(stdout, "{d}") {
            return w(e);
        }
    }
    let g = &validated.gazetteer;
    let summary = writeln!(
        stdout,
        "checked {} file{}: {} places, {} names; {errors} error{}, {warnings} warning{}",
        inputs.len(),
        plural(inputs.len()),
        g.places.len(),
        g.name_count(),
        plural(errors),
        plural(warnings),
    )
    .and_then(|()| stdout.flush());
    match summary {
        Ok(()) => Ok(code),
        Err(e) => w(e),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
