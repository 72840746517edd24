//! `gazetteer check [FILE...]`: every error and warning in data files, on stdout.

use crate::config::CheckFormat;
use crate::error::{Diagnostic, Error, ExitCode, Severity};
use crate::source::Input;
use std::io::Write;

/// Checks the given files; files of the user's are checked together with the built-in data
/// they will be merged with (unless `--no-default-data`), so that a row contradicting a
/// built-in place is reported, but only the user's files' problems are shown.
pub fn run(
    config: &crate::config::Config,
    inputs: &[Input],
    format: CheckFormat,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let theirs: std::collections::BTreeSet<String> =
        inputs.iter().map(Input::display_name).collect();
    let user_files = !inputs.iter().any(|i| matches!(i, Input::Builtin { .. }));
    let mut all = Vec::new();
    if user_files && config.builtin {
        // A file checked under the name of a built-in file is a new version of it.
        all.extend(
            crate::builtin::inputs()
                .into_iter()
                .filter(|i| !theirs.contains(&i.display_name())),
        );
    }
    all.extend(inputs.iter().cloned());
    let validated = crate::load::read_and_validate(&all)?;
    let mine = |file: &str| theirs.contains(file);
    let g = crate::model::Gazetteer {
        places: validated
            .gazetteer
            .places
            .iter()
            .filter(|p| p.names.iter().any(|n| mine(&n.origin.file)))
            .cloned()
            .collect(),
    };
    let mut diagnostics: Vec<_> = validated
        .diagnostics
        .iter()
        .filter(|d| mine(&d.file))
        .cloned()
        .collect();
    // A warning about two rows stands on the later one; keep it when either is the user's.
    let names_mine = |d: &crate::error::Diagnostic| {
        mine(&d.file) || theirs.iter().any(|f| d.message.contains(&format!("({f}:")))
    };
    diagnostics.extend(crate::check::lint(&g).into_iter().filter(names_mine));
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
        g.places.len(),
        g.places
            .iter()
            .flat_map(|p| &p.names)
            .filter(|n| mine(&n.origin.file))
            .count(),
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
