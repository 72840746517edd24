//! A fast, deterministic hash for names and ids.
//!
//! The standard library's SipHash guards against inputs chosen to collide, which a
//! data file on the user's own machine has no reason to be; at millions of names it was
//! the largest single cost of loading. This is the multiply-rotate hash rustc uses
//! internally ("FxHash"): a few instructions per eight bytes. Nothing here does I/O.

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = step(self.hash, word);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail(rest));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The multiply only carries entropy upwards, and hash tables index by the low bits:
    /// a final mix (MurmurHash3's) spreads it over all of them. Without it, ids such as
    /// `p123456`, whose first byte is always the same, crowd into a few buckets.
    #[inline]
    fn finish(&self) -> u64 {
        mix(self.hash)
    }
}

/// MurmurHash3's final mix: a bijection that spreads every bit over all of them.
#[inline]
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One step of [`FxHasher`]: a bijection of the state for each word, and of the word for
/// each state.
#[inline]
fn step(state: u64, word: u64) -> u64 {
    (state.rotate_left(5) ^ word).wrapping_mul(SEED)
}

/// The little-endian word of the last one to seven bytes of a string, zero-padded, read
/// as two loads that may overlap. Copying them into a zeroed word on the stack, as
/// before, called `memcpy` and then read the word back before the copy could be
/// forwarded: a stall of its own in every hash of a name or an id (the costliest line
/// of interning a row's values, by `perf annotate`).
#[inline]
fn tail(rest: &[u8]) -> u64 {
    let n = rest.len();
    let u32_at = |i: usize| {
        u64::from(u32::from_le_bytes([
            rest[i],
            rest[i + 1],
            rest[i + 2],
            rest[i + 3],
        ]))
    };
    let u16_at = |i: usize| u64::from(u16::from_le_bytes([rest[i], rest[i + 1]]));
    match n {
        // The two halves overlap where n < 8; their common bytes are the same.
        4..=7 => u32_at(0) | u32_at(n - 4) << ((n - 4) * 8),
        2 | 3 => u16_at(0) | u16_at(n - 2) << ((n - 2) * 8),
        1 => u64::from(rest[0]),
        _ => word(rest),
    }
}

/// The little-endian word of up to eight bytes, zero-padded.
#[inline]
fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = bytes.len().min(8);
    w[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(w)
}

/// The checksum of a store's chunk (`crate::store::format`): [`hash_bytes`]'s steps in
/// four lanes, the words of each 32 bytes dealt one to each, then the lanes and the
/// length folded in turn. A change within one word changes its lane's state (each step is
/// a bijection of it), so it changes the sum (folding is a bijection of each lane in
/// turn). The four lanes do not wait on one another's multiplies: with one lane, the
/// chain of multiplies set the time of checking a store on opening (34-35 ms of a warm
/// `resolve` of 10 rows over 230 MB, now 27-28 ms, the rest being memory).
pub fn checksum(b: &[u8]) -> u64 {
    let mut lanes = [0u64; 4];
    let mut blocks = b.chunks_exact(32);
    for block in &mut blocks {
        for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word(w));
        }
    }
    for (lane, w) in lanes.iter_mut().zip(blocks.remainder().chunks(8)) {
        *lane = step(*lane, word(w));
    }
    let folded = lanes.into_iter().fold(0, step);
    mix(step(folded, b.len() as u64))
}

/// A `HashMap` keyed with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The hash of a string, the same on every run and machine.
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// The hash of bytes, the same on every run and machine (each step is a bijection of the
/// state, so a change within one eight-byte word always changes it; stores sum their
/// chunks with [`checksum`], the same steps in four lanes).
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(b);
    // The length separates "ab" from "ab\0" and mixes the final word once more.
    h.write_usize(b.len());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every single bit flipped, in every length of buffer up to five blocks of the
    /// lanes and a partial word, changes the checksum; so does a zero byte added.
    #[test]
    fn every_bit_flip_changes_the_checksum() {
        let bytes: Vec<u8> = (0..165u32).map(|i| (i * 37 % 251) as u8).collect();
        for len in 0..=bytes.len() {
            let b = &bytes[..len];
            let sum = checksum(b);
            for bit in 0..len * 8 {
                let mut flipped = b.to_vec();
                flipped[bit / 8] ^= 1 << (bit % 8);
                assert_ne!(checksum(&flipped), sum, "length {len}, bit {bit}");
            }
            let mut longer = b.to_vec();
            longer.push(0);
            assert_ne!(checksum(&longer), sum, "length {len}");
        }
        // Equal bytes, equal sums; words in other lanes' places, another sum.
        assert_eq!(checksum(&bytes), checksum(&bytes.clone()));
        let mut swapped = bytes.clone();
        swapped[..16].rotate_left(8);
        assert_ne!(checksum(&swapped), checksum(&bytes));
    }

    /// The tail of a string read in two loads is its bytes zero-padded, for every
    /// length, with each of five byte values (0x00 and 0xff among them) in every position.
    #[test]
    fn a_tail_is_its_bytes_zero_padded() {
        for n in 0..=8usize {
            for v in [0x00u8, 0x01, 0x7f, 0x80, 0xff] {
                for at in 0..n {
                    let mut b: Vec<u8> = (1..=n as u8).collect();
                    b[at] = v;
                    assert_eq!(tail(&b), word(&b), "{b:?}");
                }
            }
        }
    }

    #[test]
    fn equal_strings_hash_equal_and_near_ones_differ() {
        assert_eq!(hash_str("Volgograd"), hash_str("Volgograd"));
        assert_ne!(hash_str("Volgograd"), hash_str("volgograd"));
        assert_ne!(hash_str("ab"), hash_str("ab\0"));
        assert_ne!(hash_str(""), hash_str("\0"));
        let distinct: std::collections::HashSet<u64> =
            (0..10_000).map(|i| hash_str(&format!("p{i}"))).collect();
        assert_eq!(distinct.len(), 10_000);
        // Hash tables index by the low bits: those must spread too.
        let low: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| hash_str(&format!("p{i}")) & 0xFFF)
            .collect();
        assert!(low.len() > 3_000, "{}", low.len());
    }
}
