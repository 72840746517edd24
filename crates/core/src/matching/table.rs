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
    pub fn new(mut entries: Vec<E>) -> Table<E> {
        entries.sort_unstable();
        // About four entries a slot: a small directory, and still one cache line a lookup.
        let bits = (usize::BITS - entries.len().leading_zeros())
            .saturating_sub(2)
            .clamp(4, 24);
        let shift = 32 - bits;
        let mut dir = Vec::with_capacity((1 << bits) + 1);
        let mut i = 0;
        for b in 0..=(1u32 << bits) {
            while i < entries.len() && (entries[i].key_hash() >> shift) < b {
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
