//! `gazetteer at DATE NAME`: the name or names each matching place bore on the date.

use crate::config::Config;
use crate::date::QueryDate;
use crate::error::{Error, ExitCode};
use crate::query::AtAnswer;
use std::io::Write;

pub fn run(
    config: &Config,
    date: &QueryDate,
    name: &str,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let miss = |stdout: &mut dyn Write| {
        super::empty_answer(config, stdout, |out| {
            crate::render::at(out, &[], date, config.format, config.style)
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
    let answers = crate::query::at(&g, &matcher, name, date, &config.filter);
    // --lang: each place with only the names in those languages; a place that bore names
    // at the date, none of them in those languages, goes.
    let shown: Vec<crate::model::Place> = if config.langs.all() {
        Vec::new()
    } else {
        answers
            .iter()
            .map(|a| config.langs.place(a.found.place))
            .collect()
    };
    let answers: Vec<AtAnswer> = if config.langs.all() {
        answers
    } else {
        answers
            .into_iter()
            .zip(&shown)
            .filter_map(|(mut a, p)| {
                let had = !a.names.is_empty();
                a.names.retain(|n| config.langs.admits(&n.record.lang));
                a.found.place = p;
                a.found.records.retain(|r| config.langs.admits(&r.lang));
                (!p.names.is_empty() && (!had || !a.names.is_empty())).then_some(a)
            })
            .collect()
    };
    if answers.is_empty() {
        if !config.langs.all() {
            super::no_name_in(config, name, stderr)?;
        }
        miss(stdout)?;
        return Ok(ExitCode::NotFound);
    }
    crate::render::at(stdout, &answers, date, config.format, config.style)
        .map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
