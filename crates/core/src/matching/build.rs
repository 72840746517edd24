//! Building a matcher: every name's keys worked out (on several threads for a big
//! gazetteer) or read back from the resolve cache, and filed in each tier's table.

use super::{Matcher, NameKeys, Table};
use crate::model::Gazetteer;

/// Every name's near key ([`super::near_key`]) with the hash of its loose key (see
/// [`NameKeys::with_near_key`]), in place and name order: what a store's table of near
/// keys is made from, kept from building a matcher so that it is not worked out twice
/// (working them out again was about 8% of a first `resolve` of 1M places).
pub struct NearKeys(pub Vec<Option<(u32, String)>>);

/// The keys of these places' names, and their near keys, in place and name order,
/// worked out on `threads` threads.
fn keys_of(
    places: &[crate::model::Place],
    threads: usize,
) -> Vec<(NameKeys, Option<(u32, String)>)> {
    let per = places.len().div_ceil(threads).max(1);
    let of = |places: &[crate::model::Place]| -> Vec<(NameKeys, Option<(u32, String)>)> {
        places
            .iter()
            .flat_map(|p| p.names.iter().map(|n| NameKeys::with_near_key(&n.name)))
            .collect()
    };
    std::thread::scope(|s| {
        let mut parts = places.chunks(per);
        let mine = parts.next().unwrap_or_default();
        let others: Vec<_> = parts.map(|part| s.spawn(move || of(part))).collect();
        let mut keys = of(mine);
        for o in others {
            keys.extend(o.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        keys
    })
}

impl Matcher {
    pub fn new(g: &Gazetteer) -> Self {
        Matcher::build(g, None)
    }

    /// [`Matcher::new`], and every name's near key, for a store to be written.
    pub fn with_near_keys(g: &Gazetteer) -> (Self, NearKeys) {
        let mut near = Vec::with_capacity(g.name_count());
        let m = Matcher::build(g, Some(&mut near));
        (m, NearKeys(near))
    }

    /// A matcher, with the near keys pushed to `near` if given.
    fn build(g: &Gazetteer, near: Option<&mut Vec<Option<(u32, String)>>>) -> Self {
        // Working out the keys (folding, transliterating, spelling variants) is most of
        // the time: with many names, each core takes a share of the places.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if threads == 1 || g.name_count() < 100_000 {
            return match near {
                None => Matcher::from_keys(g, NameKeys::of),
                Some(near) => Matcher::from_keys(g, |name| {
                    let (keys, v) = NameKeys::with_near_key(name);
                    near.push(v);
                    keys
                }),
            };
        }
        Matcher::on_threads(g, threads, 16_384 * threads, near)
    }

    /// [`Matcher::new`] on `threads` threads, `block` places at a time (so that the keys
    /// waiting to be filed stay few); the near keys pushed to `near` if given.
    fn on_threads(
        g: &Gazetteer,
        threads: usize,
        block: usize,
        mut near: Option<&mut Vec<Option<(u32, String)>>>,
    ) -> Self {
        let mut blocks = g.places.chunks(block.max(1));
        let mut keys = Vec::new().into_iter();
        Matcher::from_keys(g, |_| {
            // (A block could hold no names at all: the next one is taken then.)
            while keys.len() == 0 {
                match blocks.next() {
                    Some(block) => keys = keys_of(block, threads).into_iter(),
                    None => break,
                }
            }
            let (k, v) = keys.next().unwrap_or((NameKeys::Bare(0), None));
            if let Some(near) = near.as_deref_mut() {
                near.push(v);
            }
            k
        })
    }

    /// A matcher whose names' keys are already known (read from the resolve cache).
    /// `keys` is called once per name, in place and name order.
    pub fn from_keys(g: &Gazetteer, keys: impl FnMut(&str) -> NameKeys) -> Self {
        Matcher::from_keys_in(g, keys, true)
    }

    /// [`Matcher::from_keys`], with only the strongest tier (exact and folded) when
    /// `weaker` is false: no transliterated or variant names are filed, and a query not
    /// found in that tier finds nothing (callers look such queries up again in a whole
    /// matcher; only exact and folded answers are final).
    pub fn from_keys_in(g: &Gazetteer, keys: impl FnMut(&str) -> NameKeys, weaker: bool) -> Self {
        Matcher::filed(g, keys, weaker, None)
    }

    /// [`Matcher::from_keys_in`] for the queries of `only` and no others: only the names
    /// filed under one of their hashes are filed (`resolve` makes a matcher for each 128
    /// rows, and sorting every name of their places was most of making it). Such a
    /// matcher cannot search fuzzily, which compares every name.
    pub fn for_queries(
        g: &Gazetteer,
        keys: impl FnMut(&str) -> NameKeys,
        weaker: bool,
        only: &super::KeySet,
    ) -> Self {
        Matcher::filed(g, keys, weaker, Some(only))
    }

    fn filed(
        g: &Gazetteer,
        mut keys: impl FnMut(&str) -> NameKeys,
        weaker: bool,
        only: Option<&super::KeySet>,
    ) -> Self {
        let kept = |h: u32| only.is_none_or(|o| o.may_hold(h));
        let n = g.name_count();
        let (mut bare, mut translit) = (Vec::new(), Vec::new());
        let (mut folded, mut variant) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for (pi, place) in g.places.iter().enumerate() {
            for (ni, name) in place.names.iter().enumerate() {
                let (pi, ni) = (pi as u32, ni as u32);
                match keys(&name.name) {
                    // A name of punctuation only folds to nothing: it must not meet every
                    // other such name, nor a query of punctuation.
                    NameKeys::Bare(h) if kept(h) => bare.push((h, pi, ni)),
                    NameKeys::Bare(_) => {}
                    NameKeys::Keyed {
                        folded: f,
                        translit: t,
                        variant: v,
                        sketch,
                    } => {
                        if kept(f) {
                            folded.push((f, pi, ni));
                        }
                        if !weaker {
                            continue;
                        }
                        if let Some(t) = t.filter(|&t| kept(t)) {
                            translit.push((t, pi, ni));
                        }
                        if kept(v) {
                            variant.push((v, sketch, pi, ni));
                        }
                    }
                }
            }
        }
        // The tables are sorted at once, the biggest on a thread of its own.
        let ((folded, bare), (translit, variant)) = if n < 100_000 {
            (
                (Table::new(folded), Table::new(bare)),
                (Table::new(translit), Table::new(variant)),
            )
        } else {
            std::thread::scope(|s| {
                let first = s.spawn(|| (Table::new(folded), Table::new(bare)));
                let second = (Table::new(translit), Table::new(variant));
                let first = first
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e));
                (first, second)
            })
        };
        Matcher {
            folded,
            bare,
            translit,
            variant,
            weaker,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A matcher filed for some queries answers each of them as the whole matcher does,
    /// in both tiers, and holds fewer names.
    #[test]
    fn a_matcher_for_some_queries_answers_them_as_the_whole_one() {
        let g = crate::testdata::curated();
        let mut queries: Vec<String> = g
            .places
            .iter()
            .step_by(7)
            .flat_map(|p| p.names.iter().map(|n| n.name.to_string()))
            .collect();
        // Other spellings and cases, misses, and names of punctuation only.
        let more: Vec<String> = queries
            .iter()
            .take(200)
            .flat_map(|q| {
                [
                    q.to_lowercase(),
                    q.replace('o', "a"),
                    q.replace('v', "w").replace('k', "c"),
                    q.replace('i', "y").replace('f', "ph"),
                    q.replace('e', "i").replace("sh", "sch"),
                    format!("{q}x"),
                ]
            })
            .collect();
        queries.extend(more);
        queries.extend(["Zarizyn", "Stalino", "Tsaritzyn", "...", "-"].map(String::from));
        // The queries reach every tier.
        let whole = Matcher::new(&g);
        let kinds: std::collections::BTreeSet<_> = queries
            .iter()
            .flat_map(|q| whole.find(&g, q).into_iter().map(|m| m.how))
            .collect();
        assert!(kinds.len() >= 4, "{kinds:?}");
        for weaker in [false, true] {
            let whole = Matcher::from_keys_in(&g, NameKeys::of, weaker);
            for batch in queries.chunks(128) {
                let qs: Vec<crate::matching::Query> = batch
                    .iter()
                    .map(|q| crate::matching::Query::new(q))
                    .collect();
                let keys: Vec<_> = qs.iter().map(|q| q.keys(weaker)).collect();
                let only = crate::matching::KeySet::of(&keys);
                let some = Matcher::for_queries(&g, NameKeys::of, weaker, &only);
                assert!(some.folded.entries.len() < whole.folded.entries.len());
                for q in &qs {
                    assert_eq!(
                        some.find_where(&g, q, &|_| true),
                        whole.find_where(&g, q, &|_| true),
                        "{:?}, weaker tiers: {weaker}",
                        q.text()
                    );
                }
            }
        }
    }

    /// Keys worked out on several threads, block by block, are filed under the names
    /// they belong to: the same tables as one thread makes, whatever the blocks.
    #[test]
    fn keys_worked_out_on_threads_land_on_their_names() {
        let g = crate::testdata::curated();
        let alone = Matcher::from_keys(&g, NameKeys::of).name_keys(&g);
        let near: Vec<Option<String>> = g
            .places
            .iter()
            .flat_map(|p| p.names.iter().map(|n| crate::matching::near_key(&n.name)))
            .collect();
        for (threads, block) in [(2, 1), (3, 7), (4, 1000), (2, 100_000)] {
            let mut kept = Vec::new();
            let m = Matcher::on_threads(&g, threads, block, Some(&mut kept));
            assert!(
                m.name_keys(&g) == alone,
                "{threads} threads, blocks of {block}"
            );
            let kept: Vec<Option<String>> = kept.into_iter().map(|k| k.map(|k| k.1)).collect();
            assert!(
                kept == near,
                "near keys: {threads} threads, blocks of {block}"
            );
        }
        let (m, kept) = Matcher::with_near_keys(&g);
        let kept: Vec<Option<String>> = kept.0.into_iter().map(|k| k.map(|k| k.1)).collect();
        assert!(m.name_keys(&g) == alone && kept == near);
    }
}
