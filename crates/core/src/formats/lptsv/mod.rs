//! LP-TSV, the World Historical Gazetteer's delimited format: [`read`] turns a file into
//! rows, [`write`](mod@write) places into one row each (lossy).

pub mod read;
pub mod write;

pub use read::{is_lptsv, parse_into};
pub use write::{Losses, places};
