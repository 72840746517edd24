//! Issue #5: a place is found however the user writes its name, on the curated data,
//! through the real binary; each answer says how it matched. (The world layer's GeoNames
//! spellings meet many of these names in a stronger tier: its own tests are in world.rs.)

use crate::util;

use util::Dir;

/// (typed, place id it must find, the tier it is found by)
const TABLE: &[(&str, &str, &str)] = &[
    ("stalingrad", "ru-volgograd", "folded"),
    ("STALINGRAD", "ru-volgograd", "folded"),
    ("Stalingrad.", "ru-volgograd", "folded"),
    ("Сталинград", "ru-volgograd", "exact"),
    ("Волгоград", "ru-volgograd", "exact"),
    ("Царицын", "ru-volgograd", "exact"),
    ("Eisenhuttenstadt", "de-eisenhuettenstadt", "folded"),
    ("Eisenhuettenstadt", "de-eisenhuettenstadt", "variant"),
    ("Sztalinvaros", "hu-dunaujvaros", "folded"),
    ("Sztálinváros", "hu-dunaujvaros", "exact"),
    ("Orasul Stalin", "ro-brasov", "folded"),
    ("Oraşul Stalin", "ro-brasov", "folded"),
    ("Kucova", "al-kucove", "folded"),
    ("Kuçova", "al-kucove", "exact"),
    ("Qyteti Stalin", "al-kucove", "exact"),
    ("St. Petersburg", "ru-saint-petersburg", "variant"),
    ("St Petersburg", "ru-saint-petersburg", "variant"),
    ("Sankt-Peterburg", "ru-saint-petersburg", "transliterated"),
    ("Saint-Pétersbourg", "ru-saint-petersburg", "variant"),
    ("Ordjonikidze", "ru-vladikavkaz", "variant"),
    ("Ordschonikidse", "ru-vladikavkaz", "variant"),
    ("Ordzhonikidze", "ru-vladikavkaz", "exact"),
    ("Tsaritsin", "ru-volgograd", "variant"),
    ("Zarizyn", "ru-volgograd", "variant"),
    ("Ismoil Somoni", "tj-ismoil-somoni-peak", "variant"),
    ("Ismoil-Somoni Peak", "tj-ismoil-somoni-peak", "folded"),
    (
        "Qullai Ismoili Somoni",
        "tj-ismoil-somoni-peak",
        "transliterated",
    ),
    ("Königsberg", "ru-kaliningrad", "exact"),
    ("Konigsberg", "ru-kaliningrad", "folded"),
    ("Koenigsberg", "ru-kaliningrad", "variant"),
    // #19: a hyphenated name typed as one word.
    ("Nursultan", "kz-astana", "variant"),
    ("Ivanofrankivsk", "ua-ivano-frankivsk", "variant"),
    ("Kurgantyube", "tj-bokhtar", "variant"),
    // #19: Tajik vowels written the Persian or Russian way, and Russian m for n before b.
    ("Khojand", "tj-khujand", "variant"),
    ("Stalinobad", "tj-dushanbe", "variant"),
    ("Dushambe", "tj-dushanbe", "variant"),
];

#[test]
fn every_spelling_in_the_table_finds_its_place_and_says_how() {
    let dir = Dir::new();
    let mut failures = Vec::new();
    let curated = util::curated_data();
    for (typed, id, how) in TABLE {
        let mut args: Vec<&str> = curated.iter().map(String::as_str).collect();
        args.extend(["--format", "json", "lookup", typed]);
        let out = dir.run(&args);
        let json: serde_json::Value = match serde_json::from_str(&out.stdout) {
            Ok(v) => v,
            Err(_) => {
                failures.push(format!("{typed}: exit {} {}", out.code, out.stderr));
                continue;
            }
        };
        let found = json
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["place_id"] == *id);
        match found {
            Some(p) if p["matched"]["how"] == *how => {}
            Some(p) => failures.push(format!(
                "{typed}: {id} matched {} not {how}",
                p["matched"]["how"]
            )),
            None => failures.push(format!("{typed}: {id} not found in {}", out.stdout)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tables_mark_how_a_name_matched() {
    let curated = util::curated_data();
    let mut args: Vec<&str> = curated.iter().map(String::as_str).collect();
    args.extend(["lookup", "Koenigsberg"]);
    Dir::new()
        .run(&args)
        .code(0)
        .stdout_has("matched Königsberg (variant)");
    Dir::new()
        .run(&["at", "1950", "Sankt-Peterburg"])
        .code(0)
        .stdout_has("(transliterated)")
        .stdout_has("Leningrad");
}

#[test]
fn homonyms_are_all_found_and_filters_pick_among_them() {
    let dir = Dir::new();
    let all = dir.run(&["--format", "csv", "lookup", "Ordzhonikidze"]);
    all.code(0);
    let ids: std::collections::BTreeSet<&str> = all
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    let ru = dir.run(&[
        "--country",
        "ru",
        "--format",
        "csv",
        "lookup",
        "Ordzhonikidze",
    ]);
    ru.code(0).stdout_has("ru-vladikavkaz").stdout_lacks("ua-");
    // #14: the message says the places exist, and what their types are.
    dir.run(&["--type", "mountain", "lookup", "Ordzhonikidze"])
        .code(1)
        .stderr_has("places named 'Ordzhonikidze' exist, but none of type 'mountain' (they are: ");
    dir.run(&["--country", "Russia", "lookup", "Ordzhonikidze"])
        .code(2)
        .stderr_has("not an ISO 3166-1 alpha-2 code");
}

#[test]
fn fuzzy_spellings_are_suggested_and_answer_only_when_asked() {
    let dir = Dir::new();
    dir.run(&["lookup", "Stalingrd"])
        .code(1)
        .stderr_has("no place named 'Stalingrd'; did you mean: Stalingrad");
    dir.run(&["--fuzzy", "lookup", "Stalingrd"])
        .code(0)
        .stdout_has("matched Stalingrad (fuzzy)");
    // A very long query gets an answer (no suggestion) at once, not a long search.
    // (Under a second each, as the hardening issue asks, also with --fuzzy and in search.)
    // Timed against a miss of a name just over the 64 characters up to which close spellings
    // are looked for (every tier is tried, no suggestion), in the same run, so that a busy
    // machine (which slows both) cannot fail it: a search for close spellings of a
    // 1,000-character name, or any work that grows with its length, takes many times longer.
    // Each command is timed against itself with the 66-character name (`search` reads
    // every name, the world layer's too, whatever the length).
    let long = "xy".repeat(500);
    let short = "xy".repeat(33);
    for command in [
        &["lookup"][..],
        &["--fuzzy", "lookup"][..],
        &["--fuzzy", "search"][..],
    ] {
        let time = |name: &str| {
            let args = [command, &[name][..]].concat();
            let started = std::time::Instant::now();
            let out = dir.run(&args);
            assert!(out.code == 0 || out.code == 1, "{:?}", out.stderr);
            started.elapsed()
        };
        let plain = time(&short);
        let took = time(&long);
        assert!(
            took < plain * 5 + std::time::Duration::from_millis(500),
            "{command:?} took {took:?} on the long name, {plain:?} on a 66-character one"
        );
    }
}

/// `search` on the built-in data alone loads only the places the build's index of keys
/// leads to (#17); it finds what a search over all the data finds. A `--data` file with
/// a place no query meets makes the search read everything, for the comparison.
#[test]
fn search_from_the_index_finds_what_a_full_read_finds() {
    let dir = Dir::new();
    dir.write(
        "other.csv",
        "place_id,name,start,end,source\nmy-q,Qqqq,1900,,https://example.org/q\n",
    );
    for q in [
        "stalin",
        "Сталин",
        "sankt peter",
        "zarizyn",
        "nursultan",
        "ograd",
        "berg",
        "Tsaritzin",
        "北京",
        "xyzzyq",
    ] {
        let quick = dir.run(&["--format", "csv", "search", "--limit", "0", q]);
        let full = dir.run(&[
            "--data",
            "other.csv",
            "--format",
            "csv",
            "search",
            "--limit",
            "0",
            q,
        ]);
        assert_eq!(quick.stdout, full.stdout, "{q}");
        assert_eq!(quick.code, full.code, "{q}");
    }
}

#[test]
fn search_finds_names_by_prefix_and_substring() {
    let dir = Dir::new();
    let out = dir.run(&["--format", "csv", "search", "stalin", "--limit", "0"]);
    out.code(0);
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert!(rows.len() > 20, "{}", out.stdout);
    // #20: search uses every tier, the variant spellings too (Hungarian `Sztálin`).
    assert!(rows.iter().all(|r| r.to_lowercase().contains("stalin")
        || r.contains("transliterated")
        || r.ends_with(",variant")));
    // prefix matches come before substring matches
    let first_contains = rows.iter().position(|r| r.ends_with(",contains"));
    let last_prefix = rows.iter().rposition(|r| r.ends_with(",prefix"));
    assert!(last_prefix < first_contains, "{}", out.stdout);
    dir.run(&["search", "stalin", "--limit", "3"])
        .code(0)
        .stderr_has("showing 3 of");
    dir.run(&["search", "сталин"]).code(0).stdout_has("Сталин");
    // #20: a German spelling is found by the variant tier, as lookup finds it; a typo
    // only by --fuzzy.
    dir.run(&["search", "Tsaritzin"])
        .code(0)
        .stdout_has("Tsaritsyn");
    dir.run(&["search", "Tsaritsnyn"])
        .code(1)
        .stderr_has("--fuzzy");
    // The nearest names of the curated data (the world layer's spellings of Volgograd,
    // Zarizyn among them, are as near).
    let curated = util::curated_data();
    let mut args: Vec<&str> = curated.iter().map(String::as_str).collect();
    args.extend(["search", "Tsaritsnyn", "--fuzzy"]);
    dir.run(&args).code(0).stdout_has("Tsaritsyn");
    dir.run(&["search", "Tsaritsnyn", "--fuzzy"])
        .code(0)
        .stdout_has("ru-volgograd");
}

#[test]
fn filters_apply_within_every_tier_and_to_suggestions() {
    let dir = Dir::new();
    dir.write(
        "k.csv",
        "place_id,name,lang,type\na,Київ,uk,city\nb,Kyiv,en,river\n",
    );
    // The exact tier finds only the river; the city is found by a weaker tier.
    dir.run(&[
        "--no-default-data",
        "--data",
        "k.csv",
        "--type",
        "city",
        "lookup",
        "Kyiv",
    ])
    .code(0)
    .stdout_has("id a")
    .stdout_has("matched Київ");
    // #14: no place has type 'lake', which is a usage error naming the types of the
    // places the name finds without the filter (its exact tier: the river); no close
    // spelling is offered, as the filter admits none.
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "k.csv",
        "--type",
        "lake",
        "lookup",
        "Kyiv",
    ]);
    out.code(2).stderr_has(
        "places named 'Kyiv' exist, but none of type 'lake' (they are: river); 'lake' is \
         not a known type: no place has it (types: city, river)\n",
    );
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
}

/// #19: Uzbek Latin (o for a, q for k, x for kh) meets the Russian-based English spelling
/// of the data, and the other way round; a name of other letters is not found by it.
#[test]
fn uzbek_and_russian_spellings_meet_in_the_variant_tier() {
    let dir = Dir::new();
    dir.write(
        "uz.csv",
        "place_id,name,start,end,lang\n\
         uz-samarkand,Samarkand,,,en\n\
         uz-bukhara,Bukhara,,,en\n\
         uz-tashkent,Toshkent,,,uz\n",
    );
    for (typed, id) in [
        ("Samarqand", "uz-samarkand"),
        ("Buxoro", "uz-bukhara"),
        ("Tashkent", "uz-tashkent"),
    ] {
        let out = dir.run(&[
            "--no-default-data",
            "--data",
            "uz.csv",
            "--format",
            "csv",
            "lookup",
            typed,
        ]);
        out.code(0).stdout_has(id);
        assert_eq!(out.stdout.lines().count(), 2, "{typed}: {}", out.stdout);
    }
    dir.run(&["--no-default-data", "--data", "uz.csv", "lookup", "Buxoro"])
        .code(0)
        .stdout_has("matched Bukhara (variant)");
    dir.run(&["--no-default-data", "--data", "uz.csv", "lookup", "Samara"])
        .code(1)
        .stdout_is("");
}

/// #19: vowels made one answer only when no name has the query's variant key: a spelling
/// of Kristiansand does not bring Kristiansund, another town, with it.
#[test]
fn loose_vowels_answer_only_when_the_variant_key_finds_nothing() {
    let out = Dir::new().run(&["--format", "csv", "lookup", "Kristiansandd"]);
    out.code(0)
        .stdout_has("no-kristiansand,")
        .stdout_lacks("no-kristiansund");
    let out = Dir::new().run(&["--format", "csv", "lookup", "Kristiansundd"]);
    out.code(0)
        .stdout_has("no-kristiansund,")
        .stdout_lacks("no-kristiansand");
}
