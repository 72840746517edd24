//! `gazetteer resolve FILE`: every row of a CSV file annotated with the place its name
//! denotes and the name it bore at the row's date. The data comes from the resolve cache
//! or is loaded whole; [`crate::resolve`] streams the file through it.

use crate::config::{Config, DateSource, ResolveTask};
use crate::error::{Diagnostic, Error, ExitCode};
use crate::query::Status;
use crate::resolve::{HIDDEN, Outcome, RAGGED, Resolver, Source, delimiter_name, fields, width_of};
use std::io::Write;

pub fn run(
    config: &Config,
    task: &ResolveTask,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let crate::load::ForResolve {
        plan,
        snapshot,
        loaded,
        near,
    } = crate::load::for_resolve(config, stderr)?;
    // A --type or --country no place has would leave every row not_found: refused.
    // With --country-column, a row may name a code the data uses, as --country may.
    let mut data_countries = None;
    if config.filter.narrows() || task.country.is_some() {
        let known = match (&snapshot, &loaded) {
            (Some(s), _) => {
                // The snapshot's shared strings mix languages and file names with the
                // types (stored lowercase) and countries (two capitals): a value among
                // them is taken as known.
                let strings: Vec<&str> = s.shared_strings().collect();
                crate::query::Known {
                    kinds: strings
                        .iter()
                        .copied()
                        .filter(|t| t.to_lowercase() == *t)
                        .collect(),
                    countries: strings
                        .iter()
                        .copied()
                        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
                        .collect(),
                }
            }
            (None, Some((g, _, _))) => crate::query::Known::of(g),
            (None, None) => unreachable!("either the cache or the data is loaded"),
        };
        let why = crate::explain::Narrowing::with(&config.filter, &known, None);
        if !why.unknown.is_empty() {
            return Err(Error::Usage(why.unknown.join("; ")));
        }
        if task.country.is_some() {
            let codes: std::collections::BTreeSet<String> =
                known.countries.iter().map(|c| c.to_string()).collect();
            data_countries = Some(codes);
        }
    }
    let fixed_date = match &task.date {
        DateSource::Fixed(d) => Some(d.clone()),
        DateSource::Column(_) => None,
    };
    let resolver = Resolver {
        source: match (&snapshot, &loaded) {
            (Some(s), _) => Source::Snapshot(s),
            (None, Some((g, m, _))) => Source::Loaded(g, m),
            (None, None) => unreachable!("either the cache or the data is loaded"),
        },
        fixed: fixed_date.as_ref(),
        calendar: task.calendar,
        order: task.order,
        output: crate::render::resolve::Output {
            format: task.format,
            delimiter: match task.format {
                crate::render::resolve::ResolveFormat::Tsv => b'\t',
                _ => task.delimiter,
            },
            safe: config.style.csv_safe,
            prefix: &task.prefix,
            pick: task.pick,
            country: task.country.is_some(),
        },
        filter: &config.filter,
        pick: task.pick,
        countries: data_countries.as_ref(),
    };
    // The data was read whole and clean, and did not change meanwhile: the resolve
    // cache is written beside the answering (the process waits for it at the end).
    let beside: Option<Box<dyn FnOnce() + Send + '_>> = match (&loaded, plan) {
        (Some((g, matcher, true)), Some((dir, inputs, context)))
            if crate::load::unchanged(config, context) =>
        {
            Some(Box::new(move || {
                let _ = crate::store::places::write(dir, inputs, context, g, matcher, near);
            }))
        }
        _ => None,
    };
    let file = task.input.display_name();
    let Outcome {
        rows,
        counts,
        first_ragged,
        width,
        bad_countries,
        blank_lines,
    } = crate::resolve::stream(
        &resolver,
        task,
        (task.input.open()?, file.clone()),
        beside,
        stdout,
        stderr,
    )?;
    let out_err = Error::Output;
    let hidden = counts[HIDDEN];
    if let Some((line, count)) = first_ragged {
        let others = match counts[RAGGED] - 1 {
            0 => String::new(),
            1 => " (and 1 more row)".to_string(),
            n => format!(" (and {n} more rows)"),
        };
        let warning = Diagnostic::warning(
            &file,
            Some(line),
            None,
            format!(
                "{} where {}{others}: such a row is not looked up, its gz_status is \
                 ragged_row; quote the fields that hold the delimiter {}, or pass --strict to stop \
                 at the first",
                fields(count),
                width_of(task, width),
                delimiter_name(task.delimiter),
            ),
        );
        writeln!(stderr, "gazetteer: {warning}").map_err(out_err)?;
    }
    // Picked and bad_country rows are counted only when asked for: other runs have none.
    let summary: Vec<String> = Status::ALL
        .iter()
        .zip(counts)
        .filter(|(s, _)| match s {
            Status::Picked => task.pick,
            Status::BadCountry => task.country.is_some(),
            _ => true,
        })
        .map(|(s, n)| {
            let n = if *s == Status::NotFound {
                n + hidden
            } else {
                n
            };
            format!("{n} {}", s.as_str().replace('_', " "))
        })
        .collect();
    writeln!(
        stderr,
        "gazetteer: resolved {rows} row{}: {}",
        if rows == 1 { "" } else { "s" },
        summary.join(", ")
    )
    .map_err(out_err)?;
    // No row of the output stands for a blank line: said, so that one who lines up the
    // output with the input's lines knows why they differ.
    if let (n @ 1.., Some(line)) = blank_lines {
        writeln!(
            stderr,
            "gazetteer: {file}: {n} blank line{} skipped (the first at line {line}): a blank line \
             is no row, so the output has no row for it",
            if n == 1 { "" } else { "s" },
        )
        .map_err(out_err)?;
    }
    let bad_dates = counts[Status::ALL
        .iter()
        .position(|s| *s == Status::BadDate)
        .unwrap_or(0)];
    if bad_dates > 0 {
        writeln!(
            stderr,
            "gazetteer: {bad_dates} row{} with a date that could not be read: {}date_problem \
             says why; {}",
            if bad_dates == 1 { "" } else { "s" },
            task.prefix,
            crate::date::ACCEPTED_FORMS
        )
        .map_err(out_err)?;
    }
    let (unread, quoted) = bad_countries;
    if unread > 0 {
        let shown: Vec<String> = quoted.iter().map(|c| format!("'{c}'")).collect();
        let more = if unread > quoted.len() as u64 {
            ", ..."
        } else {
            ""
        };
        writeln!(
            stderr,
            "gazetteer: {unread} row{} named no country in the country column ({}{more}): \
             {}country_problem says why, and the status is bad_country (such a row is not \
             narrowed by its country); give an ISO 3166-1 code (DE, DEU) or a country's \
             name (Germany, Deutschland)",
            if unread == 1 { "" } else { "s" },
            shown.join(", "),
            task.prefix,
        )
        .map_err(out_err)?;
    }
    if hidden > 0 {
        let mut by = Vec::new();
        if let Some(k) = &config.filter.kind {
            by.push(format!("of type '{}'", crate::text::sanitize(k)));
        }
        match (&config.filter.country, &task.country) {
            (Some(c), Some(_)) => by.push(format!("in the row's country (or '{c}')")),
            (None, Some(_)) => by.push("in the row's country".to_string()),
            (Some(c), None) => by.push(format!("in country '{c}'")),
            (None, None) => {}
        }
        writeln!(
            stderr,
            "gazetteer: {hidden} of the rows not found name places that exist, but none {}",
            by.join(" ")
        )
        .map_err(out_err)?;
    }
    // Freeing millions of names one by one takes most of a second, and the process is
    // about to end: let the operating system reclaim the memory at once.
    std::mem::forget(loaded);
    std::mem::forget(snapshot);
    Ok(ExitCode::Answered)
}
