//! GeoNames in: every pair of files in `../shared/fixtures/geonames/` (read in place,
//! never copied here) goes through the importer and the validator, and known names come
//! out with their dates, kinds, coordinates and types. Without the shared fixtures these
//! tests are skipped (`tests/it/own_fixtures.rs` runs the importer on a file of our own).

use crate::util;

use gazetteer::error::Diagnostic;
use gazetteer::source::Sink;
use gazetteer::validate::{COLUMNS, Validator};
use std::io::BufRead;
use std::sync::Arc;
use util::fixtures;

/// One row as offered: file, line and the fields by column name.
#[derive(Debug, Clone)]
struct Row {
    file: String,
    line: u64,
    fields: Vec<String>,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        let i = COLUMNS
            .iter()
            .position(|c| *c == column)
            .unwrap_or_else(|| panic!("no column {column}"));
        &self.fields[i]
    }
}

/// What the importer offered, and what the validator made of the same rows.
struct Import {
    rows: Vec<Row>,
    problems: Vec<Diagnostic>,
    validator: Validator,
}

impl Sink for Import {
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
        self.validator.header(file, header)
    }
    fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
        self.rows.push(Row {
            file: file.to_string(),
            line,
            fields: fields.iter().map(str::to_string).collect(),
        });
        self.validator.row(file, line, fields);
    }
    fn problem(&mut self, problem: Diagnostic) {
        self.problems.push(problem.clone());
        self.validator.problem(problem);
    }
    fn end(&mut self, file: &Arc<str>, rows: u64) {
        self.validator.end(file, rows);
    }
}

impl Import {
    fn names_of(&self, place_id: &str) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| r.get("place_id") == place_id)
            .collect()
    }

    fn named<'a>(&'a self, place_id: &str, name: &str) -> &'a Row {
        let found: Vec<&Row> = self
            .names_of(place_id)
            .into_iter()
            .filter(|r| r.get("name") == name)
            .collect();
        assert!(!found.is_empty(), "{place_id} has no row named {name}");
        found[0]
    }

    fn messages(&self) -> Vec<String> {
        self.problems.iter().map(ToString::to_string).collect()
    }

    /// Runs the rows through the validator too, and fails on any error.
    fn assert_valid(self) {
        let validated = self.validator.finish();
        let errors: Vec<String> = validated.errors().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert!(!validated.gazetteer.places.is_empty());
    }
}

/// Imports `alternates` (and `table`), both relative to the geonames fixtures folder;
/// `None` when the shared fixtures are missing.
fn import(alternates: &str, table: Option<&str>) -> Option<Import> {
    let dir = fixtures()?.join("geonames");
    let open = |name: &str| {
        let path = dir.join(name);
        std::io::BufReader::new(
            std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
    };
    let mut alt = open(alternates);
    let mut places = table.map(open);
    let mut out = Import {
        rows: Vec::new(),
        problems: Vec::new(),
        validator: Validator::new(),
    };
    gazetteer::formats::geonames::parse_into(
        (alternates, &mut alt),
        places
            .as_mut()
            .zip(table)
            .map(|(p, name)| (name, p as &mut dyn BufRead)),
        &mut out,
    );
    Some(out)
}

#[test]
fn every_fixture_file_is_a_pair_used_here() {
    // A new fixture file should get a test: this lists what the tests below cover.
    let covered = [
        "django-cities/alternateNames.txt",
        "django-cities/cities1000.txt",
        "laravel-geonames/allCountries.txt",
        "laravel-geonames/alternateNamesV2.txt",
        "ngeonames/test_alternateNames.txt",
        "ngeonames/test_alternateNamesV2.txt",
        "ngeonames/test_geonames.txt",
    ];
    let Some(fx) = fixtures() else {
        return;
    };
    let dir = fx.join("geonames");
    let mut found = Vec::new();
    for sub in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let sub = sub.unwrap().path();
        if !sub.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&sub).unwrap() {
            let f = f.unwrap().path();
            let rel = f
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            found.push(rel);
        }
    }
    found.sort();
    assert_eq!(found, covered);
}

#[test]
fn ngeonames_v2_dates_come_out_as_edtf_and_free_text_as_a_note() {
    let Some(out) = import(
        "ngeonames/test_alternateNamesV2.txt",
        Some("ngeonames/test_geonames.txt"),
    ) else {
        return;
    };
    let tsaritsyn = out.named("geonames:472757", "Tsaritsyn");
    assert_eq!(tsaritsyn.get("start"), "1589");
    assert_eq!(tsaritsyn.get("end"), "1925");
    assert_eq!(tsaritsyn.get("kind"), "historical");
    assert_eq!(tsaritsyn.get("lang"), "en");
    assert_eq!(tsaritsyn.get("source"), "https://www.geonames.org/472757");
    assert_eq!(tsaritsyn.line, 5);
    let volgograd = out.named("geonames:472757", "Volgograd");
    assert_eq!((volgograd.get("start"), volgograd.get("end")), ("1961", ""));
    assert_eq!(volgograd.get("kind"), "official");
    // YYYYMMDD
    let comitan = out.named("geonames:6955096", "Comitán de Domínguez");
    assert_eq!(comitan.get("start"), "1915-09-03");
    // "19 February 2008" is not a date: a warning, no date, the text in the note.
    let rossmoor = out.named("geonames:7258581", "Rossmoor CDP");
    assert_eq!(rossmoor.get("end"), "");
    assert_eq!(rossmoor.get("note"), "to: 19 February 2008");
    let m = out.messages();
    assert!(
        m.iter().any(|w| w.starts_with(
            "ngeonames/test_alternateNamesV2.txt:1: warning: column 'to': '19 February 2008' \
             is not a date"
        )),
        "{m:#?}"
    );
    // The Kurdish row whose from and to hold names: both warned about, the row kept.
    let kurdish = out.names_of("geonames:11853854");
    assert_eq!(kurdish.len(), 1);
    assert_eq!((kurdish[0].get("start"), kurdish[0].get("end")), ("", ""));
    assert!(kurdish[0].get("note").ends_with("; to: Qulai Kanimaran"));
    let on_line_3 = m
        .iter()
        .filter(|w| w.starts_with("ngeonames/test_alternateNamesV2.txt:3: warning"))
        .count();
    assert_eq!(on_line_3, 2, "{m:#?}");
    // None of the five places is in the two-row table; its own two places get their names.
    assert!(
        m.iter()
            .any(|w| w.contains("5 rows name places that are not in ngeonames/test_geonames.txt")),
        "{m:#?}"
    );
    let khost = out.named("geonames:1136469", "Khōst");
    assert_eq!(khost.file, "ngeonames/test_geonames.txt");
    assert_eq!(khost.line, 1);
    assert_eq!(
        (
            khost.get("type"),
            khost.get("country"),
            khost.get("lat"),
            khost.get("lon")
        ),
        ("city", "AF", "33.33951", "69.92041")
    );
    assert_eq!(out.rows.len(), 7);
    out.assert_valid();
}

#[test]
fn ngeonames_old_format_leaves_out_links_and_codes() {
    let Some(out) = import(
        "ngeonames/test_alternateNames.txt",
        Some("ngeonames/test_geonames.txt"),
    ) else {
        return;
    };
    let m = out.messages();
    let left_out: Vec<&String> = m
        .iter()
        .filter(|w| w.contains("rows are not names"))
        .collect();
    assert_eq!(left_out.len(), 1, "{m:#?}");
    let count: u64 = left_out[0]
        .split("'isolanguage': ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(count > 0, "{m:#?}");
    // link 2, post, iata, icao, faac, fr_1793, abbr
    assert_eq!(count, 8, "{m:#?}");
    assert!(left_out[0].contains("link: 2"), "{m:#?}");
    assert!(
        out.rows
            .iter()
            .all(|r| !r.get("name").starts_with("http") && r.get("name") != "TW13"),
        "a link or postal code came out as a name"
    );
    // The old format's flags: isColloquial and isShortName make variants, isHistoric history.
    assert_eq!(
        out.named("geonames:6621102", "Torre Fiumicelli")
            .get("kind"),
        "variant"
    );
    assert_eq!(
        out.named("geonames:6615468", "The Jekyll & Hyde Pub")
            .get("kind"),
        "variant"
    );
    assert_eq!(
        out.named("geonames:6639742", "Abbaye Saint-Antoine-des-Champs")
            .get("kind"),
        "historical"
    );
    // 17 lines: 8 codes left out, 9 names, and the table's 2 own names.
    assert_eq!(out.rows.len(), 11);
    out.assert_valid();
}

#[test]
fn django_cities_elizavetgrad_is_a_historical_name_of_705812() {
    let Some(out) = import(
        "django-cities/alternateNames.txt",
        Some("django-cities/cities1000.txt"),
    ) else {
        return;
    };
    let e = out.named("geonames:705812", "Elizavetgrad");
    assert_eq!(e.get("kind"), "historical");
    assert_eq!(e.get("lang"), "");
    assert_eq!(e.get("country"), "UA");
    assert_eq!(e.get("type"), "city");
    assert!(e.get("lat").starts_with("48."), "{e:?}");
    assert_eq!(
        out.named("geonames:705812", "Kirovo").get("kind"),
        "official"
    );
    // Every alternate name of every line is a row; nothing is a code in this file.
    let from_alternates = out
        .rows
        .iter()
        .filter(|r| r.file == "django-cities/alternateNames.txt")
        .count();
    assert_eq!(from_alternates, 6890);
    // All places of the table are there, each with its coordinates on every row.
    let table_ids: Vec<String> = std::fs::read_to_string(
        fixtures()
            .unwrap()
            .join("geonames/django-cities/cities1000.txt"),
    )
    .unwrap()
    .lines()
    .filter_map(|l| l.split('\t').next())
    .map(|id| format!("geonames:{id}"))
    .collect();
    assert_eq!(table_ids.len(), 124);
    for id in &table_ids {
        let rows = out.names_of(id);
        assert!(!rows.is_empty(), "{id} has no name");
        assert!(rows.iter().all(|r| !r.get("lat").is_empty()), "{id}");
    }
    assert!(
        !out.messages().iter().any(|m| m.contains("not names")),
        "no pseudo-codes in this file"
    );
    out.assert_valid();
}

#[test]
fn laravel_trimmed_rows_and_blank_lines_are_read() {
    let Some(out) = import(
        "laravel-geonames/alternateNamesV2.txt",
        Some("laravel-geonames/allCountries.txt"),
    ) else {
        return;
    };
    assert!(out.problems.is_empty(), "{:#?}", out.messages());
    let from_alternates: Vec<&Row> = out
        .rows
        .iter()
        .filter(|r| r.file == "laravel-geonames/alternateNamesV2.txt")
        .collect();
    assert_eq!(from_alternates.len(), 55);
    // Blank lines count: Kyiv is on line 9.
    let kyiv = out.named("geonames:703448", "Kyiv");
    assert_eq!(kyiv.line, 9);
    assert_eq!(
        (
            kyiv.get("type"),
            kyiv.get("country"),
            kyiv.get("lat"),
            kyiv.get("lon")
        ),
        ("city", "UA", "50.45466", "30.5238")
    );
    // The table's own name "Kyiv" is an alternate name already: not repeated.
    assert_eq!(out.names_of("geonames:703448").len(), 3);
    // Four columns only, and isColloquial in the seventh of seven.
    assert_eq!(out.named("geonames:703448", "Kijów").get("lang"), "pl");
    assert_eq!(
        out.named("geonames:703883", "Republic of Crimea")
            .get("kind"),
        "variant"
    );
    // The table's own name when no alternate name has the same text: Łódź has "Łódź"
    // among its alternates, Lviv Oblast only "Lviv Oblast", "Obwód lwowski", ...
    assert_eq!(out.names_of("geonames:3093133").len(), 3);
    let lviv_oblast = out.named("geonames:702549", "Lvivska Oblast");
    assert_eq!(
        (lviv_oblast.file.as_str(), lviv_oblast.line),
        ("laravel-geonames/allCountries.txt", 10)
    );
    assert_eq!(
        (lviv_oblast.get("type"), lviv_oblast.get("kind")),
        ("region", "official")
    );
    assert_eq!(out.names_of("geonames:702549").len(), 4);
    let europe = out.named("geonames:6255148", "Europe");
    assert_eq!((europe.get("type"), europe.get("country")), ("region", ""));
    out.assert_valid();
}

#[test]
fn without_a_table_rows_have_no_coordinates() {
    let Some(out) = import("laravel-geonames/alternateNamesV2.txt", None) else {
        return;
    };
    assert_eq!(out.rows.len(), 55);
    assert!(
        out.rows
            .iter()
            .all(|r| r.get("lat").is_empty() && r.get("type").is_empty())
    );
    assert!(out.problems.is_empty(), "{:#?}", out.messages());
    out.assert_valid();
}
