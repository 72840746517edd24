//! The compact binary form of a [`Date`] in the resolve cache (`crate::store::places`).

use chrono::{Datelike, NaiveDate};

use super::{Component, Date, Qualifiers, Window};

impl Date {
    /// Appends the date in the compact binary form of the resolve cache (`crate::store::places`):
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
