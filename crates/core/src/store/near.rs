//! The table of near keys a store keeps, so that a name found in no strong tier (a
//! transliterated or variant spelling, or a misspelling that needs suggestions) costs a
//! look-up and a scan of this table, not a read of the whole data.
//!
//! Owns three sections of a store: every distinct near key of the data's names (the
//! variant key the fuzzy tier compares, [`crate::matching::near_key`]), with its sketch,
//! the hash of its loose key and the places that have a name under it. It proposes
//! places, never answers: the caller loads the places proposed and lets the matcher
//! answer over them, which gives the answer a full read would, since every place with a
//! name the matcher could find or suggest is among them. It must not read the data files.
//!
//! ```text
//! entries  per key, sorted by (loose hash, key): sketch (two u32), loose hash (u32),
//!          end of its text in `keys` (u32), end of its places in `places` (u32)
//! keys     the keys' texts, one after another
//! places   per key, its places (u32 each), ascending
//! ```

use super::format::{View, Writer};
use crate::matching::{NearBuffers, NearQuery, Sketch, near_key};
use crate::spelling::{loose_key, translit_key, variant_key};

/// Bytes of one entry.
const ENTRY: usize = 20;

/// The hash under which names of one loose key are found: all the names the
/// transliterated and variant tiers could match for a query share its loose key.
fn loose_hash(near: &str) -> u32 {
    crate::hash::hash_str(&loose_key(near)) as u32
}

/// The (loose hash, near key, place) of each name of `names` ((name, place) pairs), on
/// up to four threads: the keys cost more than the rest of the index.
pub(super) fn keyed(names: &[(&str, u32)]) -> Vec<(u32, String, u32)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let per = names.len().div_ceil(threads).max(1);
    let of = |part: &[(&str, u32)]| -> Vec<(u32, String, u32)> {
        part.iter()
            .filter_map(|&(name, p)| near_key(name).map(|k| (loose_hash(&k), k, p)))
            .collect()
    };
    let mut out = std::thread::scope(|s| {
        let mut parts = names.chunks(per);
        let mine = parts.next().unwrap_or_default();
        let others: Vec<_> = parts.map(|part| s.spawn(move || of(part))).collect();
        let mut out = of(mine);
        for o in others {
            out.extend(o.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    });
    sorted_once(&mut out);
    out
}

/// Sorts (loose hash, near key, place) entries as tuples and keeps each once. Sorted by
/// hash and place first, with the keys compared only within a hash that has several:
/// names borne by many places made the keys' comparisons most of the sort.
fn sorted_once(entries: &mut Vec<(u32, String, u32)>) {
    entries.sort_unstable_by_key(|e| (e.0, e.2));
    let mut i = 0;
    while i < entries.len() {
        let h = entries[i].0;
        let j = i + entries[i..].iter().take_while(|e| e.0 == h).count();
        let run = &mut entries[i..j];
        if run.len() > 1 && run[1..].iter().any(|e| e.1 != run[0].1) {
            run.sort_unstable();
        }
        i = j;
    }
    entries.dedup();
}

/// [`keyed`] for the names of `g`: from the near keys building its matcher kept
/// ([`crate::matching::Matcher::with_near_keys`]) when they are one per name, else worked
/// out here.
pub(super) fn keyed_places(
    g: &crate::model::Gazetteer,
    kept: Option<crate::matching::NearKeys>,
) -> Vec<(u32, String, u32)> {
    let names = g
        .places
        .iter()
        .enumerate()
        .flat_map(|(p, place)| place.names.iter().map(move |n| (&*n.name, p as u32)));
    match kept {
        Some(kept) if kept.near.len() == g.name_count() => {
            let mut out: Vec<(u32, String, u32)> = kept
                .near
                .into_iter()
                .zip(names)
                .filter_map(|(k, (_, p))| k.map(|(h, k)| (h, k, p)))
                .collect();
            sorted_once(&mut out);
            out
        }
        _ => keyed(&names.collect::<Vec<_>>()),
    }
}

/// The bytes of the three sections, made apart from the writer so that a store's writer
/// can make them on a thread of its own while it encodes the places.
pub(super) struct Sections([Vec<u8>; 3]);

/// Writes sections made by [`sections`].
pub(super) fn write_sections<W: std::io::Write + std::io::Seek>(
    w: &mut Writer<W>,
    Sections(sections): Sections,
) -> std::io::Result<()> {
    for s in sections {
        w.section()?;
        w.write(&s)?;
    }
    Ok(())
}

/// The three sections of [`keyed`]'s output (sorted, each once), in memory, for
/// [`write_sections`].
pub(super) fn sections(keyed: &[(u32, String, u32)]) -> std::io::Result<Sections> {
    let too_big = || std::io::Error::other("too many names for a table of near keys");
    if u32::try_from(keyed.len()).is_err() {
        return Err(too_big());
    }
    // One pass over the entries makes the table of runs of one key (an entry each) and
    // the text of their keys, each key read once: the keys lie scattered in memory, in
    // hash order, and reading each again for its sketch and its text took longer than
    // the rest of the store's writing.
    let mut entries = Vec::new();
    let mut text = Vec::new();
    let mut i = 0;
    while i < keyed.len() {
        let (loose, key) = (keyed[i].0, &keyed[i].1);
        let j = i
            + 1
            + keyed[i + 1..]
                .iter()
                .take_while(|e| e.0 == loose && e.1 == *key)
                .count();
        text.extend_from_slice(key.as_bytes());
        let text_end = u32::try_from(text.len()).map_err(|_| too_big())?;
        let [letters, pairs] = Sketch::of(key).to_words();
        for v in [letters, pairs, loose, text_end, j as u32] {
            entries.extend_from_slice(&v.to_le_bytes());
        }
        i = j;
    }
    let places: Vec<u8> = keyed.iter().flat_map(|(_, _, p)| p.to_le_bytes()).collect();
    Ok(Sections([entries, text, places]))
}

/// The table of a store found whole, read in place; `first` is its entries' section.
pub(super) struct Near<'v> {
    view: &'v View,
    first: usize,
    /// How many places the store has: a place number at or past it is damage.
    places: u64,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl<'v> Near<'v> {
    /// `None` when the sections are not shaped as written.
    pub(super) fn new(view: &'v View, first: usize, places: u64) -> Option<Near<'v>> {
        (view.len(first)? % ENTRY == 0 && view.len(first + 2)? % 4 == 0).then_some(Near {
            view,
            first,
            places,
        })
    }

    fn count(&self) -> usize {
        self.view.len(self.first).unwrap_or(0) / ENTRY
    }

    /// Word `k` of entry `i`, chunk checked.
    fn word(&self, i: usize, k: usize) -> Option<u32> {
        let at = i * ENTRY + 4 * k;
        u32_at(self.view.get(self.first, at..at + 4)?, 0)
    }

    /// Where entry `i`'s text and places stand, from its end and the one before it.
    fn ranges(&self, i: usize) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let before = |k| match i {
            0 => Some(0),
            _ => self.word(i - 1, k),
        };
        let text = before(3)? as usize..self.word(i, 3)? as usize;
        let places = before(4)? as usize..self.word(i, 4)? as usize;
        Some((text, places))
    }

    /// Adds entry `i`'s places to `out`.
    fn places_of(&self, i: usize, out: &mut Vec<u64>) -> Option<()> {
        let (_, places) = self.ranges(i)?;
        let b = self.view.get(
            self.first + 2,
            places.start.checked_mul(4)?..places.end.checked_mul(4)?,
        )?;
        for c in b.chunks_exact(4) {
            let p = u64::from(u32_at(c, 0)?);
            if p >= self.places {
                return None;
            }
            out.push(p);
        }
        Some(())
    }

    /// The places that could have a name the matcher finds for `query` in its
    /// transliterated and variant tiers, or suggests for it (or finds with `--fuzzy`): every
    /// place with a name of the query's loose key, and every place with a name at the
    /// smallest edit distance at which the fuzzy tier finds any (see
    /// [`crate::matching::Matcher::near`]). Added to `out`, unsorted, possibly repeated;
    /// `None` when the table is found damaged.
    pub(super) fn places(&self, query: &str, out: &mut Vec<u64>) -> Option<()> {
        let n = self.count();
        let translit = translit_key(query.trim());
        if !translit.is_empty() {
            let h = loose_hash(&variant_key(&translit));
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if self.word(mid, 2)? < h {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            while lo < n && self.word(lo, 2)? == h {
                self.places_of(lo, out)?;
                lo += 1;
            }
        }
        let Some(q) = NearQuery::new(query.trim()) else {
            return Some(());
        };
        // The whole table is scanned: it is checked once, then read as a slice.
        let entries = self.view.section(self.first)?;
        let mut buffers = NearBuffers::default();
        for limit in q.limits() {
            let mut found = Vec::new();
            for (i, e) in entries.chunks_exact(ENTRY).enumerate() {
                let sketch = Sketch::from_words([u32_at(e, 0)?, u32_at(e, 4)?]);
                if !q.passes(sketch, limit) {
                    continue;
                }
                let (text, _) = self.ranges(i)?;
                let key = std::str::from_utf8(self.view.get(self.first + 1, text)?).ok()?;
                if q.distance(key, limit, &mut buffers).is_some() {
                    found.push(i);
                }
            }
            for &i in &found {
                self.places_of(i, out)?;
            }
            if !found.is_empty() {
                break;
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::format::Bytes;

    proptest::proptest! {
        /// The entries come out as a plain sort of the tuples, each once.
        #[test]
        fn sorted_once_is_the_tuples_sorted_and_deduplicated(
            v in proptest::collection::vec((0u32..4, "[ab]{0,2}", 0u32..5), 0..40)
        ) {
            let mut want = v.clone();
            want.sort_unstable();
            want.dedup();
            let mut got = v;
            sorted_once(&mut got);
            proptest::prop_assert_eq!(got, want);
        }
    }

    fn table(names: &[(&str, u32)]) -> View {
        let mut w = Writer::new(std::io::Cursor::new(Vec::new()), 9, 0).unwrap();
        write_sections(&mut w, sections(&keyed(names)).unwrap()).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        View::new(Bytes::Owned(bytes), 9, 0).unwrap()
    }

    fn proposed(v: &View, q: &str) -> Vec<u64> {
        let mut out = Vec::new();
        Near::new(v, 0, 10).unwrap().places(q, &mut out).unwrap();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The places proposed are those of the loose key and of the closest spellings; a
    /// farther spelling is not proposed while a closer one exists.
    #[test]
    fn proposes_the_loose_key_and_the_closest_spellings() {
        let v = table(&[
            ("Stalingrad", 0),
            ("Stalingrod", 1),
            ("Stalinabad", 2),
            ("Сталинград", 3),
            ("Königsberg", 4),
            ("Zarizyn", 5),
            ("!!!", 6),
            ("Stalingrad", 7),
        ]);
        assert_eq!(proposed(&v, "Stalingrad"), [0, 1, 3, 7]);
        assert_eq!(proposed(&v, "Stalingrd"), [0, 1, 3, 7]);
        assert_eq!(proposed(&v, "Koenigsberg"), [4]);
        assert_eq!(proposed(&v, "Tsaritsyn"), [5], "a variant spelling");
        assert_eq!(proposed(&v, "Volgograd"), Vec::<u64>::new());
        assert_eq!(proposed(&v, "!!!"), Vec::<u64>::new());
    }

    /// Over the built-in data: for each name misspelt (a letter dropped, two swapped, one
    /// doubled), in another spelling, or as written, the matcher over only the places
    /// proposed finds, suggests and finds with `--fuzzy` what it does over all the data.
    #[test]
    fn the_places_proposed_answer_as_all_the_data_does() {
        let g = crate::testdata::curated();
        let m = crate::matching::Matcher::new(&g);
        let names: Vec<(&str, u32)> = g
            .places
            .iter()
            .enumerate()
            .flat_map(|(p, place)| place.names.iter().map(move |n| (&*n.name, p as u32)))
            .collect();
        let mut w = Writer::new(std::io::Cursor::new(Vec::new()), 9, 0).unwrap();
        write_sections(&mut w, sections(&keyed(&names)).unwrap()).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let v = View::new(Bytes::Owned(bytes), 9, 0).unwrap();
        let near = Near::new(&v, 0, g.places.len() as u64).unwrap();
        let all = |_: usize| true;
        let mut tried = 0;
        for (i, &(name, _)) in names.iter().enumerate().step_by(13) {
            let chars: Vec<char> = name.chars().collect();
            let k = i % chars.len().max(1);
            let mut dropped = chars.clone();
            if !dropped.is_empty() {
                dropped.remove(k);
            }
            let mut swapped = chars.clone();
            if k + 1 < swapped.len() {
                swapped.swap(k, k + 1);
            }
            let mut doubled = chars.clone();
            if let Some(&c) = chars.get(k) {
                doubled.insert(k, c);
            }
            let queries = [
                name.to_string(),
                dropped.into_iter().collect(),
                swapped.into_iter().collect(),
                doubled.into_iter().collect(),
                crate::spelling::translit_key(name),
                format!("{name}x"),
            ];
            for q in queries {
                tried += 1;
                let mut proposed = Vec::new();
                near.places(&q, &mut proposed).unwrap();
                // With the places of the folded key, as a store's reader adds them.
                proposed.extend(m.find(&g, &q).iter().map(|f| f.place as u64));
                proposed.sort_unstable();
                proposed.dedup();
                let some = crate::model::Gazetteer {
                    places: proposed
                        .iter()
                        .map(|&p| g.places[p as usize].clone())
                        .collect(),
                };
                let sm = crate::matching::Matcher::new(&some);
                let ids = |g: &crate::model::Gazetteer, found: Vec<crate::matching::Match>| {
                    found
                        .into_iter()
                        .map(|f| (g.places[f.place].id.clone(), f.how, f.names))
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    ids(&some, sm.find(&some, &q)),
                    ids(&g, m.find(&g, &q)),
                    "{q:?}"
                );
                assert_eq!(
                    sm.suggest(&some, &q, 3, &all),
                    m.suggest(&g, &q, 3, &all),
                    "{q:?}"
                );
                assert_eq!(
                    ids(&some, sm.find_fuzzy(&some, &q, &all)),
                    ids(&g, m.find_fuzzy(&g, &q, &all)),
                    "{q:?}"
                );
            }
        }
        assert!(tried > 500, "{tried}");
    }

    /// A place number past the store's places is damage, not an answer.
    #[test]
    fn a_place_out_of_range_is_refused() {
        let v = table(&[("Kirov", 12)]);
        let mut out = Vec::new();
        assert!(
            Near::new(&v, 0, 10)
                .unwrap()
                .places("Kirov", &mut out)
                .is_none()
        );
    }
}
