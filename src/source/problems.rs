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
