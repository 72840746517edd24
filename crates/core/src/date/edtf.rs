//! The EDTF grammar: reading a written date into its components, checking them against
//! a calendar and computing the window. Shared by the dates in the data ([`Date::parse`])
//! and the dates a user queries with (`super::query`).

use super::calendar::{days_in_month, to_gregorian};
use super::{Calendar, Component, Date, DateError, Qualifiers, Window};

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_name(month: u32) -> &'static str {
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTH_NAMES.get(i))
        .copied()
        .unwrap_or("that month")
}

/// Parses EDTF, validating days and computing the window in `calendar`.
pub(super) fn parse_in(s: &str, calendar: Calendar) -> Result<Date, DateError> {
    parse_fields(s)
        .and_then(|fields| build(fields, calendar))
        .map_err(|reason| DateError::new(s, reason))
}

/// The syntax of a date, before any calendar check.
pub(super) struct Fields<'s> {
    pub(super) negative: bool,
    pub(super) year: Component,
    /// With its text, for messages.
    pub(super) month: Option<(Component, &'s str)>,
    pub(super) day: Option<(Component, &'s str)>,
    pub(super) qualifiers: Qualifiers,
}

fn parse_fields(s: &str) -> Result<Fields<'_>, String> {
    if s.is_empty() {
        return Err("empty".to_string());
    }
    let mut body = s;
    let mut qualifiers = Qualifiers::default();
    if let Some(last) = body.chars().next_back()
        && let Some(q) = Qualifiers::from_suffix(last)
    {
        qualifiers = q;
        body = &body[..body.len() - last.len_utf8()];
        if body
            .chars()
            .next_back()
            .is_some_and(|c| Qualifiers::from_suffix(c).is_some())
        {
            return Err("more than one qualifier; % means both".to_string());
        }
        if body.is_empty() {
            return Err("qualifier without a date".to_string());
        }
    }
    if let Some(bad) = body
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, 'X' | 'x' | '-')))
    {
        return Err(match bad {
            '/' => "intervals are not dates".to_string(),
            '~' | '?' | '%' => "a qualifier goes only at the end".to_string(),
            ' ' => "unexpected space".to_string(),
            c => format!("unexpected character {c:?}"),
        });
    }
    let (negative, unsigned) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    if unsigned.is_empty() {
        return Err("missing year".to_string());
    }
    // (No list is collected: `resolve` parses a date per row.)
    let mut split = unsigned.split('-');
    let parts = [split.next(), split.next(), split.next()];
    if split.next().is_some() {
        return Err(if unsigned.split('-').any(str::is_empty) {
            "misplaced '-'"
        } else {
            "too many components"
        }
        .to_string());
    }
    if parts.iter().flatten().any(|p| p.is_empty()) {
        return Err("misplaced '-'".to_string());
    }
    let year = component(parts[0].unwrap_or_default(), 4, "year")?;
    if negative && year.unspecified >= 4 {
        return Err("an unknown year has no sign".to_string());
    }
    if negative && year.unspecified == 0 && year.known == 0 {
        return Err("write year 0 as 0000".to_string());
    }
    let month = match parts[1] {
        Some(text) => Some((component(text, 2, "month")?, text)),
        None => None,
    };
    let day = match parts[2] {
        Some(text) => Some((component(text, 2, "day")?, text)),
        None => None,
    };
    Ok(Fields {
        negative,
        year,
        month,
        day,
        qualifiers,
    })
}

/// Reads one component of `width` ASCII digits or `X`, unspecified digits trailing.
fn component(text: &str, width: usize, what: &str) -> Result<Component, String> {
    if text.len() != width {
        return Err(format!("{what} must have {width} digits"));
    }
    let known_len = text
        .find(|c: char| c.eq_ignore_ascii_case(&'x'))
        .unwrap_or(text.len());
    let (known, unspecified) = text.split_at(known_len);
    if !unspecified.chars().all(|c| c.eq_ignore_ascii_case(&'x')) {
        return Err(format!("only trailing digits of the {what} may be X"));
    }
    let mut value = 0u32;
    for c in known.chars() {
        // The caller has already refused other characters; this keeps a slip from panicking.
        let Some(digit) = c.to_digit(10) else {
            return Err(format!("unexpected character {c:?}"));
        };
        value = value * 10 + digit;
    }
    Ok(Component {
        // At most four digits, so at most 9999.
        known: u16::try_from(value).unwrap_or(u16::MAX),
        // width is at most 4, so this cannot truncate.
        unspecified: u8::try_from(unspecified.len()).unwrap_or(u8::MAX),
    })
}

/// Checks the written components against `calendar` and computes the Gregorian window.
pub(super) fn build(fields: Fields, calendar: Calendar) -> Result<Date, String> {
    let Fields {
        negative,
        year,
        month,
        day,
        qualifiers,
    } = fields;
    let (year_lo, year_hi) = if year.unspecified >= 4 {
        // Any year EDTF can write; a sign is refused for XXXX, so both sides are covered here.
        (-9999, 9999)
    } else {
        let (lo, hi) = year.range();
        // Four digits at most, so these always fit in an i32.
        let (lo, hi) = (
            i32::try_from(lo).unwrap_or(i32::MAX),
            i32::try_from(hi).unwrap_or(i32::MAX),
        );
        if negative { (-hi, -lo) } else { (lo, hi) }
    };
    let year_known = year.unspecified == 0;

    if let Some((m, _)) = &month
        && m.unspecified == 0
        && (21..=24).contains(&m.known)
    {
        return season(negative, year, m.known, day.is_some(), qualifiers, calendar);
    }

    let (month_lo, month_hi) = match &month {
        None => (1, 12),
        Some((m, text)) => {
            if !year_known && m.unspecified < 2 {
                return Err("month must be XX when the year has X".to_string());
            }
            let (lo, hi) = m.range();
            let (lo, hi) = (lo.max(1), hi.min(12));
            if lo > hi {
                return Err(format!("month {text}"));
            }
            (lo, hi)
        }
    };
    let month_known = month.as_ref().is_some_and(|(m, _)| m.unspecified == 0);

    // A day written with digits needs a single year and month, so its limits are final.
    let written_days = match &day {
        Some((d, text)) if d.unspecified < 2 => {
            if !month_known {
                return Err(if year_known {
                    "day must be XX when the month has X".to_string()
                } else {
                    "day must be XX when the year has X".to_string()
                });
            }
            let (raw_lo, raw_hi) = d.range();
            if raw_hi == 0 || raw_lo > 31 {
                return Err(format!("day {text}"));
            }
            let dim = days_in_month(calendar, year_lo, month_lo);
            let (lo, hi) = (raw_lo.max(1), raw_hi.min(dim));
            if lo > hi {
                return Err(if month_lo == 2 && raw_lo == 29 && d.unspecified == 0 {
                    let year_text = Date::year_text_of(negative, year);
                    format!("{year_text} has no february 29")
                } else {
                    format!("{} has no day {text}", month_name(month_lo))
                });
            }
            Some((lo, hi))
        }
        _ => None,
    };
    let (day_lo, day_hi) =
        written_days.unwrap_or_else(|| (1, days_in_month(calendar, year_hi, month_hi)));

    let earliest = to_gregorian(calendar, year_lo, month_lo, day_lo);
    let latest = to_gregorian(calendar, year_hi, month_hi, day_hi);
    let (Some(earliest), Some(latest)) = (earliest, latest) else {
        return Err("outside the supported range of days".to_string());
    };
    Ok(Date {
        negative,
        year,
        month: month.map(|(m, _)| m),
        day: day.map(|(d, _)| d),
        qualifiers,
        window: Window { earliest, latest },
        extended: None,
    })
}

/// EDTF level 1 seasons, months 21 to 24, as the northern hemisphere's meteorological
/// seasons (the EDTF specification names them, but leaves their months open): spring is
/// March to May, summer June to August, autumn September to November, and winter the
/// December of its year with the January and February after it.
fn season(
    negative: bool,
    year: Component,
    code: u16,
    with_day: bool,
    qualifiers: Qualifiers,
    calendar: Calendar,
) -> Result<Date, String> {
    if with_day {
        return Err(format!(
            "season {code} has no days; write 2001-{code} alone"
        ));
    }
    if year.unspecified > 0 {
        return Err("a season needs a whole year".to_string());
    }
    let y = i32::from(year.known) * if negative { -1 } else { 1 };
    let (first, last, last_year) = match code {
        21 => (3, 5, y),
        22 => (6, 8, y),
        23 => (9, 11, y),
        _ => (12, 2, y + 1),
    };
    let earliest = to_gregorian(calendar, y, first, 1);
    let latest = to_gregorian(
        calendar,
        last_year,
        last,
        days_in_month(calendar, last_year, last),
    );
    let (Some(earliest), Some(latest)) = (earliest, latest) else {
        return Err("outside the supported range of days".to_string());
    };
    Ok(Date {
        negative,
        year,
        month: Some(Component::exact(u32::from(code))),
        day: None,
        qualifiers,
        window: Window { earliest, latest },
        extended: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::Precision;
    use super::super::calendar::days_in_month;
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn window(s: &str) -> (NaiveDate, NaiveDate) {
        let w = Date::parse(s).unwrap().window();
        (w.earliest, w.latest)
    }

    fn reason(s: &str) -> String {
        Date::parse(s).unwrap_err().reason
    }

    fn round_trips(s: &str) {
        let d = Date::parse(s).unwrap();
        assert_eq!(d.to_string(), s, "display of {s}");
        assert_eq!(Date::parse(&d.to_string()), Ok(d));
    }

    // ---- Grammar: accepted forms ----

    #[test]
    fn year_month_day() {
        round_trips("1958");
        round_trips("1961-11");
        round_trips("1961-11-10");
        assert_eq!(window("1958"), (ymd(1958, 1, 1), ymd(1958, 12, 31)));
        assert_eq!(window("1961-11"), (ymd(1961, 11, 1), ymd(1961, 11, 30)));
        assert_eq!(window("1961-02"), (ymd(1961, 2, 1), ymd(1961, 2, 28)));
        assert_eq!(window("2024-02"), (ymd(2024, 2, 1), ymd(2024, 2, 29)));
        assert_eq!(window("1961-11-10"), (ymd(1961, 11, 10), ymd(1961, 11, 10)));
        assert!(Date::parse("1961-11-10").unwrap().window().is_day());
    }

    #[test]
    fn precision_is_most_specific_written_component() {
        let p = |s: &str| Date::parse(s).unwrap().precision();
        assert_eq!(p("1961"), Precision::Year);
        assert_eq!(p("196X"), Precision::Year);
        assert_eq!(p("1961-11"), Precision::Month);
        assert_eq!(p("1961-XX"), Precision::Month);
        assert_eq!(p("1961-11-10"), Precision::Day);
        assert_eq!(p("1961-11-XX"), Precision::Day);
        assert!(Precision::Year < Precision::Month && Precision::Month < Precision::Day);
    }

    #[test]
    fn negative_and_zero_years() {
        round_trips("-0043");
        round_trips("0000");
        round_trips("-0043-03-15");
        assert_eq!(window("-0043"), (ymd(-43, 1, 1), ymd(-43, 12, 31)));
        assert_eq!(window("0000"), (ymd(0, 1, 1), ymd(0, 12, 31)));
        assert_eq!(window("-9999"), (ymd(-9999, 1, 1), ymd(-9999, 12, 31)));
        assert_eq!(window("9999-12-31"), (ymd(9999, 12, 31), ymd(9999, 12, 31)));
        // Year 0 is a leap year in the proleptic Gregorian calendar, -0044 too.
        assert!(Date::parse("0000-02-29").is_ok());
        assert!(Date::parse("-0044-02-29").is_ok());
    }

    #[test]
    fn leap_days() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2000-02-29").is_ok());
        assert_eq!(reason("1900-02-29"), "1900 has no february 29");
        assert_eq!(reason("-0043-02-29"), "-0043 has no february 29");
    }

    #[test]
    fn unspecified_year_digits() {
        round_trips("196X");
        round_trips("19XX");
        round_trips("1XXX");
        round_trips("XXXX");
        assert_eq!(window("196X"), (ymd(1960, 1, 1), ymd(1969, 12, 31)));
        assert_eq!(window("19XX"), (ymd(1900, 1, 1), ymd(1999, 12, 31)));
        assert_eq!(window("1XXX"), (ymd(1000, 1, 1), ymd(1999, 12, 31)));
        assert_eq!(window("XXXX"), (ymd(-9999, 1, 1), ymd(9999, 12, 31)));
        assert_eq!(window("-004X"), (ymd(-49, 1, 1), ymd(-40, 12, 31)));
        assert_eq!(window("196X-XX"), (ymd(1960, 1, 1), ymd(1969, 12, 31)));
        assert_eq!(window("196X-XX-XX"), (ymd(1960, 1, 1), ymd(1969, 12, 31)));
        round_trips("-004X");
    }

    #[test]
    fn unknown_dates() {
        for s in ["XXXX", "XXXX-XX", "XXXX-XX-XX", "XXXX?"] {
            let d = Date::parse(s).unwrap();
            assert!(d.is_unknown(), "{s}");
            round_trips(s);
        }
        assert!(!Date::parse("1XXX").unwrap().is_unknown());
        assert_eq!(reason("-XXXX"), "an unknown year has no sign");
    }

    #[test]
    fn lowercase_x_displays_uppercase() {
        let d = Date::parse("196x-xx").unwrap();
        assert_eq!(d.to_string(), "196X-XX");
        assert_eq!(d, Date::parse("196X-XX").unwrap());
        assert_eq!(Date::parse("xxxx").unwrap().to_string(), "XXXX");
    }

    #[test]
    fn unspecified_month_and_day_digits() {
        for s in [
            "1961-XX",
            "1961-1X",
            "1961-0X",
            "1961-02-XX",
            "1961-11-1X",
            "1961-12-3X",
        ] {
            round_trips(s);
        }
        assert_eq!(window("1961-XX"), (ymd(1961, 1, 1), ymd(1961, 12, 31)));
        assert_eq!(window("1961-1X"), (ymd(1961, 10, 1), ymd(1961, 12, 31)));
        assert_eq!(window("1961-0X"), (ymd(1961, 1, 1), ymd(1961, 9, 30)));
        assert_eq!(window("1961-0X-XX"), (ymd(1961, 1, 1), ymd(1961, 9, 30)));
        assert_eq!(window("1961-02-XX"), (ymd(1961, 2, 1), ymd(1961, 2, 28)));
        assert_eq!(window("2024-02-XX"), (ymd(2024, 2, 1), ymd(2024, 2, 29)));
        assert_eq!(window("1961-02-0X"), (ymd(1961, 2, 1), ymd(1961, 2, 9)));
        assert_eq!(window("1961-02-1X"), (ymd(1961, 2, 10), ymd(1961, 2, 19)));
        assert_eq!(window("1961-02-2X"), (ymd(1961, 2, 20), ymd(1961, 2, 28)));
        assert_eq!(window("1961-04-3X"), (ymd(1961, 4, 30), ymd(1961, 4, 30)));
        assert_eq!(window("1961-12-3X"), (ymd(1961, 12, 30), ymd(1961, 12, 31)));
    }

    #[test]
    fn qualifiers_parse_and_display() {
        let q = |s: &str| Date::parse(s).unwrap().qualifiers();
        assert!(q("1961").is_empty());
        assert!(q("1961~").approximate && !q("1961~").uncertain);
        assert!(!q("1961?").approximate && q("1961?").uncertain);
        assert!(q("1961%").approximate && q("1961%").uncertain);
        for s in [
            "1961~",
            "1961-11?",
            "1961-11-10%",
            "196X?",
            "XXXX~",
            "-0043%",
        ] {
            round_trips(s);
        }
        assert_eq!(window("1961-11~"), window("1961-11"));
    }

    #[test]
    fn from_str_and_from_day() {
        let d: Date = "1961-11-10".parse().unwrap();
        assert_eq!(d, Date::from_day(ymd(1961, 11, 10)));
        assert_eq!(Date::from_day(ymd(-43, 3, 15)).to_string(), "-0043-03-15");
        assert_eq!(Date::from_day(ymd(5, 1, 2)).to_string(), "0005-01-02");
        assert_eq!(Date::from_day(ymd(5, 1, 2)).precision(), Precision::Day);
        // Beyond four digits it still displays, just not as parseable EDTF.
        assert_eq!(
            Date::from_day(ymd(-10000, 1, 1)).to_string(),
            "-10000-01-01"
        );
    }

    // ---- Grammar: errors ----

    #[test]
    fn error_display() {
        let e = Date::parse("1961-13-01").unwrap_err();
        assert_eq!(e.to_string(), "'1961-13-01' is not a date (month 13)");
        assert_eq!(e.value, "1961-13-01");
        assert_eq!(
            Date::parse("1961-02-29").unwrap_err().to_string(),
            "'1961-02-29' is not a date (1961 has no february 29)"
        );
        assert_eq!(
            Date::parse("1961-02-30").unwrap_err().to_string(),
            "'1961-02-30' is not a date (february has no day 30)"
        );
        assert_eq!(
            Date::parse("-0000").unwrap_err().to_string(),
            "'-0000' is not a date (write year 0 as 0000)"
        );
        assert_eq!(
            Date::parse("").unwrap_err().to_string(),
            "'' is not a date (empty)"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().contains("month 13"));
    }

    #[test]
    fn error_reasons() {
        let cases = [
            ("", "empty"),
            ("19611", "year must have 4 digits"),
            ("196", "year must have 4 digits"),
            ("-12345", "year must have 4 digits"),
            ("-0000", "write year 0 as 0000"),
            ("1961-00-10", "month 00"),
            ("1961-13-01", "month 13"),
            ("1961-2X", "month 2X"),
            ("1961-1", "month must have 2 digits"),
            ("1961-1-5", "month must have 2 digits"),
            ("1961-01-5", "day must have 2 digits"),
            ("1961-01-005", "day must have 2 digits"),
            ("1961-02-29", "1961 has no february 29"),
            ("1961-02-30", "february has no day 30"),
            ("1961-04-31", "april has no day 31"),
            ("1961-02-3X", "february has no day 3X"),
            ("2024-02-3X", "february has no day 3X"),
            ("1961-01-00", "day 00"),
            ("1961-01-32", "day 32"),
            ("1961-01-4X", "day 4X"),
            ("1X6X", "only trailing digits of the year may be X"),
            ("X961", "only trailing digits of the year may be X"),
            ("1961-X1", "only trailing digits of the month may be X"),
            ("1961-01-X1", "only trailing digits of the day may be X"),
            ("196X-01", "month must be XX when the year has X"),
            ("196X-1X", "month must be XX when the year has X"),
            ("196X-XX-01", "day must be XX when the year has X"),
            ("1961-1X-01", "day must be XX when the month has X"),
            ("1961-XX-1X", "day must be XX when the month has X"),
            ("1961--01", "misplaced '-'"),
            ("1961-", "misplaced '-'"),
            ("--1961", "misplaced '-'"),
            ("-", "missing year"),
            ("1961-01-01-01", "too many components"),
            ("1961-11-10~?", "more than one qualifier; % means both"),
            ("~", "qualifier without a date"),
            ("1961~-11", "a qualifier goes only at the end"),
            ("1961-21-01", "season 21 has no days; write 2001-21 alone"),
            ("196X-21", "a season needs a whole year"),
            ("1961-25", "month 25"),
            (" 1961", "unexpected space"),
            ("1961 ", "unexpected space"),
            (
                "1961-11-10T00",
                "time '00' is not hh:mm:ss (00:00:00 to 23:59:59), as in 1985-04-12T23:20:30",
            ),
            ("1961/1962/1963", "an interval has one '/'"),
            ("+1961", "unexpected character '+'"),
            ("１９６１", "unexpected character '１'"),
            ("-XXXX", "an unknown year has no sign"),
        ];
        for (input, want) in cases {
            assert_eq!(reason(input), want, "input {input:?}");
            assert_eq!(Date::parse(input).unwrap_err().value, input);
        }
    }

    // ---- Properties ----

    /// Valid EDTF text built from real components, with optional X masking and qualifier.
    fn valid_date_text() -> impl Strategy<Value = String> {
        (
            -9999i32..=9999,
            1u32..=12,
            1u32..=31,
            0u8..=2,
            0usize..=4,
            0usize..=2,
            0usize..=2,
            0usize..=3,
        )
            .prop_map(|(year, month, day, parts, ymask, mmask, dmask, q)| {
                let day = day.min(days_in_month(Calendar::Gregorian, year, month));
                let mask = |text: String, n: usize| {
                    let keep = text.len() - n;
                    format!("{}{}", &text[..keep], "X".repeat(n))
                };
                let mut ymask = ymask;
                if year < 0 && ymask == 4 {
                    ymask = 3;
                }
                let mut s = String::new();
                if year < 0 {
                    s.push('-');
                }
                s.push_str(&mask(format!("{:04}", year.unsigned_abs()), ymask));
                if parts >= 1 {
                    let mmask = if ymask > 0 { 2 } else { mmask };
                    s.push('-');
                    s.push_str(&mask(format!("{month:02}"), mmask));
                    if parts == 2 {
                        let dmask = if ymask > 0 || mmask > 0 { 2 } else { dmask };
                        s.push('-');
                        s.push_str(&mask(format!("{day:02}"), dmask));
                    }
                }
                s.push_str(["", "~", "?", "%"][q]);
                s
            })
    }

    proptest! {
        #[test]
        fn prop_valid_dates_round_trip(s in valid_date_text()) {
            let d = Date::parse(&s);
            prop_assert!(d.is_ok(), "{s}: {d:?}");
            let d = d.unwrap();
            prop_assert_eq!(d.to_string(), s.clone());
            prop_assert_eq!(Date::parse(&d.to_string()), Ok(d.clone()));
            prop_assert!(d.window().earliest <= d.window().latest);
            let lower = s.to_ascii_lowercase();
            prop_assert_eq!(Date::parse(&lower), Ok(d));
        }

        #[test]
        fn prop_day_window_is_that_day(days in -3_652_059i32..=3_652_059) {
            let day = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let d = Date::parse(&Date::from_day(day).to_string()).unwrap();
            prop_assert_eq!(d.window(), Window::day(day));
            prop_assert!(d.window().contains(day));
            prop_assert!(!d.window().contains(day.succ_opt().unwrap()));
            prop_assert!(!d.window().contains(day.pred_opt().unwrap()));
            prop_assert_eq!(d, Date::from_day(day));
        }
    }
}
