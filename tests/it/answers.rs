//! Answers you can trust (#15): the date chooses among the places that bore a name, what
//! the data does not know is never "certain", and `at` and `resolve` speak one vocabulary.
//! Attestations (#14): a name recorded in use in one year is answered as attested then.
//! Every example of the issues, through the real binary.

use crate::util;

use util::Dir;

/// The columns `resolve` appends, of each output row after the header, by name.
fn resolved(out: &util::Output) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a csv row");
            headers
                .iter()
                .zip(r.iter())
                .filter(|(h, _)| h.starts_with("gz_"))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// `resolve` of `name,date` rows on the built-in data.
fn resolve_builtin(rows: &str) -> util::Output {
    let input = format!("name,date\n{rows}");
    Dir::new().run_with_stdin(
        &[
            "resolve",
            "-",
            "--name-column",
            "name",
            "--date-column",
            "date",
        ],
        Some(input.as_bytes()),
    )
}

fn cell<'a>(row: &'a std::collections::HashMap<String, String>, column: &str) -> &'a str {
    row.get(column).map(String::as_str).unwrap_or("<missing>")
}

// #15; #18: with the world layer, York, England answers first (its name undated), and
// Toronto, York only until 1834, is never an answer for 1900.
#[test]
fn york_in_1900_is_york_england_first_never_toronto() {
    let out = resolve_builtin("York,1900\n");
    out.code(0);
    let rows = resolved(&out);
    assert_eq!(cell(&rows[0], "gz_status"), "ambiguous", "{}", out.stdout);
    let ids = cell(&rows[0], "gz_place_id");
    assert!(ids.starts_with("gn-2633352|"), "{}", out.stdout);
    assert!(
        !ids.split('|').any(|id| id == "ca-toronto"),
        "{}",
        out.stdout
    );
    assert!(
        cell(&rows[0], "gz_certainty")
            .split('|')
            .all(|c| c == "undated"),
        "{}",
        out.stdout
    );

    let out = Dir::new().run(&["at", "1900", "York"]);
    out.code(0)
        .stdout_has("id gn-2633352; population ")
        .stdout_has("Toronto (CA), 1793-08-26 to 1834-03-06");
}

// #15
#[test]
fn stalin_in_1927_is_donetsk_alone_and_the_others_come_after() {
    let out = resolve_builtin("Stalin,1927\n");
    out.code(0);
    let rows = resolved(&out);
    assert_eq!(
        (cell(&rows[0], "gz_place_id"), cell(&rows[0], "gz_status")),
        ("ua-donetsk", "ok"),
        "{}",
        out.stdout
    );
    let out = Dir::new().run(&["at", "1927", "Stalin"]);
    out.code(0)
        .stdout_has("id ua-donetsk; population 901,645; curated + GeoNames) - matched Stalin (exact)\non 1927:")
        // Musala and Varna bore the name later: one line after the answer, no table.
        .stdout_has("\nalso bore the name Stalin: Varna (BG), 1949-12-20 to 1956-10-20; Kuçovë (AL), 1951-07-10 to 1991-01-05; Musala (BG), 1949 to 1962\n")
        .stdout_lacks("id bg-varna")
        .stdout_lacks("id bg-musala");
    assert!(
        out.stdout.starts_with("Donetsk "),
        "the answer comes first{}",
        out.stdout
    );
}

// #15
#[test]
fn kaliningrad_is_the_city_in_2020_and_out_of_period_in_1930() {
    let out = resolve_builtin("Kaliningrad,2020\nKaliningrad,1930\nStalingrad,2000\n");
    out.code(0);
    let rows = resolved(&out);
    assert_eq!(
        (
            cell(&rows[0], "gz_place_id"),
            cell(&rows[0], "gz_name"),
            cell(&rows[0], "gz_status")
        ),
        ("ru-kaliningrad", "Kaliningrad", "ok"),
        "{}",
        out.stdout
    );
    assert_eq!(
        cell(&rows[1], "gz_status"),
        "out_of_period",
        "{}",
        out.stdout
    );
    // Neither place bore the name in 1930: both are given, each with its name then.
    assert_eq!(cell(&rows[1], "gz_place_id"), "ru-kaliningrad|ru-korolyov");
    assert_eq!(cell(&rows[1], "gz_name"), "Königsberg|");
    assert_eq!(
        cell(&rows[1], "gz_name_period"),
        "1946-07-04/..|1938-12-26/1996-07"
    );
    // Stalingrad in 2000 still answers Volgograd, flagged.
    assert_eq!(
        (
            cell(&rows[2], "gz_place_id"),
            cell(&rows[2], "gz_name"),
            cell(&rows[2], "gz_status")
        ),
        ("ru-volgograd", "Volgograd", "out_of_period"),
        "{}",
        out.stdout
    );
}

// #15
#[test]
fn no_name_without_a_known_start_is_certain_before_koenigsberg_was_founded() {
    let out = Dir::new().run(&["at", "1200", "Kaliningrad", "--format", "csv"]);
    out.code(0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        assert_ne!(&r[col("certainty")], "certain", "{}", out.stdout);
        assert_eq!(&r[col("period_status")], "out_of_period", "{}", out.stdout);
    }
}

/// A small dataset of our own for the rules of bounds: an unknown start, an open one
/// (`..`), a name with no dates, and an open end written `..`.
const BOUNDS: &str = "place_id,name,start,end,lang,source\n\
    p,Oldtown,,1900,en,s\n\
    p,Newtown,1900,..,en,s\n\
    q,Ancient,..,1900,en,s\n\
    q,Modern,1900,,en,s\n\
    r,Nodate,,,en,s\n";

fn on_bounds(args: &[&str]) -> util::Output {
    let dir = Dir::new();
    dir.write("b.csv", BOUNDS);
    let mut all = vec!["--no-default-data", "--data", "b.csv"];
    all.extend_from_slice(args);
    dir.run(&all)
}

// #15
#[test]
fn an_unknown_start_is_at_most_possible_an_open_one_is_certain_no_dates_undated() {
    on_bounds(&["at", "1850", "Oldtown"])
        .code(0)
        .stdout_has("Oldtown  en          1900   possible")
        .stdout_lacks(" certain ");
    on_bounds(&["at", "1850", "Ancient"])
        .code(0)
        .stdout_has("Ancient  en    ..    1900   certain");
    on_bounds(&["at", "1200", "Nodate"])
        .code(0)
        .stdout_has("Nodate  en          now    undated");
    // `..` as an end is "still in use", like an empty end.
    on_bounds(&["at", "2020", "Newtown"])
        .code(0)
        .stdout_has("Newtown  en    1900  now    certain");
    // CSV output keeps `..` apart from an unknown start, and reads back the same.
    let dir = Dir::new();
    dir.write("b.csv", BOUNDS);
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "b.csv",
        "--format",
        "csv",
        "lookup",
        "Ancient",
    ]);
    out.code(0).stdout_has("q,Ancient,..,1900,");
    dir.write("back.csv", &out.stdout);
    let again = dir.run(&[
        "--no-default-data",
        "--data",
        "back.csv",
        "--format",
        "csv",
        "lookup",
        "Ancient",
    ]);
    again.code(0).stderr_empty();
    assert_eq!(again.stdout, out.stdout);
}

// #15
#[test]
fn check_warns_about_a_first_name_without_a_start_but_not_about_an_open_one() {
    let out = on_bounds(&["check", "b.csv"]);
    out.code(0)
        .stdout_has("b.csv:2: warning: column 'start': is empty on 'Oldtown', the first name of place 'p' in 'en'")
        .stdout_has("answers at most 'possible' before its end")
        .stdout_has("b.csv:6: warning: column 'start': is empty on 'Nodate'")
        .stdout_has("answers 'undated'")
        .stdout_lacks("'Ancient'")
        .stdout_lacks("'Newtown'")
        .stdout_has("0 errors, 2 warnings");
}

// #15
#[test]
fn at_and_resolve_say_certainty_in_the_same_words() {
    let dir = Dir::new();
    dir.write("d.csv", "place_id,name,start,lang\np,Foo,1800,en\n");
    let data = ["--no-default-data", "--data", "d.csv"];
    let mut at = data.to_vec();
    at.extend(["at", "1890?", "Foo"]);
    dir.run(&at).code(0).stdout_has("certain (uncertain)");
    let mut resolve = data.to_vec();
    resolve.extend(["resolve", "-", "--name-column", "n", "--date-column", "d"]);
    let out = dir.run_with_stdin(&resolve, Some(b"n,d\nFoo,1890?\nFoo,1890\n"));
    out.code(0);
    let rows = resolved(&out);
    assert_eq!(cell(&rows[0], "gz_certainty"), "certain (uncertain)");
    assert_eq!(cell(&rows[1], "gz_certainty"), "certain");
}

// #15
#[test]
fn a_renaming_inside_the_window_gives_one_value_per_name_with_one_separator() {
    let out = resolve_builtin("Volgograd,1961\n");
    out.code(0);
    let rows = resolved(&out);
    assert_eq!(cell(&rows[0], "gz_status"), "ok");
    assert_eq!(cell(&rows[0], "gz_name"), "Stalingrad|Volgograd");
    assert_eq!(cell(&rows[0], "gz_place_id"), "ru-volgograd|ru-volgograd");
    assert_eq!(cell(&rows[0], "gz_certainty"), "partly|partly");
    assert!(!out.stdout.contains(';'), "{}", out.stdout);
}

/// Attestations of our own: names recorded in use in one year each.
const ATTESTED: &str = "place_id,name,start,end,attested,lang,source\n\
    b,Brayfield,,,,en,survey\n\
    b,Bragenfeld,,,0967,,967 BCS\n\
    b,Bragefeld,,,1184,,1184 P\n\
    b,Brafeud,,,1242,,1242 Fees\n";

fn on_attested(dir: &Dir, args: &[&str]) -> util::Output {
    dir.write("a.csv", ATTESTED);
    let mut all = vec!["--no-default-data", "--data", "a.csv"];
    all.extend_from_slice(args);
    dir.run(&all)
}

// #14
#[test]
fn a_name_attested_in_a_year_is_attested_then() {
    let dir = Dir::new();
    on_attested(&dir, &["at", "0967", "Bragenfeld"])
        .code(0)
        .stdout_has("matched Bragenfeld (exact)\non 0967:")
        .stdout_has("Bragenfeld        attested 0967         attested");
    // A day of that year: the name was in use some day of 967, maybe not that one.
    on_attested(&dir, &["at", "0967-05-01", "Bragenfeld"])
        .code(0)
        .stdout_has("attested 0967         possible");
    // Another year: the attestation says nothing of it.
    on_attested(&dir, &["at", "1000", "Bragenfeld"])
        .code(0)
        .stdout_has("no place bore the name Bragenfeld on 1000")
        .stdout_has("matched Bragenfeld (exact), attested 0967");
    let out = on_attested(&dir, &["check", "a.csv"]);
    out.code(0).stdout_lacks("gap");
}

// #14
#[test]
fn an_attestation_survives_csv_json_and_lpf() {
    let dir = Dir::new();
    let out = on_attested(&dir, &["--format", "csv", "lookup", "Bragenfeld"]);
    out.code(0)
        .stdout_has(",kind,attested,population,same_as,matched\n")
        .stdout_has("b,Bragenfeld,,,,,,,,967 BCS,,official,0967,,,exact:Bragenfeld\n");
    dir.write("back.csv", &out.stdout);
    let again = dir.run(&[
        "--no-default-data",
        "--data",
        "back.csv",
        "--format",
        "csv",
        "lookup",
        "Bragenfeld",
    ]);
    again.code(0).stderr_empty();
    assert_eq!(again.stdout, out.stdout);
    on_attested(&dir, &["--format", "json", "lookup", "Bragenfeld"])
        .code(0)
        .stdout_has("\"attested\": \"0967\"");
    let lpf = on_attested(&dir, &["export", "--format", "lpf"]);
    lpf.code(0);
    dir.write("a.geojson", &lpf.stdout);
    dir.run(&["--no-default-data", "import", "lpf", "a.geojson"])
        .code(0)
        .stdout_has(",official,0967,,\n")
        .stdout_has(",official,1184,,\n");
}

// #14
#[test]
fn an_attested_row_with_a_start_or_end_is_refused() {
    let dir = Dir::new();
    dir.write(
        "x.csv",
        "place_id,name,start,end,attested\nb,Bragenfeld,0960,,0967\n",
    );
    dir.run(&["--no-default-data", "check", "x.csv"])
        .code(2)
        .stdout_has("x.csv:2: column 'start': is '0960' but the row is an attestation");
}

// #14
#[test]
fn the_english_place_name_society_record_is_attested_in_967() {
    let Some(fx) = util::fixtures() else {
        return;
    };
    let file = fx.join("lpf/examples/epns_02_000009.geojson");
    let file = file.to_str().unwrap();
    let dir = Dir::new();
    dir.run(&[
        "--no-default-data",
        "--data",
        file,
        "at",
        "0967",
        "Bragenfeld",
    ])
    .code(0)
    // (#20: the source is a footnote under the table.)
    .stdout_has("attested 0967         attested   [2]")
    .stdout_has("\n[2] 967 BCS\n");
    let out = dir.run(&["--no-default-data", "check", file]);
    out.code(0);
    // #20: the names dated by windows ("c. 1218", "1237-40") are attestations within
    // them now, no longer periods, so no gap is left between them (there was one,
    // 'Brainfeud' ending 1228).
    let gaps: Vec<&str> = out.stdout.lines().filter(|l| l.contains("gap:")).collect();
    assert_eq!(gaps.len(), 0, "{}", out.stdout);
    dir.run(&[
        "--no-default-data",
        "--data",
        file,
        "at",
        "1220",
        "Brainfeud",
    ])
    .code(0)
    .stdout_has("attested 1208/1228");
}

// #14, #15: the resolve cache keeps an open start and an attestation apart from an
// unknown start.
#[test]
fn the_resolve_cache_keeps_open_starts_and_attestations() {
    let dir = Dir::new();
    let note = "a note long enough to make this file bigger than the size at which caching starts";
    let mut data = String::from("place_id,name,start,end,attested,lang,note\n");
    data.push_str(&format!("a,Ancient,..,1900,,en,{note}\n"));
    data.push_str(&format!("u,Unknown,,1900,,en,{note}\n"));
    data.push_str(&format!("t,Told,,,0967,en,{note}\n"));
    for i in 0..12_000 {
        data.push_str(&format!("f{i},Filler{i},1900,,,en,{note}\n"));
    }
    assert!(data.len() > 1 << 20);
    let path = dir.write("big.csv", &data);
    // A file changed in the last two seconds is not cached: date it back, and wait.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let args = [
        "--no-default-data",
        "--data",
        "big.csv",
        "resolve",
        "-",
        "--name-column",
        "n",
        "--date-column",
        "d",
    ];
    let input = b"n,d\nAncient,1850\nUnknown,1850\nTold,0967\n";
    let first = dir.run_with_stdin(&args, Some(input));
    first.code(0);
    let cached = std::fs::read_dir(dir.path().join(".cache"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "snap")
        })
        .count();
    assert_eq!(cached, 1, "the first run writes the resolve cache");
    let second = dir.run_with_stdin(&args, Some(input));
    second.code(0);
    assert_eq!(second.stdout, first.stdout);
    let rows = resolved(&second);
    assert_eq!(
        (
            cell(&rows[0], "gz_name_period"),
            cell(&rows[0], "gz_certainty")
        ),
        ("../1900", "certain")
    );
    assert_eq!(
        (
            cell(&rows[1], "gz_name_period"),
            cell(&rows[1], "gz_certainty")
        ),
        ("/1900", "possible")
    );
    assert_eq!(
        (
            cell(&rows[2], "gz_name_period"),
            cell(&rows[2], "gz_certainty")
        ),
        ("0967", "attested")
    );
}

// #15: an open start goes out to LPF and comes back as `..`, an unknown one as empty.
#[test]
fn open_and_unknown_starts_survive_lpf() {
    let dir = Dir::new();
    dir.write("b.csv", BOUNDS);
    let lpf = dir.run(&[
        "--no-default-data",
        "--data",
        "b.csv",
        "export",
        "--format",
        "lpf",
    ]);
    lpf.code(0);
    dir.write("b.geojson", &lpf.stdout);
    dir.run(&["--no-default-data", "import", "lpf", "b.geojson"])
        .code(0)
        .stdout_has("q,Ancient,..,1900,")
        .stdout_has("p,Oldtown,,1900,")
        .stdout_has("r,Nodate,,,");
}

// #15: the places that bore the name at other times are listed after the answer; two of
// them with the same current name and no country read the same, so each gets its id.
#[test]
fn places_listed_after_the_answer_that_read_the_same_get_their_ids() {
    let dir = Dir::new();
    dir.write(
        "foo.csv",
        "place_id,name,start,end,country,source\n\
         my-now,Foo,1990,,,s\n\
         my-early,Foo,1800,1850,,s\n\
         my-late,Foo,1900,1950,,s\n\
         my-de,Foo,1700,1750,DE,s\n",
    );
    dir.run(&[
        "--no-default-data",
        "--data",
        "foo.csv",
        "at",
        "2000",
        "Foo",
    ])
    .code(0)
    .stdout_has("id my-now) - matched Foo (exact)\non 2000:")
    .stdout_has(
        "\nalso bore the name Foo: Foo (DE), 1700 to 1750; \
             Foo (id my-early), 1800 to 1850; Foo (id my-late), 1900 to 1950\n",
    );
}
