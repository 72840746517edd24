//! Other gazetteers' formats, each with its reader and writer side by side: the readers
//! turn a foreign file into rows of our schema offered to a [`crate::source::Sink`], like
//! the rows of a CSV file; the writers turn places back into the foreign format.
//!
//! - [`lpf`]: Linked Places Format (GeoJSON-LD), read and written;
//! - [`lptsv`]: LP-TSV, the World Historical Gazetteer's delimited format, read and written;
//! - [`geonames`]: GeoNames alternate names joined to a geoname table, read;
//! - [`pleiades`]: Pleiades' names.csv joined to its places.csv, read.

pub mod geonames;
pub mod lpf;
pub mod lptsv;
pub mod pleiades;
