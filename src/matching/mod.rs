//! Name matching: which places bore a name the user typed.
//!
//! Owns the one interface every command uses to turn typed text into places:
//! [`Matcher::find`] and [`Matcher::suggest`]. Tiers, strongest first; the first tier
//! that finds a place wins:
//!
//! 1. exact or folded (case, diacritics, punctuation and spacing ignored): one tier for
//!    choosing places, so that homonyms differing only in accents are all shown, each
//!    labelled with how it matched;
//! 2. transliterated: both sides in Latin letters (`Сталинград` = `Stalingrad`);
//! 3. spelling variants: German, French and English conventions made one
//!    (`Ordschonikidse` = `Ordzhonikidze`, `Koenigsberg` = `Königsberg`, `St.` = `Saint`);
//! 4. fuzzy (edit distance scaled to length): never answers by itself; it makes the
//!    suggestions of a miss, and answers only when the user asks (`--fuzzy`).

pub use crate::fold::fold;
use crate::model::Gazetteer;
use crate::spelling::{translit_key, variant_key};

/// How a typed name met a name in the data. Ordered from strongest to weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The very same text.
    Exact,
    /// The same once case, diacritics, punctuation and spacing are ignored.
    Folded,
    /// The same once both are written in Latin letters.
    Transliterated,
    /// The same under the spelling conventions of another language.
    Variant,
    /// Close in spelling: a few letters apart.
    Fuzzy,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Folded => "folded",
            MatchKind::Transliterated => "transliterated",
            MatchKind::Variant => "variant",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

/// One place that bore a matching name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index into `Gazetteer::places`.
    pub place: usize,
    pub how: MatchKind,
    /// The place's names (indices into `Place::names`) that matched, in the best tier.
    pub names: Vec<u32>,
}

/// A name's key hash and where it stands: (hash, place index, name index).
type Entry = (u32, u32, u32);

/// The same with a sketch of the key for the fuzzy prefilter:
/// (hash, sketch, place index, name index).
type Sketched = (u32, Sketch, u32, u32);

/// What the fuzzy prefilter knows of a key: its letters and its pairs of neighbouring
/// characters (each hashed to one of 26 bits), and its length (6 bits, at most 63).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Sketch {
    letters: u32,
    pairs: u32,
}

/// Entries of a table: sorted by their first field, a key's hash.
pub(crate) trait Keyed: Copy + Ord {
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

/// An index of every name of a gazetteer under the keys of each tier (transliteration
/// only for names that are not ASCII, whose key it changes).
#[derive(Debug, Default)]
pub struct Matcher {
    /// Every name under its folded key; an exact match is found among these, since equal
    /// names have equal keys.
    folded: Table<Entry>,
    /// Names that fold to nothing (punctuation only), under their own text: they can
    /// match only exactly.
    bare: Table<Entry>,
    /// Names whose transliterated key differs from their folded key.
    translit: Table<Entry>,
    /// Every name under its variant key, with a sketch of that key for fuzzy search.
    variant: Table<Sketched>,
    /// False when only the strongest tier was filed ([`Matcher::from_keys_in`]): a query
    /// it does not settle is not looked up in the weaker tiers, which would find nothing
    /// (or less than the whole answer).
    weaker: bool,
}

/// Entries sorted by hash, with a directory on the hash's top bits: a lookup reads one
/// directory slot and then, nearly always, one entry. A plain binary search over
/// millions of entries cost a cache miss per step, and was most of `resolve`'s time.
#[derive(Debug)]
pub(crate) struct Table<E> {
    entries: Vec<E>,
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
    pub(crate) fn new(mut entries: Vec<E>) -> Table<E> {
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
    pub(crate) fn touch(&self, h: u32) -> u32 {
        if self.entries.is_empty() {
            return 0;
        }
        self.dir[(h >> self.shift) as usize]
    }

    /// The entries with this hash.
    pub(crate) fn get(&self, h: u32) -> &[E] {
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

fn hash(s: &str) -> u32 {
    (crate::hash::hash_str(s) >> 32) as u32
}

fn sketch(key: &str) -> Sketch {
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

/// A name's keys under every tier, as the matcher files it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKeys {
    /// A name that folds to nothing: filed under its own text.
    Bare(u32),
    Keyed {
        folded: u32,
        /// Only when the transliterated key differs from the folded one.
        translit: Option<u32>,
        variant: u32,
        sketch: Sketch,
    },
}

impl NameKeys {
    pub(crate) fn of(name: &str) -> NameKeys {
        let key = fold(name);
        if key.is_empty() {
            return NameKeys::Bare(hash(name));
        }
        let folded = hash(&key);
        let (t, translit) = if name.is_ascii() {
            (key, None)
        } else {
            let t = translit_key(name);
            let h = (t != key && !t.is_empty()).then(|| hash(&t));
            (t, h)
        };
        let v = variant_key(&t);
        NameKeys::Keyed {
            folded,
            translit,
            variant: hash(&v),
            sketch: sketch(&v),
        }
    }

    /// Appends the keys in the binary form of the resolve cache (`crate::snapshot`).
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        match *self {
            NameKeys::Bare(h) => {
                out.push(0);
                out.extend_from_slice(&h.to_le_bytes());
            }
            NameKeys::Keyed {
                folded,
                translit,
                variant,
                sketch,
            } => {
                out.push(1 + u8::from(translit.is_some()));
                for v in [folded, variant, sketch.letters, sketch.pairs]
                    .into_iter()
                    .chain(translit)
                {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }

    /// Reads back what [`NameKeys::encode`] wrote at `bytes[*at..]`, moving `at` past it.
    pub(crate) fn decode(bytes: &[u8], at: &mut usize) -> Option<NameKeys> {
        let tag = *bytes.get(*at)?;
        *at += 1;
        let mut word = || {
            let b = bytes.get(*at..*at + 4)?;
            *at += 4;
            Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        match tag {
            0 => Some(NameKeys::Bare(word()?)),
            1 | 2 => {
                let (folded, variant, letters, pairs) = (word()?, word()?, word()?, word()?);
                let translit = if tag == 2 { Some(word()?) } else { None };
                Some(NameKeys::Keyed {
                    folded,
                    translit,
                    variant,
                    sketch: Sketch { letters, pairs },
                })
            }
            _ => None,
        }
    }
}

/// The keys a typed name is looked up under, tier by tier: what a place must have among
/// its [`NameKeys`] to be found at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryKeys {
    /// A query that folds to nothing matches bare names only.
    Bare(u32),
    Keyed {
        folded: u32,
        /// `None` when the query has no Latin letters at all: then only the folded tier runs.
        weaker: Option<(u32, u32)>,
    },
}

/// A name as typed, with the keys it is looked up under, each worked out once: the
/// folded key at once, the transliterated and variant keys only when a weaker tier is
/// reached (`resolve` looks a name up twice, and these cost more than the look-up).
#[derive(Debug)]
pub struct Query<'q> {
    /// The name, trimmed.
    text: &'q str,
    key: String,
    weaker: std::cell::OnceCell<(String, String)>,
}

impl<'q> Query<'q> {
    pub fn new(text: &'q str) -> Query<'q> {
        let text = text.trim();
        Query {
            text,
            key: fold(text),
            weaker: std::cell::OnceCell::new(),
        }
    }

    /// The name, trimmed.
    pub fn text(&self) -> &'q str {
        self.text
    }

    /// The transliterated key and its variant key.
    fn weaker(&self) -> &(String, String) {
        self.weaker.get_or_init(|| {
            let t = translit_key(self.text);
            let v = variant_key(&t);
            (t, v)
        })
    }

    /// The strongest tier's key only, or with `weaker` every tier's.
    pub(crate) fn keys(&self, weaker: bool) -> QueryKeys {
        if self.key.is_empty() {
            return QueryKeys::Bare(hash(self.text));
        }
        let folded = hash(&self.key);
        let weaker = weaker
            .then(|| self.weaker())
            .filter(|(t, _)| !t.is_empty())
            .map(|(t, v)| (hash(t), hash(v)));
        QueryKeys::Keyed { folded, weaker }
    }
}

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
    pub(crate) fn from_keys(g: &Gazetteer, keys: impl FnMut(&str) -> NameKeys) -> Self {
        Matcher::from_keys_in(g, keys, true)
    }

    /// [`Matcher::from_keys`], with only the strongest tier (exact and folded) when
    /// `weaker` is false: no transliterated or variant names are filed, and a query not
    /// found in that tier finds nothing (callers look such queries up again in a whole
    /// matcher; only exact and folded answers are final).
    pub(crate) fn from_keys_in(
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

    /// Each tier's (key hash, place) pairs, sorted, each once, as the resolve cache stores
    /// them (`crate::snapshot`): tier 0 folded, 1 bare, 2 transliterated, 3 variant. Read
    /// off the sorted tables, instead of gathered and sorted again.
    pub(crate) fn tier_pairs(&self, tier: usize, mut each: impl FnMut(u32, u32)) {
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
    pub(crate) fn name_keys(&self, g: &Gazetteer) -> Vec<Vec<NameKeys>> {
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

    /// Reads, for a batch of queries about to be looked up, the memory their strongest
    /// tier will visit: the table slots, then the places and names they lead to. Each
    /// pass issues its loads all at once, where a look-up waits for each in turn (a table
    /// slot, a place, its names, a name's text: a cache miss each over a big gazetteer).
    /// Returns a value only so that the reads are not optimized away.
    pub(crate) fn touch(&self, g: &Gazetteer, keys: &[QueryKeys]) -> u64 {
        let hashes = || {
            keys.iter().filter_map(|k| match *k {
                QueryKeys::Keyed { folded, .. } => Some(folded),
                QueryKeys::Bare(_) => None,
            })
        };
        let mut seen = hashes().fold(0u64, |acc, h| acc ^ u64::from(self.folded.touch(h)));
        for h in hashes() {
            for e in self.folded.get(h) {
                let place = &g.places[e.1 as usize];
                seen ^= place.names.len() as u64;
            }
        }
        // Every name of those places: the answer reads their dates and languages too.
        for h in hashes() {
            for e in self.folded.get(h) {
                for n in &g.places[e.1 as usize].names {
                    seen ^= u64::from(n.name.as_bytes().first().copied().unwrap_or(0))
                        ^ u64::from(n.end.is_some());
                }
            }
        }
        seen
    }

    /// Every place that bore the name, in gazetteer (id) order, each with how its best
    /// name matched, from the strongest tier that found any.
    pub fn find(&self, g: &Gazetteer, query: &str) -> Vec<Match> {
        self.find_where(g, &Query::new(query), &|_| true)
    }

    /// [`Matcher::find`] among the places `admit` accepts (by index): a tier that finds
    /// only other places does not stop the search.
    pub fn find_where(
        &self,
        g: &Gazetteer,
        q: &Query,
        admit: &dyn Fn(usize) -> bool,
    ) -> Vec<Match> {
        let (query, key) = (q.text, &q.key);
        let name_of = |p: u32, n: u32| g.places[p as usize].names[n as usize].name.as_ref();
        let mut hits: Vec<(u32, MatchKind, u32)> = Vec::new();
        if key.is_empty() {
            for e in self.bare.get(hash(query)) {
                if admit(e.1 as usize) && name_of(e.1, e.2) == query {
                    hits.push((e.1, MatchKind::Exact, e.2));
                }
            }
            return group(hits);
        }
        for e in self.folded.get(hash(key)) {
            if !admit(e.1 as usize) {
                continue;
            }
            let name = name_of(e.1, e.2);
            if name == query {
                hits.push((e.1, MatchKind::Exact, e.2));
            } else if fold(name) == *key {
                hits.push((e.1, MatchKind::Folded, e.2));
            }
        }
        if !hits.is_empty() || !self.weaker {
            return group(hits);
        }
        let (t, v) = q.weaker();
        if t.is_empty() {
            return Vec::new();
        }
        for table in [&self.folded, &self.translit] {
            for e in table.get(hash(t)) {
                if admit(e.1 as usize) && translit_key(name_of(e.1, e.2)) == *t {
                    hits.push((e.1, MatchKind::Transliterated, e.2));
                }
            }
        }
        if !hits.is_empty() {
            return group(hits);
        }
        for e in self.variant.get(hash(v)) {
            if admit(e.2 as usize) && variant_key(&translit_key(name_of(e.2, e.3))) == *v {
                hits.push((e.2, MatchKind::Variant, e.3));
            }
        }
        group(hits)
    }

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
        let key = variant_key(&translit_key(query));
        let q: Vec<char> = key.chars().collect();
        if q.is_empty() || q.len() > 64 {
            return Vec::new();
        }
        let sk = sketch(&key);
        // Closest first: one edit, then more only while nothing was found, up to a
        // fifth of the length (at most three): the prefilter is sharpest, and a scan
        // cheapest, at small distances.
        let mut out = Vec::new();
        let mut rows = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for limit in 1..=(q.len() / 5).clamp(1, 3) {
            out.clear();
            for &(_, s, p, n) in &self.variant.entries {
                if !could_be_near(sk, s, limit as u32) || !admit(p as usize) {
                    continue;
                }
                let name = &g.places[p as usize].names[n as usize].name;
                let k = variant_key(&translit_key(name));
                rows.3.clear();
                rows.3.extend(k.chars());
                let buffers = (&mut rows.0, &mut rows.1, &mut rows.2);
                if let Some(d) = bounded_levenshtein(&q, &rows.3, limit, buffers) {
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

/// Hits grouped by place, in place order, each with its best tier's names.
fn group(mut hits: Vec<(u32, MatchKind, u32)>) -> Vec<Match> {
    hits.sort_unstable();
    let mut out: Vec<Match> = Vec::new();
    for (place, how, name) in hits {
        match out.last_mut() {
            Some(m) if m.place == place as usize => {
                if how == m.how {
                    m.names.push(name);
                }
            }
            _ => out.push(Match {
                place: place as usize,
                how,
                names: vec![name],
            }),
        }
    }
    out
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

    proptest! {
        #[test]
        fn keys_are_idempotent(s in "\\PC{0,24}") {
            let f = fold(&s);
            prop_assert_eq!(fold(&f), f.clone());
            let t = translit_key(&s);
            prop_assert_eq!(translit_key(&t), t.clone());
            prop_assert!(t.is_ascii());
        }
    }

    /// Every built-in name leads back to its place through each tier's key: the name
    /// itself, its folded key, its transliteration, and its variant key. Each place is
    /// matched alone, since a stronger tier may rightly find another place first.
    #[test]
    fn every_builtin_name_finds_its_place_through_every_tier() {
        let all = crate::builtin::gazetteer();
        let mut failures = Vec::new();
        for place in &all.places {
            let one = Gazetteer {
                places: vec![place.clone()],
            };
            let m = Matcher::new(&one);
            for n in &place.names {
                let t = translit_key(&n.name);
                let queries = [
                    (n.name.to_string(), MatchKind::Exact),
                    (fold(&n.name), MatchKind::Folded),
                    (t.clone(), MatchKind::Transliterated),
                    (variant_key(&t), MatchKind::Variant),
                ];
                for (q, weakest) in queries {
                    if fold(&q).is_empty() {
                        continue;
                    }
                    let found = m.find(&one, &q);
                    if found.first().is_none_or(|f| f.how > weakest) {
                        failures.push(format!("{} ({}): {q:?} -> {found:?}", n.name, place.id));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Keys worked out on several threads, block by block, are filed under the names
    /// they belong to: the same tables as one thread makes, whatever the blocks.
    #[test]
    fn keys_worked_out_on_threads_land_on_their_names() {
        let g = crate::builtin::gazetteer();
        let alone = Matcher::from_keys(&g, NameKeys::of).name_keys(&g);
        for (threads, block) in [(2, 1), (3, 7), (4, 1000), (2, 100_000)] {
            let m = Matcher::on_threads(&g, threads, block);
            assert!(
                m.name_keys(&g) == alone,
                "{threads} threads, blocks of {block}"
            );
        }
    }

    /// The pairs the resolve cache stores, read off the tables, are every name's keys
    /// with its place, sorted, each once.
    #[test]
    fn tier_pairs_are_every_names_keys_sorted_once() {
        let g = crate::builtin::gazetteer();
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
