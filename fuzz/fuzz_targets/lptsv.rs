//! LP-TSV files of arbitrary bytes, read as `--data` and validated: never panics, and no
//! record vanishes without a word (each gives rows, or the file has a diagnostic).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut table = gazetteer::source::Table::named("fuzz.tsv");
    gazetteer::formats::lptsv::parse_into("fuzz.tsv", data, &mut table);
    let mut v = gazetteer::validate::Validator::new();
    table.replay(&mut v);
    let done = v.finish();
    let names: usize = done.gazetteer.places.iter().map(|p| p.names.len()).sum();
    let errors = done.diagnostics.iter().filter(|d| d.is_error()).count();
    // Every row offered is loaded or reported.
    assert!(
        names + errors >= table.rows.len(),
        "{} rows, {names} names, {errors} errors",
        table.rows.len()
    );
});
