//! Reading data files: bytes in, header and rows out, one at a time.
//!
//! Owns getting CSV text from a file, standard input or the built-in data, and the
//! problems of the file as CSV (encoding, quoting, ragged rows). Rows are handed to a
//! [`Sink`] as they are parsed, so nothing here holds a whole file's rows. It does not
//! know what the columns mean: that is `validate`'s job.

use crate::error::{Diagnostic, Error};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

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
    /// Another input read in a format named on the command line (`--data-format`).
    As(Box<Input>, DataFormat),
}

/// The formats a data file can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    /// Our CSV schema.
    Csv,
    /// Linked Places Format (GeoJSON-LD, JSON Lines).
    Lpf,
    /// LP-TSV, the World Historical Gazetteer's delimited format.
    LpTsv,
}

/// Files read whole (LP-TSV) bigger than this are refused with a message: their
/// parsed form takes several times their size in memory.
pub const MAX_WHOLE_FILE: u64 = 512 << 20;

impl DataFormat {
    /// The format a file name says: `.geojson`, `.jsonld`, `.json`, `.jsonl` are LPF,
    /// `.tsv` LP-TSV, anything else our CSV.
    pub fn of_path(path: &std::path::Path) -> DataFormat {
        if crate::formats::lpf::is_lpf(path) {
            DataFormat::Lpf
        } else if crate::formats::lptsv::is_lptsv(path) {
            DataFormat::LpTsv
        } else {
            DataFormat::Csv
        }
    }

    /// The format an input is read in.
    pub fn of(input: &Input) -> DataFormat {
        match input {
            Input::File(p) => DataFormat::of_path(p),
            Input::As(_, f) => *f,
            Input::Builtin { .. } | Input::Stdin => DataFormat::Csv,
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
    /// row, which a read on two threads ([`pipelined`]) does on the reading thread and
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
    let name = input.display_name();
    let format = DataFormat::of(input);
    if format == DataFormat::Csv {
        if let Input::File(path) = input
            && worth_a_thread(path)
        {
            return pipelined(&name, sink, |forward| {
                parse_into(&name, input.open()?, forward).map_err(|source| Error::Io {
                    path: name.clone(),
                    source,
                })
            });
        }
        return parse_into(&name, input.open()?, sink)
            .map_err(|source| Error::Io { path: name, source });
    }
    let io = |source| Error::Io {
        path: name.clone(),
        source,
    };
    if format == DataFormat::Lpf {
        // Streamed a Feature at a time: no limit on the size.
        return crate::formats::lpf::parse_into(&name, input.open()?, sink).map_err(io);
    }
    // LP-TSV is read whole, up to a limit.
    let mut bytes = Vec::new();
    let file = input.open()?.take(MAX_WHOLE_FILE + 1);
    // LP-TSV's lines have the limit of every data file's (its parser checks them too):
    // applied while reading, a file without line ends (/dev/zero) is refused at 1 MB,
    // not after 512. A JSON file may well be one long line.
    let mut file: Box<dyn Read> = match format {
        DataFormat::LpTsv => Box::new(QuoteScan::new(file, b'\t')),
        _ => Box::new(file),
    };
    file.read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_WHOLE_FILE {
        sink.problem(Diagnostic::error(
            &name,
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
    crate::formats::lptsv::parse_into(&name, &bytes, sink);
    Ok(())
}

/// Files from this size are parsed on a thread of their own ([`pipelined`]), on a machine
/// with more than one core. The same as the size from which files are indexed
/// (`crate::cache::MIN_SIZE`), so that there the index's tests read through the pipeline
/// too.
const PIPELINE_FROM: u64 = 1 << 20;

/// Rows handed from the parsing thread to the sink a batch at a time.
const PIPELINE_BATCH: usize = 1024;

/// What the parsing thread passes on, in the order the sink must see it.
enum Event {
    Row(u64, csv::StringRecord, Option<CheckedRow>),
    Problem(Diagnostic),
    End(u64),
}

enum Message {
    /// The header, whose answer the parsing thread waits for.
    Header(Arc<str>, Vec<String>),
    Events(Vec<Event>),
}

/// The sink on the parsing thread's side: it batches what it is offered and sends it on.
struct Forward<'c> {
    batch: Vec<Event>,
    /// Records of batches the sink is done with, to be filled again.
    spare: Vec<csv::StringRecord>,
    to_sink: &'c std::sync::mpsc::SyncSender<Message>,
    answers: &'c std::sync::mpsc::Receiver<(bool, Option<RowChecker>)>,
    returned: &'c std::sync::mpsc::Receiver<Vec<Event>>,
    /// The sink's row checker for the current file, run here.
    checker: Option<RowChecker>,
}

impl Forward<'_> {
    fn push(&mut self, event: Event) {
        self.batch.push(event);
        if self.batch.len() >= PIPELINE_BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(PIPELINE_BATCH));
        // A send fails only when the sink's side has stopped: then nothing is wanted.
        let _ = self.to_sink.send(Message::Events(batch));
    }
}

/// One file is read at a time, so the rows' file is the one of the last header.
impl Sink for Forward<'_> {
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
        self.flush();
        if self
            .to_sink
            .send(Message::Header(file.clone(), header.to_vec()))
            .is_err()
        {
            return false;
        }
        let (go_on, checker) = self.answers.recv().unwrap_or((false, None));
        self.checker = checker;
        go_on
    }

    fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
        let _ = self.take_row(file, line, fields.clone());
    }

    fn take_row(
        &mut self,
        _file: &Arc<str>,
        line: u64,
        record: csv::StringRecord,
    ) -> csv::StringRecord {
        let checked = self.checker.as_mut().map(|check| check(&record));
        self.push(Event::Row(line, record, checked));
        if self.spare.is_empty()
            && let Ok(events) = self.returned.try_recv()
        {
            self.spare
                .extend(events.into_iter().filter_map(|e| match e {
                    Event::Row(_, r, _) => Some(r),
                    _ => None,
                }));
        }
        self.spare.pop().unwrap_or_default()
    }

    fn problem(&mut self, problem: Diagnostic) {
        self.push(Event::Problem(problem));
    }

    fn end(&mut self, _file: &Arc<str>, rows: u64) {
        self.push(Event::End(rows));
        self.flush();
    }
}

/// Whether a data file is big enough to be parsed on a thread of its own ([`pipelined`]).
pub(crate) fn worth_a_thread(path: &std::path::Path) -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= PIPELINE_FROM)
}

/// Runs `parse` (which reads a CSV file into the sink it is given, as [`parse_into`]
/// does) on a thread of its own, and `sink` on this one: splitting a big file into
/// records and checking its UTF-8 is a good part of loading it, and here it overlaps
/// with the sink's work. The sink sees exactly the calls `parse` makes, in the same order.
pub(crate) fn pipelined<T: Send>(
    name: &str,
    sink: &mut dyn Sink,
    parse: impl FnOnce(&mut dyn Sink) -> Result<T, Error> + Send,
) -> Result<T, Error> {
    std::thread::scope(|s| {
        // Made here, and owned by this thread's side: should the sink panic, its ends are
        // dropped as it unwinds, and the parsing thread stops waiting on them.
        let (to_sink, messages) = std::sync::mpsc::sync_channel::<Message>(8);
        let (answer, answers) = std::sync::mpsc::sync_channel::<(bool, Option<RowChecker>)>(1);
        let (give_back, returned) = std::sync::mpsc::sync_channel::<Vec<Event>>(8);
        let parser = s.spawn(move || {
            let mut forward = Forward {
                batch: Vec::with_capacity(PIPELINE_BATCH),
                spare: Vec::new(),
                to_sink: &to_sink,
                answers: &answers,
                returned: &returned,
                checker: None,
            };
            let parsed = parse(&mut forward);
            forward.flush();
            parsed
        });
        let mut file: Arc<str> = Arc::from(name);
        for message in messages {
            match message {
                Message::Header(named, header) => {
                    file = named;
                    let go_on = sink.header(&file, &header);
                    let checker = if go_on { sink.row_checker() } else { None };
                    if answer.send((go_on, checker)).is_err() {
                        break;
                    }
                }
                Message::Events(mut events) => {
                    for event in &mut events {
                        match event {
                            Event::Row(line, record, checked) => match checked.take() {
                                Some(checked) => sink.checked_row(&file, *line, record, checked),
                                None => sink.row(&file, *line, record),
                            },
                            Event::Problem(p) => sink.problem(p.clone()),
                            Event::End(rows) => sink.end(&file, *rows),
                        }
                    }
                    // For the parsing thread to fill again (or dropped, if it has enough).
                    let _ = give_back.try_send(events);
                }
            }
        }
        parser
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// Parses CSV bytes into a table (for small inputs and tests).
pub fn parse(file: &str, bytes: &[u8]) -> Table {
    let mut table = Table {
        file: Arc::from(file),
        header: Vec::new(),
        rows: Vec::new(),
        problems: Vec::new(),
    };
    // Reading from a slice cannot fail.
    let _ = parse_into(file, bytes, &mut table);
    table
}

/// Parses a CSV stream into a sink, holding one row at a time. Problems with the data go
/// to the sink; `Err` is only a failure to read.
pub fn parse_into(file: &str, input: impl Read, sink: &mut dyn Sink) -> std::io::Result<()> {
    let name: Arc<str> = Arc::from(file);
    let mut input = std::io::BufReader::with_capacity(1 << 16, input);
    let start = std::io::BufRead::fill_buf(&mut input)?;
    if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
        sink.problem(Diagnostic::error(
            file,
            None,
            None,
            "the file is UTF-16: save it as UTF-8 and try again".into(),
        ));
        return Ok(());
    }
    if start.starts_with(b"\xEF\xBB\xBF") {
        std::io::BufRead::consume(&mut input, 3);
    }
    // Records end at '\n' only: a '\r' before it stays in the last field, where values
    // are trimmed anyway. This keeps the reader's line count exact for CRLF files.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(QuoteScan::new(input, b','));
    let mut raw = csv::ByteRecord::new();
    let mut scratch = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut offered = 0u64;
    loop {
        match reader.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(crate::error::io_error_of_csv(e));
                }
                let line = e.position().map(|p| p.line());
                sink.problem(Diagnostic::error(
                    file,
                    line,
                    None,
                    format!("not valid CSV: {e}"),
                ));
                return Ok(());
            }
        }
        if raw.len() == 1 && raw[0].iter().all(u8::is_ascii_whitespace) {
            continue; // a blank line ('\r' alone, or spaces)
        }
        if reader.get_ref().unclosed().is_some() {
            // A quote left open swallowed the rest of the file into this record: it is
            // not a row (the open quote is reported below, with its line).
            break;
        }
        if raw.iter().next_back().is_some_and(|f| f.ends_with(b"\r")) {
            drop_final_cr(&mut raw, &mut scratch);
        }
        let line = first_line(&reader, &raw);
        let record = match csv::StringRecord::from_byte_record(std::mem::take(&mut raw)) {
            Ok(r) => r,
            Err(e) => {
                let field = e.utf8_error().field();
                let column = header
                    .as_ref()
                    .and_then(|h| h.get(field))
                    .map(String::as_str);
                sink.problem(Diagnostic::error(
                    file,
                    Some(line),
                    column,
                    "bytes that are not UTF-8: save the file as UTF-8 (it may be Latin-1 or \
                     Windows-1252)"
                        .to_string(),
                ));
                if header.is_none() {
                    return Ok(());
                }
                raw = e.into_byte_record();
                continue;
            }
        };
        match &header {
            None => {
                if record.len() > MAX_COLUMNS {
                    sink.problem(Diagnostic::error(
                        file,
                        Some(line),
                        None,
                        format!(
                            "the header has {} columns, more than the {MAX_COLUMNS} a data file \
                             may have: is this a data file? (ours has {})",
                            record.len(),
                            crate::schema::COLUMNS.len()
                        ),
                    ));
                    return Ok(());
                }
                let h: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
                if !sink.header(&name, &h) {
                    return Ok(());
                }
                header = Some(h);
            }
            Some(h) if record.len() != h.len() => sink.problem(Diagnostic::error(
                file,
                Some(line),
                None,
                format!(
                    "the row has {} fields but the header has {}: check for a missing or extra \
                     comma, or quote fields that contain commas",
                    record.len(),
                    h.len()
                ),
            )),
            Some(_) if offered >= MAX_ROWS => {
                sink.problem(Diagnostic::error(
                    file,
                    Some(line),
                    None,
                    format!(
                        "the file has more than {MAX_ROWS} rows, the most one data file may have \
                         (loaded, they would take more memory than most machines have): split it"
                    ),
                ));
                return Ok(());
            }
            Some(_) => {
                raw = sink.take_row(&name, line, record).into_byte_record();
                offered += 1;
                continue;
            }
        }
        raw = record.into_byte_record();
    }
    let scan = reader.get_ref();
    if let Some(opened) = scan.unclosed() {
        sink.problem(Diagnostic::error(
            file,
            Some(opened),
            None,
            "a quoted field opened on this line is never closed: add the closing '\"' \
             (a quote inside a quoted field is written '\"\"'); everything after it was read as \
             one field"
                .to_string(),
        ));
    }
    match header {
        Some(_) => sink.end(&name, offered),
        None if scan.unclosed().is_none() => sink.problem(Diagnostic::error(
            file,
            None,
            None,
            "the file is empty: a data file starts with a header line such as \
             'place_id,name,start,end,lang,type,country,lat,lon,source,note'"
                .to_string(),
        )),
        None => {}
    }
    Ok(())
}

/// Removes the '\r' of a CRLF line end from the record's last field (records end at
/// '\n', so it lands there). `scratch` is reused to avoid an allocation per row.
pub(crate) fn drop_final_cr(raw: &mut csv::ByteRecord, scratch: &mut csv::ByteRecord) {
    scratch.clear();
    let last = raw.len() - 1;
    for (i, f) in raw.iter().enumerate() {
        scratch.push_field(if i == last { &f[..f.len() - 1] } else { f });
    }
    scratch.set_position(raw.position().cloned());
    std::mem::swap(raw, scratch);
}

/// The line a record starts on. The reader counts lines up to where it stopped: just
/// past the record's '\n', or at the end of a file that has none. Newlines inside quoted
/// fields belong to the record.
pub(crate) fn first_line<R: Read>(
    reader: &csv::Reader<QuoteScan<R>>,
    record: &csv::ByteRecord,
) -> u64 {
    let at = reader.position();
    let ended_by_newline = !(reader.get_ref().at_eof()
        && reader.get_ref().last_byte() != Some(b'\n')
        && at.byte() == reader.get_ref().bytes_read());
    let inner = memchr::memchr_iter(b'\n', record.as_slice()).count() as u64;
    at.line()
        .saturating_sub(u64::from(ended_by_newline) + inner)
        .max(1)
}

/// Watches the bytes on their way to the csv reader for a quoted field that is never
/// closed: the csv crate would read it as one field running to the end of the file,
/// silently swallowing every later row. Only quote bytes are visited.
pub(crate) struct QuoteScan<R> {
    inner: R,
    delimiter: u8,
    state: Quote,
    /// The byte before the current chunk, for "is this quote at the start of a field".
    prev: u8,
    newlines: u64,
    opened_on: u64,
    /// Where the open quoted field began, in bytes.
    opened_at: u64,
    /// Bytes since the last line end.
    line_len: u64,
    total: u64,
    eof: bool,
    /// The input (as the csv reader gets it) starts with a byte-order mark.
    starts_with_bom: bool,
}

/// The longest line, and the longest quoted field, a file may have: no row of place names
/// comes near, and a reader must not hold gigabytes as one field (a file that is not data,
/// or a quote never closed). Past it, the file is refused with a message.
pub const MAX_LINE: u64 = 1 << 20;
/// The most columns a header may name.
pub const MAX_COLUMNS: usize = 1000;
/// The most rows a data file may have (about 6 GB of memory once loaded).
pub const MAX_ROWS: u64 = 20_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Outside,
    Inside,
    /// A quote inside a quoted field: it closes the field unless another quote follows.
    MaybeClosed,
}

impl<R: Read> QuoteScan<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> Self {
        QuoteScan {
            inner,
            delimiter,
            state: Quote::Outside,
            prev: b'\n',
            newlines: 0,
            opened_on: 0,
            opened_at: 0,
            line_len: 0,
            total: 0,
            eof: false,
            starts_with_bom: false,
        }
    }

    fn scan(&mut self, buf: &[u8]) {
        if self.total == 0 && buf.starts_with(b"\xEF\xBB\xBF") {
            self.starts_with_bom = true;
        }
        let mut i = 0;
        let mut counted = 0;
        while i < buf.len() {
            match self.state {
                Quote::MaybeClosed => {
                    self.state = if buf[i] == b'"' {
                        Quote::Inside
                    } else {
                        Quote::Outside
                    };
                    if self.state == Quote::Inside {
                        i += 1;
                    }
                }
                Quote::Inside => match memchr::memchr(b'"', &buf[i..]) {
                    Some(r) => {
                        self.state = Quote::MaybeClosed;
                        i += r + 1;
                    }
                    None => break,
                },
                Quote::Outside => match memchr::memchr(b'"', &buf[i..]) {
                    Some(r) => {
                        let q = i + r;
                        // The csv reader drops a byte-order mark at the start of its
                        // input: a quote right after it starts a field.
                        let after_bom = self.starts_with_bom && self.total + q as u64 == 3;
                        let before = match q {
                            _ if after_bom => b'\n',
                            0 => self.prev,
                            _ => buf[q - 1],
                        };
                        // Rows end at LF: a CR before a quote is data, as it is to the
                        // csv reader, and the quote is literal.
                        if before == b'\n' || before == self.delimiter {
                            self.newlines +=
                                memchr::memchr_iter(b'\n', &buf[counted..q]).count() as u64;
                            counted = q;
                            self.opened_on = self.newlines + 1;
                            self.opened_at = self.total + q as u64;
                            self.state = Quote::Inside;
                        }
                        i = q + 1;
                    }
                    None => break,
                },
            }
        }
        self.newlines += memchr::memchr_iter(b'\n', &buf[counted..]).count() as u64;
        if let Some(&last) = buf.last() {
            self.prev = last;
        }
    }

    /// After the end of input: the line of a quote that was never closed.
    pub(crate) fn unclosed(&self) -> Option<u64> {
        (self.eof && self.state == Quote::Inside).then_some(self.opened_on)
    }

    fn at_eof(&self) -> bool {
        self.eof
    }

    fn last_byte(&self) -> Option<u8> {
        (self.total > 0).then_some(self.prev)
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.total
    }
}

impl<R: Read> Read for QuoteScan<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        self.scan(&buf[..n]);
        match memchr::memrchr(b'\n', &buf[..n]) {
            Some(p) => self.line_len = (n - p - 1) as u64,
            None => self.line_len += n as u64,
        }
        self.total += n as u64;
        let too_long = |what: String| {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{what} is over {} MB long, more than any row of data needs: is this a data \
                     file? (a quote left open also runs on)",
                    MAX_LINE >> 20
                ),
            ))
        };
        if self.line_len > MAX_LINE {
            return too_long(format!("line {}", self.newlines + 1));
        }
        if self.state != Quote::Outside && self.total - self.opened_at > MAX_LINE {
            return too_long(format!(
                "the quoted field opened on line {}",
                self.opened_on
            ));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_and_rows_with_bom_and_crlf() {
        let t = parse(
            "x.csv",
            b"\xEF\xBB\xBFplace_id,name\r\na,B\r\n\r\nc,\"D, e\"\r\n",
        );
        assert_eq!(t.header, vec!["place_id", "name"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].fields, vec!["c", "D, e"]);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 4);
        assert!(t.problems.is_empty());
    }

    /// Every call a sink receives, in order.
    #[derive(Debug, PartialEq)]
    enum Call {
        Header(String, Vec<String>),
        /// A row, with what the row checker made of it (the length of its first field)
        /// when there is one, else that worked out here.
        Row(u64, Vec<String>, usize),
        Problem(String),
        End(u64),
    }

    struct Log {
        calls: Vec<Call>,
        take_header: bool,
    }

    fn first_len(r: &csv::StringRecord) -> usize {
        r.get(0).map_or(0, str::len)
    }

    impl Sink for Log {
        fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
            self.calls
                .push(Call::Header(file.to_string(), header.to_vec()));
            self.take_header
        }
        fn row(&mut self, _file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
            let fields = fields.iter().map(str::to_string).collect();
            self.calls.push(Call::Row(line, fields, usize::MAX));
        }
        fn row_checker(&self) -> Option<RowChecker> {
            Some(Box::new(|r| Box::new(first_len(r))))
        }
        fn checked_row(
            &mut self,
            _file: &Arc<str>,
            line: u64,
            fields: &csv::StringRecord,
            checked: CheckedRow,
        ) {
            let checked = *checked.downcast::<usize>().unwrap();
            let fields: Vec<String> = fields.iter().map(str::to_string).collect();
            self.calls.push(Call::Row(line, fields, checked));
        }
        fn problem(&mut self, problem: Diagnostic) {
            self.calls.push(Call::Problem(problem.to_string()));
        }
        fn end(&mut self, file: &Arc<str>, rows: u64) {
            self.calls.push(Call::End(rows));
            let _ = file;
        }
    }

    /// A big file is parsed on a thread of its own: the sink must receive just the calls
    /// the plain reader makes, problems included, in the same order, each row with what
    /// the row checker made of that very row.
    #[test]
    fn a_file_read_on_a_second_thread_gives_the_sink_the_same_calls() {
        let mut text = b"place_id,name,note\n".to_vec();
        let mut i = 0;
        while text.len() < 3 << 20 {
            match i % 997 {
                5 => text.extend_from_slice(b"p,too,many,fields\n"),
                17 => text.extend_from_slice(b"p,\xFF,not UTF-8\n"),
                29 => text.extend_from_slice(format!("p{i},\"two\nlines\",x\r\n").as_bytes()),
                _ => text.extend_from_slice(format!("p{},Name {i},\n", i / 3).as_bytes()),
            }
            i += 1;
        }
        text.extend_from_slice(b"q,\"never closed\n");
        let run = |take_header: bool, threaded: bool| {
            let mut log = Log {
                calls: Vec::new(),
                take_header,
            };
            let parse =
                |sink: &mut dyn Sink| parse_into("big.csv", &text[..], sink).map_err(Error::Output);
            if threaded {
                pipelined("big.csv", &mut log, parse).unwrap();
            } else {
                parse(&mut log).unwrap();
                // What the checker would have made of each row.
                for c in &mut log.calls {
                    if let Call::Row(_, fields, checked) = c {
                        *checked = fields.first().map_or(0, String::len);
                    }
                }
            }
            log.calls
        };
        let plain = run(true, false);
        let rows = plain.iter().filter(|c| matches!(c, Call::Row(..))).count();
        let problems = plain
            .iter()
            .filter(|c| matches!(c, Call::Problem(..)))
            .count();
        assert!(rows > 100_000, "{rows}");
        assert!(problems > 20, "{problems}");
        assert!(
            matches!(plain.last(), Some(Call::End(_))),
            "{:?}",
            plain.last()
        );
        assert_eq!(run(true, true), plain);
        // A header the sink refuses ends the reading the same way.
        assert_eq!(run(false, true), run(false, false));
        assert_eq!(run(false, true).len(), 1);
    }

    /// Rows end at LF: a CR before a quote is data, and the quote literal, as the csv
    /// reader takes them; no quote is left open.
    #[test]
    fn a_quote_after_a_lone_cr_is_literal() {
        let t = parse("x.csv", b"place_id,name,note\np,A,x\r\"b\np2,B,\n");
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].fields[2], "x\r\"b");
    }

    /// The csv reader drops a byte-order mark at the start of its input (here a second
    /// one, after the file's own): a quote right after it opens a field.
    #[test]
    fn a_quote_after_a_dropped_byte_order_mark_opens_a_field() {
        let t = parse("x.csv", b"\xEF\xBB\xBF\xEF\xBB\xBF\"place_id\",name\np,A\n");
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        assert_eq!(t.header, vec!["place_id", "name"]);
        let t = parse("x.csv", b"\xEF\xBB\xBF\xEF\xBB\xBF\"place_id,name\np,A\n");
        assert_eq!(t.problems.len(), 1, "{:?}", t.problems);
        assert_eq!(t.problems[0].line, Some(1));
    }

    #[test]
    fn finds_unterminated_quote_line() {
        let t = parse("x.csv", b"place_id,name\na,b\nc,\"never closed\nd,e\n");
        assert_eq!(t.problems.len(), 1);
        assert_eq!(t.problems[0].line, Some(3));
        // The record that swallowed the rest is not a row, even with the header's count
        // of fields; with another count, it is not reported as a row of that count either.
        assert_eq!(t.rows.len(), 1, "{:?}", t.rows);
        let t = parse("x.csv", b"place_id,name,start\na,b,1900\nc,\"d,1900\n");
        assert_eq!(t.problems.len(), 1, "{:?}", t.problems);
        assert_eq!(t.problems[0].line, Some(3));
        assert_eq!(t.rows.len(), 1, "{:?}", t.rows);
    }

    fn unclosed(bytes: &[u8], delimiter: u8, chunk: usize) -> Option<u64> {
        let mut scan = QuoteScan::new(bytes, delimiter);
        let mut buf = vec![0; chunk];
        while scan.read(&mut buf).unwrap() > 0 {}
        scan.unclosed()
    }

    #[test]
    fn escaped_and_literal_quotes_are_not_unterminated_whatever_the_chunks() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(
                unclosed(b"a,\"say \"\"hi\"\"\"\n", b',', chunk),
                None,
                "{chunk}"
            );
            assert_eq!(unclosed(b"a,b\"c\n", b',', chunk), None);
            assert_eq!(unclosed(b"a,\"\"", b',', chunk), None);
            assert_eq!(
                unclosed(b"a,\"x\ny\"\n\"open", b',', chunk),
                Some(3),
                "{chunk}"
            );
            assert_eq!(unclosed(b"a\t\"x", b'\t', chunk), Some(1));
            assert_eq!(unclosed(b"\"", b',', chunk), Some(1));
            assert_eq!(unclosed(b"a,\"\"\"\n\nb", b',', chunk), Some(1), "{chunk}");
        }
    }

    #[test]
    fn line_numbers_hold_with_quoted_newlines_blank_lines_and_no_final_newline() {
        let t = parse("x.csv", b"h1,h2\n\na,\"two\nlines\"\r\n\r\nb,c\n\nd,e");
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6, 8], "{t:?}");
        assert_eq!(t.rows[0].fields[1], "two\nlines");
    }

    #[test]
    fn ragged_and_non_utf8_rows_are_reported_not_dropped_silently() {
        let t = parse("x.csv", b"place_id,name\na,b,c\nd,\xE9\nf,g\n");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.problems.len(), 2);
        assert_eq!(t.problems[0].line, Some(2));
        assert_eq!(t.problems[1].line, Some(3));
        assert_eq!(t.problems[1].column.as_deref(), Some("name"));
    }

    #[test]
    fn empty_file_is_a_problem() {
        assert_eq!(parse("x.csv", b"").problems.len(), 1);
        assert_eq!(parse("x.csv", b"\n\n").problems.len(), 1);
    }
}
