//! Dates given on the command line: everything the data accepts, plus short years, the
//! era forms (`44 BCE`, `AD 44`) and numeric dates in a given order (`03/12/1890`), read
//! in either calendar.

use super::edtf::{Fields, build, parse_in};
use super::level1::parse_edtf;
use super::records::{self, Order};
use super::{Calendar, Component, Date, DateError, DateOrder, Qualifiers, Window};

/// A date given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryDate {
    /// The date as the user wrote it. For a Julian query its window is already Gregorian,
    /// and its text may name a day that only exists in the Julian calendar (`1700-02-29`).
    pub written: Date,
    pub calendar: Calendar,
    /// Gregorian days, whatever calendar the date was written in.
    pub window: Window,
}

/// Parses a date given on the command line, as [`parse_query_in`] without a day order.
pub fn parse_query(s: &str, calendar: Calendar) -> Result<QueryDate, DateError> {
    parse_query_in(s, calendar, None)
}

/// Parses a date given on the command line (or in `resolve`'s date column).
///
/// Accepts everything [`Date::parse`] accepts, plus short years (`967`) and era forms for
/// a bare year: `44 BCE`, `44BC`, `44 B.C.` (astronomical `-0043`) and `44 CE`, `44 AD`,
/// `AD 44` (`0044`), case-insensitive. Surrounding whitespace is ignored. With
/// [`Calendar::Julian`] the date is read as Julian and its window converted to Gregorian
/// (a GEDCOM escape, `@#DJULIAN@`, says the calendar itself). `order` reads numeric
/// dates such as `03/12/1890`, which are refused without it.
pub fn parse_query_in(
    s: &str,
    calendar: Calendar,
    order: Option<DateOrder>,
) -> Result<QueryDate, DateError> {
    let text = s.trim();
    if calendar == Calendar::Gregorian
        && let Some(written) = Date::plain_digits(text)
    {
        return Ok(QueryDate {
            window: written.window,
            written,
            calendar,
        });
    }
    parse_query_text(text, calendar, order)
}

/// [`parse_query_in`] of a trimmed text, by the parsers alone.
fn parse_query_text(
    text: &str,
    calendar: Calendar,
    order: Option<DateOrder>,
) -> Result<QueryDate, DateError> {
    let (written, calendar) = match parse_era(text, calendar)? {
        Some(date) => (date, calendar),
        None => match parse_edtf(text, calendar, &short_or_edtf) {
            Ok(date) => (date, calendar),
            Err(e) => {
                let order = order.map_or(Order::Ask, Order::Given);
                match records::read(text, order) {
                    None => return Err(e),
                    Some(Err(reason)) => return Err(DateError::new(text, reason)),
                    Some(Ok(reading)) => {
                        let calendar = reading.calendar.unwrap_or(calendar);
                        let date = parse_edtf(&reading.edtf, calendar, &short_or_edtf)
                            .map_err(|inner| DateError::new(text, inner.reason))?;
                        (date, calendar)
                    }
                }
            }
        },
    };
    Ok(QueryDate {
        window: written.window,
        written,
        calendar,
    })
}

/// One date of a query, its year perhaps short: the message quotes it as typed.
fn short_or_edtf(text: &str, calendar: Calendar) -> Result<Date, DateError> {
    match pad_short_year(text) {
        Some(padded) => parse_in(&padded, calendar).map_err(|e| DateError {
            value: text.to_string(),
            ..e
        }),
        None => parse_in(text, calendar),
    }
}

/// A query's year of one to three digits, padded to EDTF's four: a person who types
/// `967` means the year 967, `-44` the astronomical year -0044 (45 BCE, as `-0044` is).
/// What follows the year (`-05-01`, `~`) is kept. `None` when the year is not short.
fn pad_short_year(text: &str) -> Option<String> {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &body[digits..];
    let ends_year = rest.is_empty()
        || rest.starts_with('-')
        || rest
            .chars()
            .next()
            .is_some_and(|c| Qualifiers::from_suffix(c).is_some());
    ((1..=3).contains(&digits) && ends_year).then(|| format!("{sign}{:0>4}{rest}", &body[..digits]))
}

/// Reads the era forms only a query accepts (`44 BCE`, `AD 44`, ...).
///
/// Ok(None) means the text carries no era and should be read as EDTF.
fn parse_era(text: &str, calendar: Calendar) -> Result<Option<Date>, DateError> {
    // Only a letter other than X can start an era ("44 BC", "AD 44"): most dates have none.
    if !text.is_ascii()
        || !text
            .bytes()
            .any(|b| b.is_ascii_alphabetic() && !b.eq_ignore_ascii_case(&b'x'))
    {
        return Ok(None);
    }
    let lower = text.to_ascii_lowercase();
    let mut body = lower.as_str();
    let mut qualifiers = Qualifiers::default();
    if let Some(last) = body.chars().next_back()
        && let Some(q) = Qualifiers::from_suffix(last)
    {
        qualifiers = q;
        body = body[..body.len() - 1].trim_end();
    }

    // Longer spellings first: "bce" also ends in "ce".
    const BEFORE: [&str; 4] = ["b.c.e.", "bce", "b.c.", "bc"];
    const AFTER: [&str; 4] = ["c.e.", "ce", "a.d.", "ad"];
    let mut found = None;
    for (suffixes, before) in [(BEFORE, true), (AFTER, false)] {
        if found.is_some() {
            break;
        }
        for suffix in suffixes {
            if let Some(rest) = body.strip_suffix(suffix) {
                found = Some((rest.trim_end(), before));
                break;
            }
        }
    }
    if found.is_none() {
        for prefix in ["a.d.", "ad"] {
            if let Some(rest) = body.strip_prefix(prefix) {
                found = Some((rest.trim_start(), false));
                break;
            }
        }
    }
    let Some((digits, before)) = found else {
        return Ok(None);
    };

    let fail = |reason: &str| Err(DateError::new(text, reason));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return fail("an era goes only with a plain year");
    }
    let number = match digits.parse::<u32>() {
        Ok(n) if digits.len() <= 5 => n,
        _ => return fail("year out of range"),
    };
    if number == 0 {
        return fail("eras have no year 0; write 0000 for 1 BCE");
    }
    // Astronomical years: 1 BCE is year 0, so 44 BCE is -43.
    let year = if before {
        1 - i64::from(number)
    } else {
        i64::from(number)
    };
    if !(-9999..=9999).contains(&year) {
        return fail("year out of range");
    }
    let fields = Fields {
        negative: year < 0,
        year: Component::exact(u32::try_from(year.unsigned_abs()).unwrap_or(u32::MAX)),
        month: None,
        day: None,
        qualifiers,
    };
    build(fields, calendar)
        .map(Some)
        .map_err(|reason| DateError::new(text, reason))
}

#[cfg(test)]
mod tests {
    use super::super::{Precision, julian_to_gregorian};
    use super::*;
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;

    /// The digits-only reading (`Date::plain_digits`) gives what the parsers give, of a
    /// data file's date and of a query's, for every text it reads: years 0000 to 9999,
    /// every month and day number of some years, with and without a qualifier, seasons
    /// (which it leaves to the parsers), days that do not exist, and near misses.
    #[test]
    fn plain_digits_read_as_the_parsers_read_them() {
        let mut texts: Vec<String> = (0..=9999).map(|y| format!("{y:04}")).collect();
        for y in [
            "0000", "0004", "1582", "1700", "1900", "1961", "2000", "2024", "9999",
        ] {
            for m in 0..=42 {
                texts.push(format!("{y}-{m:02}"));
                for d in [0, 1, 9, 10, 28, 29, 30, 31, 32, 99] {
                    texts.push(format!("{y}-{m:02}-{d:02}"));
                }
            }
        }
        let qualified: Vec<String> = texts
            .iter()
            .step_by(7)
            .flat_map(|t| ["~", "?", "%", "x", "é", "~?", " "].map(|q| format!("{t}{q}")))
            .collect();
        texts.extend(qualified);
        texts.extend(
            [
                "1961-1-10",
                "1961-01-1",
                "196",
                "19610",
                "1961-",
                "1961-11-",
                "1961/11/10",
                "+1961",
                "１９６１",
                "1961-11-10x",
                "~",
                "é",
                "",
            ]
            .map(String::from),
        );
        let mut read = 0;
        for t in &texts {
            let data = Date::parse_text(t);
            let query = parse_query_text(t, Calendar::Gregorian, None);
            match Date::plain_digits(t) {
                Some(fast) => {
                    read += 1;
                    let data = data.unwrap_or_else(|e| panic!("{t}: {e}"));
                    let query = query.unwrap_or_else(|e| panic!("{t}: {e}"));
                    assert_eq!(fast, data, "{t}");
                    assert_eq!(fast.window, data.window, "{t}");
                    assert_eq!(fast, query.written, "{t}");
                    assert_eq!(fast.window, query.window, "{t}");
                    assert_eq!(fast.to_string(), *t);
                }
                None => {
                    // Left to the parsers: other shapes, seasons, and what they refuse.
                    let bare = t.strip_suffix(['~', '?', '%']).unwrap_or(t);
                    let shaped = matches!(bare.len(), 4 | 7 | 10)
                        && bare.bytes().enumerate().all(|(i, b)| match i {
                            4 | 7 => b == b'-',
                            _ => b.is_ascii_digit(),
                        });
                    let month = bare.get(5..7).and_then(|m| m.parse::<u16>().ok());
                    let season = month.is_some_and(|m| !(1..=12).contains(&m));
                    assert!(
                        (data.is_err() && query.is_err()) || !shaped || season,
                        "{t}: the parsers read it, the digits did not"
                    );
                }
            }
        }
        assert!(read > 12_000, "{read}");
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // ---- Queries ----

    #[test]
    fn query_plain_and_trimmed() {
        let q = parse_query("  1961-11 \n", Calendar::Gregorian).unwrap();
        assert_eq!(q.written.to_string(), "1961-11");
        assert_eq!(q.calendar, Calendar::Gregorian);
        assert_eq!(q.window.earliest, ymd(1961, 11, 1));
        assert_eq!(q.window.latest, ymd(1961, 11, 30));
        assert_eq!(q.window, q.written.window());
        assert!(parse_query("19XX", Calendar::Gregorian).is_ok());
        assert!(parse_query("-0043-03-15", Calendar::Gregorian).is_ok());
    }

    /// #20: `XXXX` (any year) is a query date too: it asks what names ever held.
    #[test]
    fn query_accepts_unknown_year() {
        for s in ["XXXX", "XXXX-XX", "XXXX-XX-XX", " xxxx? "] {
            let q = parse_query(s, Calendar::Gregorian).unwrap();
            assert_eq!(q.window.earliest, ymd(-9999, 1, 1), "{s}");
            assert_eq!(q.window.latest, ymd(9999, 12, 31), "{s}");
        }
    }

    /// #14: `at 967 Bragenfeld` was refused ("year must have 4 digits").
    #[test]
    fn query_short_years_are_the_year_typed() {
        let q = |s: &str| parse_query(s, Calendar::Gregorian).unwrap();
        for (typed, written) in [
            ("967", "0967"),
            (" 96 ", "0096"),
            ("5", "0005"),
            ("0", "0000"),
            ("967-05", "0967-05"),
            ("967-05-03", "0967-05-03"),
            ("967~", "0967~"),
            ("967?", "0967?"),
            ("-44", "-0044"),
            ("-1-03-15", "-0001-03-15"),
        ] {
            assert_eq!(q(typed).written.to_string(), written, "{typed}");
        }
        assert_eq!(q("967").window.earliest, ymd(967, 1, 1));
        assert_eq!(q("967").window.latest, ymd(967, 12, 31));
        // Astronomical, as -0044 is: 45 BCE, not the 44 BC of `44 BC`.
        assert_eq!(q("-44").window.earliest, ymd(-44, 1, 1));
        assert_eq!(q("-44"), q("-0044"));
        assert_ne!(q("-44"), q("44 BC"));
        let julian = parse_query("967-05-03", Calendar::Julian).unwrap();
        assert_eq!(Some(julian.window.earliest), julian_to_gregorian(967, 5, 3));
        // A bad date is quoted as typed.
        let e = parse_query("967-13", Calendar::Gregorian).unwrap_err();
        assert_eq!(e.to_string(), "'967-13' is not a date (month 13)");
        let e = parse_query("-0", Calendar::Gregorian).unwrap_err();
        assert_eq!(e.value, "-0");
        // Only whole short years: not digits with X, not five digits.
        for s in ["96X", "9X", "19611", "967-5", "+967"] {
            assert!(parse_query(s, Calendar::Gregorian).is_err(), "{s}");
        }
        // Data cells keep EDTF's four digits.
        assert_eq!(
            Date::parse("967").unwrap_err().reason,
            "year must have 4 digits"
        );
    }

    #[test]
    fn query_era_forms() {
        let year = |s: &str| {
            let q = parse_query(s, Calendar::Gregorian).unwrap();
            assert_eq!(q.written.precision(), Precision::Year, "{s}");
            q.written.to_string()
        };
        for s in [
            "44BCE",
            "44 BCE",
            "44 BC",
            "44BC",
            "44 B.C.",
            "44 b.c.",
            "44 bce",
            "44 B.C.E.",
            " 44 BC ",
        ] {
            assert_eq!(year(s), "-0043", "{s}");
        }
        for s in [
            "44 CE", "44 AD", "AD 44", "44CE", "ad 44", "A.D. 44", "44 A.D.", "AD44",
        ] {
            assert_eq!(year(s), "0044", "{s}");
        }
        assert_eq!(year("1 BC"), "0000");
        assert_eq!(year("10000 BC"), "-9999");
        assert_eq!(year("44 BC?"), "-0043?");
        let q = parse_query("44 BC", Calendar::Gregorian).unwrap();
        assert_eq!(q.window.earliest, ymd(-43, 1, 1));
        assert_eq!(q.window.latest, ymd(-43, 12, 31));
    }

    #[test]
    fn query_era_errors() {
        let r = |s: &str| parse_query(s, Calendar::Gregorian).unwrap_err().reason;
        assert_eq!(r("0 BC"), "eras have no year 0; write 0000 for 1 BCE");
        assert_eq!(r("10001 BC"), "year out of range");
        assert_eq!(r("10000 AD"), "year out of range");
        assert_eq!(r("123456 BC"), "year out of range");
        assert_eq!(r("44-03 BC"), "an era goes only with a plain year");
        assert_eq!(r("BC"), "an era goes only with a plain year");
        assert_eq!(r("AD"), "an era goes only with a plain year");
        assert_eq!(r("4X BC"), "an era goes only with a plain year");
        assert_eq!(r("44 BX"), "unexpected space");
    }

    #[test]
    fn julian_query_year() {
        let q = parse_query("1914", Calendar::Julian).unwrap();
        assert_eq!(q.calendar, Calendar::Julian);
        assert_eq!(q.window.earliest, ymd(1914, 1, 14));
        assert_eq!(q.window.latest, ymd(1915, 1, 13));
        assert_eq!(q.written.to_string(), "1914");
        assert_eq!(q.written.window(), q.window);
    }

    #[test]
    fn julian_query_month_and_day() {
        let q = parse_query("1918-01", Calendar::Julian).unwrap();
        assert_eq!(q.window.earliest, ymd(1918, 1, 14));
        assert_eq!(q.window.latest, ymd(1918, 2, 13));
        let q = parse_query("1914-08-18", Calendar::Julian).unwrap();
        assert_eq!(q.window, Window::day(ymd(1914, 8, 31)));
        assert_eq!(q.written.precision(), Precision::Day);
        // Julian leap days that the Gregorian calendar lacks are accepted.
        let q = parse_query("1700-02-29", Calendar::Julian).unwrap();
        assert_eq!(q.window, Window::day(ymd(1700, 3, 11)));
        let q = parse_query("1900-02", Calendar::Julian).unwrap();
        assert_eq!(q.window.latest, julian_to_gregorian(1900, 2, 29).unwrap());
        assert!(parse_query("1700-02-29", Calendar::Gregorian).is_err());
        assert_eq!(
            parse_query("1701-02-29", Calendar::Julian)
                .unwrap_err()
                .reason,
            "1701 has no february 29"
        );
        let q = parse_query("44 BC", Calendar::Julian).unwrap();
        assert_eq!(q.window.earliest, julian_to_gregorian(-43, 1, 1).unwrap());
        assert_eq!(q.window.latest, julian_to_gregorian(-43, 12, 31).unwrap());
        let q = parse_query("-9999", Calendar::Julian).unwrap();
        assert!(q.window.earliest.year() == -10000);
    }

    proptest! {
        #[test]
        fn prop_parse_never_panics_unicode(s in "\\PC*") {
            if let Ok(d) = Date::parse(&s) {
                prop_assert_eq!(Date::parse(&d.to_string()), Ok(d));
            }
            let _ = parse_query(&s, Calendar::Gregorian);
            let _ = parse_query(&s, Calendar::Julian);
        }

        #[test]
        fn prop_parse_never_panics_ascii(s in "[ -~]{0,24}") {
            if let Ok(d) = Date::parse(&s) {
                prop_assert_eq!(Date::parse(&d.to_string()), Ok(d));
            }
            let _ = parse_query(&s, Calendar::Gregorian);
            let _ = parse_query(&s, Calendar::Julian);
        }

        #[test]
        fn prop_parse_never_panics_near_miss(s in "[-0-9Xx~?%/ .BCEAD]{0,14}") {
            if let Ok(d) = Date::parse(&s) {
                prop_assert!(d.window().earliest <= d.window().latest);
                prop_assert_eq!(Date::parse(&d.to_string()), Ok(d));
            }
            for calendar in [Calendar::Gregorian, Calendar::Julian] {
                if let Ok(q) = parse_query(&s, calendar) {
                    prop_assert!(q.window.earliest <= q.window.latest);
                }
            }
        }
    }
}
