//! What every reader of data files looks for at a file's start, and how it words what it
//! finds, in one place.

use crate::error::Diagnostic;

/// UTF-8's byte-order mark: readers skip it at the start of a file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a file that starts with these bytes is UTF-16 (a byte-order mark of either
/// order).
pub fn is_utf16(start: &[u8]) -> bool {
    start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF")
}

/// The problem of a file in UTF-16, which no reader here reads.
pub fn utf16(file: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        None,
        None,
        "the file is UTF-16: save it as UTF-8 and try again".into(),
    )
}

/// The problem of a quoted field opened on `line` and never closed, in a CSV file.
pub fn unclosed_quote(file: &str, line: u64) -> Diagnostic {
    Diagnostic::error(
        file,
        Some(line),
        None,
        "a quoted field opened on this line is never closed: add the closing '\"' \
         (a quote inside a quoted field is written '\"\"'); everything after it was read as \
         one field"
            .to_string(),
    )
}

/// The problem of a file that the csv reader cannot split into records.
pub fn not_csv(file: &str, error: &csv::Error) -> Diagnostic {
    let line = error.position().map(csv::Position::line);
    Diagnostic::error(file, line, None, format!("not valid CSV: {error}"))
}

/// The problem of a row, or a header, with bytes that are not UTF-8 (in `column`, when
/// known).
pub fn not_utf8(file: &str, line: u64, column: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        file,
        Some(line),
        column,
        "bytes that are not UTF-8: save the file as UTF-8 (it may be Latin-1 or \
         Windows-1252)"
            .to_string(),
    )
}

/// The problem of a file whose bytes could not be read to the end.
pub fn cannot_read(file: &str, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(file, None, None, format!("cannot read: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_byte_orders_are_utf16_and_utf8_is_not() {
        assert!(is_utf16(b"\xFF\xFEp\0"));
        assert!(is_utf16(b"\xFE\xFF\0p"));
        assert!(!is_utf16(b"\xEF\xBB\xBFp"));
        assert!(!is_utf16(b"\xFF"));
        assert!(utf16("x.csv").to_string().contains("save it as UTF-8"));
    }
}
