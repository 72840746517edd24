//! What is kept between runs: stores of big `--data` files, in one checked format.
//!
//! Owns every file in the cache folder. Every store has the same envelope (`format`: a
//! prelude with magic, format and program versions, a section table, a checksum for each
//! 64 KiB of each section), is opened the same way (`file`: regular files only, mapped)
//! and written the same way (`file`: a temporary name, then renamed; any failure costs
//! only time), under the same validity rules (`validity`: exact inputs, this build, a
//! settle time). Two kinds of store exist today:
//!
//! - `rows`: the row index of one data file, for `lookup` and `at`, which read only the
//!   rows of the places a name leads to;
//! - `places`: a compact copy of all loaded data with every matching tier's key table,
//!   for `resolve`, which decodes only the places its queries lead to.
//!
//! A store that fails any check is ignored (the data is read instead), removed when it
//! can be, and written anew; it never makes a run fail or blames the data. It must not
//! do any I/O outside the cache folder and the data files it indexes.

pub mod file;
pub mod format;
pub mod places;
pub mod rows;
pub mod validity;

pub use places::{Damaged, Snapshot, Strings};
pub use rows::{Index, Pending, read_recording};
pub use validity::{MIN_SIZE, context, dir_from_env, inputs, remove_older, settled};
