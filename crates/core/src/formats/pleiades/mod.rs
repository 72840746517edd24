//! Pleiades in: the GIS export's `names.csv` (one row per name of an ancient place), joined
//! to its `places.csv` for coordinates, becomes rows of our schema offered to a sink like
//! the rows of a CSV file.
//!
//! Owns the mapping from Pleiades to rows; validation stays in `validate`. It reads both
//! files as streams, `places.csv` first into a map of what it needs (coordinates and
//! whether they are rough), then one `names.csv` record at a time. Columns are found by
//! their header names; a message names the Pleiades file, the record's line and column.
//!
//! For each name, one row:
//! - `place_id` `pleiades:<place_id>`; `name` the attested form (trimmed), else
//!   `romanized_form_1`. When the attested form is in a script other than Latin and a
//!   romanized form exists, a second row gives `romanized_form_1` as a `variant`, with the
//!   same dates and `lang` the tag with the script `Latn` (`he` → `he-Latn`, `egy-Egyd` →
//!   `egy-Latn`), so that a name typed in Latin letters finds the place and says which
//!   script it is in. Other romanized forms go into the note.
//! - `lang` the `language_tag` (left empty, and kept in the note, when it is not a BCP 47
//!   tag our validation accepts); `source` the name's `uri`, else the place's page;
//!   `type` and `country` empty (these columns of the export do not carry them); `lat`,
//!   `lon` the place's representative point, empty when `places.csv` lacks the place (one
//!   warning counts such names) or is not given.
//! - `kind` from `name_type`: `geographic` is `official`; `ethnic` (the name of a people)
//!   is `historical`, so that a place's own toponym answers first; `associated_modern`
//!   (the name of a modern thing at the site) is `variant`; any other type is `official`
//!   with the type in the note and one warning.
//! - An `association_certainty` other than `certain` puts `?` on both dates, because the
//!   certainty column of `at` and `resolve` is the only place a doubt reaches an answer;
//!   the note says that the doubt is about the name belonging to the place.
//! - `note`: the description when short, the conversions made (name type, doubt, the
//!   Pleiades years and calendar, other romanizations, a rough location).
//!
//! Dates. `year_after_which` and `year_before_which` are years counted without a year 0
//! (-330 is 330 BC), Julian up to 1582 and Gregorian from 1583 (the first whole year of
//! the Gregorian reform: Pleiades' "Modern" period, 1700-2100, is not meant in the Julian
//! calendar). The name is taken to hold over the whole of both years and every year
//! between. Our data is Gregorian and a name holds over `[start, end)`, so `start` is the
//! Gregorian day on which the first year began and `end` the Gregorian day after the last
//! year ended: -330 to 300 becomes `-0330-12-27` to `0301-01-02` (astronomical numbering
//! has a year 0, so 330 BC is `-0329`; Julian 1 January 330 BC was Gregorian 27 December
//! 331 BC, and 300 was a leap year only in the Julian calendar). Days, not years: a
//! Julian year is not a Gregorian one, and only its exact days keep the name `certain` on
//! every Gregorian year it covers whole (`at -0329`, `at 0300`) and hold it on no day the
//! Julian years do not cover. An empty bound stays empty (unknown). A bound that is not a
//! whole number, is 0, is beyond four digits, or comes after the other bound makes the
//! name an error, never a row.

mod convert;
mod csv_file;
mod scripts;
mod years;

pub use convert::parse_into;
pub use years::{LAST_JULIAN_YEAR, astronomical, year_days};
