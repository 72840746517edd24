//! Dates as historians write them, held as windows of days.
//!
//! This module owns parsing EDTF dates (both the dates in the data and the dates a user
//! queries with), turning them into inclusive windows of proleptic Gregorian days, and
//! converting between the Julian and Gregorian calendars. It does no I/O.
//!
//! A written date such as `196X` or `1961-02` names a span of days, not a day, so every
//! comparison happens between windows: the date lies somewhere in `[earliest, latest]`.
//! Years are astronomical (`0000` is 1 BCE, `-0043` is 44 BCE), as in EDTF and chrono.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

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
}

impl Date {
    /// Parses EDTF as found in data cells. Nothing is trimmed: the caller trims cells.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        parse_in(s, Calendar::Gregorian)
    }

    /// The Gregorian days the date may fall on.
    pub fn window(&self) -> Window {
        self.window
    }

    pub fn qualifiers(&self) -> Qualifiers {
        self.qualifiers
    }

    pub fn precision(&self) -> Precision {
        if self.day.is_some() {
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
        self.qualifiers.is_empty()
            && [Some(self.year), self.month, self.day]
                .into_iter()
                .flatten()
                .all(|c| c.unspecified == 0)
    }

    /// True for `XXXX` (and `XXXX-XX`, `XXXX-XX-XX`): the event happened, its date is unknown.
    pub fn is_unknown(&self) -> bool {
        self.year.unspecified >= 4
    }

    /// Appends the date in the compact binary form of the resolve cache (`crate::snapshot`):
    /// one flag byte, the components, and the window's two days, each as its year and
    /// day of the year packed into 32 bits.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let flags = u8::from(self.negative)
            | u8::from(self.month.is_some()) << 1
            | u8::from(self.day.is_some()) << 2
            | u8::from(self.qualifiers.approximate) << 3
            | u8::from(self.qualifiers.uncertain) << 4;
        out.push(flags);
        for c in [Some(self.year), self.month, self.day]
            .into_iter()
            .flatten()
        {
            out.extend_from_slice(&c.known.to_le_bytes());
            out.push(c.unspecified);
        }
        // Each bound as year and day of the year, packed: decoding from those is a table
        // look-up, where a count of days took a division (a few percent of a resolve).
        for d in [self.window.earliest, self.window.latest] {
            let packed = (d.year() << 9) | d.ordinal() as i32;
            out.extend_from_slice(&packed.to_le_bytes());
        }
    }

    /// Reads back what [`Date::encode`] wrote at `bytes[*at..]`, moving `at` past it;
    /// `None` for bytes it cannot have written.
    pub(crate) fn decode(bytes: &[u8], at: &mut usize) -> Option<Date> {
        let mut take = |n: usize| {
            let s = bytes.get(*at..*at + n)?;
            *at += n;
            Some(s)
        };
        let flags = take(1)?[0];
        if flags >> 5 != 0 {
            return None;
        }
        let mut component = |present: bool| -> Option<Option<Component>> {
            if !present {
                return Some(None);
            }
            let b = take(3)?;
            Some(Some(Component {
                known: u16::from_le_bytes([b[0], b[1]]),
                unspecified: b[2],
            }))
        };
        let year = component(true)??;
        let month = component(flags & 2 != 0)?;
        let day = component(flags & 4 != 0)?;
        let mut day_at = || {
            let b = take(4)?;
            let packed = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            NaiveDate::from_yo_opt(packed >> 9, (packed & 0x1ff) as u32)
        };
        let window = Window {
            earliest: day_at()?,
            latest: day_at()?,
        };
        (window.earliest <= window.latest).then_some(Date {
            negative: flags & 1 != 0,
            year,
            month,
            day,
            qualifiers: Qualifiers {
                approximate: flags & 8 != 0,
                uncertain: flags & 16 != 0,
            },
            window,
        })
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
        }
    }

    fn year_text_of(negative: bool, year: Component) -> String {
        let sign = if negative { "-" } else { "" };
        format!("{sign}{}", year.text(4))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// Parses a date given on the command line.
///
/// Accepts everything [`Date::parse`] accepts except an unknown year, plus era forms for a
/// bare year: `44 BCE`, `44BC`, `44 B.C.` (astronomical `-0043`) and `44 CE`, `44 AD`,
/// `AD 44` (`0044`), case-insensitive. Surrounding whitespace is ignored. With
/// [`Calendar::Julian`] the date is read as Julian and its window converted to Gregorian.
pub fn parse_query(s: &str, calendar: Calendar) -> Result<QueryDate, DateError> {
    let text = s.trim();
    let written = match parse_era(text, calendar)? {
        Some(date) => date,
        None => match pad_short_year(text) {
            // The message quotes the date as the user wrote it.
            Some(padded) => parse_in(&padded, calendar).map_err(|e| DateError {
                value: text.to_string(),
                ..e
            })?,
            None => parse_in(text, calendar)?,
        },
    };
    if written.is_unknown() {
        return Err(DateError::new(text, "a query date needs a year"));
    }
    Ok(QueryDate {
        window: written.window,
        written,
        calendar,
    })
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

/// Converts a Julian calendar date to the proleptic Gregorian day it names.
///
/// None if the day does not exist in the Julian calendar or lies outside chrono's range.
pub fn julian_to_gregorian(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(Calendar::Julian, year, month)
    {
        return None;
    }
    gregorian_from_jdn(julian_to_jdn(year, month, day))
}

/// The Julian calendar date (astronomical year, month, day) of a proleptic Gregorian day.
pub fn gregorian_to_julian(d: NaiveDate) -> (i32, u32, u32) {
    jdn_to_julian(jdn_of_gregorian(d))
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

// Julian Day Number of Gregorian 0000-12-31, chrono's day 0 of the common era.
const JDN_OF_CE_DAY_ZERO: i64 = 1_721_425;

fn jdn_of_gregorian(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) + JDN_OF_CE_DAY_ZERO
}

fn gregorian_from_jdn(jdn: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jdn - JDN_OF_CE_DAY_ZERO).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

// Both Julian conversions count from 1 March of year -4800 so that the leap day falls at
// the end of the counted year. Floor division (div_euclid) keeps them right for days
// before that epoch, where truncating division would be off by one.
fn julian_to_jdn(year: i32, month: u32, day: u32) -> i64 {
    let a = (14 - i64::from(month)) / 12;
    let y = i64::from(year) + 4800 - a;
    let m = i64::from(month) + 12 * a - 3;
    i64::from(day) + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - 32_083
}

fn jdn_to_julian(jdn: i64) -> (i32, u32, u32) {
    let c = jdn + 32_082;
    let cycles = (4 * c + 3).div_euclid(1461);
    let day_of_year = c - (1461 * cycles).div_euclid(4);
    let m = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = cycles - 4800 + m / 10;
    // A NaiveDate's JDN keeps the Julian year within a few hundred thousand of zero and
    // month and day are small by construction, so these conversions never saturate.
    (
        i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX }),
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

fn is_leap(calendar: Calendar, year: i32) -> bool {
    match calendar {
        Calendar::Julian => year.rem_euclid(4) == 0,
        Calendar::Gregorian => {
            year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
        }
    }
}

fn days_in_month(calendar: Calendar, year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(calendar, year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

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

fn to_gregorian(calendar: Calendar, year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    match calendar {
        Calendar::Gregorian => NaiveDate::from_ymd_opt(year, month, day),
        Calendar::Julian => julian_to_gregorian(year, month, day),
    }
}

/// Parses EDTF, validating days and computing the window in `calendar`.
fn parse_in(s: &str, calendar: Calendar) -> Result<Date, DateError> {
    parse_fields(s)
        .and_then(|fields| build(fields, calendar))
        .map_err(|reason| DateError::new(s, reason))
}

/// The syntax of a date, before any calendar check.
struct Fields<'s> {
    negative: bool,
    year: Component,
    /// With its text, for messages.
    month: Option<(Component, &'s str)>,
    day: Option<(Component, &'s str)>,
    qualifiers: Qualifiers,
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
fn build(fields: Fields, calendar: Calendar) -> Result<Date, String> {
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
    })
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
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_come_back_from_their_binary_form() {
        for text in [
            "1961",
            "1961-11",
            "1961-11-10",
            "1961~",
            "1961?",
            "1961%",
            "196X",
            "19XX",
            "1961-XX",
            "XXXX",
            "-0043",
            "0000",
            "1582-10-15",
            "9999-12-31",
        ] {
            let d = Date::parse(text).unwrap();
            let mut bytes = vec![7];
            d.encode(&mut bytes);
            let mut at = 1;
            assert_eq!(Date::decode(&bytes, &mut at), Some(d.clone()), "{text}");
            assert_eq!(at, bytes.len());
            // Cut short anywhere, it is refused, never misread.
            for end in 1..bytes.len() {
                assert_eq!(
                    Date::decode(&bytes[..end], &mut 1),
                    None,
                    "{text} cut at {end}"
                );
            }
        }
    }

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
            ("1961/1962", "intervals are not dates"),
            (" 1961", "unexpected space"),
            ("1961 ", "unexpected space"),
            ("1961-11-10T00", "unexpected character 'T'"),
            ("+1961", "unexpected character '+'"),
            ("１９６１", "unexpected character '１'"),
            ("-XXXX", "an unknown year has no sign"),
        ];
        for (input, want) in cases {
            assert_eq!(reason(input), want, "input {input:?}");
            assert_eq!(Date::parse(input).unwrap_err().value, input);
        }
    }

    // ---- Julian <-> Gregorian ----

    #[test]
    fn julian_known_pairs() {
        let pairs = [
            ((1582, 10, 4), ymd(1582, 10, 14)),
            ((1582, 10, 5), ymd(1582, 10, 15)),
            ((1918, 1, 31), ymd(1918, 2, 13)),
            ((1918, 2, 1), ymd(1918, 2, 14)),
            ((1914, 8, 18), ymd(1914, 8, 31)),
            ((1700, 2, 29), ymd(1700, 3, 11)),
            ((-43, 3, 15), ymd(-43, 3, 13)),
        ];
        for ((y, m, d), greg) in pairs {
            assert_eq!(
                julian_to_gregorian(y, m, d),
                Some(greg),
                "julian {y}-{m}-{d}"
            );
            assert_eq!(gregorian_to_julian(greg), (y, m, d), "gregorian {greg}");
        }
    }

    #[test]
    fn ides_of_march_via_jdn() {
        assert_eq!(julian_to_jdn(-43, 3, 15), 1_705_426);
        assert_eq!(jdn_to_julian(1_705_426), (-43, 3, 15));
        assert_eq!(jdn_of_gregorian(ymd(-43, 3, 13)), 1_705_426);
        assert_eq!(gregorian_from_jdn(1_705_426), Some(ymd(-43, 3, 13)));
        // JDN 0 is Julian -4712-01-01; before it, floor division matters.
        assert_eq!(julian_to_jdn(-4712, 1, 1), 0);
        assert_eq!(jdn_to_julian(0), (-4712, 1, 1));
        assert_eq!(jdn_to_julian(-1), (-4713, 12, 31));
        assert_eq!(julian_to_jdn(-4713, 12, 31), -1);
        // Astronomical -4713 is not a Julian leap year.
        assert_eq!(jdn_to_julian(-365), (-4713, 1, 1));
        assert_eq!(jdn_to_julian(-366), (-4714, 12, 31));
    }

    #[test]
    fn julian_rejects_impossible_days() {
        assert_eq!(julian_to_gregorian(1961, 2, 29), None);
        assert_eq!(julian_to_gregorian(1961, 13, 1), None);
        assert_eq!(julian_to_gregorian(1961, 0, 1), None);
        assert_eq!(julian_to_gregorian(1961, 4, 31), None);
        assert_eq!(julian_to_gregorian(1961, 4, 0), None);
        assert_eq!(julian_to_gregorian(i32::MAX, 1, 1), None);
        assert_eq!(julian_to_gregorian(i32::MIN, 1, 1), None);
        assert!(julian_to_gregorian(1900, 2, 29).is_some());
    }

    #[test]
    fn julian_round_trip_on_known_days() {
        for (y, m, d) in [
            (1582, 10, 4),
            (1700, 2, 29),
            (-43, 3, 15),
            (0, 2, 29),
            (-4713, 1, 1),
        ] {
            let g = julian_to_gregorian(y, m, d).unwrap();
            assert_eq!(gregorian_to_julian(g), (y, m, d));
        }
    }

    /// Walks the Julian calendar one day at a time, independently of the JDN formulas.
    #[test]
    fn julian_matches_day_by_day_walk() {
        let next = |(y, m, d): (i32, u32, u32)| {
            if d < days_in_month(Calendar::Julian, y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            }
        };
        let mut julian = (-1000, 1, 1);
        let mut greg = julian_to_gregorian(-1000, 1, 1).unwrap();
        while julian.0 < 2100 {
            assert_eq!(gregorian_to_julian(greg), julian);
            julian = next(julian);
            greg = greg.succ_opt().unwrap();
        }
        assert_eq!(
            julian_to_gregorian(julian.0, julian.1, julian.2),
            Some(greg)
        );
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

    #[test]
    fn query_rejects_unknown_year() {
        for s in ["XXXX", "XXXX-XX", "XXXX-XX-XX", " xxxx? "] {
            let e = parse_query(s, Calendar::Gregorian).unwrap_err();
            assert_eq!(e.reason, "a query date needs a year", "{s}");
            assert_eq!(e.value, s.trim());
        }
        let e = parse_query("XXXX", Calendar::Julian).unwrap_err();
        assert_eq!(
            e.to_string(),
            "'XXXX' is not a date (a query date needs a year)"
        );
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

        #[test]
        fn prop_julian_round_trip(jdn in -90_000_000i64..=90_000_000) {
            let g = gregorian_from_jdn(jdn).unwrap();
            let (y, m, d) = gregorian_to_julian(g);
            prop_assert_eq!(julian_to_jdn(y, m, d), jdn);
            prop_assert_eq!(julian_to_gregorian(y, m, d), Some(g));
        }

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
                    prop_assert!(!q.written.is_unknown());
                }
            }
        }
    }
}
