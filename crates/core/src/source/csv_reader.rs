//! Our CSV reader: bytes in, header and rows out to a [`Sink`], with the problems of
//! the file as CSV (encoding, quoting, ragged rows, limits).

use super::problems::{not_csv, not_utf8};
use super::quotes::QuoteScan;
use super::{BOM, MAX_COLUMNS, MAX_ROWS, Sink, Table, is_utf16, unclosed_quote, utf16};
use crate::error::{Diagnostic, Error};
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

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
    let Some(input) = start(file, input, sink)? else {
        return Ok(());
    };
    let mut reader = records(QuoteScan::new(input, b','), b',');
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
                sink.problem(not_csv(file, &e));
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
                sink.problem(not_utf8(file, line, column));
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
        sink.problem(unclosed_quote(file, opened));
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

/// The csv reader of every delimited file read here (our CSV, LP-TSV, Pleiades, the
/// input of `resolve`), so that all split records the same way. Records end at '\n' only:
/// a '\r' before it stays in the last field (see [`drop_final_cr`]), which keeps the line
/// count exact for CRLF files and agrees with [`QuoteScan`], for which a lone '\r' is data.
/// Rows may be ragged: the caller reports them. Callers that look for quotes left open
/// wrap their input in a [`QuoteScan`] first.
pub fn records<R: Read>(input: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_reader(input)
}

/// The start of a delimited file, as every reader here takes it: a file in UTF-16 is
/// refused (the problem goes to the sink, and `None` comes back), a UTF-8 byte-order mark
/// is skipped. `Err` is a failure to read.
pub fn start<R: Read>(
    file: &str,
    input: R,
    sink: &mut dyn Sink,
) -> std::io::Result<Option<BufReader<R>>> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let start = input.fill_buf()?;
    if is_utf16(start) {
        sink.problem(utf16(file));
        return Ok(None);
    }
    if start.starts_with(BOM) {
        input.consume(BOM.len());
    }
    Ok(Some(input))
}

/// Each value of one column of a CSV file (`column` named in its header, ASCII case
/// ignored), read without keeping the rows: a light pass before the full read, which
/// reports what is wrong with the file. The pass keeps to the limits of every read (the
/// length of a line and of a quoted field, the number of rows): it stops where the full
/// read will refuse the file. A file without the column gives nothing.
pub fn column_values(
    path: &std::path::Path,
    name: &str,
    column: &str,
    mut each: impl FnMut(&str),
) -> Result<(), Error> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: name.to_string(),
        source,
    })?;
    let mut reader = records(
        QuoteScan::new(BufReader::with_capacity(1 << 16, file), b','),
        b',',
    );
    let mut record = csv::ByteRecord::new();
    let mut at = None;
    let mut rows = 0u64;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Some(col) = at else {
            at = Some(record.iter().position(|h| {
                let h = h.strip_prefix(BOM).unwrap_or(h);
                h.trim_ascii().eq_ignore_ascii_case(column.as_bytes())
            }));
            continue;
        };
        rows += 1;
        if rows > MAX_ROWS {
            break;
        }
        if let Some(value) = col.and_then(|c| record.get(c))
            && let Ok(value) = std::str::from_utf8(value.trim_ascii())
        {
            each(value);
        }
    }
    Ok(())
}

/// Removes the '\r' of a CRLF line end from the record's last field (records end at
/// '\n', so it lands there). `scratch` is reused to avoid an allocation per row.
pub fn drop_final_cr(raw: &mut csv::ByteRecord, scratch: &mut csv::ByteRecord) {
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
pub fn first_line<R: Read>(reader: &csv::Reader<QuoteScan<R>>, record: &csv::ByteRecord) -> u64 {
    let at = reader.position();
    let ended_by_newline = !(reader.get_ref().at_eof()
        && reader.get_ref().last_byte() != Some(b'\n')
        && at.byte() == reader.get_ref().bytes_read());
    let inner = memchr::memchr_iter(b'\n', record.as_slice()).count() as u64;
    at.line()
        .saturating_sub(u64::from(ended_by_newline) + inner)
        .max(1)
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
