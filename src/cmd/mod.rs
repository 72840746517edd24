//! The commands: each file wires read → validate → index → query → render for one
//! subcommand. No logic of its own beyond that wiring.

mod at;
mod check;
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
        Task::Export => {
            let g = crate::load::load_all(config, stderr)?;
            // A --type or --country no place has would export nothing: refused.
            let why = Narrowing::of(&config.filter, &g, None);
            if !why.unknown.is_empty() {
                return Err(Error::Usage(why.unknown.join("; ")));
            }
            let places = g.places.iter().filter(|p| config.filter.admits(p));
            match config.format {
                crate::render::Format::Csv => {
                    crate::render::csv_places(stdout, places, config.style.csv_safe)
                }
                crate::render::Format::LpTsv => {
                    let losses =
                        crate::formats::lptsv::places(stdout, places).map_err(Error::Output)?;
                    writeln!(stderr, "gazetteer: {losses}")
                }
                _ => crate::formats::lpf::places(stdout, places),
            }
            .map_err(Error::Output)?;
            ExitCode::Answered
        }
        Task::At { date, name } => at::run(config, date, name, stdout, stderr)?,
        Task::Check { inputs } => check::run(config, inputs, stdout)?,
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

/// Says on stderr why nothing in `all` matched `name`, with close spellings if any; a
/// `--type` or `--country` that no place has is a usage error instead.
pub(crate) fn not_found(
    config: &Config,
    name: &str,
    (all, m): crate::load::Found,
    stderr: &mut dyn Write,
) -> Result<(), Error> {
    let shown = crate::text::sanitize(name);
    let found = if config.filter.narrows() {
        crate::query::lookup(&all, &m, name, &config.filter.without_narrowing())
    } else {
        Vec::new()
    };
    let why = Narrowing::of(
        &config.filter,
        &all,
        (!found.is_empty()).then(|| crate::query::Hidden::of(found.iter().map(|f| f.place))),
    );
    let mut line = match &why.hid {
        Some(hid) => format!("places named '{shown}' exist, but {hid}"),
        None => {
            let admit = |p: usize| config.filter.admits(&all.places[p]);
            let suggestions = m.suggest(&all, name, 3, &admit);
            if suggestions.is_empty() {
                format!("no place named '{shown}'")
            } else {
                let list: Vec<String> = suggestions
                    .iter()
                    .map(|s| crate::text::sanitize(s).into_owned())
                    .collect();
                format!(
                    "no place named '{shown}'; did you mean: {}?",
                    list.join(", ")
                )
            }
        }
    };
    for u in &why.unknown {
        line.push_str("; ");
        line.push_str(u);
    }
    if !why.unknown.is_empty() {
        return Err(Error::Usage(line));
    }
    writeln!(stderr, "gazetteer: {line}").map_err(Error::Output)
}

/// What `--type` and `--country` have to do with an empty answer, in words.
#[derive(Debug, Default)]
pub(crate) struct Narrowing {
    /// When they hid what was found: "none of type 'x' (they are: city)".
    pub hid: Option<String>,
    /// Each of their values that the data does not know, with a suggestion: such a value
    /// is a usage error (exit code 2), not an empty answer.
    pub unknown: Vec<String>,
}

impl Narrowing {
    /// `hidden`: the types and countries of what was found without the filter, if anything.
    pub(crate) fn of(
        filter: &crate::query::Filter,
        g: &crate::model::Gazetteer,
        hidden: Option<crate::query::Hidden>,
    ) -> Narrowing {
        if !filter.narrows() {
            return Narrowing::default();
        }
        Narrowing::with(filter, &crate::query::Known::of(g), hidden)
    }

    /// [`Narrowing::of`] with the data's types and countries already known.
    pub(crate) fn with(
        filter: &crate::query::Filter,
        known: &crate::query::Known,
        hidden: Option<crate::query::Hidden>,
    ) -> Narrowing {
        let quote = |s: &str| format!("'{}'", crate::text::sanitize(s));
        let mut why = Narrowing::default();
        if let Some(h) = hidden {
            let mut none = Vec::new();
            let mut they = Vec::new();
            if let Some(k) = &filter.kind {
                none.push(format!("of type {}", quote(k)));
                they.push(format!("they are: {}", listed(&h.kinds, "no type")));
            }
            if let Some(c) = &filter.country {
                none.push(format!("in country {}", quote(c)));
                let prefix = if they.is_empty() { "they are in" } else { "in" };
                they.push(format!("{prefix}: {}", listed(&h.countries, "no country")));
            }
            why.hid = Some(format!("none {} ({})", none.join(" "), they.join("; ")));
        }
        if let Some(k) = &filter.kind
            && !known.has_kind(k)
        {
            why.unknown.push(
                match crate::matching::closest(k, known.kinds.iter().copied()) {
                    Some(near) => format!(
                        "{} is not a known type: did you mean {}?",
                        quote(k),
                        quote(near)
                    ),
                    None => format!(
                        "{} is not a known type: no place has it (types: {})",
                        quote(k),
                        listed(&known.kinds.iter().map(|k| Some(*k)).collect(), "")
                    ),
                },
            );
        }
        if let Some(c) = &filter.country
            && !known.has_country(c)
        {
            why.unknown.push(format!(
                "{} is not a known country: it is not an ISO 3166-1 alpha-2 code, and no place \
                 has it (give a code such as RU or DE)",
                quote(c)
            ));
        }
        why
    }
}

/// Up to twenty values, in order, then how many more; `None` in words.
fn listed(values: &std::collections::BTreeSet<Option<&str>>, none: &str) -> String {
    const SHOWN: usize = 20;
    let mut words: Vec<String> = values
        .iter()
        .flatten()
        .take(SHOWN)
        .map(|v| crate::text::sanitize(v).into_owned())
        .collect();
    let named = values.iter().flatten().count();
    if named > SHOWN {
        words.push(format!("and {} more", named - SHOWN));
    }
    if values.contains(&None) {
        words.push(none.to_string());
    }
    words.join(", ")
}
