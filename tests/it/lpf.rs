//! Linked Places Format out (issue #6, first part): every exported Feature validates
//! against the World Historical Gazetteer's LPF schema, read in place from
//! `../shared/fixtures` (never copied here; without them the tests that read them are
//! skipped, and `tests/it/own_fixtures.rs` reads LPF of our own).

use crate::util;

use util::{Dir, fixture, fixtures};

fn lpf(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

#[test]
fn every_exported_feature_validates_against_the_whg_schema() {
    let Some(fx) = fixtures() else {
        return;
    };
    let schema_path = fx.join("lpf/schema/whg/schema_lpf_v1.2.2.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    // The validator does reject what the schema forbids.
    assert!(!validator.is_valid(&serde_json::json!({"type": "Feature", "@id": "x"})));
    let out = Dir::new().run(&["export", "--format", "lpf"]);
    out.code(0);
    let collection = lpf(&out.stdout);
    assert_eq!(collection["type"], "FeatureCollection");
    assert!(
        collection["@context"]
            .as_str()
            .unwrap()
            .ends_with(".jsonld")
    );
    let features = collection["features"].as_array().unwrap();
    assert!(features.len() > 1000, "{}", features.len());
    let mut failures = Vec::new();
    for f in features {
        let errors: Vec<String> = validator.iter_errors(f).map(|e| e.to_string()).collect();
        if !errors.is_empty() {
            failures.push(format!("{}: {}", f["@id"], errors.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_place_carries_its_names_dates_sources_type_country_and_point() {
    let out = Dir::new().run(&["--format", "lpf", "lookup", "Stalingrad"]);
    out.code(0);
    let f = &lpf(&out.stdout)["features"][0];
    assert_eq!(f["properties"]["title"], "Volgograd");
    assert_eq!(f["properties"]["ccodes"][0], "RU");
    assert_eq!(f["types"][0]["label"], "city");
    assert_eq!(f["geometry"]["type"], "Point");
    let lon = f["geometry"]["coordinates"][0].as_f64().unwrap();
    assert!(
        (44.0..45.0).contains(&lon),
        "GeoJSON puts longitude first: {lon}"
    );
    let stalingrad = f["names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["toponym"] == "Stalingrad")
        .expect("the name Stalingrad");
    assert_eq!(stalingrad["lang"], "en");
    assert_eq!(
        stalingrad["when"]["timespans"][0]["start"]["in"],
        "1925-04-10"
    );
    assert_eq!(
        stalingrad["when"]["timespans"][0]["end"]["in"],
        "1961-11-10"
    );
    assert!(
        stalingrad["citations"][0]["@id"]
            .as_str()
            .unwrap()
            .starts_with("http")
    );
}

#[test]
fn uncertain_dates_become_windows_and_lpf_is_refused_where_it_cannot_hold_the_answer() {
    let dir = Dir::new();
    dir.write(
        "d.csv",
        "place_id,name,start,end,lang\nx,Oldname,1900~,196X,en\nx,Newname,196X,,en\n",
    );
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "d.csv",
        "--format",
        "lpf",
        "lookup",
        "Oldname",
    ]);
    out.code(0);
    let names = lpf(&out.stdout)["features"][0]["names"].clone();
    let old = &names[0]["when"]["timespans"][0];
    assert_eq!(old["start"]["edtf"], "1900~");
    assert_eq!(old["end"]["earliest"], "1960-01-01");
    assert_eq!(old["end"]["latest"], "1969-12-31");
    assert_eq!(names[1]["when"]["timespans"][0].get("end"), None);
    dir.run(&["--format", "lpf", "at", "1950", "Stalingrad"])
        .code(2)
        .stderr_has("--format lpf writes places");
    // #20: export with no --format writes CSV, its default, as its help says.
    dir.run(&["export"])
        .code(0)
        .stdout_has("place_id,name,start,end");
}

#[test]
fn our_data_survives_a_round_trip_through_lpf() {
    let dir = Dir::new();
    let lpf_out = dir.run(&["export", "--format", "lpf"]);
    lpf_out.code(0);
    dir.write("all.geojson", &lpf_out.stdout);
    let before = dir.run(&["export", "--format", "csv"]);
    let after = dir.run(&[
        "--no-default-data",
        "--data",
        "all.geojson",
        "export",
        "--format",
        "csv",
    ]);
    after.code(0).stderr_empty();
    // Every name, date (with its precision and markers), language, kind, type, country,
    // coordinates, source and note.
    assert_eq!(after.stdout, before.stdout);
}

#[test]
fn every_lpf_fixture_imports_or_says_why_not() {
    let Some(fx) = fixtures() else {
        return;
    };
    let dir = Dir::new();
    let mut seen = 0;
    for sub in ["lpf/examples", "lpf/variants"] {
        let mut files: Vec<_> = std::fs::read_dir(fx.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let path = f.display().to_string();
            let out = dir.run(&[
                "--no-default-data",
                "--data",
                &path,
                "export",
                "--format",
                "csv",
            ]);
            assert_eq!(out.code, 0, "{path}: {}", out.stderr);
            assert!(out.stdout.lines().count() > 1, "{path}: no rows");
            assert!(!out.stderr.contains("panicked"), "{path}: {}", out.stderr);
            seen += 1;
        }
    }
    assert!(seen >= 7, "{seen} fixtures");
}

#[test]
fn damaged_lpf_is_refused_with_its_place() {
    let dir = Dir::new();
    dir.write(
        "bad.geojson",
        "{\"type\": \"FeatureCollection\", \"features\": [\n{\"@id\": \"x\",\n",
    );
    dir.run(&["--no-default-data", "--data", "bad.geojson", "lookup", "x"])
        .code(2)
        .stderr_has("bad.geojson:3: not JSON");
    dir.write(
        "lines.jsonl",
        "{\"type\": \"Feature\", \"@id\": \"a\", \"names\": [{\"toponym\": \"Alpha\"}]}\n{oops\n",
    );
    dir.run(&[
        "--no-default-data",
        "--data",
        "lines.jsonl",
        "lookup",
        "Alpha",
    ])
    .code(2)
    .stderr_has("lines.jsonl:2: not JSON");
    dir.write("list.json", "[{\"type\": \"Feature\", \"@id\": \"b\", \"names\": [{\"toponym\": \"Beta\", \"when\": {\"timespans\": [{\"start\": {\"in\": \"1900\"}, \"end\": {\"earliest\": \"1950\", \"latest\": \"1951\"}}]}}]}]");
    dir.run(&[
        "--no-default-data",
        "--data",
        "list.json",
        "--format",
        "csv",
        "lookup",
        "Beta",
    ])
    .code(0)
    .stdout_has("b,Beta,1900,1951,");
}

/// A timespan bound as a year, read as the importer reads it: `edtf`, else `in`, else the
/// widest of `earliest`/`latest`; a number is a year.
fn bound_year(b: &serde_json::Value, start: bool) -> Option<i64> {
    let year = |v: &serde_json::Value| match v {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => {
            let (neg, body) = s
                .strip_prefix('-')
                .map_or((false, s.as_str()), |b| (true, b));
            let y: i64 = body.split(['-', 'T']).next()?.parse().ok()?;
            Some(if neg { -y } else { y })
        }
        _ => None,
    };
    let keys = if start {
        ["in", "earliest", "latest"]
    } else {
        ["in", "latest", "earliest"]
    };
    keys.iter().find_map(|k| b.get(*k)).and_then(year)
}

/// Every (place id, toponym, start year, end year) of a FeatureCollection's names.
fn name_spans(lpf: &serde_json::Value) -> Vec<(String, String, Option<i64>, Option<i64>)> {
    let features: Vec<serde_json::Value> = match lpf {
        serde_json::Value::Array(a) => a.clone(),
        v if v.get("features").is_some() => v["features"].as_array().unwrap().clone(),
        v => vec![v.clone()],
    };
    let mut out = Vec::new();
    for f in &features {
        let id = f
            .get("@id")
            .or_else(|| f.get("uri"))
            .and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| Some(v.to_string()))
            })
            .unwrap_or_default();
        let id = id
            .strip_prefix("urn:gazetteer:place:")
            .unwrap_or(&id)
            .to_string();
        // A place without names is known by its title (as the importer says).
        let mut names = f
            .get("names")
            .and_then(|n| n.as_array())
            .cloned()
            .unwrap_or_default();
        if names.is_empty() {
            names.push(serde_json::json!({ "toponym": f.pointer("/properties/title") }));
        }
        for n in &names {
            let toponym = n.get("toponym").or_else(|| n.get("ethnonym"));
            let toponym = toponym.and_then(|t| t.as_str()).unwrap_or("").to_string();
            let spans: Vec<serde_json::Value> = n
                .pointer("/when/timespans")
                .and_then(|t| t.as_array())
                .cloned()
                .unwrap_or_default();
            if spans.is_empty() {
                out.push((id.clone(), toponym.clone(), None, None));
            }
            for s in spans {
                out.push((
                    id.clone(),
                    toponym.clone(),
                    s.get("start").and_then(|b| bound_year(b, true)),
                    s.get("end").and_then(|b| bound_year(b, false)),
                ));
            }
        }
    }
    out.sort();
    out
}

/// LPF fixture -> our CSV -> LPF keeps every toponym and timespan our model can hold; what
/// it cannot hold is listed here, and the importer warns of it.
#[test]
fn lpf_fixtures_round_trip_through_our_csv() {
    let Some(fx) = fixtures() else {
        return;
    };
    let dir = Dir::new();
    let mut losses = Vec::new();
    for file in [
        "examples/linkedplaces-sample-v1.2.2.geojson",
        "examples/whg3_github_example.jsonld",
        "examples/whg_lugares_20.jsonld",
        "examples/epns_02_000009.geojson",
        "examples/epns_02_000008.geojson",
    ] {
        let path = fx.join("lpf").join(file);
        let original: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let imported = dir.run(&["import", "lpf", path.to_str().unwrap()]);
        imported.code(0);
        dir.write("round.csv", &imported.stdout);
        let back = dir.run(&[
            "--no-default-data",
            "--data",
            "round.csv",
            "export",
            "--format",
            "lpf",
        ]);
        back.code(0);
        let back = lpf(&back.stdout);
        assert_eq!(name_spans(&back), name_spans(&original), "{file}");
        // What our schema cannot hold: listed, and warned of when the importer drops it.
        let features = original["features"].as_array().unwrap();
        for f in features {
            // #18: close and exact matches are kept, as the place's same_as.
            let links = f.get("links").and_then(|v| v.as_array());
            if let Some(links) = links.filter(|l| !l.is_empty()) {
                let kept = links
                    .iter()
                    .all(|l| matches!(l["type"].as_str(), Some("closeMatch" | "exactMatch")));
                if kept {
                    imported.stderr_lacks("links");
                    let same_as = csv_column(&imported.stdout, "same_as");
                    assert!(same_as.iter().any(|s| !s.is_empty()), "{file}: {same_as:?}");
                } else {
                    losses.push(format!("{file}: links"));
                    imported.stderr_has("links");
                }
            }
            for key in ["relations", "descriptions", "depictions"] {
                if f.get(key)
                    .and_then(|v| v.as_array())
                    .is_some_and(|a| !a.is_empty())
                {
                    losses.push(format!("{file}: {key}"));
                    imported.stderr_has(key);
                }
            }
            if f.pointer("/geometry/geometries")
                .and_then(|g| g.as_array())
                .is_some_and(|g| g.len() > 1)
            {
                losses.push(format!("{file}: geometries after the first"));
                imported.stderr_has("geometries");
            }
            for key in ["when", "types", "ccodes"] {
                let many = f
                    .get(key)
                    .or_else(|| f.pointer(&format!("/properties/{key}")));
                if key == "when" && many.is_some()
                    || many.and_then(|v| v.as_array()).is_some_and(|a| a.len() > 1)
                {
                    losses.push(format!(
                        "{file}: {key} (the place's own, or all but the first)"
                    ));
                }
            }
        }
    }
    eprintln!("not held by our schema:\n  {}", losses.join("\n  "));
    assert!(losses.iter().any(|l| l.contains("relations")));
}

/// One Feature with the given names, as a FeatureCollection.
fn collection(features: &str) -> String {
    format!("{{\"type\": \"FeatureCollection\", \"features\": [{features}]}}")
}

// #14
#[test]
fn years_written_as_whole_floats_are_years_and_other_numbers_are_refused() {
    let dir = Dir::new();
    // pandas writes a year column with gaps as floats.
    dir.write(
        "f.geojson",
        collection(
            r#"{"type": "Feature", "@id": "x", "names": [
            {"toponym": "Oldname", "when": {"timespans": [{"start": {"in": 1900}, "end": {"in": 1961.0}}]}},
            {"toponym": "Newname", "when": {"timespans": [{"start": {"in": 1961.0}}]}}]}"#,
        ),
    );
    let args = [
        "--no-default-data",
        "--data",
        "f.geojson",
        "--format",
        "csv",
    ];
    let out = dir.run(&[&args[..], &["at", "1970", "Oldname"]].concat());
    out.code(0).stderr_empty();
    out.stdout_has("\nx,Newname,1961,,");
    let out = dir.run(&[&args[..], &["at", "1950", "Newname"]].concat());
    out.code(0).stdout_has("\nx,Oldname,1900,1961,");
    for (value, why) in [
        ("1961.5", "1961.5, not a whole year"),
        (
            "99999999999999999999",
            "99999999999999999999, not a whole year",
        ),
        ("true", "true, not a date"),
    ] {
        dir.write(
            "bad.geojson",
            collection(&format!(
                r#"{{"type": "Feature", "@id": "y", "names": [{{"toponym": "A"}}, {{"toponym": "B"}},
                {{"toponym": "C", "when": {{"timespans": [{{"start": {{"in": {value}}}}}]}}}}]}}"#
            )),
        );
        dir.run(&["--no-default-data", "--data", "bad.geojson", "lookup", "C"])
            .code(2)
            .stderr_has(&format!(
                "bad.geojson:1: column 'start': feature 1 ('y'): names[2].when.timespans[0].start.in is {why}"
            ));
    }
}

// #14
#[test]
fn numeric_ids_keep_their_exact_text() {
    let dir = Dir::new();
    dir.write(
        "ids.geojson",
        collection(
            r#"{"type": "Feature", "@id": 12345678901234567890123, "names": [{"toponym": "Alpha"}]},
            {"type": "Feature", "@id": 12345678901234567890124, "names": [{"toponym": "Beta"}]},
            {"type": "Feature", "@id": 7, "names": [{"toponym": "Gamma"}]}"#,
        ),
    );
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "ids.geojson",
        "export",
        "--format",
        "csv",
    ]);
    out.code(0)
        .stdout_has("\n12345678901234567890123,Alpha,")
        .stdout_has("\n12345678901234567890124,Beta,")
        .stdout_has("\n7,Gamma,")
        .stdout_lacks("e+22");
}

// #14
#[test]
fn values_that_cannot_be_read_are_said_not_dropped() {
    let dir = Dir::new();
    dir.write(
        "nan.geojson",
        collection(
            r#"{"type": "Feature", "@id": "n", "geometry": {"type": "Point", "coordinates": ["NaN", "NaN"]},
            "types": [{"label": "town"}, {"label": "parish"}],
            "names": [{"toponym": "Nowhere", "lang": 7},
                {"toponym": "Elsewhere", "when": {"periods": [{"name": "Bronze Age"}]}}]}"#,
        ),
    );
    dir.run(&["--no-default-data", "--data", "nan.geojson", "lookup", "Nowhere"])
        .code(0)
        .stderr_has("nan.geojson:1: warning: column 'lat': feature 1 ('n'): geometry.coordinates is [\"NaN\",\"NaN\"], not [longitude, latitude] as numbers")
        .stderr_has("feature 1 ('n'): names[0].lang is 7, not text")
        .stderr_has("types after the first")
        .stderr_has("what a name's when holds besides timespans");
    dir.write(
        "t.geojson",
        collection(
            r#"{"type": "Feature", "@id": "t", "names": [
            {"toponym": "Oldname", "when": {"timespans": [{"start": {"in": "1900"}, "end": {"in": "T1961"}}]}}]}"#,
        ),
    );
    dir.run(&["--no-default-data", "--data", "t.geojson", "lookup", "Oldname"])
        .code(2)
        .stderr_has("t.geojson:1: column 'end': feature 1 ('t'): names[0].when.timespans[0].end.in is \"T1961\", not a date");
    // The same Feature, skipped: no name of it is loaded with a date missing.
    dir.run(&[
        "--no-default-data",
        "--data",
        "t.geojson",
        "--skip-invalid",
        "--data",
        "nan.geojson",
        "lookup",
        "Oldname",
    ])
    .code(1);
}

/// Import rows as (name, start, source).
fn name_start_source(csv: &str) -> Vec<(String, String, String)> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (name, start, attested, source) =
        (col("name"), col("start"), col("attested"), col("source"));
    lines
        .map(|l| {
            // The date is the start, or the year an attestation gives.
            let f: Vec<&str> = l.split(',').collect();
            let date = if f[start].is_empty() {
                f[attested]
            } else {
                f[start]
            };
            (f[name].to_string(), date.to_string(), f[source].to_string())
        })
        .collect()
}

// #14
#[test]
fn each_citation_stays_with_its_own_timespan() {
    let dir = Dir::new();
    let out = dir.run(&["import", "lpf", &fixture("epns_citations.geojson")]);
    out.code(0).stderr_has("imported 1 places");
    let rows = name_start_source(&out.stdout);
    let row = |name: &str, start: &str, source: &str| {
        (name.to_string(), start.to_string(), source.to_string())
    };
    for expected in [
        // One citation: the name's, for every timespan (and without one).
        row("Little Hamfield", "", "English Place-Name Society survey"),
        // #20: a window (earliest 1165, latest 1185) at both ends is an attestation
        // within it, no longer a period by the widest rule.
        row("Hamfeud", "1165/1185", "c. 1175 Drayton Charters"),
        // By year: a label starting with the year, or a range holding it.
        row("Hamfeld", "1237/1240", "1237-40 Fees"),
        row("Hamfeld", "1276", "1276 RH"),
        row("Hamfelde", "1247", "1247 Ass"),
        row("Hamfelde", "1280", "1280 Pat"),
        row("Hamfelde", "1340", "1340 NI"),
        // No citation of that year: none, rather than another date's document.
        row("Hamfelde", "1325", ""),
        // No years in the labels, as many as the timespans: one to one.
        row("Hamfud", "1250", "Fees"),
        row("Hamfud", "1260", "Assize rolls"),
    ] {
        assert!(rows.contains(&expected), "{expected:?} in {rows:?}");
    }
    assert_eq!(rows.len(), 10, "{rows:?}");
}

// #14
#[test]
fn epns_citations_stay_with_their_own_dates() {
    let Some(fx) = fixtures() else {
        return;
    };
    let path = fx.join("lpf/examples/epns_02_000009.geojson");
    let out = Dir::new().run(&["import", "lpf", path.to_str().unwrap()]);
    out.code(0);
    let rows = name_start_source(&out.stdout);
    for (name, start, source) in [
        ("Bramfeld", "1237/1240", "1237-40 Fees"), // #20: within the window
        ("Bramfeld", "1276", "1276 RH"),
        ("Braunfeld", "1247", "1247 Ass"),
        ("Braunfeld", "1280", "1280 Pat"),
        ("Braunfeld", "1325", ""),
        ("Braunfeld", "1340", "1340 NI"),
    ] {
        let row = (name.to_string(), start.to_string(), source.to_string());
        assert!(rows.contains(&row), "{row:?} in {rows:?}");
    }
}

// #14
#[test]
fn features_are_read_one_at_a_time_in_every_shape() {
    let dir = Dir::new();
    let feature = |id: &str, name: &str| {
        format!(r#"{{"type": "Feature", "@id": "{id}", "names": [{{"toponym": "{name}"}}]}}"#)
    };
    // `features` before the collection's other keys, and after them.
    dir.write(
        "first.geojson",
        format!(
            "{{\"features\": [{}, {}], \"type\": \"FeatureCollection\", \"count\": 2}}",
            feature("a", "Alpha"),
            feature("b", "Beta")
        ),
    );
    dir.write("one.json", format!("\u{feff}{}", feature("c", "Gamma")));
    dir.write(
        "lines.jsonl",
        format!(
            "{}\r\n\n{}\n",
            feature("d", "Delta"),
            feature("e", "Epsilon")
        ),
    );
    let out = dir.run(&[
        "--no-default-data",
        "--data",
        "first.geojson",
        "--data",
        "one.json",
        "--data",
        "lines.jsonl",
        "export",
        "--format",
        "csv",
    ]);
    out.code(0).stderr_empty();
    for row in ["a,Alpha", "b,Beta", "c,Gamma", "d,Delta", "e,Epsilon"] {
        out.stdout_has(&format!("\n{row},"));
    }
    // A damaged byte is found where it is, however far into the stream.
    let mut bytes = collection(&vec![feature("f", "Phi"); 3000].join(",")).into_bytes();
    let at = bytes.len() - 40;
    bytes[at] = 0xFF;
    dir.write("latin.geojson", &bytes);
    dir.run(&[
        "--no-default-data",
        "--data",
        "latin.geojson",
        "lookup",
        "Phi",
    ])
    .code(2)
    .stderr_has(&format!("bytes that are not UTF-8 (at byte {at})"));
    dir.write("empty.geojson", collection(""));
    dir.run(&[
        "--no-default-data",
        "--data",
        "empty.geojson",
        "lookup",
        "Phi",
    ])
    .code(2)
    .stderr_has("empty.geojson:1: the file has a header but no rows");
}

// #14: an end given without a date (`{"in": null}`, `{"in": ""}`, `{}`) read as "still in
// use" without a word, so `at 1970` answered the old name too; it is now a warning.
#[test]
fn an_end_without_a_date_is_a_warning() {
    let dir = Dir::new();
    for (file, end) in [
        ("null.geojson", r#"{"in": null}"#),
        ("empty.geojson", r#"{"in": ""}"#),
        ("nothing.geojson", "{}"),
    ] {
        dir.write(
            file,
            format!(
                r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "@id": "x1",
                "properties": {{"title": "Newname"}}, "names": [
                {{"toponym": "Oldname", "when": {{"timespans": [{{"start": {{"in": 1900}}, "end": {end}}}]}}}},
                {{"toponym": "Newname", "when": {{"timespans": [{{"start": {{"in": 1961}}}}]}}}}]}}]}}"#
            ),
        );
        dir.run(&["import", "lpf", file])
            .code(0)
            .stderr_has("names[0].when.timespans[0].end is ")
            .stderr_has(", with no date: read as still in use");
    }
    // A timespan that leaves its end out says nothing more than it gives: no warning.
    dir.write(
        "open.geojson",
        r#"{"type": "Feature", "@id": "x1", "properties": {"title": "Newname"},
        "names": [{"toponym": "Newname", "when": {"timespans": [{"start": {"in": 1961}}]}}]}"#,
    );
    let out = dir.run(&["import", "lpf", "open.geojson"]);
    out.code(0);
    assert!(!out.stderr.contains("with no date"), "{}", out.stderr);
}

/// The values of one column of a CSV text, row by row.
fn csv_column(text: &str, column: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect()
}
