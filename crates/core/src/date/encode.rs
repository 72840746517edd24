//! The compact binary form of a [`Date`] in the resolve cache (`crate::store::places`).

use chrono::{Datelike, NaiveDate};

use super::{Component, Date, Qualifiers, Window};

impl Date {
    /// Appends the date in the compact binary form of the resolve cache (`crate::store::places`):
    /// one flag byte, the components, and the window's two days, each as its year and
    /// day of the year packed into 32 bits.
    ///
    /// A form the components cannot hold (an interval, a long year, a date-time) is its
    /// text instead, behind flag bit 5, and is parsed again when read back: such dates
    /// are rare, and their text is what defines them.
    ///
    /// Most dates are plain (`1961`, `1961-11`, `1961-11-10`: no unspecified digit, no
    /// sign, their window the days they name): those are flag bit 6, the year in two
    /// bytes and the month and day in one each, and the window is computed again when
    /// read back. That is 3 to 5 bytes where the general form takes 12 to 18; dates were
    /// a quarter of a store (#17: the store no bigger than the CSV).
    pub fn encode(&self, out: &mut Vec<u8>) {
        if let Some(text) = &self.extended {
            out.push(1 << 5);
            // A cell's date is far shorter than 64 KiB; a longer one could not parse.
            let len = u16::try_from(text.len()).unwrap_or(u16::MAX);
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&text.as_bytes()[..usize::from(len)]);
            return;
        }
        let flags = u8::from(self.negative)
            | u8::from(self.month.is_some()) << 1
            | u8::from(self.day.is_some()) << 2
            | u8::from(self.qualifiers.approximate) << 3
            | u8::from(self.qualifiers.uncertain) << 4;
        let plain = !self.negative
            && [Some(self.year), self.month, self.day]
                .into_iter()
                .flatten()
                .all(|c| c.unspecified == 0)
            && plain_window(
                self.year.known,
                self.month.map(|c| c.known),
                self.day.map(|c| c.known),
            ) == Some(self.window);
        if plain {
            out.push(flags | 1 << 6);
            out.extend_from_slice(&self.year.known.to_le_bytes());
            // Months and days of a valid date fit in a byte.
            for c in [self.month, self.day].into_iter().flatten() {
                out.push(u8::try_from(c.known).unwrap_or(u8::MAX));
            }
            return;
        }
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

    /// A year, month or day of the Gregorian calendar with all its digits known
    /// (`1961`, `1961-11`, `1961-11-10`, with `qualifiers`): what [`Date::parse`] makes
    /// of its text. `None` when there is no such day (or month; a day needs its month).
    pub(crate) fn plain(
        year: u16,
        month: Option<u16>,
        day: Option<u16>,
        qualifiers: Qualifiers,
    ) -> Option<Date> {
        let window = plain_window(year, month, day)?;
        let exact = |known| Component {
            known,
            unspecified: 0,
        };
        Some(Date {
            negative: false,
            year: exact(year),
            month: month.map(exact),
            day: day.map(exact),
            qualifiers,
            window,
            extended: None,
        })
    }

    /// Reads back what [`Date::encode`] wrote at `bytes[*at..]`, moving `at` past it;
    /// `None` for bytes it cannot have written.
    pub fn decode(bytes: &[u8], at: &mut usize) -> Option<Date> {
        let mut take = |n: usize| {
            let s = bytes.get(*at..*at + n)?;
            *at += n;
            Some(s)
        };
        let flags = take(1)?[0];
        if flags == 1 << 5 {
            let b = take(2)?;
            let len = usize::from(u16::from_le_bytes([b[0], b[1]]));
            let text = std::str::from_utf8(take(len)?).ok()?;
            return Date::parse(text).ok().filter(|d| d.extended.is_some());
        }
        if flags & (1 << 6) != 0 {
            // The plain form: never negative, nothing else in the high bits.
            if flags & 1 != 0 || flags >> 7 != 0 || flags & (1 << 5) != 0 {
                return None;
            }
            let b = take(2)?;
            let year = u16::from_le_bytes([b[0], b[1]]);
            let month = if flags & 2 != 0 {
                Some(u16::from(take(1)?[0]))
            } else {
                None
            };
            let day = if flags & 4 != 0 {
                Some(u16::from(take(1)?[0]))
            } else {
                None
            };
            // A day without a month is no date this form writes.
            if day.is_some() && month.is_none() {
                return None;
            }
            let qualifiers = Qualifiers {
                approximate: flags & 8 != 0,
                uncertain: flags & 16 != 0,
            };
            return Date::plain(year, month, day, qualifiers);
        }
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
            extended: None,
        })
    }
}

/// The days a plain year, month or day names: a whole year, a whole month, or the day;
/// `None` where no such day exists.
fn plain_window(year: u16, month: Option<u16>, day: Option<u16>) -> Option<Window> {
    // Days of the year before each month, in a common year.
    const BEFORE: [u16; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    // The year's kind is worked out once, for its first day; both bounds reuse it.
    let first_day = NaiveDate::from_yo_opt(i32::from(year), 1)?;
    let leap = first_day.leap_year();
    // The day of the year of day `d` of month `m`, when there is such a day. (Through
    // the day of the year: chrono's from_ymd_opt took a few percent of a resolve.)
    let ordinal = |m: u16, d: u16| -> Option<u32> {
        let m = usize::from(m);
        let extra = |m: usize| u16::from(leap && m >= 2);
        let first = BEFORE.get(m.checked_sub(1)?)? + extra(m - 1);
        let last = BEFORE.get(m)? + extra(m);
        (d >= 1 && first + d <= last).then_some(u32::from(first + d))
    };
    let year_days = if leap { 366 } else { 365 };
    let (earliest, latest) = match (month, day) {
        (None, None) => (1, year_days),
        (Some(m), None) => {
            let first = ordinal(m, 1)?;
            let next = if m == 12 {
                year_days + 1
            } else {
                ordinal(m + 1, 1)?
            };
            (first, next - 1)
        }
        (Some(m), Some(d)) => {
            let o = ordinal(m, d)?;
            (o, o)
        }
        (None, Some(_)) => return None,
    };
    let at = |o: u32| chrono::Datelike::with_ordinal(&first_day, o);
    Some(Window {
        earliest: at(earliest)?,
        latest: at(latest)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window of every year, month and day number (valid or not) of a few thousand
    /// years, as chrono's calendar gives it.
    #[test]
    fn plain_windows_are_chronos() {
        let by_chrono = |year: u16, month: Option<u16>, day: Option<u16>| {
            let year = i32::from(year);
            let earliest = NaiveDate::from_ymd_opt(
                year,
                u32::from(month.unwrap_or(1)),
                u32::from(day.unwrap_or(1)),
            )?;
            let latest = match (month, day) {
                (_, Some(_)) => earliest,
                (Some(12), None) | (None, None) => NaiveDate::from_ymd_opt(year, 12, 31)?,
                (Some(m), None) => {
                    NaiveDate::from_ymd_opt(year, u32::from(m) + 1, 1)?.pred_opt()?
                }
            };
            Some(Window { earliest, latest })
        };
        let months = || std::iter::once(None).chain((0..=14).map(Some));
        let days = || std::iter::once(None).chain((0..=33).map(Some));
        for year in (0..=2400).chain([4000, 9999, 10000, 65535]) {
            // (A day needs its month: the binary form never holds one without.)
            let dates = months().flat_map(|m| {
                days()
                    .filter(move |d| m.is_some() || d.is_none())
                    .map(move |d| (m, d))
            });
            for (m, d) in dates {
                assert_eq!(
                    plain_window(year, m, d),
                    by_chrono(year, m, d),
                    "{year}-{m:?}-{d:?}"
                );
            }
        }
    }

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
            // #20: seasons, intervals, long years, date-times, Julian escapes.
            "2001-21",
            "2001-24~",
            "1964/2008",
            "../1985",
            "1985-04/",
            "Y170002",
            "1985-04-12T23:20:30+04:00",
            "@#DJULIAN@ 12 MAR 1890",
        ] {
            let d = Date::parse(text).unwrap();
            let mut bytes = vec![7];
            d.encode(&mut bytes);
            let mut at = 1;
            assert_eq!(Date::decode(&bytes, &mut at), Some(d.clone()), "{text}");
            assert_eq!(at, bytes.len());
            // The plain dates take their short form.
            if let Some(len) = match text {
                "1961" | "0000" => Some(3),
                "1961-11" => Some(4),
                "1961-11-10" | "1582-10-15" | "9999-12-31" => Some(5),
                _ => None,
            } {
                assert_eq!(bytes.len() - 1, len, "{text}");
            }
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
}
