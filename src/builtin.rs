//! The curated default data, compiled in from `data/*.csv` by `build.rs`, with an index
//! of its names made at build time.
//!
//! Owns access to the built-in data: all of it (for `check` and suggestions), or just the
//! rows of the places a query needs, so that a query need not parse the whole dataset.

use crate::source::{Input, RawRow, Table, parse};
use std::collections::BTreeSet;

include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

/// Every built-in data file as an input.
pub fn inputs() -> Vec<Input> {
    FILES
        .iter()
        .map(|&(name, text)| Input::Builtin { name, text })
        .collect()
}

/// All the built-in data, read and validated (for tests across modules).
#[cfg(test)]
pub(crate) fn gazetteer() -> crate::model::Gazetteer {
    let tables: Vec<Table> = inputs()
        .iter()
        .map(|i| {
            let mut t = Table::default();
            crate::source::read_into(i, &mut t).unwrap();
            t
        })
        .collect();
    crate::validate::validate(&tables).gazetteer
}

/// Whether the build-time index can stand in for parsing everything.
pub fn indexed() -> bool {
    INDEX_COMPLETE
}

/// How many places and name rows the built-in data has, from the build-time index
/// (`None` when the build could not index it).
pub fn counts() -> Option<(usize, usize)> {
    INDEX_COMPLETE.then(|| {
        (
            PLACES.len(),
            PLACES.iter().map(|(_, rows)| rows.len()).sum(),
        )
    })
}

/// Ids of the built-in places that bore a name with this folded key.
pub fn places_with_key(key: &str) -> Vec<&'static str> {
    match NAMES.binary_search_by(|(k, _)| (*k).cmp(key)) {
        Ok(i) => NAMES[i].1.iter().map(|&p| PLACES[p as usize].0).collect(),
        Err(_) => Vec::new(),
    }
}

/// Whether a built-in place has this id.
pub fn has_place(id: &str) -> bool {
    PLACES.binary_search_by(|(k, _)| (*k).cmp(id)).is_ok()
}

fn text_of(file: usize) -> &'static str {
    let text = FILES[file].1;
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The rows of the given built-in places, one table per file that has any, with the
/// lines they stand on in `data/`.
pub fn tables_for(ids: &BTreeSet<&str>) -> Vec<Table> {
    let mut tables: Vec<Option<Table>> = vec![None; FILES.len()];
    for id in ids {
        let Ok(i) = PLACES.binary_search_by(|(k, _)| (*k).cmp(id)) else {
            continue;
        };
        for &(file, line, start, end) in PLACES[i].1 {
            let file = usize::from(file);
            let text = text_of(file);
            let table = tables[file].get_or_insert_with(|| {
                let header_end = text.find('\n').map_or(text.len(), |n| n + 1);
                let mut t = parse(FILES[file].0, &text.as_bytes()[..header_end]);
                // The header alone reads as "no rows": that is not this table's story.
                t.problems.clear();
                t
            });
            let bytes = text
                .as_bytes()
                .get(start as usize..end as usize)
                .unwrap_or_default();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            if let Some(Ok(record)) = reader.records().next() {
                table.rows.push(RawRow {
                    line: u64::from(line),
                    fields: record.iter().map(str::to_string).collect(),
                });
            }
        }
    }
    tables.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate;

    /// The index must give exactly what parsing everything gives: every place, row for
    /// row and line for line, and every name leads to its place.
    #[test]
    fn the_index_agrees_with_parsing_everything() {
        assert!(
            indexed(),
            "the build could not index data/: see the build warnings"
        );
        let full = gazetteer();
        assert!(!full.places.is_empty());
        for place in &full.places {
            let one = validate(&tables_for(&BTreeSet::from([place.id.as_str()]))).gazetteer;
            assert_eq!(one.places.len(), 1, "{}", place.id);
            assert_eq!(&one.places[0], place);
            for n in &place.names {
                let ids = places_with_key(&crate::fold::fold(&n.name));
                assert!(
                    ids.contains(&place.id.as_str()),
                    "{} does not lead to {}",
                    n.name,
                    place.id
                );
                assert!(has_place(&place.id));
            }
        }
        assert!(places_with_key("no such name anywhere").is_empty());
        assert!(!has_place("no-such-place"));
    }
}
