//! The loaded gazetteer: places and the dated names they bore.
//!
//! Owns the in-memory shape every later step works on. It holds validated values only
//! (dates parsed, coordinates checked): building it is the job of `validate`, and it
//! does no I/O and no matching.

use crate::date::{Date, Window};
use chrono::NaiveDate;

/// A string that many rows share (a language, a place type, a country, a file name):
/// interned once per process and never freed, so that a copy is free. These were
/// `Arc<str>`s, and the atomic count of each copy and drop was about 7% of `resolve`'s
/// time on a store (a few copies for every name of every place answered).
///
/// Their number is bounded by the distinct values of the data read (a handful of
/// languages and types, one name per file), which stay in memory for the run anyway.
#[derive(Clone, Copy)]
pub struct Sym(&'static str);

impl Sym {
    pub fn new(s: &str) -> Sym {
        static TABLE: std::sync::LazyLock<
            std::sync::Mutex<std::collections::HashSet<&'static str>>,
        > = std::sync::LazyLock::new(Default::default);
        // A poisoned lock still holds a valid set: nothing panics while it is held.
        let mut table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&known) = table.get(s) {
            return Sym(known);
        }
        let leaked: &'static str = Box::leak(Box::from(s));
        table.insert(leaked);
        Sym(leaked)
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl std::ops::Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl std::borrow::Borrow<str> for Sym {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl PartialEq for Sym {
    fn eq(&self, other: &Sym) -> bool {
        // Interned: equal strings are one allocation (compared by text all the same).
        std::ptr::eq(self.0, other.0) || self.0 == other.0
    }
}

impl Eq for Sym {}

impl PartialEq<str> for Sym {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl std::hash::Hash for Sym {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.hash(h)
    }
}

impl PartialOrd for Sym {
    fn partial_cmp(&self, other: &Sym) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Sym {
    fn cmp(&self, other: &Sym) -> std::cmp::Ordering {
        self.0.cmp(other.0)
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Where a row came from, so that every later message can point back at it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// The file name as the user gave it (`-` is shown as `<stdin>`), or `data/x.csv` for built-in data.
    pub file: Sym,
    /// 1-based line number of the row's first line.
    pub line: u64,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What standing a name had: the `kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum NameKind {
    /// The official name in an official language (the default).
    #[default]
    Official,
    /// The name another language uses for the place (German "Breslau" after 1945).
    Exonym,
    /// Another spelling or romanization ("Kharkov" beside "Kharkiv").
    Variant,
    /// A historic name still met in records, not official at the time.
    Historical,
}

impl NameKind {
    pub const ALL: [NameKind; 4] = [
        NameKind::Official,
        NameKind::Exonym,
        NameKind::Variant,
        NameKind::Historical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Official => "official",
            NameKind::Exonym => "exonym",
            NameKind::Variant => "variant",
            NameKind::Historical => "historical",
        }
    }

    /// Reads a `kind` cell; empty is official.
    pub fn parse(s: &str) -> Option<NameKind> {
        if s.is_empty() {
            return Some(NameKind::Official);
        }
        NameKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }
}

/// A name's source, shared with the other rows that cite the same page; or none, for a
/// name decoded without its source (`resolve` shows none), which reads as empty. Leaving
/// it out spares `resolve` an atomic count for each name decoded and dropped, where even
/// a shared empty `Arc` cost one.
#[derive(Debug, Clone, Default)]
pub struct Cited(Option<std::sync::Arc<str>>);

impl From<std::sync::Arc<str>> for Cited {
    fn from(source: std::sync::Arc<str>) -> Cited {
        Cited(Some(source))
    }
}

impl std::ops::Deref for Cited {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
}

/// Sources compare by their text: one left out equals an empty one.
impl PartialEq for Cited {
    fn eq(&self, other: &Cited) -> bool {
        **self == **other
    }
}

impl std::fmt::Display for Cited {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// One name of one place over one period: a row of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct NameRecord {
    pub name: Box<str>,
    /// `None`: unknown (an empty cell: the name held for some time before its end, since
    /// an unknown date), or from the earliest times when `open_start` says so (`..`).
    pub start: Option<Date>,
    /// `None`: still in use (an empty cell, or `..`).
    pub end: Option<Date>,
    /// The start is `..`: the row asserts that the name held from the earliest times.
    pub open_start: bool,
    /// An attestation: the name is recorded in use at the date held in both `start` and
    /// `end`, and nothing more is known of its period (the `attested` column).
    pub attested: bool,
    /// Shared between rows: a dataset has few languages.
    pub lang: Sym,
    /// Shared with the place's previous row when equal: rows of a place usually cite one page.
    pub source: Cited,
    pub note: Box<str>,
    pub kind: NameKind,
    pub origin: Origin,
}

impl NameRecord {
    /// Days on which the name certainly held: [latest start, earliest end). Empty when
    /// the start is unknown (the name held for some time before its end, nobody knows
    /// since when) and for an attestation (some day of its date, nobody knows which).
    pub fn certain_span(&self) -> Span {
        match (&self.start, self.open_start) {
            (Some(_), _) if self.attested => Span::NONE,
            (None, false) => Span::NONE,
            _ => Span {
                from: self.start.as_ref().map(|d| d.window().latest),
                until: self.end.as_ref().map(|d| d.window().earliest),
            },
        }
    }

    /// Days on which the name possibly held: [earliest start, latest end); an
    /// attestation, every day of its date.
    pub fn possible_span(&self) -> Span {
        let until = self.end.as_ref().map(|d| {
            let latest = d.window().latest;
            if self.attested {
                latest.succ_opt().unwrap_or(latest)
            } else {
                latest
            }
        });
        Span {
            from: self.start.as_ref().map(|d| d.window().earliest),
            until,
        }
    }

    /// Whether the row gives no date at all: an unknown start, no end, no attestation.
    pub fn is_undated(&self) -> bool {
        self.start.is_none() && self.end.is_none() && !self.open_start
    }

    /// The attested date of an attestation.
    pub fn attestation(&self) -> Option<&Date> {
        self.start.as_ref().filter(|_| self.attested)
    }

    /// The name's period as EDTF: `1925-04-10/1961-11-10`, `1961-11-10/..` (still in
    /// use), `/1834` (unknown start), `../1834` (from the earliest times), or the date
    /// of an attestation. (A value to display: `resolve` writes it for every row.)
    pub fn period(&self) -> Period<'_> {
        Period(self)
    }

    /// The name's period in words, for people: `1925-04-10 to 1961-11-10`, `from
    /// 1961-11-10`, `until 1834`, `attested 0967`, `undated`.
    pub fn period_words(&self) -> String {
        if let Some(d) = self.attestation() {
            return format!("attested {d}");
        }
        match (&self.start, self.open_start, &self.end) {
            (Some(s), _, Some(e)) => format!("{s} to {e}"),
            (Some(s), _, None) => format!("from {s}"),
            (None, true, Some(e)) => format!("since the earliest times until {e}"),
            (None, true, None) => "since the earliest times".to_string(),
            (None, false, Some(e)) => format!("until {e}"),
            (None, false, None) => "undated".to_string(),
        }
    }
}

/// A name's period as EDTF, written by its `Display`: see [`NameRecord::period`].
pub struct Period<'n>(&'n NameRecord);

impl std::fmt::Display for Period<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_to(f)
    }
}

impl Period<'_> {
    /// Writes the period as `Display` does, into any writer (see [`Date::write_to`]).
    pub fn write_to(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        let n = self.0;
        if let Some(d) = n.attestation() {
            return d.write_to(f);
        }
        match (&n.start, n.open_start) {
            (Some(d), _) => {
                d.write_to(f)?;
                f.write_char('/')?;
            }
            (None, true) => f.write_str("../")?,
            (None, false) => f.write_str("/")?,
        }
        match &n.end {
            Some(d) => d.write_to(f),
            None => f.write_str(".."),
        }
    }
}

/// A half-open run of days `[from, until)`; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Span {
    /// No day at all.
    pub const NONE: Span = Span {
        from: Some(NaiveDate::MAX),
        until: Some(NaiveDate::MIN),
    };

    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f >= u)
    }

    /// Whether some day of the inclusive window lies in the span.
    pub fn meets(&self, w: Window) -> bool {
        !self.is_empty()
            && self.from.is_none_or(|f| f <= w.latest)
            && self.until.is_none_or(|u| w.earliest < u)
    }

    /// Whether every day of the inclusive window lies in the span.
    pub fn covers(&self, w: Window) -> bool {
        self.from.is_none_or(|f| f <= w.earliest) && self.until.is_none_or(|u| w.latest < u)
    }

    /// Whether two spans share a day.
    pub fn overlaps(&self, other: &Span) -> bool {
        if self.is_empty() || other.is_empty() {
            return false;
        }
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(f), Some(u)) => f < u,
            _ => true,
        };
        let other_starts_before_end = match (other.from, self.until) {
            (Some(f), Some(u)) => f < u,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_end
    }
}

/// A place: its own attributes and every name it bore, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub id: String,
    /// Shared between places: a dataset has few types and countries.
    pub kind: Option<Sym>,
    pub country: Option<Sym>,
    pub coords: Option<(f64, f64)>,
    /// How many people live there (the `population` column), when known.
    pub population: Option<u64>,
    /// The place's ids in other gazetteers, `scheme:value` (`geonames:472757`), sorted
    /// (the `same_as` column; a merged twin adds its own, see `crate::twins`).
    pub same_as: Vec<String>,
    /// Sorted by [`chronological`].
    pub names: Vec<NameRecord>,
}

impl Place {
    /// The name to head the place with: a name still in use (English first, then the
    /// first in data order), else the name that ended last.
    pub fn current_name(&self) -> &str {
        let current = || {
            self.names
                .iter()
                .filter(|n| n.end.is_none() && n.kind == NameKind::Official)
        };
        if let Some(n) = current()
            .find(|n| &*n.lang == "en")
            .or_else(|| current().next())
            .or_else(|| self.names.iter().find(|n| n.end.is_none()))
        {
            return &n.name;
        }
        self.names
            .iter()
            .max_by_key(|n| n.end.as_ref().map(|d| d.window().latest))
            .map_or(self.id.as_str(), |n| &*n.name)
    }
}

/// Orders names as a chronology: by start (unknown first), then end (open last),
/// then language and name, so that output never depends on input order.
pub fn chronological(a: &NameRecord, b: &NameRecord) -> std::cmp::Ordering {
    let start = |n: &NameRecord| n.start.as_ref().map(|d| d.window().earliest);
    let end = |n: &NameRecord| n.end.as_ref().map(|d| d.window().latest);
    start(a)
        .cmp(&start(b))
        .then_with(|| match (end(a), end(b)) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => x.cmp(&y),
        })
        .then_with(|| a.lang.cmp(&b.lang))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.origin.cmp(&b.origin))
}

/// Every place of the loaded data, sorted by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gazetteer {
    pub places: Vec<Place>,
}

impl Gazetteer {
    pub fn name_count(&self) -> usize {
        self.places.iter().map(|p| p.names.len()).sum()
    }
}

/// The officially assigned ISO 3166-1 alpha-2 country codes (2024), in order.
const ISO_3166_1: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA \
RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Whether `code` (uppercase) is an officially assigned ISO 3166-1 alpha-2 code. User-
/// assigned codes such as XK (Kosovo, in GeoNames and in our data) are not.
pub fn is_iso_country(code: &str) -> bool {
    code.len() == 2
        && ISO_3166_1
            .as_bytes()
            .chunks(3)
            .any(|c| &c[..2] == code.as_bytes())
}

#[cfg(test)]
mod iso_tests {
    use super::*;

    #[test]
    fn the_iso_list_has_every_assigned_code_once_in_order() {
        let codes: Vec<&str> = ISO_3166_1.split(' ').collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        assert!(codes.iter().all(|c| c.len() == 2));
        for known in ["RU", "DE", "AD", "ZW", "SS", "BQ"] {
            assert!(is_iso_country(known), "{known}");
        }
        for not in ["ZZ", "XK", "SU", "YU", "UK", "EU", "R", "RUS", "ru", ""] {
            assert!(!is_iso_country(not), "{not}");
        }
    }

    /// A string interned twice is one allocation, from any thread; symbols compare,
    /// order and hash as their text.
    #[test]
    fn symbols_are_interned_once_and_compare_as_text() {
        let a = Sym::new("de-interned-test");
        let b = std::thread::spawn(|| Sym::new(&String::from("de-interned-test")))
            .join()
            .unwrap();
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, b);
        let c = Sym::new("de-interned-tesu");
        assert!(a < c && a != c && &*c == "de-interned-tesu");
        let set: std::collections::HashSet<Sym> = [a, b, c].into_iter().collect();
        assert_eq!(set.len(), 2);
        assert!(set.contains("de-interned-test"));
    }
}
