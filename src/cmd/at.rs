//! `gazetteer at DATE NAME`: the name or names each matching place bore on the date.

use crate::config::Config;
use crate::date::QueryDate;
use crate::error::{Error, ExitCode};
use std::io::Write;

pub fn run(
    config: &Config,
    date: &QueryDate,
    name: &str,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let (g, matcher) = match crate::load::load_matching(config, name, stderr)? {
        Ok(found) => found,
        Err(all) => {
            let why = crate::explain::not_found(&config.filter, name, all)?;
            writeln!(stderr, "gazetteer: {why}").map_err(Error::Output)?;
            return Ok(ExitCode::NotFound);
        }
    };
    let answers = crate::query::at(&g, &matcher, name, date, &config.filter);
    if answers.is_empty() {
        return Ok(ExitCode::NotFound);
    }
    crate::render::at(stdout, &answers, date, config.format, config.style)
        .map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
