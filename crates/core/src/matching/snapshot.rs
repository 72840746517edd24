//! What the resolve cache (`crate::store::places`) keeps of a matcher, read back off its
//! tables: each tier's (key hash, place) pairs and every name's keys.

use super::{Matcher, NameKeys};
use crate::model::Gazetteer;

impl Matcher {
    /// Each tier's (key hash, place) pairs, sorted, each once, as the resolve cache stores
    /// them (`crate::store::places`): tier 0 folded, 1 bare, 2 transliterated, 3 variant. Read
    /// off the sorted tables, instead of gathered and sorted again.
    pub fn tier_pairs(&self, tier: usize, mut each: impl FnMut(u32, u32)) {
        let mut last = None;
        let mut pair = |h: u32, p: u32| {
            if last != Some((h, p)) {
                each(h, p);
                last = Some((h, p));
            }
        };
        let table = match tier {
            0 => &self.folded,
            1 => &self.bare,
            2 => &self.translit,
            _ => {
                // Sorted by hash, then sketch: within one hash, the places are sorted here.
                let mut run: Vec<u32> = Vec::new();
                for (i, e) in self.variant.entries.iter().enumerate() {
                    run.push(e.2);
                    if self
                        .variant
                        .entries
                        .get(i + 1)
                        .is_none_or(|next| next.0 != e.0)
                    {
                        run.sort_unstable();
                        for &p in &run {
                            pair(e.0, p);
                        }
                        run.clear();
                    }
                }
                return;
            }
        };
        for e in &table.entries {
            pair(e.0, e.1);
        }
    }

    /// Every name's keys, as filed: `[place][name]`.
    pub fn name_keys(&self, g: &Gazetteer) -> Vec<Vec<NameKeys>> {
        let mut out: Vec<Vec<NameKeys>> = g
            .places
            .iter()
            .map(|p| vec![NameKeys::Bare(0); p.names.len()])
            .collect();
        for &(h, p, n) in &self.bare.entries {
            out[p as usize][n as usize] = NameKeys::Bare(h);
        }
        for &(h, sketch, p, n) in &self.variant.entries {
            out[p as usize][n as usize] = NameKeys::Keyed {
                folded: 0,
                translit: None,
                variant: h,
                sketch,
            };
        }
        for (table, is_translit) in [(&self.folded, false), (&self.translit, true)] {
            for &(h, p, n) in &table.entries {
                if let NameKeys::Keyed {
                    folded, translit, ..
                } = &mut out[p as usize][n as usize]
                {
                    if is_translit {
                        *translit = Some(h);
                    } else {
                        *folded = h;
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs the resolve cache stores, read off the tables, are every name's keys
    /// with its place, sorted, each once.
    #[test]
    fn tier_pairs_are_every_names_keys_sorted_once() {
        let g = crate::testdata::curated();
        let m = Matcher::new(&g);
        let mut expected: [Vec<(u32, u32)>; 4] = Default::default();
        for (p, keys) in m.name_keys(&g).iter().enumerate() {
            for k in keys {
                let p = p as u32;
                match *k {
                    NameKeys::Bare(h) => expected[1].push((h, p)),
                    NameKeys::Keyed {
                        folded,
                        translit,
                        variant,
                        ..
                    } => {
                        expected[0].push((folded, p));
                        expected[2].extend(translit.map(|t| (t, p)));
                        expected[3].push((variant, p));
                    }
                }
            }
        }
        for (tier, mut want) in expected.into_iter().enumerate() {
            want.sort_unstable();
            want.dedup();
            let mut got = Vec::new();
            m.tier_pairs(tier, |h, p| got.push((h, p)));
            assert!(!got.is_empty() || tier == 1, "tier {tier}");
            assert_eq!(got, want, "tier {tier}");
        }
    }
}
