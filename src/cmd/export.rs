//! `gazetteer export`: the places of the data (narrowed by `--type`, `--country`), in our
//! CSV, LPF or LP-TSV.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::render::Format;
use std::io::Write;

pub fn run(
    config: &Config,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let g = crate::load::load_all(config, stderr)?;
    // A --type or --country no place has would export nothing: refused.
    let why = crate::explain::Narrowing::of(&config.filter, &g, None);
    if !why.unknown.is_empty() {
        return Err(Error::Usage(why.unknown.join("; ")));
    }
    let places = g.places.iter().filter(|p| config.filter.admits(p));
    match config.format {
        Format::Csv => crate::render::csv_places(stdout, places, config.style.csv_safe),
        Format::LpTsv => {
            let losses = crate::formats::lptsv::places(stdout, places).map_err(Error::Output)?;
            writeln!(stderr, "gazetteer: {losses}")
        }
        _ => crate::formats::lpf::places(stdout, places),
    }
    .map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
