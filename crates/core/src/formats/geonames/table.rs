//! The geoname table (`allCountries.txt`, `cities1000.txt` and the like), read into a
//! compact map: id → coordinates, country, type, main name.

use super::feature_codes::{TYPES, place_type};
use super::lines::{Lines, empty, split_tabs};
use crate::error::Diagnostic;
use crate::hash::FxHashMap;
use crate::source::Sink;
use std::io::BufRead;
use std::sync::Arc;

/// What the geoname table says of one place: only what the rows need.
pub(super) struct Place {
    pub(super) id: u64,
    pub(super) name: Box<str>,
    pub(super) coords: Option<(f64, f64)>,
    pub(super) country: Option<[u8; 2]>,
    /// Index into [`TYPES`].
    pub(super) kind: u8,
    pub(super) line: u64,
    /// An alternate name of the place has the same text as `name`.
    pub(super) named: bool,
}

/// The geoname table, in file order, with an index by geonameid.
pub(super) struct Places {
    pub(super) file: Arc<str>,
    pub(super) index: FxHashMap<u64, u32>,
    pub(super) entries: Vec<Place>,
}

/// The columns of the geoname table, for messages.
const TABLE_COLUMNS: [&str; 19] = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
];

pub(super) fn read_places(file: &str, input: &mut dyn BufRead, sink: &mut dyn Sink) -> Places {
    let mut places = Places {
        file: Arc::from(file),
        index: FxHashMap::default(),
        entries: Vec::new(),
    };
    let mut lines = Lines::new(input);
    while let Some((line, text)) = lines.next_text(file, sink) {
        let (cols, n) = split_tabs::<20>(text);
        if !(9..=19).contains(&n) {
            let message = if n < 9 {
                format!(
                    "the row has {n} column{}: a geoname row has 19, and at least the first 9 \
                     ({}) are needed; the place is left out",
                    if n == 1 { "" } else { "s" },
                    TABLE_COLUMNS[..9].join(", ")
                )
            } else {
                format!(
                    "the row has {n} columns: a geoname row has 19 ({}); the place is left out",
                    TABLE_COLUMNS.join(", ")
                )
            };
            sink.problem(Diagnostic::error(file, Some(line), None, message));
            continue;
        }
        let Some(id) = geonameid(cols[0]) else {
            sink.problem(Diagnostic::error(
                file,
                Some(line),
                Some("geonameid"),
                format!(
                    "'{}' is not a geonameid: it is the whole number of a GeoNames place; the \
                     place is left out",
                    cols[0]
                ),
            ));
            continue;
        };
        if let Some(&first) = places.index.get(&id) {
            let first = places.entries[first as usize].line;
            sink.problem(Diagnostic::error(
                file,
                Some(line),
                Some("geonameid"),
                format!(
                    "geonameid {id} is here again (first at line {first}): this row is left out"
                ),
            ));
            continue;
        }
        let name = cols[1].trim();
        if name.is_empty() {
            sink.problem(Diagnostic::warning(
                file,
                Some(line),
                Some("name"),
                format!(
                    "is empty: place {id} gets no row of its own, only its alternate names \
                     have its coordinates"
                ),
            ));
        }
        let coords = coordinates(cols[4].trim(), cols[5].trim());
        if coords.is_none() && !(cols[4].trim().is_empty() && cols[5].trim().is_empty()) {
            sink.problem(Diagnostic::warning(
                file,
                Some(line),
                Some("latitude"),
                format!(
                    "'{}', '{}' are not a latitude and longitude in decimal degrees: the \
                     coordinates were left out",
                    cols[4], cols[5]
                ),
            ));
        }
        let cc = cols[8].trim();
        let country = match cc.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
            }
            [] => None,
            _ => {
                sink.problem(Diagnostic::warning(
                    file,
                    Some(line),
                    Some("country code"),
                    format!("'{cc}' is not a two-letter country code: it was left out"),
                ));
                None
            }
        };
        let population = cols[14].trim().parse::<u64>().unwrap_or(0);
        let t = place_type(cols[6].trim(), cols[7].trim(), population);
        let kind = TYPES.iter().position(|x| *x == t).unwrap_or(0) as u8;
        let Ok(at) = u32::try_from(places.entries.len()) else {
            sink.problem(Diagnostic::error(
                file,
                Some(line),
                None,
                "more than 4 billion places: the rest of the table is left out".to_string(),
            ));
            break;
        };
        places.index.insert(id, at);
        places.entries.push(Place {
            id,
            name: name.into(),
            coords,
            country,
            kind,
            line,
            named: false,
        });
    }
    if !lines.any {
        sink.problem(empty(file, "a geoname table has one place a line"));
    }
    places
}

/// Latitude and longitude, when both are numbers in range.
fn coordinates(lat: &str, lon: &str) -> Option<(f64, f64)> {
    let lat: f64 = lat.parse().ok()?;
    let lon: f64 = lon.parse().ok()?;
    (lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0)
        .then_some((lat, lon))
}

/// A geonameid: a whole number, digits only.
pub(super) fn geonameid(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}
