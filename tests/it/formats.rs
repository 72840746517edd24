//! The formats of other gazetteers, through the binary: `import`, `--data` by extension or
//! `--data-format`, `export --format lp-tsv`; and every importer over every file of the
//! shared fixtures (`../shared/fixtures`, read in place; without them those tests are
//! skipped, and `tests/it/own_fixtures.rs` covers every reader on fixtures of our own).

use crate::util;

use std::path::{Path, PathBuf};
use util::{Dir, fixtures};

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Every file under a folder, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.file_name().is_some_and(|n| n != "README.md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_valid_whg_lp_tsv_example_imports() {
    let Some(fx) = fixtures() else {
        return;
    };
    let fx = fx.join("lp-tsv");
    for (file, places) in [
        ("whg-examples/crimea94.tsv", 94),
        ("whg-examples/croniken181.tsv", 181),
        ("whg-examples/diamonds135.tsv", 135),
        ("whg-examples/lp7_100.tsv", 100),
        ("whg-examples/LP-TSV_template.tsv", 7),
        ("whg3-tests/valid_file.tsv", 3),
        ("third-party/damast_315.tsv", 447),
    ] {
        let path = fx.join(file);
        let out = Dir::new().run(&["import", "lp-tsv", path_str(&path)]);
        out.code(0).stderr_has(&format!("imported {places} places"));
        assert!(out.stdout.starts_with("place_id,name,start,end,"), "{file}");
    }
}

#[test]
fn each_invalid_whg_test_file_fails_for_the_reason_its_name_gives() {
    let Some(shared) = fixtures() else {
        return;
    };
    let fx = shared.join("lp-tsv/whg3-tests");
    for (file, reason) in [
        (
            "invalid_ccode.tsv",
            ":2: column 'ccodes': 'ZZ' is not an ISO 3166-1",
        ),
        (
            "invalid_fclasses.tsv",
            ":2: column 'fclasses': 'Z' is not a GeoNames feature class",
        ),
        (
            "invalid_geowkt.tsv",
            ":2: column 'geowkt': 'POINT(19.03797 94.03613)': coordinates out of range",
        ),
        (
            "missing_field.tsv",
            ":1: column 'title_source': the header has no 'title_source' column",
        ),
        (
            "missing_start_column.tsv",
            ":1: column 'start': the header has neither 'start' nor 'attestation_year'",
        ),
        ("out_of_range.tsv", ":2: column 'lat': 'lat' is '94.036131'"),
        (
            "start_gt_end.tsv",
            ":2: column 'end': 'start' (1499) is after 'end' (1491)",
        ),
        (
            "unsupported_aat.tsv",
            ":2: column 'aat_types': '300001' is not a Getty AAT",
        ),
        (
            "unsupported_alias.tsv",
            ":2: column 'matches': 'foo:12345' is neither a URL nor an alias",
        ),
        ("mixed_errors.tsv", ":2: column 'matches': 'foo:1234'"),
        // (Its empty 'start' is a warning since #14: a refusal lists only the errors.)
        ("mixed_errors.tsv", ":2: column 'lat': 'lat' is '94.036131'"),
        ("test-data-builder.tsv", ":30: column 'geowkt'"),
    ] {
        let path = fx.join(file);
        Dir::new()
            .run(&["import", "lp-tsv", path_str(&path)])
            .code(2)
            .stderr_has(&format!("{file}{reason}"));
    }
    // #14: a record without a date is read with unknown dates (our own export writes
    // places that have none), and said: WHG will refuse it.
    let path = fx.join("missing_start_value.tsv");
    Dir::new()
        .run(&["import", "lp-tsv", path_str(&path)])
        .code(0)
        .stderr_has("missing_start_value.tsv:2: warning: column 'start': 'start' is empty");
    // The spreadsheet template whose cells were split apart does not line up.
    let path = shared.join("lp-tsv/whg-examples/template-places.tsv");
    Dir::new()
        .run(&["import", "lp-tsv", path_str(&path)])
        .code(2)
        .stderr_has("template-places.tsv:2: column 'lat'");
}

#[test]
fn lp_tsv_is_read_by_extension_or_by_data_format() {
    let dir = Dir::new();
    let tsv = "id\ttitle\ttitle_source\tstart\tend\tvariants\tccodes\tlat\tlon\n\
               t1\tKönigsberg\tAtlas\t1255\t1946\tKrólewiec;Karaliaučius\tRU\t54.71\t20.51\n";
    dir.write("k.tsv", tsv);
    dir.write("k.txt", tsv);
    for args in [
        vec![
            "--no-default-data",
            "--data",
            "k.tsv",
            "at",
            "1900",
            "Krolewiec",
        ],
        vec![
            "--no-default-data",
            "--data-format",
            "lp-tsv",
            "--data",
            "k.txt",
            "at",
            "1900",
            "Krolewiec",
        ],
    ] {
        dir.run(&args).code(0).stdout_has("Königsberg");
    }
    // Read as our CSV, the same file is refused for want of our columns.
    dir.run(&[
        "--no-default-data",
        "--data-format",
        "csv",
        "--data",
        "k.tsv",
        "lookup",
        "Königsberg",
    ])
    .code(2);
}

#[test]
fn lp_tsv_export_says_what_it_loses_and_reads_back() {
    let dir = Dir::new();
    let out = dir.run(&["--country", "TJ", "export", "--format", "lp-tsv"]);
    out.code(0)
        .stderr_has("LP-TSV dates places, not names: the dates of")
        .stderr_has("languages of names");
    let header = out.stdout.lines().next().unwrap();
    assert!(header.starts_with("id\ttitle\ttitle_source\t"), "{header}");
    assert!(out.stdout.contains("Ismoil Somoni Peak"), "{}", out.stdout);
    dir.write("tj.tsv", &out.stdout);
    // Every name survives as the title or a variant.
    dir.run(&[
        "--no-default-data",
        "--data",
        "tj.tsv",
        "lookup",
        "Communism Peak",
    ])
    .code(0)
    .stdout_has("Ismoil Somoni Peak");
    // Only export writes LP-TSV.
    dir.run(&["lookup", "Dushanbe", "--format", "lp-tsv"])
        .code(2)
        .stderr_has("use it with export");
}

#[test]
fn import_writes_our_csv_that_reads_back() {
    let Some(fx) = fixtures() else {
        return;
    };
    let dir = Dir::new();
    let path = fx.join("lpf/examples/epns_02_000009.geojson");
    let out = dir.run(&["import", "lpf", path_str(&path)]);
    out.code(0)
        .stderr_has("left out what our schema cannot hold: relations, geometries")
        .stderr_has("imported 1 places with 17 names")
        // #18: its closeMatch to GeoNames' URI is the place's same_as.
        .stdout_has(",geonames:2652613\n");
    dir.write("epns.csv", &out.stdout);
    dir.run(&[
        "--no-default-data",
        "--data",
        "epns.csv",
        "lookup",
        "Bragenfeld",
    ])
    .code(0)
    .stdout_has("Cold Brayfield");
    dir.run(&["import", "lpf", "no-such-file.geojson"])
        .code(2)
        .stderr_has("no-such-file.geojson");
    dir.run(&["import", "lpf", path_str(&path), "--places", "x.txt"])
        .code(2)
        .stderr_has("--places goes with import geonames");
}

/// Every importer over every file of the shared fixtures: each either imports (exit 0) or
/// refuses with a message naming the file (exit 2), and never panics.
#[test]
fn every_importer_over_every_fixture_file() {
    let Some(fx) = fixtures() else {
        return;
    };
    let all = files_under(&fx);
    assert!(all.len() > 50, "{} fixture files", all.len());
    let dir = Dir::new();
    let mut imported = Vec::new();
    for file in &all {
        for format in ["lpf", "lp-tsv", "geonames", "pleiades", "csv"] {
            let out = dir.run(&["import", format, path_str(file)]);
            assert!(
                out.code == 0 || out.code == 2,
                "import {format} {}: exit {}\n{}",
                file.display(),
                out.code,
                out.stderr
            );
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
            let name = file.file_name().unwrap().to_str().unwrap();
            if out.code == 2 {
                assert!(
                    out.stderr.contains(name),
                    "import {format} {name}: {}",
                    out.stderr
                );
            } else {
                imported.push(format!("{format} {name}"));
            }
        }
    }
    // What each format should take, it takes.
    for expected in [
        "lpf linkedplaces-sample-v1.2.2.geojson",
        "lpf whg_lugares_20.jsonld",
        "lpf indias_sample200_20181011.jsonl",
        "lpf whg_api_place_7637009.json",
        "lp-tsv crimea94.tsv",
        "lp-tsv damast_315.tsv",
        "geonames test_alternateNamesV2.txt",
        "geonames alternateNames.txt",
        "pleiades names_head.csv",
    ] {
        assert!(
            imported.iter().any(|i| i == expected),
            "{expected} did not import"
        );
    }
}

#[test]
fn geonames_and_pleiades_import_with_their_tables() {
    let Some(fx) = fixtures() else {
        return;
    };
    let dir = Dir::new();
    let alt = fx.join("geonames/django-cities/alternateNames.txt");
    let table = fx.join("geonames/django-cities/cities1000.txt");
    let out = dir.run(&[
        "import",
        "geonames",
        path_str(&alt),
        "--places",
        path_str(&table),
    ]);
    out.code(0).stderr_has("imported");
    dir.write("gn.csv", &out.stdout);
    // Elizavetgrad (today Kropyvnytskyi) is a historical name of geonameid 705812.
    dir.run(&[
        "--no-default-data",
        "--data",
        "gn.csv",
        "lookup",
        "Elizavetgrad",
    ])
    .code(0)
    .stdout_has("geonames:705812");
    let names = fx.join("pleiades/gis-excerpt/names_head.csv");
    let places = fx.join("pleiades/gis-excerpt/places_head.csv");
    let out = dir.run(&[
        "import",
        "pleiades",
        path_str(&names),
        "--places",
        path_str(&places),
    ]);
    out.code(0).stderr_has("imported 43 places with 81 names");
    // Julian years with no year 0: 330 BC begins on the Gregorian day -0330-12-27.
    assert!(out.stdout.contains(",-0330-12-27,"), "{}", out.stdout);
    // A damaged file is refused with its name.
    dir.write("bad.txt", b"\xff\xfe\x00garbage");
    dir.run(&["import", "geonames", "bad.txt"])
        .code(2)
        .stderr_has("bad.txt");
    dir.run(&["import", "pleiades", "bad.txt"])
        .code(2)
        .stderr_has("bad.txt");
}
