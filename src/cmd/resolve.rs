//! `gazetteer resolve FILE`: every row of a CSV file annotated with the place its name
//! denotes and the name it bore at the row's date.
//!
//! Streams in batches of [`BATCH`] rows: while one batch is answered on every core, the
//! next is read and the one before written, so memory does not grow with the input. The input row is copied byte for byte (what the csv reader
//! consumed for it, kept by [`Tee`]), with the new columns appended.

use crate::config::{ColumnRef, Config, DateSource, ResolveTask};
use crate::date::{QueryDate, parse_query};
use crate::error::{Diagnostic, Error, ExitCode};
use crate::matching::{MatchKind, Matcher, Query, QueryKeys};
use crate::query::{Status, resolve_query};
use crate::render::resolve::{COLUMNS, append, push_field};
use crate::source::QuoteScan;
use std::cell::RefCell;
use std::io::{BufRead, Read, Write};
use std::rc::Rc;

/// Keeps a copy of every byte read, so that a record's exact bytes can be written out.
struct Tee<R> {
    inner: R,
    seen: Rc<RefCell<Vec<u8>>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.borrow_mut().extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// Rows resolved together, split between threads; also how often progress is shown.
const BATCH: usize = 16_384;

/// Rows a thread answers at a time. From the resolve cache, their places, decoded, stay in
/// the core's cache: 128 was fastest on the benchmark, 16,384 took 50% longer.
const CHUNK: usize = 128;

/// How a row's fields line up with the header's (with `--no-headers`, the first row's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// As many fields as the header: the gz_ columns follow the row.
    Even,
    /// This many fields too few: as many empty fields go before the gz_ columns, so that
    /// these stand under their headers.
    Short(usize),
    /// Too many: the gz_ columns go at this byte of the row (the delimiter after the
    /// header's last field), and the extra fields follow them, where a reader that
    /// takes rows of any length finds them past the last header and a strict one
    /// refuses the row.
    Long(usize),
}

/// Rows read but not yet resolved: each row's text as read, and its name and date cells.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    /// Per row: end of its line, end of its name, end of its date, in `bytes`.
    ends: Vec<(usize, usize, usize)>,
    shapes: Vec<Shape>,
}

impl Batch {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.shapes.pop();
        let end = self.ends.last().map_or(0, |e| e.2);
        self.bytes.truncate(end);
    }

    fn push(
        &mut self,
        line: &[u8],
        record: &csv::ByteRecord,
        (name, date): (usize, Option<usize>),
        with_date: bool,
        shape: Shape,
    ) {
        self.bytes.extend_from_slice(line);
        let line_end = self.bytes.len();
        // A ragged row is not looked up: its cells may not be what their headers say.
        let even = shape == Shape::Even;
        if even {
            self.bytes
                .extend_from_slice(record.get(name).unwrap_or_default());
        }
        let name_end = self.bytes.len();
        if even
            && with_date
            && let Some(d) = date
        {
            self.bytes
                .extend_from_slice(record.get(d).unwrap_or_default());
        }
        self.ends.push((line_end, name_end, self.bytes.len()));
        self.shapes.push(shape);
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1].2 }
    }

    fn line(&self, i: usize) -> &[u8] {
        &self.bytes[self.start(i)..self.ends[i].0]
    }

    fn name(&self, i: usize) -> &[u8] {
        &self.bytes[self.ends[i].0..self.ends[i].1]
    }

    fn date(&self, i: usize) -> &[u8] {
        &self.bytes[self.ends[i].1..self.ends[i].2]
    }
}

/// Where the places come from: all data loaded, or the resolve cache, whose places are
/// decoded batch by batch.
enum Source<'a> {
    Loaded(&'a crate::model::Gazetteer, &'a Matcher),
    Snapshot(&'a crate::snapshot::Snapshot),
}

/// What every row is resolved against.
struct Resolver<'a> {
    source: Source<'a>,
    fixed: Option<&'a QueryDate>,
    calendar: crate::date::Calendar,
    delimiter: u8,
    /// `--csv-safe`.
    safe: bool,
    filter: &'a crate::query::Filter,
}

/// A row's status (as an index into `Status::ALL`, or [`HIDDEN`]) and the columns to append.
type Answer = (usize, Vec<u8>);

/// The status index of a row that is not_found only because `--type` or `--country` left
/// out the places of its name (counted apart for the summary).
const HIDDEN: usize = Status::ALL.len();

impl Resolver<'_> {
    /// Each row's answer, in row order, computed on up to `threads` threads.
    ///
    /// The threads take chunks of [`CHUNK`] rows in turn from a shared counter, so that
    /// one thread slowed down (by the thread reading and writing, which shares the
    /// cores) does not leave the others waiting at the end of the batch.
    fn run(&self, batch: &Batch, threads: usize) -> Result<Vec<Answer>, Error> {
        let n = batch.len();
        let chunks = n.div_ceil(CHUNK);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || -> Result<Vec<(usize, Vec<Answer>)>, Error> {
            let mut done = Vec::new();
            // Each thread its own copy of the snapshot's shared strings (see `strings`).
            let own = match self.source {
                Source::Snapshot(s) => Ok((s, s.strings())),
                Source::Loaded(g, m) => Err((g, m)),
            };
            loop {
                let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if c >= chunks {
                    return Ok(done);
                }
                let rows = c * CHUNK..((c + 1) * CHUNK).min(n);
                let answers = match &own {
                    Ok((s, strings)) => match self.rows_from(s, strings, batch, rows) {
                        Ok(answers) => answers,
                        Err(e) => {
                            // The batch fails: the other threads need not go on.
                            next.store(chunks, std::sync::atomic::Ordering::Relaxed);
                            return Err(e);
                        }
                    },
                    Err((g, m)) => {
                        let names = self.names(batch, rows.clone());
                        let queries: Vec<Query> = names.iter().map(|n| Query::new(n)).collect();
                        let keys: Vec<QueryKeys> = queries.iter().map(|q| q.keys(false)).collect();
                        std::hint::black_box(m.touch(g, &keys));
                        rows.zip(&queries)
                            .map(|(i, q)| self.row(g, m, batch, i, q).0)
                            .collect()
                    }
                };
                done.push((c, answers));
            }
        };
        let mut parts = if threads <= 1 || chunks <= 1 {
            work()?
        } else {
            std::thread::scope(|s| -> Result<_, Error> {
                let others: Vec<_> = (1..threads.min(chunks)).map(|_| s.spawn(work)).collect();
                let mut parts = work()?;
                for o in others {
                    parts.extend(o.join().unwrap_or_else(|e| std::panic::resume_unwind(e))?);
                }
                Ok(parts)
            })?
        };
        parts.sort_unstable_by_key(|p| p.0);
        let mut out = Vec::with_capacity(n);
        for (_, answers) in parts {
            out.extend(answers);
        }
        Ok(out)
    }

    /// The answers of some rows of a batch, from the resolve cache.
    fn rows_from(
        &self,
        snapshot: &crate::snapshot::Snapshot,
        strings: &crate::snapshot::Strings,
        batch: &Batch,
        rows: std::ops::Range<usize>,
    ) -> Result<Vec<Answer>, Error> {
        let damaged = |d: crate::snapshot::Damaged| {
            crate::snapshot::Snapshot::remove(&d);
            Error::DamagedCache(d.0)
        };
        // First only the places with a name of each row's folded key: they answer most
        // rows, and a row answered in that tier has its answer from every place that
        // could give one. The rest go again with the places of the weaker tiers.
        let names = self.names(batch, rows.clone());
        let queries: Vec<Query> = names.iter().map(|n| Query::new(n)).collect();
        let keys: Vec<QueryKeys> = queries.iter().map(|q| q.keys(false)).collect();
        let mut places = Vec::new();
        snapshot.candidates(&keys, &mut places);
        let (g, m) = snapshot
            .gazetteer(places, strings, (false, false))
            .map_err(damaged)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut again = Vec::new();
        for (k, i) in rows.enumerate() {
            let (answer, settled) = self.row(&g, &m, batch, i, &queries[k]);
            if !settled {
                again.push((k, i));
            }
            out.push(answer);
        }
        if again.is_empty() {
            return Ok(out);
        }
        let keys: Vec<QueryKeys> = again.iter().map(|&(k, _)| queries[k].keys(true)).collect();
        let mut places = Vec::new();
        snapshot.candidates(&keys, &mut places);
        let (g, m) = snapshot
            .gazetteer(places, strings, (true, false))
            .map_err(damaged)?;
        for (k, i) in again {
            out[k] = self.row(&g, &m, batch, i, &queries[k]).0;
        }
        Ok(out)
    }

    /// The names of these rows, as text (bytes that are not UTF-8 replaced).
    fn names<'b>(
        &self,
        batch: &'b Batch,
        rows: std::ops::Range<usize>,
    ) -> Vec<std::borrow::Cow<'b, str>> {
        rows.map(|i| String::from_utf8_lossy(batch.name(i)))
            .collect()
    }

    /// One row's answer, and whether it is settled in the strongest tier (exact or
    /// folded), or by finding no name at all to look up.
    fn row(
        &self,
        g: &crate::model::Gazetteer,
        m: &Matcher,
        batch: &Batch,
        i: usize,
        query: &Query,
    ) -> (Answer, bool) {
        if batch.shapes[i] != Shape::Even {
            let r = crate::query::Resolution {
                status: Status::RaggedRow,
                candidates: Vec::new(),
            };
            let mut out = Vec::with_capacity(16);
            append(&r, self.delimiter, self.safe, &mut out);
            return ((RAGGED, out), true);
        }
        let parsed: Option<Result<QueryDate, ()>> = match self.fixed {
            Some(d) => Some(Ok(d.clone())),
            None => {
                let text = String::from_utf8_lossy(batch.date(i));
                let text = text.trim();
                (!text.is_empty()).then(|| parse_query(text, self.calendar).map_err(|_| ()))
            }
        };
        let r = resolve_query(
            g,
            m,
            query,
            parsed.as_ref().map(|p| p.as_ref().map_err(|_| ())),
            self.filter,
        );
        let mut out = Vec::with_capacity(64);
        append(&r, self.delimiter, self.safe, &mut out);
        let mut status = Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0);
        if r.status == Status::NotFound
            && self.filter.narrows()
            && !crate::query::lookup_query(g, m, query, &self.filter.without_narrowing()).is_empty()
        {
            status = HIDDEN;
        }
        // (A query of punctuation only is settled too, but rare: it simply goes again.)
        let settled = r.status == Status::EmptyName
            || (!r.candidates.is_empty()
                && r.candidates.iter().all(|c| c.how <= MatchKind::Folded));
        ((status, out), settled)
    }
}

/// The index of [`Status::RaggedRow`] in `Status::ALL`.
const RAGGED: usize = Status::ALL.len() - 1;
const _: () = assert!(matches!(Status::ALL[RAGGED], Status::RaggedRow));

/// Set by Ctrl-C during `resolve`.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// From here on, Ctrl-C asks `resolve` to stop after the row it is writing; a second
/// Ctrl-C stops at once. (Not set up for the other commands, which Ctrl-C simply ends.)
fn catch_ctrl_c() {
    INTERRUPTED.store(false, std::sync::atomic::Ordering::Relaxed);
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            std::process::exit(130);
        }
    });
}

pub fn run(
    config: &Config,
    task: &ResolveTask,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    // With big --data files, the resolve cache spares reading and validating them again.
    let plan = config.cache.as_ref().and_then(|dir| {
        let size: u64 = config
            .data
            .iter()
            .map(|i| match i {
                crate::source::Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
                _ => 0,
            })
            .sum();
        let inputs = crate::cache::inputs(config.builtin, &config.data)?;
        let context = crate::cache::context(config.builtin, &config.data)?;
        (size >= crate::cache::MIN_SIZE).then_some((dir, inputs, context))
    });
    let snapshot = plan
        .filter(|_| !config.filter.fuzzy)
        .and_then(|(dir, inputs, context)| crate::snapshot::Snapshot::open(dir, inputs, context));
    let loaded = match snapshot {
        Some(_) => None,
        None => {
            let (g, clean) = super::load_all_clean(config, stderr)?;
            let matcher = Matcher::new(&g);
            Some((g, matcher, clean))
        }
    };
    // A --type or --country no place has would leave every row not_found: refused.
    if config.filter.narrows() {
        let known = match (&snapshot, &loaded) {
            (Some(s), _) => {
                // The snapshot's shared strings mix languages and file names with the
                // types (stored lowercase) and countries (two capitals): a value among
                // them is taken as known.
                let strings: Vec<&str> = s.shared_strings().collect();
                crate::query::Known {
                    kinds: strings
                        .iter()
                        .copied()
                        .filter(|t| t.to_lowercase() == *t)
                        .collect(),
                    countries: strings
                        .iter()
                        .copied()
                        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
                        .collect(),
                }
            }
            (None, Some((g, _, _))) => crate::query::Known::of(g),
            (None, None) => unreachable!("either the cache or the data is loaded"),
        };
        let why = super::Narrowing::with(&config.filter, &known, None);
        if !why.unknown.is_empty() {
            return Err(Error::Usage(why.unknown.join("; ")));
        }
    }
    let file = task.input.display_name();
    let io_err = |source| Error::Io {
        path: file.clone(),
        source,
    };
    let out_err = Error::Output;

    let mut input = std::io::BufReader::with_capacity(1 << 16, task.input.open()?);
    // A byte-order mark is passed through as it came, and kept away from the csv reader.
    if input.fill_buf().map_err(io_err)?.starts_with(BOM) {
        stdout.write_all(BOM).map_err(out_err)?;
        input.consume(3);
    }
    let seen = Rc::new(RefCell::new(Vec::with_capacity(1 << 17)));
    let tee = Tee {
        inner: input,
        seen: seen.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(task.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_reader(QuoteScan::new(tee, task.delimiter));

    let fixed_date = match &task.date {
        DateSource::Fixed(d) => Some(d.clone()),
        DateSource::Column(_) => None,
    };
    let mut columns: Option<(usize, Option<usize>)> = None;
    // Fields of the header (with --no-headers, of the first row): every row should have
    // as many.
    let mut width = 0usize;
    // The line and field count of the first ragged row, reported after the last row.
    let mut first_ragged: Option<(u64, usize)> = None;
    // With --strict, the first ragged row: the rows before it go out, then this error.
    let mut stop: Option<Error> = None;
    let mut counts = [0u64; Status::ALL.len() + 1];
    let mut rows = 0u64;
    let mut base = 0usize; // stream offset of seen[0]
    let mut record = csv::ByteRecord::new();
    let mut terminator: &[u8] = b"\n";
    let mut batch = Batch::default();
    let mut broken = None;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let resolver = Resolver {
        source: match (&snapshot, &loaded) {
            (Some(s), _) => Source::Snapshot(s),
            (None, Some((g, m, _))) => Source::Loaded(g, m),
            (None, None) => unreachable!("either the cache or the data is loaded"),
        },
        fixed: fixed_date.as_ref(),
        calendar: task.calendar,
        delimiter: task.delimiter,
        safe: config.style.csv_safe,
        filter: &config.filter,
    };
    // Ctrl-C before this point ends the program at once: nothing has been written yet.
    catch_ctrl_c();
    let resolver = &resolver;
    std::thread::scope(|scope| -> Result<(), Error> {
        // The data was read whole and clean, and did not change meanwhile: the resolve
        // cache is written beside the answering (the process waits for it at the end).
        if let (Some((g, matcher, true)), Some((dir, inputs, context))) = (&loaded, plan)
            && crate::cache::context(config.builtin, &config.data) == Some(context)
            && crate::cache::settled(&config.data)
        {
            scope.spawn(move || crate::snapshot::write(dir, inputs, context, g, matcher));
        }
        let (to_work, work) = std::sync::mpsc::sync_channel::<(Batch, &[u8])>(1);
        let (to_main, answered) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for (batch, terminator) in work {
                let answers = resolver.run(&batch, threads);
                if to_main.send((batch, terminator, answers)).is_err() {
                    break;
                }
            }
        });
        let mut in_flight = 0usize;
        loop {
            let more = match reader.read_byte_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    // The rows before the damage are still answered, then the error.
                    broken = Some(if let csv::ErrorKind::Io(_) = e.kind() {
                        io_err(crate::error::io_error_of_csv(e))
                    } else {
                        let at = e.position().map(|p| p.line());
                        Error::BrokenInput(Diagnostic::error(
                            &file,
                            at,
                            None,
                            format!("not valid CSV: {e}"),
                        ))
                    });
                    false
                }
            };
            // After a ragged row with --strict, the rows before it go out, and no more.
            let more = more && stop.is_none();
            if !more || batch.len() >= BATCH {
                // (After a ragged row with --strict, the reader may have looked further
                // ahead than the rows in the batch: a quote left open there is not theirs.)
                if !more && stop.is_none() && reader.get_ref().unclosed().is_some() {
                    // The last row swallowed the rest of the input: it is not a row.
                    batch.pop();
                }
                // The batch is answered on other threads while the next one is read.
                let full = std::mem::take(&mut batch);
                if to_work.send((full, terminator)).is_err() {
                    break; // the worker stopped: its error is below
                }
                in_flight += 1;
                while in_flight > usize::from(more) {
                    let Ok((done, terminator, answers)) = answered.recv() else {
                        break;
                    };
                    in_flight -= 1;
                    for (i, (status, suffix)) in answers?.iter().enumerate() {
                        // Ctrl-C stops between rows: the output ends with a whole row.
                        if INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed) {
                            stdout.flush().map_err(out_err)?;
                            return Err(Error::Interrupted { rows });
                        }
                        counts[*status] += 1;
                        let line = done.line(i);
                        match done.shapes[i] {
                            Shape::Even => {
                                stdout.write_all(line).map_err(out_err)?;
                                stdout.write_all(suffix).map_err(out_err)?;
                            }
                            Shape::Short(missing) => {
                                stdout.write_all(line).map_err(out_err)?;
                                stdout
                                    .write_all(&vec![task.delimiter; missing])
                                    .map_err(out_err)?;
                                stdout.write_all(suffix).map_err(out_err)?;
                            }
                            Shape::Long(at) => {
                                stdout.write_all(&line[..at]).map_err(out_err)?;
                                stdout.write_all(suffix).map_err(out_err)?;
                                stdout.write_all(&line[at..]).map_err(out_err)?;
                            }
                        }
                        stdout.write_all(terminator).map_err(out_err)?;
                        rows += 1;
                    }
                    if task.progress && rows > 0 {
                        let _ = write!(stderr, "\rgazetteer: {rows} rows resolved");
                    }
                }
                if !more {
                    break;
                }
            }
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let end = reader.position().byte() as usize;
            {
                let seen = seen.borrow();
                let raw = &seen[start - base..end - base];
                // The csv reader drops a byte-order mark at the start of its input (the
                // input's own was passed through before it: this is a second one).
                let at_start = start == 0;
                let content = trim_line(raw, at_start);
                let seen_by_reader = match content.strip_prefix(BOM) {
                    Some(rest) if at_start => rest,
                    _ => content,
                };
                if seen_by_reader.iter().all(u8::is_ascii_whitespace) && record.len() <= 1 {
                    continue; // a blank line is not a row
                }
                if raw.ends_with(b"\r\n") {
                    terminator = b"\r\n";
                }
                match columns {
                    None => {
                        let cols = find_columns(task, &record, &file)?;
                        columns = Some(cols);
                        width = record.len();
                        if task.headers {
                            let mut line = content.to_vec();
                            for c in COLUMNS {
                                line.push(task.delimiter);
                                push_field(&mut line, c, task.delimiter);
                            }
                            line.extend_from_slice(terminator);
                            stdout.write_all(&line).map_err(out_err)?;
                        } else {
                            let even = Shape::Even;
                            batch.push(content, &record, cols, fixed_date.is_none(), even);
                        }
                    }
                    Some(cols) => {
                        // The reader's view of the row starts after a byte-order mark it dropped.
                        let skipped = content.len() - seen_by_reader.len();
                        let shape = match shape(seen_by_reader, record.len(), width, task.delimiter)
                        {
                            Shape::Long(at) => Shape::Long(skipped + at),
                            other => other,
                        };
                        if shape != Shape::Even {
                            let line = crate::source::first_line(&reader, &record);
                            if task.strict {
                                stop = Some(Error::BrokenInput(Diagnostic::error(
                                    &file,
                                    Some(line),
                                    None,
                                    format!(
                                        "{} where {}: quote the fields that hold the \
                                         delimiter {}, or fix the row (without --strict, such a \
                                         row is marked ragged_row and the others are resolved)",
                                        fields(record.len()),
                                        width_of(task, width),
                                        delimiter_name(task.delimiter),
                                    ),
                                )));
                                continue;
                            }
                            first_ragged.get_or_insert((line, record.len()));
                        }
                        batch.push(content, &record, cols, fixed_date.is_none(), shape);
                    }
                }
            }
            let done = end - base;
            if done > 1 << 20 {
                seen.borrow_mut().drain(..done);
                base = end;
            }
        }
        // The last rows go out now, not after the resolve cache is written.
        stdout.flush().map_err(out_err)?;
        Ok(())
    })?;
    if task.progress {
        let _ = write!(stderr, "\r\x1b[K");
    }
    if let Some(e) = stop.or(broken) {
        stdout.flush().map_err(out_err)?;
        return Err(e);
    }
    if let Some(opened) = reader.get_ref().unclosed() {
        return Err(Error::BrokenInput(Diagnostic::error(
            &file,
            Some(opened),
            None,
            "a quoted field opened on this line is never closed, so the rest of the input was read \
             as one field: add the closing '\"'"
                .to_string(),
        )));
    }
    if columns.is_none() {
        return Err(Error::BrokenInput(Diagnostic::error(
            &file,
            None,
            None,
            "the input is empty: nothing to resolve".into(),
        )));
    }
    stdout.flush().map_err(out_err)?;
    let hidden = counts[HIDDEN];
    if let Some((line, count)) = first_ragged {
        let others = match counts[RAGGED] - 1 {
            0 => String::new(),
            1 => " (and 1 more row)".to_string(),
            n => format!(" (and {n} more rows)"),
        };
        let warning = Diagnostic::warning(
            &file,
            Some(line),
            None,
            format!(
                "{} where {}{others}: such a row is not looked up, its gz_status is \
                 ragged_row; quote the fields that hold the delimiter {}, or pass --strict to stop \
                 at the first",
                fields(count),
                width_of(task, width),
                delimiter_name(task.delimiter),
            ),
        );
        writeln!(stderr, "gazetteer: {warning}").map_err(out_err)?;
    }
    let summary: Vec<String> = Status::ALL
        .iter()
        .zip(counts)
        .map(|(s, n)| {
            let n = if *s == Status::NotFound {
                n + hidden
            } else {
                n
            };
            format!("{n} {}", s.as_str().replace('_', " "))
        })
        .collect();
    writeln!(
        stderr,
        "gazetteer: resolved {rows} row{}: {}",
        if rows == 1 { "" } else { "s" },
        summary.join(", ")
    )
    .map_err(out_err)?;
    if hidden > 0 {
        let mut by = Vec::new();
        if let Some(k) = &config.filter.kind {
            by.push(format!("of type '{}'", crate::text::sanitize(k)));
        }
        if let Some(c) = &config.filter.country {
            by.push(format!("in country '{c}'"));
        }
        writeln!(
            stderr,
            "gazetteer: {hidden} of the rows not found name places that exist, but none {}",
            by.join(" ")
        )
        .map_err(out_err)?;
    }
    // Freeing millions of names one by one takes most of a second, and the process is
    // about to end: let the operating system reclaim the memory at once.
    std::mem::forget(loaded);
    std::mem::forget(snapshot);
    Ok(ExitCode::Answered)
}

/// How a row of `fields` fields lines up with rows of `width`. `line` is the row as the
/// csv reader read it.
fn shape(line: &[u8], fields: usize, width: usize, delimiter: u8) -> Shape {
    match fields.cmp(&width) {
        std::cmp::Ordering::Equal => Shape::Even,
        std::cmp::Ordering::Less => Shape::Short(width - fields),
        // (`field_end` finds it in any row the csv reader read as that many fields.)
        std::cmp::Ordering::Greater => {
            Shape::Long(field_end(line, delimiter, width).unwrap_or(line.len()))
        }
    }
}

/// Where field `n` (1-based) of a row ends: the byte of the delimiter after it. Quotes are
/// read as the csv reader reads them: a quote opens a quoted field only at the start of a
/// field, inside one two quotes stand for one, and after its closing quote the field goes
/// on unquoted up to the next delimiter.
fn field_end(line: &[u8], delimiter: u8, n: usize) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum At {
        Start,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let mut at = At::Start;
    let mut ended = 0;
    for (i, &b) in line.iter().enumerate() {
        at = match at {
            At::Quoted if b == b'"' => At::QuoteInQuoted,
            At::Quoted => At::Quoted,
            At::Start | At::QuoteInQuoted if b == b'"' => At::Quoted,
            _ if b == delimiter => {
                ended += 1;
                if ended == n {
                    return Some(i);
                }
                At::Start
            }
            _ => At::Plain,
        };
    }
    None
}

/// What a row's field count is compared with, for messages.
fn width_of(task: &ResolveTask, width: usize) -> String {
    let what = if task.headers {
        "the header"
    } else {
        "the first row"
    };
    format!("{what} has {width}")
}

/// "1 field", "3 fields".
fn fields(n: usize) -> String {
    format!("{n} field{}", if n == 1 { "" } else { "s" })
}

/// The delimiter, for messages.
fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "(tab)".to_string(),
        d => format!("'{}'", char::from(d)),
    }
}

/// A UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A record's bytes without the blank lines the reader skipped before it and without
/// its line end. Rows end at LF, after an optional CR: the blank lines the reader skips
/// are LFs, and any other CR is data, kept (a row may start with one). `at_start`: the
/// record begins the reader's input, where the reader drops a byte-order mark; one alone
/// on its line leaves a blank line it skips.
fn trim_line(raw: &[u8], at_start: bool) -> &[u8] {
    let raw = match raw.strip_prefix(BOM) {
        Some(rest) if at_start && rest.starts_with(b"\n") => rest,
        _ => raw,
    };
    let start = raw.iter().position(|&b| b != b'\n').unwrap_or(raw.len());
    let mut line = &raw[start..];
    if let Some(rest) = line.strip_suffix(b"\n") {
        line = rest.strip_suffix(b"\r").unwrap_or(rest);
    }
    line
}

/// The 0-based positions of the name and date columns, from the first record.
fn find_columns(
    task: &ResolveTask,
    first: &csv::ByteRecord,
    file: &str,
) -> Result<(usize, Option<usize>), Error> {
    let header: Vec<String> = first
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect();
    let find = |c: &ColumnRef, what: &str| -> Result<usize, Error> {
        let found = match c {
            ColumnRef::Name(n) if task.headers => header
                .iter()
                .position(|h| h == n || h.eq_ignore_ascii_case(n)),
            ColumnRef::Number(k) if task.headers => {
                // A header may itself be named "2": the name wins.
                header
                    .iter()
                    .position(|h| *h == k.to_string())
                    .or((*k <= header.len()).then(|| k - 1))
            }
            ColumnRef::Number(k) => (*k <= first.len()).then(|| k - 1),
            ColumnRef::Name(_) => None,
        };
        found.ok_or_else(|| {
            let shown = match c {
                ColumnRef::Name(n) => format!("no column named '{n}'"),
                ColumnRef::Number(k) => format!("no column {k}: the first row has {} columns", first.len()),
            };
            let choices = if task.headers {
                format!(" (columns: {})", header.join(", "))
            } else {
                String::new()
            };
            Error::BrokenInput(Diagnostic::error(
                file,
                Some(1),
                None,
                format!("{what}: {shown}{choices}; name the column by header or by number (1 is the first)"),
            ))
        })
    };
    let name = find(&task.name, "--name-column")?;
    let date = match &task.date {
        DateSource::Column(c) => Some(find(c, "--date-column")?),
        DateSource::Fixed(_) => None,
    };
    Ok((name, date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fields of one row, as the csv reader reads them.
    fn fields(line: &[u8]) -> Vec<Vec<u8>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(line);
        let mut record = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).unwrap() {
            return vec![Vec::new()]; // no bytes: one empty field
        }
        record.iter().map(<[u8]>::to_vec).collect()
    }

    #[test]
    fn a_long_row_is_split_after_the_headers_width() {
        let line = b"\"a,\"\"b\",x\"y,,\"c\"d,e";
        assert_eq!(fields(line).len(), 5);
        assert_eq!(shape(line, 5, 2, b','), Shape::Long(11));
        assert_eq!(&line[..11], b"\"a,\"\"b\",x\"y");
        assert_eq!(shape(line, 5, 5, b','), Shape::Even);
        assert_eq!(shape(line, 5, 7, b','), Shape::Short(2));
    }

    proptest! {
        /// Cut where `field_end` says, a row reads as its first `n` fields, as the csv
        /// reader reads them: quoted or not, with quotes, delimiters and CRs inside.
        #[test]
        fn field_end_agrees_with_the_csv_reader(
            cells in proptest::collection::vec("[a\",\r;]{0,4}", 2..6),
            quoted in proptest::collection::vec(any::<bool>(), 6),
            n in 1usize..5,
        ) {
            let mut line = Vec::new();
            for (i, c) in cells.iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                if quoted[i] {
                    line.push(b'"');
                    line.extend_from_slice(c.replace('"', "\"\"").as_bytes());
                    line.push(b'"');
                } else {
                    line.extend_from_slice(c.as_bytes());
                }
            }
            let all = fields(&line);
            prop_assume!(n < all.len());
            let at = field_end(&line, b',', n).expect("the row has more fields");
            prop_assert_eq!(line[at], b',');
            prop_assert_eq!(fields(&line[..at]), all[..n].to_vec());
        }
    }
}
