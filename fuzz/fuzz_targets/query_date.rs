//! The query-date parser (`at DATE`, `--date`, resolve's date column), in both calendars:
//! never panics, and a date it accepts has a window of at least one day.
#![no_main]
use gazetteer::date::{Calendar, parse_query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for calendar in [Calendar::Gregorian, Calendar::Julian] {
        if let Ok(q) = parse_query(text, calendar) {
            assert!(q.window.earliest <= q.window.latest, "{text}");
        }
    }
});
