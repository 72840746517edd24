//! Spellings a few letters apart: the edit distance, the prefilter that keeps a scan over
//! millions of names short, and the fuzzy tier built on them.

use super::{Match, MatchKind, Matcher, group};
use crate::model::Gazetteer;
use crate::spelling::{translit_key, variant_key};

/// What the fuzzy prefilter knows of a key: its letters and its pairs of neighbouring
/// characters (each hashed to one of 26 bits), and its length (6 bits, at most 63).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Sketch {
    pub(super) letters: u32,
    pub(super) pairs: u32,
}

pub(super) fn sketch(key: &str) -> Sketch {
    let (mut letters, mut pairs, mut len) = (0u32, 0u32, 0u32);
    let mut prev = 0u32; // the start counts as a character
    for c in key.chars().chain(std::iter::once('\u{1}')) {
        let c = c as u32;
        if c != 1 {
            letters |= 1 << (c % 26);
            len += 1;
        }
        let h = prev.wrapping_mul(0x9E37_79B9) ^ c.wrapping_mul(0x85EB_CA6B);
        pairs |= 1 << (h.rotate_left(7) % 26);
        prev = c;
    }
    Sketch {
        letters: letters | (len.min(63) << 26),
        pairs,
    }
}

/// Whether keys with these sketches could be within `limit` edits: an edit changes the
/// length by at most one, the set of letters by at most two, and removes at most three
/// pairs of neighbours and adds at most three (a swap of neighbours: "gra" for "gar").
fn could_be_near(a: Sketch, b: Sketch, limit: u32) -> bool {
    let (la, lb) = (a.letters >> 26, b.letters >> 26);
    let lengths_fit = la == 63 || lb == 63 || la.abs_diff(lb) <= limit;
    let letters = ((a.letters ^ b.letters) & 0x03FF_FFFF).count_ones() <= 2 * limit;
    lengths_fit
        && letters
        && (a.pairs & !b.pairs).count_ones() <= 3 * limit
        && (b.pairs & !a.pairs).count_ones() <= 3 * limit
}

/// The key a name is compared under in the fuzzy tier (its variant key), or `None` for
/// a name that folds to nothing (filed bare, never near anything). What a store keeps of
/// every name so that it can find near spellings without the names themselves.
pub fn near_key(name: &str) -> Option<String> {
    (!crate::fold::fold(name).is_empty()).then(|| variant_key(&translit_key(name)))
}

/// Reused buffers of the edit distance.
#[derive(Default)]
pub struct NearBuffers(Vec<usize>, Vec<usize>, Vec<usize>, Vec<char>);

/// A typed name as the fuzzy tier compares it: the one definition of "near" that the
/// matcher and the stores' tables of keys (`crate::store::near`) share, so that both
/// propose the same names.
pub struct NearQuery {
    q: Vec<char>,
    sketch: Sketch,
}

impl NearQuery {
    /// `None` when no name can be near: an empty key, or one over 64 characters.
    pub fn new(query: &str) -> Option<NearQuery> {
        let key = variant_key(&translit_key(query));
        let q: Vec<char> = key.chars().collect();
        if q.is_empty() || q.len() > 64 {
            return None;
        }
        Some(NearQuery {
            sketch: sketch(&key),
            q,
        })
    }

    /// The edit distances tried, in turn, until one finds a name: one, then up to a
    /// fifth of the length (at most three).
    pub fn limits(&self) -> std::ops::RangeInclusive<usize> {
        1..=(self.q.len() / 5).clamp(1, 3)
    }

    /// Whether a key with this sketch could be within `limit` edits (the prefilter).
    pub fn passes(&self, s: Sketch, limit: usize) -> bool {
        could_be_near(self.sketch, s, limit as u32)
    }

    /// The edit distance of a near key (`near_key`), if within `limit`.
    pub fn distance(&self, key: &str, limit: usize, b: &mut NearBuffers) -> Option<usize> {
        b.3.clear();
        b.3.extend(key.chars());
        bounded_levenshtein(&self.q, &b.3, limit, (&mut b.0, &mut b.1, &mut b.2))
    }
}

impl Sketch {
    /// Its two words, as a store keeps them.
    pub fn to_words(self) -> [u32; 2] {
        [self.letters, self.pairs]
    }

    pub fn from_words([letters, pairs]: [u32; 2]) -> Sketch {
        Sketch { letters, pairs }
    }

    /// The sketch of a near key.
    pub fn of(key: &str) -> Sketch {
        sketch(key)
    }
}

impl Matcher {
    /// Names spelled close to the query, closest first, each once per place: (edit
    /// distance, place index, name index). Up to `max` distinct spellings. A prefilter on
    /// each name's letters and length keeps this to a pass over a compact table, even
    /// over millions of names; queries over 64 characters get none.
    pub fn near(
        &self,
        g: &Gazetteer,
        query: &str,
        max: usize,
        admit: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, u32, u32)> {
        let Some(nq) = NearQuery::new(query) else {
            return Vec::new();
        };
        // Closest first: one edit, then more only while nothing was found, up to a
        // fifth of the length (at most three): the prefilter is sharpest, and a scan
        // cheapest, at small distances.
        let mut out = Vec::new();
        let mut rows = NearBuffers::default();
        for limit in nq.limits() {
            out.clear();
            for &(_, s, p, n) in &self.variant.entries {
                if !nq.passes(s, limit) || !admit(p as usize) {
                    continue;
                }
                let name = &g.places[p as usize].names[n as usize].name;
                let k = variant_key(&translit_key(name));
                if let Some(d) = nq.distance(&k, limit, &mut rows) {
                    out.push((d, k, p, n));
                }
            }
            if !out.is_empty() {
                break;
            }
        }
        out.sort();
        let mut spellings: Vec<String> = Vec::new();
        let mut kept = Vec::new();
        for (d, k, p, n) in out {
            if kept.iter().any(|&(_, kp, _)| kp == p) {
                continue;
            }
            if !spellings.contains(&k) {
                if spellings.len() == max {
                    break;
                }
                spellings.push(k);
            }
            kept.push((d, p, n));
        }
        kept
    }

    /// Up to `max` names in the data spelled close to the query, closest first.
    pub fn suggest(
        &self,
        g: &Gazetteer,
        query: &str,
        max: usize,
        admit: &dyn Fn(usize) -> bool,
    ) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (_, p, n) in self.near(g, query, max, admit) {
            let name = &g.places[p as usize].names[n as usize].name;
            if !names.iter().any(|x| **x == **name) && names.len() < max {
                names.push(name.to_string());
            }
        }
        names
    }

    /// The places of the closest fuzzy spellings, for `--fuzzy`.
    pub fn find_fuzzy(
        &self,
        g: &Gazetteer,
        query: &str,
        admit: &dyn Fn(usize) -> bool,
    ) -> Vec<Match> {
        let near = self.near(g, query, 3, admit);
        let Some(best) = near.first().map(|n| n.0) else {
            return Vec::new();
        };
        group(
            near.into_iter()
                .filter(|n| n.0 == best)
                .map(|(_, p, n)| (p, MatchKind::Fuzzy, n))
                .collect(),
        )
    }
}

/// The choice spelled closest to `word` (case ignored), when one is a few letters from it:
/// one letter in words of up to four, two in longer ones. Ties go to the first choice.
pub fn closest<'c>(word: &str, choices: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    let limit = if w.len() <= 4 { 1 } else { 2 };
    let mut rows = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(usize, &str)> = None;
    for choice in choices {
        let c: Vec<char> = choice.to_lowercase().chars().collect();
        let rows = (&mut rows.0, &mut rows.1, &mut rows.2);
        if let Some(d) = bounded_levenshtein(&w, &c, limit, rows)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, choice));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance between `a` and `b`, a swap of neighbours counting as one edit (the
/// optimal string alignment distance), or `None` once it must exceed `limit`. `rows` are
/// buffers reused from call to call.
fn bounded_levenshtein(
    a: &[char],
    b: &[char],
    limit: usize,
    rows: (&mut Vec<usize>, &mut Vec<usize>, &mut Vec<usize>),
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let (before, prev, cur) = rows;
    before.clear();
    before.resize(b.len() + 1, usize::MAX / 2);
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    let mut prev_min = 0;
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                v = v.min(before[j - 1] + 1);
            }
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        // A swap reaches back two rows: stop only when two rows in a row are too far.
        if row_min > limit && prev_min > limit {
            return None;
        }
        prev_min = row_min;
        std::mem::swap(before, prev);
        std::mem::swap(prev, cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    // #14
    #[test]
    fn closest_finds_a_choice_a_few_letters_away() {
        let types = ["city", "town", "mountain", "village"];
        assert_eq!(closest("citty", types), Some("city"));
        assert_eq!(closest("Mountian", types), Some("mountain"));
        assert_eq!(closest("twn", types), Some("town"));
        assert_eq!(closest("lake", types), None);
        assert_eq!(closest("", types), None);
    }

    #[test]
    fn levenshtein_is_bounded() {
        let a: Vec<char> = "stalingrad".chars().collect();
        let d = |b: &str, limit| {
            let b: Vec<char> = b.chars().collect();
            bounded_levenshtein(
                &a,
                &b,
                limit,
                (&mut Vec::new(), &mut Vec::new(), &mut Vec::new()),
            )
        };
        assert_eq!(d("stalingrad", 2), Some(0));
        assert_eq!(d("stalingrd", 2), Some(1));
        assert_eq!(d("leningrad", 2), None);
        assert_eq!(d("leningrad", 4), Some(4));
        assert_eq!(d("stalinrgad", 1), Some(1), "a swap is one edit");
    }

    proptest! {
        /// The prefilter never rejects a key that is within the limit.
        #[test]
        fn the_sketch_never_rejects_a_near_key(a in "[a-e ]{0,12}", b in "[a-e ]{0,12}") {
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            for limit in 1..4 {
                if bounded_levenshtein(&ca, &cb, limit, (&mut Vec::new(), &mut Vec::new(), &mut Vec::new())).is_some() {
                    prop_assert!(could_be_near(sketch(&a), sketch(&b), limit as u32), "{a:?} {b:?} {limit}");
                }
            }
        }
    }
}
