//! The one envelope of every store file: a fixed prelude, the sections, and a footer
//! with the section table and a checksum for every 64 KiB of every section.
//!
//! Owns the layout and its checks; it knows nothing of what the sections hold.
//!
//! ```text
//! prelude (64 bytes)  magic "GZSTORE\0", format version (u32), kind (u32),
//!                     program version (32 bytes, zero-padded), context (u64),
//!                     footer offset (u64)
//! sections            each starting at a multiple of 8
//! footer              section count (u64); per section offset and length (u64 each);
//!                     one checksum (u64) per chunk of each section, in order;
//!                     the checksum of the prelude and the footer before it (u64)
//! ```
//!
//! All numbers are little-endian. The checksum is [`crate::hash::checksum`]: each of
//! its steps is a bijection of its state, so any change within one eight-byte word of a
//! chunk (every single bit flip) changes the chunk's sum, and its four lanes run at
//! memory speed with no crate added. A reader checks the prelude and footer on opening,
//! and each chunk before it first hands out bytes of it ([`View::get`]), so a query that
//! reads a few places checks a few chunks, not the whole file.
//!
//! Nothing read from a file is trusted before it is checked: every length and offset is
//! bounded by the file's own length before it is used, so a damaged or hostile file can
//! make [`View::new`] or [`View::get`] return `None`, never panic or allocate more than
//! the file's size.

use crate::hash::checksum;
use std::io::{Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicU8, Ordering};

pub const MAGIC: &[u8; 8] = b"GZSTORE\0";
/// Changes whenever the envelope or any section's layout changes.
/// (6: the checksum in four lanes.)
pub const FORMAT_VERSION: u32 = 6;
const PRELUDE: usize = 64;
const CHUNK: usize = 1 << 16;
/// More sections than any kind of store has: a count above it is damage.
const MAX_SECTIONS: u64 = 64;

/// The program version as the prelude holds it.
fn program() -> [u8; 32] {
    let mut v = [0u8; 32];
    let p = env!("CARGO_PKG_VERSION").as_bytes();
    let n = p.len().min(32);
    v[..n].copy_from_slice(&p[..n]);
    v
}

fn prelude(kind: u32, context: u64, footer: u64) -> [u8; PRELUDE] {
    let mut p = [0u8; PRELUDE];
    p[..8].copy_from_slice(MAGIC);
    p[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    p[12..16].copy_from_slice(&kind.to_le_bytes());
    p[16..48].copy_from_slice(&program());
    p[48..56].copy_from_slice(&context.to_le_bytes());
    p[56..64].copy_from_slice(&footer.to_le_bytes());
    p
}

/// Writes a store, section after section, into a new file (or any seekable output).
pub struct Writer<W: Write + Seek> {
    out: std::io::BufWriter<W>,
    kind: u32,
    context: u64,
    pos: u64,
    /// (offset, length) of the sections ended so far.
    sections: Vec<(u64, u64)>,
    /// Where the open section started.
    open: Option<u64>,
    sums: Vec<u64>,
    chunk: Vec<u8>,
}

impl<W: Write + Seek> Writer<W> {
    pub fn new(out: W, kind: u32, context: u64) -> std::io::Result<Self> {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
        out.write_all(&[0u8; PRELUDE])?;
        Ok(Writer {
            out,
            kind,
            context,
            pos: PRELUDE as u64,
            sections: Vec::new(),
            open: None,
            sums: Vec::new(),
            chunk: Vec::with_capacity(CHUNK),
        })
    }

    /// Starts the next section (ending the open one).
    pub fn section(&mut self) -> std::io::Result<()> {
        self.end_section()?;
        self.open = Some(self.pos);
        Ok(())
    }

    fn end_section(&mut self) -> std::io::Result<()> {
        let Some(start) = self.open.take() else {
            return Ok(());
        };
        if !self.chunk.is_empty() {
            self.sums.push(checksum(&self.chunk));
            self.chunk.clear();
        }
        self.sections.push((start, self.pos - start));
        let pad = (8 - self.pos % 8) % 8;
        self.out.write_all(&[0u8; 8][..pad as usize])?;
        self.pos += pad;
        Ok(())
    }

    /// Appends bytes to the open section.
    pub fn write(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        debug_assert!(self.open.is_some(), "a section is open");
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        while !bytes.is_empty() {
            // Whole chunks of a big write are summed where they lie, not copied first.
            if self.chunk.is_empty() && bytes.len() >= CHUNK {
                let (whole, rest) = bytes.split_at(CHUNK);
                self.sums.push(checksum(whole));
                bytes = rest;
                continue;
            }
            let n = (CHUNK - self.chunk.len()).min(bytes.len());
            self.chunk.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            if self.chunk.len() == CHUNK {
                self.sums.push(checksum(&self.chunk));
                self.chunk.clear();
            }
        }
        Ok(())
    }

    pub fn u32(&mut self, v: u32) -> std::io::Result<()> {
        self.write(&v.to_le_bytes())
    }

    pub fn u64(&mut self, v: u64) -> std::io::Result<()> {
        self.write(&v.to_le_bytes())
    }

    /// Writes the footer and the prelude; returns the output.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.end_section()?;
        let footer_at = self.pos;
        let mut footer = Vec::with_capacity(8 + 16 * self.sections.len() + 8 * self.sums.len());
        footer.extend_from_slice(&(self.sections.len() as u64).to_le_bytes());
        for &(o, l) in &self.sections {
            footer.extend_from_slice(&o.to_le_bytes());
            footer.extend_from_slice(&l.to_le_bytes());
        }
        for s in &self.sums {
            footer.extend_from_slice(&s.to_le_bytes());
        }
        let head = prelude(self.kind, self.context, footer_at);
        let mut both = head.to_vec();
        both.extend_from_slice(&footer);
        footer.extend_from_slice(&checksum(&both).to_le_bytes());
        self.out.write_all(&footer)?;
        let mut out = self.out.into_inner().map_err(|e| e.into_error())?;
        out.seek(SeekFrom::Start(0))?;
        out.write_all(&head)?;
        out.flush()?;
        Ok(out)
    }
}

/// The bytes of a store: a mapped file, or bytes in memory (tests, fuzzing, data built in).
pub enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
    Static(&'static [u8]),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
            Bytes::Static(s) => s,
        }
    }
}

/// A store whose prelude and footer were found whole; its chunks are checked on first use.
pub struct View {
    bytes: Bytes,
    /// (offset, length, index of the first chunk sum) per section.
    sections: Vec<(usize, usize, usize)>,
    sums: Vec<u64>,
    /// Per chunk: 0 not checked yet, 1 whole, 2 damaged.
    checked: Vec<AtomicU8>,
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

impl View {
    /// Checks the prelude (magic, format and program versions, kind, context) and the
    /// footer; `None` when any check fails.
    pub fn new(bytes: Bytes, kind: u32, context: u64) -> Option<View> {
        let b: &[u8] = &bytes;
        let len = b.len();
        let expected = prelude(kind, context, u64_at(b, 56)?);
        if b.get(..PRELUDE)? != expected {
            return None;
        }
        let footer = usize::try_from(u64_at(b, 56)?).ok()?;
        let n = u64_at(b, footer)?;
        if n > MAX_SECTIONS {
            return None;
        }
        let n = n as usize;
        let mut sections = Vec::with_capacity(n);
        let mut next = PRELUDE;
        let mut chunks = 0usize;
        for i in 0..n {
            let at = footer + 8 + 16 * i;
            let o = usize::try_from(u64_at(b, at)?).ok()?;
            let l = usize::try_from(u64_at(b, at + 8)?).ok()?;
            // In order, each after the one before, all before the footer.
            if o < next || o % 8 != 0 || o.checked_add(l)? > footer {
                return None;
            }
            sections.push((o, l, chunks));
            chunks = chunks.checked_add(l.div_ceil(CHUNK))?;
            next = o + l;
        }
        let sums_at = footer.checked_add(8 + 16 * n)?;
        let end = sums_at.checked_add(chunks.checked_mul(8)?)?;
        if end.checked_add(8)? != len {
            return None;
        }
        let mut whole = b[..PRELUDE].to_vec();
        whole.extend_from_slice(&b[footer..end]);
        if checksum(&whole) != u64_at(b, end)? {
            return None;
        }
        let sums = (0..chunks)
            .map(|i| u64_at(b, sums_at + 8 * i))
            .collect::<Option<Vec<u64>>>()?;
        let checked = (0..chunks).map(|_| AtomicU8::new(0)).collect();
        Some(View {
            bytes,
            sections,
            sums,
            checked,
        })
    }

    /// The bytes the view reads.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    pub fn sections(&self) -> usize {
        self.sections.len()
    }

    /// The length of a section.
    pub fn len(&self, section: usize) -> Option<usize> {
        self.sections.get(section).map(|s| s.1)
    }

    /// Bytes `range` of a section, once every chunk they lie in is found whole.
    #[inline]
    pub fn get(&self, section: usize, range: std::ops::Range<usize>) -> Option<&[u8]> {
        let &(o, l, first) = self.sections.get(section)?;
        if range.start > range.end || range.end > l {
            return None;
        }
        // An empty range holds no byte that could be wrong.
        if !range.is_empty() {
            for c in range.start / CHUNK..=(range.end - 1) / CHUNK {
                let state = self.checked.get(first + c)?;
                if state.load(Ordering::Relaxed) != 1 && !self.check(state, o, l, first, c) {
                    return None;
                }
            }
        }
        self.bytes.get(o + range.start..o + range.end)
    }

    /// Whether chunk `c` of the section at `o` (of length `l`, its first chunk's sum at
    /// `first`) is whole, checked on its first read and remembered in `state`. Apart
    /// from [`View::get`], which is called for every record read and is inlined.
    #[cold]
    #[inline(never)]
    fn check(&self, state: &AtomicU8, o: usize, l: usize, first: usize, c: usize) -> bool {
        match state.load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let from = o + c * CHUNK;
                let to = (from + CHUNK).min(o + l);
                let whole =
                    self.sums.get(first + c).copied() == self.bytes.get(from..to).map(checksum);
                state.store(if whole { 1 } else { 2 }, Ordering::Relaxed);
                whole
            }
        }
    }

    /// The byte at `at` of a section, unchecked (0 past its end): only for reading memory
    /// ahead of its use, so that loads that do not wait on one another are issued at
    /// once. What it returns must not be trusted, nor used but to keep the read.
    pub fn touch(&self, section: usize, at: usize) -> u8 {
        self.sections
            .get(section)
            .filter(|s| at < s.1)
            .and_then(|s| self.bytes.get(s.0 + at))
            .copied()
            .unwrap_or(0)
    }

    /// A whole section.
    pub fn section(&self, section: usize) -> Option<&[u8]> {
        self.get(section, 0..self.len(section)?)
    }

    /// A little-endian u64 of a section at `index * 8`.
    pub fn u64(&self, section: usize, index: usize) -> Option<u64> {
        let at = index.checked_mul(8)?;
        let b = self.get(section, at..at.checked_add(8)?)?;
        Some(u64::from_le_bytes(b.try_into().ok()?))
    }

    /// The `index`th little-endian u32 of a section.
    pub fn u32(&self, section: usize, index: usize) -> Option<u32> {
        let at = index.checked_mul(4)?;
        let b = self.get(section, at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes(b.try_into().ok()?))
    }

    /// The view of a store that is part of the binary itself (`Bytes::Static`): its chunks
    /// are taken as checked, as the binary's code is, instead of each costing a checksum
    /// of 64 KiB when first read (most of a short query's time). Its prelude and footer
    /// were checked by [`View::new`], every read is still bounded, and a test checks the
    /// built-in store whole. Bytes from a file are never trusted this way.
    pub fn trusted(self) -> View {
        if matches!(self.bytes, Bytes::Static(_)) {
            for c in &self.checked {
                c.store(1, Ordering::Relaxed);
            }
        }
        self
    }

    /// Checks every chunk now, on `threads` threads; false if any is damaged.
    pub fn check_all(&self, threads: usize) -> bool {
        let n = self.sections.len();
        let one = |i: usize| self.section(i).is_some();
        if threads <= 1 || n < 2 {
            return (0..n).all(one);
        }
        // The sections are dealt out by size, the biggest first, to the threads in turn.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.sections[i].1));
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let mine: Vec<usize> = order.iter().copied().skip(t).step_by(threads).collect();
                    s.spawn(move || mine.into_iter().all(one))
                })
                .collect();
            handles.into_iter().all(|h| h.join().unwrap_or(false))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(sections: &[&[u8]]) -> Vec<u8> {
        let mut w = Writer::new(std::io::Cursor::new(Vec::new()), 7, 42).unwrap();
        for s in sections {
            w.section().unwrap();
            w.write(s).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn sections_come_back_as_written() {
        let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let bytes = sample(&[b"abc", b"", &big, b"0123456789"]);
        let v = View::new(Bytes::Owned(bytes), 7, 42).expect("whole");
        assert_eq!(v.sections(), 4);
        assert_eq!(v.section(0), Some(&b"abc"[..]));
        assert_eq!(v.section(1), Some(&b""[..]));
        assert_eq!(v.section(2), Some(&big[..]));
        assert_eq!(v.get(2, 65_530..65_540), Some(&big[65_530..65_540]));
        assert_eq!(v.get(3, 2..4), Some(&b"23"[..]));
        assert_eq!(v.get(3, 2..11), None, "past the end");
        assert_eq!(v.get(4, 0..0), None, "no such section");
        assert_eq!(v.u64(3, 0), Some(u64::from_le_bytes(*b"01234567")));
        assert!(v.check_all(2));
    }

    #[test]
    fn a_store_is_the_same_however_its_bytes_are_split_into_writes() {
        // Big writes have their whole chunks summed in place; small ones are gathered.
        // Either way, the file must be byte for byte the same.
        let big: Vec<u8> = (0..300_000u32).map(|i| (i * 13 % 241) as u8).collect();
        let written = |splits: &[usize]| {
            let mut w = Writer::new(std::io::Cursor::new(Vec::new()), 7, 42).unwrap();
            w.section().unwrap();
            let mut rest = &big[..];
            for &n in splits.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (now, later) = rest.split_at(n.min(rest.len()));
                w.write(now).unwrap();
                rest = later;
            }
            w.finish().unwrap().into_inner()
        };
        let whole = written(&[big.len()]);
        for splits in [
            &[1usize][..],
            &[7, 70_000],
            &[65_536],
            &[65_535, 2],
            &[100_000, 3],
        ] {
            assert!(written(splits) == whole, "writes of {splits:?}");
        }
        let v = View::new(Bytes::Owned(whole), 7, 42).expect("whole");
        assert_eq!(v.section(0), Some(&big[..]));
    }

    #[test]
    fn another_kind_context_or_version_is_refused() {
        let bytes = sample(&[b"abc"]);
        assert!(View::new(Bytes::Owned(bytes.clone()), 8, 42).is_none());
        assert!(View::new(Bytes::Owned(bytes.clone()), 7, 43).is_none());
        let mut other = bytes.clone();
        other[8] ^= 1; // format version
        assert!(View::new(Bytes::Owned(other), 7, 42).is_none());
        let mut other = bytes.clone();
        other[16] ^= 1; // program version
        assert!(View::new(Bytes::Owned(other), 7, 42).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(View::new(Bytes::Owned(longer), 7, 42).is_none());
        assert!(View::new(Bytes::Owned(bytes[..bytes.len() - 1].to_vec()), 7, 42).is_none());
        assert!(View::new(Bytes::Owned(Vec::new()), 7, 42).is_none());
    }

    /// Every single bit flipped is caught: on opening, or when the flipped chunk is read.
    /// Every bit of the prelude, the footer and the small sections, and one in 211 of
    /// the big one (two chunks).
    #[test]
    fn every_bit_flip_is_caught() {
        let big: Vec<u8> = (0..66_000u32).map(|i| (i % 253) as u8).collect();
        let sections: [&[u8]; 3] = [b"hello", &big, b"world!!!"];
        let bytes = sample(&sections);
        let whole = View::new(Bytes::Owned(bytes.clone()), 7, 42).unwrap();
        let inside: Vec<std::ops::Range<usize>> =
            whole.sections.iter().map(|&(o, l, _)| o..o + l).collect();
        let in_big = inside[1].clone();
        let bits = (0..bytes.len() * 8).filter(|b| !in_big.contains(&(b / 8)) || b % 211 == 0);
        let mut tried = 0;
        for bit in bits {
            tried += 1;
            let mut b = bytes.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            let Some(v) = View::new(Bytes::Owned(b), 7, 42) else {
                continue;
            };
            let all: Vec<Option<&[u8]>> = (0..3).map(|i| v.section(i)).collect();
            for (a, s) in all.iter().zip(&sections) {
                assert!(a.is_none() || a == &Some(*s), "bit {bit}: wrong bytes");
            }
            // Only a flip in the padding between sections leaves every section readable.
            let in_a_section = inside.iter().any(|r| r.contains(&(bit / 8)));
            assert_eq!(v.check_all(1), !in_a_section, "bit {bit}");
            assert!(
                !in_a_section || all.iter().any(Option::is_none),
                "bit {bit}"
            );
        }
        assert!(tried > 1_000, "{tried}");
    }

    /// Arbitrary bytes never panic.
    #[test]
    fn garbage_is_refused_without_panic() {
        let mut b = prelude(7, 42, 64).to_vec();
        b.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(View::new(Bytes::Owned(b.clone()), 7, 42).is_none());
        b.truncate(64);
        b.extend_from_slice(&3u64.to_le_bytes());
        b.extend_from_slice(&[0xFF; 48]);
        assert!(View::new(Bytes::Owned(b), 7, 42).is_none());
    }
}
