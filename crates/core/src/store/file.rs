//! Store files on disk: opened only when they are regular files, mapped, and written
//! under a temporary name and renamed, so that no reader ever sees half a file and no
//! file is ever changed in place.
//!
//! Owns every system call on store files; nothing here decides what a store holds or
//! whether it is still valid for its data.

use super::format::{Bytes, View, Writer};
use std::fs::File;
use std::path::Path;

/// Opens the store at `path` if it is a regular file whose envelope checks out for this
/// kind and context (see `format`). A FIFO or device at the path is refused without
/// blocking (the open does not wait for a writer); a file found damaged is removed if it
/// can be (a later run writes it anew), and ignored either way.
pub fn open(path: &Path, kind: u32, context: u64) -> Option<View> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    // SAFETY: a mapping's bytes must not change while it lives. This program never changes
    // a store in place: each is written under a temporary name and renamed ([`write`]),
    // and one replaced or removed meanwhile stays whole for this mapping (the system keeps
    // a file while it is mapped). Another program writing into the file during a run would
    // break that (and truncating it would stop this process with SIGBUS), as for any
    // program that maps files: the cache folder is ours alone (README). Bytes changed
    // before a run are caught by the checksums, each chunk's before it is first read.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    if map.len() as u64 != meta.len() {
        return None;
    }
    let view = View::new(Bytes::Mapped(map), kind, context);
    if view.is_none() {
        let _ = std::fs::remove_file(path);
    }
    view
}

/// Removes a store found damaged after it was opened; a failure is ignored (the store is
/// then refused again on the next run, which costs only time).
pub fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Writes a store to `target` through `fill`, atomically. Any failure (a read-only
/// folder, a full disk, a file-size limit) leaves no store and no temporary file behind,
/// and is returned for the caller to ignore or report: a store only ever saves time.
pub fn write(
    target: &Path,
    kind: u32,
    context: u64,
    fill: impl FnOnce(&mut Writer<File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    ignore_file_size_signal();
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = target.with_extension(format!("tmp{}", std::process::id()));
    let written = (|| {
        // A new file, never an existing one (nor what a symbolic link points to).
        let f = File::options().write(true).create_new(true).open(&tmp)?;
        let mut w = Writer::new(f, kind, context)?;
        fill(&mut w)?;
        w.finish()?;
        std::fs::rename(&tmp, target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Past a `ulimit -f` limit, the system stops a writing process with SIGXFSZ unless the
/// signal is ignored; ignored, the write fails with EFBIG instead, and the run goes on
/// without its store. (Process-wide: standard output past the limit then fails with an
/// error message too, rather than ending the process without one.)
fn ignore_file_size_signal() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code;
            // it is safe at any time and from any thread.
            unsafe {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_then_opened_and_a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("a.store");
        write(&path, 3, 9, |w| {
            w.section()?;
            w.write(b"payload")
        })
        .unwrap();
        let v = open(&path, 3, 9).expect("just written");
        assert_eq!(v.section(0), Some(&b"payload"[..]));
        assert!(open(&path, 3, 10).is_none(), "another context");
        assert!(!path.exists(), "a store refused is removed");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            0
        );
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo.store");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            assert!(open(&fifo, 3, 9).is_none());
            assert!(fifo.exists(), "only regular files are removed");
        }
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, "x").unwrap();
        let r = write(&file.join("a.store"), 1, 1, |w| w.section());
        assert!(r.is_err());
    }
}
