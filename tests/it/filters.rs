//! `--type` and `--country` that leave nothing: the message says why (#14).

use crate::util;

use util::Dir;

const DATA: &str = "place_id,name,start,end,lang,type,country\n\
    v,Tsaritsyn,1589,1925-04-10,en,city,RU\n\
    v,Stalingrad,1925-04-10,1961-11-10,en,city,RU\n\
    v,Volgograd,1961-11-10,,en,city,RU\n\
    k,Kaliningrad,1946,,en,city,RU\n\
    q,Kaliningrad,1938,1996,en,town,RU\n\
    s,Leninsk,1900,,en,town,SU\n\
    u,Untyped,1900,,en,,\n";

fn run(args: &[&str]) -> util::Output {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    let mut all = vec!["--no-default-data", "--data", "d.csv"];
    all.extend_from_slice(args);
    dir.run(&all)
}

// #14
#[test]
fn a_misspelt_type_is_named_with_the_types_the_places_have() {
    for cmd in [&["lookup"][..], &["at", "1950"]] {
        let mut args = cmd.to_vec();
        args.extend(["Stalingrad", "--type", "citty"]);
        let out = run(&args);
        out.code(2).stdout_is("");
        assert_eq!(
            out.stderr,
            "gazetteer: places named 'Stalingrad' exist, but none of type 'citty' (they are: \
             city); 'citty' is not a known type: did you mean 'city'?\n"
        );
    }
}

// #14
#[test]
fn a_known_type_that_the_places_lack_is_nothing_found() {
    let out = run(&["lookup", "Stalingrad", "--type", "town"]);
    out.code(1).stdout_is("");
    assert_eq!(
        out.stderr,
        "gazetteer: places named 'Stalingrad' exist, but none of type 'town' (they are: city)\n"
    );
    // Homonyms of several types are all listed, and a place with no type says so.
    run(&["lookup", "Kaliningrad", "--type", "village"])
        .code(2)
        .stderr_has("none of type 'village' (they are: city, town)")
        .stderr_has("'village' is not a known type: no place has it (types: city, town)");
    run(&["lookup", "Untyped", "--type", "city"])
        .code(1)
        .stderr_has("none of type 'city' (they are: no type)");
}

// #14
#[test]
fn an_empty_type_is_a_usage_error() {
    for t in ["", "  "] {
        run(&["lookup", "Stalingrad", "--type", t])
            .code(2)
            .stdout_is("")
            .stderr_has("gazetteer: --type is empty: give a type such as city");
    }
}

// #14
#[test]
fn a_country_code_iso_does_not_assign_and_no_place_has_is_invalid() {
    let out = run(&["lookup", "Stalingrad", "--country", "ZZ"]);
    out.code(2).stdout_is("");
    assert_eq!(
        out.stderr,
        "gazetteer: places named 'Stalingrad' exist, but none in country 'ZZ' (they are in: \
         RU); 'ZZ' is not a known country: it is not an ISO 3166-1 alpha-2 code, and no place \
         has it (give a code such as RU or DE)\n"
    );
    // A name nobody bore, with a code nobody has: still the code is the usage error.
    run(&["lookup", "Nowhere", "--country", "zz"])
        .code(2)
        .stderr_has("no place named 'Nowhere'; 'ZZ' is not a known country");
}

// #14
#[test]
fn a_valid_country_code_without_the_place_is_nothing_found() {
    let out = run(&["at", "1950", "Stalingrad", "--country", "de"]);
    out.code(1).stdout_is("");
    assert_eq!(
        out.stderr,
        "gazetteer: places named 'Stalingrad' exist, but none in country 'DE' (they are in: RU)\n"
    );
    let out = run(&["lookup", "Kaliningrad", "--type", "town", "--country", "DE"]);
    out.code(1)
        .stderr_has("none of type 'town' in country 'DE' (they are: city, town; in: RU)");
}

// #14
#[test]
fn a_code_the_data_uses_is_accepted_though_iso_does_not_assign_it() {
    run(&["lookup", "Leninsk", "--country", "SU"])
        .code(0)
        .stdout_has("id s");
    run(&["lookup", "Stalingrad", "--country", "SU"])
        .code(1)
        .stderr_has("none in country 'SU' (they are in: RU)\n");
}

// #14
#[test]
fn search_says_what_the_filter_hid() {
    run(&["search", "grad", "--country", "DE"])
        .code(1)
        .stdout_is("")
        .stderr_has(
            "gazetteer: names containing 'grad' exist, but none in country 'DE' (they are in: RU)\n",
        );
    run(&["search", "grad", "--type", "citty"])
        .code(2)
        .stderr_has("'citty' is not a known type: did you mean 'city'?");
    run(&["search", "zzzz", "--type", "town"])
        .code(1)
        .stderr_has("gazetteer: no name contains 'zzzz' (--fuzzy finds near spellings too)\n");
}

// #14
#[test]
fn resolve_counts_the_rows_a_filter_left_without_a_place() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    dir.write(
        "in.csv",
        "n,d\nStalingrad,1950\nKaliningrad,1950\nNowhere,1950\n",
    );
    let base = [
        "--no-default-data",
        "--data",
        "d.csv",
        "resolve",
        "in.csv",
        "--name-column",
        "n",
        "--date-column",
        "d",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        dir.run(&args)
    };
    let out = with(&["--type", "town"]);
    out.code(0)
        .stdout_has("Stalingrad,1950,,,,,,,not_found,\n")
        .stdout_has("Kaliningrad,1950,q,")
        .stdout_has("Nowhere,1950,,,,,,,not_found,\n")
        .stderr_has("1 ok, 0 ambiguous, 0 out of period, 2 not found,")
        .stderr_has(
            "gazetteer: 1 of the rows not found name places that exist, but none of type 'town'\n",
        );
    // Without a filter, nothing is said about one.
    let out = with(&[]);
    out.code(0);
    assert!(!out.stderr.contains("rows not found"), "{}", out.stderr);
    // A value nothing has is refused before any row is written.
    with(&["--type", "citty"])
        .code(2)
        .stdout_is("")
        .stderr_has("gazetteer: 'citty' is not a known type: did you mean 'city'?\n");
    with(&["--country", "ZZ"])
        .code(2)
        .stdout_is("")
        .stderr_has("'ZZ' is not a known country");
    with(&["--type", ""]).code(2).stderr_has("--type is empty");
}

// #14
#[test]
fn the_caches_of_big_files_give_the_same_messages() {
    use std::time::{Duration, SystemTime};
    let dir = Dir::new();
    let mut csv = String::from("place_id,name,start,end,lang,type,country\n");
    for i in 0..20_000 {
        csv.push_str(&format!(
            "p{i},Oldname{i},1800,1900,en,town,DE\np{i},Newname{i},1900,,en,town,DE\n"
        ));
    }
    let path = dir.write("big.csv", &csv);
    assert!(
        csv.len() > 1 << 20,
        "over the size from which files are indexed"
    );
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    // A file changed in the last two seconds is not indexed.
    std::thread::sleep(Duration::from_millis(2100));
    dir.write("in.csv", "n,d\nOldname7,1850\nNowhere,1850\n");
    let data = ["--no-default-data", "--data", "big.csv"];
    let resolve = |extra: &[&str]| {
        let mut args = data.to_vec();
        args.extend([
            "resolve",
            "in.csv",
            "--name-column",
            "n",
            "--date-column",
            "d",
        ]);
        args.extend_from_slice(extra);
        dir.run(&args)
    };
    let lookup = |extra: &[&str]| {
        let mut args = data.to_vec();
        args.extend(["lookup", "Oldname7"]);
        args.extend_from_slice(extra);
        dir.run(&args)
    };
    // Twice each: the first run reads the file (and writes the store), the second reads
    // the store.
    for _ in 0..2 {
        resolve(&[]).code(0).stderr_has("1 ok,");
        lookup(&[]).code(0);
        resolve(&["--type", "twon"])
            .code(2)
            .stdout_is("")
            .stderr_has("gazetteer: 'twon' is not a known type: did you mean 'town'?\n");
        resolve(&["--country", "ZZ"])
            .code(2)
            .stderr_has("'ZZ' is not a known country");
        resolve(&["--country", "RU"])
            .code(0)
            .stderr_has("0 ok, 0 ambiguous, 0 out of period, 2 not found,")
            .stderr_has(
                "1 of the rows not found name places that exist, but none in country 'RU'\n",
            );
        lookup(&["--type", "twon"]).code(2).stderr_has(
            "places named 'Oldname7' exist, but none of type 'twon' (they are: town); 'twon' is \
             not a known type: did you mean 'town'?\n",
        );
        lookup(&["--country", "RU"])
            .code(1)
            .stderr_has("none in country 'RU' (they are in: DE)\n");
    }
    let cached = std::fs::read_dir(dir.path().join(".cache"))
        .unwrap()
        .filter(|e| {
            let p = e.as_ref().unwrap().path();
            p.extension().is_some_and(|x| x == "snap")
        })
        .count();
    assert_eq!(cached, 1, "one store, written and read by both commands");
}

// #14
#[test]
fn export_refuses_a_type_or_country_that_no_place_has() {
    run(&["export", "--format", "csv", "--type", "twon"])
        .code(2)
        .stdout_is("")
        .stderr_has("gazetteer: 'twon' is not a known type: did you mean 'town'?\n");
    run(&["export", "--format", "csv", "--country", "ZZ"])
        .code(2)
        .stdout_is("")
        .stderr_has("'ZZ' is not a known country");
    run(&["export", "--format", "csv", "--type", "town"])
        .code(0)
        .stdout_has("\nq,Kaliningrad,")
        .stdout_lacks("Stalingrad");
}
