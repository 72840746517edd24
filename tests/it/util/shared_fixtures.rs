//! Where the shared third-party fixtures are, for every test that reads them: the unit
//! tests (`src/lib.rs` includes this file) and the tests of `tests/` (through `util`).
//!
//! The fixtures are other gazetteers' real files, kept beside the checkout and never
//! copied into it, so a fresh clone does not have them. A test that needs them calls
//! [`shared_fixtures`] and returns early on `None`: it is skipped, with one line on stderr
//! that says so. Our own small fixtures in `tests/fixtures/` keep every reader tested.

use std::io::Write;
use std::path::PathBuf;

/// The folder of the shared fixtures, to be read in place.
const VARIABLE: &str = "GAZETTEER_FIXTURES";

/// Set (to anything but empty or `0`), a missing folder fails the test instead of skipping
/// it: what CI sets, so the suite cannot pass there by skipping.
const REQUIRE: &str = "GAZETTEER_REQUIRE_FIXTURES";

/// The shared fixtures: `$GAZETTEER_FIXTURES`, else `shared/fixtures` beside this checkout
/// or beside a folder above it. `None` when they are missing, after one line on stderr
/// naming the test and the folder; the caller then returns, skipping the test.
///
/// Panics (failing the test) when `$GAZETTEER_FIXTURES` is set but is not a folder, and
/// when the fixtures are missing while `$GAZETTEER_REQUIRE_FIXTURES` is set.
pub fn shared_fixtures() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(VARIABLE) {
        let dir = PathBuf::from(dir);
        assert!(
            dir.is_dir(),
            "{VARIABLE} is set to '{}', which is not a folder: point it at the shared \
             fixtures, or unset it to skip the tests that read them",
            dir.display()
        );
        return Some(dir);
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if let Some(dir) = here
        .ancestors()
        .map(|a| a.join("shared/fixtures"))
        .find(|d| d.is_dir())
    {
        return Some(dir);
    }
    let required = std::env::var_os(REQUIRE).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "the shared fixtures are missing (no shared/fixtures beside {} or a folder above \
         it) and {REQUIRE} is set: set {VARIABLE} to their folder",
        here.display()
    );
    // libtest runs each test on a thread named after it.
    let test = std::thread::current()
        .name()
        .map_or(String::new(), |n| format!(" {n}"));
    // Straight to stderr, not through eprintln!, which the test harness captures and
    // shows only for failing tests: a skip must be seen.
    let _ = writeln!(
        std::io::stderr().lock(),
        "skipped{test}: the shared fixtures are missing (../shared/fixtures, from {}); set \
         {VARIABLE} to their folder to run it",
        here.display()
    );
    None
}
