//! Dates as genealogy (GEDCOM) and records write them, turned into EDTF: `ABT 1890` is
//! `1890~`, `BEF 1900` is `../1900`, `BET 1890 AND 1895` is `1890/1895`, `12.03.1890` is
//! `1890-03-12`. The mapping is README's table "Dates written as records write them".
//! This module only rewrites text; `edtf` and `level1` check and read what it gives.

use super::{Calendar, DateOrder};

/// How to take a date whose day and month are both numbers (`03/12/1890`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// A data cell: refused, the cell should say it in EDTF.
    Refuse,
    /// A query without `--date-order`: refused, pass it.
    Ask,
    Given(DateOrder),
}

/// A date of these forms, in EDTF.
pub(super) struct Reading {
    pub(super) edtf: String,
    /// From a GEDCOM calendar escape (`@#DJULIAN@`), if any.
    pub(super) calendar: Option<Calendar>,
    /// The text upper-cased, its spaces single: what a Julian date displays.
    pub(super) normalised: String,
}

/// `None` when `s` is none of these forms (the caller then reports its EDTF error).
pub(super) fn read(s: &str, order: Order) -> Option<Result<Reading, String>> {
    // Cells and queries come trimmed: space around a date is a slip to report.
    if s.trim() != s {
        return None;
    }
    let normalised = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let upper = normalised.to_uppercase();
    let mut calendar = None;
    let mut words = Vec::new();
    for w in upper.split(' ') {
        if let Some(name) = w.strip_prefix("@#D").and_then(|w| w.strip_suffix('@')) {
            let c = match name {
                "JULIAN" => Calendar::Julian,
                "GREGORIAN" => Calendar::Gregorian,
                other => {
                    return Some(Err(format!(
                        "calendar @#D{other}@ is not read: only @#DJULIAN@ and @#DGREGORIAN@"
                    )));
                }
            };
            if calendar.is_some_and(|was| was != c) {
                return Some(Err("two calendars in one date".to_string()));
            }
            calendar = Some(c);
        } else {
            words.push(w);
        }
    }
    let escaped = calendar.is_some();
    let edtf = match words.as_slice() {
        [] if escaped => return Some(Err("a calendar escape needs a date".to_string())),
        [] => return None,
        [kw, rest @ ..] if matches!(*kw, "ABT" | "CAL" | "EST") => approximately(rest, order, kw),
        [kw, rest @ ..] if matches!(*kw, "C." | "CA." | "CA" | "CIRCA" | "C") => {
            approximately(rest, order, kw)
        }
        ["BEF", rest @ ..] => one(rest, order, "BEF").map(|d| format!("../{d}")),
        ["AFT", rest @ ..] => one(rest, order, "AFT").map(|d| format!("{d}/..")),
        ["BET", rest @ ..] => between(rest, "AND", order, "BET"),
        ["FROM", rest @ ..] if rest.contains(&"TO") => between(rest, "TO", order, "FROM"),
        ["FROM", rest @ ..] => one(rest, order, "FROM").map(|d| format!("{d}/..")),
        ["TO", rest @ ..] => one(rest, order, "TO").map(|d| format!("../{d}")),
        [word, rest @ ..] if word.starts_with("C.") || word.starts_with("CA.") => {
            // `c.1850`, `ca.1850`: the abbreviation and the year run together.
            let year = word.trim_start_matches("CA.").trim_start_matches("C.");
            let mut all = vec![year];
            all.extend_from_slice(rest);
            approximately(&all, order, "c.")
        }
        all => single(all, order, escaped)?,
    };
    Some(edtf.map(|edtf| Reading {
        edtf,
        calendar,
        normalised: upper,
    }))
}

fn approximately(words: &[&str], order: Order, keyword: &str) -> Result<String, String> {
    one(words, order, keyword).map(|d| format!("{d}~"))
}

/// The one date after a keyword.
fn one(words: &[&str], order: Order, keyword: &str) -> Result<String, String> {
    match single(words, order, true) {
        Some(r) => r,
        None if words.is_empty() => Err(format!("{keyword} needs a date after it")),
        None => Err(format!(
            "'{}' after {keyword} is not a date such as 1890, MAR 1890 or 12 MAR 1890",
            words.join(" ")
        )),
    }
}

fn between(words: &[&str], joint: &str, order: Order, keyword: &str) -> Result<String, String> {
    let Some(at) = words.iter().position(|w| *w == joint) else {
        return Err(format!(
            "{keyword} needs {joint}: {keyword} 1890 {joint} 1895"
        ));
    };
    let from = one(&words[..at], order, keyword)?;
    let to = one(&words[at + 1..], order, joint)?;
    Ok(format!("{from}/{to}"))
}

const MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];

/// A month by its English name or GEDCOM's three letters (`MAR`, `Mar.`, `Sept`).
fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    let at = MONTHS
        .iter()
        .position(|m| *m == word || (word.len() <= 4 && m.starts_with(word)))?;
    u32::try_from(at + 1).ok()
}

/// A day of the month: `12`, `12th`, `1st`.
fn day(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("ST")
        .or_else(|| word.strip_suffix("ND"))
        .or_else(|| word.strip_suffix("RD"))
        .or_else(|| word.strip_suffix("TH"))
        .unwrap_or(word);
    (!digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A year: four digits, or (`short`, after a GEDCOM keyword or month) one to four, with
/// an optional dual year (`1750/51`: the later year, as New Style counts years).
fn year(word: &str, short: bool) -> Option<Result<String, String>> {
    let (main, dual) = match word.split_once('/') {
        Some((m, d)) => (m, Some(d)),
        None => (word, None),
    };
    let digits_ok = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits_ok(main, if short { 1..=4 } else { 4..=4 }) {
        return None;
    }
    let value: u32 = main.parse().ok()?;
    let year = match dual {
        None => value,
        Some(d) if digits_ok(d, 2..=2) => {
            let next = value + 1;
            if d.parse::<u32>().ok() != Some(next % 100) {
                return Some(Err(format!(
                    "'{word}' is not a dual year: the second year of one is the next, as in \
                     {value}/{:02} (for an interval write {value}/{}, in full)",
                    next % 100,
                    d
                )));
            }
            next
        }
        Some(_) => return None,
    };
    if year > 9999 {
        return Some(Err(format!("year {year} has more than four digits")));
    }
    Some(Ok(format!("{year:04}")))
}

/// One date without a keyword: `1890`, `MAR 1890`, `12 MAR 1890`, `18 August 1914`,
/// `August 18, 1914`, `12.03.1890`, `03/12/1890` (with an order), `1930s`, `Spring 1950`. `short`
/// allows years of fewer than four digits (GEDCOM writes `ABT 890`). `None` when the
/// words are none of these.
fn single(words: &[&str], order: Order, short: bool) -> Option<Result<String, String>> {
    let full = |y: String, m: u32, d: Option<u32>| -> Result<String, String> {
        if !(1..=12).contains(&m) {
            return Err(format!("month {m}"));
        }
        Ok(match d {
            Some(d) => format!("{y}-{m:02}-{d:02}"),
            None => format!("{y}-{m:02}"),
        })
    };
    match words {
        [w] => {
            if let Some(y) = year(w, short) {
                return Some(y);
            }
            if let Some(r) = decade_or_century(w) {
                return Some(r);
            }
            numeric(w, order)
        }
        [m, y] => {
            // `Spring 1950`: the season as EDTF numbers it (`1950-21`).
            if let Some(code) = season(m) {
                return Some(year(y, true)?.map(|y| format!("{y}-{code}")));
            }
            let m = month(m)?;
            Some(year(y, true)?.and_then(|y| full(y, m, None)))
        }
        [d, m, y] => {
            // `12 MAR 1890`, `18 August 1914`, or `August 18, 1914`.
            let (d, m) = match (day(d), month(m)) {
                (Some(d), Some(m)) => (d, m),
                _ => (day(m.trim_end_matches(','))?, month(d)?),
            };
            Some(year(y, true)?.and_then(|y| full(y, m, Some(d))))
        }
        _ => None,
    }
}

/// A season's EDTF number (21 spring to 24 winter), from its English name.
fn season(word: &str) -> Option<u32> {
    match word {
        "SPRING" => Some(21),
        "SUMMER" => Some(22),
        "AUTUMN" | "FALL" => Some(23),
        "WINTER" => Some(24),
        _ => None,
    }
}

/// `1930s` is the decade `193X`; `1800s` the century `18XX`, as English uses it (for the
/// decade 1800 to 1809, write `180X`).
fn decade_or_century(word: &str) -> Option<Result<String, String>> {
    let digits = word.strip_suffix("'S").or_else(|| word.strip_suffix('S'))?;
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if digits.ends_with("00") {
        Ok(format!("{}XX", &digits[..2]))
    } else if digits.ends_with('0') {
        Ok(format!("{}X", &digits[..3]))
    } else {
        Err(format!(
            "'{word}' names no decade: a decade ends in 0, as in {}0s",
            &digits[..3]
        ))
    })
}

/// `12.03.1890` (day, month, year: the dots are the European order), and `03/12/1890` or
/// `3-12-1890`, which need an order.
fn numeric(word: &str, order: Order) -> Option<Result<String, String>> {
    let sep = [".", "/", "-"].into_iter().find(|s| word.contains(s))?;
    let parts: Vec<&str> = word.split(sep).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let small = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    if !small(a) || !small(b) || y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    let (d, m) = match (sep, order) {
        (".", _) | (_, Order::Given(DateOrder::Dmy)) => (a, b),
        (_, Order::Given(DateOrder::Mdy)) => (b, a),
        (_, Order::Ask) => {
            return Some(Err(
                "its day and month are both numbers, so it could be day/month/year or \
                 month/day/year: pass --date-order dmy or --date-order mdy"
                    .to_string(),
            ));
        }
        (_, Order::Refuse) => {
            return Some(Err(format!(
                "its day and month are both numbers, so it could be day/month/year or \
                 month/day/year: write it as EDTF, year-month-day ({y}-{b:02}-{a:02} or \
                 {y}-{a:02}-{b:02})"
            )));
        }
    };
    if !(1..=12).contains(&m) {
        let read_as = if sep == "." || order == Order::Given(DateOrder::Dmy) {
            "day, month, year"
        } else {
            "month, day, year"
        };
        return Some(Err(format!("month {m} (read as {read_as})")));
    }
    Some(Ok(format!("{y}-{m:02}-{d:02}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edtf(s: &str) -> String {
        match read(s, Order::Ask) {
            Some(Ok(r)) => r.edtf,
            other => panic!("{s}: {:?}", other.map(|r| r.map(|r| r.edtf))),
        }
    }

    #[test]
    fn gedcom_forms_map_to_edtf() {
        for (form, want) in [
            ("ABT 1890", "1890~"),
            ("abt 1890", "1890~"),
            ("CAL 1890", "1890~"),
            ("EST 1890", "1890~"),
            ("ABT 890", "0890~"),
            ("BEF 1900", "../1900"),
            ("AFT 1900", "1900/.."),
            ("BET 1890 AND 1895", "1890/1895"),
            ("FROM 1890 TO 1895", "1890/1895"),
            ("FROM 1890", "1890/.."),
            ("TO 1895", "../1895"),
            ("12 MAR 1890", "1890-03-12"),
            ("MAR 1890", "1890-03"),
            ("BEF 12 MAR 1890", "../1890-03-12"),
            ("@#DJULIAN@ 12 MAR 1890", "1890-03-12"),
            ("1750/51", "1751"),
            ("1699/00", "1700"),
            ("11 FEB 1750/51", "1751-02-11"),
        ] {
            assert_eq!(edtf(form), want, "{form}");
        }
        let r = read("@#DJULIAN@ 12 MAR 1890", Order::Ask).unwrap().unwrap();
        assert_eq!(r.calendar, Some(Calendar::Julian));
        assert_eq!(r.normalised, "@#DJULIAN@ 12 MAR 1890");
    }

    #[test]
    fn record_forms_map_to_edtf() {
        for (form, want) in [
            ("12.03.1890", "1890-03-12"),
            ("1.3.1890", "1890-03-01"),
            ("18 August 1914", "1914-08-18"),
            ("18th August 1914", "1914-08-18"),
            ("August 18, 1914", "1914-08-18"),
            ("Aug. 18, 1914", "1914-08-18"),
            ("August 1914", "1914-08"),
            ("c. 1850", "1850~"),
            ("ca. 1850", "1850~"),
            ("circa 1850", "1850~"),
            ("c.1850", "1850~"),
            ("1930s", "193X"),
            ("1930's", "193X"),
            ("1800s", "18XX"),
            ("Spring 1950", "1950-21"),
            ("summer 1950", "1950-22"),
            ("Fall 1950", "1950-23"),
            ("Autumn 1950", "1950-23"),
            ("WINTER 1950", "1950-24"),
            ("ABT Spring 1950", "1950-21~"),
        ] {
            assert_eq!(edtf(form), want, "{form}");
        }
    }

    #[test]
    fn numeric_dates_need_an_order() {
        let err = |s: &str, o: Order| read(s, o).unwrap().err().unwrap();
        assert!(err("03/12/1890", Order::Ask).contains("--date-order"));
        assert!(err("3-12-1890", Order::Refuse).contains("1890-12-03 or 1890-03-12"));
        let with = |s: &str, o: DateOrder| read(s, Order::Given(o)).unwrap().unwrap().edtf;
        assert_eq!(with("03/12/1890", DateOrder::Dmy), "1890-12-03");
        assert_eq!(with("03/12/1890", DateOrder::Mdy), "1890-03-12");
        assert_eq!(with("3-12-1890", DateOrder::Mdy), "1890-03-12");
        assert!(err("13/03/1890", Order::Given(DateOrder::Mdy)).contains("month 13"));
    }

    #[test]
    fn not_these_forms_or_wrong() {
        for s in ["", "1961-13", "hello", "1890 1891", "967"] {
            assert!(read(s, Order::Ask).is_none(), "{s}");
        }
        let err = |s: &str| read(s, Order::Ask).unwrap().err().unwrap();
        assert!(err("1890/95").contains("not a dual year"));
        assert!(err("BET 1890").contains("BET needs AND"));
        assert!(err("ABT").contains("ABT needs a date"));
        assert!(err("@#DHEBREW@ 5650").contains("only @#DJULIAN@"));
        assert!(err("1935s").contains("names no decade"));
    }
}
