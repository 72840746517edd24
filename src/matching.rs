//! Name matching: which places bore a name the user typed.
//!
//! Owns the one small interface every command uses to turn typed text into places:
//! [`Matcher::find`] and [`Matcher::suggest`]. Today it matches exactly, then on a folded
//! key (case, diacritics, punctuation and spacing ignored); later tiers
//! (transliteration, spelling variants, fuzzy) belong here and nowhere else.

pub use crate::fold::fold;
use crate::model::Gazetteer;

/// How a typed name met a name in the data. Ordered from strongest to weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The very same text.
    Exact,
    /// The same once case, diacritics, punctuation and spacing are ignored.
    Folded,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Folded => "folded",
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

/// A name's hash and where it stands: (hash, place index, name index).
type Entry = (u64, u32, u32);

/// An index of every name of a gazetteer: for each tier, the hashes of the names'
/// keys, sorted, so that a lookup is a binary search and a check of the few names it
/// finds. It costs 16 bytes a name and no string copies, which matters at millions of names.
#[derive(Debug, Default)]
pub struct Matcher {
    /// Every name under its folded key; an exact match is found among these, since equal
    /// names have equal keys.
    folded: Table,
    /// Names that fold to nothing (punctuation only), under their own text: they can
    /// match only exactly.
    bare: Table,
}

/// Entries sorted by hash, with a directory on the hash's top bits: a lookup reads one
/// directory slot and then, nearly always, one entry. A plain binary search over
/// millions of entries cost a cache miss per step, and was most of `resolve`'s time.
#[derive(Debug, Default)]
struct Table {
    entries: Vec<Entry>,
    /// `dir[b]..dir[b + 1]` are the entries whose hash starts with the bits `b`.
    dir: Vec<u32>,
    shift: u32,
}

impl Table {
    fn new(mut entries: Vec<Entry>) -> Table {
        entries.sort_unstable();
        let bits = (usize::BITS - entries.len().leading_zeros()).clamp(4, 30);
        let shift = 64 - bits;
        let mut dir = Vec::with_capacity((1 << bits) + 1);
        let mut i = 0;
        for b in 0..=(1u64 << bits) {
            while i < entries.len() && (entries[i].0 >> shift) < b {
                i += 1;
            }
            dir.push(i as u32);
        }
        Table {
            entries,
            dir,
            shift,
        }
    }

    /// The entries with this hash.
    fn get(&self, h: u64) -> &[Entry] {
        if self.entries.is_empty() {
            return &[];
        }
        let b = (h >> self.shift) as usize;
        let bucket = &self.entries[self.dir[b] as usize..self.dir[b + 1] as usize];
        let start = bucket.partition_point(|e| e.0 < h);
        let end = start + bucket[start..].partition_point(|e| e.0 == h);
        &bucket[start..end]
    }
}

use crate::hash::hash_str as hash;

impl Matcher {
    pub fn new(g: &Gazetteer) -> Self {
        let n = g.name_count();
        let (mut bare, mut folded) = (Vec::new(), Vec::with_capacity(n));
        for (pi, place) in g.places.iter().enumerate() {
            for (ni, name) in place.names.iter().enumerate() {
                let key = fold(&name.name);
                // A name of punctuation only folds to nothing: it must not meet every
                // other such name, nor a query of punctuation.
                if key.is_empty() {
                    bare.push((hash(&name.name), pi as u32, ni as u32));
                } else {
                    folded.push((hash(&key), pi as u32, ni as u32));
                }
            }
        }
        Matcher {
            folded: Table::new(folded),
            bare: Table::new(bare),
        }
    }

    /// Every place that bore the name, in gazetteer (id) order, each with how its best
    /// name matched. A name that is the very same text and one that differs only in
    /// case, diacritics or punctuation are one tier for choosing places: homonyms spelled
    /// "Kirov" and "Kirów" are both shown, each labelled.
    pub fn find(&self, g: &Gazetteer, query: &str) -> Vec<Match> {
        let query = query.trim();
        let key = fold(query);
        let name_of = |&(_, p, n): &Entry| g.places[p as usize].names[n as usize].name.as_str();
        let mut hits: Vec<(u32, MatchKind, u32)> = Vec::new();
        let candidates = if key.is_empty() {
            self.bare.get(hash(query))
        } else {
            self.folded.get(hash(&key))
        };
        for e in candidates {
            let name = name_of(e);
            if name == query {
                hits.push((e.1, MatchKind::Exact, e.2));
            } else if !key.is_empty() && fold(name) == key {
                hits.push((e.1, MatchKind::Folded, e.2));
            }
        }
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

    /// Up to `max` names in the data spelled close to the query, closest first. It visits
    /// every name: meant for the moment nothing matched, not for every query.
    pub fn suggest(&self, g: &Gazetteer, query: &str, max: usize) -> Vec<String> {
        let key = fold(query);
        let q: Vec<char> = key.chars().collect();
        if q.is_empty() {
            return Vec::new();
        }
        let limit = (q.len() / 3).max(1);
        let mut scored: Vec<(usize, String, &str)> = Vec::new();
        for n in g.places.iter().flat_map(|p| &p.names) {
            let k = fold(&n.name);
            if let Some(d) = bounded_levenshtein(&q, &k, limit) {
                scored.push((d, k, &n.name));
            }
        }
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored
            .into_iter()
            .map(|(_, _, s)| s.to_string())
            .take(max)
            .collect()
    }
}

/// Edit distance between `a` and `b`, or `None` once it must exceed `limit`.
fn bounded_levenshtein(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_is_bounded() {
        let a: Vec<char> = "stalingrad".chars().collect();
        assert_eq!(bounded_levenshtein(&a, "stalingrad", 2), Some(0));
        assert_eq!(bounded_levenshtein(&a, "stalingrd", 2), Some(1));
        assert_eq!(bounded_levenshtein(&a, "leningrad", 2), None);
        assert_eq!(bounded_levenshtein(&a, "leningrad", 4), Some(4));
    }
}
