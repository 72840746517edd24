//! The world layer in the binary (#18): common names answer with the expected place first,
//! a curated place and its GeoNames twin are one place (also with a user's GeoNames
//! import), and no undated variant answers `certain`. Each test runs the real binary a
//! few times on the built-in data; none parses the whole world layer.

use crate::util::Dir;

/// The heading lines of a table answer (a place's first line: it carries its id).
fn headings(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.contains("; id ")).collect()
}

/// The first place of `args`'s answer is in `country`.
fn first_is_in(args: &[&str], country: &str) {
    let out = Dir::new().run(args);
    out.code(0);
    let heads = headings(&out.stdout);
    assert!(
        heads
            .first()
            .is_some_and(|h| h.contains(&format!("; {country}; "))),
        "{args:?}: expected a place in {country} first, got {heads:#?}"
    );
}

#[test]
fn common_names_answer_with_the_expected_country_first() {
    for (name, country) in [
        ("Berlin", "DE"),
        ("York", "GB"),
        ("Hamburg", "DE"),
        ("Moscow", "RU"),
        ("Paris", "FR"),
    ] {
        first_is_in(&["lookup", name], country);
        first_is_in(&["at", "1900", name], country);
    }
}

/// Berlin, Ontario (Kitchener) held the name certainly in 1900; Berlin, Germany is still
/// listed first, and Kitchener is still shown.
#[test]
fn berlin_1900_lists_germany_before_kitchener() {
    let out = Dir::new().run(&["at", "1900", "Berlin"]);
    out.code(0).stdout_has("id ca-kitchener");
    let heads = headings(&out.stdout);
    let de = heads.iter().position(|h| h.contains("; DE; "));
    let kitchener = heads.iter().position(|h| h.contains("id ca-kitchener"));
    assert!(de < kitchener && de.is_some(), "{heads:#?}");
}

#[test]
fn resolve_picks_the_expected_country_first() {
    let dir = Dir::new();
    dir.write(
        "births.csv",
        "name,date\nBerlin,1900\nHamburg,1900\nMoscow,1900\nParis,1900\nYork,1900\n",
    );
    let out = dir.run(&[
        "resolve",
        "births.csv",
        "--name-column",
        "name",
        "--date-column",
        "date",
    ]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", out.stdout);
    // Each place's first candidate is the big city: its GeoNames twin or curated id.
    for (line, id) in lines[1..].iter().zip([
        "gn-2950159",
        "gn-2911298",
        "gn-524901",
        "gn-2988507",
        "gn-2633352",
    ]) {
        let first_id = line
            .split(',')
            .nth(2)
            .and_then(|ids| ids.split('|').next())
            .unwrap_or_default();
        assert_eq!(first_id, id, "{line}");
    }
}

#[test]
fn katowice_is_found_by_kattowitz_as_one_place() {
    let out = Dir::new().run(&["lookup", "Kattowitz"]);
    out.code(0);
    let heads = headings(&out.stdout);
    assert_eq!(heads.len(), 1, "{heads:#?}");
    assert!(heads[0].contains("id pl-katowice"), "{heads:#?}");
    assert!(heads[0].contains("curated + GeoNames"), "{heads:#?}");
    assert!(heads[0].contains("population "), "{heads:#?}");
    out.stdout_lacks("gn-3096472");
    // CSV keeps every row, the twin's id among the place's ids.
    let csv = Dir::new().run(&["lookup", "Kattowitz", "--format", "csv"]);
    csv.code(0).stdout_has("geonames:3096472");
    assert!(
        csv.stdout
            .lines()
            .skip(1)
            .all(|l| l.starts_with("pl-katowice,"))
    );
}

/// A user's GeoNames import (ids `geonames:N`) is one place with the curated place its id
/// is linked to, and with the world layer's record of it.
#[test]
fn a_users_geonames_import_joins_its_twin() {
    let dir = Dir::new();
    dir.write(
        "lodz.csv",
        "place_id,name,country,population\ngeonames:3093133,Łódź,PL,768755\ngeonames:3093133,Lodsch,PL,768755\n",
    );
    let out = dir.run(&["lookup", "Lodsch", "--data", "lodz.csv"]);
    out.code(0);
    let heads = headings(&out.stdout);
    assert_eq!(heads.len(), 1, "{}", out.stdout);
    assert!(heads[0].contains("id pl-lodz"), "{heads:#?}");
    assert!(
        heads[0].contains("curated + GeoNames + your data"),
        "{heads:#?}"
    );
}

/// No undated variant answers `certain`, and a world place says it has no renaming.
#[test]
fn undated_names_never_answer_certain() {
    let out = Dir::new().run(&["at", "1900", "Hamburg", "--format", "csv"]);
    out.code(0);
    let header: Vec<&str> = out.stdout.lines().next().unwrap().split(',').collect();
    let certainty = header.iter().position(|h| *h == "certainty").unwrap();
    let (start, end) = (
        header.iter().position(|h| *h == "start").unwrap(),
        header.iter().position(|h| *h == "end").unwrap(),
    );
    let status = header.iter().position(|h| *h == "period_status").unwrap();
    let mut undated = 0;
    for line in out.stdout.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() == header.len() && f[start].is_empty() && f[end].is_empty() {
            undated += 1;
            assert_ne!(f[certainty], "certain", "{line}");
            // Nor does it say the place bore the name then.
            assert_eq!(f[status], "undated", "{line}");
        }
    }
    assert!(undated > 0, "{}", out.stdout);
    Dir::new()
        .run(&["lookup", "Hamburg"])
        .code(0)
        .stdout_has("no renaming recorded")
        .stdout_has("undated variants (--all-names shows them)");
}

/// A curated place found by one of its twin's undated variants: when the query also meets
/// a dated name of the place in a weaker tier, that name says when (`Zarizyn` is GeoNames'
/// German spelling of Tsaritsyn, 1589-1925); otherwise the answer is `undated`, whatever
/// the place was called then.
#[test]
fn a_twins_undated_variant_answers_with_the_dates_it_stands_for_or_undated() {
    let dir = Dir::new();
    dir.write(
        "q.csv",
        "name,date\nZarizyn,1900\nZarizyn,1950\nSankt-Peterburg,2000\nKijów,1900\n",
    );
    let out = dir.run(&[
        "resolve",
        "q.csv",
        "--name-column",
        "name",
        "--date-column",
        "date",
    ]);
    out.code(0)
        .stdout_has("Zarizyn,1900,ru-volgograd,Tsaritsyn,Volgograd,exact,1589/1925-04-10,certain,ok,\n")
        // In 1950 it was Stalingrad: Zarizyn then is a name of other times, with its dates.
        .stdout_has("Zarizyn,1950,ru-volgograd,Stalingrad,Volgograd,exact,1589/1925-04-10,certain,out_of_period,\n")
        // GeoNames' Sankt-Peterburg is the curated Санкт-Петербург in Latin letters: not
        // added to the place, so it matches that dated name.
        .stdout_has("Sankt-Peterburg,2000,ru-saint-petersburg,Санкт-Петербург,Saint Petersburg,transliterated,1991-09-06/..,certain,ok,\n")
        // An undated name that meets no dated one (GeoNames' Polish name of Kyiv): the
        // place is found, but not for certain, whatever it was called then.
        .stdout_has("Kijów,1900,ua-kyiv,Kiev,Kyiv,exact,/..,undated,ok,\n");
}
