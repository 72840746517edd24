//! `gazetteer lookup NAME`: every place that bore the name, with its chronology.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use std::io::Write;

pub fn run(
    config: &Config,
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
    let found = crate::query::lookup(&g, &matcher, name, &config.filter);
    if found.is_empty() {
        return Ok(ExitCode::NotFound);
    }
    crate::render::lookup(stdout, &found, config.format, config.style).map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
