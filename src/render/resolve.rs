//! The columns `resolve` appends to each input row, in CSV, TSV or JSON Lines.

use crate::query::{Candidate, NameAt, Resolution};
use std::fmt::Write as _;

/// The appended columns, in order, with the default prefix `gz_` (`--prefix` changes it)
/// so that they do not clash with the user's own. `gz_date_problem` says why a bad_date
/// row's date could not be read, and is empty on every other row.
pub const COLUMNS: [&str; 8] = [
    "gz_place_id",
    "gz_name",
    "gz_current_name",
    "gz_match",
    "gz_name_period",
    "gz_certainty",
    "gz_status",
    "gz_date_problem",
];

/// With `--pick first`, after [`COLUMNS`]: the places a `picked` row did not take, as
/// `gz_place_id` lists places (empty on every other row).
pub const OTHERS: &str = "gz_other_place_ids";

/// With `--country-column`, last: why the row's country cell names no country (empty
/// when it does, or is empty).
pub const COUNTRY_PROBLEM: &str = "gz_country_problem";

/// The default `--prefix`.
pub const PREFIX: &str = "gz_";

/// The appended columns' names with the output's prefix in place of `gz_`.
pub fn headers(output: &Output<'_>) -> Vec<String> {
    let extra = [(output.pick, OTHERS), (output.country, COUNTRY_PROBLEM)];
    COLUMNS
        .iter()
        .copied()
        .chain(extra.iter().filter(|e| e.0).map(|e| e.1))
        .map(|c| format!("{}{}", output.prefix, &c[PREFIX.len()..]))
        .collect()
}

/// `resolve`'s output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResolveFormat {
    /// Each row as read, the new columns appended (the default).
    #[default]
    Csv,
    /// Tab-separated: fields quoted as CSV quotes them only when they hold a tab, a quote
    /// or a line end, so that `resolve --delimiter tab` reads it back.
    Tsv,
    /// JSON Lines: each row one object, keyed by the header (with `--no-headers`, by
    /// column number), and the new columns, multi-valued ones as arrays.
    Jsonl,
}

/// How the appended columns are written.
#[derive(Debug, Clone, Copy)]
pub struct Output<'a> {
    pub format: ResolveFormat,
    /// The delimiter written (CSV: the input's; TSV: a tab).
    pub delimiter: u8,
    /// `--csv-safe`.
    pub safe: bool,
    pub prefix: &'a str,
    /// `--pick first`: the [`OTHERS`] column is written.
    pub pick: bool,
    /// `--country-column`: the [`COUNTRY_PROBLEM`] column is written.
    pub country: bool,
}

/// What a row's answer carries besides its resolution.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra<'a> {
    /// Why the row's date could not be read (empty if it could).
    pub date_problem: &'a str,
    /// The ids of the places a `picked` row did not take.
    pub others: &'a [&'a str],
    /// Why the row's country cell names no country (empty if it does).
    pub country_problem: &'a str,
}

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

/// Appends the new columns of one row: in CSV and TSV each after a delimiter, in JSON
/// Lines as the members of the row's object that follow its input fields (each after a
/// comma).
pub fn append(r: &Resolution, extra: &Extra<'_>, output: &Output<'_>, out: &mut Vec<u8>) {
    match output.format {
        ResolveFormat::Jsonl => append_json(r, extra, output, out),
        ResolveFormat::Csv | ResolveFormat::Tsv => {
            let (d, safe) = (output.delimiter, output.safe);
            append_delimited(r, d, safe, out);
            out.push(d);
            push_cell(out, extra.date_problem, d, safe);
            if output.pick {
                let mut others = String::new();
                for (k, id) in extra.others.iter().enumerate() {
                    if k > 0 {
                        others.push_str(SEPARATOR);
                    }
                    push_value(&mut others, id);
                }
                out.push(d);
                push_cell(out, &others, d, safe);
            }
            if output.country {
                out.push(d);
                push_cell(out, extra.country_problem, d, safe);
            }
        }
    }
}

/// The answer's values of one multi-valued column, as [`append_delimited`] joins them.
fn values(r: &Resolution, f: &dyn Fn(&Candidate, Option<&NameAt>, &mut String)) -> Vec<String> {
    let mut all = Vec::new();
    for c in &r.candidates {
        for k in 0..c.names.len().max(1) {
            let mut v = String::new();
            f(c, c.names.get(k), &mut v);
            all.push(v);
        }
    }
    all
}

/// Writes one value of a column for an answer (a candidate place, and one of its names).
type ColumnValue<'f> = &'f dyn Fn(&Candidate, Option<&NameAt>, &mut String);

fn append_json(r: &Resolution, extra: &Extra<'_>, output: &Output<'_>, out: &mut Vec<u8>) {
    let columns: [ColumnValue<'_>; 6] = [
        &|c, _, v| v.push_str(&c.place.id),
        &|_, n, v| {
            if let Some(n) = n {
                v.push_str(&n.record.name);
            }
        },
        &|c, _, v| v.push_str(c.place.current_name()),
        &|c, _, v| v.push_str(c.how.as_str()),
        &|c, _, v| {
            if let Some(m) = c.matched {
                let _ = write!(v, "{}", m.period());
            }
        },
        &|_, n, v| {
            if let Some(n) = n {
                super::push_certainty(v, n.certainty, n.qualifiers);
            }
        },
    ];
    let names = headers(output);
    let member = |out: &mut Vec<u8>, name: &str, value: serde_json::Value| {
        out.push(b',');
        // Writing JSON into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, name);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, &value);
    };
    for (name, f) in names.iter().zip(columns) {
        member(out, name, serde_json::Value::from(values(r, f)));
    }
    member(out, &names[6], r.status.as_str().into());
    member(out, &names[7], extra.date_problem.into());
    let mut next = 8;
    if output.pick {
        member(
            out,
            &names[next],
            serde_json::Value::from(extra.others.to_vec()),
        );
        next += 1;
    }
    if output.country {
        member(out, &names[next], extra.country_problem.into());
    }
}

/// The CSV or TSV cells of the answer, each value built in one reused buffer: at a
/// million rows, a string per value was a large share of the time. With `safe`
/// (`--csv-safe`), each is quoted and a would-be formula defused.
fn append_delimited(r: &Resolution, delimiter: u8, safe: bool, out: &mut Vec<u8>) {
    // (Room for most values at once: grown from nothing, it was reallocated four times.)
    let mut value = String::with_capacity(64);
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
            let _ = m.period().write_to(v);
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
