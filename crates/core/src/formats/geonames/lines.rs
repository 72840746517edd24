//! GeoNames files line by line: blank lines skipped, line ends and a byte-order mark
//! removed, tab-separated fields, and the wording of their reading problems.

use crate::error::Diagnostic;
use crate::source::Sink;
use std::io::BufRead;

/// Lines of a stream, one buffer reused; blank lines skipped, line ends and a leading
/// byte-order mark removed.
pub(super) struct Lines<'a> {
    input: &'a mut dyn BufRead,
    /// The line being read, as bytes; `text` holds it once it is known to be UTF-8 (the
    /// same allocation, handed back and forth, so a line is validated once and never copied).
    buf: Vec<u8>,
    text: String,
    /// The 1-based number of the line last read.
    line: u64,
    /// Whether a line that is not blank was returned.
    pub(super) any: bool,
}

impl<'a> Lines<'a> {
    pub(super) fn new(input: &'a mut dyn BufRead) -> Self {
        Lines {
            input,
            buf: Vec::new(),
            text: String::new(),
            line: 0,
            any: false,
        }
    }

    /// The next line that is not blank, with its number. A line that is not UTF-8 is
    /// reported to `sink` and skipped; a line that cannot be read (or is over
    /// [`crate::source::MAX_LINE`]) is reported and ends the file.
    pub(super) fn next_text(&mut self, file: &str, sink: &mut dyn Sink) -> Option<(u64, &str)> {
        let (from, to) = loop {
            self.buf = std::mem::take(&mut self.text).into_bytes();
            self.buf.clear();
            // At most one line of MAX_LINE bytes is held: a file without line ends (not a
            // GeoNames file) is refused instead of read whole into memory.
            let limit = crate::source::MAX_LINE + 1;
            let mut capped = std::io::Read::take(&mut *self.input, limit);
            let failed = match capped.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(n) if n as u64 == limit && !self.buf.ends_with(b"\n") => Some(format!(
                    "line {} is over {} MB long, more than any GeoNames row: is this a \
                     GeoNames file?",
                    self.line + 1,
                    crate::source::MAX_LINE >> 20
                )),
                Ok(_) => None,
                Err(e) => Some(e.to_string()),
            };
            if let Some(e) = failed {
                let message = format!("cannot read: {e}");
                sink.problem(Diagnostic::error(file, Some(self.line + 1), None, message));
                return None;
            }
            self.line += 1;
            let mut to = self.buf.len();
            if self.buf[..to].ends_with(b"\n") {
                to -= 1;
            }
            if self.buf[..to].ends_with(b"\r") {
                to -= 1;
            }
            let from = if self.line == 1 && self.buf[..to].starts_with(crate::source::BOM) {
                3
            } else {
                0
            };
            if self.buf[from..to].trim_ascii().is_empty() {
                continue;
            }
            self.any = true;
            match String::from_utf8(std::mem::take(&mut self.buf)) {
                Ok(text) => {
                    self.text = text;
                    break (from, to);
                }
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    sink.problem(not_utf8(file, self.line, at.saturating_sub(from)));
                    self.buf = e.into_bytes();
                }
            }
        };
        Some((self.line, &self.text[from..to]))
    }
}

/// The first `N` tab-separated fields of a line, and how many fields it has in all.
pub(super) fn split_tabs<const N: usize>(text: &str) -> ([&str; N], usize) {
    let mut cols = [""; N];
    let mut n = 0;
    for (i, c) in text.split('\t').enumerate() {
        if i < N {
            cols[i] = c;
        }
        n += 1;
    }
    (cols, n)
}

pub(super) fn empty(file: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        None,
        None,
        format!("the file is empty: {what} (tab-separated, as GeoNames exports it)"),
    )
}

fn not_utf8(file: &str, line: u64, at: usize) -> Diagnostic {
    Diagnostic::error(
        file,
        Some(line),
        None,
        format!(
            "bytes that are not UTF-8 (at byte {} of the line): GeoNames files are UTF-8; the \
             file may be damaged or re-encoded",
            at + 1
        ),
    )
}
