//! Pleiades files of arbitrary bytes: names.csv and, after the first NUL byte of the input,
//! places.csv (`import pleiades names.csv --places places.csv`); with no NUL, the names
//! alone. Read and validated through the command line: never panics, exits 0 or 2, and
//! every problem reported names one of the two files.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../util.rs"]
mod util;

fuzz_target!(|data: &[u8]| {
    let dir = util::dir("pleiades");
    let names = dir.join("names.csv");
    let table = dir.join("places.csv");
    let (main, places) = util::split(data);
    std::fs::write(&names, main).unwrap();
    let mut args = vec!["gazetteer", "import", "pleiades", names.to_str().unwrap()];
    if let Some(places) = places {
        std::fs::write(&table, places).unwrap();
        args.extend(["--places", table.to_str().unwrap()]);
    }
    util::run(&args).check_any(&["names.csv", "places.csv"]);
});
