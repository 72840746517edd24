//! `gazetteer lookup NAME`: every place that bore the name, with its chronology.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::matching::Matcher;
use std::io::Write;

pub fn run(
    config: &Config,
    name: &str,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let g = super::load(config, name, stderr)?;
    let matcher = Matcher::new(&g);
    let found = crate::query::lookup(&g, &matcher, name);
    if found.is_empty() {
        return super::not_found(config, name, stderr);
    }
    crate::render::lookup(stdout, &found, config.format, config.style).map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
