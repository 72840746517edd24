//! The features of EDTF levels 0 and 1 (Extended Date/Time Format, Library of Congress,
//! 2019), each with the specification's own examples: valid strings are read with the
//! window they name, invalid ones are refused (#20). And the guard that every date
//! accepted before #20 keeps its window.

use super::edtf::parse_in;
use super::{Calendar, Date, parse_query};
use chrono::NaiveDate;
use proptest::prelude::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Data cells and queries both read every valid string, with the same window.
fn check(s: &str, earliest: NaiveDate, latest: NaiveDate) {
    let d = Date::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    let w = d.window();
    assert_eq!((w.earliest, w.latest), (earliest, latest), "{s}");
    assert_eq!(Date::parse(&d.to_string()), Ok(d.clone()), "{s} reads back");
    let q = parse_query(s, Calendar::Gregorian).unwrap_or_else(|e| panic!("query {s}: {e}"));
    assert_eq!(q.window, w, "query {s}");
}

#[test]
fn level_0() {
    // Date.
    check("1985-04-12", ymd(1985, 4, 12), ymd(1985, 4, 12));
    check("1985-04", ymd(1985, 4, 1), ymd(1985, 4, 30));
    check("1985", ymd(1985, 1, 1), ymd(1985, 12, 31));
    // Date and time: the day written, whatever the zone.
    for s in [
        "1985-04-12T23:20:30",
        "1985-04-12T23:20:30Z",
        "1985-04-12T23:20:30-04",
        "1985-04-12T23:20:30+04:30",
    ] {
        check(s, ymd(1985, 4, 12), ymd(1985, 4, 12));
    }
    // Time interval.
    check("1964/2008", ymd(1964, 1, 1), ymd(2008, 12, 31));
    check("2004-06/2006-08", ymd(2004, 6, 1), ymd(2006, 8, 31));
    check("2004-02-01/2005-02-08", ymd(2004, 2, 1), ymd(2005, 2, 8));
    check("2004-02-01/2005-02", ymd(2004, 2, 1), ymd(2005, 2, 28));
    check("2004-02-01/2005", ymd(2004, 2, 1), ymd(2005, 12, 31));
    check("2005/2006-02", ymd(2005, 1, 1), ymd(2006, 2, 28));
}

#[test]
fn level_1() {
    // Letter-prefixed calendar year: valid, but beyond chrono's days.
    for s in ["Y170000002", "Y-170000002"] {
        let e = Date::parse(s).unwrap_err();
        assert!(
            e.reason.contains("beyond the years gazetteer can compare"),
            "{e}"
        );
    }
    check("Y170002", ymd(170_002, 1, 1), ymd(170_002, 12, 31));
    // Seasons (northern meteorological).
    check("2001-21", ymd(2001, 3, 1), ymd(2001, 5, 31));
    check("2001-22", ymd(2001, 6, 1), ymd(2001, 8, 31));
    check("2001-23", ymd(2001, 9, 1), ymd(2001, 11, 30));
    check("2001-24", ymd(2001, 12, 1), ymd(2002, 2, 28));
    // Qualification of a date.
    check("1984?", ymd(1984, 1, 1), ymd(1984, 12, 31));
    check("2004-06~", ymd(2004, 6, 1), ymd(2004, 6, 30));
    check("2004-06-11%", ymd(2004, 6, 11), ymd(2004, 6, 11));
    check("2001-21~", ymd(2001, 3, 1), ymd(2001, 5, 31));
    // Unspecified digits.
    check("201X", ymd(2010, 1, 1), ymd(2019, 12, 31));
    check("20XX", ymd(2000, 1, 1), ymd(2099, 12, 31));
    check("2004-XX", ymd(2004, 1, 1), ymd(2004, 12, 31));
    check("1985-04-XX", ymd(1985, 4, 1), ymd(1985, 4, 30));
    check("1985-XX-XX", ymd(1985, 1, 1), ymd(1985, 12, 31));
    // Extended interval: open (`..`) and unknown (empty) ends.
    let (min, max) = (NaiveDate::MIN, NaiveDate::MAX);
    check("1985-04-12/..", ymd(1985, 4, 12), max);
    check("1985-04/..", ymd(1985, 4, 1), max);
    check("1985/..", ymd(1985, 1, 1), max);
    check("../1985-04-12", min, ymd(1985, 4, 12));
    check("../1985-04", min, ymd(1985, 4, 30));
    check("../1985", min, ymd(1985, 12, 31));
    check("1985-04-12/", ymd(1985, 4, 12), max);
    check("1985-04/", ymd(1985, 4, 1), max);
    check("1985/", ymd(1985, 1, 1), max);
    check("/1985-04-12", min, ymd(1985, 4, 12));
    check("/1985-04", min, ymd(1985, 4, 30));
    check("/1985", min, ymd(1985, 12, 31));
    // Qualified ends of intervals.
    check("1984~/2004-06", ymd(1984, 1, 1), ymd(2004, 6, 30));
    check("1984/2004-06~", ymd(1984, 1, 1), ymd(2004, 6, 30));
    check("1984~/2004~", ymd(1984, 1, 1), ymd(2004, 12, 31));
    check("1984?/2004%", ymd(1984, 1, 1), ymd(2004, 12, 31));
    check("1984-06?/2004-08?", ymd(1984, 6, 1), ymd(2004, 8, 31));
    check("1984-06-02?/2004-08-08~", ymd(1984, 6, 2), ymd(2004, 8, 8));
    check("1984-06-02?/..", ymd(1984, 6, 2), max);
    // Negative calendar year.
    check("-1985", ymd(-1985, 1, 1), ymd(-1985, 12, 31));
}

#[test]
fn invalid_strings_are_refused() {
    for s in [
        "1985-13",
        "1985-04-31",
        "1985-4-12",
        "19851",
        "2001-20",
        "2001-25",
        "2001-21-03",
        "Y1985",
        "Y17E8",
        "1985-04-12T25:20:30",
        "1985-04-12T23:20",
        "1985-04T23:20:30",
        "2008/1964",
        "../..",
        "1964/2008/2010",
        "1984??",
        "1984?~",
        "?1984",
        "156X-12-25",
        "2004-06-~01",
        "[1667,1668]",
        "{1960,1961}",
        "-XXXX",
        "1985-04-12T23:20:30~",
    ] {
        assert!(Date::parse(s).is_err(), "{s} is not level 0 or 1");
        assert!(
            parse_query(s, Calendar::Gregorian).is_err(),
            "{s} as a query"
        );
    }
}

/// Dates of the grammar accepted before #20: a year, month or day, its trailing digits
/// perhaps X, perhaps qualified, with the window computed here independently.
fn old_form() -> impl Strategy<Value = (String, NaiveDate, NaiveDate)> {
    (
        -9999i32..=9999,
        1u32..=12,
        1u32..=28,
        0u8..=2,
        0usize..=3,
        0usize..=3,
    )
        .prop_map(|(year, month, day, parts, yx, q)| {
            let sign = if year < 0 { "-" } else { "" };
            let digits = format!("{:04}", year.unsigned_abs());
            let keep = 4 - yx;
            let mut s = format!("{sign}{}{}", &digits[..keep], "X".repeat(yx));
            let scale = 10i32.pow(yx as u32);
            let lo = year.unsigned_abs() as i32 / scale * scale;
            let (y0, y1) = if year < 0 {
                (-(lo + scale - 1), -lo)
            } else {
                (lo, lo + scale - 1)
            };
            let last_of = |y: i32, m: u32| {
                let next = if m == 12 {
                    ymd(y + 1, 1, 1)
                } else {
                    ymd(y, m + 1, 1)
                };
                next.pred_opt().unwrap()
            };
            let (earliest, latest) = match (parts, yx) {
                (0, _) | (_, 1..) => (ymd(y0, 1, 1), ymd(y1, 12, 31)),
                (1, _) => (ymd(year, month, 1), last_of(year, month)),
                _ => (ymd(year, month, day), ymd(year, month, day)),
            };
            if parts >= 1 {
                s.push_str(&if yx > 0 {
                    "-XX".to_string()
                } else {
                    format!("-{month:02}")
                });
            }
            if parts == 2 {
                s.push_str(&if yx > 0 {
                    "-XX".to_string()
                } else {
                    format!("-{day:02}")
                });
            }
            s.push_str(["", "~", "?", "%"][q]);
            (s, earliest, latest)
        })
}

proptest! {
    /// #20: every string read before keeps its window, in the data and in a query.
    #[test]
    fn prop_windows_of_old_forms_stay((s, earliest, latest) in old_form()) {
        let d = Date::parse(&s).unwrap();
        prop_assert_eq!((d.window().earliest, d.window().latest), (earliest, latest), "{}", s);
        prop_assert_eq!(d.window(), parse_in(&s, Calendar::Gregorian).unwrap().window());
        prop_assert_eq!(parse_query(&s, Calendar::Gregorian).unwrap().window, d.window());
        prop_assert_eq!(d.to_string(), s);
    }
}
