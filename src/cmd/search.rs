//! `gazetteer search TEXT`: every name that starts with or contains the text.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::matching::Matcher;
use std::io::Write;

pub fn run(
    config: &Config,
    text: &str,
    limit: usize,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let g = crate::load::load_for_search(config, text, stderr)?;
    let matcher = Matcher::new(&g);
    let mut hits = crate::query::search(&g, &matcher, text, &config.filter);
    let miss = |stdout: &mut dyn Write| {
        super::empty_answer(config, stdout, |out| {
            crate::render::search(out, &[], config.format, config.style)
        })
    };
    // --lang: only the names in those languages.
    if !config.langs.all() && !hits.is_empty() {
        hits.retain(|h| config.langs.admits(&h.record.lang));
        if hits.is_empty() {
            writeln!(
                stderr,
                "gazetteer: names containing '{}' exist, but none in {} (--lang)",
                crate::text::sanitize(text),
                config.langs.listed()
            )
            .map_err(Error::Output)?;
            miss(stdout)?;
            return Ok(ExitCode::NotFound);
        }
    }
    if hits.is_empty() {
        let line = crate::explain::no_name_contains(&config.filter, text, (&g, &matcher))?;
        writeln!(stderr, "gazetteer: {line}").map_err(Error::Output)?;
        miss(stdout)?;
        return Ok(ExitCode::NotFound);
    }
    let total = hits.len();
    if limit > 0 && total > limit {
        hits.truncate(limit);
    }
    crate::render::search(stdout, &hits, config.format, config.style).map_err(Error::Output)?;
    if hits.len() < total {
        stdout.flush().map_err(Error::Output)?;
        writeln!(
            stderr,
            "gazetteer: showing {} of {total} names; --limit {total} shows them all",
            hits.len()
        )
        .map_err(Error::Output)?;
    }
    Ok(ExitCode::Answered)
}
