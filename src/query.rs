//! Answering queries: which places a name denotes, and what they were called on a date.
//!
//! Owns the date logic of an answer (held throughout, for part of, or possibly during a
//! queried window). Pure: takes a loaded gazetteer and a query value, returns values
//! that borrow from it; no I/O, no printing.

use crate::date::{Qualifiers, QueryDate, Window};
use crate::matching::{Match, MatchKind, Matcher, Query};
use crate::model::{Gazetteer, NameKind, NameRecord, Place};

/// A place found by name.
#[derive(Debug, Clone)]
pub struct Found<'g> {
    pub place: &'g Place,
    pub how: MatchKind,
    /// The place's names that matched the query, deduplicated and sorted.
    pub matched: Vec<&'g str>,
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

/// Every place that bore the name, in id order, of those the filter admits.
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
    matches
        .into_iter()
        .map(|Match { place, how, names }| {
            let place = &g.places[place];
            let mut matched: Vec<&str> = names
                .iter()
                .map(|&n| place.names[n as usize].name.as_ref())
                .collect();
            matched.sort_unstable();
            matched.dedup();
            Found {
                place,
                how,
                matched,
            }
        })
        .collect()
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
    /// A few letters apart (`--fuzzy`).
    Fuzzy,
}

impl SearchHow {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchHow::Prefix => "prefix",
            SearchHow::Contains => "contains",
            SearchHow::Transliterated => "transliterated",
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

/// Every name that starts with or contains the text (after folding, or once both are in
/// Latin letters), of the places the filter admits; with `fuzzy`, names a few letters
/// from it as well. Best first: prefix, then contains, then the rest; then by name.
pub fn search<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    text: &str,
    filter: &Filter,
) -> Vec<SearchHit<'g>> {
    use crate::spelling::translit_key;
    let key = crate::fold::fold(text);
    let latin = translit_key(text);
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

/// How sure an answer is that a name held during the queried window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Certainty {
    /// Held on every day of the window, whatever the exact days of its bounds.
    Throughout,
    /// Held for certain on some days of the window but not on others: a renaming
    /// fell inside it.
    Partly,
    /// Not certain on any day, but a bound's window overlaps the queried one.
    Possibly,
}

impl Certainty {
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Throughout => "certain",
            Certainty::Partly => "partly",
            Certainty::Possibly => "possible",
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
    /// Empty when the place has no name recorded at the date.
    pub names: Vec<NameAt<'g>>,
}

/// What each place bearing `name` was called during the query window.
pub fn at<'g>(
    g: &'g Gazetteer,
    matcher: &Matcher,
    name: &str,
    date: &QueryDate,
    filter: &Filter,
) -> Vec<AtAnswer<'g>> {
    lookup(g, matcher, name, filter)
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
            AtAnswer { found, names }
        })
        .collect()
}

/// Whether, and how surely, a name held during the query window.
pub fn name_at<'g>(record: &'g NameRecord, date: &QueryDate) -> Option<NameAt<'g>> {
    let w = date.window;
    let certainty = if record.certain_span().covers(w) {
        Certainty::Throughout
    } else if record.certain_span().meets(w) {
        Certainty::Partly
    } else if record.possible_span().meets(w) {
        Certainty::Possibly
    } else {
        return None;
    };
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
    /// Several places bore the name: all are given.
    Ambiguous,
    /// No place bore the name.
    NotFound,
    /// One place, but no name of it is recorded at the date.
    NoNameAtDate,
    /// The date could not be read.
    BadDate,
    /// No date was given for the row.
    NoDate,
    /// The name is empty.
    EmptyName,
    /// `resolve`: the input row has more or fewer fields than the header (or than the
    /// first row), so its name and date columns cannot be trusted: it is not looked up.
    RaggedRow,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Ok,
        Status::Ambiguous,
        Status::NotFound,
        Status::NoNameAtDate,
        Status::BadDate,
        Status::NoDate,
        Status::EmptyName,
        Status::RaggedRow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Ambiguous => "ambiguous",
            Status::NotFound => "not_found",
            Status::NoNameAtDate => "no_name_at_date",
            Status::BadDate => "bad_date",
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
    let candidates: Vec<Candidate> = found
        .iter()
        .map(|f| {
            let names = match date {
                Some(Ok(d)) => names_in_language_of(f, d),
                _ => Vec::new(),
            };
            Candidate {
                place: f.place,
                how: f.how,
                names,
            }
        })
        .collect();
    let status = match (candidates.len(), date) {
        (0, _) => Status::NotFound,
        (_, None) => Status::NoDate,
        (_, Some(Err(()))) => Status::BadDate,
        (1, _) if candidates[0].names.is_empty() => Status::NoNameAtDate,
        (1, _) => Status::Ok,
        _ => Status::Ambiguous,
    };
    Resolution { status, candidates }
}

/// The names a found place bore at the date, keeping only those in the language of a
/// name that matched (else English, else all), and of those only the surest.
fn names_in_language_of<'g>(f: &Found<'g>, date: &QueryDate) -> Vec<NameAt<'g>> {
    let all: Vec<NameAt> = f
        .place
        .names
        .iter()
        .filter_map(|n| name_at(n, date))
        .collect();
    // The official names, when any held: "Breslau" in 1950 is Wrocław, whatever the
    // language of the name that matched.
    let all: Vec<NameAt> = if all.iter().any(|n| n.record.kind == NameKind::Official) {
        all.into_iter()
            .filter(|n| n.record.kind == NameKind::Official)
            .collect()
    } else {
        all
    };
    let matched_lang = f
        .place
        .names
        .iter()
        .find(|n| f.matched.contains(&&*n.name))
        .map(|n| n.lang.clone());
    let mut chosen: Vec<NameAt> = Vec::new();
    for lang in matched_lang.as_deref().into_iter().chain(["en"]) {
        chosen = all
            .iter()
            .filter(|n| &*n.record.lang == lang)
            .cloned()
            .collect();
        if !chosen.is_empty() {
            break;
        }
    }
    if chosen.is_empty() {
        chosen = all;
    }
    if let Some(best) = chosen.iter().map(|n| n.certainty).min() {
        chosen.retain(|n| n.certainty == best);
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Calendar, parse_query};
    use crate::read::parse;
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
            resolved(&g, "Volgograd", Some("1958")),
            (Status::Ok, vec!["Stalingrad".to_string()])
        );
        assert_eq!(
            resolved(&g, "Volgograd", Some("1961")).1,
            ["Stalingrad", "Volgograd"]
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
}
