//! GeoNames in: an alternate-names file (`alternateNamesV2.txt`, or the older
//! `alternateNames.txt`), joined to an optional geoname table (`allCountries.txt`,
//! `cities1000.txt` and the like) becomes rows of our schema, offered to a sink like the
//! rows of a CSV file.
//!
//! Owns the mapping from GeoNames to rows; validation stays in `validate`, and every row
//! offered here passes it. It reads line by line and holds only a compact map of the
//! geoname table (id → coordinates, country, type, main name), so a 700 MB alternates
//! file streams through.
//!
//! **Alternate names** are tab-separated: alternateNameId, geonameid, isolanguage,
//! alternate name, isPreferredName, isShortName, isColloquial, isHistoric, from, to. The
//! old format stops after isHistoric, and hand-trimmed files drop empty trailing columns,
//! so a row may have 4 to 10 columns; fewer or more is an error row. Blank lines are
//! skipped. One row of ours per alternate name:
//! - `place_id` `geonames:<geonameid>`, `source` `https://www.geonames.org/<geonameid>`;
//! - `lang` the isolanguage (empty stays empty). A value that is not a BCP 47 tag leaves
//!   `lang` empty and goes to the note as `isolanguage: <value>`, with one warning per file;
//! - `kind` `historical` when isHistoric is 1, else `variant` when isColloquial or
//!   isShortName is 1, else `official`. GeoNames does not tell exonyms from other names, so
//!   no row is an `exonym`; isPreferredName is not kept;
//! - `start`/`end` from `from`/`to` when they are `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or
//!   `YYYYMMDD` (written `YYYY-MM-DD`) and real dates. Anything else (`19 February 2008`,
//!   or a name that slipped into the column) is not a date: it is left out, kept in the
//!   note as `from: <text>` / `to: <text>`, and a warning names the line and column. A
//!   `to` that is not after its `from` leaves both out, the same way.
//!
//! Rows whose isolanguage is a code rather than a language (`post`, `link`, `wkdt`,
//! `iata`, ... see [`NOT_NAMES`]) hold postal codes, links and identifiers, not names:
//! they are left out, counted in one warning per file.
//!
//! **The geoname table** (19 columns; rows of 9 or more are read) gives each place its
//! `lat`, `lon`, `country` (the country code) and `type`, mapped from the feature class
//! and code by [`place_type`]. Its own `name` becomes one more row (kind `official`, no
//! language, no dates, its line in the table) unless an alternate name of the place has
//! the same text, so that every place is found by its main name; these rows come after
//! the alternates, under the table's file name. Rows of places that the table lacks are
//! kept without coordinates, type or country, and one warning per file counts them.
//! Without a table, no row has coordinates.
//!
//! Problems go to the sink with file, line and column: an error for a row left out (not
//! UTF-8, too few or too many columns, a geonameid that is not a number, an empty name,
//! an empty file), a warning for a value left out. No row is dropped without a word.
//!
//! The sink hears: the table's problems; `header` and the rows of the alternates file
//! (each at its line there), its warnings, `end`; then, if the table adds main names,
//! `header`, those rows (at their lines in the table) and `end` under the table's name.

mod alternates;
mod feature_codes;
mod lines;
mod table;

pub use alternates::{NOT_NAMES, parse_into};
pub use feature_codes::place_type;
