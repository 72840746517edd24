//! The keys a name is filed and looked up under, one per tier, and their binary form
//! in the resolve cache.

use super::fold;
use super::fuzzy::{Sketch, sketch};
use crate::spelling::{loose_key, translit_key, variant_key};

pub(super) fn hash(s: &str) -> u32 {
    (crate::hash::hash_str(s) >> 32) as u32
}

/// A name's keys under every tier, as the matcher files it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKeys {
    /// A name that folds to nothing: filed under its own text.
    Bare(u32),
    Keyed {
        folded: u32,
        /// Only when the transliterated key differs from the folded one.
        translit: Option<u32>,
        /// Of the loose key of the variant key (`crate::spelling::loose_key`), which
        /// files under one hash the names that variant tier compares.
        variant: u32,
        sketch: Sketch,
    },
}

impl NameKeys {
    pub fn of(name: &str) -> NameKeys {
        NameKeys::with_near_key(name).0
    }

    /// [`NameKeys::of`], and the name's near key ([`super::near_key`]) with the hash a
    /// store files it under (the low half of its loose key's hash, whose high half is the
    /// variant key's), both worked out on the way: a store's table of near keys takes
    /// them from here, not again.
    pub fn with_near_key(name: &str) -> (NameKeys, Option<(u32, String)>) {
        let key = fold(name);
        if key.is_empty() {
            return (NameKeys::Bare(hash(name)), None);
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
        let loose = crate::hash::hash_str(&loose_key(&v));
        let keys = NameKeys::Keyed {
            folded,
            translit,
            variant: (loose >> 32) as u32,
            sketch: sketch(&v),
        };
        (keys, Some((loose as u32, v)))
    }

    /// Appends the keys in the binary form of the resolve cache (`crate::store::places`).
    ///
    /// The sketch is not kept: only fuzzy search reads it, and it was half of every
    /// name's keys in a store (#17: the store no bigger than the CSV). A store's reader
    /// that will search fuzzily computes the keys from the name instead.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match *self {
            NameKeys::Bare(h) => {
                out.push(0);
                out.extend_from_slice(&h.to_le_bytes());
            }
            NameKeys::Keyed {
                folded,
                translit,
                variant,
                sketch: _,
            } => {
                out.push(1 + u8::from(translit.is_some()));
                for v in [folded, variant].into_iter().chain(translit) {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }

    /// Reads back what [`NameKeys::encode`] wrote at `bytes[*at..]`, moving `at` past it.
    /// The sketch, which the store does not keep, is empty: a matcher of these keys must
    /// not search fuzzily.
    pub fn decode(bytes: &[u8], at: &mut usize) -> Option<NameKeys> {
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
                let (folded, variant) = (word()?, word()?);
                let translit = if tag == 2 { Some(word()?) } else { None };
                Some(NameKeys::Keyed {
                    folded,
                    translit,
                    variant,
                    sketch: Sketch::default(),
                })
            }
            _ => None,
        }
    }
}

/// The keys a typed name is looked up under, tier by tier: what a place must have among
/// its [`NameKeys`] to be found at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKeys {
    /// A query that folds to nothing matches bare names only.
    Bare(u32),
    Keyed {
        folded: u32,
        /// `None` when the query has no Latin letters at all: then only the folded tier runs.
        weaker: Option<(u32, u32)>,
    },
}

/// The hashes some queries look names up under, as a set of their low bits: a matcher
/// made for just these queries files only the names whose keys could answer one
/// ([`super::Matcher::for_queries`]). A name kept in vain (another hash with the same low
/// bits) costs only its slot; a name left out is never one a query would find.
#[derive(Debug, Clone)]
pub struct KeySet(Box<[u64; KeySet::WORDS]>);

impl KeySet {
    const WORDS: usize = 64;
    const MASK: u32 = (Self::WORDS * 64 - 1) as u32;

    /// Every hash these keys look up, in every tier they reach.
    pub fn of(keys: &[QueryKeys]) -> KeySet {
        let mut set = KeySet(Box::new([0; Self::WORDS]));
        for k in keys {
            match *k {
                QueryKeys::Bare(h) => set.insert(h),
                QueryKeys::Keyed { folded, weaker } => {
                    set.insert(folded);
                    if let Some((t, v)) = weaker {
                        set.insert(t);
                        set.insert(v);
                    }
                }
            }
        }
        set
    }

    fn insert(&mut self, h: u32) {
        let b = h & Self::MASK;
        self.0[(b / 64) as usize] |= 1 << (b % 64);
    }

    /// Whether a name filed under `h` could be looked up by one of the keys (true also
    /// for some that cannot: only the low bits are compared).
    pub fn may_hold(&self, h: u32) -> bool {
        let b = h & Self::MASK;
        self.0[(b / 64) as usize] & (1 << (b % 64)) != 0
    }
}

/// The keys of a typed name's weaker tiers: transliterated, variant, and the variant's
/// loose key.
#[derive(Debug)]
pub(super) struct Weaker {
    pub(super) translit: String,
    pub(super) variant: String,
    pub(super) loose: String,
}

/// A name as typed, with the keys it is looked up under, each worked out once: the
/// folded key at once, the transliterated and variant keys only when a weaker tier is
/// reached (`resolve` looks a name up twice, and these cost more than the look-up).
#[derive(Debug)]
pub struct Query<'q> {
    /// The name, trimmed.
    pub(super) text: &'q str,
    pub(super) key: String,
    weaker: std::cell::OnceCell<Weaker>,
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

    /// The transliterated key, its variant key and the variant's loose key.
    pub(super) fn weaker(&self) -> &Weaker {
        self.weaker.get_or_init(|| {
            let translit = translit_key(self.text);
            let variant = variant_key(&translit);
            let loose = loose_key(&variant);
            Weaker {
                translit,
                variant,
                loose,
            }
        })
    }

    /// The strongest tier's key only, or with `weaker` every tier's.
    pub fn keys(&self, weaker: bool) -> QueryKeys {
        if self.key.is_empty() {
            return QueryKeys::Bare(hash(self.text));
        }
        let folded = hash(&self.key);
        let weaker = weaker
            .then(|| self.weaker())
            .filter(|w| !w.translit.is_empty())
            .map(|w| (hash(&w.translit), hash(&w.loose)));
        QueryKeys::Keyed { folded, weaker }
    }
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
}
