//! Every reader of another gazetteer's format, through the binary, on small fixtures of our
//! own in `tests/fixtures/` (written by hand in each format's real shape, so they ship with
//! the repository): a fresh clone without the shared fixtures still tests each reader. The
//! expected values are the fixtures' own, read off the files by hand (#14).

use crate::util;

use util::{Dir, fixture};

const LPF: &str = "lpf/renamed_cities.geojson";
const LP_TSV: &str = "lp-tsv/baltic_and_volga.tsv";
const GEONAMES: &str = "geonames/alternateNamesV2.txt";
const GEONAMES_TABLE: &str = "geonames/geonames.txt";
const PLEIADES: &str = "pleiades/names.csv";
const PLEIADES_PLACES: &str = "pleiades/places.csv";

/// The lines of stdout that start with a place id, so a test can count them.
fn rows_of<'a>(stdout: &'a str, place_id: &str) -> Vec<&'a str> {
    let prefix = format!("{place_id},");
    stdout.lines().filter(|l| l.starts_with(&prefix)).collect()
}

/// How many warnings stderr holds.
fn warnings(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.contains(": warning: ")).count()
}

// #14
#[test]
fn lpf_names_timespans_citations_types_ccodes_and_point_come_in() {
    let dir = Dir::new();
    let lpf = fixture(LPF);
    let out = dir.run(&["import", "lpf", &lpf]);
    out.code(0)
        .stderr_has("imported 3 places with 14 names")
        .stderr_has("left out what our schema cannot hold: relations, geometries (")
        .stderr_lacks("links");
    assert_eq!(warnings(&out.stderr), 1, "{}", out.stderr);
    let k = "http://mygaz.org/places/kaliningrad";
    let p = "http://mygaz.org/places/saint-petersburg";
    // #18: a closeMatch link (WHG's `gn:` prefix) is the place's same_as, on every row.
    out.stdout_has(&format!(
        "{p},Leningrad,1924-01-26,1991-09-06,en,city,RU,59.9386,30.3141,\
         https://en.wikipedia.org/wiki/Saint_Petersburg,,official,,,geonames:498817\n"
    ));
    // `in` on both bounds; the first citation's @id as source; the type's label, the first
    // ccode and the Point (GeoJSON puts longitude first).
    out.stdout_has(
        "http://mygaz.org/places/volgograd,Stalingrad,1925-04-10,1961-11-10,en,city,RU,48.7086,\
         44.5147,https://en.wikipedia.org/wiki/Volgograd,,official,,,\n",
    )
    // A start of `earliest`/`latest` is read widest: its earliest day. The first Point of
    // a GeometryCollection; a citation with a label only.
    .stdout_has(&format!(
        "{k},Königsberg,1255-01-01,1946-07-04,de,city,RU,54.7065,20.5109,Preußisches \
         Urkundenbuch,,official,,,\n"
    ))
    // No `when`: unknown dates.
    .stdout_has(&format!("{k},Królewiec,,,pl,city,RU,"))
    // An end of `earliest` = `latest`; a start of `latest` alone.
    .stdout_has(&format!("{p},Leningrad,1924-01-26,1991-09-06,en,"))
    .stdout_has(&format!("{p},Saint Petersburg,1991-09-06,,en,"));
    // A name with two timespans is two rows.
    let spb: Vec<&str> = rows_of(&out.stdout, p)
        .into_iter()
        .filter(|r| r.contains(",Санкт-Петербург,"))
        .collect();
    assert_eq!(spb.len(), 2, "{}", out.stdout);
    assert!(spb.iter().any(|r| r.contains(",1703-05-27,1914-08-31,ru,")));
    assert!(spb.iter().any(|r| r.contains(",1991-09-06,,ru,")));
    assert_eq!(rows_of(&out.stdout, k).len(), 4, "{}", out.stdout);

    // Read directly with --data, it answers.
    let data = ["--no-default-data", "--data", lpf.as_str()];
    let at = dir.run(&[&data[..], &["at", "1958", "Volgograd"]].concat());
    at.code(0)
        .stdout_has("Volgograd (city; RU; 48.7086, 44.5147; id http://mygaz.org/places/volgograd)")
        .stdout_has("Stalingrad  en    1925-04-10  1961-11-10  certain")
        .stdout_has("Сталинград  ru    1925-04-10  1961-11-10  certain")
        .stdout_lacks("Tsaritsyn")
        .stderr_has("left out what our schema cannot hold");
    // The Cyrillic name, typed in Latin letters, in the first of its two timespans.
    let at = dir.run(
        &[
            &data[..],
            &["at", "1900", "Sankt-Peterburg", "--format", "csv"],
        ]
        .concat(),
    );
    at.code(0);
    let answers = rows_of(&at.stdout, p);
    assert_eq!(answers.len(), 1, "{}", at.stdout);
    assert!(
        answers[0].contains(",Санкт-Петербург,1703-05-27,1914-08-31,ru,")
            && answers[0].contains(",1900,certain,"),
        "{}",
        at.stdout
    );
    dir.run(&[&data[..], &["lookup", "Koenigsberg"]].concat())
        .code(0)
        .stdout_has("Kaliningrad (city; RU; 54.7065, 20.5109; id http://mygaz.org/places/kaliningrad) - matched Königsberg (variant)");

    // What import writes reads back as our CSV, and answers the same.
    dir.write("cities.csv", &out.stdout);
    dir.run(&[
        "--no-default-data",
        "--data",
        "cities.csv",
        "at",
        "1950",
        "Leningrad",
    ])
    .code(0)
    .stdout_has("Leningrad  en    1924-01-26  1991-09-06  certain")
    .stderr_empty();
    // A missing file, and --places with a format that has no table of places.
    dir.run(&["import", "lpf", "no-such-file.geojson"])
        .code(2)
        .stderr_has("no-such-file.geojson");
    dir.run(&["import", "lpf", &lpf, "--places", "x.txt"])
        .code(2)
        .stderr_has("--places goes with import geonames");
}

// #14
#[test]
fn lp_tsv_titles_variants_dates_ccodes_and_coordinates_come_in() {
    let dir = Dir::new();
    let tsv = fixture(LP_TSV);
    let out = dir.run(&["import", "lp-tsv", &tsv]);
    out.code(0).stderr_has("imported 5 places with 16 names");
    assert_eq!(warnings(&out.stderr), 0, "{}", out.stderr);
    // The title with the record's dates; title_uri, when given, is the source.
    out.stdout_has(
        "koenigsberg,Königsberg,1255,1946-07-04,,city,RU,54.7065,20.5109,\
         https://www.geonames.org/554234,",
    )
    // Each variant without dates, of kind variant.
    .stdout_has(
        "koenigsberg,Królewiec,,,,city,RU,54.7065,20.5109,https://www.geonames.org/554234,\
         LP-TSV variant: no dates of its own,variant,,,\n",
    )
    // A range is read widest and said in the note; attestation_year is no start: with an
    // end, the start stays unknown and the note keeps the year.
    .stdout_has("memel,Memel,1252,1923,,town,LT,55.7068,21.1391,")
    .stdout_has("start given as the range 1252/1253")
    .stdout_has("elbing,Elbing,,1945,,town,PL,54.1561,19.4045,")
    .stdout_has("attested in 1237 (attestation_year), before its end: its start is unknown");
    // The title repeated among the variants is one name.
    assert_eq!(rows_of(&out.stdout, "tsaritsyn").len(), 3, "{}", out.stdout);
    assert_eq!(
        rows_of(&out.stdout, "koenigsberg").len(),
        4,
        "{}",
        out.stdout
    );

    let data = ["--no-default-data", "--data", tsv.as_str()];
    dir.run(&[&data[..], &["at", "1930", "Gdansk"]].concat())
        .code(0)
        .stdout_has("id danzig")
        .stdout_has("Danzig        official  1308  1945-03-30  certain")
        // #18: the undated variant that matched is shown, without an until ("now" would
        // claim it is still borne); the others are counted.
        .stdout_has("Gdańsk        variant                     undated")
        .stdout_has("+2 undated variants (--all-names shows them)");
    let at = dir.run(&[&data[..], &["at", "1900", "Zarizyn", "--format", "csv"]].concat());
    at.code(0);
    assert!(
        at.stdout.lines().any(|l| l
            .starts_with("tsaritsyn,Tsaritsyn,1589,1925-04-10,,city,RU,48.7086,44.5147,")
            && l.contains(",1900,certain,")),
        "{}",
        at.stdout
    );
    // The title holds from its start; the variants, undated, at any date.
    let title = "koenigsberg,Königsberg,1255,1946-07-04,";
    let at = dir.run(&[&data[..], &["at", "1300", "Königsberg", "--format", "csv"]].concat());
    at.code(0);
    assert!(
        at.stdout
            .lines()
            .any(|l| l.starts_with(title) && l.contains(",1300,certain,")),
        "{}",
        at.stdout
    );
    dir.run(&[&data[..], &["at", "1200", "Königsberg", "--format", "csv"]].concat())
        .code(0)
        .stdout_lacks(title)
        .stdout_has("koenigsberg,Królewiec,,,");
}

// #14
#[test]
fn geonames_flags_dates_codes_and_the_table_come_in() {
    let dir = Dir::new();
    let (alt, table) = (fixture(GEONAMES), fixture(GEONAMES_TABLE));
    let out = dir.run(&["import", "geonames", &alt, "--places", &table]);
    out.code(0)
        .stderr_has("imported 6 places with 28 names")
        .stderr_has(&format!(
            "{alt}:17: warning: column 'to': '6 September 1991' is not a date"
        ))
        .stderr_has("2 rows are not names (postal codes, links, Wikidata ids, codes) and were left out (link: 1, post: 1)")
        .stderr_has("3 rows name places that are not in")
        .stderr_has("(the first: geonameid 703448 at line 20)");
    assert_eq!(warnings(&out.stderr), 3, "{}", out.stderr);
    let v = "geonames:472757";
    // isHistoric, YYYY dates, coordinates, country and type from the table (PPLA: a city).
    out.stdout_has(&format!(
        "{v},Tsaritsyn,1589,1925,en,city,RU,48.71939,44.50183,https://www.geonames.org/472757,,\
         historical,,,\n"
    ))
    .stdout_has(&format!(
        "{v},Stalingrad,1925-04-10,1961-11-10,en,city,RU,48.71939,44.50183,"
    ))
    .stdout_has(&format!("{v},Волгоград,1961-11-10,,ru,city,RU,"))
    // YYYYMMDD; a `to` that is not a date stays in the note.
    .stdout_has("geonames:498817,Petrograd,1914-08-31,1924-01-26,en,")
    .stdout_has("geonames:498817,Leningrad,1924-01-26,,en,city,RU,59.93863,30.31413,https://www.geonames.org/498817,to: 6 September 1991,historical,,,\n")
    // isShortName and isColloquial make variants.
    .stdout_has("geonames:498817,St Petersburg,,,en,city,RU,59.93863,30.31413,https://www.geonames.org/498817,,variant,,,\n")
    .stdout_has("geonames:498817,Питер,,,ru,city,RU,59.93863,30.31413,https://www.geonames.org/498817,,variant,,,\n")
    // The table's own name, when no alternate name has it, is one more row (the capital:
    // a city), and a place with no alternate names at all still has it.
    .stdout_has("geonames:554234,Kaliningrad,,,,city,RU,54.70649,20.51095,https://www.geonames.org/554234,,official,,,\n")
    .stdout_has("geonames:524901,Moscow,,,,city,RU,55.75222,37.61556,")
    // A place the table lacks has no coordinates, type or country.
    .stdout_has("geonames:703448,Kijów,,,pl,,,,,https://www.geonames.org/703448,,official,,,\n")
    // Links and postal codes are not names.
    .stdout_lacks("wikipedia")
    .stdout_lacks("400000");
    // The table's name is not repeated when an alternate name has it.
    assert_eq!(rows_of(&out.stdout, v).len(), 6, "{}", out.stdout);
    assert_eq!(
        rows_of(&out.stdout, "geonames:705812").len(),
        6,
        "{}",
        out.stdout
    );

    dir.write("gn.csv", &out.stdout);
    let data = ["--no-default-data", "--data", "gn.csv"];
    dir.run(&[&data[..], &["at", "1950", "Volgograd"]].concat())
        .code(0)
        .stdout_has("Volgograd (city; RU; 48.71939, 44.50183; id geonames:472757)")
        .stdout_has("Stalingrad  en    historical  1925-04-10  1961-11-10  certain");
    dir.run(&[&data[..], &["at", "1930", "Elizavetgrad"]].concat())
        .code(0)
        .stdout_has("id geonames:705812")
        .stdout_has("Zinovievsk");

    // Without the table: no coordinates, no table rows, no word about missing places.
    let out = dir.run(&["import", "geonames", &alt]);
    out.code(0).stderr_has("imported 5 places with 26 names");
    assert_eq!(warnings(&out.stderr), 2, "{}", out.stderr);
    assert!(
        out.stdout
            .lines()
            .skip(1)
            .all(|l| l.contains(",,,,,https://www.geonames.org/")),
        "{}",
        out.stdout
    );
}

// #14
#[test]
fn pleiades_julian_years_name_types_scripts_and_places_come_in() {
    let dir = Dir::new();
    let (names, places) = (fixture(PLEIADES), fixture(PLEIADES_PLACES));
    let out = dir.run(&["import", "pleiades", &names, "--places", &places]);
    out.code(0)
        .stderr_has("imported 4 places with 13 names")
        // Londinium is not in places.csv. The line is counted in a CRLF file.
        .stderr_has(&format!(
            "{names}: warning: column 'place_id': 2 names of 1 place not in {places} have no \
             coordinates (the first: place 79574 at line 10)"
        ));
    assert_eq!(warnings(&out.stderr), 1, "{}", out.stderr);
    // Julian years without a year 0, as Gregorian days (worked out apart, through the
    // Julian Day Number: Julian 1 January 750 BC is Gregorian 24 December 751 BC,
    // astronomical -0750; the day after Julian 31 December 640 is Gregorian 4 January 641).
    out.stdout_has(
        "pleiades:423025,Roma,-0750-12-24,0641-01-04,la,,,41.891775,12.486137,\
         https://pleiades.stoa.org/places/423025/roma,",
    )
    // Greek letters with a romanized form: a second, Latin row of kind variant.
    .stdout_has("pleiades:423025,Ῥώμη,-0330-12-27,0641-01-04,grc,")
    .stdout_has("pleiades:423025,Rhome,-0330-12-27,0641-01-04,grc-Latn,")
    // An ethnic name is historical; an associated modern one a variant, read Gregorian.
    .stdout_has("pleiades:423025,Romani,-0550-12-26,0641-01-04,la,")
    .stdout_has("Pleiades ethnic name (of a people)")
    .stdout_has("pleiades:579885,Athens,1700-01-01,2101-01-01,en,,,37.971421,23.726166,")
    // A less-certain association puts '?' on both dates; a rough location is noted.
    .stdout_has("pleiades:520985,Lygos,-0750-12-24?,-0549-12-26?,la,,,41.0122,28.976,")
    .stdout_has("location rough")
    // No row of places.csv: no coordinates.
    .stdout_has("pleiades:79574,Londinium,-0030-12-30,0301-01-02,la,,,,,");
    let kinds = |name: &str| -> Vec<String> {
        out.stdout
            .lines()
            .filter(|l| l.split(',').nth(1) == Some(name))
            // kind, then attested, population and same_as: the fourth from the end.
            .map(|l| l.rsplit(',').nth(3).unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(kinds("Romani"), ["historical"]);
    assert_eq!(kinds("Athens"), ["variant"]);
    assert_eq!(kinds("Rhome"), ["variant"]);
    assert_eq!(kinds("Constantinopolis"), ["official"]);

    dir.write("pl.csv", &out.stdout);
    let data = ["--no-default-data", "--data", "pl.csv"];
    // Byzantion gave way to Constantinopolis on Gregorian 0330-01-02 (Julian 1 January 330).
    dir.run(&[&data[..], &["at", "0335", "Byzantion"]].concat())
        .code(0)
        .stdout_has(
            "Constantinopolis (41.0122, 28.976; id pleiades:520985) - matched Byzantion (exact)",
        )
        .stdout_has("Constantinopolis  la    0330-01-02  0641-01-04  certain");
    dir.run(&[&data[..], &["at", "0100", "Londinium"]].concat())
        .code(0)
        .stdout_has("id pleiades:79574")
        .stdout_has("Londinium  la    -0030-12-30  0301-01-02  certain");
}
