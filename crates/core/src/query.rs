//! Answering queries: which places a name denotes, and what they were called on a date.
//!
//! Owns the date logic of an answer (held throughout, for part of, attested in, or
//! possibly during a queried window, or undated) and the choice it makes among the places
//! that bore a name: those that bore it at the date answer, the others only flagged. Pure: takes a loaded gazetteer and a query value, returns values
//! that borrow from it; no I/O, no printing.

use crate::date::{Qualifiers, QueryDate, Window};
use crate::matching::{Match, MatchKind, Matcher, Query};
use crate::model::{Gazetteer, NameKind, NameRecord, Place};

/// Whether a name row says anything of the dates of a place: every row does but an
/// undated variant of a place with a dated chronology (a curated place with its GeoNames
/// twin's variants merged in, #18), which does not make the place bear the name at a date
/// its chronology leaves to other names.
fn speaks_of_dates(place: &Place, record: &NameRecord) -> bool {
    !(record.kind == NameKind::Variant
        && record.is_undated()
        && place.names.iter().any(|n| !n.is_undated()))
}

/// A place found by name.
#[derive(Debug, Clone)]
pub struct Found<'g> {
    pub place: &'g Place,
    pub how: MatchKind,
    /// The place's names that matched the query, deduplicated and sorted.
    pub matched: Vec<&'g str>,
    /// The rows of those names, each with its own period, in the place's order.
    pub records: Vec<&'g NameRecord>,
}

impl<'g> Found<'g> {
    /// How surely the name that matched held during the query window (the surest of its
    /// rows); `None` when the place bore it only at other times.
    ///
    /// A place found only by undated variants (its GeoNames twin's alternate names) held
    /// the name `Undated`: nothing says when it bore it, so neither "then" nor "at other
    /// times" is known.
    pub fn held_at(&self, date: &QueryDate) -> Option<Certainty> {
        if self.records.iter().all(|r| !speaks_of_dates(self.place, r)) {
            return (!self.records.is_empty()).then_some(Certainty::Undated);
        }
        self.records
            .iter()
            .filter(|r| speaks_of_dates(self.place, r))
            .filter_map(|r| certainty_at(r, date.window))
            .min()
    }

    /// The row of the matched name that explains the answer: the surest of those that
    /// held at the date, else the one nearest to it.
    pub fn matched_record(&self, date: &QueryDate) -> Option<&'g NameRecord> {
        let held = self
            .records
            .iter()
            .filter(|r| speaks_of_dates(self.place, r))
            .filter_map(|r| certainty_at(r, date.window).map(|c| (c, *r)))
            .min_by_key(|h| h.0)
            .map(|h| h.1);
        held.or_else(|| {
            let w = date.window;
            // A dated row says when the place bore the name; an undated variant, nothing.
            let dated = |r: &NameRecord| speaks_of_dates(self.place, r);
            let any_dated = self.records.iter().any(|r| dated(r));
            let pool = self.records.iter().copied();
            pool.filter(|r| !any_dated || dated(r)).min_by_key(|r| {
                let span = r.possible_span();
                match (span.from, span.until) {
                    (_, Some(u)) if u <= w.earliest => (w.earliest - u).num_days(),
                    (Some(f), _) if f > w.latest => (f - w.latest).num_days(),
                    _ => 0,
                }
            })
        })
    }
}

/// What narrows or widens a search by name: `--type`, `--country`, `--fuzzy`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only places of this type (lowercase).
    pub kind: Option<String>,
    /// Only places in this country (ISO 3166-1 alpha-2, uppercase).
    pub country: Option<String>,
    /// When no tier matches, let the closest spellings answer.
    pub fuzzy: bool,
}

impl Filter {
    pub fn admits(&self, p: &Place) -> bool {
        self.kind
            .as_deref()
            .is_none_or(|k| p.kind.as_deref() == Some(k))
            && self
                .country
                .as_deref()
                .is_none_or(|c| p.country.as_deref() == Some(c))
    }
}

impl Filter {
    /// Whether `--type` or `--country` narrows the answer (`--fuzzy` widens it).
    pub fn narrows(&self) -> bool {
        self.kind.is_some() || self.country.is_some()
    }

    /// The same search without `--type` and `--country`.
    /// The same filter, with no fuzzy tier.
    pub fn without_fuzzy(&self) -> Filter {
        Filter {
            fuzzy: false,
            ..self.clone()
        }
    }

    pub fn without_narrowing(&self) -> Filter {
        Filter {
            fuzzy: self.fuzzy,
            ..Filter::default()
        }
    }
}

/// What `--type` and `--country` hid: the types and countries of the places found
/// without them, each sorted and distinct (`None`: a place with none recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden<'g> {
    pub kinds: std::collections::BTreeSet<Option<&'g str>>,
    pub countries: std::collections::BTreeSet<Option<&'g str>>,
}

impl<'g> Hidden<'g> {
    /// Of these places.
    pub fn of(places: impl IntoIterator<Item = &'g Place>) -> Hidden<'g> {
        let mut h = Hidden::default();
        for p in places {
            h.kinds.insert(p.kind.as_deref());
            h.countries.insert(p.country.as_deref());
        }
        h
    }
}

/// Whether a filter's values are ones the data knows: a type some place has; a country
/// code that ISO 3166-1 assigns or some place has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known<'g> {
    /// Every type of the data, sorted.
    pub kinds: std::collections::BTreeSet<&'g str>,
    /// Every country code of the data, sorted.
    pub countries: std::collections::BTreeSet<&'g str>,
}

impl<'g> Known<'g> {
    pub fn of(g: &'g Gazetteer) -> Known<'g> {
        Known {
            kinds: g.places.iter().filter_map(|p| p.kind.as_deref()).collect(),
            countries: g
                .places
                .iter()
                .filter_map(|p| p.country.as_deref())
                .collect(),
        }
    }

    pub fn has_kind(&self, kind: &str) -> bool {
        self.kinds.contains(kind)
    }

    pub fn has_country(&self, code: &str) -> bool {
        crate::model::is_iso_country(code) || self.countries.contains(code)
    }
}

/// Every place that bore the name, of those the filter admits, in the order of
/// [`by_prominence`].
pub fn lookup<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    name: &str,
    filter: &Filter,
) -> Vec<Found<'g>> {
    lookup_query(g, matcher, &Query::new(name), filter)
}

/// [`lookup`] of a name whose keys may already be known.
pub fn lookup_query<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    query: &Query,
    filter: &Filter,
) -> Vec<Found<'g>> {
    let admit = |p: usize| filter.admits(&g.places[p]);
    let mut matches: Vec<Match> = matcher.find_where(g, query, &admit);
    if matches.is_empty() && filter.fuzzy {
        matches = matcher.find_fuzzy(g, query.text(), &admit);
    }
    let query_keys = std::cell::OnceCell::new();
    let mut found: Vec<Found<'g>> = matches
        .into_iter()
        .map(|Match { place, how, names }| {
            let place = &g.places[place];
            // In the place's (chronological) order.
            let mut names = names;
            names.sort_unstable();
            names.dedup();
            let mut matched: Vec<&str> = names
                .iter()
                .map(|&n| place.names[n as usize].name.as_ref())
                .collect();
            // Found only by undated variants (a GeoNames twin's `Zarizyn`): the place's
            // dated names that the query meets in a weaker tier (`Tsaritsyn`, 1589-1925)
            // say when it bore the name, so they explain the answer too.
            if names
                .iter()
                .all(|&n| !speaks_of_dates(place, &place.names[n as usize]))
            {
                let q = query_keys.get_or_init(|| crate::twins::keys(query.text()));
                for (k, n) in place.names.iter().enumerate() {
                    if speaks_of_dates(place, n) && {
                        let (f, t, v) = crate::twins::keys(&n.name);
                        f == q.0 || t == q.1 || v == q.2
                    } {
                        names.push(k as u32);
                    }
                }
                names.sort_unstable();
                names.dedup();
            }
            let records: Vec<&NameRecord> =
                names.iter().map(|&n| &place.names[n as usize]).collect();
            matched.sort_unstable();
            matched.dedup();
            Found {
                place,
                how,
                matched,
                records,
            }
        })
        .collect();
    found.sort_by(|a, b| by_prominence(a, b));
    found
}

/// The people a place counts for when places are ordered (#18): its population; a
/// curated place with none recorded counts as a town of 10,000 (our curated places are
/// mostly towns and cities with a history; a GeoNames place with no population counts as
/// none).
pub fn weight(place: &Place) -> f64 {
    match place.population {
        Some(p) => (p.max(1) as f64).log10(),
        None if crate::twins::is_geonames(place) => 0.0,
        None => 4.0,
    }
}

/// The order of `lookup` (no date): places that still bear a matched name first (a name
/// with no end: `lookup York` means York, England, before Toronto, York until 1834), then
/// the more populous, then by id. An undated variant (no start, no end: most of
/// GeoNames' alternate names) says nothing of today, so it does not count as still borne:
/// North Canton, Ohio, which GeoNames also calls Berlin, does not come before Kitchener.
pub fn by_prominence(a: &Found, b: &Found) -> std::cmp::Ordering {
    let current = |f: &Found| {
        !f.records.iter().any(|r| {
            r.end.is_none()
                && (r.start.is_some() || r.open_start || r.kind == crate::model::NameKind::Official)
        })
    };
    current(a)
        .cmp(&current(b))
        .then_with(|| weight(b.place).total_cmp(&weight(a.place)))
        .then_with(|| a.place.id.cmp(&b.place.id))
}

/// How much surer a name's holding at a date makes a place, in the units of [`weight`]
/// (powers of ten of people): a name that certainly held counts as ten times the
/// people, a possible or attested one as about three times; an undated one as none.
fn certainty_bonus(c: Option<Certainty>) -> f64 {
    match c {
        Some(Certainty::Throughout) => 1.0,
        Some(Certainty::Partly | Certainty::Attested | Certainty::Possibly) => 0.5,
        Some(Certainty::Undated) | None => 0.0,
    }
}

/// The order of `at` and `resolve` among places (#18): those that held the name at the
/// date before those that bore it only at other times; among them, by certainty and
/// population weighed together, [`weight`] plus a bonus for the certainty
/// (`certainty_bonus`): Berlin, Germany (3.4 million people, its name undated) comes
/// before Kitchener (Berlin until 1916, certainly, a tenth of the people and a bit more);
/// then by id.
pub fn at_order(
    a: (Option<Certainty>, &Place),
    b: (Option<Certainty>, &Place),
) -> std::cmp::Ordering {
    let score = |(c, p): (Option<Certainty>, &Place)| weight(p) + certainty_bonus(c);
    a.0.is_none()
        .cmp(&b.0.is_none())
        .then_with(|| score(b).total_cmp(&score(a)))
        .then_with(|| a.0.cmp(&b.0))
        .then_with(|| a.1.id.cmp(&b.1.id))
}

/// How a name met the text of a `search`, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SearchHow {
    /// The name (folded) starts with the text.
    Prefix,
    /// The name contains the text.
    Contains,
    /// Written in Latin letters, the name contains the text.
    Transliterated,
    /// Under the spelling conventions of another language, the name contains the text
    /// (`Koenigsb` in `Königsberg`).
    Variant,
    /// A few letters apart (`--fuzzy`).
    Fuzzy,
}

impl SearchHow {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchHow::Prefix => "prefix",
            SearchHow::Contains => "contains",
            SearchHow::Transliterated => "transliterated",
            SearchHow::Variant => "variant",
            SearchHow::Fuzzy => "fuzzy",
        }
    }
}

/// One name found by `search`.
#[derive(Debug, Clone)]
pub struct SearchHit<'g> {
    pub place: &'g Place,
    pub record: &'g NameRecord,
    pub how: SearchHow,
}

/// The shortest variant key `search` looks for inside names: the key is lossy (`zzzz` is
/// `z`), and a shorter one is inside too many names to mean anything.
const MIN_LOOSE: usize = 4;

/// What [`search`] looks for in a name's keys: the folded text, its transliteration and,
/// when long enough, the loose key of its variant key. A name `search` finds has a folded,
/// transliterated or loose key (as `crate::matching` files them) that contains one of
/// these, since the loose key of a text containing another contains the other's.
pub fn search_needles(text: &str) -> Vec<String> {
    use crate::spelling::{loose_key, translit_key, variant_key};
    let key = crate::fold::fold(text);
    if key.is_empty() {
        return Vec::new();
    }
    let latin = translit_key(text);
    let loose = variant_key(&latin);
    let mut needles = vec![key, latin];
    if loose.len() >= MIN_LOOSE {
        needles.push(loose_key(&loose));
    }
    needles
}

/// Every name that starts with or contains the text (after folding, once both are in
/// Latin letters, or under the variant spellings of matching's tiers), of the places the
/// filter admits; with `fuzzy`, names a few letters
/// from it as well. Best first: prefix, then contains, then the rest; then by name.
pub fn search<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    text: &str,
    filter: &Filter,
) -> Vec<SearchHit<'g>> {
    use crate::spelling::{translit_key, variant_key};
    let key = crate::fold::fold(text);
    let latin = translit_key(text);
    let loose = variant_key(&latin);
    let mut hits: Vec<(SearchHow, String, SearchHit)> = Vec::new();
    if key.is_empty() {
        return Vec::new();
    }
    for place in g.places.iter().filter(|p| filter.admits(p)) {
        for record in &place.names {
            let k = crate::fold::fold(&record.name);
            let how = if k.starts_with(&key) {
                SearchHow::Prefix
            } else if k.contains(&key) {
                SearchHow::Contains
            } else if !latin.is_empty()
                && (!record.name.is_ascii() || !text.is_ascii())
                && translit_key(&record.name).contains(&latin)
            {
                SearchHow::Transliterated
            } else if loose.len() >= MIN_LOOSE
                && variant_key(&translit_key(&record.name)).contains(&loose)
            {
                SearchHow::Variant
            } else {
                continue;
            };
            hits.push((how, k, SearchHit { place, record, how }));
        }
    }
    if filter.fuzzy {
        for (_, p, n) in matcher.near(g, text, 20, &|p| filter.admits(&g.places[p])) {
            let place = &g.places[p as usize];
            let record = &place.names[n as usize];
            if filter.admits(place) && !hits.iter().any(|h| std::ptr::eq(h.2.record, record)) {
                let k = crate::fold::fold(&record.name);
                let how = SearchHow::Fuzzy;
                hits.push((how, k, SearchHit { place, record, how }));
            }
        }
    }
    hits.sort_by(|a, b| {
        (
            a.0,
            &a.1,
            &a.2.place.id,
            a.2.record.start.as_ref().map(|d| d.window().earliest),
        )
            .cmp(&(
                b.0,
                &b.1,
                &b.2.place.id,
                b.2.record.start.as_ref().map(|d| d.window().earliest),
            ))
    });
    hits.into_iter().map(|h| h.2).collect()
}

/// `at`'s `period_status` of a place: `in_period` when it bore the name that matched at
/// the date, `undated` when that name has no dates (a GeoNames name: nothing says whether
/// it was borne then), `out_of_period` when it bore it only at other times.
pub fn period_status(held: Option<Certainty>) -> &'static str {
    match held {
        Some(Certainty::Undated) => "undated",
        Some(_) => "in_period",
        None => "out_of_period",
    }
}

/// How sure an answer is that a name held during the queried window, surest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Certainty {
    /// Held on every day of the window, whatever the exact days of its bounds.
    Throughout,
    /// Held for certain on some days of the window but not on others: a renaming
    /// fell inside it.
    Partly,
    /// An attestation: the name is recorded in use at a date that lies in the window.
    Attested,
    /// Not certain on any day, but a bound's window overlaps the queried one; also a name
    /// with an unknown start, before its end, and an attestation that the window only
    /// overlaps.
    Possibly,
    /// The row gives no date at all: nothing says when the name held.
    Undated,
}

impl Certainty {
    pub const ALL: [Certainty; 5] = [
        Certainty::Throughout,
        Certainty::Partly,
        Certainty::Attested,
        Certainty::Possibly,
        Certainty::Undated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Throughout => "certain",
            Certainty::Partly => "partly",
            Certainty::Attested => "attested",
            Certainty::Possibly => "possible",
            Certainty::Undated => "undated",
        }
    }
}

/// One name that answers an `at` query.
#[derive(Debug, Clone)]
pub struct NameAt<'g> {
    pub record: &'g NameRecord,
    pub certainty: Certainty,
    /// Approximate/uncertain markers of the name's bounds and of the query date.
    pub qualifiers: Qualifiers,
    /// For `Partly`: the bounds that fall inside the window, e.g. `until 1961-11-10`.
    pub detail: String,
}

/// The answer to `at` for one place.
#[derive(Debug, Clone)]
pub struct AtAnswer<'g> {
    pub found: Found<'g>,
    /// How surely the name that matched held at the date; `None`: the place bore it only
    /// at other times.
    pub held: Option<Certainty>,
    /// The row of the matched name that explains `held` (see [`Found::matched_record`]).
    pub matched: Option<&'g NameRecord>,
    /// Empty when the place has no name recorded at the date.
    pub names: Vec<NameAt<'g>>,
}

/// What each place bearing `name` was called during the query window: first the places
/// that held the name at the date, surest first, then those that bore it only at other
/// times (see [`at_order`]).
pub fn at<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    name: &str,
    date: &QueryDate,
    filter: &Filter,
) -> Vec<AtAnswer<'g>> {
    let mut answers: Vec<AtAnswer> = lookup(g, matcher, name, filter)
        .into_iter()
        .map(|found| {
            let mut names: Vec<NameAt> = found
                .place
                .names
                .iter()
                .filter_map(|n| name_at(n, date))
                .collect();
            // Official names first; otherwise in time order.
            names.sort_by_key(|n| n.record.kind);
            AtAnswer {
                held: found.held_at(date),
                matched: found.matched_record(date),
                found,
                names,
            }
        })
        .collect();
    answers.sort_by(|a, b| at_order((a.held, a.found.place), (b.held, b.found.place)));
    answers
}

/// Whether, and how surely, a name held during the query window.
pub fn name_at<'g>(record: &'g NameRecord, date: &QueryDate) -> Option<NameAt<'g>> {
    let w = date.window;
    let certainty = certainty_at(record, w)?;
    let mut qualifiers = date.written.qualifiers();
    for d in record.start.iter().chain(record.end.iter()) {
        qualifiers = qualifiers.merge(d.qualifiers());
    }
    let detail = if certainty == Certainty::Partly {
        partial_detail(record, w)
    } else {
        String::new()
    };
    Some(NameAt {
        record,
        certainty,
        qualifiers,
        detail,
    })
}

/// How surely a name held during the window, or `None` if it certainly did not; the
/// part of [`name_at`] that `resolve` needs for every name it weighs, without its texts.
pub fn certainty_at(record: &NameRecord, w: Window) -> Option<Certainty> {
    Some(if record.is_undated() {
        Certainty::Undated
    } else if let Some(on) = record.attestation() {
        let on = on.window();
        if w.earliest <= on.earliest && on.latest <= w.latest {
            Certainty::Attested
        } else if on.earliest <= w.latest && w.earliest <= on.latest {
            Certainty::Possibly
        } else {
            return None;
        }
    } else if record.certain_span().covers(w) {
        Certainty::Throughout
    } else if record.certain_span().meets(w) {
        Certainty::Partly
    } else if record.possible_span().meets(w) {
        Certainty::Possibly
    } else {
        return None;
    })
}

/// Names the bounds of a name that fall inside the window.
fn partial_detail(record: &NameRecord, w: Window) -> String {
    let inside = |d: &crate::date::Date| {
        let b = d.window();
        b.latest >= w.earliest && b.earliest <= w.latest
    };
    let mut parts = Vec::new();
    if let Some(s) = record.start.as_ref().filter(|d| inside(d)) {
        parts.push(format!("from {s}"));
    }
    if let Some(e) = record.end.as_ref().filter(|d| inside(d)) {
        parts.push(format!("until {e}"));
    }
    parts.join(" ")
}

/// The outcome of resolving one (name, date) pair, as `resolve` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One place, and the name it bore at the date.
    Ok,
    /// Several places held the name at the date: all are given.
    Ambiguous,
    /// `resolve --pick first`: several places held the name at the date, and the first
    /// (the surest) was taken; the others are listed apart.
    Picked,
    /// No place held the name at the date: the places that bore it at other times are
    /// given, with the names they bore at the date.
    OutOfPeriod,
    /// No place bore the name.
    NotFound,
    /// No place held the name at the date, and those that bore it at other times have
    /// no name recorded at the date.
    NoNameAtDate,
    /// The date could not be read.
    BadDate,
    /// `resolve --country-column`: the row's country cell names no country.
    BadCountry,
    /// No date was given for the row.
    NoDate,
    /// The name is empty.
    EmptyName,
    /// `resolve`: the input row has more or fewer fields than the header (or than the
    /// first row), so its name and date columns cannot be trusted: it is not looked up.
    RaggedRow,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::Ok,
        Status::Ambiguous,
        Status::Picked,
        Status::OutOfPeriod,
        Status::NotFound,
        Status::NoNameAtDate,
        Status::BadDate,
        Status::BadCountry,
        Status::NoDate,
        Status::EmptyName,
        Status::RaggedRow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Ambiguous => "ambiguous",
            Status::Picked => "picked",
            Status::OutOfPeriod => "out_of_period",
            Status::NotFound => "not_found",
            Status::NoNameAtDate => "no_name_at_date",
            Status::BadDate => "bad_date",
            Status::BadCountry => "bad_country",
            Status::NoDate => "no_date",
            Status::EmptyName => "empty_name",
            Status::RaggedRow => "ragged_row",
        }
    }
}

/// One candidate place of a resolution, with the names it bore at the date (in the
/// language of the name that matched where it can: a Russian query gets a Russian answer).
#[derive(Debug, Clone)]
pub struct Candidate<'g> {
    pub place: &'g Place,
    /// How the place's best name matched.
    pub how: MatchKind,
    /// The row of the matched name that explains why the place is a candidate.
    pub matched: Option<&'g NameRecord>,
    pub names: Vec<NameAt<'g>>,
}

/// The answer to one (name, date) pair of `resolve`.
#[derive(Debug, Clone)]
pub struct Resolution<'g> {
    pub status: Status,
    pub candidates: Vec<Candidate<'g>>,
}

/// Resolves a name at a date (`None`: no date given; `Some(Err)`: the date was unreadable).
pub fn resolve<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    name: &str,
    date: Option<Result<&QueryDate, ()>>,
    filter: &Filter,
) -> Resolution<'g> {
    resolve_query(g, matcher, &Query::new(name), date, filter)
}

/// [`resolve`] of a name whose keys may already be known.
pub fn resolve_query<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    query: &Query,
    date: Option<Result<&QueryDate, ()>>,
    filter: &Filter,
) -> Resolution<'g> {
    if query.text().is_empty() {
        return Resolution {
            status: Status::EmptyName,
            candidates: Vec::new(),
        };
    }
    let found = lookup_query(g, matcher, query, filter);
    let date = match date {
        _ if found.is_empty() => {
            return Resolution {
                status: Status::NotFound,
                candidates: Vec::new(),
            };
        }
        Some(Ok(d)) => d,
        _ => {
            let status = if date.is_none() {
                Status::NoDate
            } else {
                Status::BadDate
            };
            let candidates = found
                .iter()
                .map(|f| Candidate {
                    place: f.place,
                    how: f.how,
                    matched: None,
                    names: Vec::new(),
                })
                .collect();
            return Resolution { status, candidates };
        }
    };
    // The date chooses among the places that bore the name: those that held it then
    // answer, surest first; the others only when none did.
    let mut chosen: Vec<(Option<Certainty>, &Found)> =
        found.iter().map(|f| (f.held_at(date), f)).collect();
    let held = chosen.iter().filter(|c| c.0.is_some()).count();
    if held > 0 {
        chosen.retain(|c| c.0.is_some());
        chosen.sort_by(|a, b| at_order((a.0, a.1.place), (b.0, b.1.place)));
    }
    let candidates: Vec<Candidate> = chosen
        .into_iter()
        .map(|(held, f)| {
            let mut names = names_in_language_of(f, date);
            // Found by an undated name: whatever the place was called then, that it is
            // the place meant is no surer than the undated name that found it.
            if held == Some(Certainty::Undated) {
                for n in &mut names {
                    n.certainty = n.certainty.max(Certainty::Undated);
                }
            }
            Candidate {
                place: f.place,
                how: f.how,
                matched: f.matched_record(date),
                names,
            }
        })
        .collect();
    let status = match held {
        0 if candidates.iter().all(|c| c.names.is_empty()) => Status::NoNameAtDate,
        0 => Status::OutOfPeriod,
        1 => Status::Ok,
        _ => Status::Ambiguous,
    };
    Resolution { status, candidates }
}

/// The names a found place bore at the date, keeping only those in the language of a
/// name that matched (else English, else all), and of those only the surest.
fn names_in_language_of<'g>(f: &Found<'g>, date: &QueryDate) -> Vec<NameAt<'g>> {
    // One list, narrowed in place: `resolve` works this out for every candidate.
    let mut names: Vec<NameAt> = f
        .place
        .names
        .iter()
        .filter_map(|n| name_at(n, date))
        // An undated variant says nothing of a date: of a place with a dated chronology
        // (a curated place, with its GeoNames twin's variants merged in, #18) it does not
        // name the place at a date its chronology leaves empty.
        .filter(|n| speaks_of_dates(f.place, n.record))
        .collect();
    // The official names, when any held: "Breslau" in 1950 is Wrocław, whatever the
    // language of the name that matched.
    if names.iter().any(|n| n.record.kind == NameKind::Official) {
        names.retain(|n| n.record.kind == NameKind::Official);
    }
    // Those in the language of the name that matched, else in English, else all.
    let matched_lang = f
        .place
        .names
        .iter()
        .find(|n| f.matched.contains(&&*n.name))
        .map(|n| n.lang);
    for lang in matched_lang.as_deref().into_iter().chain(["en"]) {
        if names.iter().any(|n| &*n.record.lang == lang) {
            names.retain(|n| &*n.record.lang == lang);
            break;
        }
    }
    if let Some(best) = names.iter().map(|n| n.certainty).min() {
        names.retain(|n| n.certainty == best);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Calendar, parse_query};
    use crate::source::parse;
    use crate::validate::validate;

    fn gazetteer() -> Gazetteer {
        let csv = "place_id,name,start,end,lang\n\
                   v,Tsaritsyn,1589,1925-04-10,en\n\
                   v,Stalingrad,1925-04-10,1961-11-10,en\n\
                   v,Volgograd,1961-11-10,,en\n\
                   w,Oldname,1900,196X,en\n\
                   w,Newname,196X,,en\n";
        let v = validate(&[parse("t.csv", csv.as_bytes())]);
        assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);
        v.gazetteer
    }

    fn names_at(g: &Gazetteer, name: &str, date: &str) -> Vec<(String, Certainty, String)> {
        let m = Matcher::new(g);
        let q = parse_query(date, Calendar::Gregorian).unwrap();
        at(g, &m, name, &q, &Filter::default())
            .into_iter()
            .flat_map(|a| a.names)
            .map(|n| (n.record.name.to_string(), n.certainty, n.detail))
            .collect()
    }

    #[test]
    fn a_year_inside_one_name_is_certain() {
        let got = names_at(&gazetteer(), "Volgograd", "1958");
        assert_eq!(
            got,
            vec![(
                "Stalingrad".to_string(),
                Certainty::Throughout,
                String::new()
            )]
        );
    }

    #[test]
    fn the_year_of_a_renaming_gives_both_with_the_day() {
        let got = names_at(&gazetteer(), "Volgograd", "1961");
        assert_eq!(
            got,
            vec![
                (
                    "Stalingrad".to_string(),
                    Certainty::Partly,
                    "until 1961-11-10".to_string()
                ),
                (
                    "Volgograd".to_string(),
                    Certainty::Partly,
                    "from 1961-11-10".to_string()
                ),
            ]
        );
    }

    #[test]
    fn on_the_day_of_a_renaming_the_new_name_holds() {
        let got = names_at(&gazetteer(), "stalingrad", "1961-11-10");
        assert_eq!(
            got,
            vec![(
                "Volgograd".to_string(),
                Certainty::Throughout,
                String::new()
            )]
        );
        let got = names_at(&gazetteer(), "stalingrad", "1961-11-09");
        assert_eq!(
            got,
            vec![(
                "Stalingrad".to_string(),
                Certainty::Throughout,
                String::new()
            )]
        );
    }

    #[test]
    fn a_bound_known_to_the_decade_makes_both_names_possible() {
        let got = names_at(&gazetteer(), "Newname", "1965");
        let certainties: Vec<_> = got.iter().map(|(n, c, _)| (n.as_str(), *c)).collect();
        assert_eq!(
            certainties,
            vec![
                ("Oldname", Certainty::Possibly),
                ("Newname", Certainty::Possibly)
            ]
        );
        let got = names_at(&gazetteer(), "Newname", "1959");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, Certainty::Throughout);
    }

    #[test]
    fn unknown_starts_open_starts_attestations_and_no_dates() {
        // #15, #14
        let csv = "place_id,name,start,end,attested,lang\n\
                   u,Unknown,,1900,,en\n\
                   o,Open,..,1900,,en\n\
                   n,Nodate,,,,en\n\
                   a,Attested,,,0967,en\n";
        let v = validate(&[parse("t.csv", csv.as_bytes())]);
        assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);
        let g = v.gazetteer;
        let certainty = |name: &str, date: &str| {
            names_at(&g, name, date)
                .into_iter()
                .map(|n| n.1.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(certainty("Unknown", "1850"), ["possible"]);
        assert_eq!(certainty("Unknown", "1900"), ["possible"]);
        assert_eq!(certainty("Unknown", "1901"), Vec::<&str>::new());
        assert_eq!(certainty("Open", "1850"), ["certain"]);
        assert_eq!(certainty("Open", "-5000"), ["certain"]);
        assert_eq!(certainty("Nodate", "1200"), ["undated"]);
        assert_eq!(certainty("Attested", "0967"), ["attested"]);
        assert_eq!(certainty("Attested", "096X"), ["attested"]);
        assert_eq!(certainty("Attested", "0967-03"), ["possible"]);
        assert_eq!(certainty("Attested", "0968"), Vec::<&str>::new());
        assert_eq!(certainty("Attested", "0966-12-31"), Vec::<&str>::new());
        let period = |id: &str| {
            g.places.iter().find(|p| p.id == id).unwrap().names[0]
                .period()
                .to_string()
        };
        assert_eq!(period("u"), "/1900");
        assert_eq!(period("o"), "../1900");
        assert_eq!(period("n"), "/..");
        assert_eq!(period("a"), "0967");
    }

    fn resolved(g: &Gazetteer, name: &str, date: Option<&str>) -> (Status, Vec<String>) {
        let m = Matcher::new(g);
        let q = date.map(|d| parse_query(d, Calendar::Gregorian).map_err(|_| ()));
        let r = resolve(
            g,
            &m,
            name,
            q.as_ref().map(|q| q.as_ref().map_err(|_| ())),
            &Filter::default(),
        );
        let names = r
            .candidates
            .iter()
            .flat_map(|c| c.names.iter().map(|n| n.record.name.to_string()))
            .collect();
        (r.status, names)
    }

    #[test]
    fn resolve_gives_every_status() {
        let g = gazetteer();
        assert_eq!(
            resolved(&g, "Stalingrad", Some("1958")),
            (Status::Ok, vec!["Stalingrad".to_string()])
        );
        // #15: a name asked outside its period is answered, flagged.
        assert_eq!(
            resolved(&g, "Volgograd", Some("1958")),
            (Status::OutOfPeriod, vec!["Stalingrad".to_string()])
        );
        assert_eq!(
            resolved(&g, "Volgograd", Some("1961")),
            (
                Status::Ok,
                vec!["Stalingrad".to_string(), "Volgograd".to_string()]
            )
        );
        assert_eq!(resolved(&g, "Nowhere", Some("1958")).0, Status::NotFound);
        assert_eq!(
            resolved(&g, "Volgograd", Some("1500")).0,
            Status::NoNameAtDate
        );
        assert_eq!(
            resolved(&g, "Volgograd", Some("1961-13")).0,
            Status::BadDate
        );
        assert_eq!(resolved(&g, "Volgograd", None).0, Status::NoDate);
        assert_eq!(resolved(&g, "  ", Some("1958")).0, Status::EmptyName);
        let csv = "place_id,name\na,Twin\nb,Twin\n";
        let twins = validate(&[parse("t.csv", csv.as_bytes())]).gazetteer;
        assert_eq!(resolved(&twins, "twin", Some("1958")).0, Status::Ambiguous);
    }

    #[test]
    fn before_the_first_name_nothing_holds() {
        assert!(names_at(&gazetteer(), "Volgograd", "1500").is_empty());
    }

    /// One random row: a place (of four), a name (of three spellings), and its dates.
    /// Bounds: 0 unknown, 1 `..`, else a year, a decade (`19X`-style) or an uncertain year.
    fn random_row() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (
            0u8..4,
            0u8..3,
            0u8..6,
            1000u16..1100,
            0u16..40,
            0u8..4,
            any::<bool>(),
        )
            .prop_map(
                |(place, name, start_kind, year, length, end_kind, attested)| {
                    let name = ["Alpha", "Beta", "Gamma"][usize::from(name)];
                    let bound = |kind: u8, y: u16| match kind {
                        2 => format!("{y:04}"),
                        3 => format!("{:03}X", y / 10),
                        _ => format!("{y:04}?"),
                    };
                    if attested && start_kind == 5 {
                        return format!("p{place},{name},,,{year:04}");
                    }
                    let start = match start_kind {
                        0 => String::new(),
                        1 => "..".to_string(),
                        k => bound(k.min(4), year),
                    };
                    // An end after every day its start may name, or none.
                    let end = match end_kind {
                        0 => String::new(),
                        k => bound(k + 1, year + 20 + length),
                    };
                    format!("p{place},{name},{start},{end},")
                },
            )
    }

    /// Whether a row certainly did not hold on any day of the window, worked out from its
    /// written bounds alone: it has a date, and the window lies wholly before every day its
    /// start (or attestation) may name, or wholly after every day its end may name.
    fn certainly_not_then(n: &NameRecord, w: crate::date::Window) -> bool {
        if n.start.is_none() && n.end.is_none() && !n.open_start {
            return false;
        }
        let before = n
            .start
            .as_ref()
            .is_some_and(|s| w.latest < s.window().earliest);
        let after = match (&n.end, n.attested) {
            (Some(e), true) => w.earliest > e.window().latest,
            (Some(e), false) => w.earliest >= e.window().latest,
            (None, _) => false,
        };
        before || after
    }

    proptest::proptest! {
        // #15: every place of an `ok` or `ambiguous` answer held the matched name at the
        // date; while some place held it, no place whose matched name certainly did not
        // hold then is a candidate.
        #[test]
        fn prop_the_date_chooses_among_the_places(
            rows in proptest::collection::vec(random_row(), 1..12),
            year in 990i32..1200,
            precision in 0u8..3,
        ) {
            let csv = format!("place_id,name,start,end,attested\n{}\n", rows.join("\n"));
            let v = validate(&[parse("t.csv", csv.as_bytes())]);
            proptest::prop_assert!(v.diagnostics.is_empty(), "{:?}\n{csv}", v.diagnostics);
            let g = v.gazetteer;
            let m = Matcher::new(&g);
            let text = match precision {
                0 => format!("{year:04}"),
                1 => format!("{year:04}-06"),
                _ => format!("{year:04}-06-15"),
            };
            let date = parse_query(&text, Calendar::Gregorian).unwrap();
            for name in ["Alpha", "Beta", "Gamma"] {
                let r = resolve(&g, &m, name, Some(Ok(&date)), &Filter::default());
                fn matched<'p>(p: &'p Place, name: &str) -> Vec<&'p NameRecord> {
                    p.names.iter().filter(|n| &*n.name == name).collect()
                }
                if matches!(r.status, Status::Ok | Status::Ambiguous) {
                    for c in &r.candidates {
                        let held = matched(c.place, name).iter().any(|n| name_at(n, &date).is_some());
                        proptest::prop_assert!(held, "{name} at {text}: {} did not hold it\n{csv}", c.place.id);
                        let never = matched(c.place, name).iter().all(|n| certainly_not_then(n, date.window));
                        proptest::prop_assert!(!never, "{name} at {text}: {} is a candidate\n{csv}", c.place.id);
                    }
                    let expected = if r.candidates.len() == 1 { Status::Ok } else { Status::Ambiguous };
                    proptest::prop_assert_eq!(r.status, expected);
                }
                // Out of period only when no place held the name at all.
                if r.status == Status::OutOfPeriod {
                    for p in g.places.iter().filter(|p| !matched(p, name).is_empty()) {
                        let held = matched(p, name).iter().any(|n| name_at(n, &date).is_some());
                        proptest::prop_assert!(!held, "{name} at {text}: {} held it\n{csv}", p.id);
                    }
                }
            }
        }
    }
}
