//! The resolve store: a compact copy of all loaded data, so that `resolve` over big
//! `--data` files does not read and validate them again on every run.
//!
//! Owns the places store's sections; the envelope (checksums, atomic writing) is
//! `format`'s and `file`'s, the trust rules `validity`'s: a store is named by its
//! context, which changes whenever any input file, this build, or the choice of built-in
//! data changes, so a store can only be found for the very inputs it was made from. It
//! is written only after every input was read and validated with no error and no
//! warning, and only when no input changed while it was read or in the two seconds before.
//!
//! A store is mapped into memory, every chunk checked on opening (so that damage is
//! found before any answer is written, and the data read instead), and only its tables
//! are turned into memory structures at once. Places are decoded when a few hundred
//! queries need them, into a small [`Gazetteer`] of just those places with a
//! [`crate::matching::Matcher`] over them (built from the keys stored beside each name,
//! not computed again), so memory stays near the size of the file.
//!
//! Sections: 0 one record per place, in gazetteer order; 1 the offset of every record
//! and the end (u32 each, u64 past 4 GiB of records); 2 the shared strings (languages, types, countries, file
//! names); 3-6 a table of (key hash, place) pairs, sorted, per matching tier (varints:
//! the hash's step from the one before, the place);
//! 7-9 the table of near keys (`near`), for `--fuzzy`.

use crate::date::Date;
use crate::matching::{NameKeys, QueryKeys};
use crate::model::{Gazetteer, NameKind, NameRecord, Origin, Place, Sym};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The envelope's kind of a places store.
const KIND: u32 = 2;

fn file_name(inputs: u64, context: u64) -> String {
    format!("resolve-{inputs:016x}-{context:016x}.snap")
}

/// A snapshot was found but cannot be read as written: it is removed, and the run fails
/// with a message saying so (the next run reads the data files again). `None` is the
/// built-in store, which is part of the binary: nothing to remove, and a bug to report.
#[derive(Debug)]
pub struct Damaged(pub Option<PathBuf>);

/// A store found valid for the current inputs.
pub struct Snapshot {
    /// The store's file; `None` for the built-in store, compiled into the binary.
    path: Option<PathBuf>,
    /// The whole file, mapped and checked (the tables are unpacked at open).
    view: super::format::View,
    /// Whether the record offsets are u32 (see [`offset_width`]).
    narrow: bool,
    strings: Vec<Sym>,
    places: usize,
    /// The tiers' tables, read in place: folded, bare, transliterated, variant.
    tiers: [Tier; 4],
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn text<'b>(bytes: &'b [u8], at: &mut usize) -> Option<&'b str> {
    let raw = raw_text(bytes, at)?;
    // Most names and ids are ASCII: a word-at-a-time test is quicker than the general
    // check, which a warm resolve spent 3% of its time in.
    if raw.is_ascii() {
        // SAFETY: ASCII bytes are UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(raw) })
    } else {
        std::str::from_utf8(raw).ok()
    }
}

/// The bytes of a text, unchecked: for a text a lean decoding leaves out.
fn raw_text<'b>(bytes: &'b [u8], at: &mut usize) -> Option<&'b [u8]> {
    let len = usize::try_from(varint(bytes, at)?).ok()?;
    let s = bytes.get(*at..at.checked_add(len)?)?;
    *at += len;
    Some(s)
}

/// Numbers the few distinct shared strings (languages, types, countries, file names).
#[derive(Default)]
struct Interner {
    /// A symbol's text is one allocation in the process (`Sym::new`): its address finds
    /// it without hashing the text.
    by_address: crate::hash::FxHashMap<usize, u64>,
    list: Vec<Sym>,
}

impl Interner {
    fn id(&mut self, s: Sym) -> u64 {
        let address = s.as_str().as_ptr() as usize;
        *self.by_address.entry(address).or_insert_with(|| {
            self.list.push(s);
            self.list.len() as u64 - 1
        })
    }

    /// 0 for none, else the string's number plus one.
    fn optional(&mut self, s: Option<Sym>) -> u64 {
        s.map_or(0, |s| self.id(s) + 1)
    }
}

fn encode_place(place: &Place, keys: &[NameKeys], strings: &mut Interner, out: &mut Vec<u8>) {
    put_str(out, &place.id);
    put_varint(out, strings.optional(place.kind));
    put_varint(out, strings.optional(place.country));
    match place.coords {
        // Coordinates of at most seven decimals (nearly all: 1 cm) as whole numbers of
        // 1e-7 degrees, in varints: about 8 bytes where the two floats take 16.
        Some((lat, lon)) if let (Some(a), Some(b)) = (tenth_micro(lat), tenth_micro(lon)) => {
            out.push(2);
            put_varint(out, zigzag(a));
            put_varint(out, zigzag(b));
        }
        Some((lat, lon)) => {
            out.push(1);
            out.extend_from_slice(&lat.to_le_bytes());
            out.extend_from_slice(&lon.to_le_bytes());
        }
        None => out.push(0),
    }
    // 0 for no population, else the population plus one.
    put_varint(out, place.population.map_or(0, |p| p.saturating_add(1)));
    put_varint(out, place.same_as.len() as u64);
    for id in &place.same_as {
        put_str(out, id);
    }
    put_varint(out, place.names.len() as u64);
    let mut previous_source: Option<&crate::model::Cited> = None;
    let mut previous_line = 0u64;
    for (n, k) in place.names.iter().zip(keys) {
        put_str(out, &n.name);
        // One byte says what follows. Bits 0-1, the start: 0 unknown, 1 a date, 2 `..`
        // (from the earliest times), 3 the date of an attestation; bit 2, the end: 0 still
        // in use, 1 a date; bits 3-4 the kind; bit 5, the source is the name before's (rows
        // of a place usually cite one page); bit 6, no note.
        let start = match (&n.start, n.attested, n.open_start) {
            (Some(_), true, _) => 3,
            (Some(_), false, _) => 1,
            (None, _, true) => 2,
            (None, _, false) => 0,
        };
        const _: () = assert!(NameKind::ALL.len() <= 4, "the kind has two bits");
        let kind = NameKind::ALL.iter().position(|k| *k == n.kind).unwrap_or(0) as u8;
        let same_source = previous_source.is_some_and(|p| p == &n.source);
        out.push(
            start
                | u8::from(n.end.is_some()) << 2
                | kind << 3
                | u8::from(same_source) << 5
                | u8::from(n.note.is_empty()) << 6,
        );
        for d in [&n.start, &n.end].into_iter().flatten() {
            d.encode(out);
        }
        put_varint(out, strings.id(n.lang));
        if !same_source {
            put_str(out, &n.source);
        }
        previous_source = Some(&n.source);
        if !n.note.is_empty() {
            put_str(out, &n.note);
        }
        put_varint(out, strings.id(n.origin.file));
        // A place's rows mostly follow one another: the line as a step from the name
        // before's takes a byte.
        put_varint(out, zigzag(n.origin.line as i64 - previous_line as i64));
        previous_line = n.origin.line;
        k.encode(out);
    }
}

/// The bytes of each record offset: 4 while the records fit in 4 GiB (about 30 million
/// places), else 8. Read off the records' length, so it needs no flag of its own.
fn offset_width(records: u64) -> usize {
    if records <= u64::from(u32::MAX) { 4 } else { 8 }
}

/// `v` as a whole number of 1e-7 degrees, when that gives back exactly `v`: dividing
/// by 1e7 is rounded correctly, so it gives the float nearest the decimal, as parsing
/// it did.
fn tenth_micro(v: f64) -> Option<i64> {
    let scaled = (v * 1e7).round();
    if !scaled.is_finite() || scaled.abs() > 4e9 {
        return None;
    }
    let n = scaled as i64;
    ((n as f64 / 1e7).to_bits() == v.to_bits()).then_some(n)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Decodes one place record; `None` for bytes [`encode_place`] cannot have written.
/// With `lean`, what `resolve` neither shows nor weighs is skipped, unread: sources and
/// notes (left empty; a source left out is none at all, see [`crate::model::Cited`]) and
/// the ids of other gazetteers (none). They were a good part of the decoding.
fn decode_place(
    bytes: &[u8],
    strings: &[Sym],
    keys: &mut Vec<NameKeys>,
    lean: bool,
) -> Option<Place> {
    let mut at = 0;
    let at = &mut at;
    let shared = |i: u64| strings.get(usize::try_from(i).ok()?).copied();
    let optional = |i: u64| -> Option<Option<Sym>> {
        if i == 0 {
            Some(None)
        } else {
            shared(i - 1).map(Some)
        }
    };
    let id = text(bytes, at)?.to_string();
    let kind = optional(varint(bytes, at)?)?;
    let country = optional(varint(bytes, at)?)?;
    let coords = match *bytes.get(*at)? {
        0 => {
            *at += 1;
            None
        }
        1 => {
            let b = bytes.get(*at + 1..*at + 17)?;
            *at += 17;
            let f = |b: &[u8]| b.try_into().ok().map(f64::from_le_bytes);
            Some((f(&b[..8])?, f(&b[8..])?))
        }
        2 => {
            *at += 1;
            let mut coordinate = || Some(unzigzag(varint(bytes, at)?) as f64 / 1e7);
            Some((coordinate()?, coordinate()?))
        }
        _ => return None,
    };
    let population = varint(bytes, at)?.checked_sub(1);
    let ids = usize::try_from(varint(bytes, at)?).ok()?;
    let mut same_as = Vec::new();
    for _ in 0..ids {
        let id = raw_text(bytes, at)?;
        if !lean {
            same_as.push(std::str::from_utf8(id).ok()?.to_string());
        }
    }
    let count = usize::try_from(varint(bytes, at)?).ok()?;
    let mut names = Vec::with_capacity(count.min(bytes.len()));
    let mut source: Option<crate::model::Cited> = None;
    let mut line = 0u64;
    for _ in 0..count {
        let name: Box<str> = text(bytes, at)?.into();
        let shape = *bytes.get(*at)?;
        *at += 1;
        if shape >> 7 != 0 {
            return None;
        }
        let tag = shape & 3;
        let start = if tag & 1 != 0 {
            Some(Date::decode(bytes, at)?)
        } else {
            None
        };
        let end = if shape & 4 != 0 {
            Some(Date::decode(bytes, at)?)
        } else {
            None
        };
        let lang = shared(varint(bytes, at)?)?;
        if shape & (1 << 5) == 0 {
            source = Some(if lean {
                raw_text(bytes, at)?;
                crate::model::Cited::default()
            } else {
                Arc::<str>::from(text(bytes, at)?).into()
            });
        }
        let note: Box<str> = if shape & (1 << 6) != 0 {
            "".into()
        } else if lean {
            raw_text(bytes, at)?;
            "".into()
        } else {
            text(bytes, at)?.into()
        };
        let kind = *NameKind::ALL.get(usize::from((shape >> 3) & 3))?;
        let file = shared(varint(bytes, at)?)?;
        line = line.checked_add_signed(unzigzag(varint(bytes, at)?))?;
        keys.push(NameKeys::decode(bytes, at)?);
        names.push(NameRecord {
            name,
            start,
            end,
            open_start: tag == 2,
            attested: tag == 3,
            lang,
            source: source.clone()?,
            note,
            kind,
            origin: Origin { file, line },
        });
    }
    (*at == bytes.len()).then_some(Place {
        id,
        kind,
        country,
        coords,
        population,
        same_as,
        names,
    })
}

/// Writes the store of `g` (with `matcher` over it) for the inputs and context given,
/// atomically, and removes older stores of the same inputs. A failure leaves no store;
/// it is returned for `index` to report (`resolve` ignores it: a store only saves time).
pub fn write(
    dir: &Path,
    inputs: u64,
    context: u64,
    g: &Gazetteer,
    matcher: &crate::matching::Matcher,
    near: Option<crate::matching::NearKeys>,
) -> std::io::Result<()> {
    let target = dir.join(file_name(inputs, context));
    super::file::write(&target, KIND, context, |w| write_to(w, g, matcher, near))?;
    let ours = file_name(inputs, context);
    let prefix = format!("resolve-{inputs:016x}-");
    super::validity::remove_older(dir, &prefix, &ours);
    remove_row_indexes(dir, inputs);
    Ok(())
}

/// Removes the row indexes that versions before the one store kept of each file of these
/// inputs (`PATH-INPUTS-CONTEXT.idx`): the store now answers what they did.
fn remove_row_indexes(dir: &Path, inputs: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let ours = format!("-{inputs:016x}-");
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".idx") && name.contains(&ours) {
            super::file::remove(&e.path());
        }
    }
}

/// The sections of a store of `g`, into any writer (a file, or memory for tests); with
/// the names' near keys if the matcher's build kept them (else they are worked out).
pub fn write_to<W: std::io::Write + std::io::Seek>(
    w: &mut super::format::Writer<W>,
    g: &Gazetteer,
    matcher: &crate::matching::Matcher,
    mut near: Option<crate::matching::NearKeys>,
) -> std::io::Result<()> {
    // The table of near keys needs only the places and their near keys: it is made on a
    // thread of its own while the places are encoded here (on 1M places it was half the
    // writing, and a first `resolve` waited on the writing after answering).
    let keys = near.as_mut().map(|n| std::mem::take(&mut n.keys));
    std::thread::scope(|s| {
        let near = s.spawn(|| super::near::sections(&super::near::keyed_places(g, near)));
        write_places(w, g, matcher, keys)?;
        let near = near
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))?;
        super::near::write_sections(w, near)
    })
}

/// The sections of a store before its table of near keys: the places, where each one's
/// record starts, the shared strings and each tier's table; with every name's keys in
/// place and name order if the matcher's build kept them (else read off its tables).
fn write_places<W: std::io::Write + std::io::Seek>(
    w: &mut super::format::Writer<W>,
    g: &Gazetteer,
    matcher: &crate::matching::Matcher,
    kept: Option<Vec<NameKeys>>,
) -> std::io::Result<()> {
    let keys = match kept {
        Some(keys) if keys.len() == g.name_count() => keys,
        _ => matcher.name_keys(g).into_iter().flatten().collect(),
    };
    let mut next = 0;
    let mut strings = Interner::default();
    let mut offsets = Vec::with_capacity(g.places.len() + 1);
    let mut record = Vec::new();
    let mut blob = 0u64;
    w.section()?;
    for place in &g.places {
        offsets.push(blob);
        record.clear();
        let keys = &keys[next..next + place.names.len()];
        next += place.names.len();
        encode_place(place, keys, &mut strings, &mut record);
        w.write(&record)?;
        blob += record.len() as u64;
    }
    offsets.push(blob);
    drop(keys);
    w.section()?;
    let narrow = offset_width(blob) == 4;
    for &o in &offsets {
        if narrow {
            w.write(&(o as u32).to_le_bytes())?;
        } else {
            w.u64(o)?;
        }
    }
    w.section()?;
    let mut index = Vec::new();
    for s in &strings.list {
        put_str(&mut index, s);
    }
    w.write(&index)?;
    // Each tier's pairs, read in place (see `Tier`): the pairs of each slot of hashes (the
    // hash's top bits) as varints, the hash as its step from the one before (the first from
    // the slot's lowest hash), then the place; and where each slot's pairs start.
    let mut stream = Vec::new();
    for tier in 0..4 {
        w.section()?;
        let mut count = 0usize;
        matcher.tier_pairs(tier, |_, _| count += 1);
        let bits = slot_bits(count);
        let shift = 32 - bits;
        let mut starts: Vec<u32> = Vec::with_capacity((1 << bits) + 1);
        stream.clear();
        let (mut slot, mut last) = (0u64, 0u32);
        let mut too_big = false;
        let mut start = |stream: &Vec<u8>, starts: &mut Vec<u32>| match u32::try_from(stream.len())
        {
            Ok(at) => starts.push(at),
            Err(_) => too_big = true,
        };
        start(&stream, &mut starts);
        matcher.tier_pairs(tier, |h, p| {
            while u64::from(h >> shift) > slot {
                slot += 1;
                start(&stream, &mut starts);
                last = (slot << shift) as u32;
            }
            put_varint(&mut stream, u64::from(h - last));
            put_varint(&mut stream, u64::from(p));
            last = h;
        });
        while slot < 1 << bits {
            slot += 1;
            start(&stream, &mut starts);
        }
        if too_big {
            return Err(std::io::Error::other("a key table over 4 GiB"));
        }
        w.u32(bits)?;
        let mut words = Vec::with_capacity(starts.len() * 4);
        for s in &starts {
            words.extend_from_slice(&s.to_le_bytes());
        }
        w.write(&words)?;
        w.write(&stream)?;
    }
    Ok(())
}

/// How many top bits of a hash pick its slot in a tier's table: about eight pairs a slot,
/// so that the table of slots costs half a byte a pair, and a look-up decodes a few.
fn slot_bits(pairs: usize) -> u32 {
    (usize::BITS - (pairs / 8).leading_zeros()).clamp(1, 26)
}

/// One tier's table of (key hash, place) pairs, read in place from its section: the
/// number of slot bits (u32), where each slot's pairs start in the stream ((2^bits + 1)
/// u32), then the stream of varint pairs. Nothing is unpacked when the store opens.
struct Tier {
    section: usize,
    shift: u32,
    slots: usize,
}

impl Tier {
    /// `None` when the section is not shaped as written.
    fn new(view: &super::format::View, section: usize) -> Option<Tier> {
        let bits = view.u32(section, 0)?;
        if !(1..=26).contains(&bits) {
            return None;
        }
        let slots = 1usize << bits;
        let stream = view.len(section)?.checked_sub(4 * (slots + 2))?;
        let last = view.u32(section, slots + 1)? as usize;
        (last == stream).then_some(Tier {
            section,
            shift: 32 - bits,
            slots,
        })
    }

    /// Where in the section the slot of hash `h` stands: the start of its pairs, then
    /// their end (the next slot's start).
    fn slot_at(&self, h: u32) -> usize {
        4 * (1 + (h >> self.shift) as usize)
    }

    /// Adds the places filed under hash `h` to `out`; `None` when the bytes read are not
    /// as written (a chunk that fails its check, a place past the store's count).
    fn get(
        &self,
        view: &super::format::View,
        h: u32,
        places: usize,
        out: &mut Vec<u32>,
    ) -> Option<()> {
        let slot = (h >> self.shift) as usize;
        // Where the slot's pairs start and end, in one checked read.
        let slot_at = self.slot_at(h);
        let bounds = view.get(self.section, slot_at..slot_at + 8)?;
        let word = |b: &[u8]| Some(u32::from_le_bytes(b.try_into().ok()?) as usize);
        let (from, to) = (word(&bounds[..4])?, word(&bounds[4..])?);
        let base = 4 * (self.slots + 2);
        let bytes = view.get(self.section, base.checked_add(from)?..base.checked_add(to)?)?;
        let (mut at, mut hash) = (0, ((slot as u64) << self.shift) as u32);
        while at < bytes.len() {
            let step = u32::try_from(varint(bytes, &mut at)?).ok()?;
            hash = hash.checked_add(step)?;
            let p = u32::try_from(varint(bytes, &mut at)?).ok()?;
            if p as usize >= places || hash >> self.shift != slot as u32 {
                return None;
            }
            match hash.cmp(&h) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => out.push(p),
                std::cmp::Ordering::Greater => break,
            }
        }
        Some(())
    }
}

/// The context the built-in store is written and opened under: its inputs are the
/// binary's own, so only the format and program versions (in every prelude) matter.
pub const BUILTIN_CONTEXT: u64 = 0;

/// The store of the built-in data as `build.rs` writes it, into memory: the same sections,
/// by the same code, as a store of `--data` files. `g` is the data with its twins merged.
pub fn builtin_bytes(g: &Gazetteer) -> std::io::Result<Vec<u8>> {
    let (matcher, near) = crate::matching::Matcher::with_near_keys(g);
    let mut w =
        super::format::Writer::new(std::io::Cursor::new(Vec::new()), KIND, BUILTIN_CONTEXT)?;
    write_to(&mut w, g, &matcher, Some(near))?;
    Ok(w.finish()?.into_inner())
}

impl Snapshot {
    /// The built-in store, compiled into the binary: `None` when it does not open and
    /// check whole (then the built-in data is read instead, as with `--no-cache`).
    pub fn builtin(bytes: &'static [u8]) -> Option<Snapshot> {
        let view =
            super::format::View::new(super::format::Bytes::Static(bytes), KIND, BUILTIN_CONTEXT)?;
        // Part of the binary: its chunks are not checked at every start, which would cost
        // more than most queries (see `View::trusted`; a test checks it whole).
        Snapshot::shaped(None, view.trusted())
    }

    /// Every chunk of the store checked now; false if any is damaged (for tests).
    pub fn check_all(&self) -> bool {
        // A fresh view of the same bytes: the trusted one answers every chunk as checked.
        match self.view.bytes() {
            super::format::Bytes::Static(b) => {
                super::format::View::new(super::format::Bytes::Static(b), KIND, BUILTIN_CONTEXT)
                    .is_some_and(|v| v.check_all(1))
            }
            _ => self.view.check_all(1),
        }
    }

    /// The store of these inputs in this context, if there is one and it is whole.
    pub fn open(dir: &Path, inputs: u64, context: u64) -> Option<Snapshot> {
        Snapshot::open_file(dir, inputs, context, Snapshot::from_view)
    }

    /// The store of these inputs in this context for one query (`lookup`, `at`): its
    /// envelope checked now, each chunk when first read (a query reads a few of them, and
    /// checking all would cost more than the answer). A chunk found damaged then is
    /// reported by the read as [`Damaged`], for the caller to read the data instead.
    pub fn open_for_query(dir: &Path, inputs: u64, context: u64) -> Option<Snapshot> {
        Snapshot::open_file(dir, inputs, context, Snapshot::shaped)
    }

    /// The store file of these inputs in this context, read by `check` (whole, or by its
    /// shape only); removed when it does not pass.
    fn open_file(
        dir: &Path,
        inputs: u64,
        context: u64,
        check: fn(Option<PathBuf>, super::format::View) -> Option<Snapshot>,
    ) -> Option<Snapshot> {
        let path = dir.join(file_name(inputs, context));
        let view = super::file::open(&path, KIND, context)?;
        let snapshot = check(Some(path.clone()), view);
        if snapshot.is_none() {
            super::file::remove(&path);
        }
        snapshot
    }

    /// A store's sections, checked whole; `None` when any check fails.
    pub fn from_view(path: Option<PathBuf>, view: super::format::View) -> Option<Snapshot> {
        // Every chunk is checked now, before any answer is written: damage found later
        // could only stop the run, where found now the data is read instead.
        if !view.check_all(2) {
            return None;
        }
        Snapshot::shaped(path, view)
    }

    /// A store's sections, each chunk checked when first read; `None` when the sections
    /// are not shaped as written.
    fn shaped(path: Option<PathBuf>, view: super::format::View) -> Option<Snapshot> {
        if view.sections() != 10 {
            return None;
        }
        let width = offset_width(view.len(0)? as u64);
        let places = (view.len(1)? / width).checked_sub(1)?;
        if view.len(1)? % width != 0 || u32::try_from(places).is_err() {
            return None;
        }
        super::near::Near::new(&view, 7, places as u64)?;
        let strings_bytes = view.section(2)?;
        let mut strings = Vec::new();
        let mut at = 0;
        while at < strings_bytes.len() {
            strings.push(Sym::new(text(strings_bytes, &mut at)?));
        }
        let tiers = [
            Tier::new(&view, 3)?,
            Tier::new(&view, 4)?,
            Tier::new(&view, 5)?,
            Tier::new(&view, 6)?,
        ];
        Some(Snapshot {
            path,
            narrow: width == 4,
            view,
            strings,
            places,
            tiers,
        })
    }

    /// The places queries with these keys could match, in any tier the keys cover (added
    /// to `out`, unsorted, possibly repeated); `Err` when the tables are found damaged.
    pub fn candidates(&self, keys: &[QueryKeys], out: &mut Vec<u32>) -> Result<(), Damaged> {
        // The lookups in hash order: nearby lookups share memory pages.
        let mut wanted: Vec<(u8, u32)> = Vec::with_capacity(keys.len() * 2);
        for k in keys {
            match *k {
                QueryKeys::Bare(h) => wanted.push((1, h)),
                QueryKeys::Keyed { folded, weaker } => {
                    wanted.push((0, folded));
                    if let Some((t, v)) = weaker {
                        wanted.extend([(0, t), (2, t), (3, v)]);
                    }
                }
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        // Each look-up's slot read ahead in a pass of its own (see `gazetteer`).
        let touched = wanted.iter().fold(0u8, |acc, &(t, h)| {
            let tier = &self.tiers[usize::from(t)];
            acc ^ self.view.touch(tier.section, tier.slot_at(h))
        });
        std::hint::black_box(touched);
        for (t, h) in wanted {
            self.tiers[usize::from(t)]
                .get(&self.view, h, self.places, out)
                .ok_or_else(|| Damaged(self.path.clone()))?;
        }
        Ok(())
    }

    /// The places that could have a name the fuzzy tier finds for `query` (see `near`),
    /// added to `out`; for `resolve --fuzzy`.
    pub fn near(&self, query: &str, out: &mut Vec<u32>) -> Result<(), Damaged> {
        let mut places = Vec::new();
        super::near::Near::new(&self.view, 7, self.places as u64)
            .and_then(|near| near.places(query, &mut places))
            .ok_or_else(|| Damaged(self.path.clone()))?;
        // Below `self.places`, which fits in a u32 (checked on opening).
        out.extend(places.into_iter().map(|p| p as u32));
        Ok(())
    }

    /// The given places (indices into the snapshot's gazetteer, in any order, repeats
    /// allowed) as a gazetteer of their own, in the snapshot's order, with a matcher.
    ///
    /// With `weaker` false, the matcher has only the strongest tier (exact and folded);
    /// with `complete` false, names have no source and no note (what `resolve` needs);
    /// with `fuzzy`, the matcher can search fuzzily: the names' keys are computed again,
    /// since the store keeps no sketches (`NameKeys::encode`). With `only`, the matcher
    /// answers only the queries of those keys ([`crate::matching::Matcher::for_queries`]),
    /// and not fuzzily.
    pub fn gazetteer(
        &self,
        mut places: Vec<u32>,
        (weaker, complete, fuzzy): (bool, bool, bool),
        only: Option<&crate::matching::KeySet>,
    ) -> Result<(Gazetteer, crate::matching::Matcher), Damaged> {
        places.sort_unstable();
        places.dedup();
        let damaged = || Damaged(self.path.clone());
        // (About three names a place: grown from there if need be.)
        let mut keys = Vec::with_capacity(places.len() * 3);
        let mut g = Gazetteer {
            places: Vec::with_capacity(places.len()),
        };
        // Where each record stands, then where it is, then a first touch of each: the
        // loads of each pass do not wait on one another, so the memory serves many at
        // once, where the decoding would wait for each record in turn (a cache miss for
        // each, over a big store).
        let width = self.offset_width();
        let touched = places.iter().fold(0u8, |acc, &p| {
            acc ^ self.view.touch(1, (p as usize).saturating_mul(width))
        });
        std::hint::black_box(touched);
        let mut records = Vec::with_capacity(places.len());
        for &p in &places {
            let p = p as usize;
            if p >= self.places {
                return Err(damaged());
            }
            records.push(self.record(p).ok_or_else(damaged)?);
        }
        let touched = records.iter().fold(0u8, |acc, r| {
            r.iter().step_by(64).fold(acc, |acc, b| acc ^ b)
        });
        std::hint::black_box(touched);
        for record in records {
            let place =
                decode_place(record, &self.strings, &mut keys, !complete).ok_or_else(damaged)?;
            g.places.push(place);
        }
        let mut keys = keys.into_iter();
        let keys = |name: &str| {
            let stored = keys.next().unwrap_or(NameKeys::Bare(0));
            if fuzzy { NameKeys::of(name) } else { stored }
        };
        let m = match only.filter(|_| !fuzzy) {
            Some(only) => crate::matching::Matcher::for_queries(&g, keys, weaker, only),
            None => crate::matching::Matcher::from_keys_in(&g, keys, weaker),
        };
        Ok((g, m))
    }

    /// The bytes of a record's offset (see [`offset_width`]).
    fn offset_width(&self) -> usize {
        if self.narrow { 4 } else { 8 }
    }

    /// The bytes of place `p`'s record; `None` when they are not as written.
    fn record(&self, p: usize) -> Option<&[u8]> {
        // Both bounds in one read (each read checks its range and chunks).
        let width = self.offset_width();
        let at = p.checked_mul(width)?;
        let bounds = self.view.get(1, at..at.checked_add(2 * width)?)?;
        let (from, to) = bounds.split_at(width);
        let offset = |b: &[u8]| -> Option<usize> {
            match *b {
                [a, b, c, d] => Some(u32::from_le_bytes([a, b, c, d]) as usize),
                _ => usize::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok(),
            }
        };
        self.view.get(0, offset(from)?..offset(to)?)
    }

    /// The id of place `p`, read off the start of its record.
    pub fn place_id(&self, p: u32) -> Result<&str, Damaged> {
        let damaged = || Damaged(self.path.clone());
        if p as usize >= self.places {
            return Err(damaged());
        }
        let record = self.record(p as usize).ok_or_else(damaged)?;
        text(record, &mut 0).ok_or_else(damaged)
    }

    /// How many places the store holds.
    pub fn places(&self) -> usize {
        self.places
    }

    /// The strings the places share: their languages, types, countries and file names.
    pub fn shared_strings(&self) -> impl Iterator<Item = &str> {
        self.strings.iter().map(|s| &**s)
    }

    /// Removes a store found damaged, so that the next run makes a new one (the built-in
    /// store is part of the binary, and stays).
    pub fn remove(d: &Damaged) {
        if let Some(path) = &d.0 {
            super::file::remove(path);
        }
    }
}

/// For [`super::fuzz_one`]: a few queries answered from a store, whatever it holds.
pub fn fuzz_answers(view: super::format::View) {
    let Some(snap) = Snapshot::from_view(None, view) else {
        return;
    };
    for q in ["Stalingrad", "Kirov", "...", "a"] {
        let mut places = Vec::new();
        let _ = snap.candidates(&[crate::matching::Query::new(q).keys(true)], &mut places);
        let _ = snap.near(q, &mut places);
        places.extend(0..snap.places.min(64) as u32);
        if let Ok((g, m)) = snap.gazetteer(places, (true, true, true), None) {
            let found = crate::query::lookup(&g, &m, q, &crate::query::Filter::default());
            std::hint::black_box(found.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place of the built-in data comes back from a snapshot as it went in, with
    /// every name's keys as the matcher computes them.
    #[test]
    fn every_builtin_place_comes_back_whole() {
        let g = crate::testdata::curated();
        let (m, near) = crate::matching::Matcher::with_near_keys(&g);
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), 1, 2, &g, &m, Some(near)).unwrap();
        assert!(
            Snapshot::open(dir.path(), 1, 3).is_none(),
            "another context"
        );
        let snap = Snapshot::open(dir.path(), 1, 2).expect("the snapshot just written");
        let all: Vec<u32> = (0..g.places.len() as u32).rev().collect();
        let (back, back_m) = snap
            .gazetteer(all.clone(), (true, true, false), None)
            .unwrap();
        assert_eq!(back, g);
        let keys: Vec<Vec<NameKeys>> = g
            .places
            .iter()
            .map(|p| p.names.iter().map(|n| NameKeys::of(&n.name)).collect())
            .collect();
        // The stored keys: all but the sketches, which only fuzzy search reads.
        let unsketched: Vec<Vec<NameKeys>> = keys
            .iter()
            .map(|p| {
                p.iter()
                    .map(|k| match *k {
                        NameKeys::Keyed {
                            folded,
                            translit,
                            variant,
                            ..
                        } => NameKeys::Keyed {
                            folded,
                            translit,
                            variant,
                            sketch: Default::default(),
                        },
                        bare => bare,
                    })
                    .collect()
            })
            .collect();
        assert_eq!(back_m.name_keys(&back), unsketched);
        // For fuzzy search, every key, sketches too.
        let (_, fuzzy_m) = snap
            .gazetteer(all.clone(), (true, true, true), None)
            .unwrap();
        assert_eq!(fuzzy_m.name_keys(&back), keys);
        // Lean, as resolve reads them: the same but for sources and notes.
        let (lean, _) = snap.gazetteer(all, (true, false, false), None).unwrap();
        let mut expected = g.clone();
        for p in &mut expected.places {
            p.same_as.clear();
            for n in &mut p.names {
                n.source = Default::default();
                n.note = "".into();
            }
        }
        assert_eq!(lean, expected);
        // A few places, in any order and repeated: the snapshot's order, once each.
        let (some, _) = snap
            .gazetteer(vec![9, 3, 9, 0], (false, true, false), None)
            .unwrap();
        let ids: Vec<&str> = some.places.iter().map(|p| p.id.as_str()).collect();
        let want: Vec<&str> = [0, 3, 9].iter().map(|&i| g.places[i].id.as_str()).collect();
        assert_eq!(ids, want);
    }

    /// The places a query's keys lead to include every place the matcher finds for it.
    #[test]
    fn candidates_cover_what_the_matcher_finds() {
        let g = crate::testdata::curated();
        let m = crate::matching::Matcher::new(&g);
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), 1, 2, &g, &m, None).unwrap();
        let snap = Snapshot::open(dir.path(), 1, 2).unwrap();
        for q in [
            "Stalingrad",
            "stalingrad",
            "Сталинград",
            "Sankt-Peterburg",
            "Zarizyn",
            "Koenigsberg",
            "Kirov",
        ] {
            let found: Vec<u32> = m.find(&g, q).iter().map(|f| f.place as u32).collect();
            assert!(!found.is_empty(), "{q}");
            let mut places = Vec::new();
            snap.candidates(&[crate::matching::Query::new(q).keys(true)], &mut places)
                .unwrap();
            for p in found {
                assert!(places.contains(&p), "{q}: {p} not among {places:?}");
            }
        }
    }

    /// A place found: its id and every name, as debug text.
    type Answer = (String, Vec<String>);

    /// The answers of some queries from a store's places, per query.
    fn answers(snap: &Snapshot) -> Option<Vec<Vec<Answer>>> {
        let mut out = Vec::new();
        for q in [
            "Stalingrad",
            "Сталинград",
            "Zarizyn",
            "Koenigsberg",
            "Kirov",
            "Nowhere",
            "Stalngrad",
        ] {
            let mut places = Vec::new();
            snap.candidates(&[crate::matching::Query::new(q).keys(true)], &mut places)
                .ok()?;
            snap.near(q, &mut places).ok()?;
            let (g, m) = snap.gazetteer(places, (true, true, true), None).ok()?;
            let found = crate::query::lookup(&g, &m, q, &crate::query::Filter::default());
            let mut answer: Vec<Answer> = found
                .iter()
                .map(|f| {
                    let names = f.place.names.iter().map(|n| format!("{n:?}")).collect();
                    (f.place.id.clone(), names)
                })
                .collect();
            answer.push(("suggested".into(), m.suggest(&g, q, 3, &|_| true)));
            out.push(answer);
        }
        Some(out)
    }

    /// A store written with the near keys the matcher's build kept is the store that
    /// works them out itself, byte for byte; near keys not one per name are not used.
    #[test]
    fn near_keys_kept_from_the_matcher_make_the_same_store() {
        let g = crate::twins::merge(crate::testdata::curated(), crate::testdata::links());
        let bytes = |near: Option<crate::matching::NearKeys>| {
            let m = crate::matching::Matcher::new(&g);
            let mut w =
                super::super::format::Writer::new(std::io::Cursor::new(Vec::new()), KIND, 5)
                    .unwrap();
            write_to(&mut w, &g, &m, near).unwrap();
            w.finish().unwrap().into_inner()
        };
        let worked_out = bytes(None);
        let (_, near) = crate::matching::Matcher::with_near_keys(&g);
        assert!(near.near.iter().filter(|k| k.is_some()).count() > 10_000);
        assert!(bytes(Some(near)) == worked_out);
        let short = crate::matching::NearKeys {
            near: vec![Some((0, "x".to_string()))],
            keys: Vec::new(),
        };
        assert!(bytes(Some(short)) == worked_out);
        // Keys kept but not one per name are not used either: the store is the same.
        let (_, mut near) = crate::matching::Matcher::with_near_keys(&g);
        near.keys.pop();
        assert!(bytes(Some(near)) == worked_out);
    }

    /// #17: a bit flipped anywhere in a store (1,000 positions spread over it) either
    /// leaves the answers as they were or has the store refused on opening; never a
    /// wrong answer, a panic or an abort.
    #[test]
    fn a_flipped_bit_never_gives_a_wrong_answer() {
        // Twins merged, as every command loads them (#18): Stalingrad is one place.
        let g = crate::twins::merge(crate::testdata::curated(), crate::testdata::links());
        let m = crate::matching::Matcher::new(&g);
        let mut w =
            super::super::format::Writer::new(std::io::Cursor::new(Vec::new()), KIND, 5).unwrap();
        write_to(&mut w, &g, &m, None).unwrap();
        let good = w.finish().unwrap().into_inner();
        let open = |bytes: Vec<u8>| {
            let view = super::super::format::View::new(
                super::super::format::Bytes::Owned(bytes),
                KIND,
                5,
            )?;
            Snapshot::from_view(None, view)
        };
        let want = answers(&open(good.clone()).unwrap()).unwrap();
        assert!(want[0].len() == 2 && want[5].len() == 1, "{want:?}");
        assert_eq!(want[6][0].1, ["Stalingrad"], "{want:?}");
        let bits = good.len() * 8;
        let (mut refused, mut tried) = (0, 0);
        for k in 0..1_000 {
            let bit = k * (bits / 1_000) + k % 8;
            let mut bad = good.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            tried += 1;
            match open(bad) {
                None => refused += 1,
                Some(snap) => assert_eq!(answers(&snap).as_ref(), Some(&want), "bit {bit}"),
            }
        }
        assert_eq!(tried, 1_000);
        // Only flips in the padding between sections can go unnoticed.
        assert!(refused > 990, "{refused} refused");
    }

    /// The fuzz target's reading of arbitrary bytes, on a real store cut up and on bits
    /// of noise: no panic.
    #[test]
    fn arbitrary_bytes_as_a_store_do_not_panic() {
        let g = crate::testdata::curated();
        let m = crate::matching::Matcher::new(&g);
        let mut w =
            super::super::format::Writer::new(std::io::Cursor::new(Vec::new()), KIND, 0).unwrap();
        write_to(&mut w, &g, &m, None).unwrap();
        let good = w.finish().unwrap().into_inner();
        super::super::fuzz_one(&good);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for round in 0..200 {
            let mut b: Vec<u8> = good[64..64 + 4000].to_vec();
            for _ in 0..20 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state as usize) % b.len();
                b[at] = (state >> 32) as u8;
                if round % 3 == 0 {
                    b[at] = 0xFF;
                    if at + 1 < b.len() {
                        b[at + 1] = 0;
                    }
                }
            }
            super::super::fuzz_one(&b);
        }
    }
}
