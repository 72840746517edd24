//! Linked Places Format out (issue #6, first part): every exported Feature validates
//! against the World Historical Gazetteer's LPF schema, read in place from
//! `../shared/fixtures` (never copied here).

mod util;

use std::path::PathBuf;
use util::Dir;

/// The shared fixtures: `$GAZETTEER_FIXTURES`, else `shared/fixtures` beside this
/// checkout (or beside a folder above it). Missing fixtures fail the test.
fn fixtures() -> PathBuf {
    if let Some(dir) = std::env::var_os("GAZETTEER_FIXTURES") {
        return PathBuf::from(dir);
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/fixtures"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "../shared/fixtures is missing (from {}): the format tests read the shared \
                 fixtures in place; set GAZETTEER_FIXTURES to their folder",
                here.display()
            )
        })
}

fn lpf(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

#[test]
fn every_exported_feature_validates_against_the_whg_schema() {
    let schema_path = fixtures().join("lpf/schema/whg/schema_lpf_v1.2.2.json");
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
    dir.run(&["export"])
        .code(2)
        .stderr_has("export writes --format lpf");
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
    let dir = Dir::new();
    let mut seen = 0;
    for sub in ["lpf/examples", "lpf/variants"] {
        let mut files: Vec<_> = std::fs::read_dir(fixtures().join(sub))
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
