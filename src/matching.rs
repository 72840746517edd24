//! Name matching: which places bore a name the user typed.
//!
//! Owns the one small interface every command uses to turn typed text into places:
//! [`Matcher::find`] and [`Matcher::suggest`]. Today it matches exactly, then on a folded
//! key (case, diacritics, punctuation and spacing ignored); later tiers
//! (transliteration, spelling variants, fuzzy) belong here and nowhere else.

pub use crate::fold::fold;
use crate::model::Gazetteer;
use std::collections::HashMap;

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
    /// The names of the place that matched, as written in the data, deduplicated and sorted.
    pub names: Vec<String>,
}

/// (place index, name index) pairs.
type Hits = Vec<(u32, u32)>;

/// An index of every name of a gazetteer.
#[derive(Debug, Default)]
pub struct Matcher {
    exact: HashMap<String, Hits>,
    folded: HashMap<String, Hits>,
    /// A folded key and one name written that way, for suggestions; sorted by key.
    spellings: Vec<(String, String)>,
}

impl Matcher {
    pub fn new(g: &Gazetteer) -> Self {
        let mut m = Matcher::default();
        let mut spellings: HashMap<String, String> = HashMap::new();
        for (pi, place) in g.places.iter().enumerate() {
            for (ni, n) in place.names.iter().enumerate() {
                let hit = (pi as u32, ni as u32);
                m.exact.entry(n.name.clone()).or_default().push(hit);
                let key = fold(&n.name);
                spellings
                    .entry(key.clone())
                    .or_insert_with(|| n.name.clone());
                m.folded.entry(key).or_default().push(hit);
            }
        }
        m.spellings = spellings.into_iter().collect();
        m.spellings.sort();
        m
    }

    /// Every place that bore the name, strongest tier first: once a tier matches,
    /// weaker tiers are not consulted. Places come in gazetteer (id) order.
    pub fn find(&self, g: &Gazetteer, query: &str) -> Vec<Match> {
        let query = query.trim();
        let tiers = [
            (MatchKind::Exact, self.exact.get(query)),
            (MatchKind::Folded, self.folded.get(&fold(query))),
        ];
        for (how, hits) in tiers {
            let Some(hits) = hits.filter(|h| !h.is_empty()) else {
                continue;
            };
            let mut by_place: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
            for &(p, n) in hits {
                let name = &g.places[p as usize].names[n as usize].name;
                by_place.entry(p as usize).or_default().push(name.clone());
            }
            return by_place
                .into_iter()
                .map(|(place, mut names)| {
                    names.sort();
                    names.dedup();
                    Match { place, how, names }
                })
                .collect();
        }
        Vec::new()
    }

    /// Up to `max` names in the data spelled close to the query, closest first.
    pub fn suggest(&self, query: &str, max: usize) -> Vec<String> {
        let key = fold(query);
        let q: Vec<char> = key.chars().collect();
        if q.is_empty() {
            return Vec::new();
        }
        let limit = (q.len() / 3).max(1);
        let mut scored: Vec<(usize, &str)> = self
            .spellings
            .iter()
            .filter_map(|(k, shown)| {
                let d = bounded_levenshtein(&q, k, limit)?;
                Some((d, shown.as_str()))
            })
            .collect();
        scored.sort();
        scored
            .into_iter()
            .map(|(_, s)| s.to_string())
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
