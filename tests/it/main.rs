//! The integration tests, in one binary: each module runs the real binary (through the
//! harness in `util`) or the library on one area of the tool. One binary links once, where
//! a file per binary linked the library and its dependencies once per file.
//!
//! Data stays outside this folder: `tests/fixtures/` (our own small files), `tests/bad/`
//! (the bad-input corpus) and `tests/known/` (the known answers).

mod util;

mod answers;
mod bad_corpus;
mod bad_input;
mod cache;
mod cli;
mod dates;
mod filters;
mod formats;
mod import_geonames;
mod import_pleiades;
mod inputs;
mod interchange;
mod known_answers;
mod lpf;
mod matching;
mod own_fixtures;
mod query_dates;
mod readme;
mod resolve;
mod resolve_choice;
mod store;
mod surface;
mod timeline;
mod world;
mod world_build;
mod writes;
