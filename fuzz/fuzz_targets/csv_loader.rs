//! A whole data file of arbitrary bytes, read and validated as `--data`: never panics, and
//! every row is either loaded or reported (none is dropped silently).
#![no_main]
use gazetteer::source::Sink;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

/// Counts what the reader offers, and passes it on to the validator.
struct Counting {
    inner: gazetteer::validate::Validator,
    rows: u64,
}

impl Sink for Counting {
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
        self.inner.header(file, header)
    }
    fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
        self.rows += 1;
        self.inner.row(file, line, fields)
    }
    fn problem(&mut self, p: gazetteer::error::Diagnostic) {
        self.inner.problem(p)
    }
    fn end(&mut self, file: &Arc<str>, rows: u64) {
        self.inner.end(file, rows)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut sink = Counting {
        inner: gazetteer::validate::Validator::new(),
        rows: 0,
    };
    let _ = gazetteer::source::parse_into("fuzz.csv", data, &mut sink);
    let rows = sink.rows;
    let v = sink.inner.finish();
    // Every row offered became a name of a place or has an error about it.
    let names: u64 = v
        .gazetteer
        .places
        .iter()
        .map(|p| p.names.len() as u64)
        .sum();
    let errors = v.diagnostics.iter().filter(|d| d.is_error()).count() as u64;
    assert!(
        names + errors >= rows,
        "{rows} rows, {names} names, {errors} errors"
    );
});
