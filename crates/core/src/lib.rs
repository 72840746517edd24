//! The steps of `gazetteer`'s pipeline that its build script shares with the binary.
//!
//! [`source`] reads data files → [`validate`] rows (of the columns in [`schema`]) into a
//! [`model::Gazetteer`] → index names in [`matching`] (under the keys of [`fold`] and
//! [`spelling`]) → answer in [`query`]; [`formats`] reads and writes other gazetteers'
//! files; [`store`] keeps data between runs in one checked format. The `gazetteer` crate
//! re-exports every module under the same name and adds the built-in data, the command
//! line and the renderers.
//!
//! A crate of its own because `build.rs` uses it: the build folds names with the same
//! code as the binary, and writes the built-in data's store with the same writer that
//! writes a user's.

pub mod date;
pub mod error;
pub mod fold;
pub mod formats;
pub mod hash;
pub mod matching;
pub mod model;
pub mod query;
pub mod schema;
pub mod source;
pub mod spelling;
pub mod store;
pub mod text;
pub mod twins;
pub mod validate;

/// The shared fixtures, for unit tests, found as `tests/` finds them (one locator, in one
/// file): `None` when they are missing, and the test is skipped (see that file).
#[cfg(test)]
#[path = "../../../tests/it/util/shared_fixtures.rs"]
mod shared_fixtures;
#[cfg(test)]
pub use shared_fixtures::shared_fixtures as fixtures;

/// The data in `data/`, read from the files, for the tests of modules that go over every
/// place (the binary's crate embeds it; this crate cannot).
#[cfg(test)]
pub mod testdata;
