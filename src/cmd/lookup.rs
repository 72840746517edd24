//! `gazetteer lookup NAME`: every place that bore the name, with its chronology.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::query::Found;
use std::io::Write;

pub fn run(
    config: &Config,
    name: &str,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let miss = |stdout: &mut dyn Write| {
        super::empty_answer(config, stdout, |out| {
            crate::render::lookup(out, &[], config.format, config.style)
        })
    };
    let (g, matcher) = match crate::load::load_matching(config, name, stderr)? {
        Ok(found) => found,
        Err(all) => {
            let why = crate::explain::not_found(&config.filter, name, all)?;
            writeln!(stderr, "gazetteer: {why}").map_err(Error::Output)?;
            miss(stdout)?;
            return Ok(ExitCode::NotFound);
        }
    };
    let found = crate::query::lookup(&g, &matcher, name, &config.filter);
    // --lang: each place with only the names in those languages; a place with none goes.
    let shown: Vec<crate::model::Place> = if config.langs.all() {
        Vec::new()
    } else {
        found.iter().map(|f| config.langs.place(f.place)).collect()
    };
    let found: Vec<Found> = if config.langs.all() {
        found
    } else {
        found
            .into_iter()
            .zip(&shown)
            .filter(|(_, p)| !p.names.is_empty())
            .map(|(f, p)| Found {
                place: p,
                records: f
                    .records
                    .into_iter()
                    .filter(|r| config.langs.admits(&r.lang))
                    .collect(),
                ..f
            })
            .collect()
    };
    if found.is_empty() {
        if !config.langs.all() {
            super::no_name_in(config, name, stderr)?;
        }
        miss(stdout)?;
        return Ok(ExitCode::NotFound);
    }
    crate::render::lookup(stdout, &found, config.format, config.style).map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
