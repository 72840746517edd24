//! The schema of our CSV data files: its columns, in the order we write them, and where
//! each sits in one file's header.
//!
//! Owns the column names and the header check; what a value in a column must be is
//! [`crate::validate`]'s. It does no I/O.

use crate::error::Diagnostic;

/// The place types documented in the README; others are allowed but warned about.
pub const PLACE_TYPES: [&str; 18] = [
    "city",
    "town",
    "village",
    "settlement",
    "region",
    "country",
    "district",
    "mountain",
    "river",
    "lake",
    "island",
    "street",
    "square",
    "park",
    "station",
    "building",
    "monument",
    "other",
];

/// The columns of the data schema, in the order we write them.
pub const COLUMNS: [&str; 15] = [
    "place_id",
    "name",
    "start",
    "end",
    "lang",
    "type",
    "country",
    "lat",
    "lon",
    "source",
    "note",
    "kind",
    "attested",
    "population",
    "same_as",
];

/// Columns the CSV output adds to the schema; ignored quietly when read as data.
pub const OUTPUT_COLUMNS: [&str; 9] = [
    "matched",
    "matched_period",
    "period_status",
    "date",
    "certainty",
    "detail",
    "qualifiers",
    "current_name",
    "match",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    PlaceId = 0,
    Name,
    Start,
    End,
    Lang,
    Type,
    Country,
    Lat,
    Lon,
    Source,
    Note,
    Kind,
    Attested,
    Population,
    SameAs,
}

impl Col {
    /// In the order of [`COLUMNS`].
    pub const ALL: [Col; COLUMNS.len()] = [
        Col::PlaceId,
        Col::Name,
        Col::Start,
        Col::End,
        Col::Lang,
        Col::Type,
        Col::Country,
        Col::Lat,
        Col::Lon,
        Col::Source,
        Col::Note,
        Col::Kind,
        Col::Attested,
        Col::Population,
        Col::SameAs,
    ];
}

/// Where each known column sits in one file's header.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    at: [Option<usize>; COLUMNS.len()],
}

impl Layout {
    /// Every known column's value in a row, trimmed ("" for a column the file lacks).
    pub fn values<'r>(&self, row: &'r csv::StringRecord) -> [&'r str; COLUMNS.len()] {
        std::array::from_fn(|col| self.value(row, col))
    }

    /// One column's value in a row, trimmed ("" for a column the file lacks): for a
    /// reader that needs a few columns of every row of a big file.
    pub fn value<'r>(&self, row: &'r csv::StringRecord, col: usize) -> &'r str {
        self.at
            .get(col)
            .copied()
            .flatten()
            .and_then(|i| row.get(i))
            .map_or("", trim)
    }
}

/// `str::trim`, with a shortcut for the usual value, which starts and ends with a
/// printable ASCII character and so has nothing to trim.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&first), Some(&last))
            if (0x21..0x7F).contains(&first) && (0x21..0x7F).contains(&last) =>
        {
            s
        }
        _ => s.trim(),
    }
}

/// Maps the header, or reports why the file cannot be read as our schema.
pub fn layout(
    file: &str,
    header: &[String],
    diags: &mut Vec<Diagnostic>,
    ignored: &mut Vec<String>,
) -> Option<Layout> {
    let header_error = |msg: String| Diagnostic::error(file, Some(1), None, msg);
    let mut at = [None; COLUMNS.len()];
    let mut ok = true;
    for (i, raw) in header.iter().enumerate() {
        let name = raw.to_ascii_lowercase();
        if name.is_empty() {
            diags.push(header_error(format!(
                "header field {} is blank: give every column a name",
                i + 1
            )));
            ok = false;
            continue;
        }
        if header[..i].iter().any(|h| h.eq_ignore_ascii_case(raw)) {
            diags.push(header_error(format!(
                "the header names column '{raw}' twice: rename or remove one of them"
            )));
            ok = false;
            continue;
        }
        match COLUMNS.iter().position(|c| *c == name) {
            Some(k) => at[k] = Some(i),
            // What `lookup`, `at` and `search` add to the schema: their output reads back
            // as data without a word.
            None if OUTPUT_COLUMNS.contains(&name.as_str()) => {}
            None if !ignored.contains(&name) => {
                ignored.push(name.clone());
                diags.push(Diagnostic::warning(
                    file,
                    Some(1),
                    Some(raw),
                    format!(
                        "unknown column ignored (known columns: {})",
                        COLUMNS.join(", ")
                    ),
                ));
            }
            None => {}
        }
    }
    for required in [Col::PlaceId, Col::Name] {
        if at[required as usize].is_none() {
            diags.push(header_error(format!(
                "the header has no '{}' column: the first line must name the columns, at least \
                 place_id and name (all: {})",
                COLUMNS[required as usize],
                COLUMNS.join(",")
            )));
            ok = false;
        }
    }
    ok.then_some(Layout { at })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One column's value is the one all values give, for columns the file has (padded
    /// or not) and columns it lacks.
    #[test]
    fn a_value_is_the_one_of_all_values() {
        let header: Vec<String> = ["place_id", "name", "lang", "note"]
            .map(String::from)
            .to_vec();
        let (mut diags, mut ignored) = (Vec::new(), Vec::new());
        let layout = layout("t.csv", &header, &mut diags, &mut ignored);
        let layout = layout.unwrap_or_else(|| panic!("{diags:?}"));
        let row = csv::StringRecord::from(vec!["ru-volgograd", " Volgograd ", "ru", ""]);
        let all = layout.values(&row);
        for (col, value) in all.iter().enumerate() {
            assert_eq!(layout.value(&row, col), *value, "{}", COLUMNS[col]);
        }
        assert_eq!(all[Col::Name as usize], "Volgograd");
        assert_eq!(all[Col::Type as usize], "");
        assert_eq!(layout.value(&row, COLUMNS.len()), "");
    }
}
