//! Dates as historians write them, held as windows of days.
//!
//! This module owns parsing EDTF dates (both the dates in the data and the dates a user
//! queries with), turning them into inclusive windows of proleptic Gregorian days, and
//! converting between the Julian and Gregorian calendars. It does no I/O.
//!
//! A written date such as `196X` or `1961-02` names a span of days, not a day, so every
//! comparison happens between windows: the date lies somewhere in `[earliest, latest]`.
//! Years are astronomical (`0000` is 1 BCE, `-0043` is 44 BCE), as in EDTF and chrono.
//!
//! The model is here; `edtf` reads the written form of one year, month, season or day,
//! `level1` the rest of EDTF levels 0 and 1 (intervals, long years, date-times),
//! `records` the forms of genealogy and of records (`ABT 1890`, `12.03.1890`), `calendar`
//! converts between the calendars, `query` reads the dates of the command line and
//! `encode` is the binary form.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

mod calendar;
mod edtf;
mod encode;
mod level1;
mod query;
mod records;
#[cfg(test)]
mod spec;

pub use calendar::{gregorian_to_julian, julian_to_gregorian};
pub use query::{QueryDate, parse_query, parse_query_in};

/// How a date is read when its day and month are both numbers (`03/12/1890`): no rule
/// tells them apart, so the user says (`--date-order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Day, month, year: 03/12/1890 is 3 December 1890.
    Dmy,
    /// Month, day, year: 03/12/1890 is 12 March 1890.
    Mdy,
}

/// The written forms a date may take, for messages about one that is none of them.
pub const ACCEPTED_FORMS: &str = "dates are EDTF (1958, 1958-06, 1958-06-01, 196X, 1958~, \
     1958?, 1914/1918, ../1900, 2001-21 for spring, 1985-04-12T23:20:30) or written as \
     genealogy and records do (ABT 1890, BEF 1900, AFT 1900, BET 1890 AND 1895, \
     12 MAR 1890, @#DJULIAN@ 12 MAR 1890, 1750/51, 18 August 1914, August 18, 1914, \
     12.03.1890, c. 1850, 1930s, Spring 1950); README \"Dates\" lists them all";

/// An inclusive window of proleptic Gregorian days: the date lies somewhere in [earliest, latest].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

impl Window {
    /// A window of exactly one day.
    pub fn day(d: NaiveDate) -> Window {
        Window {
            earliest: d,
            latest: d,
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.earliest <= d && d <= self.latest
    }

    pub fn is_day(&self) -> bool {
        self.earliest == self.latest
    }
}

/// EDTF level 1 qualifiers; they apply to the whole date, not to one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Qualifiers {
    pub approximate: bool,
    pub uncertain: bool,
}

impl Qualifiers {
    pub fn is_empty(&self) -> bool {
        !self.approximate && !self.uncertain
    }

    /// Either side's doubt carries over: a result built from a doubtful date is doubtful.
    pub fn merge(self, other: Qualifiers) -> Qualifiers {
        Qualifiers {
            approximate: self.approximate || other.approximate,
            uncertain: self.uncertain || other.uncertain,
        }
    }

    fn suffix(self) -> &'static str {
        match (self.approximate, self.uncertain) {
            (true, true) => "%",
            (true, false) => "~",
            (false, true) => "?",
            (false, false) => "",
        }
    }

    fn from_suffix(c: char) -> Option<Qualifiers> {
        match c {
            '~' => Some(Qualifiers {
                approximate: true,
                uncertain: false,
            }),
            '?' => Some(Qualifiers {
                approximate: false,
                uncertain: true,
            }),
            '%' => Some(Qualifiers {
                approximate: true,
                uncertain: true,
            }),
            _ => None,
        }
    }
}

/// The most specific component written, whether or not its digits are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// The calendar a written date is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Calendar {
    #[default]
    Gregorian,
    Julian,
}

/// One written component: its known leading digits and how many trailing digits are `X`.
///
/// EDTF only lets unspecified digits trail, so a prefix value plus a count is enough to
/// both reproduce the text and compute the range of values it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Component {
    /// At most 9999 (four digits): 16 bits keep a date small, which matters at millions of names.
    known: u16,
    unspecified: u8,
}

impl Component {
    fn exact(value: u32) -> Component {
        Component {
            // Only `from_day` passes values beyond four digits; they saturate (see there).
            known: u16::try_from(value).unwrap_or(u16::MAX),
            unspecified: 0,
        }
    }

    /// The smallest and largest values the written digits allow, before calendar limits.
    fn range(self) -> (u32, u32) {
        let scale = 10u32.pow(u32::from(self.unspecified));
        let lo = u32::from(self.known) * scale;
        (lo, lo + scale - 1)
    }

    fn write(self, f: &mut impl fmt::Write, width: usize) -> fmt::Result {
        let unspecified = usize::from(self.unspecified);
        if unspecified < width {
            // The digits by hand, zero-padded to the width: `resolve` writes dates for
            // every row, and the formatting machinery was a tenth of its time.
            let mut digits = [b'0'; 8];
            let mut at = digits.len();
            let mut value = self.known;
            while value > 0 || at > digits.len() - (width - unspecified) {
                at -= 1;
                digits[at] = b'0' + (value % 10) as u8;
                value /= 10;
            }
            // ASCII digits only.
            f.write_str(std::str::from_utf8(&digits[at..]).unwrap_or_default())?;
        }
        for _ in 0..unspecified.min(width) {
            f.write_char('X')?;
        }
        Ok(())
    }

    fn text(self, width: usize) -> String {
        let mut s = String::new();
        // Writing into a String cannot fail.
        let _ = self.write(&mut s, width);
        s
    }
}

/// A date as written in EDTF level 0 plus parts of level 1.
///
/// The window is computed once at parse time so that `window()` cannot fail later.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Date {
    negative: bool,
    year: Component,
    month: Option<Component>,
    day: Option<Component>,
    qualifiers: Qualifiers,
    window: Window,
    /// The text of a form the components cannot hold (an interval, a long year, a
    /// date-time, a Julian date from a GEDCOM escape): what `Display` writes, and what
    /// reads back as this date. `None` for a year, month, season or day.
    extended: Option<Box<Extended>>,
}

/// The text of an extended form. Boxed twice so that a `Date` grows by one pointer, not
/// two: most dates have none, and a name holds two dates (#20).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Extended(Box<str>);

impl From<String> for Box<Extended> {
    fn from(text: String) -> Self {
        Box::new(Extended(text.into_boxed_str()))
    }
}

impl std::ops::Deref for Extended {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Date {
    /// Parses a date as found in data cells: EDTF levels 0 and 1, or one of the forms
    /// of genealogy and records (`ABT 1890`), which becomes its EDTF equivalent. Nothing
    /// is trimmed: the caller trims cells.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        match Date::plain_digits(s) {
            Some(date) => Ok(date),
            None => Date::parse_text(s),
        }
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` in ASCII digits, naming a Gregorian month or
    /// day, perhaps with one qualifier (`~`, `?`, `%`): most dates of data files and of
    /// `resolve`'s rows, read here without the parsers in turn (a few percent of reading
    /// a big file, and of a resolve). `None` for anything else, which the parsers read, or
    /// explain; tests check that they read these texts the same.
    pub(crate) fn plain_digits(text: &str) -> Option<Date> {
        let (text, qualifiers) = match text.as_bytes().last() {
            Some(&c) if !c.is_ascii_digit() => {
                // (An ASCII qualifier, so the text before it ends on a character.)
                let qualifiers = Qualifiers::from_suffix(char::from(c))?;
                (&text[..text.len() - 1], qualifiers)
            }
            _ => (text, Qualifiers::default()),
        };
        let b = text.as_bytes();
        let number = |at: usize, len: usize| -> Option<u16> {
            b.get(at..at + len)?.iter().try_fold(0u16, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
            })
        };
        let dash = |at: usize| b.get(at) == Some(&b'-');
        let year = number(0, 4)?;
        let (month, day) = match b.len() {
            4 => (None, None),
            7 if dash(4) => (Some(number(5, 2)?), None),
            10 if dash(4) && dash(7) => (Some(number(5, 2)?), Some(number(8, 2)?)),
            _ => return None,
        };
        // Months 21 to 41 are EDTF's seasons and quarters: the parser reads those.
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return None;
        }
        Date::plain(year, month, day, qualifiers)
    }

    /// [`Date::parse`] by the parsers alone.
    fn parse_text(s: &str) -> Result<Date, DateError> {
        level1::parse_edtf(s, Calendar::Gregorian, &edtf::parse_in).or_else(|e| {
            match records::read(s, records::Order::Refuse) {
                None => Err(e),
                Some(Err(reason)) => Err(DateError::new(s, reason)),
                Some(Ok(reading)) => {
                    let calendar = reading.calendar.unwrap_or_default();
                    let mut date = level1::parse_edtf(&reading.edtf, calendar, &edtf::parse_in)
                        .map_err(|inner| DateError::new(s, inner.reason))?;
                    if calendar == Calendar::Julian {
                        // No EDTF text says Julian: the normalised form is kept.
                        date.extended = Some(reading.normalised.into());
                    }
                    Ok(date)
                }
            }
        })
    }

    /// The Gregorian days the date may fall on.
    pub fn window(&self) -> Window {
        self.window
    }

    pub fn qualifiers(&self) -> Qualifiers {
        self.qualifiers
    }

    pub fn precision(&self) -> Precision {
        if self.extended.is_some() {
            // An interval or a date-time: only its window says how precise it is.
            if self.window.is_day() {
                Precision::Day
            } else {
                Precision::Year
            }
        } else if self.day.is_some() {
            Precision::Day
        } else if self.month.is_some() {
            Precision::Month
        } else {
            Precision::Year
        }
    }

    /// A year, month or day written plainly: no `~`/`?`/`%` and no `X` digits (what other
    /// formats can write as it is, without a window).
    pub fn is_plain(&self) -> bool {
        self.extended.is_none()
            && self.month.is_none_or(|m| m.known <= 12)
            && self.qualifiers.is_empty()
            && [Some(self.year), self.month, self.day]
                .into_iter()
                .flatten()
                .all(|c| c.unspecified == 0)
    }

    /// True for `XXXX` (and `XXXX-XX`, `XXXX-XX-XX`): the event happened, its date is unknown.
    pub fn is_unknown(&self) -> bool {
        self.extended.is_none() && self.year.unspecified >= 4
    }

    /// A plain day-precision date.
    ///
    /// chrono reaches far beyond the four-digit years EDTF level 0 can write; such a day
    /// still displays (with more digits), but that text will not parse back.
    pub fn from_day(d: NaiveDate) -> Date {
        let year = d.year();
        Date {
            negative: year < 0,
            year: Component::exact(year.unsigned_abs()),
            month: Some(Component::exact(d.month())),
            day: Some(Component::exact(d.day())),
            qualifiers: Qualifiers::default(),
            window: Window::day(d),
            extended: None,
        }
    }

    fn year_text_of(negative: bool, year: Component) -> String {
        let sign = if negative { "-" } else { "" };
        format!("{sign}{}", year.text(4))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl Date {
    /// Writes the date as `Display` does, into any writer: into a `String`, with no
    /// formatter between (`resolve` writes two dates for most rows).
    pub fn write_to(&self, f: &mut impl fmt::Write) -> fmt::Result {
        if let Some(text) = &self.extended {
            return f.write_str(text);
        }
        if self.negative {
            f.write_str("-")?;
        }
        self.year.write(f, 4)?;
        if let Some(month) = self.month {
            f.write_str("-")?;
            month.write(f, 2)?;
        }
        if let Some(day) = self.day {
            f.write_str("-")?;
            day.write(f, 2)?;
        }
        f.write_str(self.qualifiers.suffix())
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

/// Why a string is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub value: String,
    pub reason: String,
}

impl DateError {
    fn new(value: &str, reason: impl Into<String>) -> DateError {
        DateError {
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a date ({})", self.value, self.reason)
    }
}

impl std::error::Error for DateError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // ---- Window, Qualifiers ----

    #[test]
    fn window_basics() {
        let w = Window::day(ymd(1961, 11, 10));
        assert!(w.is_day());
        assert!(w.contains(ymd(1961, 11, 10)));
        assert!(!w.contains(ymd(1961, 11, 11)));
        let w = Date::parse("1961").unwrap().window();
        assert!(!w.is_day());
        assert!(w.contains(ymd(1961, 6, 1)));
        assert!(!w.contains(ymd(1962, 1, 1)));
    }

    /// A date stays small: it is held twice per name, at millions of names.
    #[test]
    fn a_date_is_small() {
        assert!(
            std::mem::size_of::<Date>() <= 40,
            "{}",
            std::mem::size_of::<Date>()
        );
        assert_eq!(
            std::mem::size_of::<Option<Date>>(),
            std::mem::size_of::<Date>()
        );
    }

    #[test]
    fn qualifiers_merge_and_empty() {
        let a = Qualifiers {
            approximate: true,
            uncertain: false,
        };
        let u = Qualifiers {
            approximate: false,
            uncertain: true,
        };
        assert!(Qualifiers::default().is_empty());
        assert!(!a.is_empty());
        assert_eq!(
            a.merge(u),
            Qualifiers {
                approximate: true,
                uncertain: true
            }
        );
        assert_eq!(a.merge(Qualifiers::default()), a);
    }
}
