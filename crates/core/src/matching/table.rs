//! The hash table every tier is filed in: entries sorted by a key's hash, with a
//! directory on the hash's top bits.

use super::{Entry, Sketched};

/// Entries of a table: sorted by their first field, a key's hash.
pub trait Keyed: Copy + Ord {
    fn key_hash(&self) -> u32;
}

impl Keyed for Entry {
    fn key_hash(&self) -> u32 {
        self.0
    }
}

impl Keyed for (u32, u32) {
    fn key_hash(&self) -> u32 {
        self.0
    }
}

impl Keyed for Sketched {
    fn key_hash(&self) -> u32 {
        self.0
    }
}

/// Entries sorted by hash, with a directory on the hash's top bits: a lookup reads one
/// directory slot and then, nearly always, one entry. A plain binary search over
/// millions of entries cost a cache miss per step, and was most of `resolve`'s time.
#[derive(Debug)]
pub struct Table<E> {
    pub(super) entries: Vec<E>,
    /// `dir[b]..dir[b + 1]` are the entries whose hash starts with the bits `b`.
    dir: Vec<u32>,
    shift: u32,
}

impl<E> Default for Table<E> {
    fn default() -> Self {
        Table {
            entries: Vec::new(),
            dir: Vec::new(),
            shift: 0,
        }
    }
}

impl<E: Keyed> Table<E> {
    pub fn new(entries: Vec<E>) -> Table<E> {
        Table::from_parts(vec![entries])
    }

    /// The table of the entries of all these parts (filed on several threads), as if
    /// they were one list: no list of them all is made first.
    pub fn from_parts(parts: Vec<Vec<E>>) -> Table<E> {
        let len: usize = parts.iter().map(Vec::len).sum();
        // About four entries a slot: a small directory, and still one cache line a lookup.
        let bits = (usize::BITS - len.leading_zeros())
            .saturating_sub(2)
            .clamp(4, 24);
        let shift = 32 - bits;
        let slot = |e: &E| (e.key_hash() >> shift) as usize;
        // Sorted by counting: each slot's entries counted, the counts summed into the
        // directory, every entry put in its slot's place, and then each slot's few
        // entries sorted. A comparison sort of millions of entries was a fifth of
        // building a matcher for a million places.
        let mut dir = vec![0u32; (1 << bits) + 1];
        for e in parts.iter().flatten() {
            dir[slot(e) + 1] += 1;
        }
        for b in 1..dir.len() {
            dir[b] += dir[b - 1];
        }
        // (Every place of it written below: the parts' entries only fill it first.)
        let mut sorted = Vec::with_capacity(len);
        for part in &parts {
            sorted.extend_from_slice(part);
        }
        let mut next = dir.clone();
        for e in parts.into_iter().flatten() {
            let at = &mut next[slot(&e)];
            sorted[*at as usize] = e;
            *at += 1;
        }
        for w in dir.windows(2) {
            sorted[w[0] as usize..w[1] as usize].sort_unstable();
        }
        Table {
            entries: sorted,
            dir,
            shift,
        }
    }

    /// Reads the directory slot of this hash, so that a later [`Table::get`] finds it in
    /// the cache.
    pub fn touch(&self, h: u32) -> u32 {
        if self.entries.is_empty() {
            return 0;
        }
        self.dir[(h >> self.shift) as usize]
    }

    /// The entries with this hash.
    pub fn get(&self, h: u32) -> &[E] {
        if self.entries.is_empty() {
            return &[];
        }
        let b = (h >> self.shift) as usize;
        let bucket = &self.entries[self.dir[b] as usize..self.dir[b + 1] as usize];
        let start = bucket.partition_point(|e| e.key_hash() < h);
        let end = start + bucket[start..].partition_point(|e| e.key_hash() == h);
        &bucket[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the entries' order, count, and collisions (few distinct hashes, some
        /// sharing their top bits), the table holds them as a full sort does, its
        /// directory bounds each slot, and a look-up finds every entry of a hash.
        #[test]
        fn a_table_holds_its_entries_sorted_and_finds_each_hash(
            entries in prop::collection::vec(
                (prop_oneof![any::<u32>(), 0u32..8, (0u32..8).prop_map(|h| h << 28)], 0u32..50),
                0..1500,
            )
        ) {
            let mut sorted = entries.clone();
            sorted.sort_unstable();
            let t = Table::new(entries.clone());
            prop_assert_eq!(&t.entries, &sorted);
            for b in 0..t.dir.len() - 1 {
                for e in &t.entries[t.dir[b] as usize..t.dir[b + 1] as usize] {
                    prop_assert_eq!((e.0 >> t.shift) as usize, b);
                }
            }
            for &(h, _) in entries.iter().take(100) {
                let found: Vec<_> = sorted.iter().copied().filter(|e| e.0 == h).collect();
                prop_assert_eq!(t.get(h), &found[..]);
            }
            prop_assert!(t.get(u32::MAX).iter().all(|e| e.0 == u32::MAX));
            // The same entries in parts (as threads file them) make the same table.
            let third = entries.len() / 3;
            let parts = vec![
                entries[..third].to_vec(),
                Vec::new(),
                entries[third..].to_vec(),
            ];
            let p = Table::from_parts(parts);
            prop_assert_eq!(&p.entries, &t.entries);
            prop_assert_eq!(&p.dir, &t.dir);
        }
    }
}
