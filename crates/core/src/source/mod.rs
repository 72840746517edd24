//! Reading data files: bytes in, header and rows out, one at a time.
//!
//! Owns getting CSV text from a file, standard input or the built-in data, and the
//! problems of the file as CSV (encoding, quoting, ragged rows). Rows are handed to a
//! [`Sink`] as they are parsed, so nothing here holds a whole file's rows. It does not
//! know what the columns mean: that is `validate`'s job.
//!
//! Here: the inputs, formats, sink and limits; `csv_reader` parses our CSV, `quotes`
//! watches its bytes for a quote left open or a line too long, and `pipeline` parses a big
//! file on a thread of its own; `problems` words what every reader finds at a file's
//! start (a byte-order mark, UTF-16) and a quote left open.

use crate::error::{Diagnostic, Error};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

mod csv_reader;
mod pipeline;
mod problems;
mod quotes;

pub use csv_reader::{column_values, drop_final_cr, first_line, records, start};
pub use csv_reader::{parse, parse_into};
pub use pipeline::{pipelined, worth_a_thread};
pub use problems::{BOM, cannot_read, is_utf16, not_csv, not_utf8, unclosed_quote, utf16};
pub use quotes::QuoteScan;

/// Where a data file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Compiled into the binary from `data/`.
    Builtin {
        name: &'static str,
        text: &'static str,
    },
    File(PathBuf),
    Stdin,
    /// Another input read in a format named on the command line (`--data-format`, or
    /// `import`'s format).
    As(Box<Input>, Format),
}

/// The formats a data file can be read in. `--data` takes the first three (by the file's
/// extension, or as `--data-format` says); `import` takes them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Our CSV schema.
    Csv,
    /// Linked Places Format (GeoJSON-LD, JSON Lines).
    Lpf,
    /// LP-TSV, the World Historical Gazetteer's delimited format.
    LpTsv,
    /// GeoNames alternateNames(V2).txt, joined to an optional geoname table.
    Geonames,
    /// Pleiades names.csv, joined to an optional places.csv.
    Pleiades,
}

/// Files read whole (LP-TSV) bigger than this are refused with a message: their
/// parsed form takes several times their size in memory.
pub const MAX_WHOLE_FILE: u64 = 512 << 20;

impl Format {
    /// The format a file name says: `.geojson`, `.jsonld`, `.json`, `.jsonl` are LPF,
    /// `.tsv` LP-TSV, anything else our CSV.
    pub fn of_path(path: &std::path::Path) -> Format {
        if crate::formats::lpf::is_lpf(path) {
            Format::Lpf
        } else if crate::formats::lptsv::is_lptsv(path) {
            Format::LpTsv
        } else {
            Format::Csv
        }
    }

    /// The format an input is read in.
    pub fn of(input: &Input) -> Format {
        match input {
            Input::File(p) => Format::of_path(p),
            Input::As(_, f) => *f,
            Input::Builtin { .. } | Input::Stdin => Format::Csv,
        }
    }
}

impl Input {
    /// The name used in messages.
    pub fn display_name(&self) -> String {
        match self {
            Input::Builtin { name, .. } => (*name).to_string(),
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
            Input::As(inner, _) => inner.display_name(),
        }
    }

    /// Whether the input can be read again from its start: the built-in data and regular
    /// files. A pipe, a FIFO, a terminal or standard input (also as `/dev/stdin` or
    /// `/dev/fd/N`) gives its bytes once, so it is read once: never indexed, never passed
    /// over twice.
    pub fn rereadable(&self) -> bool {
        match self {
            Input::Builtin { .. } => true,
            Input::File(p) => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
            Input::Stdin => false,
            Input::As(inner, _) => inner.rereadable(),
        }
    }

    /// The file's bytes, as a stream.
    pub fn open(&self) -> Result<Box<dyn Read + '_>, Error> {
        match self {
            Input::Builtin { text, .. } => Ok(Box::new(text.as_bytes())),
            Input::File(p) => std::fs::File::open(p)
                .map(|f| Box::new(f) as Box<dyn Read>)
                .map_err(|source| Error::Io {
                    path: self.display_name(),
                    source,
                }),
            Input::Stdin => Ok(Box::new(std::io::stdin().lock())),
            Input::As(inner, _) => inner.open(),
        }
    }
}

/// What a sink works out from one row alone (see [`Sink::row_checker`]).
pub type CheckedRow = Box<dyn std::any::Any + Send>;

/// Works out, from one row alone, what a sink needs of it.
pub type RowChecker = Box<dyn FnMut(&csv::StringRecord) -> CheckedRow + Send>;

/// Receives a data file as it is read.
pub trait Sink {
    /// The file's header, trimmed. Returns false when the file cannot be read as data
    /// (its rows are then not offered).
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool;
    /// One well-formed row: as many fields as the header, all UTF-8.
    fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord);
    /// [`Sink::row`], given the record to keep: a sink that keeps it returns another
    /// for the reader to fill next (this one, by default, only looks at it).
    fn take_row(
        &mut self,
        file: &Arc<str>,
        line: u64,
        record: csv::StringRecord,
    ) -> csv::StringRecord {
        self.row(file, line, &record);
        record
    }
    /// After the header: the part of the work on each row that needs nothing but the
    /// row, which a read on two threads (`pipelined`) does on the reading thread and
    /// hands to [`Sink::checked_row`]. `None` (the default): rows come to [`Sink::row`].
    fn row_checker(&self) -> Option<RowChecker> {
        None
    }
    /// [`Sink::row`], with what this sink's [`Sink::row_checker`] made of the row.
    fn checked_row(
        &mut self,
        file: &Arc<str>,
        line: u64,
        fields: &csv::StringRecord,
        checked: CheckedRow,
    ) {
        let _ = checked;
        self.row(file, line, fields);
    }
    /// A problem with one row (which is not offered) or with the whole file.
    fn problem(&mut self, problem: Diagnostic);
    /// The file ended; `rows` rows were offered.
    fn end(&mut self, file: &Arc<str>, rows: u64);
}

/// A row as read, kept: for the small tables the built-in index selects, and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: u64,
    pub fields: Vec<String>,
}

/// A data file held whole: its header, rows and problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: Arc<str>,
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
    pub problems: Vec<Diagnostic>,
}

impl Table {
    /// An empty table for the named file.
    pub fn named(file: impl Into<Arc<str>>) -> Table {
        Table {
            file: file.into(),
            header: Vec::new(),
            rows: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Offers the table to a sink as if it were being read.
    pub fn replay(&self, sink: &mut dyn Sink) {
        for p in &self.problems {
            sink.problem(p.clone());
        }
        if self.header.is_empty() || !sink.header(&self.file, &self.header) {
            return;
        }
        for r in &self.rows {
            sink.row(
                &self.file,
                r.line,
                &csv::StringRecord::from(r.fields.clone()),
            );
        }
        sink.end(&self.file, self.rows.len() as u64);
    }
}

impl Default for Table {
    fn default() -> Self {
        Table {
            file: Arc::from(""),
            header: Vec::new(),
            rows: Vec::new(),
            problems: Vec::new(),
        }
    }
}

impl Sink for Table {
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
        self.file = file.clone();
        self.header = header.to_vec();
        true
    }
    fn row(&mut self, _file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
        self.rows.push(RawRow {
            line,
            fields: fields.iter().map(str::to_string).collect(),
        });
    }
    fn problem(&mut self, problem: Diagnostic) {
        self.problems.push(problem);
    }
    fn end(&mut self, _file: &Arc<str>, _rows: u64) {}
}

/// Reads one input into a sink. `Err` only when the file cannot be read at all.
pub fn read_into(input: &Input, sink: &mut dyn Sink) -> Result<(), Error> {
    read_joined(input, None, sink)
}

/// [`read_into`], with the companion table that a GeoNames file (its geoname table) or a
/// Pleiades file (its places.csv) is joined to; the other formats have none, and are
/// given none.
pub fn read_joined(
    input: &Input,
    places: Option<&Input>,
    sink: &mut dyn Sink,
) -> Result<(), Error> {
    let name = input.display_name();
    let io = |source| Error::Io {
        path: name.clone(),
        source,
    };
    let format = Format::of(input);
    match format {
        Format::Csv => {
            if let Input::File(path) = input
                && worth_a_thread(path)
            {
                return pipelined(&name, sink, |forward| {
                    parse_into(&name, input.open()?, forward).map_err(io)
                });
            }
            parse_into(&name, input.open()?, sink).map_err(io)
        }
        // Streamed a Feature at a time: no limit on the size.
        Format::Lpf => crate::formats::lpf::parse_into(&name, input.open()?, sink).map_err(io),
        Format::LpTsv => read_whole_lptsv(&name, input, sink),
        Format::Geonames | Format::Pleiades => {
            // Both stream the names, joined to an optional table of places.
            let mut main = std::io::BufReader::new(input.open()?);
            let mut table = match places {
                Some(p) => Some((p.display_name(), std::io::BufReader::new(p.open()?))),
                None => None,
            };
            let table = table.as_mut().map(|(n, t)| (n.as_str(), t));
            if format == Format::Geonames {
                let table = table.map(|(n, t)| (n, t as &mut dyn std::io::BufRead));
                crate::formats::geonames::parse_into((&name, &mut main), table, sink);
            } else {
                let table = table.map(|(n, t)| (n, t as &mut dyn Read));
                crate::formats::pleiades::parse_into((&name, &mut main), table, sink);
            }
            Ok(())
        }
    }
}

/// LP-TSV is read whole, up to a limit.
fn read_whole_lptsv(name: &str, input: &Input, sink: &mut dyn Sink) -> Result<(), Error> {
    let mut bytes = Vec::new();
    let file = input.open()?.take(MAX_WHOLE_FILE + 1);
    // LP-TSV's lines have the limit of every data file's (its parser checks them too):
    // applied while reading, a file without line ends (/dev/zero) is refused at 1 MB,
    // not after 512.
    let mut file = QuoteScan::new(file, b'\t');
    file.read_to_end(&mut bytes).map_err(|source| Error::Io {
        path: name.to_string(),
        source,
    })?;
    if bytes.len() as u64 > MAX_WHOLE_FILE {
        sink.problem(Diagnostic::error(
            name,
            None,
            None,
            format!(
                "the file is over {} MB, the most an LP-TSV file may be (it is read whole, \
                 and its parsed form takes several times that in memory): split it, or convert \
                 it to our CSV in parts",
                MAX_WHOLE_FILE >> 20
            ),
        ));
        return Ok(());
    }
    crate::formats::lptsv::parse_into(name, &bytes, sink);
    Ok(())
}

/// The longest line, and the longest quoted field, a file may have: no row of place names
/// comes near, and a reader must not hold gigabytes as one field (a file that is not data,
/// or a quote never closed). Past it, the file is refused with a message.
pub const MAX_LINE: u64 = 1 << 20;
/// The most columns a header may name.
pub const MAX_COLUMNS: usize = 1000;
/// The most rows a data file may have (about 6 GB of memory once loaded).
pub const MAX_ROWS: u64 = 20_000_000;
