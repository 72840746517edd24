//! The columns `resolve` appends to each input row.

use crate::query::{Candidate, NameAt, Resolution};
use std::fmt::Write as _;

/// The appended columns, in order. Prefixed so they cannot clash with the user's own.
pub const COLUMNS: [&str; 7] = [
    "gz_place_id",
    "gz_name",
    "gz_current_name",
    "gz_match",
    "gz_name_period",
    "gz_certainty",
    "gz_status",
];

/// Joins the values of a multi-valued cell: one value per answer, that is per candidate
/// place and, when a place bore several names at the date (a renaming inside the
/// queried window), per name. Every column but `gz_status` holds as many values, in the
/// same order, so the k-th values of the columns belong together.
pub const SEPARATOR: &str = "|";

/// Appends one value of a multi-valued cell, with a `|` or `\` inside it escaped by a
/// `\` (`A\|B`), so that splitting at an unescaped `|` gives back every value.
pub fn push_value(v: &mut String, s: &str) {
    if !s.contains(['|', '\\']) {
        return v.push_str(s);
    }
    for c in s.chars() {
        if matches!(c, '|' | '\\') {
            v.push('\\');
        }
        v.push(c);
    }
}

/// Appends the new columns of one row, each after a delimiter. Each value is built in
/// one reused buffer: at a million rows, a string per value was a large share of the time.
/// With `safe` (`--csv-safe`), each is quoted and a would-be formula defused.
pub fn append(r: &Resolution, delimiter: u8, safe: bool, out: &mut Vec<u8>) {
    let mut value = String::new();
    let mut column = |out: &mut Vec<u8>, f: &dyn Fn(&Candidate, Option<&NameAt>, &mut String)| {
        value.clear();
        let mut first = true;
        for c in &r.candidates {
            // A place with no name at the date is still one answer, with an empty name.
            for k in 0..c.names.len().max(1) {
                if !first {
                    value.push_str(SEPARATOR);
                }
                first = false;
                f(c, c.names.get(k), &mut value);
            }
        }
        out.push(delimiter);
        push_cell(out, &value, delimiter, safe);
    };
    column(out, &|c, _, v| push_value(v, &c.place.id));
    column(out, &|_, n, v| {
        if let Some(n) = n {
            push_value(v, &n.record.name);
        }
    });
    column(out, &|c, _, v| push_value(v, c.place.current_name()));
    column(out, &|c, _, v| v.push_str(c.how.as_str()));
    column(out, &|c, _, v| {
        if let Some(m) = c.matched {
            // Writing into a String cannot fail.
            let _ = write!(v, "{}", m.period());
        }
    });
    column(out, &|_, n, v| {
        if let Some(n) = n {
            super::push_certainty(v, n.certainty, n.qualifiers);
        }
    });
    out.push(delimiter);
    push_cell(out, r.status.as_str(), delimiter, safe);
}

/// One appended cell: as [`push_field`], or quoted and defused with `safe`.
fn push_cell(out: &mut Vec<u8>, value: &str, delimiter: u8, safe: bool) {
    if !safe {
        return push_field(out, value, delimiter);
    }
    out.push(b'"');
    for b in crate::render::csv::defuse(value, true).bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Appends one field to a row being written, quoting it when the delimiter, a quote or a
/// line end would otherwise break the row.
pub fn push_field(out: &mut Vec<u8>, field: &str, delimiter: u8) {
    let needs_quotes = field
        .bytes()
        .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
    if !needs_quotes {
        out.extend_from_slice(field.as_bytes());
        return;
    }
    out.push(b'"');
    for b in field.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        push_field(&mut out, "plain", b',');
        out.push(b',');
        push_field(&mut out, "a,b", b',');
        out.push(b',');
        push_field(&mut out, "say \"hi\"", b',');
        out.push(b'\t');
        push_field(&mut out, "a,b", b'\t');
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\"\ta,b"
        );
    }
}
