//! Building a matcher: every name's keys worked out (on several threads for a big
//! gazetteer) or read back from the resolve cache, and filed in each tier's table.

use super::{Entry, Matcher, NameKeys, Sketched, Table};
use crate::model::{Gazetteer, Place};

/// What a store is written from besides the places, kept from building a matcher so that
/// it is not worked out again; both lists in place and name order, one entry a name.
pub struct NearKeys {
    /// Each name's near key ([`super::near_key`]) with the hash of its loose key (see
    /// [`NameKeys::with_near_key`]): the store's table of near keys is made from them
    /// (working them out again was about 8% of a first `resolve` of 1M places).
    pub near: Vec<Near>,
    /// Each name's keys, which the store keeps with each name (read back off the
    /// matcher's tables, they took a scattered pass over every table and a list for each
    /// place: 0.16-0.43 s of a first `resolve` of 1M places).
    pub keys: Vec<NameKeys>,
}

/// One name's near key with the hash a store files it under ([`NameKeys::with_near_key`]);
/// `None` for a name that folds to nothing.
type Near = Option<(u32, String)>;

/// Names filed under their keys, tier by tier, not yet sorted into tables: what one
/// thread files of its share of the places.
#[derive(Default)]
struct Filing {
    bare: Vec<Entry>,
    folded: Vec<Entry>,
    translit: Vec<Entry>,
    variant: Vec<Sketched>,
}

impl Filing {
    /// Files name `ni` of place `pi` under its keys: in the strongest tier only unless
    /// `weaker`, and under a hash only if `kept` keeps it.
    fn file(
        &mut self,
        keys: NameKeys,
        (pi, ni): (u32, u32),
        weaker: bool,
        kept: impl Fn(u32) -> bool,
    ) {
        match keys {
            // A name of punctuation only folds to nothing: it must not meet every
            // other such name, nor a query of punctuation.
            NameKeys::Bare(h) if kept(h) => self.bare.push((h, pi, ni)),
            NameKeys::Bare(_) => {}
            NameKeys::Keyed {
                folded,
                translit,
                variant,
                sketch,
            } => {
                if kept(folded) {
                    self.folded.push((folded, pi, ni));
                }
                if !weaker {
                    return;
                }
                if let Some(t) = translit.filter(|&t| kept(t)) {
                    self.translit.push((t, pi, ni));
                }
                if kept(variant) {
                    self.variant.push((variant, sketch, pi, ni));
                }
            }
        }
    }

    /// The names of `places`, the first of which is place `first`, each filed under the
    /// keys worked out from it; with `near` (each as long as their names), their near
    /// keys and their keys written there too, in place and name order.
    fn of(
        places: &[Place],
        first: usize,
        mut near: Option<(&mut [Near], &mut [NameKeys])>,
    ) -> Filing {
        // (Grown from empty, the lists took 40 MB more at their peak.)
        let names: usize = places.iter().map(|p| p.names.len()).sum();
        let mut filing = Filing {
            folded: Vec::with_capacity(names),
            variant: Vec::with_capacity(names),
            ..Filing::default()
        };
        let mut at = 0;
        for (pi, place) in (first..).zip(places) {
            for (ni, name) in place.names.iter().enumerate() {
                let (keys, v) = NameKeys::with_near_key(&name.name);
                if let Some((near, kept)) = near.as_mut()
                    && let (Some(slot), Some(k)) = (near.get_mut(at), kept.get_mut(at))
                {
                    *slot = v;
                    *k = keys;
                }
                at += 1;
                filing.file(keys, (pi as u32, ni as u32), true, |_| true);
            }
        }
        filing
    }
}

impl Matcher {
    pub fn new(g: &Gazetteer) -> Self {
        Matcher::build(g, None)
    }

    /// [`Matcher::new`], and every name's near key and keys, for a store to be written.
    pub fn with_near_keys(g: &Gazetteer) -> (Self, NearKeys) {
        let (mut near, mut keys) = (Vec::new(), Vec::new());
        let m = Matcher::build(g, Some((&mut near, &mut keys)));
        (m, NearKeys { near, keys })
    }

    /// A matcher, with the near keys and keys written to `near` if given.
    fn build(g: &Gazetteer, near: Option<(&mut Vec<Near>, &mut Vec<NameKeys>)>) -> Self {
        // Working out the keys (folding, transliterating, spelling variants) is most of
        // the time: with many names, each core takes a share of the places.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let threads = if g.name_count() < 100_000 { 1 } else { threads };
        Matcher::on_threads(g, threads, near)
    }

    /// [`Matcher::new`] on `threads` threads, each working out and filing the keys of
    /// its share of the places (filing them on one thread, as they came, left the other
    /// cores waiting for a third of the time); the near keys and keys written to `near`
    /// if given.
    fn on_threads(
        g: &Gazetteer,
        threads: usize,
        near: Option<(&mut Vec<Near>, &mut Vec<NameKeys>)>,
    ) -> Self {
        let per = g.places.len().div_ceil(threads.max(1)).max(1);
        let shares: Vec<&[Place]> = g.places.chunks(per).collect();
        // The near keys are written in place, each share's in the part of its names: a
        // list of them all made afterwards took 120 MB more at a first run's peak.
        type Part<'a> = Option<(&'a mut [Near], &'a mut [NameKeys])>;
        let mut parts: Vec<Part> = shares.iter().map(|_| None).collect();
        if let Some((near, keys)) = near {
            near.clear();
            near.resize(g.name_count(), None);
            keys.clear();
            keys.resize(g.name_count(), NameKeys::Bare(0));
            let (mut rest, mut rest_keys) = (near.as_mut_slice(), keys.as_mut_slice());
            for (part, share) in parts.iter_mut().zip(&shares) {
                let names = share.iter().map(|p| p.names.len()).sum();
                let (mine, after) = std::mem::take(&mut rest).split_at_mut(names);
                let (my_keys, after_keys) = std::mem::take(&mut rest_keys).split_at_mut(names);
                *part = Some((mine, my_keys));
                rest = after;
                rest_keys = after_keys;
            }
        }
        let mut work = shares
            .into_iter()
            .zip(parts)
            .enumerate()
            .map(|(i, (share, near))| move || Filing::of(share, i * per, near));
        let filings = std::thread::scope(|s| {
            // The first share on this thread, the others on threads of their own.
            let first = work.next();
            let others: Vec<_> = work.map(|w| s.spawn(w)).collect();
            let mut filings: Vec<Filing> = first.map(|w| w()).into_iter().collect();
            for o in others {
                filings.push(o.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            filings
        });
        Matcher::of_filings(filings, true, g.name_count())
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
        let mut filing = Filing {
            folded: Vec::with_capacity(n),
            variant: if weaker {
                Vec::with_capacity(n)
            } else {
                Vec::new()
            },
            ..Filing::default()
        };
        for (pi, place) in g.places.iter().enumerate() {
            for (ni, name) in place.names.iter().enumerate() {
                filing.file(keys(&name.name), (pi as u32, ni as u32), weaker, kept);
            }
        }
        Matcher::of_filings(vec![filing], weaker, n)
    }

    /// The matcher of these filings (of `n` names in all), their tiers sorted into tables.
    fn of_filings(filings: Vec<Filing>, weaker: bool, n: usize) -> Self {
        let (mut folded, mut bare, mut translit, mut variant) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for f in filings {
            folded.push(f.folded);
            bare.push(f.bare);
            translit.push(f.translit);
            variant.push(f.variant);
        }
        // The tables are sorted at once, the biggest on a thread of its own.
        let ((folded, bare), (translit, variant)) = if n < 100_000 {
            (
                (Table::from_parts(folded), Table::from_parts(bare)),
                (Table::from_parts(translit), Table::from_parts(variant)),
            )
        } else {
            std::thread::scope(|s| {
                let first = s.spawn(|| (Table::from_parts(folded), Table::from_parts(bare)));
                let second = (Table::from_parts(translit), Table::from_parts(variant));
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

    /// Keys worked out and filed on several threads, each with a share of the places, are
    /// filed under the names they belong to: the same tables as one thread makes,
    /// whatever the number of threads (more threads than places too).
    #[test]
    fn keys_worked_out_on_threads_land_on_their_names() {
        let g = crate::testdata::curated();
        let alone = Matcher::from_keys(&g, NameKeys::of).name_keys(&g);
        let near: Vec<Option<String>> = g
            .places
            .iter()
            .flat_map(|p| p.names.iter().map(|n| crate::matching::near_key(&n.name)))
            .collect();
        let flat: Vec<NameKeys> = alone.iter().flatten().copied().collect();
        for threads in [1, 2, 3, 4, 7, g.places.len() + 3] {
            let (mut kept, mut keys) = (Vec::new(), Vec::new());
            let m = Matcher::on_threads(&g, threads, Some((&mut kept, &mut keys)));
            assert!(m.name_keys(&g) == alone, "{threads} threads");
            assert!(keys == flat, "keys kept: {threads} threads");
            let kept: Vec<Option<String>> = kept.into_iter().map(|k| k.map(|k| k.1)).collect();
            assert!(kept == near, "near keys: {threads} threads");
            let m = Matcher::on_threads(&g, threads, None);
            assert!(m.name_keys(&g) == alone, "{threads} threads, no near keys");
        }
        let (m, kept) = Matcher::with_near_keys(&g);
        assert!(kept.keys == flat);
        let kept: Vec<Option<String>> = kept.near.into_iter().map(|k| k.map(|k| k.1)).collect();
        assert!(m.name_keys(&g) == alone && kept == near);
    }
}
