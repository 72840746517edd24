//! Watching bytes on their way to a csv reader: quotes left open, lines too long.

use super::MAX_LINE;
use std::io::Read;

/// Watches the bytes on their way to the csv reader for a quoted field that is never
/// closed: the csv crate would read it as one field running to the end of the file,
/// silently swallowing every later row. Only quote bytes are visited.
pub struct QuoteScan<R> {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Outside,
    Inside,
    /// A quote inside a quoted field: it closes the field unless another quote follows.
    MaybeClosed,
}

impl<R: Read> QuoteScan<R> {
    pub fn new(inner: R, delimiter: u8) -> Self {
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
        if self.total == 0 && buf.starts_with(super::BOM) {
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
    pub fn unclosed(&self) -> Option<u64> {
        (self.eof && self.state == Quote::Inside).then_some(self.opened_on)
    }

    pub(super) fn at_eof(&self) -> bool {
        self.eof
    }

    pub(super) fn last_byte(&self) -> Option<u8> {
        (self.total > 0).then_some(self.prev)
    }

    pub fn bytes_read(&self) -> u64 {
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
}
