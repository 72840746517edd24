//! The Julian and proleptic Gregorian calendars: their months and leap years, and
//! conversion between them through Julian Day Numbers.

use chrono::{Datelike, NaiveDate};

use super::Calendar;

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

pub(super) fn days_in_month(calendar: Calendar, year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(calendar, year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub(super) fn to_gregorian(
    calendar: Calendar,
    year: i32,
    month: u32,
    day: u32,
) -> Option<NaiveDate> {
    match calendar {
        Calendar::Gregorian => NaiveDate::from_ymd_opt(year, month, day),
        Calendar::Julian => julian_to_gregorian(year, month, day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
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

    proptest! {
        #[test]
        fn prop_julian_round_trip(jdn in -90_000_000i64..=90_000_000) {
            let g = gregorian_from_jdn(jdn).unwrap();
            let (y, m, d) = gregorian_to_julian(g);
            prop_assert_eq!(julian_to_jdn(y, m, d), jdn);
            prop_assert_eq!(julian_to_gregorian(y, m, d), Some(g));
        }
    }
}
