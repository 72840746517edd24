//! Building a matcher: every name's keys worked out (on several threads for a big
//! gazetteer) or read back from the resolve cache, and filed in each tier's table.

use super::{Matcher, NameKeys, Table};
use crate::model::Gazetteer;

/// The keys of these places' names, in place and name order, worked out on `threads`
/// threads.
fn keys_of(places: &[crate::model::Place], threads: usize) -> Vec<NameKeys> {
    let per = places.len().div_ceil(threads).max(1);
    let of = |places: &[crate::model::Place]| -> Vec<NameKeys> {
        places
            .iter()
            .flat_map(|p| p.names.iter().map(|n| NameKeys::of(&n.name)))
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
        // Working out the keys (folding, transliterating, spelling variants) is most of
        // the time: with many names, each core takes a share of the places.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if threads == 1 || g.name_count() < 100_000 {
            return Matcher::from_keys(g, NameKeys::of);
        }
        Matcher::on_threads(g, threads, 16_384 * threads)
    }

    /// [`Matcher::new`] on `threads` threads, `block` places at a time (so that the keys
    /// waiting to be filed stay few).
    fn on_threads(g: &Gazetteer, threads: usize, block: usize) -> Self {
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
            keys.next().unwrap_or(NameKeys::Bare(0))
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
    pub fn from_keys_in(
        g: &Gazetteer,
        mut keys: impl FnMut(&str) -> NameKeys,
        weaker: bool,
    ) -> Self {
        let n = g.name_count();
        let (mut bare, mut translit) = (Vec::new(), Vec::new());
        let (mut folded, mut variant) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for (pi, place) in g.places.iter().enumerate() {
            for (ni, name) in place.names.iter().enumerate() {
                let (pi, ni) = (pi as u32, ni as u32);
                match keys(&name.name) {
                    // A name of punctuation only folds to nothing: it must not meet every
                    // other such name, nor a query of punctuation.
                    NameKeys::Bare(h) => bare.push((h, pi, ni)),
                    NameKeys::Keyed {
                        folded: f,
                        translit: t,
                        variant: v,
                        sketch,
                    } => {
                        folded.push((f, pi, ni));
                        if !weaker {
                            continue;
                        }
                        if let Some(t) = t {
                            translit.push((t, pi, ni));
                        }
                        variant.push((v, sketch, pi, ni));
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

    /// Keys worked out on several threads, block by block, are filed under the names
    /// they belong to: the same tables as one thread makes, whatever the blocks.
    #[test]
    fn keys_worked_out_on_threads_land_on_their_names() {
        let g = crate::testdata::curated();
        let alone = Matcher::from_keys(&g, NameKeys::of).name_keys(&g);
        for (threads, block) in [(2, 1), (3, 7), (4, 1000), (2, 100_000)] {
            let m = Matcher::on_threads(&g, threads, block);
            assert!(
                m.name_keys(&g) == alone,
                "{threads} threads, blocks of {block}"
            );
        }
    }
}
