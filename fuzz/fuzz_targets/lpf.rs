//! A Linked Places file of arbitrary bytes (`.geojson` as one document, `.jsonl` as one
//! feature a line), read and validated as `import lpf` and `--data` read it, through the
//! command line: never panics, exits 0 or 2, and every problem reported names the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../util.rs"]
mod util;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the form; the rest is the file.
    let (name, data) = match data.split_first() {
        Some((b, rest)) if b % 2 == 1 => ("fuzz.jsonl", rest),
        Some((_, rest)) => ("fuzz.geojson", rest),
        None => ("fuzz.geojson", data),
    };
    let dir = util::dir("lpf");
    let file = dir.join(name);
    std::fs::write(&file, data).unwrap();
    let file = file.to_str().unwrap();
    let run = util::run(&["gazetteer", "import", "lpf", file]);
    run.check(name);
    let run = util::run(&[
        "gazetteer",
        "--no-default-data",
        "--no-cache",
        "--data",
        file,
        "lookup",
        "Kirov",
    ]);
    run.check(name);
});
