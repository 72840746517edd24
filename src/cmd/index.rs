//! `gazetteer index FILE...`: builds the store of data files now (see [`crate::store`]),
//! the one a query would build on first use, which `lookup`, `at` and `resolve` answer
//! from.

use crate::config::Config;
use crate::error::{Error, ExitCode};
use crate::source::Input;
use std::io::Write;
use std::time::{Duration, Instant};

pub fn run(config: &Config, progress: bool, stderr: &mut dyn Write) -> Result<ExitCode, Error> {
    let out = Error::Output;
    if config.cache.is_none() {
        return Err(Error::Usage(
            "index keeps its store in the cache folder: it cannot run with --no-cache".into(),
        ));
    }
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
    let Some((dir, inputs, context)) = crate::load::store_plan(config) else {
        return Err(Error::Usage(
            "no store can be kept for these inputs: give data files by path".into(),
        ));
    };
    let names: Vec<String> = files.iter().map(|(_, name)| name.clone()).collect();
    // A whole store of these very files (checked chunk by chunk) is kept as it is.
    if crate::store::Snapshot::open(dir, inputs, context).is_some() {
        writeln!(
            stderr,
            "gazetteer: {} already indexed: the store is in {}",
            names.join(", "),
            dir.display()
        )
        .map_err(out)?;
        return Ok(ExitCode::Answered);
    }
    let (g, clean) = crate::load::load_all_clean(config, stderr)?;
    let mut problem = None;
    if !(clean && crate::load::unchanged(config, context)) {
        problem = Some(
            "no store written: the data has warnings (see gazetteer check), or changed \
             while it was read"
                .to_string(),
        );
    } else {
        say(stderr, "building the store".into())?;
        let (matcher, near) = crate::matching::Matcher::with_near_keys(&g);
        if let Err(e) = crate::store::places::write(dir, inputs, context, &g, &matcher, Some(near))
        {
            problem = Some(format!("{}: cannot write the store: {e}", dir.display()));
        }
        std::mem::forget(matcher);
    }
    // Freeing millions of names one by one takes most of a second: the process ends.
    std::mem::forget(g);
    if let Some(p) = problem {
        writeln!(stderr, "gazetteer: {p}").map_err(out)?;
        return Ok(ExitCode::Invalid);
    }
    writeln!(
        stderr,
        "gazetteer: indexed {} in {:.1} s: the store is in {}",
        names.join(", "),
        started.elapsed().as_secs_f64(),
        dir.display()
    )
    .map_err(out)?;
    Ok(ExitCode::Answered)
}
