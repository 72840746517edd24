//! Pleiades in: the GIS export's `names.csv` (one row per name of an ancient place), joined
//! to its `places.csv` for coordinates, becomes rows of our schema offered to a sink like
//! the rows of a CSV file.
//!
//! Owns the mapping from Pleiades to rows; validation stays in `validate`. It reads both
//! files as streams, `places.csv` first into a map of what it needs (coordinates and
//! whether they are rough), then one `names.csv` record at a time. Columns are found by
//! their header names; a message names the Pleiades file, the record's line and column.
//!
//! For each name, one row:
//! - `place_id` `pleiades:<place_id>`; `name` the attested form (trimmed), else
//!   `romanized_form_1`. When the attested form is in a script other than Latin and a
//!   romanized form exists, a second row gives `romanized_form_1` as a `variant`, with the
//!   same dates and `lang` the tag with the script `Latn` (`he` → `he-Latn`, `egy-Egyd` →
//!   `egy-Latn`), so that a name typed in Latin letters finds the place and says which
//!   script it is in. Other romanized forms go into the note.
//! - `lang` the `language_tag` (left empty, and kept in the note, when it is not a BCP 47
//!   tag our validation accepts); `source` the name's `uri`, else the place's page;
//!   `type` and `country` empty (these columns of the export do not carry them); `lat`,
//!   `lon` the place's representative point, empty when `places.csv` lacks the place (one
//!   warning counts such names) or is not given.
//! - `kind` from `name_type`: `geographic` is `official`; `ethnic` (the name of a people)
//!   is `historical`, so that a place's own toponym answers first; `associated_modern`
//!   (the name of a modern thing at the site) is `variant`; any other type is `official`
//!   with the type in the note and one warning.
//! - An `association_certainty` other than `certain` puts `?` on both dates, because the
//!   certainty column of `at` and `resolve` is the only place a doubt reaches an answer;
//!   the note says that the doubt is about the name belonging to the place.
//! - `note`: the description when short, the conversions made (name type, doubt, the
//!   Pleiades years and calendar, other romanizations, a rough location).
//!
//! Dates. `year_after_which` and `year_before_which` are years counted without a year 0
//! (-330 is 330 BC), Julian up to 1582 and Gregorian from 1583 (the first whole year of
//! the Gregorian reform: Pleiades' "Modern" period, 1700-2100, is not meant in the Julian
//! calendar). The name is taken to hold over the whole of both years and every year
//! between. Our data is Gregorian and a name holds over `[start, end)`, so `start` is the
//! Gregorian day on which the first year began and `end` the Gregorian day after the last
//! year ended: -330 to 300 becomes `-0330-12-27` to `0301-01-02` (astronomical numbering
//! has a year 0, so 330 BC is `-0329`; Julian 1 January 330 BC was Gregorian 27 December
//! 331 BC, and 300 was a leap year only in the Julian calendar). Days, not years: a
//! Julian year is not a Gregorian one, and only its exact days keep the name `certain` on
//! every Gregorian year it covers whole (`at -0329`, `at 0300`) and hold it on no day the
//! Julian years do not cover. An empty bound stays empty (unknown). A bound that is not a
//! whole number, is 0, is beyond four digits, or comes after the other bound makes the
//! name an error, never a row.

use crate::date::{Date, julian_to_gregorian};
use crate::error::Diagnostic;
use crate::hash::FxHashMap as HashMap;
use crate::read::{QuoteScan, Sink, drop_final_cr, first_line};
use crate::schema::COLUMNS;
use chrono::NaiveDate;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

/// The last year Pleiades' years are read in the Julian calendar; later ones are Gregorian.
pub const LAST_JULIAN_YEAR: i32 = 1582;

/// The page of a Pleiades place, the source of a name without its own `uri`.
const PLACE_PAGE: &str = "https://pleiades.stoa.org/places/";

/// A description at most this long (in characters) goes into the note.
const SHORT_DESCRIPTION: usize = 100;

/// Reads Pleiades `names.csv` (the GIS export: one row per name of a place) joined to an
/// optional `places.csv` (coordinates, title) into rows of our schema offered to `sink`.
pub fn parse_into(
    names: (&str, &mut dyn std::io::Read),
    places: Option<(&str, &mut dyn std::io::Read)>,
    sink: &mut dyn crate::read::Sink,
) {
    let places = places.and_then(|(file, input)| read_places(file, input, sink));
    read_names(names.0, names.1, places.as_ref(), sink);
}

/// A place's representative point, as written in `places.csv`.
#[derive(Debug, Clone)]
struct Point {
    lat: Box<str>,
    lon: Box<str>,
    rough: bool,
}

/// What `places.csv` says of each place id: its point, if it has a usable one.
struct Places {
    file: String,
    points: HashMap<Box<str>, Option<Point>>,
}

/// A CSV file being read: the csv reader over the raw stream, and its header.
struct CsvFile<'a> {
    file: &'a str,
    reader: csv::Reader<QuoteScan<BufReader<&'a mut dyn Read>>>,
    header: Vec<String>,
    raw: csv::ByteRecord,
    scratch: csv::ByteRecord,
    /// Whether the end came with a problem already reported (an unclosed quote, an error).
    failed: bool,
}

/// What reading one more record gave.
enum Next {
    Record(csv::StringRecord, u64),
    /// A record that was reported and skipped.
    Skipped,
    End,
}

impl<'a> CsvFile<'a> {
    /// Opens a stream as CSV and reads its header, or reports why it cannot.
    fn open(file: &'a str, input: &'a mut dyn Read, sink: &mut dyn Sink) -> Option<Self> {
        let mut input = BufReader::with_capacity(1 << 16, input);
        let start = match input.fill_buf() {
            Ok(b) => b,
            Err(e) => {
                sink.problem(Diagnostic::error(
                    file,
                    None,
                    None,
                    format!("cannot read: {e}"),
                ));
                return None;
            }
        };
        if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
            sink.problem(Diagnostic::error(
                file,
                None,
                None,
                "the file is UTF-16: save it as UTF-8 and try again".to_string(),
            ));
            return None;
        }
        if start.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
        }
        // Records end at '\n', as in `read`: the csv crate counts the lines of CRLF files
        // late, and `read::first_line` gives a record's own line.
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(QuoteScan::new(input, b','));
        let mut csv = CsvFile {
            file,
            reader,
            header: Vec::new(),
            raw: csv::ByteRecord::new(),
            scratch: csv::ByteRecord::new(),
            failed: false,
        };
        match csv.next(sink) {
            Next::Record(r, _) => {
                csv.header = r.iter().map(|f| f.trim().to_string()).collect();
                Some(csv)
            }
            Next::Skipped => None,
            Next::End => {
                if !csv.failed {
                    sink.problem(Diagnostic::error(
                        file,
                        None,
                        None,
                        "the file is empty: a Pleiades CSV file starts with a header line"
                            .to_string(),
                    ));
                }
                None
            }
        }
    }

    /// Where a column sits in the header (ASCII case and surrounding spaces ignored).
    fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The next record, its line, and its fields as text; problems go to the sink. At the
    /// end of the input, an unclosed quote is reported.
    fn next(&mut self, sink: &mut dyn Sink) -> Next {
        let file = self.file;
        loop {
            match self.reader.read_byte_record(&mut self.raw) {
                Ok(true) => {}
                Ok(false) => {
                    if let Some(line) = self.reader.get_ref().unclosed() {
                        self.failed = true;
                        sink.problem(Diagnostic::error(
                            file,
                            Some(line),
                            None,
                            "a quoted field opened on this line is never closed: everything \
                             after it was read as one field (a quote inside a quoted field is \
                             written '\"\"')"
                                .to_string(),
                        ));
                    }
                    return Next::End;
                }
                Err(e) => {
                    let line = e.position().map(csv::Position::line);
                    let message = match e.kind() {
                        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
                        _ => format!("not valid CSV: {e}"),
                    };
                    sink.problem(Diagnostic::error(file, line, None, message));
                    self.failed = true;
                    return Next::End;
                }
            }
            if self.raw.len() == 1 && self.raw[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if self
                .raw
                .iter()
                .next_back()
                .is_some_and(|f| f.ends_with(b"\r"))
            {
                drop_final_cr(&mut self.raw, &mut self.scratch);
            }
            let line = first_line(&self.reader, &self.raw);
            return match csv::StringRecord::from_byte_record(std::mem::take(&mut self.raw)) {
                Ok(r) => Next::Record(r, line),
                Err(e) => {
                    let column = self.header.get(e.utf8_error().field()).map(String::as_str);
                    sink.problem(Diagnostic::error(
                        file,
                        Some(line),
                        column,
                        "bytes that are not UTF-8: the Pleiades exports are UTF-8; this file \
                         may be damaged or another file"
                            .to_string(),
                    ));
                    self.raw = e.into_byte_record();
                    Next::Skipped
                }
            };
        }
    }

    /// Reports a header that lacks required columns (each entry: the names any of which
    /// will do). True when all are there.
    fn require(&self, required: &[&[&str]], sink: &mut dyn Sink) -> bool {
        let missing: Vec<String> = required
            .iter()
            .filter(|any| any.iter().all(|c| self.column(c).is_none()))
            .map(|any| any.join("' or '"))
            .collect();
        if missing.is_empty() {
            return true;
        }
        let plural = if missing.len() == 1 { "" } else { "s" };
        sink.problem(Diagnostic::error(
            self.file,
            Some(1),
            required
                .iter()
                .find(|any| any.iter().all(|c| self.column(c).is_none()))
                .map(|any| any[0]),
            format!(
                "the header has no '{}' column{plural}: is this a Pleiades GIS export file? \
                 (header: {})",
                missing.join("', '"),
                shorten(&self.header.join(","), 200)
            ),
        ));
        false
    }

    /// Reports a record whose number of fields differs from the header's. True if it fits.
    fn fits(&self, record: &csv::StringRecord, line: u64, sink: &mut dyn Sink) -> bool {
        if record.len() == self.header.len() {
            return true;
        }
        sink.problem(Diagnostic::error(
            self.file,
            Some(line),
            None,
            format!(
                "the row has {} fields but the header has {}: the file may be cut or damaged",
                record.len(),
                self.header.len()
            ),
        ));
        false
    }
}

/// Reads `places.csv` into a map of points; `None` when it cannot be used at all.
fn read_places(file: &str, input: &mut dyn Read, sink: &mut dyn Sink) -> Option<Places> {
    let mut csv = CsvFile::open(file, input, sink)?;
    let required: [&[&str]; 3] = [
        &["id"],
        &["representative_latitude"],
        &["representative_longitude"],
    ];
    if !csv.require(&required, sink) {
        return None;
    }
    let at = |name: &str| csv.column(name);
    let (id_at, lat_at, lon_at) = (
        at("id").unwrap_or(0),
        at("representative_latitude").unwrap_or(0),
        at("representative_longitude").unwrap_or(0),
    );
    let precision_at = at("location_precision");
    let mut points: HashMap<Box<str>, Option<Point>> = HashMap::default();
    loop {
        let (record, line) = match csv.next(sink) {
            Next::Record(r, line) => (r, line),
            Next::Skipped => continue,
            Next::End => break,
        };
        if !csv.fits(&record, line, sink) {
            continue;
        }
        let get = |i: usize| record.get(i).map_or("", str::trim);
        let id = get(id_at);
        if id.is_empty() {
            sink.problem(Diagnostic::warning(
                file,
                Some(line),
                Some("id"),
                "is empty: this place row is ignored".to_string(),
            ));
            continue;
        }
        if points.contains_key(id) {
            sink.problem(Diagnostic::warning(
                file,
                Some(line),
                Some("id"),
                format!("place {id} is listed again: its first row is used"),
            ));
            continue;
        }
        let point = match (
            coordinate(get(lat_at), 90.0),
            coordinate(get(lon_at), 180.0),
        ) {
            (Ok(Some(lat)), Ok(Some(lon))) => Some(Point {
                lat: lat.into(),
                lon: lon.into(),
                rough: precision_at.is_some_and(|i| get(i).eq_ignore_ascii_case("rough")),
            }),
            (Ok(None), Ok(None)) => None,
            (lat, lon) => {
                let (column, text) = match lat {
                    Err(_) | Ok(None) => ("representative_latitude", get(lat_at)),
                    Ok(Some(_)) => ("representative_longitude", get(lon_at)),
                };
                let why = match (lat, lon) {
                    (Err(why), _) | (_, Err(why)) => why,
                    _ => "only one of latitude and longitude is given".to_string(),
                };
                sink.problem(Diagnostic::warning(
                    file,
                    Some(line),
                    Some(column),
                    format!("'{text}': {why}; the names of place {id} get no coordinates"),
                ));
                None
            }
        };
        points.insert(id.into(), point);
    }
    Some(Places {
        file: file.to_string(),
        points,
    })
}

/// A coordinate as written, if it is a number within `limit` degrees; `None` when empty.
fn coordinate(text: &str, limit: f64) -> Result<Option<&str>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(Some(text)),
        Ok(_) => Err(format!("out of range (-{limit} to {limit} degrees)")),
        Err(_) => Err("not a number".to_string()),
    }
}

/// Where the columns of `names.csv` sit.
struct NameColumns {
    place_id: usize,
    attested: Option<usize>,
    romanized: [Option<usize>; 3],
    after: usize,
    before: usize,
    uri: Option<usize>,
    name_type: Option<usize>,
    lang: Option<usize>,
    certainty: Option<usize>,
    accuracy: Option<usize>,
    completeness: Option<usize>,
    description: Option<usize>,
}

/// What was seen across a file, for the warnings given once at its end.
#[derive(Default)]
struct Seen {
    /// Names whose place is not in `places.csv`: how many, of how many places, the first.
    unplaced: u64,
    unplaced_places: std::collections::BTreeSet<String>,
    first_unplaced: Option<(u64, String)>,
    odd_types: std::collections::BTreeSet<String>,
    odd_tags: std::collections::BTreeSet<String>,
}

fn read_names(file: &str, input: &mut dyn Read, places: Option<&Places>, sink: &mut dyn Sink) {
    let Some(mut csv) = CsvFile::open(file, input, sink) else {
        return;
    };
    let required: [&[&str]; 4] = [
        &["place_id"],
        &["attested_form", "romanized_form_1"],
        &["year_after_which"],
        &["year_before_which"],
    ];
    if !csv.require(&required, sink) {
        return;
    }
    let at = |name: &str| csv.column(name);
    let columns = NameColumns {
        place_id: at("place_id").unwrap_or(0),
        attested: at("attested_form"),
        romanized: [
            at("romanized_form_1"),
            at("romanized_form_2"),
            at("romanized_form_3"),
        ],
        after: at("year_after_which").unwrap_or(0),
        before: at("year_before_which").unwrap_or(0),
        uri: at("uri"),
        name_type: at("name_type"),
        lang: at("language_tag"),
        certainty: at("association_certainty"),
        accuracy: at("transcription_accuracy"),
        completeness: at("transcription_completeness"),
        description: at("description"),
    };
    let name: Arc<str> = Arc::from(file);
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    if !sink.header(&name, &header) {
        return;
    }
    let mut seen = Seen::default();
    let mut rows = 0u64;
    let mut out = csv::StringRecord::new();
    loop {
        let (record, line) = match csv.next(sink) {
            Next::Record(r, line) => (r, line),
            Next::Skipped => continue,
            Next::End => break,
        };
        if !csv.fits(&record, line, sink) {
            continue;
        }
        match convert(&columns, &record, places, &mut seen, line) {
            Ok(converted) => {
                for row in &converted {
                    out.clear();
                    for field in row {
                        out.push_field(field);
                    }
                    // Pleiades dates periods, never attestations: `attested` stays empty.
                    out.push_field("");
                    sink.row(&name, line, &out);
                    rows += 1;
                }
            }
            Err(problems) => {
                for (column, message) in problems {
                    sink.problem(Diagnostic::error(file, Some(line), Some(column), message));
                }
            }
        }
    }
    warn_once(file, places, &seen, sink);
    sink.end(&name, rows);
}

/// The warnings that sum up a file.
fn warn_once(file: &str, places: Option<&Places>, seen: &Seen, sink: &mut dyn Sink) {
    if let (Some(places), Some((line, id))) = (places, &seen.first_unplaced) {
        let n = seen.unplaced;
        let p = seen.unplaced_places.len();
        sink.problem(Diagnostic::warning(
            file,
            None,
            Some("place_id"),
            format!(
                "{n} name{} of {p} place{} not in {} {} no coordinates (the first: place {id} \
                 at line {line}); give the whole places.csv of the same export",
                if n == 1 { "" } else { "s" },
                if p == 1 { "" } else { "s" },
                places.file,
                if n == 1 { "has" } else { "have" },
            ),
        ));
    }
    if !seen.odd_types.is_empty() {
        sink.problem(Diagnostic::warning(
            file,
            None,
            Some("name_type"),
            format!(
                "unknown name types read as official, with the type in the note: {}",
                list(&seen.odd_types)
            ),
        ));
    }
    if !seen.odd_tags.is_empty() {
        sink.problem(Diagnostic::warning(
            file,
            None,
            Some("language_tag"),
            format!(
                "language tags that are not BCP 47 left out of 'lang' and kept in the note: {}",
                list(&seen.odd_tags)
            ),
        ));
    }
}

/// A few values of a set, quoted, and how many more there are.
fn list(values: &std::collections::BTreeSet<String>) -> String {
    let shown: Vec<String> = values.iter().take(10).map(|v| format!("'{v}'")).collect();
    let more = values.len().saturating_sub(10);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Text cut to at most `max` characters, for messages.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// The rows one Pleiades name becomes, or the reasons (column, message) it cannot.
type Converted = Result<Vec<[String; 12]>, Vec<(&'static str, String)>>;

fn convert(
    c: &NameColumns,
    record: &csv::StringRecord,
    places: Option<&Places>,
    seen: &mut Seen,
    line: u64,
) -> Converted {
    let get = |i: Option<usize>| i.and_then(|i| record.get(i)).map_or("", str::trim);
    let mut problems: Vec<(&'static str, String)> = Vec::new();
    let place_id = get(Some(c.place_id));
    if place_id.is_empty() {
        problems.push((
            "place_id",
            "is empty: every name needs its place".to_string(),
        ));
    }
    let attested = get(c.attested);
    let romanized: Vec<&str> = c.romanized.iter().map(|&i| get(i)).collect();
    let name = if attested.is_empty() {
        romanized[0]
    } else {
        attested
    };
    if name.is_empty() {
        problems.push((
            "attested_form",
            "is empty and so is romanized_form_1: the name has no text".to_string(),
        ));
    }
    let after = year(get(Some(c.after)));
    let before = year(get(Some(c.before)));
    let mut bounds: [Option<(i32, NaiveDate, NaiveDate)>; 2] = [None, None];
    for (k, (column, parsed)) in [("year_after_which", &after), ("year_before_which", &before)]
        .into_iter()
        .enumerate()
    {
        match parsed {
            Ok(y) => bounds[k] = *y,
            Err(why) => problems.push((column, why.clone())),
        }
    }
    if let [Some((a, from, _)), Some((b, _, until))] = bounds
        && from >= until
    {
        problems.push((
            "year_before_which",
            format!(
                "{b} comes before year_after_which {a}: the name would end before it began \
                 (are they swapped?)"
            ),
        ));
    }
    let certainty = get(c.certainty);
    let doubtful = !certainty.is_empty() && !certainty.eq_ignore_ascii_case("certain");
    let qualifier = if doubtful { "?" } else { "" };
    let mut date = |column: &'static str, day: Option<NaiveDate>| -> String {
        let Some(day) = day else {
            return String::new();
        };
        let text = format!("{}{qualifier}", Date::from_day(day));
        match Date::parse(&text) {
            Ok(_) => text,
            Err(e) => {
                problems.push((
                    column,
                    format!("{e}: the year cannot be written as a date of our data"),
                ));
                String::new()
            }
        }
    };
    let start = date("year_after_which", bounds[0].map(|(_, from, _)| from));
    let end = date("year_before_which", bounds[1].map(|(_, _, until)| until));
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut notes: Vec<String> = Vec::new();
    let description = get(c.description);
    if !description.is_empty()
        && description.chars().count() <= SHORT_DESCRIPTION
        && !description.contains('\n')
    {
        notes.push(description.trim_end_matches('.').to_string());
    }
    let name_type = get(c.name_type);
    let kind = match name_type.to_ascii_lowercase().as_str() {
        "" | "geographic" => "official",
        "ethnic" => {
            notes.push("Pleiades ethnic name (of a people)".to_string());
            "historical"
        }
        "associated_modern" => {
            notes.push("Pleiades associated modern name".to_string());
            "variant"
        }
        other => {
            seen.odd_types.insert(other.to_string());
            notes.push(format!("Pleiades name type '{name_type}'"));
            "official"
        }
    };
    if doubtful {
        notes.push(format!(
            "association with the place {certainty} (so the dates carry '?')"
        ));
    }
    for (i, good) in [(c.accuracy, "accurate"), (c.completeness, "complete")] {
        let value = get(i);
        if !value.is_empty() && !value.eq_ignore_ascii_case(good) {
            notes.push(format!("transcription {value}"));
        }
    }
    if let Some(years) = years_note(bounds[0].map(|b| b.0), bounds[1].map(|b| b.0)) {
        notes.push(years);
    }
    let mut lang = get(c.lang).to_string();
    if !lang.is_empty() && !crate::validate::is_language_tag(&lang) {
        notes.push(format!("language '{lang}'"));
        seen.odd_tags.insert(std::mem::take(&mut lang));
    }
    let (lat, lon) = match places.map(|p| p.points.get(place_id)) {
        Some(Some(Some(point))) => {
            if point.rough {
                notes.push("location rough".to_string());
            }
            (point.lat.to_string(), point.lon.to_string())
        }
        Some(None) => {
            seen.unplaced += 1;
            seen.unplaced_places.insert(place_id.to_string());
            seen.first_unplaced
                .get_or_insert_with(|| (line, place_id.to_string()));
            (String::new(), String::new())
        }
        _ => (String::new(), String::new()),
    };
    let romanized_row = (!attested.is_empty() && !romanized[0].is_empty() && !is_latin(attested))
        .then_some(romanized[0]);
    let mut others: Vec<&str> = Vec::new();
    for &r in &romanized {
        if !r.is_empty() && r != name && Some(r) != romanized_row && !others.contains(&r) {
            others.push(r);
        }
    }
    if !others.is_empty() {
        notes.push(format!("romanized {}", others.join(", ")));
    }
    let source = match get(c.uri) {
        "" => format!("{PLACE_PAGE}{place_id}"),
        uri => uri.to_string(),
    };
    let id = format!("pleiades:{place_id}");
    let note = notes.join("; ");
    let row = |name: &str, lang: String, note: String, kind: &str| -> [String; 12] {
        [
            id.clone(),
            name.to_string(),
            start.clone(),
            end.clone(),
            lang,
            String::new(),
            String::new(),
            lat.clone(),
            lon.clone(),
            source.clone(),
            note,
            kind.to_string(),
        ]
    };
    let mut rows = vec![row(name, lang.clone(), note.clone(), kind)];
    if let Some(r) = romanized_row {
        let note = if note.is_empty() {
            format!("romanization of {attested}")
        } else {
            format!("romanization of {attested}; {note}")
        };
        rows.push(row(r, latin_tag(&lang), note, "variant"));
    }
    Ok(rows)
}

/// A Pleiades year bound: the year, the Gregorian day it began and the day after it ended.
/// `Ok(None)` for an empty cell.
type Bound = Option<(i32, NaiveDate, NaiveDate)>;

fn year(text: &str) -> Result<Bound, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let y: i32 = text.parse().map_err(|_| {
        format!("'{text}' is not a year: Pleiades years are whole numbers such as -330 or 300")
    })?;
    if y == 0 {
        return Err(
            "'0' is not a year: Pleiades counts without a year 0 (-1 is 1 BC, 1 is AD 1)"
                .to_string(),
        );
    }
    if y.abs() > 9999 {
        return Err(format!(
            "'{text}' is beyond the four-digit years our dates can write"
        ));
    }
    let (from, until) = year_days(y)
        .ok_or_else(|| format!("'{text}' is beyond the four-digit years our dates can write"))?;
    Ok(Some((y, from, until)))
}

/// The astronomical number of a year counted without a year 0: 1 BC is 0, 330 BC is -329.
pub fn astronomical(y: i32) -> i32 {
    if y < 0 { y + 1 } else { y }
}

/// The Gregorian day on which Pleiades year `y` (no year 0) began, and the day after it
/// ended: the Julian year up to [`LAST_JULIAN_YEAR`], the Gregorian year after it.
pub fn year_days(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    let a = astronomical(y);
    if a <= LAST_JULIAN_YEAR {
        let first = julian_to_gregorian(a, 1, 1)?;
        let after = julian_to_gregorian(a, 12, 31)?.succ_opt()?;
        Some((first, after))
    } else {
        Some((
            NaiveDate::from_ymd_opt(a, 1, 1)?,
            NaiveDate::from_ymd_opt(a.checked_add(1)?, 1, 1)?,
        ))
    }
}

/// The note that says which Pleiades years the dates came from, and how they were read.
fn years_note(after: Option<i32>, before: Option<i32>) -> Option<String> {
    let years: Vec<i32> = [after, before].into_iter().flatten().collect();
    let julian = years
        .iter()
        .filter(|&&y| astronomical(y) <= LAST_JULIAN_YEAR)
        .count();
    let calendar = match julian {
        0 => "whole years",
        n if n == years.len() => "whole Julian years",
        _ => "whole years, Julian to 1582",
    };
    let bc = if years.iter().any(|&y| y < 0) {
        ", negative is BC"
    } else {
        ""
    };
    let span = match (after, before) {
        (Some(a), Some(b)) => format!("after {a}, before {b}"),
        (Some(a), None) => format!("after {a}"),
        (None, Some(b)) => format!("before {b}"),
        (None, None) => return None,
    };
    Some(format!("Pleiades: {span} ({calendar}{bc})"))
}

/// Whether every letter of a text is a Latin letter (marks and other symbols do not count).
fn is_latin(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).all(|c| {
        matches!(u32::from(c),
            0..=0x036F // ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers, marks
            | 0x1D00..=0x1DFF // phonetic extensions, combining marks supplement
            | 0x1E00..=0x1EFF // Latin Extended Additional (ṣ, ḥ)
            | 0x2070..=0x209F // superscripts and subscripts
            | 0x2C60..=0x2C7F // Latin Extended-C
            | 0xA720..=0xA7FF // Latin Extended-D
            | 0xAB30..=0xAB6F // Latin Extended-E
            | 0xFB00..=0xFB06 // ligatures (ﬁ)
            | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A // fullwidth Latin
        )
    })
}

/// The language tag of a romanization: the tag with its script subtag set to `Latn`.
fn latin_tag(tag: &str) -> String {
    if tag.is_empty() {
        return String::new();
    }
    let mut parts: Vec<&str> = tag.split('-').collect();
    let is_script = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic());
    match parts.get(1) {
        Some(p) if is_script(p) => parts[1] = "Latn",
        _ => parts.insert(1, "Latn"),
    }
    parts.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Table;
    use crate::validate::Validator;

    const NAMES_HEADER: &str = "created,description,details,provenance,title,uri,id,place_id,\
        name_type,language_tag,attested_form,romanized_form_1,romanized_form_2,romanized_form_3,\
        association_certainty,transcription_accuracy,transcription_completeness,\
        year_after_which,year_before_which";

    /// One names.csv row from the columns that matter.
    fn name_row(place: &str, lang: &str, attested: &str, romanized: &str, years: &str) -> String {
        format!(
            "2010-06-24T14:11:06Z,,,,T,,x,{place},geographic,{lang},{attested},{romanized},,,\
             certain,accurate,complete,{years}"
        )
    }

    fn run(names: &str, places: Option<&str>) -> Table {
        let mut table = Table::default();
        let mut n = names.as_bytes();
        let mut p = places.map(str::as_bytes);
        parse_into(
            ("names.csv", &mut n),
            p.as_mut().map(|p| ("places.csv", p as &mut dyn Read)),
            &mut table,
        );
        table
    }

    fn field<'t>(t: &'t Table, row: usize, column: &str) -> &'t str {
        let i = COLUMNS.iter().position(|c| *c == column).unwrap();
        &t.rows[row].fields[i]
    }

    fn messages(t: &Table) -> Vec<String> {
        t.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn years_convert_to_astronomical_numbering_and_julian_days() {
        assert_eq!(astronomical(-330), -329);
        assert_eq!(astronomical(-1), 0);
        assert_eq!(astronomical(1), 1);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Julian 1 January 330 BC fell on Gregorian 27 December of 331 BC (-0330): five
        // days behind, as the Julian calendar had leapt in -300, -200 and -100.
        assert_eq!(
            year_days(-330),
            Some((day("-0330-12-27"), day("-0329-12-27")))
        );
        // The calendars agree from March 200 to February 300; 300 is leap only in the
        // Julian calendar, so its last day is Gregorian 1 January 301.
        assert_eq!(year_days(300), Some((day("0300-01-01"), day("0301-01-02"))));
        assert_eq!(year_days(1), Some((day("0000-12-30"), day("0001-12-30"))));
        assert_eq!(year_days(-1), Some((day("-0001-12-30"), day("0000-12-30"))));
        // From 1583 the years are Gregorian.
        assert_eq!(
            year_days(1582),
            Some((day("1582-01-11"), day("1583-01-11")))
        );
        assert_eq!(
            year_days(1700),
            Some((day("1700-01-01"), day("1701-01-01")))
        );
    }

    #[test]
    fn a_row_gets_the_days_its_years_began_and_ended() {
        let t = run(
            &format!(
                "{NAMES_HEADER}\n{}\n{}\n{}\n",
                name_row("1", "la", "Roma", "Roma", "-330,300"),
                name_row("2", "la", "Aa", "Aa", "1,1"),
                name_row("3", "la", "Bb", "Bb", "-1,-1"),
            ),
            None,
        );
        assert_eq!(messages(&t), Vec::<String>::new());
        assert_eq!(field(&t, 0, "place_id"), "pleiades:1");
        assert_eq!(field(&t, 0, "start"), "-0330-12-27");
        assert_eq!(field(&t, 0, "end"), "0301-01-02");
        assert_eq!(field(&t, 1, "start"), "0000-12-30");
        assert_eq!(field(&t, 1, "end"), "0001-12-30");
        assert_eq!(field(&t, 2, "start"), "-0001-12-30");
        assert_eq!(field(&t, 2, "end"), "0000-12-30");
        assert_eq!(
            field(&t, 0, "note"),
            "Pleiades: after -330, before 300 (whole Julian years, negative is BC)"
        );
        assert_eq!(field(&t, 0, "source"), "https://pleiades.stoa.org/places/1");
        let v = crate::validate::validate(&[t]);
        assert_eq!(v.errors().count(), 0);
        // The whole of (Gregorian) 330 BC and AD 300 is inside the name's span, and of AD
        // 301 only the day that was still Julian 31 December 300.
        let name = &v.gazetteer.places[0].names[0];
        let (start, end) = (name.start.clone().unwrap(), name.end.clone().unwrap());
        let year = |s: &str| Date::parse(s).unwrap().window();
        assert!(start.window().latest < year("-0329").earliest);
        assert!(end.window().earliest > year("0300").latest);
        assert_eq!(
            end.window().earliest,
            year("0301").earliest.succ_opt().unwrap()
        );
    }

    #[test]
    fn the_note_says_which_years_and_calendar() {
        let note = |a, b| years_note(a, b).unwrap_or_default();
        assert_eq!(
            note(Some(1700), Some(2100)),
            "Pleiades: after 1700, before 2100 (whole years)"
        );
        assert_eq!(
            note(Some(1500), Some(1700)),
            "Pleiades: after 1500, before 1700 (whole years, Julian to 1582)"
        );
        assert_eq!(
            note(None, Some(-30)),
            "Pleiades: before -30 (whole Julian years, negative is BC)"
        );
        assert_eq!(note(None, None), "");
    }

    #[test]
    fn year_zero_and_non_integers_are_errors_with_line_column_and_value() {
        let t = run(
            &format!(
                "{NAMES_HEADER}\r\n{}\r\n{}\r\n{}\r\n",
                name_row("1", "la", "Aa", "Aa", "0,300"),
                name_row("2", "la", "Bb", "Bb", "-30,300.5"),
                name_row("3", "la", "Cc", "Cc", "-30,300"),
            ),
            None,
        );
        let m = messages(&t);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(
            m[0].starts_with("names.csv:2: column 'year_after_which': '0' is not a year"),
            "{m:?}"
        );
        assert!(
            m[1].starts_with("names.csv:3: column 'year_before_which': '300.5' is not a year"),
            "{m:?}"
        );
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 4);
    }

    #[test]
    fn empty_bounds_are_unknown_and_reversed_bounds_an_error() {
        let t = run(
            &format!(
                "{NAMES_HEADER}\n{}\n{}\n{}\n{}\n",
                name_row("1", "la", "Aa", "Aa", ","),
                name_row("2", "la", "Bb", "Bb", "-30,"),
                name_row("3", "la", "Cc", "Cc", "300,-30"),
                name_row("4", "la", "Dd", "Dd", "300,300"),
            ),
            None,
        );
        let m = messages(&t);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("names.csv:4: column 'year_before_which': -30 comes before"),
            "{m:?}"
        );
        assert_eq!((field(&t, 0, "start"), field(&t, 0, "end")), ("", ""));
        assert_eq!(field(&t, 0, "note"), "");
        assert_eq!(field(&t, 1, "start"), "-0030-12-30");
        assert_eq!(field(&t, 1, "end"), "");
        assert_eq!(
            field(&t, 1, "note"),
            "Pleiades: after -30 (whole Julian years, negative is BC)"
        );
        // One year is a span of one year, not an empty one.
        assert_eq!(field(&t, 2, "start"), "0300-01-01");
        assert_eq!(field(&t, 2, "end"), "0301-01-02");
    }

    #[test]
    fn years_beyond_four_digits_are_errors() {
        let t = run(
            &format!(
                "{NAMES_HEADER}\n{}\n{}\n",
                name_row("1", "la", "Aa", "Aa", "-10000,300"),
                name_row("2", "la", "Bb", "Bb", "-9999,300"),
            ),
            None,
        );
        let m = messages(&t);
        // -9999 is Julian 1 January of astronomical -9998, Gregorian late in -9999: fine.
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("'-10000' is beyond the four-digit years"),
            "{m:?}"
        );
        assert_eq!(t.rows.len(), 1);
    }

    #[test]
    fn a_missing_column_is_one_error_at_line_1() {
        let header = NAMES_HEADER.replace(",year_before_which", "");
        let t = run(&format!("{header}\nx\n"), None);
        let m = messages(&t);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "names.csv:1: column 'year_before_which': the header has no 'year_before_which' \
                 column"
            ),
            "{m:?}"
        );
        assert!(t.rows.is_empty() && t.header.is_empty());
        let header = NAMES_HEADER
            .replace(",attested_form,romanized_form_1", "")
            .replace("place_id,", "");
        let m = messages(&run(&format!("{header}\n"), None));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("no 'place_id', 'attested_form' or 'romanized_form_1' columns"),
            "{m:?}"
        );
    }

    #[test]
    fn attested_form_else_romanized_and_a_latin_row_for_other_scripts() {
        let t = run(
            &format!(
                "{NAMES_HEADER}\n{}\n{}\n{}\n{}\n",
                name_row("1", "la", "", "Tubantes", "-30,640"),
                name_row("2", "he", "תל מור", "Tel Mor", "1900,2099"),
                name_row(
                    "3",
                    "la",
                    "Pretoriv̄ Agrippine ",
                    "Pretoriu Agrippine",
                    "300,640"
                ),
                name_row("4", "ru", "Цaрев курган", "Tsarëv kurgan", "1700,2100"),
            ),
            None,
        );
        assert_eq!(messages(&t), Vec::<String>::new());
        let names: Vec<(&str, &str, &str)> = (0..t.rows.len())
            .map(|i| {
                (
                    field(&t, i, "name"),
                    field(&t, i, "lang"),
                    field(&t, i, "kind"),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Tubantes", "la", "official"),
                ("תל מור", "he", "official"),
                ("Tel Mor", "he-Latn", "variant"),
                ("Pretoriv̄ Agrippine", "la", "official"),
                ("Цaрев курган", "ru", "official"),
                ("Tsarëv kurgan", "ru-Latn", "variant"),
            ]
        );
        assert_eq!(field(&t, 2, "start"), field(&t, 1, "start"));
        assert_eq!(field(&t, 2, "end"), "2100-01-01");
        assert!(field(&t, 2, "note").starts_with("romanization of תל מור; Pleiades: after 1900"));
        assert!(field(&t, 3, "note").starts_with("Pleiades: after 300"));
        assert!(field(&t, 3, "note").ends_with("; romanized Pretoriu Agrippine"));
        assert_eq!(t.rows[2].line, t.rows[1].line);
    }

    #[test]
    fn scripts_and_romanization_tags() {
        assert!(is_latin("Qasr al-Ṣagha"));
        assert!(is_latin("Pretoriv̄ Agrippine"));
        assert!(is_latin("Staryĭ Sad"));
        assert!(is_latin("I.6.15"));
        assert!(!is_latin("Ἁμάριον"));
        assert!(!is_latin("قصر الصاغة"));
        assert!(!is_latin("Цaрев"));
        assert_eq!(latin_tag("grc"), "grc-Latn");
        assert_eq!(latin_tag("egy-Egyd"), "egy-Latn");
        assert_eq!(latin_tag("sr-RS"), "sr-Latn-RS");
        assert_eq!(latin_tag(""), "");
    }

    #[test]
    fn name_types_and_doubt() {
        let row =
            |t: &str, c: &str| format!("a,,,,T,u,x,9,{t},la,,Aa,,,{c},accurate,complete,-30,300");
        let t = run(
            &format!(
                "{NAMES_HEADER}\n{}\n{}\n{}\n{}\n",
                row("ethnic", "certain"),
                row("associated_modern", "certain"),
                row("geographic", "less-certain"),
                row("label", "certain"),
            ),
            None,
        );
        let kinds: Vec<&str> = (0..4).map(|i| field(&t, i, "kind")).collect();
        assert_eq!(kinds, ["historical", "variant", "official", "official"]);
        assert_eq!(field(&t, 2, "start"), "-0030-12-30?");
        assert_eq!(field(&t, 2, "end"), "0301-01-02?");
        assert!(field(&t, 2, "note").starts_with("association with the place less-certain"));
        assert_eq!(field(&t, 0, "source"), "u");
        let m = messages(&t);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("unknown name types read as official"),
            "{m:?}"
        );
        assert!(m[0].contains("'label'"), "{m:?}");
        assert_eq!(crate::validate::validate(&[t]).errors().count(), 0);
    }

    #[test]
    fn bom_crlf_and_quoted_fields_with_doubled_quotes() {
        let names = format!(
            "\u{FEFF}{NAMES_HEADER}\r\n\
             a,\"Called \"\"the city\"\", with a comma\",\"two\r\nlines\",,T,u,x,1,geographic,\
             la,\"Urbs, Magna\",\"Urbs, Magna\",,,certain,accurate,complete,-30,300\r\n\
             {}\r\n",
            name_row("2", "la", "Bb", "Bb", "1,2")
        );
        let places = "\u{FEFF}created,description,details,provenance,title,uri,id,\
            representative_latitude,representative_longitude,bounding_box_wkt,location_precision\r\n\
            a,\"A \"\"place\"\"\",,,T,u,1,41.5,12.25,\"POLYGON ((1 2, 3 4))\",rough\r\n\
            a,,,,T,u,2,,,,\r\n";
        let t = run(&names, Some(places));
        assert_eq!(messages(&t), Vec::<String>::new());
        assert_eq!(t.rows.len(), 2);
        assert_eq!(field(&t, 0, "name"), "Urbs, Magna");
        assert_eq!(
            field(&t, 0, "note"),
            "Called \"the city\", with a comma; Pleiades: after -30, before 300 (whole Julian \
             years, negative is BC); location rough"
        );
        assert_eq!(
            (field(&t, 0, "lat"), field(&t, 0, "lon")),
            ("41.5", "12.25")
        );
        assert_eq!(t.rows[0].line, 2);
        // The quoted line break moved the next record down a line.
        assert_eq!(t.rows[1].line, 4);
        // A place listed without a point: no coordinates, and no warning.
        assert_eq!((field(&t, 1, "lat"), field(&t, 1, "lon")), ("", ""));
    }

    #[test]
    fn names_of_places_not_in_places_csv_have_no_coordinates_and_one_warning() {
        let places = "id,representative_latitude,representative_longitude\n1,10,20\n";
        let names = format!(
            "{NAMES_HEADER}\n{}\n{}\n{}\n{}\n",
            name_row("1", "la", "Aa", "Aa", ","),
            name_row("5", "la", "Bb", "Bb", ","),
            name_row("5", "la", "Cc", "Cc", ","),
            name_row("6", "la", "Dd", "Dd", ","),
        );
        let t = run(&names, Some(places));
        let m = messages(&t);
        assert_eq!(
            m,
            [
                "names.csv: warning: column 'place_id': 3 names of 2 places not in places.csv have \
              no coordinates (the first: place 5 at line 3); give the whole places.csv of the \
              same export"
            ]
        );
        assert_eq!(field(&t, 0, "lat"), "10");
        assert_eq!(field(&t, 1, "lat"), "");
    }

    #[test]
    fn bad_places_rows_are_warned_about_and_a_broken_places_file_is_an_error() {
        let places = "id,representative_latitude,representative_longitude\n\
                      1,95,20\n2,10,\n1,1,1\n";
        let names = format!("{NAMES_HEADER}\n{}\n", name_row("1", "la", "Aa", "Aa", ","));
        let t = run(&names, Some(places));
        let m = messages(&t);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(
            m[0].starts_with("places.csv:2: warning: column 'representative_latitude': '95': out"),
            "{m:?}"
        );
        assert!(
            m[1].contains("column 'representative_longitude': '': only one"),
            "{m:?}"
        );
        assert!(m[2].contains("place 1 is listed again"), "{m:?}");
        assert_eq!(t.rows.len(), 1);
        let t = run(&names, Some("id,lat,lon\n1,2,3\n"));
        let m = messages(&t);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "places.csv:1: column 'representative_latitude': the header has no \
                 'representative_latitude', 'representative_longitude' columns"
            ),
            "{m:?}"
        );
        assert_eq!(t.rows.len(), 1, "the names are read all the same");
    }

    #[test]
    fn damaged_input_is_a_diagnostic_not_a_panic() {
        let cases: [&[u8]; 7] = [
            b"",
            b"\n\n",
            b"\xFF\xFEp\0l\0",
            b"\x00\x01\x02\xFF\xFE\x80\n\x81",
            b"{\"type\": \"FeatureCollection\"}",
            b"place_id,attested_form,year_after_which,year_before_which\n1,\"open,1,2\n",
            b"place_id,attested_form,year_after_which,year_before_which\n1,A\xE9,1,2\n1,B,1\n",
        ];
        for bytes in cases {
            let mut table = Table::default();
            let mut input = bytes;
            parse_into(("names.csv", &mut input), None, &mut table);
            assert!(
                table.problems.iter().any(Diagnostic::is_error),
                "{:?}: {:?}",
                String::from_utf8_lossy(bytes),
                table
            );
            assert!(table.rows.is_empty(), "{table:?}");
        }
    }

    /// Our own `names.csv` and `places.csv` (`tests/fixtures/pleiades`, CRLF row ends as
    /// the export has them) ship with the repository, so this runs on every clone (#14).
    #[test]
    fn our_fixtures_validate_without_errors() {
        let names: &[u8] = include_bytes!("../tests/fixtures/pleiades/names.csv");
        let places: &[u8] = include_bytes!("../tests/fixtures/pleiades/places.csv");
        let mut v = Validator::new();
        parse_into(
            ("names.csv", &mut &names[..]),
            Some(("places.csv", &mut &places[..])),
            &mut v,
        );
        let v = v.finish();
        let errors: Vec<String> = v.errors().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // Londinium is not in places.csv: one warning.
        assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
        assert_eq!(v.gazetteer.places.len(), 4);
        assert_eq!(
            v.gazetteer.name_count(),
            10 + 3,
            "10 names, 3 of them in Greek letters"
        );
        let byzantion = v
            .gazetteer
            .places
            .iter()
            .find(|p| p.id == "pleiades:520985")
            .unwrap();
        assert_eq!(byzantion.coords, Some((41.0122, 28.976)));
        let constantinopolis = byzantion
            .names
            .iter()
            .find(|n| &*n.name == "Constantinopolis")
            .unwrap();
        // Julian 1 January 330 was Gregorian 2 January 330.
        assert_eq!(
            constantinopolis.start.as_ref().map(ToString::to_string),
            Some("0330-01-02".to_string())
        );
    }

    #[test]
    fn both_fixtures_validate_without_errors() {
        let Some(fixtures) = crate::fixtures() else {
            return;
        };
        let dir = fixtures.join("pleiades/gis-excerpt");
        let names = std::fs::read(dir.join("names_head.csv")).unwrap();
        let places = std::fs::read(dir.join("places_head.csv")).unwrap();
        let mut v = Validator::new();
        parse_into(
            ("names_head.csv", &mut names.as_slice()),
            Some(("places_head.csv", &mut places.as_slice())),
            &mut v,
        );
        let v = v.finish();
        let errors: Vec<String> = v.errors().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(v.gazetteer.places.len(), 43);
        let names: usize = v.gazetteer.places.iter().map(|p| p.names.len()).sum();
        assert_eq!(names, 70 + 11, "70 names, 11 of them not in Latin script");
    }
}
