//! Validation: raw CSV rows in, a [`Gazetteer`] of checked places out.
//!
//! Owns the meaning of the columns and every rule a row must keep (required values,
//! real dates, start before end, `..` for an open bound, an attestation without start
//! or end, coordinates in range, one set of attributes per place). Rows arrive one at a time through [`Sink`]; invalid rows are left out and
//! reported, and whether that stops the command is the caller's choice
//! (`--skip-invalid`). It does no I/O.

use crate::date::Date;
use crate::error::Diagnostic;
use crate::hash::FxHashMap as HashMap;
use crate::model::{Gazetteer, NameKind, NameRecord, Origin, Place, Span, Sym, chronological};
use crate::schema::{Col, Layout, layout};
use crate::source::{Sink, Table};
use std::sync::Arc;

// The columns live in `schema`; this path is kept for the library's users (tests/).
pub use crate::schema::COLUMNS;

/// Whether text may hold a control character: those are bytes below 0x20, 0x7F, or
/// (U+0080..U+009F) two-byte sequences starting 0xC2. Text with none of those bytes has
/// none, and this finds out without decoding it (and without stopping early, so that
/// the compiler can test many bytes at once).
fn may_hold_control(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |seen, &b| {
        seen | (b < 0x20) | (b == 0x7F) | (b == 0xC2)
    })
}

/// The first control character in text, other than tab and line ends when `free`.
fn control_in(text: &str, free: bool) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !(free && matches!(c, '\t' | '\n' | '\r')))
}

/// The result of validation: the valid places, and every problem found on the way
/// (errors for rows left out, warnings for things that were ignored).
#[derive(Debug, Default)]
pub struct Validated {
    pub gazetteer: Gazetteer,
    pub diagnostics: Vec<Diagnostic>,
}

impl Validated {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

#[derive(Default)]
struct PlaceBuilder {
    /// Each attribute with the index in `names` of the row that gave it (that row was
    /// accepted, so it is there), for messages about rows that contradict it.
    kind: Option<(Sym, u32)>,
    country: Option<(Sym, u32)>,
    coords: Option<((f64, f64), u32)>,
    population: Option<(u64, u32)>,
    /// Every id the place's rows give in `same_as`, in the order first given.
    same_as: Vec<String>,
    /// Grown one at a time: a list's usual growth (to four at once) over-allocates, which
    /// at a million places with two or three names each costs hundreds of megabytes.
    names: Vec<NameRecord>,
}

/// A row whose values all parsed, still borrowing its text.
struct RowValues<'r> {
    place_id: &'r str,
    kind: &'r str,
    country: &'r str,
    coords: Option<(f64, f64)>,
    population: Option<u64>,
    same_as: &'r str,
    name: Box<str>,
    start: Option<Date>,
    end: Option<Date>,
    open_start: bool,
    attested: bool,
    lang: &'r str,
    source: &'r str,
    note: Box<str>,
    name_kind: NameKind,
}

/// Validates rows as they are read. A place id that appears in several files is one place.
#[derive(Default)]
pub struct Validator {
    index: HashMap<Box<str>, u32>,
    places: Vec<PlaceBuilder>,
    diagnostics: Vec<Diagnostic>,
    ignored_columns: Vec<String>,
    layout: Option<Layout>,
    langs: HashMap<Box<str>, Sym>,
    last_lang: Option<Sym>,
    /// The file of the rows before, and its interned name.
    last_file: Option<(Arc<str>, Sym)>,
    last_source: Option<Arc<str>>,
    /// The place of the last row, and its id.
    last_place: Option<u32>,
    last_id: String,
    /// The last coordinates `check_row` parsed on this thread (the checker of a reading
    /// thread keeps its own).
    last_coordinates: LastCoordinates,
}

/// The coordinates of the last row checked, as text and as parsed: a place's rows mostly
/// repeat them, and parsing two floats was the most of checking a row after splitting it.
#[derive(Default)]
struct LastCoordinates {
    lat: (String, f64),
    lon: (String, f64),
}

/// `text` as a number, from `last` when it holds the same text.
fn parse_coordinate(
    text: &str,
    last: &mut (String, f64),
) -> Result<f64, std::num::ParseFloatError> {
    if !last.0.is_empty() && last.0 == text {
        return Ok(last.1);
    }
    let v = text.parse::<f64>()?;
    last.0.clear();
    last.0.push_str(text);
    last.1 = v;
    Ok(v)
}

impl Validator {
    pub fn new() -> Self {
        Validator::default()
    }

    /// The valid places, sorted by id, each with its names in time order.
    /// The ids of the places seen so far.
    pub fn place_ids(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(|k| &**k)
    }

    pub fn finish(self) -> Validated {
        let mut ids: Vec<Option<Box<str>>> = vec![None; self.places.len()];
        for (id, i) in self.index {
            ids[i as usize] = Some(id);
        }
        let mut places: Vec<Place> = self
            .places
            .into_iter()
            .zip(ids)
            .filter(|(b, _)| !b.names.is_empty())
            .map(|(b, id)| {
                let mut names = b.names;
                names.sort_by(chronological);
                let mut same_as = b.same_as;
                same_as.sort();
                Place {
                    id: id.map(String::from).unwrap_or_default(),
                    kind: b.kind.map(|(k, _)| k),
                    country: b.country.map(|(c, _)| c),
                    coords: b.coords.map(|(c, _)| c),
                    population: b.population.map(|(p, _)| p),
                    same_as,
                    names,
                }
            })
            .collect();
        places.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        Validated {
            gazetteer: Gazetteer { places },
            diagnostics: self.diagnostics,
        }
    }

    /// Takes a checked row: adds its name to its place, or reports why it cannot.
    fn take(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord, checked: Checked) {
        let Some(layout) = self.layout else { return };
        let file = match &self.last_file {
            Some((f, sym)) if Arc::ptr_eq(f, file) => *sym,
            _ => {
                let sym = Sym::new(file);
                self.last_file = Some((file.clone(), sym));
                sym
            }
        };
        let origin = Origin { file, line };
        let mut errors = Vec::new();
        let Some(v) = row_values(&layout, fields, checked, &origin, &mut errors) else {
            self.diagnostics.extend(errors);
            return;
        };
        // A place's rows usually come together: the last row's place is tried first,
        // sparing a look-up in a table of a million ids (a cache miss or two each).
        let slot = match self.last_place {
            Some(i) if self.last_id == v.place_id => i,
            _ => {
                let i = match self.index.get(v.place_id) {
                    Some(&i) => i,
                    None => {
                        self.places.push(PlaceBuilder::default());
                        let i = (self.places.len() - 1) as u32;
                        self.index.insert(v.place_id.into(), i);
                        i
                    }
                };
                self.last_id.clear();
                self.last_id.push_str(v.place_id);
                self.last_place = Some(i);
                i
            }
        };
        let (kind, country, coords, population) =
            match merge(&self.places[slot as usize], &v, &origin) {
                Ok(adds) => adds,
                Err(e) => {
                    self.diagnostics.push(e);
                    return;
                }
            };
        // (A value already in its case, the usual one, is interned without a copy.)
        let kind = kind.map(|k| {
            if k.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                self.intern(k)
            } else {
                self.intern(&k.to_lowercase())
            }
        });
        let country = country.map(|c| {
            if c.bytes().all(|b| !b.is_ascii_lowercase()) {
                self.intern(c)
            } else {
                self.intern(&c.to_ascii_uppercase())
            }
        });
        let builder = &mut self.places[slot as usize];
        let at = builder.names.len() as u32;
        if let Some(k) = kind {
            builder.kind = Some((k, at));
        }
        if let Some(c) = country {
            builder.country = Some((c, at));
        }
        if let Some(c) = coords {
            builder.coords = Some((c, at));
        }
        if let Some(p) = population {
            builder.population = Some((p, at));
        }
        for id in v
            .same_as
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if !builder.same_as.iter().any(|known| known == id) {
                builder.same_as.push(id.to_string());
            }
        }
        let record = NameRecord {
            name: v.name,
            start: v.start,
            end: v.end,
            open_start: v.open_start,
            attested: v.attested,
            lang: self.lang(v.lang),
            source: self.source(v.source).into(),
            note: v.note,
            kind: v.name_kind,
            origin,
        };
        let names = &mut self.places[slot as usize].names;
        names.reserve_exact(1);
        names.push(record);
    }

    /// One shared copy of a short value that many rows repeat (a type, a country).
    fn intern(&mut self, value: &str) -> Sym {
        if let Some(l) = self.langs.get(value) {
            return *l;
        }
        let l = Sym::new(value);
        self.langs.insert(value.into(), l);
        l
    }

    fn lang(&mut self, tag: &str) -> Sym {
        // Rows of a file mostly share their language: try the last one first.
        if let Some(l) = self.last_lang
            && &*l == tag
        {
            return l;
        }
        let l = self.intern(tag);
        self.last_lang = Some(l);
        l
    }

    fn source(&mut self, text: &str) -> Arc<str> {
        match &self.last_source {
            Some(s) if &**s == text => s.clone(),
            _ => {
                let s: Arc<str> = Arc::from(text);
                self.last_source = Some(s.clone());
                s
            }
        }
    }
}

impl Sink for Validator {
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
        self.layout = layout(
            file,
            header,
            &mut self.diagnostics,
            &mut self.ignored_columns,
        );
        self.layout.is_some()
    }

    fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
        let Some(layout) = self.layout else { return };
        let checked = check_row(&layout, fields, &mut self.last_coordinates);
        self.take(file, line, fields, checked);
    }

    /// Rows are checked (`check_row`) on the reading thread when there is one.
    fn row_checker(&self) -> Option<crate::source::RowChecker> {
        let layout = self.layout?;
        let mut last = LastCoordinates::default();
        Some(Box::new(move |row| {
            Box::new(check_row(&layout, row, &mut last))
        }))
    }

    fn checked_row(
        &mut self,
        file: &Arc<str>,
        line: u64,
        fields: &csv::StringRecord,
        checked: crate::source::CheckedRow,
    ) {
        match checked.downcast::<Checked>() {
            Ok(checked) if self.layout.is_some() => self.take(file, line, fields, *checked),
            _ => self.row(file, line, fields),
        }
    }

    fn problem(&mut self, problem: Diagnostic) {
        self.diagnostics.push(problem);
    }

    fn end(&mut self, file: &Arc<str>, rows: u64) {
        let problems_here = self.diagnostics.iter().any(|d| *d.file == **file);
        if rows == 0 && !problems_here {
            self.diagnostics.push(Diagnostic::error(
                file,
                Some(1),
                None,
                "the file has a header but no rows: add rows below the header, or leave the \
                 file out"
                    .to_string(),
            ));
        }
        self.layout = None;
    }
}

/// Validates whole tables together (for small inputs and tests).
pub fn validate(tables: &[Table]) -> Validated {
    let mut v = Validator::new();
    for t in tables {
        t.replay(&mut v);
    }
    v.finish()
}

/// What a row's values come to, worked out from the row and its file's layout alone (so
/// that a read on two threads can do it on the parsing one): its problems, each with its
/// column, in the order they are reported, and the values that needed parsing.
pub struct Checked {
    problems: Vec<(Col, String)>,
    start: Option<Date>,
    end: Option<Date>,
    open_start: bool,
    attested: bool,
    coords: Option<(f64, f64)>,
    population: Option<u64>,
    name_kind: NameKind,
    /// The name's and the note's own copies, made here: on a big file this runs on the
    /// thread that parses, and the thread that keeps the rows, the slower of the two, is
    /// spared the allocating and copying.
    name: Box<str>,
    note: Box<str>,
}

fn check_row(layout: &Layout, row: &csv::StringRecord, last: &mut LastCoordinates) -> Checked {
    let mut problems = Vec::new();
    let values = layout.values(row);
    let get = |col: Col| values[col as usize];
    // Control characters (NUL, escape, ...) are damage, not text; in a name they could also
    // rewrite a terminal. Tabs and line ends may stand in quoted notes and sources.
    let suspect = may_hold_control(row.as_byte_record().as_slice());
    for (col, value) in Col::ALL.into_iter().zip(values) {
        let free = matches!(col, Col::Note | Col::Source);
        if suspect && let Some(c) = control_in(value, free) {
            problems.push((
                col,
                format!(
                    "holds the control character U+{:04X}: remove it (the file may be damaged, or \
                     not text)",
                    c as u32
                ),
            ));
        }
    }
    let mut err = |col: Col, msg: String| problems.push((col, msg));
    if get(Col::PlaceId).is_empty() {
        err(
            Col::PlaceId,
            "is empty: every row needs the id of its place".to_string(),
        );
    }
    if get(Col::Name).is_empty() {
        err(Col::Name, "is empty: every row needs a name".to_string());
    }
    let mut date = |col: Col| -> Option<Date> {
        let text = get(col);
        // `..` is an open bound (EDTF): the caller tells it from an empty one.
        if text.is_empty() || (text == ".." && col != Col::Attested) {
            return None;
        }
        Date::parse(text)
            .map_err(|e| {
                let also = if col == Col::Attested {
                    ""
                } else {
                    "; .. alone is an open bound"
                };
                err(col, format!("{e}; {}{also}", crate::date::ACCEPTED_FORMS))
            })
            .ok()
    };
    let mut start = date(Col::Start);
    let mut end = date(Col::End);
    let open_start = get(Col::Start) == "..";
    let attested_on = date(Col::Attested);
    let attested = attested_on.is_some();
    if let Some(on) = attested_on {
        if !get(Col::Start).is_empty() || !get(Col::End).is_empty() {
            let col = if get(Col::Start).is_empty() {
                Col::End
            } else {
                Col::Start
            };
            err(
                col,
                format!(
                    "is '{}' but the row is an attestation ('attested' is '{on}'): an attestation \
                     says only that the name was in use at that date, so leave start and end \
                     empty (or give the name's period in start and end, and no attestation)",
                    get(col)
                ),
            );
        }
        start = Some(on.clone());
        end = Some(on);
    }
    let lang = get(Col::Lang);
    if !lang.is_empty() && !is_language_tag(lang) {
        err(
            Col::Lang,
            format!("'{lang}' is not a BCP 47 language tag: use one such as en, ru, de, ru-Latn"),
        );
    }
    let country = get(Col::Country);
    let is_alpha2 = country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic());
    if !country.is_empty() && !is_alpha2 {
        err(
            Col::Country,
            format!(
                "'{country}' is not an ISO 3166-1 alpha-2 code: use two letters such as RU, DE"
            ),
        );
    }
    let mut coordinate = |col: Col, limit: f64, last: &mut (String, f64)| -> Option<f64> {
        let text = get(col);
        if text.is_empty() {
            return None;
        }
        match parse_coordinate(text, last) {
            Ok(v) if v.is_finite() && v.abs() <= limit => Some(v),
            Ok(_) => {
                err(
                    col,
                    format!("'{text}' is out of range: decimal degrees from -{limit} to {limit}"),
                );
                None
            }
            Err(_) => {
                err(
                    col,
                    format!("'{text}' is not a number: write decimal degrees such as 48.708"),
                );
                None
            }
        }
    };
    let lat = coordinate(Col::Lat, 90.0, &mut last.lat);
    let lon = coordinate(Col::Lon, 180.0, &mut last.lon);
    let lat_text = get(Col::Lat);
    let lon_text = get(Col::Lon);
    if lat_text.is_empty() != lon_text.is_empty() {
        let missing = if lat_text.is_empty() {
            Col::Lat
        } else {
            Col::Lon
        };
        err(
            missing,
            "is empty but its partner is not: give both lat and lon, or neither".to_string(),
        );
    }
    if let (Some(s), Some(e), false) = (&start, &end, attested) {
        let possible = Span {
            from: Some(s.window().earliest),
            until: Some(e.window().latest),
        };
        if possible.is_empty() {
            err(
                Col::End,
                format!(
                    "'{e}' is not after start '{s}': end is the day the next name took over, so it \
                     must come after start (swap them if they are reversed)"
                ),
            );
        }
    }
    let population_text = get(Col::Population);
    let population = if population_text.is_empty() {
        None
    } else {
        population_text
            .parse::<u64>()
            .map_err(|_| {
                err(
                    Col::Population,
                    format!(
                        "'{population_text}' is not a number of people: write a whole number such \
                         as 3426354, without separators, or leave the cell empty"
                    ),
                )
            })
            .ok()
    };
    let same_as = get(Col::SameAs);
    for id in same_as
        .split('|')
        .map(str::trim)
        .filter(|_| !same_as.is_empty())
    {
        if let Some(problem) = same_as_problem(id) {
            err(
                Col::SameAs,
                format!(
                    "'{id}' {problem}: write ids as scheme:value separated by '|', such as \
                     geonames:472757|wikidata:Q2060"
                ),
            );
            break;
        }
    }
    let kind_text = get(Col::Kind);
    let name_kind = NameKind::parse(kind_text).unwrap_or_else(|| {
        err(
            Col::Kind,
            format!(
                "'{kind_text}' is not a kind of name: use official (the default), exonym, variant \
                 or historical"
            ),
        );
        NameKind::Official
    });
    Checked {
        problems,
        start,
        end,
        open_start,
        attested,
        coords: lat.zip(lon),
        population,
        name_kind,
        name: get(Col::Name).into(),
        note: get(Col::Note).into(),
    }
}

/// Why one id of a (non-empty) `same_as` cell is not `scheme:value`, if it is not.
fn same_as_problem(id: &str) -> Option<&'static str> {
    let (scheme, value) = match id.split_once(':') {
        _ if id.is_empty() => return Some("is an empty id (two '|' in a row, or one at an end)"),
        Some(parts) => parts,
        None => return Some("has no scheme"),
    };
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !scheme_ok {
        return Some("has no scheme of lowercase letters before its ':'");
    }
    if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c == '|') {
        return Some("has no value after its ':', or spaces in it");
    }
    None
}

/// A row's values, or (in `errors`) why it cannot be taken.
fn row_values<'r>(
    layout: &Layout,
    row: &'r csv::StringRecord,
    checked: Checked,
    origin: &Origin,
    errors: &mut Vec<Diagnostic>,
) -> Option<RowValues<'r>> {
    if !checked.problems.is_empty() {
        errors.extend(checked.problems.into_iter().map(|(col, msg)| {
            Diagnostic::error(
                &origin.file,
                Some(origin.line),
                Some(COLUMNS[col as usize]),
                msg,
            )
        }));
        return None;
    }
    // (Only the columns the row's place takes: the others were read where the row was
    // checked, and reading them all again was a tenth of this thread's time.)
    let get = |col: Col| layout.value(row, col as usize);
    Some(RowValues {
        name_kind: checked.name_kind,
        place_id: get(Col::PlaceId),
        kind: get(Col::Type),
        country: get(Col::Country),
        coords: checked.coords,
        population: checked.population,
        same_as: get(Col::SameAs),
        name: checked.name,
        start: checked.start,
        end: checked.end,
        open_start: checked.open_start,
        attested: checked.attested,
        lang: get(Col::Lang),
        source: get(Col::Source),
        note: checked.note,
    })
}

/// A loose BCP 47 shape check: a 2-3 letter primary subtag, then subtags of 1-8 alphanumerics.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Checks a row's place attributes against its place, refusing a value that contradicts
/// an earlier row. Returns what the row adds: (type, country, coordinates).
type Adds<'r> = (
    Option<&'r str>,
    Option<&'r str>,
    Option<(f64, f64)>,
    Option<u64>,
);

fn merge<'r>(b: &PlaceBuilder, v: &RowValues<'r>, origin: &Origin) -> Result<Adds<'r>, Diagnostic> {
    let first = |i: u32| &b.names[i as usize].origin;
    let conflict = |column: &str, value: String, existing: String, first: &Origin| {
        Diagnostic::error(
            &origin.file,
            Some(origin.line),
            Some(column),
            format!(
                "{value} conflicts with {existing} given for place '{}' at {first}: a place has one \
                 {column}; make the rows agree or leave the cell empty",
                v.place_id
            ),
        )
    };
    if let Some((k, i)) = &b.kind
        && !v.kind.is_empty()
        && !k.eq_ignore_ascii_case(v.kind)
    {
        return Err(conflict(
            "type",
            format!("'{}'", v.kind.to_lowercase()),
            format!("'{k}'"),
            first(*i),
        ));
    }
    if let Some((c, i)) = &b.country
        && !v.country.is_empty()
        && !c.eq_ignore_ascii_case(v.country)
    {
        return Err(conflict(
            "country",
            format!("'{}'", v.country.to_ascii_uppercase()),
            format!("'{c}'"),
            first(*i),
        ));
    }
    if let (Some((c, i)), Some(new)) = (&b.coords, v.coords)
        && *c != new
    {
        return Err(conflict(
            "lat",
            format!("{},{}", new.0, new.1),
            format!("{},{}", c.0, c.1),
            first(*i),
        ));
    }
    if let (Some((p, i)), Some(new)) = (&b.population, v.population)
        && *p != new
    {
        return Err(conflict(
            "population",
            new.to_string(),
            p.to_string(),
            first(*i),
        ));
    }
    Ok((
        (b.kind.is_none() && !v.kind.is_empty()).then_some(v.kind),
        (b.country.is_none() && !v.country.is_empty()).then_some(v.country),
        if b.coords.is_none() { v.coords } else { None },
        if b.population.is_none() {
            v.population
        } else {
            None
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse;

    proptest::proptest! {
        /// A coordinate taken from the last row's gives what parsing its text gives,
        /// whatever the texts before it (repeated, different, not numbers).
        #[test]
        fn a_remembered_coordinate_is_the_parsed_one(
            texts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just("48.708".to_string()),
                    proptest::prelude::Just("-48.708".to_string()),
                    proptest::prelude::Just("abc".to_string()),
                    proptest::prelude::Just("NaN".to_string()),
                    "-?[0-9]{1,3}(\\.[0-9]{0,7})?",
                ],
                1..20,
            )
        ) {
            let mut last = (String::new(), 0.0);
            for t in &texts {
                let got = parse_coordinate(t, &mut last).map(f64::to_bits).ok();
                let want = t.parse::<f64>().map(f64::to_bits).ok();
                proptest::prop_assert_eq!(got, want, "{:?}", t);
            }
        }
    }

    fn run(csv: &str) -> Validated {
        validate(&[parse("t.csv", csv.as_bytes())])
    }

    fn messages(v: &Validated) -> Vec<String> {
        v.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn builds_places_in_time_order() {
        let v = run("place_id,name,start,end,lang\n\
                     v,Volgograd,1961-11-10,,en\n\
                     v,Stalingrad,1925-04-10,1961-11-10,en\n\
                     v,Tsaritsyn,1589,1925-04-10,en\n");
        assert!(v.diagnostics.is_empty(), "{:?}", messages(&v));
        let names: Vec<_> = v.gazetteer.places[0]
            .names
            .iter()
            .map(|n| n.name.as_ref())
            .collect();
        assert_eq!(names, ["Tsaritsyn", "Stalingrad", "Volgograd"]);
    }

    #[test]
    fn reports_impossible_date_with_file_line_column() {
        let v = run("place_id,name,end\nv,Stalingrad,1961-13-01\n");
        assert_eq!(
            messages(&v)[0].split(';').next().unwrap(),
            "t.csv:2: column 'end': '1961-13-01' is not a date (month 13)"
        );
        assert!(v.gazetteer.places.is_empty());
    }

    #[test]
    fn start_after_end_and_equal_bounds_are_errors() {
        let v = run(
            "place_id,name,start,end\na,X,1970,1960\nb,Y,1961-11-10,1961-11-10\nc,Z,1961,1961\n",
        );
        let m = messages(&v);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].starts_with("t.csv:2: column 'end': '1960' is not after start '1970'"));
        assert!(m[1].starts_with("t.csv:3: column 'end'"));
        assert_eq!(
            v.gazetteer.places.len(),
            1,
            "a name may begin and end within one year"
        );
    }

    #[test]
    fn conflicting_attributes_name_both_rows() {
        let v = run("place_id,name,lat,lon\na,X,10,20\na,Y,10.0,20\na,Z,11,20\n");
        let m = messages(&v);
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with(
                "t.csv:4: column 'lat': 11,20 conflicts with 10,20 given for place 'a' at t.csv:2"
            ),
            "{m:?}"
        );
    }

    /// Every control character is refused in a name, whichever byte it starts with
    /// (C0, DEL, C1); tab and line ends pass in notes; other text with 0xC2 passes.
    #[test]
    fn control_characters_are_found_by_their_bytes() {
        for c in [
            '\u{0}', '\u{1b}', '\u{7f}', '\u{80}', '\u{85}', '\u{9b}', '\u{9f}',
        ] {
            let v = run(&format!("place_id,name\np,Na{c}me\n"));
            assert_eq!(v.errors().count(), 1, "{:?}", c as u32);
            assert!(messages(&v)[0].contains(&format!("U+{:04X}", c as u32)));
        }
        let v = run("place_id,name,note\np,Ab\u{a0}c \u{a9},\"one\ttwo\r\nthree\"\n");
        assert!(v.diagnostics.is_empty(), "{:?}", messages(&v));
        let v = run("place_id,name,note\np,Abc,\"one\u{1b}\"\n");
        assert_eq!(v.errors().count(), 1);
    }

    #[test]
    fn coordinates_must_be_numbers_in_range() {
        let v = run("place_id,name,lat,lon\na,X,91,0\nb,Y,NaN,0\nc,Z,inf,0\nd,W,1,\n");
        let m = messages(&v);
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(m[0].contains("'91' is out of range"));
        assert!(m[1].contains("'NaN' is out of range"));
        assert!(m[3].contains("column 'lon': is empty but its partner is not"));
    }

    #[test]
    fn header_problems() {
        let m = messages(&run("place_id,nom\na,b\n"));
        assert!(m.iter().any(|s| s.contains("no 'name' column")), "{m:?}");
        let m = messages(&run("place_id,name,name\na,b,c\n"));
        assert!(
            m.iter().any(|s| s.contains("names column 'name' twice")),
            "{m:?}"
        );
        let m = messages(&run("place_id,name\n"));
        assert!(m[0].contains("header but no rows"), "{m:?}");
        let m = messages(&run("place_id,name,inhabitants\na,b,1\n"));
        assert_eq!(m.len(), 1);
        assert!(
            m[0].contains("warning: column 'inhabitants': unknown column ignored"),
            "{m:?}"
        );
    }

    /// #18: population and same_as are place attributes, checked like the others.
    #[test]
    fn population_and_same_as() {
        let v = run("place_id,name,population,same_as\n\
                     b,Berlin,3426354,geonames:2950159|wikidata:Q64\n\
                     b,Berlin,,geonames:2950159\n");
        assert!(v.diagnostics.is_empty(), "{:?}", messages(&v));
        let p = &v.gazetteer.places[0];
        assert_eq!(p.population, Some(3426354));
        assert_eq!(p.same_as, ["geonames:2950159", "wikidata:Q64"]);
        let m = messages(&run("place_id,name,population,same_as\n\
                               a,X,-5,\n\
                               b,Y,1.5e3,\n\
                               c,Z,,2950159\n\
                               d,W,,geonames:1||x:2\n\
                               e,V,10,\n\
                               e,V,11,\n"));
        assert_eq!(m.len(), 5, "{m:?}");
        assert!(
            m[0].starts_with("t.csv:2: column 'population': '-5' is not a number of people"),
            "{m:?}"
        );
        assert!(m[1].contains("'1.5e3' is not a number of people"), "{m:?}");
        assert!(
            m[2].starts_with("t.csv:4: column 'same_as': '2950159' has no scheme"),
            "{m:?}"
        );
        assert!(m[3].starts_with("t.csv:5: column 'same_as': '' "), "{m:?}");
        assert!(
            m[4].starts_with("t.csv:7: column 'population': 11 conflicts with 10"),
            "{m:?}"
        );
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("ru-Latn"));
        assert!(is_language_tag("sr-Cyrl-RS"));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag("e"));
        assert!(!is_language_tag("en-"));
    }

    #[test]
    fn same_place_across_files_is_one_place() {
        let a = parse("a.csv", b"place_id,name,lat,lon\np,X,1,2\n");
        let b = parse("b.csv", b"place_id,name\np,Y\n");
        let v = validate(&[a, b]);
        assert_eq!(v.gazetteer.places.len(), 1);
        assert_eq!(v.gazetteer.places[0].names.len(), 2);
        assert_eq!(v.gazetteer.places[0].coords, Some((1.0, 2.0)));
    }
}
