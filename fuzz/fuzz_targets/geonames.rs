//! GeoNames files of arbitrary bytes: an alternate-names file and, after the first NUL byte
//! of the input, a geoname table (`import geonames ALT --places TABLE`); with no NUL, the
//! names alone. Read and validated through the command line: never panics, exits 0 or 2,
//! and every problem reported names one of the two files.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../util.rs"]
mod util;

fuzz_target!(|data: &[u8]| {
    let dir = util::dir("geonames");
    let names = dir.join("alternateNames.txt");
    let table = dir.join("cities.txt");
    let (main, places) = util::split(data);
    std::fs::write(&names, main).unwrap();
    let mut args = vec!["gazetteer", "import", "geonames", names.to_str().unwrap()];
    if let Some(places) = places {
        std::fs::write(&table, places).unwrap();
        args.extend(["--places", table.to_str().unwrap()]);
    }
    util::run(&args).check_any(&["alternateNames.txt", "cities.txt"]);
});
