//! The conversion: `places.csv` read into a map of points, then each `names.csv` record
//! made into rows of ours (see [`super`]).

use super::csv_file::{CsvFile, Next};
use super::scripts::{is_latin, latin_tag};
use super::years::{year, years_note};
use crate::date::Date;
use crate::error::Diagnostic;
use crate::hash::FxHashMap as HashMap;
use crate::schema::COLUMNS;
use crate::source::Sink;
use chrono::NaiveDate;
use std::io::Read;
use std::sync::Arc;

/// The page of a Pleiades place, the source of a name without its own `uri`.
const PLACE_PAGE: &str = "https://pleiades.stoa.org/places/";

/// A description at most this long (in characters) goes into the note.
const SHORT_DESCRIPTION: usize = 100;

/// Reads Pleiades `names.csv` (the GIS export: one row per name of a place) joined to an
/// optional `places.csv` (coordinates, title) into rows of our schema offered to `sink`.
pub fn parse_into(
    names: (&str, &mut dyn std::io::Read),
    places: Option<(&str, &mut dyn std::io::Read)>,
    sink: &mut dyn crate::source::Sink,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Table;
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

    /// A quote left open is worded as our CSV reader words it, on the line it opened (#16).
    #[test]
    fn a_quote_never_closed_reads_as_in_our_csv() {
        let bytes: &[u8] =
            b"place_id,attested_form,year_after_which,year_before_which\n1,A,1,2\n1,\"open,1,2\n";
        let mut table = Table::default();
        let mut input = bytes;
        parse_into(("names.csv", &mut input), None, &mut table);
        let ours = crate::source::parse("names.csv", bytes);
        assert_eq!(ours.problems.len(), 1, "{ours:?}");
        assert_eq!(ours.problems[0].line, Some(3));
        assert!(table.problems.contains(&ours.problems[0]), "{table:?}");
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
        let names: &[u8] = include_bytes!("../../../../../tests/fixtures/pleiades/names.csv");
        let places: &[u8] = include_bytes!("../../../../../tests/fixtures/pleiades/places.csv");
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
