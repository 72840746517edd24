//! When a store may be used: the validity rules every store shares.
//!
//! Owns the identity of the inputs a store was made from; it knows nothing of what a
//! store holds.
//!
//! - **Where**: the cache folder, `$GAZETTEER_CACHE_DIR`, else `$XDG_CACHE_HOME/gazetteer`,
//!   else `~/.cache/gazetteer`. `--no-cache` turns it off.
//! - **Exact inputs**: a store records each data file's canonical path, size,
//!   modification and change times (to the nanosecond) and, on Unix, device and inode,
//!   and is used only while all of them are unchanged. The change time (ctime) cannot be
//!   set back by tools that restore modification times, so an edit is always seen.
//! - **Context**: a store also records its [`context`] (the other inputs and this build),
//!   and is used only in the same one.
//! - **Settle time**: a store is not written when a file changed while it was read, or
//!   was changed in the last two seconds (a later edit in the same clock tick could go
//!   unseen).

use crate::hash::hash_str;
use std::path::{Path, PathBuf};

/// Names the layout of every store, so that the names of stores made by another layout
/// (and their contexts) differ.
const FORMAT: &str = concat!("gazetteer-store-2 ", env!("CARGO_PKG_VERSION"));

/// Files smaller than this are not indexed.
#[cfg(not(fuzzing))]
pub const MIN_SIZE: u64 = 1 << 20;
/// In a fuzz build (`cargo fuzz` sets `--cfg fuzzing`; no other build does), files of any
/// size are indexed, so that the `cached` fuzz target can compare the answers from indexes
/// and resolve caches of small data with those of a full read.
#[cfg(fuzzing)]
pub const MIN_SIZE: u64 = 1;

/// How long a file must have been left unchanged before it is indexed: a later edit within
/// the same clock tick could otherwise go unseen.
#[cfg(not(fuzzing))]
pub(super) const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);
/// In a fuzz build, none: the `cached` target writes each version of its data to a new
/// file with a new cache folder, so no index can outlive the version it was made from.
#[cfg(fuzzing)]
pub(super) const SETTLE: std::time::Duration = std::time::Duration::ZERO;

/// The cache folder from the environment, as documented above.
pub fn dir_from_env(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let set = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    set("GAZETTEER_CACHE_DIR")
        .or_else(|| set("XDG_CACHE_HOME").map(|d| d.join("gazetteer")))
        .or_else(|| set("HOME").map(|d| d.join(".cache").join("gazetteer")))
}

/// What identifies one version of a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) path: Vec<u8>,
    pub(super) fields: [u64; 7],
}

/// What else an index's answers depend on: this build of the program, whether the
/// built-in data is loaded, and every `--data` file of the run (a place's rows in one
/// file are validated against the others). An index is used only in the same context.
/// `None` when a data file is not a plain file (standard input): then nothing is cached.
pub fn context(builtin: bool, data: &[crate::source::Input]) -> Option<u64> {
    let mut parts = vec![FORMAT.to_string(), builtin.to_string()];
    // A rebuilt binary may validate differently: its size and time identify it.
    let exe = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let built = exe
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    parts.push(format!("{} {built}", exe.len()));
    for input in data {
        let crate::source::Input::File(path) = input else {
            return None;
        };
        let stamp = Stamp::of(path, 0)?;
        parts.push(format!("{:?} {:?}", stamp.path, stamp.fields));
    }
    Some(hash_str(&parts.join("\n")))
}

/// Identifies a set of inputs (whether the built-in data is loaded, and the `--data`
/// files by canonical path), whatever their versions: the caches made for one set replace
/// each other, so that editing a data file does not leave old caches behind. `None` when
/// an input is not a plain file.
pub fn inputs(builtin: bool, data: &[crate::source::Input]) -> Option<u64> {
    let mut parts = vec![builtin.to_string()];
    for input in data {
        let crate::source::Input::File(path) = input else {
            return None;
        };
        parts.push(
            std::fs::canonicalize(path)
                .ok()?
                .to_string_lossy()
                .into_owned(),
        );
    }
    Some(hash_str(&parts.join("\n")))
}

/// Whether no `--data` file was changed in the last two seconds: a later edit within the
/// same clock tick could otherwise go unseen by a cache made now.
pub fn settled(data: &[crate::source::Input]) -> bool {
    data.iter().all(|input| {
        let crate::source::Input::File(path) = input else {
            return false;
        };
        Stamp::of(path, 0).is_some_and(|s| !s.recent())
    })
}

/// Removes the files of `dir` whose names start with `prefix`, except `keep`: caches of
/// older versions of the same inputs.
pub fn remove_older(dir: &Path, prefix: &str, keep: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // A temporary file is another run's work in progress, unless it is old: then that
        // run was stopped (Ctrl-C twice, a crash) before it could clean up.
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(600));
        if name.starts_with(prefix) && name != keep && (!name.contains(".tmp") || stale) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

impl Stamp {
    /// Changed in the last two seconds: the later of the modification and change times
    /// (`touch -d` can set the first back).
    pub(super) fn recent(&self) -> bool {
        let changed = std::time::UNIX_EPOCH
            + std::time::Duration::from_nanos(self.fields[1].max(self.fields[2]));
        std::time::SystemTime::now()
            .duration_since(changed)
            .map_or(true, |age| age < SETTLE)
    }

    pub(super) fn of(path: &Path, context: u64) -> Option<Stamp> {
        let canonical = std::fs::canonicalize(path).ok()?;
        let meta = std::fs::metadata(&canonical).ok()?;
        if !meta.is_file() {
            return None;
        }
        let nanos = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64)
        };
        #[cfg(unix)]
        let (dev, ino, ctime) = {
            use std::os::unix::fs::MetadataExt;
            let ctime = (meta.ctime() as u64)
                .wrapping_mul(1_000_000_000)
                .wrapping_add(meta.ctime_nsec() as u64);
            (meta.dev(), meta.ino(), ctime)
        };
        #[cfg(not(unix))]
        let (dev, ino, ctime) = (0, 0, 0);
        let fields = [
            meta.len(),
            nanos(meta.modified()),
            ctime,
            dev,
            ino,
            u64::from(cfg!(unix)),
            context,
        ];
        let path = canonical.to_string_lossy().into_owned().into_bytes();
        Some(Stamp { path, fields })
    }
}
