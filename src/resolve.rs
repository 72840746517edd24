//! The engine of `gazetteer resolve`: every row of a CSV file annotated with the place its
//! name denotes and the name it bore at the row's date.
//!
//! Streams in batches of `BATCH` rows: while one batch is answered on every core, the
//! next is read and the one before written, so memory does not grow with the input. The input row is copied byte for byte (what the csv reader
//! consumed for it, kept by `Tee`), with the new columns appended.

use crate::config::{ColumnRef, DateSource, ResolveTask};
use crate::date::{DateOrder, QueryDate, parse_query_in};
use crate::error::{Diagnostic, Error};
use crate::matching::{KeySet, MatchKind, Matcher, Query, QueryKeys};
use crate::query::{Status, resolve_query};
use crate::render::resolve::{Extra, Output, ResolveFormat, append, headers, push_field};
use crate::source::{BOM, QuoteScan};
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

/// Rows read but not yet resolved: each row's text as read, and its name, date and
/// country cells.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    /// Per row: end of its line, of its name, of its date, of its country, in `bytes`.
    ends: Vec<(usize, usize, usize, usize)>,
    shapes: Vec<Shape>,
}

/// The 0-based positions of the columns a row is resolved by.
#[derive(Debug, Clone, Copy)]
struct Columns {
    name: usize,
    /// `None` with `--date`.
    date: Option<usize>,
    /// `--country-column`.
    country: Option<usize>,
}

impl Batch {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.shapes.pop();
        let end = self.ends.last().map_or(0, |e| e.3);
        self.bytes.truncate(end);
    }

    fn push(
        &mut self,
        line: &[u8],
        record: &csv::ByteRecord,
        columns: Columns,
        with_date: bool,
        shape: Shape,
    ) {
        self.bytes.extend_from_slice(line);
        let line_end = self.bytes.len();
        // A ragged row is not looked up: its cells may not be what their headers say.
        let even = shape == Shape::Even;
        if even {
            self.bytes
                .extend_from_slice(record.get(columns.name).unwrap_or_default());
        }
        let name_end = self.bytes.len();
        if even
            && with_date
            && let Some(d) = columns.date
        {
            self.bytes
                .extend_from_slice(record.get(d).unwrap_or_default());
        }
        let date_end = self.bytes.len();
        if even && let Some(c) = columns.country {
            self.bytes
                .extend_from_slice(record.get(c).unwrap_or_default());
        }
        self.ends
            .push((line_end, name_end, date_end, self.bytes.len()));
        self.shapes.push(shape);
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1].3 }
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

    fn country(&self, i: usize) -> &[u8] {
        &self.bytes[self.ends[i].2..self.ends[i].3]
    }
}

/// Where the places come from: all data loaded, or the resolve cache, whose places are
/// decoded batch by batch.
pub(crate) enum Source<'a> {
    Loaded(&'a crate::model::Gazetteer, &'a Matcher),
    Snapshot(&'a crate::store::Snapshot),
}

/// What every row is resolved against.
pub(crate) struct Resolver<'a> {
    pub(crate) source: Source<'a>,
    pub(crate) fixed: Option<&'a QueryDate>,
    pub(crate) calendar: crate::date::Calendar,
    /// `--date-order`, for dates such as 03/12/1890.
    pub(crate) order: Option<DateOrder>,
    /// The format, delimiter and prefix of what is written.
    pub(crate) output: Output<'a>,
    pub(crate) filter: &'a crate::query::Filter,
    /// `--pick first`: an ambiguous row takes its first candidate.
    pub(crate) pick: bool,
    /// With `--country-column`, the country codes the data uses (a row may name one that
    /// ISO 3166-1 does not assign, as `--country` may).
    pub(crate) countries: Option<&'a std::collections::BTreeSet<String>>,
}

/// A row's status (as an index into `Status::ALL`, or [`HIDDEN`]), whether its country
/// cell named no country, and the columns to append.
type Answer = (usize, bool, Vec<u8>);

/// The status index of a row that is not_found only because `--type` or `--country` left
/// out the places of its name (counted apart for the summary).
pub(crate) const HIDDEN: usize = Status::ALL.len();

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
            loop {
                let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if c >= chunks {
                    return Ok(done);
                }
                let rows = c * CHUNK..((c + 1) * CHUNK).min(n);
                let answers = match self.source {
                    Source::Snapshot(s) => match self.rows_from(s, batch, rows) {
                        Ok(answers) => answers,
                        Err(e) => {
                            // The batch fails: the other threads need not go on.
                            next.store(chunks, std::sync::atomic::Ordering::Relaxed);
                            return Err(e);
                        }
                    },
                    Source::Loaded(g, m) => {
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
        snapshot: &crate::store::Snapshot,
        batch: &Batch,
        rows: std::ops::Range<usize>,
    ) -> Result<Vec<Answer>, Error> {
        let damaged = |d: crate::store::Damaged| {
            crate::store::Snapshot::remove(&d);
            match d.0 {
                Some(path) => Error::DamagedCache(path),
                None => Error::DamagedBuiltin,
            }
        };
        // First only the places with a name of each row's folded key: they answer most
        // rows, and a row answered in that tier has its answer from every place that
        // could give one. The rest go again with the places of the weaker tiers.
        let names = self.names(batch, rows.clone());
        let queries: Vec<Query> = names.iter().map(|n| Query::new(n)).collect();
        let keys: Vec<QueryKeys> = queries.iter().map(|q| q.keys(false)).collect();
        let mut places = Vec::new();
        snapshot.candidates(&keys, &mut places).map_err(damaged)?;
        let (g, m) = snapshot
            .gazetteer(places, (false, false, false), Some(&KeySet::of(&keys)))
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
        snapshot.candidates(&keys, &mut places).map_err(damaged)?;
        // No fuzzy tier yet: these places are the ones other rows' keys led to, not the
        // closest spellings of a row's name, so a row answered only fuzzily here would
        // depend on its neighbours in the file. Such a row is not found here, and goes
        // again below with the places of its own closest spellings.
        let (g, m) = snapshot
            .gazetteer(places, (true, false, false), Some(&KeySet::of(&keys)))
            .map_err(damaged)?;
        for &(k, i) in &again {
            out[k] = self.row(&g, &m, batch, i, &queries[k]).0;
        }
        // With --fuzzy, the rows still not found go once more, with the places of their
        // closest spellings too (`crate::store::near`).
        if !self.filter.fuzzy {
            return Ok(out);
        }
        let missed: Vec<(usize, usize)> = again
            .into_iter()
            .filter(|&(k, _)| out[k].0 == NOT_FOUND)
            .collect();
        if missed.is_empty() {
            return Ok(out);
        }
        let keys: Vec<QueryKeys> = missed.iter().map(|&(k, _)| queries[k].keys(true)).collect();
        let mut places = Vec::new();
        snapshot.candidates(&keys, &mut places).map_err(damaged)?;
        for &(k, _) in &missed {
            snapshot
                .near(queries[k].text(), &mut places)
                .map_err(damaged)?;
        }
        let (g, m) = snapshot
            .gazetteer(places, (true, false, self.filter.fuzzy), None)
            .map_err(damaged)?;
        for (k, i) in missed {
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
            append(&r, &Extra::default(), &self.output, &mut out);
            return ((RAGGED, false, out), true);
        }
        let parsed: Option<Result<QueryDate, crate::date::DateError>> = match self.fixed {
            Some(d) => Some(Ok(d.clone())),
            None => {
                let text = String::from_utf8_lossy(batch.date(i));
                let text = text.trim();
                (!text.is_empty()).then(|| parse_query_in(text, self.calendar, self.order))
            }
        };
        let problem = match &parsed {
            Some(Err(e)) => e.to_string(),
            _ => String::new(),
        };
        // The row's own country, when it names one, takes the place of --country.
        let (own, country_problem) = match self.countries {
            None => (None, String::new()),
            Some(data) => {
                let cell = String::from_utf8_lossy(batch.country(i));
                match crate::country::code_of(&cell, &|c| data.contains(c)) {
                    Ok(None) => (None, String::new()),
                    Ok(Some(code)) => (
                        Some(crate::query::Filter {
                            country: Some(code),
                            ..self.filter.clone()
                        }),
                        String::new(),
                    ),
                    Err(e) => (None, e.0),
                }
            }
        };
        let filter = own.as_ref().unwrap_or(self.filter);
        let mut r = resolve_query(
            g,
            m,
            query,
            parsed.as_ref().map(|p| p.as_ref().map_err(|_| ())),
            filter,
        );
        let bad_country = !country_problem.is_empty();
        // A row whose country could not be read is answered as if its cell were empty,
        // and says so in its status (unless it has no name, or nothing bore it).
        if bad_country && !matches!(r.status, Status::EmptyName | Status::NotFound) {
            r.status = Status::BadCountry;
        }
        let mut others = Vec::new();
        if self.pick && r.status == Status::Ambiguous {
            r.status = Status::Picked;
            others = r.candidates.drain(1..).map(|c| &*c.place.id).collect();
        }
        let extra = Extra {
            date_problem: &problem,
            others: &others,
            country_problem: &country_problem,
        };
        // (Room for a row of one answer, most rows' length.)
        let mut out = Vec::with_capacity(128);
        append(&r, &extra, &self.output, &mut out);
        let mut status = Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0);
        if r.status == Status::NotFound
            && filter.narrows()
            && !crate::query::lookup_query(g, m, query, &filter.without_narrowing()).is_empty()
        {
            status = HIDDEN;
        }
        // (A query of punctuation only is settled too, but rare: it simply goes again.)
        let settled = r.status == Status::EmptyName
            || (!r.candidates.is_empty()
                && r.candidates.iter().all(|c| c.how <= MatchKind::Folded));
        ((status, bad_country, out), settled)
    }
}

/// The index of [`Status::NotFound`] in `Status::ALL`.
const NOT_FOUND: usize = {
    let mut i = 0;
    while !matches!(Status::ALL[i], Status::NotFound) {
        i += 1;
    }
    i
};

/// The index of [`Status::RaggedRow`] in `Status::ALL`.
pub(crate) const RAGGED: usize = Status::ALL.len() - 1;
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

/// What a run counted, for the summary.
pub(crate) struct Outcome {
    /// Rows written (the header not counted).
    pub(crate) rows: u64,
    /// Rows per status, as an index into `Status::ALL`, then [`HIDDEN`].
    pub(crate) counts: [u64; Status::ALL.len() + 1],
    /// The line and field count of the first ragged row.
    pub(crate) first_ragged: Option<(u64, usize)>,
    /// Fields of the header (with `--no-headers`, of the first row).
    pub(crate) width: usize,
    /// Rows whose country cell named no country, and the first few distinct such cells.
    pub(crate) bad_countries: (u64, Vec<String>),
    /// Blank lines before a row (no row of the output stands for them), and the line of
    /// the first.
    pub(crate) blank_lines: (u64, Option<u64>),
}

/// How many of the cells that name no country the summary quotes.
pub(crate) const QUOTED_COUNTRIES: usize = 3;

/// Streams `input` (named `file` in messages) through `resolver`: each row is written to
/// `stdout` with the gz_ columns appended, in row order. `beside` runs on a thread of its
/// own meanwhile. Progress goes to the terminal (`crate::progress`) when the task asks
/// for it.
pub(crate) fn stream(
    resolver: &Resolver<'_>,
    task: &ResolveTask,
    (input, file): (Box<dyn Read + '_>, String),
    beside: Option<Box<dyn FnOnce() + Send + '_>>,
    stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> Result<Outcome, Error> {
    let io_err = |source| Error::Io {
        path: file.clone(),
        source,
    };
    let out_err = Error::Output;

    let mut input = std::io::BufReader::with_capacity(1 << 16, input);
    // A byte-order mark is passed through as it came, and kept away from the csv reader.
    if input.fill_buf().map_err(io_err)?.starts_with(BOM) {
        // (JSON Lines has no byte-order mark.)
        if resolver.output.format != ResolveFormat::Jsonl {
            stdout.write_all(BOM).map_err(out_err)?;
        }
        input.consume(3);
    }
    // CSV, and TSV read from TSV, copy each row as read; otherwise each is written anew
    // from its fields (JSON Lines keyed by `keys`, the header's fields).
    let output = resolver.output;
    let copied = output.format == ResolveFormat::Csv
        || (output.format == ResolveFormat::Tsv && task.delimiter == b'\t');
    let mut keys: Vec<String> = Vec::new();
    let seen = Rc::new(RefCell::new(Vec::with_capacity(1 << 17)));
    let tee = Tee {
        inner: input,
        seen: seen.clone(),
    };
    let mut reader = crate::source::records(QuoteScan::new(tee, task.delimiter), task.delimiter);

    let mut columns: Option<Columns> = None;
    let mut bad_countries = (0u64, Vec::new());
    // Fields of the header (with --no-headers, of the first row): every row should have
    // as many.
    let mut width = 0usize;
    // The line and field count of the first ragged row, reported after the last row.
    let mut first_ragged: Option<(u64, usize)> = None;
    // Blank lines before a row, and the line of the first: said after the last row.
    let mut blank_lines: (u64, Option<u64>) = (0, None);
    // With --strict, the first ragged row: the rows before it go out, then this error.
    let mut stop: Option<Error> = None;
    let mut counts = [0u64; Status::ALL.len() + 1];
    let mut rows = 0u64;
    let progress = crate::progress::Progress::counter(task.progress, "rows resolved");
    let mut base = 0usize; // stream offset of seen[0]
    let mut record = csv::ByteRecord::new();
    let mut terminator: &[u8] = b"\n";
    let mut batch = Batch::default();
    let mut broken = None;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    // Ctrl-C before this point ends the program at once: nothing has been written yet.
    catch_ctrl_c();
    std::thread::scope(|scope| -> Result<(), Error> {
        // Work done beside the answering (the resolve cache written): the run waits for it
        // at the end.
        if let Some(beside) = beside {
            scope.spawn(beside);
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
                        Error::BrokenInput(crate::source::not_csv(&file, &e))
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
                    for (i, (status, bad_country, suffix)) in answers?.iter().enumerate() {
                        // Ctrl-C stops between rows: the output ends with a whole row.
                        if INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed) {
                            stdout.flush().map_err(out_err)?;
                            return Err(Error::Interrupted { rows });
                        }
                        counts[*status] += 1;
                        if *bad_country {
                            bad_countries.0 += 1;
                            let quoted = &mut bad_countries.1;
                            let cell = String::from_utf8_lossy(done.country(i));
                            let cell = crate::text::sanitize(cell.trim()).into_owned();
                            if quoted.len() < QUOTED_COUNTRIES && !quoted.contains(&cell) {
                                quoted.push(cell);
                            }
                        }
                        let line = done.line(i);
                        if !copied {
                            let row = rewrite(line, task.delimiter, &keys, suffix, &output);
                            stdout.write_all(&row).map_err(out_err)?;
                            let end: &[u8] = match output.format {
                                ResolveFormat::Jsonl => b"\n",
                                _ => terminator,
                            };
                            stdout.write_all(end).map_err(out_err)?;
                            rows += 1;
                            continue;
                        }
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
                    progress.set(rows);
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
                let (skipped, content) = trim_line(raw, at_start);
                let seen_by_reader = match content.strip_prefix(BOM) {
                    Some(rest) if at_start => rest,
                    _ => content,
                };
                // The blank lines the reader skipped before this record, and the record
                // itself when it is one.
                let blank = seen_by_reader.iter().all(u8::is_ascii_whitespace) && record.len() <= 1;
                if skipped > 0 || blank {
                    let line = crate::source::first_line(&reader, &record);
                    blank_lines.0 += skipped + u64::from(blank);
                    blank_lines
                        .1
                        .get_or_insert(line.saturating_sub(skipped).max(1));
                }
                if blank {
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
                        let added = headers(&output);
                        keys = if task.headers {
                            record
                                .iter()
                                .map(|f| String::from_utf8_lossy(f).into_owned())
                                .collect()
                        } else {
                            (1..=width).map(|n| n.to_string()).collect()
                        };
                        if task.headers
                            && let Some(clash) = added.iter().find(|a| keys.contains(a))
                        {
                            return Err(Error::Usage(format!(
                                "{file} already has a column '{clash}' (resolved before?): \
                                 pass --prefix to name the new columns apart, as in \
                                 --prefix death_"
                            )));
                        }
                        if task.headers && output.format != ResolveFormat::Jsonl {
                            let mut line = if copied {
                                content.to_vec()
                            } else {
                                let mut line = Vec::new();
                                for (k, f) in record.iter().enumerate() {
                                    if k > 0 {
                                        line.push(output.delimiter);
                                    }
                                    push_field(
                                        &mut line,
                                        &String::from_utf8_lossy(f),
                                        output.delimiter,
                                    );
                                }
                                line
                            };
                            for c in &added {
                                line.push(output.delimiter);
                                push_field(&mut line, c, output.delimiter);
                            }
                            line.extend_from_slice(terminator);
                            stdout.write_all(&line).map_err(out_err)?;
                        } else if !task.headers {
                            let even = Shape::Even;
                            batch.push(content, &record, cols, resolver.fixed.is_none(), even);
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
                        batch.push(content, &record, cols, resolver.fixed.is_none(), shape);
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
    drop(progress);
    if let Some(e) = stop.or(broken) {
        stdout.flush().map_err(out_err)?;
        return Err(e);
    }
    if let Some(opened) = reader.get_ref().unclosed() {
        return Err(Error::BrokenInput(crate::source::unclosed_quote(
            &file, opened,
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
    Ok(Outcome {
        rows,
        counts,
        first_ragged,
        width,
        bad_countries,
        blank_lines,
    })
}

/// A row written anew from its fields (TSV from other input, or JSON Lines): the fields
/// of `line` (read with the input's delimiter), short rows padded to the header's width,
/// then the appended `suffix`; in JSON Lines, an object keyed by `keys` (a field past
/// them by its column number).
fn rewrite(
    line: &[u8],
    delimiter: u8,
    keys: &[String],
    suffix: &[u8],
    output: &Output<'_>,
) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(line);
    let mut record = csv::ByteRecord::new();
    // The line was read as one row already, so it reads again.
    let _ = reader.read_byte_record(&mut record);
    let fields: Vec<std::borrow::Cow<'_, str>> =
        record.iter().map(String::from_utf8_lossy).collect();
    let width = keys.len();
    let mut out = Vec::with_capacity(line.len() + suffix.len() + 16);
    if output.format == ResolveFormat::Jsonl {
        out.push(b'{');
        for k in 0..fields.len().max(width) {
            if k > 0 {
                out.push(b',');
            }
            let number = (k + 1).to_string();
            let key = keys.get(k).unwrap_or(&number);
            let value = fields.get(k).map_or("", |f| f);
            // Writing JSON into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut out, key);
            out.push(b':');
            let _ = serde_json::to_writer(&mut out, value);
        }
        if fields.is_empty() && width == 0 {
            // (No field before the answer's members: drop their leading comma.)
            out.extend_from_slice(suffix.strip_prefix(b",").unwrap_or(suffix));
        } else {
            out.extend_from_slice(suffix);
        }
        out.push(b'}');
        return out;
    }
    for k in 0..width {
        if k > 0 {
            out.push(output.delimiter);
        }
        push_field(&mut out, fields.get(k).map_or("", |f| f), output.delimiter);
    }
    out.extend_from_slice(suffix);
    for extra in fields.iter().skip(width) {
        out.push(output.delimiter);
        push_field(&mut out, extra, output.delimiter);
    }
    out
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
pub(crate) fn width_of(task: &ResolveTask, width: usize) -> String {
    let what = if task.headers {
        "the header"
    } else {
        "the first row"
    };
    format!("{what} has {width}")
}

/// "1 field", "3 fields".
pub(crate) fn fields(n: usize) -> String {
    format!("{n} field{}", if n == 1 { "" } else { "s" })
}

/// The delimiter, for messages.
pub(crate) fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "(tab)".to_string(),
        d => format!("'{}'", char::from(d)),
    }
}

/// A record's bytes without the blank lines the reader skipped before it and without
/// its line end, and how many such blank lines there were. Rows end at LF, after an
/// optional CR: the blank lines the reader skips are LFs, and any other CR is data, kept
/// (a row may start with one). `at_start`: the record begins the reader's input, where
/// the reader drops a byte-order mark; one alone on its line leaves a blank line it skips.
fn trim_line(raw: &[u8], at_start: bool) -> (u64, &[u8]) {
    let raw = match raw.strip_prefix(BOM) {
        Some(rest) if at_start && rest.starts_with(b"\n") => rest,
        _ => raw,
    };
    let start = raw.iter().position(|&b| b != b'\n').unwrap_or(raw.len());
    let mut line = &raw[start..];
    if let Some(rest) = line.strip_suffix(b"\n") {
        line = rest.strip_suffix(b"\r").unwrap_or(rest);
    }
    (start as u64, line)
}

/// The 0-based positions of the name, date and country columns, from the first record.
fn find_columns(task: &ResolveTask, first: &csv::ByteRecord, file: &str) -> Result<Columns, Error> {
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
    let country = match &task.country {
        Some(c) => Some(find(c, "--country-column")?),
        None => None,
    };
    Ok(Columns {
        name,
        date,
        country,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fields of one row, as the csv reader reads them.
    fn fields(line: &[u8]) -> Vec<Vec<u8>> {
        let mut reader = crate::source::records(line, b',');
        let mut record = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).unwrap() {
            return vec![Vec::new()]; // no bytes: one empty field
        }
        record.iter().map(<[u8]>::to_vec).collect()
    }

    use crate::render::resolve::COLUMNS;

    /// A small gazetteer: Volgograd under its three names, and a place with no dates.
    fn gazetteer() -> crate::model::Gazetteer {
        let csv = "place_id,name,start,end,lang\n\
                   v,Tsaritsyn,1589,1925-04-10,en\n\
                   v,Stalingrad,1925-04-10,1961-11-10,en\n\
                   v,Volgograd,1961-11-10,,en\n";
        let v = crate::validate::validate(&[crate::source::parse("g.csv", csv.as_bytes())]);
        assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);
        v.gazetteer
    }

    fn task(strict: bool) -> ResolveTask {
        ResolveTask {
            input: crate::source::Input::Stdin,
            name: ColumnRef::Name("town".into()),
            date: DateSource::Column(ColumnRef::Name("year".into())),
            calendar: crate::date::Calendar::Gregorian,
            headers: true,
            delimiter: b',',
            progress: false,
            strict,
            format: ResolveFormat::Csv,
            prefix: crate::render::resolve::PREFIX.to_string(),
            order: None,
            pick: false,
            country: None,
        }
    }

    /// Streams `input` against [`gazetteer`]: what was written, and what was counted (or
    /// the error, with what was written before it).
    fn stream_bytes(input: &[u8], task: &ResolveTask) -> (String, Result<Outcome, Error>) {
        let g = gazetteer();
        let m = Matcher::new(&g);
        let filter = crate::query::Filter::default();
        let resolver = Resolver {
            source: Source::Loaded(&g, &m),
            fixed: None,
            calendar: task.calendar,
            order: None,
            output: Output {
                format: task.format,
                delimiter: task.delimiter,
                safe: false,
                prefix: &task.prefix,
                pick: task.pick,
                country: task.country.is_some(),
            },
            filter: &filter,
            pick: task.pick,
            countries: None,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = stream(
            &resolver,
            task,
            (Box::new(input), "in.csv".to_string()),
            None,
            &mut out,
            &mut err,
        );
        (String::from_utf8(out).unwrap(), outcome)
    }

    fn count(o: &Outcome, status: Status) -> u64 {
        o.counts[Status::ALL.iter().position(|s| *s == status).unwrap()]
    }

    #[test]
    fn each_row_is_written_as_read_with_its_answer_appended() {
        let input = b"town,year\r\nStalingrad,1950\r\n\r\n\"Nowhere\",1950\r\nVolgograd,\r\n";
        let (out, outcome) = stream_bytes(input, &task(false));
        let o = outcome.unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.len(), 5, "{out}");
        assert_eq!(lines[0], format!("town,year,{}", COLUMNS.join(",")));
        assert!(
            lines[1].starts_with("Stalingrad,1950,v,Stalingrad,Volgograd,"),
            "{out}"
        );
        assert!(lines[2].starts_with("\"Nowhere\",1950,,"), "{out}");
        assert!(lines[2].contains(",not_found"), "{out}");
        assert!(lines[3].starts_with("Volgograd,,v,"), "{out}");
        assert_eq!(lines[4], "");
        assert_eq!(o.rows, 3);
        assert_eq!(o.width, 2);
        assert_eq!(count(&o, Status::NotFound), 1);
        assert_eq!(o.counts.iter().sum::<u64>(), 3);
        assert_eq!(o.first_ragged, None);
    }

    #[test]
    fn a_ragged_row_is_marked_and_its_fields_kept_around_the_answer() {
        let input = b"town,year\nStalingrad,1950,extra\nVolgograd\nTsaritsyn,1900\n";
        let (out, outcome) = stream_bytes(input, &task(false));
        let o = outcome.unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        // Too long: the answer under the headers, the extra field after it.
        assert!(lines[1].starts_with("Stalingrad,1950,"), "{out}");
        assert!(lines[1].ends_with(",extra"), "{out}");
        assert!(lines[1].contains("ragged_row"), "{out}");
        // Too short: an empty field first, so that the answer stands under its headers.
        assert!(lines[2].starts_with("Volgograd,,"), "{out}");
        assert!(lines[2].contains("ragged_row"), "{out}");
        assert_eq!(lines[1].split(',').count(), 2 + COLUMNS.len() + 1, "{out}");
        assert_eq!(lines[2].split(',').count(), 2 + COLUMNS.len(), "{out}");
        assert!(
            lines[3].starts_with("Tsaritsyn,1900,v,Tsaritsyn,Volgograd,"),
            "{out}"
        );
        assert_eq!(o.rows, 3);
        assert_eq!(o.counts[RAGGED], 2);
        assert_eq!(o.first_ragged, Some((2, 3)));
    }

    #[test]
    fn with_strict_a_ragged_row_stops_the_run_after_the_rows_before_it() {
        let input = b"town,year\nStalingrad,1950\nVolgograd\nTsaritsyn,1900\n";
        let (out, outcome) = stream_bytes(input, &task(true));
        match outcome {
            Err(Error::BrokenInput(d)) => {
                let shown = d.to_string();
                assert!(shown.contains("in.csv"), "{shown}");
                assert!(shown.contains("1 field where the header has 2"), "{shown}");
            }
            Err(e) => panic!("another error: {e}"),
            Ok(_) => panic!("a ragged row with --strict was accepted"),
        }
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines[1].starts_with("Stalingrad,1950,v,"), "{out}");
    }

    #[test]
    fn rows_keep_their_order_and_count_across_batches() {
        let names = ["Stalingrad", "Nowhere", "Tsaritsyn"];
        let n = BATCH * 2 + 7;
        let mut input = String::from("id,town,year\n");
        for i in 0..n {
            input.push_str(&format!("{i},{},1950\n", names[i % names.len()]));
        }
        let (out, outcome) = stream_bytes(input.as_bytes(), &task(false));
        let o = outcome.unwrap();
        assert_eq!(o.rows, n as u64);
        assert_eq!(count(&o, Status::NotFound), n.div_ceil(3) as u64);
        let lines: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(lines.len(), n);
        for (i, line) in lines.iter().enumerate() {
            let name = names[i % names.len()];
            assert!(
                line.starts_with(&format!("{i},{name},1950,")),
                "row {i}: {line}"
            );
            // Tsaritsyn in 1950 is Stalingrad; nowhere is nothing.
            let expect = if name == "Nowhere" {
                ",,"
            } else {
                ",v,Stalingrad,"
            };
            assert!(line.contains(expect), "row {i}: {line}");
        }
    }

    #[test]
    fn an_empty_input_is_an_error() {
        let (out, outcome) = stream_bytes(b"\n\n", &task(false));
        assert!(out.is_empty(), "{out}");
        match outcome {
            Err(Error::BrokenInput(d)) => assert!(d.to_string().contains("empty"), "{d}"),
            Err(e) => panic!("another error: {e}"),
            Ok(_) => panic!("an empty input was resolved"),
        }
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
