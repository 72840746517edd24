//! The two Pleiades CSV files read a record at a time, columns found by their header
//! names, with file, line and column in every problem.

use crate::error::Diagnostic;
use crate::source::{QuoteScan, Sink, drop_final_cr, first_line};
use std::io::{BufReader, Read};

/// A CSV file being read: the csv reader over the raw stream, and its header.
pub(super) struct CsvFile<'a> {
    file: &'a str,
    reader: csv::Reader<QuoteScan<BufReader<&'a mut dyn Read>>>,
    header: Vec<String>,
    raw: csv::ByteRecord,
    scratch: csv::ByteRecord,
    /// Whether the end came with a problem already reported (an unclosed quote, an error).
    failed: bool,
}

/// What reading one more record gave.
pub(super) enum Next {
    Record(csv::StringRecord, u64),
    /// A record that was reported and skipped.
    Skipped,
    End,
}

impl<'a> CsvFile<'a> {
    /// Opens a stream as CSV and reads its header, or reports why it cannot.
    pub(super) fn open(
        file: &'a str,
        input: &'a mut dyn Read,
        sink: &mut dyn Sink,
    ) -> Option<Self> {
        let input = match crate::source::start(file, input, sink) {
            Ok(Some(input)) => input,
            Ok(None) => return None,
            Err(e) => {
                sink.problem(crate::source::cannot_read(file, &e));
                return None;
            }
        };
        let reader = crate::source::records(QuoteScan::new(input, b','), b',');
        let mut csv = CsvFile {
            file,
            reader,
            header: Vec::new(),
            raw: csv::ByteRecord::new(),
            scratch: csv::ByteRecord::new(),
            failed: false,
        };
        match csv.next(sink) {
            Next::Record(r, _) => {
                csv.header = r.iter().map(|f| f.trim().to_string()).collect();
                Some(csv)
            }
            Next::Skipped => None,
            Next::End => {
                if !csv.failed {
                    sink.problem(Diagnostic::error(
                        file,
                        None,
                        None,
                        "the file is empty: a Pleiades CSV file starts with a header line"
                            .to_string(),
                    ));
                }
                None
            }
        }
    }

    /// Where a column sits in the header (ASCII case and surrounding spaces ignored).
    pub(super) fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The next record, its line, and its fields as text; problems go to the sink. At the
    /// end of the input, an unclosed quote is reported.
    pub(super) fn next(&mut self, sink: &mut dyn Sink) -> Next {
        let file = self.file;
        loop {
            match self.reader.read_byte_record(&mut self.raw) {
                Ok(true) => {}
                Ok(false) => {
                    if let Some(line) = self.reader.get_ref().unclosed() {
                        self.failed = true;
                        sink.problem(crate::source::unclosed_quote(file, line));
                    }
                    return Next::End;
                }
                Err(e) => {
                    sink.problem(match e.kind() {
                        csv::ErrorKind::Io(io) => crate::source::cannot_read(file, io),
                        _ => crate::source::not_csv(file, &e),
                    });
                    self.failed = true;
                    return Next::End;
                }
            }
            if self.raw.len() == 1 && self.raw[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if self
                .raw
                .iter()
                .next_back()
                .is_some_and(|f| f.ends_with(b"\r"))
            {
                drop_final_cr(&mut self.raw, &mut self.scratch);
            }
            let line = first_line(&self.reader, &self.raw);
            return match csv::StringRecord::from_byte_record(std::mem::take(&mut self.raw)) {
                Ok(r) => Next::Record(r, line),
                Err(e) => {
                    let column = self.header.get(e.utf8_error().field()).map(String::as_str);
                    sink.problem(crate::source::not_utf8(file, line, column));
                    self.raw = e.into_byte_record();
                    Next::Skipped
                }
            };
        }
    }

    /// Reports a header that lacks required columns (each entry: the names any of which
    /// will do). True when all are there.
    pub(super) fn require(&self, required: &[&[&str]], sink: &mut dyn Sink) -> bool {
        let missing: Vec<String> = required
            .iter()
            .filter(|any| any.iter().all(|c| self.column(c).is_none()))
            .map(|any| any.join("' or '"))
            .collect();
        if missing.is_empty() {
            return true;
        }
        let plural = if missing.len() == 1 { "" } else { "s" };
        sink.problem(Diagnostic::error(
            self.file,
            Some(1),
            required
                .iter()
                .find(|any| any.iter().all(|c| self.column(c).is_none()))
                .map(|any| any[0]),
            format!(
                "the header has no '{}' column{plural}: is this a Pleiades GIS export file? \
                 (header: {})",
                missing.join("', '"),
                shorten(&self.header.join(","), 200)
            ),
        ));
        false
    }

    /// Reports a record whose number of fields differs from the header's. True if it fits.
    pub(super) fn fits(&self, record: &csv::StringRecord, line: u64, sink: &mut dyn Sink) -> bool {
        if record.len() == self.header.len() {
            return true;
        }
        sink.problem(Diagnostic::error(
            self.file,
            Some(line),
            None,
            format!(
                "the row has {} fields but the header has {}: the file may be cut or damaged",
                record.len(),
                self.header.len()
            ),
        ));
        false
    }
}

/// Text cut to at most `max` characters, for messages.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}
