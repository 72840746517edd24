//! `gazetteer`: a historical place-name gazetteer.
//!
//! The pipeline, one module per step: [`read`] data files → [`validate`] rows into a
//! [`model::Gazetteer`] → index names in [`matching`] → answer in [`query`] →
//! [`render`] tables, CSV or JSON. [`cli`] and [`config`] turn the command line into a
//! resolved configuration; [`cmd`] wires the steps for each subcommand. [`cache`] and
//! [`snapshot`] keep, between runs, an index of big data files and a copy of all loaded data.

pub mod builtin;
pub mod cache;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod date;
pub mod error;
pub mod fold;
pub mod formats;
pub mod hash;
pub mod matching;
pub mod model;
pub mod query;
pub mod read;
pub mod render;
pub mod snapshot;
pub mod spelling;
pub mod validate;

// The paths these had before #16 moved them into `formats/`, kept so that code written
// against them on #16's other branches merges; to go once all of #16 is in.
#[doc(hidden)]
pub use formats::{geonames, lpf, lptsv, pleiades};

/// The shared fixtures, for unit tests, found as `tests/` finds them (one locator, in one
/// file): `None` when they are missing, and the test is skipped (see that file).
#[cfg(test)]
#[path = "../tests/util/shared_fixtures.rs"]
mod shared_fixtures;
#[cfg(test)]
pub(crate) use shared_fixtures::shared_fixtures as fixtures;
