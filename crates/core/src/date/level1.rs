//! EDTF's forms beyond one year, month, season or day: intervals (`1964/2008`, with open
//! `..` and unknown empty ends), long years (`Y170000002`) and date-times
//! (`1985-04-12T23:20:30Z`). Each becomes one window; its text is kept as written
//! (upper-cased `X`), since the components of `Date` cannot hold it.

use chrono::{Datelike, NaiveDate};

use super::calendar::to_gregorian;
use super::{Calendar, Component, Date, DateError, Qualifiers, Window};

/// Reads one date of the forms `edtf` reads (through `single`, which may be more lenient
/// for queries), or an interval of two of them, a long year or a date-time.
pub(super) fn parse_edtf(
    s: &str,
    calendar: Calendar,
    single: &dyn Fn(&str, Calendar) -> Result<Date, DateError>,
) -> Result<Date, DateError> {
    let fail = |reason: String| DateError::new(s, reason);
    if let Some((from, to)) = s.split_once('/') {
        return interval(from, to, calendar, single).map_err(fail);
    }
    if let Some(rest) = s.strip_prefix('Y') {
        return long_year(rest, calendar).map_err(fail);
    }
    if let Some((day, time)) = s.split_once('T') {
        return date_time(day, time, calendar, single).map_err(fail);
    }
    single(s, calendar)
}

/// One end of an interval: a date, `..` (open: no limit that way) or empty (unknown).
enum End {
    Date(Date),
    Open,
    Unknown,
}

fn interval(
    from: &str,
    to: &str,
    calendar: Calendar,
    single: &dyn Fn(&str, Calendar) -> Result<Date, DateError>,
) -> Result<Date, String> {
    if to.contains('/') {
        return Err("an interval has one '/'".to_string());
    }
    let end = |text: &str, which: &str| -> Result<End, String> {
        Ok(match text {
            ".." => End::Open,
            "" => End::Unknown,
            t if t.contains('T') => {
                return Err(format!(
                    "the {which} of an interval is a date, without a time"
                ));
            }
            t => End::Date(
                parse_edtf(t, calendar, single)
                    .map_err(|e| format!("its {which} '{t}': {}", e.reason))?,
            ),
        })
    };
    let (first, last) = (end(from, "start")?, end(to, "end")?);
    let mut qualifiers = Qualifiers::default();
    let mut text = String::new();
    let mut bound = |e: &End, text: &mut String| match e {
        End::Date(d) => {
            qualifiers = qualifiers.merge(d.qualifiers);
            text.push_str(&d.to_string());
        }
        End::Open => text.push_str(".."),
        End::Unknown => {}
    };
    bound(&first, &mut text);
    text.push('/');
    bound(&last, &mut text);
    let earliest = match &first {
        End::Date(d) => d.window.earliest,
        End::Open | End::Unknown => NaiveDate::MIN,
    };
    let latest = match &last {
        End::Date(d) => d.window.latest,
        End::Open | End::Unknown => NaiveDate::MAX,
    };
    if !matches!(first, End::Date(_)) && !matches!(last, End::Date(_)) {
        return Err("an interval needs a date at one end at least".to_string());
    }
    if let (End::Date(a), End::Date(b)) = (&first, &last)
        && a.window.earliest > b.window.latest
    {
        return Err(format!("the interval ends ({b}) before it starts ({a})"));
    }
    Ok(Date {
        negative: false,
        year: Component::exact(0),
        month: None,
        day: None,
        qualifiers,
        window: Window { earliest, latest },
        extended: Some(text.into()),
    })
}

/// `Y` and a year of more than four digits (EDTF level 1), as a whole year.
fn long_year(rest: &str, calendar: Calendar) -> Result<Date, String> {
    let (negative, digits) = match rest.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, rest),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("a Y year is digits only, such as Y170000002 or Y-170000002".to_string());
    }
    if digits.len() <= 4 || digits.starts_with('0') {
        return Err(
            "a Y year has more than four digits (write a shorter year plainly)".to_string(),
        );
    }
    let (first, last) = (NaiveDate::MIN.year(), NaiveDate::MAX.year());
    let year = digits
        .parse::<i32>()
        .ok()
        .map(|y| if negative { -y } else { y })
        .filter(|y| (first..=last).contains(y));
    let window = year.and_then(|y| {
        Some(Window {
            earliest: to_gregorian(calendar, y, 1, 1)?,
            latest: to_gregorian(calendar, y, 12, 31)?,
        })
    });
    let Some(window) = window else {
        let sign = if negative { "-" } else { "" };
        return Err(format!(
            "year {sign}{digits} is valid EDTF, but beyond the years gazetteer can compare \
             ({first} to {last})"
        ));
    };
    Ok(Date {
        negative,
        year: Component::exact(0),
        month: None,
        day: None,
        qualifiers: Qualifiers::default(),
        window,
        extended: Some(format!("Y{rest}").into()),
    })
}

/// A day and a time (EDTF level 0): the window is the day as written. A zone (`Z`,
/// `+04:00`, `-04`) says where the clock was; EDTF dates a time by that local day, so the
/// day is not moved to UTC.
fn date_time(
    day: &str,
    time: &str,
    calendar: Calendar,
    single: &dyn Fn(&str, Calendar) -> Result<Date, DateError>,
) -> Result<Date, String> {
    let date = single(day, calendar).map_err(|e| e.reason)?;
    if date.day.is_none() || !date.is_plain() {
        return Err("a time goes with a whole day, such as 1985-04-12T23:20:30".to_string());
    }
    let clock = |t: &str, max: &[u32]| -> bool {
        let parts: Vec<&str> = t.split(':').collect();
        parts.len() == max.len()
            && parts.iter().zip(max).all(|(p, &m)| {
                p.len() == 2
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|v| v <= m)
            })
    };
    let (hms, zone) = match time.find(['Z', '+', '-']) {
        Some(at) => time.split_at(at),
        None => (time, ""),
    };
    if !clock(hms, &[23, 59, 59]) {
        return Err(format!(
            "time '{hms}' is not hh:mm:ss (00:00:00 to 23:59:59), as in 1985-04-12T23:20:30"
        ));
    }
    let zone_ok = match zone {
        "" | "Z" => true,
        z => {
            let offset = &z[1..];
            clock(offset, &[14]) || clock(offset, &[14, 59])
        }
    };
    if !zone_ok {
        return Err(format!("zone '{zone}' is not Z, +hh or +hh:mm"));
    }
    Ok(Date {
        extended: Some(format!("{date}T{time}").into()),
        ..date
    })
}

#[cfg(test)]
mod tests {
    use super::super::edtf::parse_in;
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(s: &str) -> Result<Date, DateError> {
        parse_edtf(s, Calendar::Gregorian, &parse_in)
    }

    #[test]
    fn intervals_are_the_span_of_their_ends() {
        let w = parse("1964/2008").unwrap().window();
        assert_eq!((w.earliest, w.latest), (ymd(1964, 1, 1), ymd(2008, 12, 31)));
        let w = parse("2004-02-01/2005-02").unwrap().window();
        assert_eq!((w.earliest, w.latest), (ymd(2004, 2, 1), ymd(2005, 2, 28)));
        let w = parse("../1985-04-12").unwrap().window();
        assert_eq!((w.earliest, w.latest), (NaiveDate::MIN, ymd(1985, 4, 12)));
        let w = parse("1985/").unwrap().window();
        assert_eq!((w.earliest, w.latest), (ymd(1985, 1, 1), NaiveDate::MAX));
        assert!(parse("1984~/2004?").unwrap().qualifiers().approximate);
        assert!(parse("1984~/2004?").unwrap().qualifiers().uncertain);
        assert_eq!(parse("196x/197X").unwrap().to_string(), "196X/197X");
        let r = |s: &str| parse(s).unwrap_err().reason;
        assert_eq!(
            r("2008/1964"),
            "the interval ends (1964) before it starts (2008)"
        );
        assert_eq!(r("../.."), "an interval needs a date at one end at least");
        assert_eq!(r("/"), "an interval needs a date at one end at least");
        assert_eq!(r("1964/2008/2010"), "an interval has one '/'");
        assert_eq!(r("1964/2008-13"), "its end '2008-13': month 13");
    }

    #[test]
    fn long_years_within_reach_are_whole_years() {
        let w = parse("Y17000").unwrap().window();
        assert_eq!(
            (w.earliest, w.latest),
            (ymd(17000, 1, 1), ymd(17000, 12, 31))
        );
        let w = parse("Y-17000").unwrap().window();
        assert_eq!(w.earliest, ymd(-17000, 1, 1));
        let r = parse("Y170000002").unwrap_err().reason;
        assert!(
            r.starts_with("year 170000002 is valid EDTF, but beyond"),
            "{r}"
        );
        assert!(parse("Y-170000002").unwrap_err().reason.contains("beyond"));
        assert!(parse("Y1985").is_err());
        assert!(parse("Y017000").is_err());
        assert!(parse("Y17000~").is_err());
    }

    #[test]
    fn date_times_are_their_day() {
        for s in [
            "1985-04-12T23:20:30",
            "1985-04-12T23:20:30Z",
            "1985-04-12T23:20:30+04:00",
            "1985-04-12T23:20:30-04",
        ] {
            let d = parse(s).unwrap();
            assert_eq!(d.window(), Window::day(ymd(1985, 4, 12)), "{s}");
            assert_eq!(d.to_string(), s);
        }
        for s in [
            "1985-04-12T24:00:00",
            "1985-04-12T23:20",
            "1985-04T23:20:30",
            "1985-04-12~T23:20:30",
            "1985-04-12T23:20:30+4",
            "1985-04-12T23:20:30.5",
            "1985-04-12T",
        ] {
            assert!(parse(s).is_err(), "{s}");
        }
    }
}
