//! `data/world/build`, the script that makes the world layer (#18), run offline on the
//! sample in `tests/fixtures/world` through this build's importer. Skipped, with a line on
//! stderr, where `python3` is missing.

use crate::util::{Dir, fixture};
use std::path::Path;
use std::process::Command;

fn script() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/world/build")
        .display()
        .to_string()
}

fn have_python() -> bool {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 is missing, so data/world/build cannot run");
    }
    ok
}

/// Runs the script on the sample into `dir`; returns its stderr.
fn build_sample(dir: &Dir) -> String {
    let out = Command::new("python3")
        .arg(script())
        .args(["--sample-json", &fixture("world")])
        .args(["--data", &fixture("world/curated")])
        .arg("--out")
        .arg(dir.path())
        .arg("--links")
        .arg(dir.path().join("links.csv"))
        .args(["--gazetteer", env!("CARGO_BIN_EXE_gazetteer"), "--plain"])
        .output()
        .expect("run python3");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "data/world/build failed:\n{stderr}");
    stderr
}

#[test]
fn the_world_build_makes_the_layer_through_our_importer() {
    if !have_python() {
        return;
    }
    let dir = Dir::new();
    let stderr = build_sample(&dir);
    assert!(
        stderr.contains("import geonames: 392 rows, the same as this script's"),
        "{stderr}"
    );
    let csv = std::fs::read_to_string(dir.path().join("places.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "place_id,name,start,end,lang,kind,type,country,lat,lon,source,note,population,same_as"
        )
    );
    // Katowice's official name, and Kattowitz an undated variant of it; its airport code
    // and the wiki user's name that GeoNames lists are gone.
    assert!(csv.contains("\ngn-3096472,Katowice,,,,official,city,PL,50.2597,19.02173,https://www.geonames.org/3096472,,286960,geonames:3096472\n"));
    // The place's attributes stand on its official row only (the schema reads them from
    // any row): the binary embeds the layer uncompressed.
    assert!(
        csv.contains("\ngn-3096472,Kattowitz,,,,variant,,,,,https://www.geonames.org/3096472,,,\n")
    );
    assert!(!csv.contains("\ngn-3096472,KTW,"));
    assert!(!csv.contains("القيرواني"));
    // A name GeoNames dates in its text keeps the year in its note.
    assert!(csv.contains("\ngn-2805615,Wirziburg,,,,variant,,,,,https://www.geonames.org/2805615,GeoNames writes it 'Wirziburg [a. 779]': attested in 779,"));
    // A country is a place, a region of our types.
    assert!(csv.contains("\ngn-2921044,Germany,,,,official,region,DE,,,"));
    // Rows in geonameid order.
    let ids: Vec<u64> = lines
        .map(|l| l.split(',').next().unwrap()[3..].parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]));

    let links = std::fs::read_to_string(dir.path().join("links.csv")).unwrap();
    let pairs: Vec<(&str, &str, &str)> = links
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(4, ',').collect();
            (f[0], f[1], f[2])
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("place_id", "same_as", "source"),
            (
                "ca-kitchener",
                "geonames:5992996",
                "https://www.geonames.org/5992996"
            ),
            (
                "pl-katowice",
                "geonames:3096472",
                "https://www.geonames.org/3096472"
            ),
            (
                "ru-volgograd",
                "geonames:472757",
                "https://www.geonames.org/472757"
            ),
        ]
    );
    // Each link says how it was made: the names, the country, the distance.
    assert!(
        links.contains("\"linked by data/world/build: GeoNames 472757 has names of this place ("),
        "{links}"
    );
    assert!(links.contains(" in RU, "), "{links}");
    let unlinked = std::fs::read_to_string(dir.path().join("UNLINKED.md")).unwrap();
    assert!(
        unlinked.contains(
            "| de-torstrasse-berlin | street | DE | not a populated place (type street) |"
        )
    );

    // The layer is valid data.
    dir.run(&["--no-default-data", "check", "places.csv"])
        .code(0)
        .stdout_has("checked 1 file: 17 places, 392 names; 0 errors");
}

#[test]
fn the_world_build_gives_the_same_bytes_twice() {
    if !have_python() {
        return;
    }
    let (a, b) = (Dir::new(), Dir::new());
    build_sample(&a);
    build_sample(&b);
    let gz = |d: &Dir| std::fs::read(d.path().join("places.csv.gz")).unwrap();
    assert_eq!(gz(&a), gz(&b));
    // gzip with no file name and mtime 0: the header is the same whenever it is made.
    assert_eq!(&gz(&a)[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
}

#[test]
fn the_world_build_passes_its_own_tests() {
    if !have_python() {
        return;
    }
    // The self-test runs the importer too: this build's, not a stale target/release one.
    let out = Command::new("python3")
        .arg(script())
        .arg("--self-test")
        .env("GAZETTEER_BIN", env!("CARGO_BIN_EXE_gazetteer"))
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
