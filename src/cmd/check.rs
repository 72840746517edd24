//! `gazetteer check [FILE...]`: every error and warning in data files, on stdout.

use crate::error::{Error, ExitCode};
use crate::source::Input;
use std::io::Write;

pub fn run(
    config: &crate::config::Config,
    inputs: &[Input],
    stdout: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let crate::check::Report {
        diagnostics,
        places,
        names,
    } = crate::check::check(inputs, config.builtin)?;
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
    let summary = writeln!(
        stdout,
        "checked {} file{}: {} places, {} names; {errors} error{}, {warnings} warning{}",
        inputs.len(),
        plural(inputs.len()),
        places,
        names,
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
