//! `gazetteer import FORMAT FILE`: another gazetteer's file, read and validated as data,
//! written out in our CSV schema (sorted by place id) for `--data`.

use crate::cli::ImportFormat;
use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::read::{DataFormat, Input, read_into};
use crate::validate::Validator;
use std::io::Write;

pub fn run(
    config: &Config,
    (format, input, places): (ImportFormat, &Input, Option<&Input>),
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let mut v = Validator::new();
    let as_format = |f| Input::As(Box::new(input.clone()), f);
    match format {
        ImportFormat::Lpf => read_into(&as_format(DataFormat::Lpf), &mut v)?,
        ImportFormat::LpTsv => read_into(&as_format(DataFormat::LpTsv), &mut v)?,
        ImportFormat::Csv => read_into(&as_format(DataFormat::Csv), &mut v)?,
        ImportFormat::Geonames => {
            let mut main = std::io::BufReader::new(input.open()?);
            let (table_name, mut table) = match places {
                Some(p) => (p.display_name(), Some(std::io::BufReader::new(p.open()?))),
                None => (String::new(), None),
            };
            crate::geonames::parse_into(
                (&input.display_name(), &mut main),
                table
                    .as_mut()
                    .map(|t| (table_name.as_str(), t as &mut dyn std::io::BufRead)),
                &mut v,
            );
        }
        ImportFormat::Pleiades => {
            let mut main = std::io::BufReader::new(input.open()?);
            let (table_name, mut table) = match places {
                Some(p) => (p.display_name(), Some(std::io::BufReader::new(p.open()?))),
                None => (String::new(), None),
            };
            crate::pleiades::parse_into(
                (&input.display_name(), &mut main),
                table
                    .as_mut()
                    .map(|t| (table_name.as_str(), t as &mut dyn std::io::Read)),
                &mut v,
            );
        }
    }
    let g = super::accept(v.finish(), config, stderr)?;
    crate::render::csv_places(stdout, g.places.iter(), config.style.csv_safe)
        .map_err(Error::Output)?;
    writeln!(
        stderr,
        "gazetteer: imported {} places with {} names from {}",
        g.places.len(),
        g.name_count(),
        input.display_name()
    )
    .map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
