//! The Pleiades importer on real Pleiades data: the first 70 names of the GIS export's
//! `names.csv` with the first 38 rows of its `places.csv`, read in place from
//! `../shared/fixtures/pleiades/gis-excerpt` (never copied here). Without the shared
//! fixtures these tests are skipped (`tests/it/own_fixtures.rs` runs the importer on files
//! of our own).

use crate::util;

use gazetteer::source::Table;
use gazetteer::validate::{COLUMNS, Validator};
use util::fixtures;

/// A file of the excerpt; `None` when the shared fixtures are missing.
fn read(file: &str) -> Option<Vec<u8>> {
    let path = fixtures()?.join("pleiades/gis-excerpt").join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The fixtures imported into a table, as the integrator's sink would see them.
fn import() -> Option<Table> {
    let (names, places) = (read("names_head.csv")?, read("places_head.csv")?);
    let mut table = Table::default();
    gazetteer::formats::pleiades::parse_into(
        ("names_head.csv", &mut names.as_slice()),
        Some(("places_head.csv", &mut places.as_slice())),
        &mut table,
    );
    Some(table)
}

fn get<'r>(row: &'r [String], column: &str) -> &'r str {
    &row[COLUMNS.iter().position(|c| *c == column).unwrap()]
}

/// The rows of one name, by its text.
fn rows_named<'t>(t: &'t Table, name: &str) -> Vec<&'t [String]> {
    t.rows
        .iter()
        .map(|r| r.fields.as_slice())
        .filter(|r| get(r, "name") == name)
        .collect()
}

#[test]
fn every_name_becomes_a_row_and_other_scripts_a_latin_one_too() {
    let Some(t) = import() else {
        return;
    };
    assert_eq!(t.header, COLUMNS);
    // The fixture's own count of names, read independently of the importer.
    let names = read("names_head.csv").unwrap();
    let records = csv::Reader::from_reader(names.as_slice()).records().count();
    assert_eq!(records, 70);
    // No name is an error; 11 are in Greek, Hebrew, Cyrillic or Arabic letters with a
    // romanized form, and get a second row.
    assert_eq!(t.rows.len(), records + 11);
    let variants: Vec<(&str, &str)> = t
        .rows
        .iter()
        .filter(|r| get(&r.fields, "note").starts_with("romanization of "))
        .map(|r| (get(&r.fields, "name"), get(&r.fields, "lang")))
        .collect();
    assert_eq!(variants.len(), 11);
    assert!(variants.contains(&("Tel Mor", "he-Latn")), "{variants:?}");
    assert!(variants.contains(&("Homarion", "grc-Latn")), "{variants:?}");
    assert!(
        variants.contains(&("Tsarëv kurgan", "ru-Latn")),
        "{variants:?}"
    );
    // The romanized row follows its name, on the same line and with the same dates.
    let i = t
        .rows
        .iter()
        .position(|r| get(&r.fields, "name") == "Ἁμάριον")
        .unwrap();
    let (greek, latin) = (&t.rows[i], &t.rows[i + 1]);
    assert_eq!(get(&latin.fields, "name"), "Homarion");
    assert_eq!(get(&latin.fields, "kind"), "variant");
    assert_eq!(greek.line, latin.line);
    assert_eq!(greek.fields[2..4], latin.fields[2..4]);
}

#[test]
fn julian_years_without_a_year_0_become_gregorian_days() {
    let Some(t) = import() else {
        return;
    };
    // year_after_which -330, year_before_which 300 (line 18).
    let rows = rows_named(&t, "hypogaeum Scipionum");
    assert_eq!(rows.len(), 1);
    let r = rows[0];
    assert_eq!(get(r, "place_id"), "pleiades:999196280");
    assert_eq!(get(r, "start"), "-0330-12-27");
    assert_eq!(get(r, "end"), "0301-01-02");
    assert_eq!(get(r, "lang"), "la");
    assert_eq!(
        get(r, "source"),
        "https://pleiades.stoa.org/places/999196280/hypogaeum-scipionum"
    );
    assert_eq!(
        get(r, "note"),
        "Pleiades: after -330, before 300 (whole Julian years, negative is BC)"
    );
    // -3000 to -100 (Eanna), the oldest in the fixture.
    let r = rows_named(&t, "Eanna")[0];
    assert_eq!(
        (get(r, "start"), get(r, "end")),
        ("-3000-12-08", "-0099-12-30")
    );
    // The "Modern" period, 1700 to 2100, is read in the Gregorian calendar.
    let r = rows_named(&t, "Utrecht")[0];
    assert_eq!(
        (get(r, "start"), get(r, "end")),
        ("1700-01-01", "2101-01-01")
    );
    // Empty bounds stay empty.
    let r = rows_named(&t, "Gallia")[0];
    assert_eq!(
        (get(r, "start"), get(r, "end"), get(r, "note")),
        ("", "", "location rough")
    );
}

#[test]
fn names_keep_their_letters_lose_stray_spaces_and_carry_kind_and_doubt() {
    let Some(t) = import() else {
        return;
    };
    // A combining macron (U+0304) survives as written.
    let r = rows_named(&t, "Pretoriv\u{304} Agrippine");
    assert_eq!(r.len(), 1);
    assert!(get(r[0], "note").ends_with("; romanized Pretoriu Agrippine"));
    // "sepolcro degli Scipioni " ends in a space in the export.
    assert_eq!(rows_named(&t, "sepolcro degli Scipioni").len(), 1);
    // No attested form: the romanized one is the name.
    let r = rows_named(&t, "Tubantes")[0];
    assert_eq!(get(r, "kind"), "historical", "an ethnic name");
    let r = rows_named(&t, "Zwammerdam")[0];
    assert_eq!(get(r, "kind"), "variant", "an associated modern name");
    // less-certain: both dates carry '?'.
    let r = rows_named(&t, "Teutones")[0];
    assert_eq!(
        (get(r, "start"), get(r, "end")),
        ("-0330-12-27?", "-0029-12-30?")
    );
    // A long description (Gaochang's, 376 characters) stays out of the note.
    let r = rows_named(&t, "Gaochang")[0];
    assert_eq!(
        get(r, "note"),
        "Pleiades: after 2000, before 2099 (whole years)"
    );
}

#[test]
fn places_missing_from_places_csv_have_no_coordinates_and_one_warning() {
    let Some(t) = import() else {
        return;
    };
    let messages: Vec<String> = t.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "names_head.csv: warning: column 'place_id': 29 names of 22 places not in \
          places_head.csv have no coordinates (the first: place 99055 at line 43); give the \
          whole places.csv of the same export"
        ]
    );
    let varini = rows_named(&t, "Varini")[0];
    assert_eq!(get(varini, "place_id"), "pleiades:99055");
    assert_eq!((get(varini, "lat"), get(varini, "lon")), ("", ""));
    let traiectum = rows_named(&t, "Traiectum")[0];
    assert_eq!(
        (get(traiectum, "lat"), get(traiectum, "lon")),
        ("52.090934000000004", "5.1220985")
    );
    let unplaced = t
        .rows
        .iter()
        .filter(|r| get(&r.fields, "lat").is_empty())
        .count();
    // 29 names, 8 of them with a romanized row too.
    assert_eq!(unplaced, 29 + 8);
}

#[test]
fn the_rows_pass_validation() {
    let Some(names) = read("names_head.csv") else {
        return;
    };
    let places = read("places_head.csv").unwrap();
    let mut v = Validator::new();
    gazetteer::formats::pleiades::parse_into(
        ("names_head.csv", &mut names.as_slice()),
        Some(("places_head.csv", &mut places.as_slice())),
        &mut v,
    );
    let v = v.finish();
    let errors: Vec<String> = v.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v.gazetteer.places.len(), 43);
    let gallia = v
        .gazetteer
        .places
        .iter()
        .find(|p| p.id == "pleiades:993")
        .unwrap();
    assert_eq!(
        gallia.coords,
        Some((46.360953305773286, 1.6706144893053327))
    );
}
