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
pub mod geonames;
pub mod hash;
pub mod lpf;
pub mod lptsv;
pub mod matching;
pub mod model;
pub mod pleiades;
pub mod query;
pub mod read;
pub mod render;
pub mod snapshot;
pub mod spelling;
pub mod validate;

/// The shared fixtures, for unit tests: `$GAZETTEER_FIXTURES`, else `shared/fixtures`
/// beside this checkout or a folder above it (as `tests/util` finds them). Missing
/// fixtures fail the test.
#[cfg(test)]
pub(crate) fn fixtures() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("GAZETTEER_FIXTURES") {
        return dir.into();
    }
    let here = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/fixtures"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| panic!("../shared/fixtures is missing (from {})", here.display()))
}
