//! The default data, compiled in by `build.rs`: the curated `data/*.csv` and the world
//! layer (`data/world/places.csv.gz`), with indexes of their names made at build time.
//!
//! Owns access to the built-in data: all of it (for `check` and `export`), or just the
//! rows of the places a query needs, found through the index of every key a matching
//! tier uses and, for a miss, of every spelling the fuzzy tier compares, so that no
//! query parses the whole dataset.

use crate::source::{Input, RawRow, Table, parse};
use std::collections::BTreeSet;

include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

/// The built-in data in the store format, as `build.rs` wrote it (empty when the data did
/// not validate clean): what `resolve` answers from, as from a store of `--data` files.
static STORE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin.store"));

/// The built-in store, opened (its prelude and footer checked; its chunks are trusted as
/// part of the binary, see `store::format::View::trusted`); `None` when the build wrote none.
pub fn store() -> Option<crate::store::Snapshot> {
    crate::store::Snapshot::builtin(STORE)
}

/// A sorted table of strings, each with a list of numbers, as `build.rs` writes it: the
/// count n, n+1 string offsets, n+1 list offsets, the numbers, then the strings' bytes;
/// every number a little-endian u32. The bytes are our own build's, so a table that
/// does not read is a bug: it reads as empty rather than panic.
struct Indexed(&'static [u8]);

impl Indexed {
    fn word(&self, i: usize) -> usize {
        self.0
            .get(i * 4..i * 4 + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn len(&self) -> usize {
        self.word(0)
    }

    fn text_start(&self) -> usize {
        let n = self.len();
        (1 + 2 * (n + 1) + self.word(1 + (n + 1) + n)) * 4
    }

    fn key(&self, i: usize) -> &'static str {
        let bytes: &'static [u8] = self.0;
        let base = self.text_start();
        let (from, to) = (self.word(1 + i), self.word(2 + i));
        bytes
            .get(base + from..base + to)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    fn list(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        let n = self.len();
        let base = 1 + 2 * (n + 1);
        let (from, to) = (self.word(1 + (n + 1) + i), self.word(2 + (n + 1) + i));
        (from..to).map(move |k| self.word(base + k) as u32)
    }

    fn find(&self, key: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key(mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

static PLACES: Indexed = Indexed(include_bytes!(concat!(env!("OUT_DIR"), "/places.bin")));
static KEYS: Indexed = Indexed(include_bytes!(concat!(env!("OUT_DIR"), "/keys.bin")));
static TWINS: Indexed = Indexed(include_bytes!(concat!(env!("OUT_DIR"), "/twins.bin")));
static GEONAMES: Indexed = Indexed(include_bytes!(concat!(env!("OUT_DIR"), "/geonames.bin")));

/// The ids of built-in places by their indices in PLACES.
fn ids(indices: impl Iterator<Item = u32>) -> impl Iterator<Item = &'static str> {
    indices.map(|p| PLACES.key(p as usize))
}

/// Every built-in place a query for `name` can find through an exact, folded,
/// transliterated or variant match, and their twins: the places the built-in store files
/// under the name's hash in each tier, as a query on the built-in data alone finds them
/// (a hash shared by another key only adds a place, which the matcher then passes over).
/// Every place when the build wrote no store.
pub fn places_for_name(name: &str) -> BTreeSet<&'static str> {
    let query = crate::matching::Query::new(name);
    places_of_store(|store, found| store.candidates(&[query.keys(true)], found))
}

/// The places (and their twins) that `pick` finds in the built-in store; every place
/// when there is no store or it cannot be read.
fn places_of_store(
    pick: impl FnOnce(&crate::store::Snapshot, &mut Vec<u32>) -> Result<(), crate::store::Damaged>,
) -> BTreeSet<&'static str> {
    // Opened once: a test asks for the places of every built-in name.
    static OPENED: std::sync::OnceLock<Option<crate::store::Snapshot>> = std::sync::OnceLock::new();
    let all = || (0..PLACES.len()).map(|i| PLACES.key(i)).collect();
    let Some(store) = OPENED.get_or_init(store) else {
        return all();
    };
    let mut found = Vec::new();
    if pick(store, &mut found).is_err() {
        return all();
    }
    found.sort_unstable();
    found.dedup();
    let mut out = BTreeSet::new();
    for p in found {
        let Some(id) = store.place_id(p).ok().and_then(place_id) else {
            return all();
        };
        out.insert(id);
        out.extend(twins_of(id));
    }
    out
}

/// Every built-in place with a name whose folded, transliterated or loose key contains
/// one of `needles`, and their twins; `None` when more than `max` places would be loaded
/// (a short needle that most names contain: reading everything is quicker then).
///
/// One scan of the key index's text finds them: the keys lie one after another there,
/// so each occurrence is kept only when it lies within one key.
pub fn places_containing(needles: &[String], max: usize) -> Option<BTreeSet<&'static str>> {
    let n = KEYS.len();
    let base = KEYS.text_start();
    let text = KEYS
        .0
        .get(base..base + KEYS.word(1 + n))
        .unwrap_or_default();
    let mut keys = BTreeSet::new();
    for needle in needles.iter().filter(|s| !s.is_empty()) {
        for at in memchr::memmem::find_iter(text, needle.as_bytes()) {
            // The key the occurrence starts in: the last whose start is at or before it.
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if KEYS.word(1 + mid) <= at {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            let Some(i) = lo.checked_sub(1) else {
                continue;
            };
            // Within the key, and not a name filed under its own text (U+0001 first).
            if at + needle.len() <= KEYS.word(2 + i) && !KEYS.key(i).starts_with('\u{1}') {
                keys.insert(i);
                if keys.len() > max {
                    return None;
                }
            }
        }
    }
    let mut places = BTreeSet::new();
    for i in keys {
        places.extend(ids(KEYS.list(i)));
        if places.len() > max {
            return None;
        }
    }
    Some(places)
}

/// Every built-in place with a name the fuzzy tier could find for `name`, or its
/// suggestions name, and their twins: the places of the built-in store's table of near
/// keys (`crate::store::near`), as a miss on the built-in data alone is answered. Every
/// place when the build wrote no store.
pub fn places_near(name: &str) -> BTreeSet<&'static str> {
    places_of_store(|store, found| store.near(name, found))
}

/// The built-in places that stand for the same place as `id` (its twins, #18).
pub fn twins_of(id: &str) -> Vec<&'static str> {
    TWINS
        .find(id)
        .map(|i| ids(TWINS.list(i)).collect())
        .unwrap_or_default()
}

/// The built-in places that stand for the GeoNames place `number`.
pub fn geonames_places(number: &str) -> Vec<&'static str> {
    GEONAMES
        .find(number)
        .map(|i| ids(GEONAMES.list(i)).collect())
        .unwrap_or_default()
}

/// The name the world layer's rows are read under (their origin).
pub const WORLD_FILE: &str = "data/world/places.csv.gz";

/// The compressed blocks of every file's text, one after another (see `BLOCKS`).
static TEXTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/texts.bin"));

/// Block `b` of file `file`'s text, inflated. The bytes are our own build's, so a block
/// that does not inflate is a bug: it reads as empty rather than panic.
fn block(file: usize, b: usize) -> Vec<u8> {
    BLOCKS
        .get(file)
        .and_then(|(_, blocks)| blocks.get(b))
        .and_then(|&(at, len)| TEXTS.get(at as usize..at as usize + len as usize))
        .and_then(|deflated| miniz_oxide::inflate::decompress_to_vec(deflated).ok())
        .unwrap_or_default()
}

/// The whole text of built-in file `file`, inflated once per process (for the commands
/// that read all of it: `check`, `export`, a full load).
fn text(file: usize) -> &'static str {
    static TEXT: std::sync::OnceLock<Vec<std::sync::OnceLock<&'static str>>> =
        std::sync::OnceLock::new();
    let cells = TEXT.get_or_init(|| FILES.iter().map(|_| std::sync::OnceLock::new()).collect());
    cells.get(file).map_or("", |cell| {
        cell.get_or_init(|| {
            let blocks = BLOCKS.get(file).map_or(0, |(_, b)| b.len());
            let bytes: Vec<u8> = (0..blocks).flat_map(|b| block(file, b)).collect();
            // Kept for the rest of the run, as the embedded text was.
            Box::leak(
                String::from_utf8(bytes)
                    .unwrap_or_default()
                    .into_boxed_str(),
            )
        })
    })
}

/// Bytes `start..end` of built-in file `file`'s text, inflating only the blocks they lie
/// in (`inflated` keeps those already inflated, for the next rows).
fn text_range(
    file: usize,
    start: usize,
    end: usize,
    inflated: &mut std::collections::HashMap<(usize, usize), Vec<u8>>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(end.saturating_sub(start));
    if start >= end {
        return out;
    }
    for b in start / BLOCK..=(end - 1) / BLOCK {
        let bytes = inflated.entry((file, b)).or_insert_with(|| block(file, b));
        let from = start.saturating_sub(b * BLOCK).min(bytes.len());
        let to = (end - b * BLOCK).min(bytes.len());
        out.extend_from_slice(bytes.get(from..to).unwrap_or_default());
    }
    out
}

/// Every built-in data file as an input.
pub fn inputs() -> Vec<Input> {
    FILES
        .iter()
        .enumerate()
        .map(|(i, &name)| Input::Builtin {
            name,
            text: text(i),
        })
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
            (0..PLACES.len()).map(|i| PLACES.list(i).count() / 4).sum(),
        )
    })
}

/// Whether a built-in place has this id.
pub fn has_place(id: &str) -> bool {
    PLACES.find(id).is_some()
}

/// The built-in place id equal to `id`, if there is one.
pub fn place_id(id: &str) -> Option<&'static str> {
    PLACES.find(id).map(|i| PLACES.key(i))
}

/// The rows of the given built-in places, one table per file that has any, with the
/// lines they stand on in `data/`.
pub fn tables_for(ids: &BTreeSet<&str>) -> Vec<Table> {
    let mut tables: Vec<Option<Table>> = vec![None; FILES.len()];
    let mut inflated = std::collections::HashMap::new();
    for id in ids {
        let Some(i) = PLACES.find(id) else {
            continue;
        };
        let rows: Vec<u32> = PLACES.list(i).collect();
        for row in rows.chunks_exact(4) {
            let (file, line, start, end) = (row[0] as usize, row[1], row[2], row[3]);
            let Some(&name) = FILES.get(file) else {
                continue;
            };
            let table = tables[file].get_or_insert_with(|| {
                // The header: the first line, within the first block.
                let first = text_range(file, 0, BLOCK, &mut inflated);
                let header_end = first
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(first.len(), |n| n + 1);
                let mut t = parse(name, &first[..header_end]);
                // The header alone reads as "no rows": that is not this table's story.
                t.problems.clear();
                t
            });
            let bytes = text_range(file, start as usize, end as usize, &mut inflated);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes.as_slice());
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

    /// Every curated place and every 25th world place: all of them is the same code
    /// path, and takes minutes in a debug build.
    fn sample(all: &crate::model::Gazetteer) -> impl Iterator<Item = &crate::model::Place> {
        all.places
            .iter()
            .enumerate()
            .filter(|(i, p)| !p.id.starts_with("gn-") || i % 25 == 0)
            .map(|(_, p)| p)
    }

    /// The index must give exactly what parsing everything gives: every place, row for
    /// row and line for line, and every name leads to its place through the keys of
    /// every tier and through the spellings of the fuzzy tier.
    #[test]
    fn the_index_agrees_with_parsing_everything() {
        assert!(
            indexed(),
            "the build could not index data/: see the build warnings"
        );
        let full = gazetteer();
        assert!(!full.places.is_empty());
        assert_eq!(counts().map(|c| c.0), Some(full.places.len()));
        for place in sample(&full) {
            let one = validate(&tables_for(&BTreeSet::from([place.id.as_str()]))).gazetteer;
            assert_eq!(one.places.len(), 1, "{}", place.id);
            assert_eq!(&one.places[0], place);
            assert!(has_place(&place.id));
        }
        // Names lead to places as queries see them: twins merged, a twin's names that
        // its curated place already answers to left out (#18).
        let merged = crate::twins::merge(full, LINKS);
        for place in sample(&merged) {
            for n in &place.names {
                let t = crate::spelling::translit_key(&n.name);
                for q in [
                    n.name.to_string(),
                    crate::fold::fold(&n.name),
                    t.clone(),
                    crate::spelling::variant_key(&t),
                ] {
                    if crate::fold::fold(&q).is_empty() && q != *n.name {
                        continue;
                    }
                    assert!(
                        places_for_name(&q).contains(place.id.as_str()),
                        "{q:?} (of {}) does not lead to {}",
                        n.name,
                        place.id
                    );
                }
            }
        }
        assert!(places_for_name("no such name anywhere").is_empty());
        assert!(!has_place("no-such-place"));
    }

    /// The places a name's keys lead to answer every query as all the data does: the same
    /// places, matched the same way, and on a miss the same suggestions (#18).
    #[test]
    fn answers_from_the_index_are_those_of_all_the_data() {
        use crate::matching::Matcher;
        let links = LINKS;
        let full = crate::twins::merge(gazetteer(), links);
        let m = Matcher::new(&full);
        let answer = |g: &crate::model::Gazetteer, m: &Matcher, q: &str| {
            let found = crate::query::lookup(g, m, q, &Default::default());
            let places: Vec<(String, String, Vec<String>)> = found
                .iter()
                .map(|f| {
                    let matched = f.matched.iter().map(|s| s.to_string()).collect();
                    (f.place.id.clone(), f.how.as_str().to_string(), matched)
                })
                .collect();
            let all = |_: usize| true;
            let suggested = if found.is_empty() {
                m.suggest(g, q, 3, &all)
            } else {
                Vec::new()
            };
            (places, suggested)
        };
        let queries = [
            // hits: curated, world, twins, homonyms
            "Volgograd",
            "Berlin",
            "York",
            "Paris",
            "Kattowitz",
            "Katowice",
            "Moscow",
            "Hamburg",
            "Tsaritsyn",
            "Königsberg",
            // transliterations and variants
            "Сталинград",
            "Москва",
            "Koenigsberg",
            "Zarizyn",
            "Nursultan",
            "Buxoro",
            "Sankt-Peterburg",
            "Kaliningrad",
            // misspellings and misses
            "Berlni",
            "Volgogard",
            "Hamburgg",
            "Kattowiz",
            "Qwxzzy",
            "Pariss",
            "Mosow",
            "",
            "---",
        ];
        for q in queries {
            let mut ids: BTreeSet<&str> = places_for_name(q);
            if crate::query::lookup(&full, &m, q, &Default::default()).is_empty() {
                ids.extend(places_near(q));
            }
            let twins: Vec<&str> = ids.iter().flat_map(|id| twins_of(id)).collect();
            ids.extend(twins);
            let part = crate::twins::merge(validate(&tables_for(&ids)).gazetteer, links);
            let pm = Matcher::new(&part);
            assert_eq!(answer(&part, &pm, q), answer(&full, &m, q), "{q:?}");
        }
    }

    /// Every built-in name leads back to its place through each tier's key: the name
    /// itself, its folded key, its transliteration, and its variant key. Each place is
    /// matched alone, since a stronger tier may rightly find another place first.
    #[test]
    fn every_builtin_name_finds_its_place_through_every_tier() {
        use crate::fold::fold;
        use crate::matching::{MatchKind, Matcher};
        use crate::spelling::{translit_key, variant_key};
        let all = gazetteer();
        let mut failures = Vec::new();
        // Every curated place, and every 25th of the world layer (all of it is the same
        // code path, and takes minutes in a debug build).
        let sample = all
            .places
            .iter()
            .enumerate()
            .filter(|(i, p)| !p.id.starts_with("gn-") || i % 25 == 0)
            .map(|(_, p)| p);
        for place in sample {
            let one = crate::model::Gazetteer {
                places: vec![place.clone()],
            };
            let m = Matcher::new(&one);
            for n in &place.names {
                let t = translit_key(&n.name);
                let queries = [
                    (n.name.to_string(), MatchKind::Exact),
                    (fold(&n.name), MatchKind::Folded),
                    (t.clone(), MatchKind::Transliterated),
                    (variant_key(&t), MatchKind::Variant),
                ];
                for (q, weakest) in queries {
                    if fold(&q).is_empty() {
                        continue;
                    }
                    let found = m.find(&one, &q);
                    if found.first().is_none_or(|f| f.how > weakest) {
                        failures.push(format!("{} ({}): {q:?} -> {found:?}", n.name, place.id));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// #17: the build compiled the built-in data into the store format, and the binary
    /// opens it: every place, twins merged as every command merges them (the answers
    /// from it are compared with a full read in tests/it/store.rs).
    #[test]
    fn the_builtin_store_is_compiled_in_and_holds_every_place() {
        let store = store().expect("build.rs wrote the built-in store, and it checks whole");
        let merged = crate::twins::merge(gazetteer(), LINKS);
        assert_eq!(store.places(), merged.places.len());
        assert!(store.places() > 30_000, "{}", store.places());
        // Its chunks are not checked at run time (it is part of the binary): here, whole.
        assert!(
            store.check_all(),
            "every checksum of the built-in store holds"
        );
    }
}
