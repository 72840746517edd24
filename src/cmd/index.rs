//! `gazetteer index FILE...`: builds the stores of data files now (see [`crate::store`]),
//! the ones a query would build on first use: the row index of each file (for `lookup`
//! and `at`) and the resolve store of them all.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::source::Input;
use std::io::Write;
use std::time::{Duration, Instant};

pub fn run(config: &Config, progress: bool, stderr: &mut dyn Write) -> Result<ExitCode, Error> {
    let out = Error::Output;
    let Some(dir) = &config.cache else {
        return Err(Error::Usage(
            "index keeps its stores in the cache folder: it cannot run with --no-cache".into(),
        ));
    };
    let mut files = Vec::new();
    for input in &config.data {
        match input {
            Input::File(path) => {
                // A file that cannot be read is said so now, not taken for a small one.
                std::fs::metadata(path).map_err(|source| Error::Io {
                    path: input.display_name(),
                    source,
                })?;
                files.push((path, input.display_name()))
            }
            _ => {
                return Err(Error::Usage(format!(
                    "{}: only files given by path get a store (not standard input, nor a \
                     file read with --data-format)",
                    input.display_name()
                )));
            }
        }
    }
    let started = Instant::now();
    let say = |stderr: &mut dyn Write, what: String| -> Result<(), Error> {
        if progress {
            let secs = started.elapsed().as_secs_f64();
            writeln!(stderr, "gazetteer: [{secs:5.1} s] {what}").map_err(out)?;
        }
        Ok(())
    };
    let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let total: u64 = files.iter().map(|(p, _)| size(p)).sum();
    if total < crate::store::MIN_SIZE {
        writeln!(
            stderr,
            "gazetteer: nothing to index: data under 1 MB is read whole faster than a store \
             is opened"
        )
        .map_err(out)?;
        return Ok(ExitCode::Answered);
    }
    // A file changed in the last two seconds gets no store (a later change within the
    // same clock tick could go unseen): wait them out.
    let waited = Instant::now();
    while !crate::store::settled(&config.data) && waited.elapsed() < Duration::from_secs(3) {
        say(stderr, "waiting for the files to be two seconds old".into())?;
        std::thread::sleep(Duration::from_millis(500));
    }
    say(
        stderr,
        format!("reading and checking {} file(s)", files.len()),
    )?;
    // As a query would on first use: the rows read with their places noted, and each
    // file's row index written if the data came out clean.
    crate::load::load(config, "", stderr)?;
    say(stderr, "building the resolve store".into())?;
    let mut for_resolve = crate::load::for_resolve(config, &mut std::io::sink())?;
    let mut problem = None;
    if let Some((g, matcher, clean)) = &for_resolve.loaded {
        match for_resolve.plan {
            Some((dir, inputs, context)) if *clean && crate::store::settled(&config.data) => {
                let near = for_resolve.near.take();
                if let Err(e) = crate::store::places::write(dir, inputs, context, g, matcher, near)
                {
                    problem = Some(format!("{}: cannot write the store: {e}", dir.display()));
                }
            }
            _ => {
                problem = Some(
                    "no store written: the data has warnings (see gazetteer check), or \
                     changed while it was read"
                        .to_string(),
                )
            }
        }
    }
    let (inputs, context) = (
        crate::store::inputs(config.builtin, &config.data),
        crate::store::context(config.builtin, &config.data),
    );
    let mut indexed = Vec::new();
    for (path, name) in &files {
        let open = inputs
            .zip(context)
            .and_then(|ic| crate::store::Index::open(dir, path, name, ic));
        match open {
            Some(_) => indexed.push(name.clone()),
            None if size(path) >= crate::store::MIN_SIZE
                && crate::source::Format::of(&Input::File(path.to_path_buf()))
                    == crate::source::Format::Csv =>
            {
                problem.get_or_insert_with(|| format!("{name}: no row index could be written"));
            }
            None => {}
        }
    }
    std::mem::forget(for_resolve);
    if let Some(p) = problem {
        writeln!(stderr, "gazetteer: {p}").map_err(out)?;
        return Ok(ExitCode::Invalid);
    }
    writeln!(
        stderr,
        "gazetteer: indexed {} in {:.1} s: the stores are in {}",
        if indexed.is_empty() {
            "the data".to_string()
        } else {
            indexed.join(", ")
        },
        started.elapsed().as_secs_f64(),
        dir.display()
    )
    .map_err(out)?;
    Ok(ExitCode::Answered)
}
