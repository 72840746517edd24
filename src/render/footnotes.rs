//! Footnotes under a table: a row's source and note as numbered markers (`[1]`) in the
//! table, and the texts they stand for under it, one line each.
//!
//! Owns the numbering only: a long source URL kept out of a cell stays whole on its own
//! line (so it can be copied), and a text met again gets the number it already has. It
//! draws no table.

use crate::text::sanitize;
use std::io::{self, Write};

/// The texts cited in one table, numbered in the order they were first met.
#[derive(Debug, Default)]
pub(super) struct Footnotes {
    texts: Vec<String>,
}

impl Footnotes {
    /// The markers of a row's source and note, `[1] [2]`; empty texts get none.
    pub(super) fn cite(&mut self, source: &str, note: &str) -> String {
        [source, note]
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| format!("[{}]", self.number(t)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn number(&mut self, text: &str) -> usize {
        // Notes and sources are untrusted text: escaped (a line break too) once, here.
        let text = sanitize(text.trim()).into_owned();
        match self.texts.iter().position(|t| *t == text) {
            Some(i) => i + 1,
            None => {
                self.texts.push(text);
                self.texts.len()
            }
        }
    }

    /// Writes `[n] text` for every text cited, one line each, never wrapped.
    pub(super) fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        for (i, t) in self.texts.iter().enumerate() {
            writeln!(out, "[{}] {t}", i + 1)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_share_a_number_and_empty_ones_get_none() {
        let mut f = Footnotes::default();
        assert_eq!(f.cite("https://a.example/x", ""), "[1]");
        assert_eq!(
            f.cite("https://a.example/x", "Old Style 1914-08-18"),
            "[1] [2]"
        );
        assert_eq!(
            f.cite("https://b.example/y", "Old Style 1914-08-18"),
            "[3] [2]"
        );
        assert_eq!(f.cite("", "  "), "");
        let mut out = Vec::new();
        f.write(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[1] https://a.example/x\n[2] Old Style 1914-08-18\n[3] https://b.example/y\n"
        );
    }

    #[test]
    fn a_line_break_in_a_note_stays_on_one_line_escaped() {
        let mut f = Footnotes::default();
        f.cite("", "first\nsecond\u{202e}");
        let mut out = Vec::new();
        f.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.contains("\\u{a}") && text.contains("\\u{202e}"),
            "{text}"
        );
    }
}
