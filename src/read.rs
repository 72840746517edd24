//! Reading data files: bytes in, header and raw rows out.
//!
//! Owns getting CSV text from a file, standard input or the built-in data, and the
//! problems of the file as CSV (encoding, quoting, ragged rows). It does not know what
//! the columns mean: that is `validate`'s job.

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
}

impl Input {
    /// The name used in messages.
    pub fn display_name(&self) -> String {
        match self {
            Input::Builtin { name, .. } => (*name).to_string(),
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }

    fn bytes(&self) -> Result<Vec<u8>, Error> {
        let io_err = |source| Error::Io {
            path: self.display_name(),
            source,
        };
        match self {
            Input::Builtin { text, .. } => Ok(text.as_bytes().to_vec()),
            Input::File(p) => std::fs::read(p).map_err(io_err),
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .lock()
                    .read_to_end(&mut buf)
                    .map_err(io_err)?;
                Ok(buf)
            }
        }
    }
}

/// A row as read, before its values are understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: u64,
    pub fields: Vec<String>,
}

/// A data file as CSV: its header, its well-formed rows, and what was wrong with the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: Arc<str>,
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
    /// Problems with single rows (those rows are not in `rows`) or, when `rows` and
    /// `header` are empty, with the whole file.
    pub problems: Vec<Diagnostic>,
}

/// Reads one input. `Err` only when the file cannot be read at all.
pub fn read(input: &Input) -> Result<Table, Error> {
    let bytes = input.bytes()?;
    Ok(parse(&input.display_name(), &bytes))
}

/// Parses CSV bytes. Never fails: problems are reported in the table.
pub fn parse(file: &str, bytes: &[u8]) -> Table {
    let mut table = Table {
        file: Arc::from(file),
        header: Vec::new(),
        rows: Vec::new(),
        problems: Vec::new(),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let whole_file = |msg: String| Diagnostic::error(file, None, None, msg);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        table.problems.push(whole_file(
            "the file is empty: a data file starts with a header line such as \
             'place_id,name,start,end,lang,type,country,lat,lon,source,note'"
                .to_string(),
        ));
        return table;
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        table.problems.push(whole_file(
            "the file is UTF-16: save it as UTF-8 and try again".to_string(),
        ));
        return table;
    }
    if let Some(line) = unterminated_quote(bytes) {
        table.problems.push(Diagnostic::error(
            file,
            Some(line),
            None,
            "a quoted field opened on this line is never closed: add the closing '\"' \
             (a quote inside a quoted field is written '\"\"')"
                .to_string(),
        ));
        return table;
    }

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut header_seen = false;
    let mut lines = LineCounter::default();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line());
                table.problems.push(Diagnostic::error(
                    file,
                    line,
                    None,
                    format!("not valid CSV: {e}"),
                ));
                return table;
            }
        }
        let line = lines.line_at(
            bytes,
            record
                .position()
                .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX)),
        );
        let fields = match decode(&record) {
            Ok(fields) => fields,
            Err(field_index) => {
                let column = if header_seen {
                    table.header.get(field_index).cloned()
                } else {
                    None
                };
                table.problems.push(Diagnostic::error(
                    file,
                    Some(line),
                    column.as_deref(),
                    "bytes that are not UTF-8: save the file as UTF-8 (it may be Latin-1 or \
                     Windows-1252)"
                        .to_string(),
                ));
                if !header_seen {
                    return table;
                }
                continue;
            }
        };
        if !header_seen {
            table.header = fields.into_iter().map(|h| h.trim().to_string()).collect();
            header_seen = true;
            continue;
        }
        if fields.len() != table.header.len() {
            table.problems.push(Diagnostic::error(
                file,
                Some(line),
                None,
                format!(
                    "the row has {} fields but the header has {}: check for a missing or extra \
                     comma, or quote fields that contain commas",
                    fields.len(),
                    table.header.len()
                ),
            ));
            continue;
        }
        table.rows.push(RawRow { line, fields });
    }
    table
}

/// Line numbers from byte offsets. The csv crate's own count is one short after CRLF
/// line ends, and a record's offset may point at the line end before it or at blank
/// lines it skipped: a record's line is that of its first byte of content.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u64,
}

impl LineCounter {
    /// Offsets must not decrease between calls, so the whole file is scanned once.
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> u64 {
        let mut start = offset.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = start;
        }
        self.line + 1
    }
}

/// Decodes every field as UTF-8, or names the first field that is not.
fn decode(record: &csv::ByteRecord) -> Result<Vec<String>, usize> {
    record
        .iter()
        .enumerate()
        .map(|(i, f)| std::str::from_utf8(f).map(str::to_string).map_err(|_| i))
        .collect()
}

/// The csv crate reads an unclosed quote as a field running to the end of the file,
/// which would silently swallow every later row; find it first. Returns the line on
/// which the unclosed quote opened.
fn unterminated_quote(bytes: &[u8]) -> Option<u64> {
    let mut line = 1u64;
    let mut opened_on = 0u64;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            opened_on = line;
        }
        if b == b'\n' {
            line += 1;
        }
        at_field_start = !in_quotes && matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    in_quotes.then_some(opened_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_and_rows_with_bom_and_crlf() {
        let t = parse(
            "x.csv",
            b"\xEF\xBB\xBFplace_id,name\r\na,B\r\nc,\"D, e\"\r\n",
        );
        assert_eq!(t.header, vec!["place_id", "name"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].fields, vec!["c", "D, e"]);
        assert_eq!(t.rows[1].line, 3);
        assert!(t.problems.is_empty());
    }

    #[test]
    fn finds_unterminated_quote_line() {
        let t = parse("x.csv", b"place_id,name\na,b\nc,\"never closed\nd,e\n");
        assert_eq!(t.problems.len(), 1);
        assert_eq!(t.problems[0].line, Some(3));
    }

    #[test]
    fn escaped_quotes_are_not_unterminated() {
        assert_eq!(unterminated_quote(b"a,\"say \"\"hi\"\"\"\n"), None);
        assert_eq!(unterminated_quote(b"a,b\"c\n"), None);
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
