//! What is kept between runs: stores of big `--data` files, in one checked format.
//!
//! Owns every file in the cache folder. Every store has the same envelope (`format`: a
//! prelude with magic, format and program versions, a section table, a checksum for each
//! 64 KiB of each section), is opened the same way (`file`: regular files only, mapped)
//! and written the same way (`file`: a temporary name, then renamed; any failure costs
//! only time), under the same validity rules (`validity`: exact inputs, this build, a
//! settle time).
//!
//! One kind of store exists (`places`): a compact copy of all loaded data, with every
//! matching tier's key table and a table of near keys (`near`), through which a name
//! found under no folded key (another spelling, a misspelling, `--fuzzy`) leads to the
//! few places that could answer it or give its suggestions. `lookup`, `at` and `resolve`
//! decode only the places their names lead to. The build compiles the built-in data into
//! one, embedded in the binary; big `--data` files get theirs on first use.
//!
//! A store that fails any check is ignored (the data is read instead), removed when it
//! can be, and written anew; it never makes a run fail or blames the data. It must not
//! do any I/O outside the cache folder and the data files it indexes.

pub mod file;
pub mod format;
pub mod near;
pub mod places;
pub mod validity;

pub use places::{Damaged, Snapshot};
pub use validity::{MIN_SIZE, context, dir_from_env, inputs, remove_older, settled};

/// For the `store` fuzz target: reads arbitrary bytes as a store, both as they are and
/// sealed (split at each `0xFF 0x00` into sections, wrapped in a valid envelope so that
/// the checksums pass and the sections' contents are what is tried), and answers a few
/// queries from whatever opens (the table of near keys among them). Must never panic,
/// hang or abort.
#[doc(hidden)]
pub fn fuzz_one(data: &[u8]) {
    use format::{Bytes, View, Writer};
    let context = data
        .get(48..56)
        .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or_default()));
    for kind in [1, 2] {
        if let Some(v) = View::new(Bytes::Owned(data.to_vec()), kind, context) {
            v.check_all(1);
            if kind == 2 {
                places::fuzz_answers(v);
            }
        }
    }
    let Ok(mut w) = Writer::new(std::io::Cursor::new(Vec::new()), 2, 0) else {
        return;
    };
    let mut rest = data;
    let sealed = (|| {
        loop {
            w.section()?;
            match rest.windows(2).position(|p| p == [0xFF, 0x00]) {
                Some(i) => {
                    w.write(&rest[..i])?;
                    rest = &rest[i + 2..];
                }
                None => {
                    w.write(rest)?;
                    return Ok::<_, std::io::Error>(());
                }
            }
        }
    })();
    if sealed.is_ok()
        && let Ok(bytes) = w.finish()
        && let Some(v) = View::new(Bytes::Owned(bytes.into_inner()), 2, 0)
    {
        // The table of near keys, read from whichever three sections it could start at.
        for first in 0..v.sections().saturating_sub(2) {
            if let Some(near) = near::Near::new(&v, first, 1 << 20) {
                for q in ["Stalingrd", "Kirov", "a"] {
                    let _ = near.places(q, &mut Vec::new());
                }
            }
        }
        places::fuzz_answers(v);
    }
}
