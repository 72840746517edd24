//! The EDTF parser of data cells: never panics, and what it accepts it writes back as text
//! that parses to the same date. (The binary form of the resolve cache is tested by the
//! unit tests of `date` and `snapshot`.)
#![no_main]
use gazetteer::date::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(d) = Date::parse(text) {
        let w = d.window();
        assert!(w.earliest <= w.latest, "{text}: empty window");
        let again = Date::parse(&d.to_string()).expect("its own text parses");
        assert_eq!(again, d, "{text}");
    }
});
