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
const PROGRESS_EVERY: u64 = 100_000;

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
    let mut line = Vec::with_capacity(1024);
    let mut terminator: &[u8] = b"\n";
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(io_err(crate::error::io_error_of_csv(e)));
                }
                let at = e.position().map(|p| p.line());
                return Err(Error::BrokenInput(Diagnostic::error(
                    &file,
                    at,
                    None,
                    format!("not valid CSV: {e}"),
                )));
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let end = reader.position().byte() as usize;
        let raw = {
            let seen = seen.borrow();
            seen[start - base..end - base].to_vec()
        };
        let content = trim_line(&raw);
        if content.iter().all(u8::is_ascii_whitespace) && record.len() <= 1 {
            continue; // a blank line is not a row
        }
        if raw.ends_with(b"\r\n") {
            terminator = b"\r\n";
        }
        line.clear();
        line.extend_from_slice(content);
        if columns.is_none() {
            columns = Some(find_columns(task, &record, &file)?);
            if task.headers {
                for c in COLUMNS {
                    line.push(task.delimiter);
                    push_field(&mut line, c, task.delimiter);
                }
                line.extend_from_slice(terminator);
                stdout.write_all(&line).map_err(out_err)?;
                continue;
            }
        }
        let (name_col, date_col) = columns.unwrap_or((0, None));
        let name = String::from_utf8_lossy(record.get(name_col).unwrap_or_default());
        let parsed: Option<Result<QueryDate, ()>> = match (&fixed_date, date_col) {
            (Some(d), _) => Some(Ok(d.clone())),
            (None, Some(c)) => {
                let text = String::from_utf8_lossy(record.get(c).unwrap_or_default());
                let text = text.trim();
                (!text.is_empty()).then(|| parse_query(text, task.calendar).map_err(|_| ()))
            }
            (None, None) => None,
        };
        let r = resolve(
            &g,
            &matcher,
            &name,
            parsed.as_ref().map(|p| p.as_ref().map_err(|_| ())),
        );
        counts[Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0)] += 1;
        for f in fields(&r) {
            line.push(task.delimiter);
            push_field(&mut line, &f, task.delimiter);
        }
        line.extend_from_slice(terminator);
        stdout.write_all(&line).map_err(out_err)?;
        rows += 1;
        if task.progress && rows.is_multiple_of(PROGRESS_EVERY) {
            let _ = write!(stderr, "\rgazetteer: {rows} rows resolved");
        }
        // Forget bytes already copied out, now and then rather than every row.
        let done = end - base;
        if done > 1 << 20 {
            seen.borrow_mut().drain(..done);
            base = end;
        }
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
    if task.progress {
        let _ = write!(stderr, "\r\x1b[K");
    }
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
