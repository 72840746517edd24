//! `gazetteer import FORMAT FILE`: another gazetteer's file, read and validated as data,
//! written out in our CSV schema (sorted by place id) for `--data`.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::source::{Format, Input, read_joined};
use crate::validate::Validator;
use std::io::Write;

pub fn run(
    config: &Config,
    (format, input, places): (Format, &Input, Option<&Input>),
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let mut v = Validator::new();
    read_joined(&Input::As(Box::new(input.clone()), format), places, &mut v)?;
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
