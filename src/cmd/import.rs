//! `gazetteer import FORMAT FILE`: another gazetteer's file, read and validated as data,
//! written out in our CSV schema (sorted by place id) for `--data`.

use crate::config::{Config, ImportFormat};
use crate::error::{Error, ExitCode};
use crate::source::{DataFormat, Input, read_into};
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
        ImportFormat::Geonames | ImportFormat::Pleiades => {
            // Both stream the names, joined to an optional table of places.
            let name = input.display_name();
            let mut main = std::io::BufReader::new(input.open()?);
            let mut table = match places {
                Some(p) => Some((p.display_name(), std::io::BufReader::new(p.open()?))),
                None => None,
            };
            let table = table.as_mut().map(|(n, t)| (n.as_str(), t));
            if format == ImportFormat::Geonames {
                let table = table.map(|(n, t)| (n, t as &mut dyn std::io::BufRead));
                crate::formats::geonames::parse_into((&name, &mut main), table, &mut v);
            } else {
                let table = table.map(|(n, t)| (n, t as &mut dyn std::io::Read));
                crate::formats::pleiades::parse_into((&name, &mut main), table, &mut v);
            }
        }
    }
    let g = crate::load::accept(v.finish(), config, stderr)?;
    crate::render::csv_places(stdout, g.places.iter(), config.style.csv_safe)
        .map_err(Error::Output)?;
    writeln!(
        stderr,
        "gazetteer: imported {} places with {} names from {}",
        g.places.len(),
        g.name_count(),
        crate::text::sanitize(&input.display_name())
    )
    .map_err(Error::Output)?;
    Ok(ExitCode::Answered)
}
