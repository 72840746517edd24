//! The alternate-names file, each name one row of ours; the geoname table's own names
//! follow as rows of their own (see [`super`]).

use super::feature_codes::TYPES;
use super::lines::{Lines, empty, split_tabs};
use super::table::{Place, Places, geonameid, read_places};
use crate::date::Date;
use crate::error::Diagnostic;
use crate::model::Span;
use crate::schema::COLUMNS;
use crate::source::Sink;
use crate::validate::is_language_tag;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// isolanguage values that mark something other than a name in a language. The GeoNames
/// readme (download.geonames.org/export/dump/readme.txt, table 'alternate names', column
/// isolanguage: "iso 639 language code 2- or 3-characters, optionally followed by a hyphen
/// and a countrycode ... or by a variant name (ex: zh-Hant); 4-characters 'post' for postal
/// codes and 'iata','icao' and faac for airport codes, fr_1793 for French Revolution names,
/// abbr for abbreviation, link to a website (mostly to wikipedia), wkdt for the wikidataid")
/// lists `post`, `iata`, `icao`, `faac`, `fr_1793`, `abbr`, `link` and `wkdt`. It does not
/// list `unlc` (UN/LOCODE codes, which other GeoNames importers filter out beside `link`,
/// `post` and `wkdt`), `phon` and `piny` (phonetic and pinyin spellings, called pseudo-language
/// tags beside `abbr` and `fr_1793` in the documentation of a GeoNames API client), nor
/// `tcid`; they are left out here as codes too. `fr_1793` and `abbr` do hold names of a
/// sort (French Revolutionary names, abbreviations), but not in a language we can tag.
pub const NOT_NAMES: [&str; 12] = [
    "post", "link", "wkdt", "iata", "icao", "faac", "tcid", "unlc", "abbr", "phon", "piny",
    "fr_1793",
];

/// The columns of alternateNamesV2, for messages.
const ALT_COLUMNS: [&str; 10] = [
    "alternateNameId",
    "geonameid",
    "isolanguage",
    "alternate name",
    "isPreferredName",
    "isShortName",
    "isColloquial",
    "isHistoric",
    "from",
    "to",
];

/// Reads a GeoNames alternate-names file (alternateNamesV2, 10 tab-separated columns; the older
/// 8-column alternateNames; rows with trailing empty columns dropped), joined to an optional
/// geoname table (19 columns: allCountries / cities1000 format) for coordinates, country and
/// feature class, into rows of our schema offered to `sink`.
pub fn parse_into(
    alternates: (&str, &mut dyn std::io::BufRead),
    places: Option<(&str, &mut dyn std::io::BufRead)>,
    sink: &mut dyn crate::source::Sink,
) {
    let mut table = places.map(|(file, input)| read_places(file, input, sink));
    let (file, input) = alternates;
    let name: Arc<str> = Arc::from(file);
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    if !sink.header(&name, &header) {
        return;
    }
    let mut out = Row::default();
    let mut rows = 0u64;
    let mut not_names: BTreeMap<String, u64> = BTreeMap::new();
    let mut odd_langs: BTreeMap<String, u64> = BTreeMap::new();
    let mut missing = 0u64;
    let mut first_missing: Option<(u64, u64)> = None;
    let mut lines = Lines::new(input);
    while let Some((line, text)) = lines.next_text(file, sink) {
        let (cols, n) = split_tabs::<11>(text);
        if n < 4 {
            sink.problem(Diagnostic::error(
                file,
                Some(line),
                None,
                format!(
                    "the row has {n} column{}: an alternate name needs at least 4 ({}); \
                     missing: {}",
                    if n == 1 { "" } else { "s" },
                    ALT_COLUMNS[..4].join(", "),
                    ALT_COLUMNS[n..4].join(", ")
                ),
            ));
            continue;
        }
        if n > 10 {
            sink.problem(Diagnostic::error(
                file,
                Some(line),
                None,
                format!(
                    "the row has {n} columns: alternateNamesV2 has 10 ({}); a tab inside a \
                     value splits it",
                    ALT_COLUMNS.join(", ")
                ),
            ));
            continue;
        }
        let Some(id) = geonameid(cols[1]) else {
            sink.problem(Diagnostic::error(
                file,
                Some(line),
                Some("geonameid"),
                format!(
                    "'{}' is not a geonameid: it is the whole number of a GeoNames place",
                    cols[1]
                ),
            ));
            continue;
        };
        let iso = cols[2].trim();
        if let Some(code) = NOT_NAMES.iter().find(|c| c.eq_ignore_ascii_case(iso)) {
            *not_names.entry((*code).to_string()).or_default() += 1;
            continue;
        }
        let alt = cols[3].trim();
        if alt.is_empty() {
            sink.problem(Diagnostic::error(
                file,
                Some(line),
                Some("alternate name"),
                "is empty: the row names nothing".to_string(),
            ));
            continue;
        }
        out.clear();
        let lang = if iso.is_empty() || is_language_tag(iso) {
            iso
        } else {
            *odd_langs.entry(iso.to_string()).or_default() += 1;
            out.note(format_args!("isolanguage: {iso}"));
            ""
        };
        let mut flag = |i: usize| -> bool {
            match cols[i].trim() {
                "1" => true,
                "" | "0" => false,
                other => {
                    sink.problem(Diagnostic::warning(
                        file,
                        Some(line),
                        Some(ALT_COLUMNS[i]),
                        format!("'{other}' is not 0 or 1: read as 0"),
                    ));
                    false
                }
            }
        };
        let (short, colloquial, historic) = (flag(5), flag(6), flag(7));
        let kind = if historic {
            "historical"
        } else if colloquial || short {
            "variant"
        } else {
            "official"
        };
        out.dates(file, line, cols[8].trim(), cols[9].trim(), sink);
        let place = match &mut table {
            Some(t) => match t.index.get(&id) {
                Some(&i) => {
                    let p = &mut t.entries[i as usize];
                    if *p.name == *alt {
                        p.named = true;
                    }
                    Some(&*p)
                }
                None => {
                    missing += 1;
                    first_missing.get_or_insert((id, line));
                    None
                }
            },
            None => None,
        };
        out.fill(id, alt, lang, place, kind);
        sink.row(&name, line, &out.record);
        rows += 1;
    }
    let total: u64 = not_names.values().sum();
    if total > 0 {
        sink.problem(Diagnostic::warning(
            file,
            None,
            Some("isolanguage"),
            format!(
                "{total} rows are not names (postal codes, links, Wikidata ids, codes) and were \
                 left out ({})",
                counts(&not_names)
            ),
        ));
    }
    let odd: u64 = odd_langs.values().sum();
    if odd > 0 {
        sink.problem(Diagnostic::warning(
            file,
            None,
            Some("isolanguage"),
            format!(
                "{odd} rows have an isolanguage that is not a BCP 47 language tag ({}): their \
                 lang was left empty and the code kept in the note",
                counts(&odd_langs)
            ),
        ));
    }
    if let (Some(t), Some((id, at))) = (&table, first_missing) {
        sink.problem(Diagnostic::warning(
            file,
            None,
            Some("geonameid"),
            format!(
                "{missing} row{} name{} places that are not in {} (the first: geonameid {id} \
                 at line {at}): they have no coordinates, type or country",
                if missing == 1 { "" } else { "s" },
                if missing == 1 { "s" } else { "" },
                t.file
            ),
        ));
    }
    if !lines.any {
        sink.problem(empty(file, "an alternate-names file has one name a line"));
    }
    sink.end(&name, rows);
    if let Some(t) = &table {
        offer_main_names(t, &mut out, sink);
    }
}

/// The rows of the table's own names that no alternate name repeated.
fn offer_main_names(t: &Places, out: &mut Row, sink: &mut dyn Sink) {
    let mut pending = t
        .entries
        .iter()
        .filter(|p| !p.named && !p.name.is_empty())
        .peekable();
    if pending.peek().is_none() {
        return;
    }
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    if !sink.header(&t.file, &header) {
        return;
    }
    let mut rows = 0u64;
    for p in pending {
        out.clear();
        out.fill(p.id, &p.name, "", Some(p), "official");
        sink.row(&t.file, p.line, &out.record);
        rows += 1;
    }
    sink.end(&t.file, rows);
}

/// "post 2, link 1", in the order of the codes.
fn counts(map: &BTreeMap<String, u64>) -> String {
    map.iter()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One output row, its buffers reused from row to row.
#[derive(Default)]
struct Row {
    start: String,
    end: String,
    note: String,
    scratch: String,
    record: csv::StringRecord,
}

impl Row {
    fn clear(&mut self) {
        self.start.clear();
        self.end.clear();
        self.note.clear();
    }

    fn note(&mut self, part: std::fmt::Arguments) {
        if !self.note.is_empty() {
            self.note.push_str("; ");
        }
        let _ = self.note.write_fmt(part);
    }

    /// `start` and `end` from GeoNames' `from` and `to`, or the reason they are left out.
    fn dates(&mut self, file: &str, line: u64, from: &str, to: &str, sink: &mut dyn Sink) {
        let start = self.bound(file, line, "from", from, sink);
        let end = self.bound(file, line, "to", to, sink);
        if let (Some(s), Some(e)) = (&start, &end) {
            let possible = Span {
                from: Some(s.window().earliest),
                until: Some(e.window().latest),
            };
            if possible.is_empty() {
                self.note(format_args!("from: {from}; to: {to}"));
                sink.problem(Diagnostic::warning(
                    file,
                    Some(line),
                    Some("to"),
                    format!(
                        "'{to}' is not after from '{from}': both dates were left out and kept \
                         in the note"
                    ),
                ));
                return;
            }
        }
        if let Some(s) = &start {
            let _ = write!(self.start, "{s}");
        }
        if let Some(e) = &end {
            let _ = write!(self.end, "{e}");
        }
    }

    fn bound(
        &mut self,
        file: &str,
        line: u64,
        column: &str,
        text: &str,
        sink: &mut dyn Sink,
    ) -> Option<Date> {
        if text.is_empty() {
            return None;
        }
        let date = edtf(text);
        if date.is_none() {
            self.note(format_args!("{column}: {text}"));
            sink.problem(Diagnostic::warning(
                file,
                Some(line),
                Some(column),
                format!(
                    "'{text}' is not a date (GeoNames writes YYYY, YYYY-MM, YYYY-MM-DD or \
                     YYYYMMDD): the date was left out and the text kept in the note"
                ),
            ));
        }
        date
    }

    /// Fills the record with one name of place `id`.
    fn fill(&mut self, id: u64, name: &str, lang: &str, place: Option<&Place>, kind: &str) {
        let r = &mut self.record;
        r.clear();
        self.scratch.clear();
        let _ = write!(self.scratch, "geonames:{id}");
        r.push_field(&self.scratch);
        r.push_field(name);
        r.push_field(&self.start);
        r.push_field(&self.end);
        r.push_field(lang);
        r.push_field(place.map_or("", |p| TYPES[p.kind as usize]));
        let country = place.and_then(|p| p.country);
        r.push_field(
            country
                .as_ref()
                .map_or("", |c| std::str::from_utf8(c).unwrap_or_default()),
        );
        match place.and_then(|p| p.coords) {
            Some((lat, lon)) => {
                self.scratch.clear();
                let _ = write!(self.scratch, "{lat}");
                r.push_field(&self.scratch);
                self.scratch.clear();
                let _ = write!(self.scratch, "{lon}");
                r.push_field(&self.scratch);
            }
            None => {
                r.push_field("");
                r.push_field("");
            }
        }
        self.scratch.clear();
        let _ = write!(self.scratch, "https://www.geonames.org/{id}");
        r.push_field(&self.scratch);
        r.push_field(&self.note);
        r.push_field(kind);
        // GeoNames dates periods, never attestations.
        r.push_field("");
        // population, same_as: the id is GeoNames' own already.
        r.push_field("");
        r.push_field("");
    }
}

/// A GeoNames `from`/`to` as EDTF: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `YYYYMMDD`, and a real date.
fn edtf(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shaped = match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        8 => digits(0..8),
        _ => false,
    };
    if !shaped {
        return None;
    }
    if b.len() == 8 {
        // Checked above: eight ASCII digits, so these slices fall on character boundaries.
        let iso = format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]);
        return Date::parse(&iso).ok();
    }
    Date::parse(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;
    use crate::validate::Validator;
    use std::io::BufRead;

    /// Everything a sink is told, in order.
    #[derive(Default, Debug)]
    struct Seen {
        headers: Vec<String>,
        rows: Vec<(String, u64, Vec<String>)>,
        problems: Vec<Diagnostic>,
        ends: Vec<(String, u64)>,
    }

    impl Sink for Seen {
        fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
            assert_eq!(header, COLUMNS);
            self.headers.push(file.to_string());
            true
        }
        fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
            assert_eq!(fields.len(), COLUMNS.len());
            self.rows.push((
                file.to_string(),
                line,
                fields.iter().map(str::to_string).collect(),
            ));
        }
        fn problem(&mut self, problem: Diagnostic) {
            self.problems.push(problem);
        }
        fn end(&mut self, file: &Arc<str>, rows: u64) {
            self.ends.push((file.to_string(), rows));
        }
    }

    impl Seen {
        /// The value of `column` in each row, in order.
        fn col(&self, column: &str) -> Vec<&str> {
            let i = COLUMNS.iter().position(|c| *c == column).unwrap();
            self.rows.iter().map(|r| r.2[i].as_str()).collect()
        }
        fn messages(&self) -> Vec<String> {
            self.problems.iter().map(ToString::to_string).collect()
        }
        fn errors(&self) -> Vec<String> {
            self.problems
                .iter()
                .filter(|d| d.is_error())
                .map(ToString::to_string)
                .collect()
        }
    }

    fn run(alternates: &[u8], table: Option<&[u8]>) -> Seen {
        let mut seen = Seen::default();
        let mut alt = alternates;
        let mut places = table;
        parse_into(
            ("alt.txt", &mut alt),
            places.as_mut().map(|t| ("geo.txt", t as &mut dyn BufRead)),
            &mut seen,
        );
        seen
    }

    #[test]
    fn a_v2_row_becomes_a_row_of_our_schema_with_its_dates() {
        let s = run(
            b"13634199\t472757\ten\tTsaritsyn\t\t\t\t1\t1589\t1925\n",
            None,
        );
        assert_eq!(s.messages(), Vec::<String>::new());
        assert_eq!(
            s.rows,
            [(
                "alt.txt".to_string(),
                1,
                [
                    "geonames:472757",
                    "Tsaritsyn",
                    "1589",
                    "1925",
                    "en",
                    "",
                    "",
                    "",
                    "",
                    "https://www.geonames.org/472757",
                    "",
                    "historical",
                    "",
                    "",
                    ""
                ]
                .map(String::from)
                .to_vec()
            )]
        );
        assert_eq!(s.headers, ["alt.txt"]);
        assert_eq!(s.ends, [("alt.txt".to_string(), 1)]);
    }

    #[test]
    fn kind_comes_from_the_flags_of_old_and_trimmed_rows() {
        let s = run(
            b"1\t10\tit\tTorre\t\t\t1\t\n\
              2\t10\ten\tThe Pub\t1\t1\t\t\n\
              3\t10\tfr\tAbbaye\t\t\t\t1\n\
              4\t10\tpl\tWarszawa\t1\n\
              5\t10\tuk\tKyiv\n\
              6\t10\tpl\tLwow\t1\t\t\t1\n",
            None,
        );
        assert_eq!(s.errors(), Vec::<String>::new());
        assert_eq!(
            s.col("kind"),
            [
                "variant",
                "variant",
                "historical",
                "official",
                "official",
                "historical"
            ]
        );
        assert_eq!(s.col("lang"), ["it", "en", "fr", "pl", "uk", "pl"]);
        assert_eq!(s.col("start"), ["", "", "", "", "", ""]);
        let lines: Vec<u64> = s.rows.iter().map(|r| r.1).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn dates_of_every_geonames_shape_and_the_rest_kept_in_the_note() {
        let s = run(
            b"1\t5\tes\tComitan\t\t\t\t\t19150903\t\n\
              2\t5\ten\tA\t\t\t\t\t1961-11\t1961-11-10\n\
              3\t5\t\tRossmoor CDP\t\t\t\t1\t\t19 February 2008\n\
              4\t5\tes\tB\t\t\t\t\t19151340\t\n\
              5\t5\tku\tQulai\t1\t\t\t1\tQulai\tQulai Kanimaran\n",
            None,
        );
        assert_eq!(s.errors(), Vec::<String>::new());
        assert_eq!(s.col("start"), ["1915-09-03", "1961-11", "", "", ""]);
        assert_eq!(s.col("end"), ["", "1961-11-10", "", "", ""]);
        assert_eq!(
            s.col("note"),
            [
                "",
                "",
                "to: 19 February 2008",
                "from: 19151340",
                "from: Qulai; to: Qulai Kanimaran"
            ]
        );
        let m = s.messages();
        assert_eq!(m.len(), 4, "{m:#?}");
        assert!(
            m[0].starts_with("alt.txt:3: warning: column 'to': '19 February 2008' is not a date"),
            "{m:#?}"
        );
        assert!(m[0].contains("the date was left out"), "{m:#?}");
        assert!(m[1].starts_with("alt.txt:4: warning: column 'from': '19151340'"));
        assert!(m[2].starts_with("alt.txt:5: warning: column 'from': 'Qulai'"));
        assert!(m[3].starts_with("alt.txt:5: warning: column 'to': 'Qulai Kanimaran'"));
    }

    #[test]
    fn a_to_not_after_its_from_leaves_both_dates_out() {
        let s = run(b"1\t5\ten\tA\t\t\t\t\t1990\t1980\n", None);
        assert_eq!(s.col("start"), [""]);
        assert_eq!(s.col("end"), [""]);
        assert_eq!(s.col("note"), ["from: 1990; to: 1980"]);
        let m = s.messages();
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with("alt.txt:1: warning: column 'to': '1980' is not after from '1990'"),
            "{m:?}"
        );
        // Within one year is a period the validator accepts.
        let s = run(b"1\t5\ten\tA\t\t\t\t\t1990\t1990\n", None);
        assert_eq!(s.col("end"), ["1990"]);
        assert!(s.problems.is_empty());
    }

    #[test]
    fn pseudo_languages_are_left_out_with_one_warning() {
        let s = run(
            b"1\t5\tpost\tTW13\n\
              2\t5\tlink\thttp://en.wikipedia.org/wiki/X\t\t\t\t\n\
              3\t5\twkdt\tQ1\n\
              4\t5\ten\tX\n\
              5\t5\tfr_1793\tLiberte\n\
              6\t5\tlink\thttp://x\n",
            None,
        );
        assert_eq!(s.col("name"), ["X"]);
        assert_eq!(s.rows[0].1, 4);
        let m = s.messages();
        assert_eq!(
            m,
            [
                "alt.txt: warning: column 'isolanguage': 5 rows are not names (postal codes, \
              links, Wikidata ids, codes) and were left out (fr_1793: 1, link: 2, post: 1, \
              wkdt: 1)"
            ]
        );
    }

    #[test]
    fn a_code_that_is_not_a_language_tag_goes_to_the_note() {
        let s = run(b"1\t5\tzh_Hant\tX\n2\t5\tzh-Hant\tY\n", None);
        assert_eq!(s.col("lang"), ["", "zh-Hant"]);
        assert_eq!(s.col("note"), ["isolanguage: zh_Hant", ""]);
        let m = s.messages();
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("1 rows have an isolanguage that is not a BCP 47"));
    }

    const TABLE: &[u8] = b"472757\tVolgograd\tVolgograd\tStalingrad\t48.71939\t44.50183\tP\tPPLA\tRU\t\t\t\t\t\t1011417\t\t\tEurope/Volgograd\t2020-01-01\n\
\n\
705812\tKropyvnytskyi\tKropyvnytskyi\t\t48.5132\t32.2597\tP\tPPL\tua\t\t\t\t\t\t222695\t\t\tEurope/Kyiv\t2020-01-01\n\
9\tQuiet Hill\tQuiet Hill\t\t10\t20\tT\tHLL\t\t\t\t\t\t\t0\t\t\t\t\n";

    #[test]
    fn the_table_gives_coordinates_country_type_and_its_own_name() {
        let s = run(
            b"1\t472757\ten\tVolgograd\t1\t\t\t\t1961\t\n\
              2\t472757\ten\tTsaritsyn\t\t\t\t1\t1589\t1925\n\
              3\t705812\ten\tElizavetgrad\t\t\t\t1\n\
              4\t999\ten\tNowhere\n\
              5\t998\ten\tElsewhere\n",
            Some(TABLE),
        );
        assert_eq!(s.errors(), Vec::<String>::new());
        assert_eq!(
            s.col("name"),
            [
                "Volgograd",
                "Tsaritsyn",
                "Elizavetgrad",
                "Nowhere",
                "Elsewhere",
                "Kropyvnytskyi",
                "Quiet Hill"
            ]
        );
        assert_eq!(s.col("type"), ["city", "city", "city", "", "", "city", ""]);
        assert_eq!(s.col("country"), ["RU", "RU", "UA", "", "", "UA", ""]);
        assert_eq!(
            s.col("lat"),
            ["48.71939", "48.71939", "48.5132", "", "", "48.5132", "10"]
        );
        assert_eq!(s.col("lon")[2], "32.2597");
        // Main names: after the alternates, from the table, at their line there.
        let main: Vec<(&str, u64)> = s.rows[5..].iter().map(|r| (r.0.as_str(), r.1)).collect();
        assert_eq!(main, [("geo.txt", 3), ("geo.txt", 4)]);
        assert_eq!(s.col("kind")[5], "official");
        assert_eq!(s.col("lang")[5], "");
        assert_eq!(s.headers, ["alt.txt", "geo.txt"]);
        assert_eq!(
            s.ends,
            [("alt.txt".to_string(), 5), ("geo.txt".to_string(), 2)]
        );
        let m = s.messages();
        assert_eq!(
            m,
            [
                "alt.txt: warning: column 'geonameid': 2 rows name places that are not in \
              geo.txt (the first: geonameid 999 at line 4): they have no coordinates, type or country"
            ]
        );
    }

    #[test]
    fn without_rows_of_its_own_the_table_is_not_offered() {
        let s = run(
            b"1\t472757\ten\tVolgograd\n2\t705812\t\tKropyvnytskyi\n3\t9\t\tQuiet Hill\n",
            Some(TABLE),
        );
        assert_eq!(s.headers, ["alt.txt"]);
        assert_eq!(s.rows.len(), 3);
        assert!(s.problems.is_empty(), "{:?}", s.messages());
    }

    #[test]
    fn broken_rows_are_errors_with_file_and_line_and_the_rest_goes_on() {
        let s = run(
            b"1\t5\ten\tA\n\
              \n\
              2\t5\tru\t\xD0\n\
              3\t5\n\
              4\tx5\ten\tB\n\
              5\t5\ten\tC\t\t\t\t\t\t\t\n\
              6\t5\ten\t \n\
              \r\n\
              7\t5\ten\tD\r\n",
            None,
        );
        assert_eq!(s.col("name"), ["A", "D"]);
        let lines: Vec<u64> = s.rows.iter().map(|r| r.1).collect();
        assert_eq!(lines, [1, 9]);
        let m = s.errors();
        assert_eq!(m.len(), 5, "{m:#?}");
        assert!(
            m[0].starts_with("alt.txt:3: bytes that are not UTF-8"),
            "{m:#?}"
        );
        assert!(
            m[1].starts_with("alt.txt:4: the row has 2 columns")
                && m[1].ends_with("missing: isolanguage, alternate name"),
            "{m:#?}"
        );
        assert!(
            m[2].starts_with("alt.txt:5: column 'geonameid': 'x5' is not a geonameid"),
            "{m:#?}"
        );
        assert!(
            m[3].starts_with("alt.txt:6: the row has 11 columns"),
            "{m:#?}"
        );
        assert!(
            m[4].starts_with("alt.txt:7: column 'alternate name': is empty"),
            "{m:#?}"
        );
        assert_eq!(s.ends, [("alt.txt".to_string(), 2)]);
    }

    #[test]
    fn broken_table_rows_are_reported() {
        let table = b"1\tA\tA\t\t1\t2\tP\tPPL\tDE\n\
                      1\tA again\tA\t\t1\t2\tP\tPPL\tDE\n\
                      2\tB\n\
                      3\tC\tC\t\tnorth\t2\tP\tPPL\tDEU\n";
        let s = run(b"9\t3\ten\tC\n", Some(table));
        let m = s.messages();
        assert_eq!(m.len(), 4, "{m:#?}");
        assert!(m[0].starts_with("geo.txt:2: column 'geonameid': geonameid 1 is here again"));
        assert!(m[1].starts_with("geo.txt:3: the row has 2 columns"));
        assert!(m[2].starts_with("geo.txt:4: warning: column 'latitude'"));
        assert!(m[3].starts_with("geo.txt:4: warning: column 'country code': 'DEU'"));
        // Place 3 is still known, without what was wrong.
        assert_eq!(s.rows[0].2[7], "");
        assert_eq!(s.rows[0].2[5], "town");
        assert_eq!(s.col("name"), ["C", "A"]);
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let s = run(b"\n\n", Some(b""));
        assert_eq!(
            s.messages(),
            [
                "geo.txt: the file is empty: a geoname table has one place a line \
                 (tab-separated, as GeoNames exports it)",
                "alt.txt: the file is empty: an alternate-names file has one name a line \
                 (tab-separated, as GeoNames exports it)"
            ]
        );
        assert!(s.rows.is_empty());
    }

    /// Forwards to a validator, keeping apart the problems the importer reported.
    #[derive(Default)]
    struct Both {
        ours: Vec<Diagnostic>,
        validator: Validator,
    }

    impl Sink for Both {
        fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
            self.validator.header(file, header)
        }
        fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
            self.validator.row(file, line, fields);
        }
        fn problem(&mut self, problem: Diagnostic) {
            self.ours.push(problem.clone());
            self.validator.problem(problem);
        }
        fn end(&mut self, file: &Arc<str>, rows: u64) {
            self.validator.end(file, rows);
        }
    }

    /// Bits of GeoNames values, good and bad, to build fields from.
    const PIECES: [&[u8]; 20] = [
        b"1",
        b"0",
        b"42",
        b"7",
        b"en",
        b"post",
        b"zh_Hant",
        b"Name",
        b" ",
        b"19150903",
        b"1961",
        b"1961-13",
        b"2008-02-30",
        b"-",
        b"\xD0",
        b"1.5",
        b"P",
        b"PPLC",
        b"\r",
        b"\xEF\xBB\xBF",
    ];

    /// Lines of fields of pieces, joined by tabs and newlines.
    fn file_of(lines: Vec<Vec<Vec<usize>>>) -> Vec<u8> {
        let mut out = Vec::new();
        for fields in lines {
            for (i, field) in fields.into_iter().enumerate() {
                if i > 0 {
                    out.push(b'\t');
                }
                for p in field {
                    out.extend_from_slice(PIECES[p]);
                }
            }
            out.push(b'\n');
        }
        out
    }

    fn file() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::collection::vec;
        use proptest::strategy::Strategy;
        vec(vec(vec(0..PIECES.len(), 0..3), 0..21), 0..8).prop_map(file_of)
    }

    proptest::proptest! {
        /// Whatever the bytes, nothing panics and every row offered passes validation:
        /// the only errors are the importer's own, for rows it left out.
        #[test]
        fn every_row_offered_is_valid(alt in file(), table in proptest::option::of(file())) {
            let mut sink = Both::default();
            let mut a = &alt[..];
            let mut t = table.as_deref();
            parse_into(
                ("alt.txt", &mut a),
                t.as_mut().map(|t| ("geo.txt", t as &mut dyn BufRead)),
                &mut sink,
            );
            let ours = sink.ours;
            let validated = sink.validator.finish();
            let theirs: Vec<String> = validated
                .errors()
                .filter(|d| !ours.contains(d))
                .map(ToString::to_string)
                .collect();
            proptest::prop_assert!(theirs.is_empty(), "{:?}", theirs);
        }
    }

    #[test]
    fn the_property_test_would_see_an_invalid_row() {
        // The check above is not vacuous: a row the validator refuses shows up there.
        let mut sink = Both::default();
        let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        let file: Arc<str> = Arc::from("x");
        sink.header(&file, &header);
        sink.row(
            &file,
            1,
            &csv::StringRecord::from(vec![
                "p", "N", "1990", "1980", "", "", "", "", "", "", "", "",
            ]),
        );
        sink.end(&file, 1);
        assert_eq!(sink.validator.finish().errors().count(), 1);
    }

    /// A pair of the shared fixtures, through the validator; `None` when they are missing.
    fn validate_fixture(
        alternates: &str,
        table: Option<&str>,
    ) -> Option<crate::validate::Validated> {
        let dir = crate::fixtures()?.join("geonames");
        let open = |name: &str| {
            let path = dir.join(name);
            std::io::BufReader::new(
                std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            )
        };
        let mut alt = open(alternates);
        let mut places = table.map(open);
        let mut v = Validator::new();
        parse_into(
            (alternates, &mut alt),
            places
                .as_mut()
                .map(|p| (table.unwrap_or_default(), p as &mut dyn BufRead)),
            &mut v,
        );
        Some(v.finish())
    }

    /// Our own fixture pair (`tests/fixtures/geonames`), through the validator: it ships
    /// with the repository, so the tests on it run on every clone (#14).
    fn validate_own_fixture() -> crate::validate::Validated {
        let alternates: &[u8] =
            include_bytes!("../../../../../tests/fixtures/geonames/alternateNamesV2.txt");
        let table: &[u8] = include_bytes!("../../../../../tests/fixtures/geonames/geonames.txt");
        let mut v = Validator::new();
        parse_into(
            ("alternateNamesV2.txt", &mut &alternates[..]),
            Some(("geonames.txt", &mut &table[..])),
            &mut v,
        );
        v.finish()
    }

    #[test]
    fn our_fixture_validates_without_an_error() {
        let v = validate_own_fixture();
        let errors: Vec<String> = v.errors().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(v.gazetteer.places.len(), 6);
        assert_eq!(v.gazetteer.name_count(), 28);
        // The 'to' that is not a date, the link and postal code, the places not in the table.
        let warnings: Vec<String> = v.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 3, "{warnings:#?}");
        assert!(
            v.diagnostics
                .iter()
                .all(|d| d.severity == Severity::Warning),
            "{warnings:#?}"
        );
    }

    #[test]
    fn tsaritsyn_comes_out_historical_1589_to_1925_in_our_fixture() {
        let v = validate_own_fixture();
        let volgograd = v
            .gazetteer
            .places
            .iter()
            .find(|p| p.id == "geonames:472757")
            .expect("Volgograd");
        assert_eq!(volgograd.coords, Some((48.71939, 44.50183)));
        let names: Vec<(String, String, String, &str)> = volgograd
            .names
            .iter()
            .map(|n| {
                (
                    n.name.to_string(),
                    n.start
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    n.end.as_ref().map(ToString::to_string).unwrap_or_default(),
                    n.kind.as_str(),
                )
            })
            .collect();
        let row = |name: &str, start: &str, end: &str, kind| {
            (name.to_string(), start.to_string(), end.to_string(), kind)
        };
        assert_eq!(
            names,
            [
                row("Tsaritsyn", "1589", "1925", "historical"),
                row("Царицын", "1589", "1925", "historical"),
                row("Stalingrad", "1925-04-10", "1961-11-10", "historical"),
                row("Сталинград", "1925-04-10", "1961-11-10", "historical"),
                row("Volgograd", "1961-11-10", "", "official"),
                row("Волгоград", "1961-11-10", "", "official"),
            ]
        );
    }

    #[test]
    fn every_fixture_validates_without_an_error() {
        let pairs = [
            (
                "ngeonames/test_alternateNamesV2.txt",
                Some("ngeonames/test_geonames.txt"),
            ),
            (
                "ngeonames/test_alternateNames.txt",
                Some("ngeonames/test_geonames.txt"),
            ),
            ("ngeonames/test_alternateNamesV2.txt", None),
            (
                "django-cities/alternateNames.txt",
                Some("django-cities/cities1000.txt"),
            ),
            (
                "laravel-geonames/alternateNamesV2.txt",
                Some("laravel-geonames/allCountries.txt"),
            ),
        ];
        for (alt, table) in pairs {
            let Some(v) = validate_fixture(alt, table) else {
                return;
            };
            let errors: Vec<String> = v.errors().map(ToString::to_string).collect();
            assert!(errors.is_empty(), "{alt}: {errors:#?}");
            assert!(v.gazetteer.places.len() > 1, "{alt}");
            assert!(
                v.diagnostics
                    .iter()
                    .all(|d| d.severity == Severity::Warning),
                "{alt}"
            );
        }
    }

    #[test]
    fn tsaritsyn_comes_out_historical_1589_to_1925() {
        let Some(v) = validate_fixture(
            "ngeonames/test_alternateNamesV2.txt",
            Some("ngeonames/test_geonames.txt"),
        ) else {
            return;
        };
        let volgograd = v
            .gazetteer
            .places
            .iter()
            .find(|p| p.id == "geonames:472757")
            .expect("Volgograd");
        let names: Vec<(String, String, String, &str)> = volgograd
            .names
            .iter()
            .map(|n| {
                (
                    n.name.to_string(),
                    n.start
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    n.end.as_ref().map(ToString::to_string).unwrap_or_default(),
                    n.kind.as_str(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                (
                    "Tsaritsyn".into(),
                    "1589".into(),
                    "1925".into(),
                    "historical"
                ),
                ("Volgograd".into(), "1961".into(), String::new(), "official"),
            ]
        );
    }
}
