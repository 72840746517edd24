//! `gazetteer at DATE NAME`: the name or names each matching place bore on the date.

use crate::config::Config;
use crate::date::QueryDate;
use crate::error::{Error, ExitCode};
use crate::matching::Matcher;
use std::io::Write;

pub fn run(
    config: &Config,
    date: &QueryDate,
    name: &str,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let g = super::load(config, name, stderr)?;
    let matcher = Matcher::new(&g);
    let answers = crate::query::at(&g, &matcher, name, date);
    if answers.is_empty() {
        return super::not_found(config, name, stderr);
    }
    crate::render::at(stdout, &answers, date, config.format, config.style)
        .map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
