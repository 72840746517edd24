//! `gazetteer resolve FILE`: every row of a CSV file annotated with the place its name
//! denotes and the name it bore at the row's date.
//!
//! Streams: a row is read, answered and written before the next is read, so memory does
//! not grow with the input. The input row is copied byte for byte (what the csv reader
//! consumed for it, kept by [`Tee`]), with the new columns appended.

use crate::config::{ColumnRef, Config, DateSource, ResolveTask};
use crate::date::{QueryDate, parse_query};
use crate::error::{Diagnostic, Error, ExitCode};
use crate::matching::Matcher;
use crate::query::{Status, resolve};
use crate::read::QuoteScan;
use crate::render::resolve::{COLUMNS, fields, push_field};
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

/// How often the progress line is redrawn.
/// Rows resolved together, split between threads; also how often progress is shown.
const BATCH: usize = 16_384;

/// Rows read but not yet resolved: each row's text as read, and its name and date cells.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    /// Per row: end of its line, end of its name, end of its date, in `bytes`.
    ends: Vec<(usize, usize, usize)>,
}

impl Batch {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn pop(&mut self) {
        self.ends.pop();
        let end = self.ends.last().map_or(0, |e| e.2);
        self.bytes.truncate(end);
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    fn push(
        &mut self,
        line: &[u8],
        record: &csv::ByteRecord,
        (name, date): (usize, Option<usize>),
        with_date: bool,
    ) {
        self.bytes.extend_from_slice(line);
        let line_end = self.bytes.len();
        self.bytes
            .extend_from_slice(record.get(name).unwrap_or_default());
        let name_end = self.bytes.len();
        if with_date && let Some(d) = date {
            self.bytes
                .extend_from_slice(record.get(d).unwrap_or_default());
        }
        self.ends.push((line_end, name_end, self.bytes.len()));
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

/// What every row is resolved against.
struct Resolver<'a> {
    g: &'a crate::model::Gazetteer,
    matcher: &'a Matcher,
    fixed: Option<&'a QueryDate>,
    calendar: crate::date::Calendar,
    delimiter: u8,
    filter: &'a crate::query::Filter,
}

impl Resolver<'_> {
    /// Each row's status (as an index into `Status::ALL`) and the columns to append,
    /// in row order, computed on up to `threads` threads.
    fn run(&self, batch: &Batch, threads: usize) -> Vec<(usize, Vec<u8>)> {
        let n = batch.len();
        let per = n.div_ceil(threads.max(1)).max(1);
        if n <= per {
            return (0..n).map(|i| self.row(batch, i)).collect();
        }
        std::thread::scope(|s| {
            let parts: Vec<_> = (0..n)
                .step_by(per)
                .map(|from| {
                    s.spawn(move || {
                        (from..(from + per).min(n))
                            .map(|i| self.row(batch, i))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }

    fn row(&self, batch: &Batch, i: usize) -> (usize, Vec<u8>) {
        let name = String::from_utf8_lossy(batch.name(i));
        let parsed: Option<Result<QueryDate, ()>> = match self.fixed {
            Some(d) => Some(Ok(d.clone())),
            None => {
                let text = String::from_utf8_lossy(batch.date(i));
                let text = text.trim();
                (!text.is_empty()).then(|| parse_query(text, self.calendar).map_err(|_| ()))
            }
        };
        let r = resolve(
            self.g,
            self.matcher,
            &name,
            parsed.as_ref().map(|p| p.as_ref().map_err(|_| ())),
            self.filter,
        );
        let mut out = Vec::with_capacity(64);
        for f in fields(&r) {
            out.push(self.delimiter);
            push_field(&mut out, &f, self.delimiter);
        }
        let status = Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0);
        (status, out)
    }
}

pub fn run(
    config: &Config,
    task: &ResolveTask,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let g = super::load_all(config, stderr)?;
    let matcher = Matcher::new(&g);
    let file = task.input.display_name();
    let io_err = |source| Error::Io {
        path: file.clone(),
        source,
    };
    let out_err = Error::Output;

    let mut input = std::io::BufReader::with_capacity(1 << 16, task.input.open()?);
    // A byte-order mark is passed through as it came, and kept away from the csv reader.
    if input
        .fill_buf()
        .map_err(io_err)?
        .starts_with(b"\xEF\xBB\xBF")
    {
        stdout.write_all(b"\xEF\xBB\xBF").map_err(out_err)?;
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
    let mut counts = [0u64; Status::ALL.len()];
    let mut rows = 0u64;
    let mut base = 0usize; // stream offset of seen[0]
    let mut record = csv::ByteRecord::new();
    let mut terminator: &[u8] = b"\n";
    let mut batch = Batch::default();
    let mut broken = None;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let resolver = Resolver {
        g: &g,
        matcher: &matcher,
        fixed: fixed_date.as_ref(),
        calendar: task.calendar,
        delimiter: task.delimiter,
        filter: &config.filter,
    };
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
        if !more || batch.len() >= BATCH {
            if !more && reader.get_ref().unclosed().is_some() {
                // The last row swallowed the rest of the input: it is not a row.
                batch.pop();
            }
            let done = resolver.run(&batch, threads);
            for (i, (status, suffix)) in done.iter().enumerate() {
                counts[*status] += 1;
                stdout.write_all(batch.line(i)).map_err(out_err)?;
                stdout.write_all(suffix).map_err(out_err)?;
                stdout.write_all(terminator).map_err(out_err)?;
            }
            rows += batch.len() as u64;
            batch.clear();
            if task.progress && rows > 0 {
                let _ = write!(stderr, "\rgazetteer: {rows} rows resolved");
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
            let content = trim_line(raw);
            if content.iter().all(u8::is_ascii_whitespace) && record.len() <= 1 {
                continue; // a blank line is not a row
            }
            if raw.ends_with(b"\r\n") {
                terminator = b"\r\n";
            }
            match columns {
                None => {
                    let cols = find_columns(task, &record, &file)?;
                    columns = Some(cols);
                    if task.headers {
                        let mut line = content.to_vec();
                        for c in COLUMNS {
                            line.push(task.delimiter);
                            push_field(&mut line, c, task.delimiter);
                        }
                        line.extend_from_slice(terminator);
                        stdout.write_all(&line).map_err(out_err)?;
                    } else {
                        batch.push(content, &record, cols, fixed_date.is_none());
                    }
                }
                Some(cols) => batch.push(content, &record, cols, fixed_date.is_none()),
            }
        }
        let done = end - base;
        if done > 1 << 20 {
            seen.borrow_mut().drain(..done);
            base = end;
        }
    }
    if task.progress {
        let _ = write!(stderr, "\r\x1b[K");
    }
    if let Some(e) = broken {
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
    let summary: Vec<String> = Status::ALL
        .iter()
        .zip(counts)
        .map(|(s, n)| format!("{n} {}", s.as_str().replace('_', " ")))
        .collect();
    writeln!(
        stderr,
        "gazetteer: resolved {rows} row{}: {}",
        if rows == 1 { "" } else { "s" },
        summary.join(", ")
    )
    .map_err(out_err)?;
    // Freeing millions of names one by one takes most of a second, and the process is
    // about to end: let the operating system reclaim the memory at once.
    std::mem::forget(matcher);
    std::mem::forget(g);
    Ok(ExitCode::Answered)
}

/// A record's bytes without the blank lines the reader skipped before it and without
/// its line end.
fn trim_line(raw: &[u8]) -> &[u8] {
    let start = raw
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(raw.len());
    let mut end = raw.len();
    while end > start && matches!(raw[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &raw[start..end]
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
