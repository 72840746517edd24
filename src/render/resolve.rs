//! The columns `resolve` appends to each input row.

use crate::query::{Candidate, Resolution};

/// The appended columns, in order. Prefixed so they cannot clash with the user's own.
pub const COLUMNS: [&str; 6] = [
    "gz_place_id",
    "gz_name",
    "gz_current_name",
    "gz_match",
    "gz_certainty",
    "gz_status",
];

/// Joins the candidates of an ambiguous name.
const PLACES: &str = "|";
/// Joins several names of one place (a renaming inside the queried window, or names of
/// equal standing).
const NAMES: &str = ";";

/// The appended values for one row.
pub fn fields(r: &Resolution) -> [String; 6] {
    let each = |f: &dyn Fn(&Candidate) -> String| {
        r.candidates.iter().map(f).collect::<Vec<_>>().join(PLACES)
    };
    let names = |c: &Candidate| {
        c.names
            .iter()
            .map(|n| &*n.record.name)
            .collect::<Vec<_>>()
            .join(NAMES)
    };
    let certainty = |c: &Candidate| {
        c.names
            .first()
            .map_or("", |n| n.certainty.as_str())
            .to_string()
    };
    [
        each(&|c| c.place.id.clone()),
        each(&names),
        each(&|c| c.place.current_name().to_string()),
        each(&|c| c.how.as_str().to_string()),
        each(&certainty),
        r.status.as_str().to_string(),
    ]
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
