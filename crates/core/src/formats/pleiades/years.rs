//! Pleiades years (no year 0; Julian up to 1582, Gregorian after) as Gregorian days.

use crate::date::julian_to_gregorian;
use chrono::NaiveDate;

/// The last year Pleiades' years are read in the Julian calendar; later ones are Gregorian.
pub const LAST_JULIAN_YEAR: i32 = 1582;

/// A Pleiades year bound: the year, the Gregorian day it began and the day after it ended.
/// `Ok(None)` for an empty cell.
type Bound = Option<(i32, NaiveDate, NaiveDate)>;

pub(super) fn year(text: &str) -> Result<Bound, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let y: i32 = text.parse().map_err(|_| {
        format!("'{text}' is not a year: Pleiades years are whole numbers such as -330 or 300")
    })?;
    if y == 0 {
        return Err(
            "'0' is not a year: Pleiades counts without a year 0 (-1 is 1 BC, 1 is AD 1)"
                .to_string(),
        );
    }
    if y.abs() > 9999 {
        return Err(format!(
            "'{text}' is beyond the four-digit years our dates can write"
        ));
    }
    let (from, until) = year_days(y)
        .ok_or_else(|| format!("'{text}' is beyond the four-digit years our dates can write"))?;
    Ok(Some((y, from, until)))
}

/// The astronomical number of a year counted without a year 0: 1 BC is 0, 330 BC is -329.
pub fn astronomical(y: i32) -> i32 {
    if y < 0 { y + 1 } else { y }
}

/// The Gregorian day on which Pleiades year `y` (no year 0) began, and the day after it
/// ended: the Julian year up to [`LAST_JULIAN_YEAR`], the Gregorian year after it.
pub fn year_days(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    let a = astronomical(y);
    if a <= LAST_JULIAN_YEAR {
        let first = julian_to_gregorian(a, 1, 1)?;
        let after = julian_to_gregorian(a, 12, 31)?.succ_opt()?;
        Some((first, after))
    } else {
        Some((
            NaiveDate::from_ymd_opt(a, 1, 1)?,
            NaiveDate::from_ymd_opt(a.checked_add(1)?, 1, 1)?,
        ))
    }
}

/// The note that says which Pleiades years the dates came from, and how they were read.
pub(super) fn years_note(after: Option<i32>, before: Option<i32>) -> Option<String> {
    let years: Vec<i32> = [after, before].into_iter().flatten().collect();
    let julian = years
        .iter()
        .filter(|&&y| astronomical(y) <= LAST_JULIAN_YEAR)
        .count();
    let calendar = match julian {
        0 => "whole years",
        n if n == years.len() => "whole Julian years",
        _ => "whole years, Julian to 1582",
    };
    let bc = if years.iter().any(|&y| y < 0) {
        ", negative is BC"
    } else {
        ""
    };
    let span = match (after, before) {
        (Some(a), Some(b)) => format!("after {a}, before {b}"),
        (Some(a), None) => format!("after {a}"),
        (None, Some(b)) => format!("before {b}"),
        (None, None) => return None,
    };
    Some(format!("Pleiades: {span} ({calendar}{bc})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_convert_to_astronomical_numbering_and_julian_days() {
        assert_eq!(astronomical(-330), -329);
        assert_eq!(astronomical(-1), 0);
        assert_eq!(astronomical(1), 1);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Julian 1 January 330 BC fell on Gregorian 27 December of 331 BC (-0330): five
        // days behind, as the Julian calendar had leapt in -300, -200 and -100.
        assert_eq!(
            year_days(-330),
            Some((day("-0330-12-27"), day("-0329-12-27")))
        );
        // The calendars agree from March 200 to February 300; 300 is leap only in the
        // Julian calendar, so its last day is Gregorian 1 January 301.
        assert_eq!(year_days(300), Some((day("0300-01-01"), day("0301-01-02"))));
        assert_eq!(year_days(1), Some((day("0000-12-30"), day("0001-12-30"))));
        assert_eq!(year_days(-1), Some((day("-0001-12-30"), day("0000-12-30"))));
        // From 1583 the years are Gregorian.
        assert_eq!(
            year_days(1582),
            Some((day("1582-01-11"), day("1583-01-11")))
        );
        assert_eq!(
            year_days(1700),
            Some((day("1700-01-01"), day("1701-01-01")))
        );
    }

    #[test]
    fn the_note_says_which_years_and_calendar() {
        let note = |a, b| years_note(a, b).unwrap_or_default();
        assert_eq!(
            note(Some(1700), Some(2100)),
            "Pleiades: after 1700, before 2100 (whole years)"
        );
        assert_eq!(
            note(Some(1500), Some(1700)),
            "Pleiades: after 1500, before 1700 (whole years, Julian to 1582)"
        );
        assert_eq!(
            note(None, Some(-30)),
            "Pleiades: before -30 (whole Julian years, negative is BC)"
        );
        assert_eq!(note(None, None), "");
    }
}
