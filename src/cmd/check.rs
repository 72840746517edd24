//! `gazetteer check [FILE...]`: every error and warning in data files, on stdout.

use crate::config::CheckFormat;
use crate::error::{Diagnostic, Error, ExitCode, Severity};
use crate::source::Input;
use std::io::Write;

pub fn run(
    config: &crate::config::Config,
    inputs: &[Input],
    format: CheckFormat,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
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
    let listed = match format {
        CheckFormat::Text => diagnostics.iter().try_for_each(|d| writeln!(stdout, "{d}")),
        CheckFormat::Json => json(&diagnostics, stdout),
        CheckFormat::Csv => csv(&diagnostics, stdout),
    };
    if let Err(e) = listed {
        return w(e);
    }
    // With json or csv, stdout is the list alone: the summary goes to stderr.
    let (out, prefix): (&mut dyn Write, &str) = match format {
        CheckFormat::Text => (stdout, ""),
        CheckFormat::Json | CheckFormat::Csv => (stderr, "gazetteer: "),
    };
    let summary = writeln!(
        out,
        "{prefix}checked {} file{}: {} places, {} names; {errors} error{}, {warnings} warning{}",
        inputs.len(),
        plural(inputs.len()),
        places,
        names,
        plural(errors),
        plural(warnings),
    )
    .and_then(|()| out.flush());
    match summary {
        Ok(()) => Ok(code),
        Err(e) => w(e),
    }
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The problems as one JSON array of objects (file, line, column, severity, message);
/// a line or column that does not apply is null.
fn json(diagnostics: &[Diagnostic], out: &mut dyn Write) -> std::io::Result<()> {
    let list: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "severity": severity(d),
                "message": d.message,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// The problems as CSV, with a header row; a line or column that does not apply is empty.
fn csv(diagnostics: &[Diagnostic], out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(["file", "line", "column", "severity", "message"])?;
    for d in diagnostics {
        let line = d.line.map(|l| l.to_string()).unwrap_or_default();
        w.write_record([
            d.file.as_str(),
            &line,
            d.column.as_deref().unwrap_or(""),
            severity(d),
            &d.message,
        ])?;
    }
    w.flush()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
