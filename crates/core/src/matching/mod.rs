//! Name matching: which places bore a name the user typed.
//!
//! Owns the one interface every command uses to turn typed text into places:
//! [`Matcher::find`] and [`Matcher::suggest`]. Tiers, strongest first; the first tier
//! that finds a place wins:
//!
//! 1. exact or folded (case, diacritics, punctuation and spacing ignored): one tier for
//!    choosing places, so that homonyms differing only in accents are all shown, each
//!    labelled with how it matched;
//! 2. transliterated: both sides in Latin letters (`Сталинград` = `Stalingrad`);
//! 3. spelling variants: German, French and English conventions made one
//!    (`Ordschonikidse` = `Ordzhonikidze`, `Koenigsberg` = `Königsberg`, `St.` = `Saint`),
//!    words joined (`Nursultan` = `Nur-Sultan`); when no name has the query's variant key,
//!    its loose key (vowels made one: `Buxoro` = `Bukhara`) answers;
//! 4. fuzzy (edit distance scaled to length): never answers by itself; it makes the
//!    suggestions of a miss, and answers only when the user asks (`--fuzzy`).
//!
//! The tiers and the look-up are here; `keys` works out what a name is filed under,
//! `table` is the hash table each tier is filed in, `build` fills the tables, `fuzzy`
//! finds spellings a few letters apart, and `snapshot` reads the tables back for the
//! resolve cache.

pub use crate::fold::fold;
use crate::model::Gazetteer;
use crate::spelling::{loose_key, translit_key, variant_key};

mod build;
mod fuzzy;
mod keys;
mod snapshot;
mod table;

pub use build::NearKeys;
pub use fuzzy::Sketch;
pub use fuzzy::closest;
pub use fuzzy::{NearBuffers, NearQuery, near_key};
pub use keys::Query;
use keys::hash;
pub use keys::{KeySet, NameKeys, QueryKeys};
pub use table::Table;

/// How a typed name met a name in the data. Ordered from strongest to weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The very same text.
    Exact,
    /// The same once case, diacritics, punctuation and spacing are ignored.
    Folded,
    /// The same once both are written in Latin letters.
    Transliterated,
    /// The same under the spelling conventions of another language.
    Variant,
    /// Close in spelling: a few letters apart.
    Fuzzy,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Folded => "folded",
            MatchKind::Transliterated => "transliterated",
            MatchKind::Variant => "variant",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

/// One place that bore a matching name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index into `Gazetteer::places`.
    pub place: usize,
    pub how: MatchKind,
    /// The place's names (indices into `Place::names`) that matched, in the best tier.
    pub names: Vec<u32>,
}

/// A name's key hash and where it stands: (hash, place index, name index).
type Entry = (u32, u32, u32);

/// The same with a sketch of the key for the fuzzy prefilter:
/// (hash, sketch, place index, name index).
type Sketched = (u32, Sketch, u32, u32);

/// An index of every name of a gazetteer under the keys of each tier (transliteration
/// only for names that are not ASCII, whose key it changes).
#[derive(Debug, Default)]
pub struct Matcher {
    /// Every name under its folded key; an exact match is found among these, since equal
    /// names have equal keys.
    folded: Table<Entry>,
    /// Names that fold to nothing (punctuation only), under their own text: they can
    /// match only exactly.
    bare: Table<Entry>,
    /// Names whose transliterated key differs from their folded key.
    translit: Table<Entry>,
    /// Every name under its variant key, with a sketch of that key for fuzzy search.
    variant: Table<Sketched>,
    /// False when only the strongest tier was filed ([`Matcher::from_keys_in`]): a query
    /// it does not settle is not looked up in the weaker tiers, which would find nothing
    /// (or less than the whole answer).
    weaker: bool,
}

impl Matcher {
    /// Reads, for a batch of queries about to be looked up, the memory their strongest
    /// tier will visit: the table slots, then the places and names they lead to. Each
    /// pass issues its loads all at once, where a look-up waits for each in turn (a table
    /// slot, a place, its names, a name's text: a cache miss each over a big gazetteer).
    /// Returns a value only so that the reads are not optimized away.
    pub fn touch(&self, g: &Gazetteer, keys: &[QueryKeys]) -> u64 {
        let hashes = || {
            keys.iter().filter_map(|k| match *k {
                QueryKeys::Keyed { folded, .. } => Some(folded),
                QueryKeys::Bare(_) => None,
            })
        };
        let mut seen = hashes().fold(0u64, |acc, h| acc ^ u64::from(self.folded.touch(h)));
        for h in hashes() {
            for e in self.folded.get(h) {
                let place = &g.places[e.1 as usize];
                seen ^= place.names.len() as u64;
            }
        }
        // Every name of those places: the answer reads their dates and languages too;
        // and their ids, which it writes.
        for h in hashes() {
            for e in self.folded.get(h) {
                let place = &g.places[e.1 as usize];
                seen ^= u64::from(place.id.as_bytes().first().copied().unwrap_or(0));
                for n in &place.names {
                    seen ^= u64::from(n.name.as_bytes().first().copied().unwrap_or(0))
                        ^ u64::from(n.end.is_some());
                }
            }
        }
        seen
    }

    /// Every place that bore the name, in gazetteer (id) order, each with how its best
    /// name matched, from the strongest tier that found any.
    pub fn find(&self, g: &Gazetteer, query: &str) -> Vec<Match> {
        self.find_where(g, &Query::new(query), &|_| true)
    }

    /// [`Matcher::find`] among the places `admit` accepts (by index): a tier that finds
    /// only other places does not stop the search.
    pub fn find_where(
        &self,
        g: &Gazetteer,
        q: &Query,
        admit: &dyn Fn(usize) -> bool,
    ) -> Vec<Match> {
        let (query, key) = (q.text, &q.key);
        let name_of = |p: u32, n: u32| g.places[p as usize].names[n as usize].name.as_ref();
        let mut hits: Vec<(u32, MatchKind, u32)> = Vec::new();
        if key.is_empty() {
            for e in self.bare.get(hash(query)) {
                if admit(e.1 as usize) && name_of(e.1, e.2) == query {
                    hits.push((e.1, MatchKind::Exact, e.2));
                }
            }
            return group(hits);
        }
        for e in self.folded.get(hash(key)) {
            if !admit(e.1 as usize) {
                continue;
            }
            let name = name_of(e.1, e.2);
            if name == query {
                hits.push((e.1, MatchKind::Exact, e.2));
            } else if fold(name) == *key {
                hits.push((e.1, MatchKind::Folded, e.2));
            }
        }
        if !hits.is_empty() || !self.weaker {
            return group(hits);
        }
        let keys::Weaker {
            translit: t,
            variant: v,
            loose,
        } = q.weaker();
        if t.is_empty() {
            return Vec::new();
        }
        for table in [&self.folded, &self.translit] {
            for e in table.get(hash(t)) {
                if admit(e.1 as usize) && translit_key(name_of(e.1, e.2)) == *t {
                    hits.push((e.1, MatchKind::Transliterated, e.2));
                }
            }
        }
        if !hits.is_empty() {
            return group(hits);
        }
        // Names of the same variant key answer; only when there are none, names of the
        // same loose key do (#19: vowels of other traditions, at the cost of homonyms
        // such as Kristiansand and Kristiansund).
        let mut loosely = Vec::new();
        for e in self.variant.get(hash(loose)) {
            if !admit(e.2 as usize) {
                continue;
            }
            let key = variant_key(&translit_key(name_of(e.2, e.3)));
            if key == *v {
                hits.push((e.2, MatchKind::Variant, e.3));
            } else if hits.is_empty() && loose_key(&key) == *loose {
                loosely.push((e.2, MatchKind::Variant, e.3));
            }
        }
        group(if hits.is_empty() { loosely } else { hits })
    }
}

/// Hits grouped by place, in place order, each with its best tier's names.
fn group(mut hits: Vec<(u32, MatchKind, u32)>) -> Vec<Match> {
    hits.sort_unstable();
    let mut out: Vec<Match> = Vec::new();
    for (place, how, name) in hits {
        match out.last_mut() {
            Some(m) if m.place == place as usize => {
                if how == m.how {
                    m.names.push(name);
                }
            }
            _ => out.push(Match {
                place: place as usize,
                how,
                names: vec![name],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer(csv: &str) -> Gazetteer {
        let v = crate::validate::validate(&[crate::source::parse("g.csv", csv.as_bytes())]);
        assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);
        v.gazetteer
    }

    /// #19: the loose key (vowels made one) answers only where the variant key finds no
    /// name, and then with every place that has it.
    #[test]
    fn the_loose_key_answers_only_when_the_variant_key_finds_nothing() {
        let g = gazetteer("place_id,name\nks,Kristiansand\nkn,Kristiansund\nbu,Bukhara\n");
        let m = Matcher::new(&g);
        let ids = |q: &str| -> Vec<(&str, MatchKind)> {
            m.find(&g, q)
                .iter()
                .map(|f| (g.places[f.place].id.as_str(), f.how))
                .collect()
        };
        assert_eq!(ids("Kristianssand"), [("ks", MatchKind::Variant)]);
        assert_eq!(ids("Buxoro"), [("bu", MatchKind::Variant)]);
        assert_eq!(
            ids("Kristiansond"),
            [("kn", MatchKind::Variant), ("ks", MatchKind::Variant)]
        );
        assert!(ids("Buxere").is_empty());
    }
}
