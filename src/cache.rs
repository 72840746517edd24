//! A persistent index of a big `--data` file, so that `lookup` and `at` read only the
//! rows of the places a name needs instead of parsing the whole file every time.
//!
//! Owns the index files and their trust rules; it knows nothing of validation or answers.
//!
//! - **Where**: one file per data file in the cache folder: `$GAZETTEER_CACHE_DIR`, else
//!   `$XDG_CACHE_HOME/gazetteer`, else `~/.cache/gazetteer`. `--no-cache` turns it off.
//!   Nothing is written anywhere else, and a folder that cannot be written is skipped
//!   silently: the cache only ever saves time.
//! - **When**: an index is written only after the whole file was read and validated with
//!   no error and no warning, so that the rows it selects give the same answer a full read
//!   would; and only for files of at least [`MIN_SIZE`] bytes (smaller ones parse in
//!   milliseconds).
//! - **Trust**: an index records the file's canonical path, size, modification and change
//!   times (to the nanosecond) and, on Unix, device and inode. It is used only while all of
//!   them are unchanged, checked before and after its rows are read. The change time
//!   (ctime) cannot be set back by tools that restore modification times, so an edit is
//!   always seen. An index also records its [`context`] (the other inputs and this build),
//!   and is used only in the same one. It is not written when the file changed while it was
//!   read, or was changed in the last two seconds (a later edit in the same clock tick
//!   could go unseen).

use crate::hash::hash_str;
use crate::source::{RawRow, Sink, Table};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);
/// In a fuzz build, none: the `cached` target writes each version of its data to a new
/// file with a new cache folder, so no index can outlive the version it was made from.
#[cfg(fuzzing)]
const SETTLE: std::time::Duration = std::time::Duration::ZERO;

const MAGIC: &[u8; 8] = b"GZINDEX\x01";
/// Changes whenever the layout, the hash or the folding may differ.
const FORMAT: &str = concat!("gazetteer-index-4 ", env!("CARGO_PKG_VERSION"));

/// The cache folder from the environment, as documented above.
pub fn dir_from_env(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let set = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    set("GAZETTEER_CACHE_DIR")
        .or_else(|| set("XDG_CACHE_HOME").map(|d| d.join("gazetteer")))
        .or_else(|| set("HOME").map(|d| d.join(".cache").join("gazetteer")))
}

/// What identifies one version of a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    path: Vec<u8>,
    fields: [u64; 7],
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
    fn recent(&self) -> bool {
        let changed = std::time::UNIX_EPOCH
            + std::time::Duration::from_nanos(self.fields[1].max(self.fields[2]));
        std::time::SystemTime::now()
            .duration_since(changed)
            .map_or(true, |age| age < SETTLE)
    }

    fn of(path: &Path, context: u64) -> Option<Stamp> {
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

    /// One index per file, set of inputs and context (fields[6]).
    fn index_path(&self, dir: &Path, inputs: u64) -> PathBuf {
        dir.join(format!(
            "{}{:016x}.idx",
            self.prefix(inputs),
            self.fields[6]
        ))
    }

    /// What the names of this file's indexes for this set of inputs start with.
    fn prefix(&self, inputs: u64) -> String {
        format!(
            "{:016x}-{inputs:016x}-",
            hash_str(&String::from_utf8_lossy(&self.path))
        )
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(MAGIC);
        for f in self.fields {
            out.extend_from_slice(&f.to_le_bytes());
        }
        out.extend_from_slice(&(self.path.len() as u64).to_le_bytes());
        out.extend_from_slice(&self.path);
    }
}

/// Where one row stands in the file.
#[derive(Debug, Clone, Copy)]
struct RowAt {
    id: u64,
    key: u64,
    start: u64,
    line: u64,
}

/// A sink that passes everything on and notes where each row stands, to build an index.
pub struct Recorder<'s> {
    inner: &'s mut dyn Sink,
    /// Bytes skipped before the CSV reader's first byte (a byte order mark).
    base: u64,
    columns: Option<(usize, usize)>,
    rows: Vec<RowAt>,
    header_end: u64,
}

impl<'s> Recorder<'s> {
    pub fn new(inner: &'s mut dyn Sink, starts_with_bom: bool) -> Self {
        Recorder {
            inner,
            base: if starts_with_bom { 3 } else { 0 },
            columns: None,
            rows: Vec::new(),
            header_end: 0,
        }
    }
}

impl Sink for Recorder<'_> {
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
        let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        self.columns = col("place_id").zip(col("name"));
        self.inner.header(file, header)
    }

    fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
        self.note(line, fields);
        self.inner.row(file, line, fields);
    }

    fn take_row(
        &mut self,
        file: &Arc<str>,
        line: u64,
        record: csv::StringRecord,
    ) -> csv::StringRecord {
        self.note(line, &record);
        self.inner.take_row(file, line, record)
    }

    fn problem(&mut self, problem: crate::error::Diagnostic) {
        self.inner.problem(problem);
    }

    fn end(&mut self, file: &Arc<str>, rows: u64) {
        self.inner.end(file, rows);
    }
}

impl Recorder<'_> {
    /// Notes where a row stands.
    fn note(&mut self, line: u64, fields: &csv::StringRecord) {
        if let (Some((id, name)), Some(pos)) = (self.columns, fields.position()) {
            let start = self.base + pos.byte();
            if self.rows.is_empty() {
                self.header_end = start;
            }
            self.rows.push(RowAt {
                id: hash_str(fields.get(id).unwrap_or("").trim()),
                key: hash_str(&crate::fold::fold(fields.get(name).unwrap_or("").trim())),
                start,
                line,
            });
        }
    }
}

/// Reads `path` into `sink` (as [`crate::source::read_into`] would) and returns what is
/// needed to index it afterwards, if it can be indexed at all.
pub fn read_recording(
    path: &Path,
    display: &str,
    sink: &mut dyn Sink,
    context: u64,
) -> Result<Option<Pending>, crate::error::Error> {
    let io = |source| crate::error::Error::Io {
        path: display.to_string(),
        source,
    };
    let before = Stamp::of(path, context);
    let mut file = File::open(path).map_err(io)?;
    let mut head = [0u8; 3];
    let n = file.read(&mut head).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let bom = n == 3 && head == *crate::source::BOM;
    // Where each row stands is noted on the reading thread, when that is a thread of its
    // own: its folding and hashing then overlap with the validation.
    let record = |sink: &mut dyn Sink| {
        let mut rec = Recorder::new(sink, bom);
        crate::source::parse_into(display, file, &mut rec).map_err(io)?;
        Ok((rec.rows, rec.header_end))
    };
    let (rows, header_end) = if crate::source::worth_a_thread(path) {
        crate::source::pipelined(display, sink, record)?
    } else {
        record(sink)?
    };
    let Some(stamp) = before else {
        return Ok(None);
    };
    if stamp.fields[0] < MIN_SIZE || rows.is_empty() {
        return Ok(None);
    }
    let after = Stamp::of(path, context);
    if after.as_ref() != Some(&stamp) || stamp.recent() {
        return Ok(None);
    }
    Ok(Some(Pending {
        stamp,
        header: (u64::from(bom) * 3, header_end),
        rows,
    }))
}

/// A file that was read and can be indexed, once its validation came out clean.
pub struct Pending {
    stamp: Stamp,
    header: (u64, u64),
    rows: Vec<RowAt>,
}

impl Pending {
    /// Writes the index into `dir` (atomically: a reader never sees half a file). Any
    /// failure leaves no index and is not an error.
    pub fn write(mut self, dir: &Path, inputs: u64) {
        let _ = std::fs::create_dir_all(dir);
        let mut out = Vec::with_capacity(64 + self.rows.len() * 48);
        self.stamp.encode(&mut out);
        let file_len = self.stamp.fields[0];
        // Rows grouped by place (in file order within one), each ending where the next
        // row of the file starts.
        let mut ends: Vec<u64> = self.rows.iter().skip(1).map(|r| r.start).collect();
        ends.push(file_len);
        let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
        order.sort_by_key(|&i| (self.rows[i as usize].id, i));
        let mut place_of = vec![0u64; self.rows.len()];
        let mut starts = Vec::new();
        let mut ids = Vec::new();
        for (k, &i) in order.iter().enumerate() {
            let id = self.rows[i as usize].id;
            if k == 0 || self.rows[order[k - 1] as usize].id != id {
                starts.push(k as u64);
                ids.push((id, starts.len() as u64 - 1));
            }
            place_of[i as usize] = starts.len() as u64 - 1;
        }
        starts.push(order.len() as u64);
        let mut keys: Vec<(u64, u64)> = self
            .rows
            .iter()
            .zip(&place_of)
            .map(|(r, &p)| (r.key, p))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let put = |out: &mut Vec<u8>, v: u64| out.extend_from_slice(&v.to_le_bytes());
        put(&mut out, self.header.0);
        put(&mut out, self.header.1);
        put(&mut out, ids.len() as u64);
        put(&mut out, order.len() as u64);
        put(&mut out, keys.len() as u64);
        for s in starts {
            put(&mut out, s);
        }
        for &i in &order {
            let r = self.rows[i as usize];
            put(&mut out, r.start);
            put(&mut out, ends[i as usize]);
            put(&mut out, r.line);
        }
        for (h, p) in keys.iter().chain(&ids) {
            put(&mut out, *h);
            put(&mut out, *p);
        }
        self.rows = Vec::new();
        let target = self.stamp.index_path(dir, inputs);
        let tmp = target.with_extension(format!("tmp{}", std::process::id()));
        // A new file, never an existing one (nor what a symbolic link points to).
        let written = File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| f.write_all(&out));
        if written.is_err() || std::fs::rename(&tmp, &target).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return;
        }
        if let Some(keep) = target.file_name() {
            remove_older(dir, &self.stamp.prefix(inputs), &keep.to_string_lossy());
        }
    }
}

/// An index found valid for its data file, read a few bytes at a time.
pub struct Index {
    /// The data file as the index was found valid for, to check again after reading.
    stamp: Stamp,
    path: PathBuf,
    index: File,
    data: File,
    display: Arc<str>,
    header: (u64, u64),
    places: u64,
    rows: u64,
    keys: u64,
    /// Offset of the place table.
    body: u64,
}

impl Index {
    /// The index of `path` in `dir`, if there is one and the file has not changed since.
    pub fn open(
        dir: &Path,
        path: &Path,
        display: &str,
        (inputs, context): (u64, u64),
    ) -> Option<Index> {
        let stamp = Stamp::of(path, context)?;
        let mut index = File::open(stamp.index_path(dir, inputs)).ok()?;
        let mut expected = Vec::new();
        stamp.encode(&mut expected);
        let mut found = vec![0u8; expected.len() + 5 * 8];
        index.read_exact(&mut found).ok()?;
        if found[..expected.len()] != expected[..] {
            return None;
        }
        let n = |i: usize| {
            let at = expected.len() + i * 8;
            u64::from_le_bytes(found[at..at + 8].try_into().expect("8 bytes"))
        };
        let ix = Index {
            stamp: stamp.clone(),
            path: path.to_path_buf(),
            data: File::open(path).ok()?,
            index,
            display: Arc::from(display),
            header: (n(0), n(1)),
            places: n(2),
            rows: n(3),
            keys: n(4),
            body: found.len() as u64,
        };
        let len = ix.index.metadata().ok()?.len();
        let want = ix.body + 8 * (ix.places + 1) + 24 * ix.rows + 16 * (ix.keys + ix.places);
        (len == want).then_some(ix)
    }

    fn u64_at(&self, offset: u64) -> Option<u64> {
        let mut b = [0u8; 8];
        let mut f = &self.index;
        f.seek(SeekFrom::Start(offset)).ok()?;
        f.read_exact(&mut b).ok()?;
        Some(u64::from_le_bytes(b))
    }

    /// Places whose entry in a sorted (hash, place) table at `table` of `len` matches.
    fn search(&self, table: u64, len: u64, h: u64) -> Option<Vec<u64>> {
        let (mut lo, mut hi) = (0, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.u64_at(table + mid * 16)? < h {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut out = Vec::new();
        while lo < len && self.u64_at(table + lo * 16)? == h {
            out.push(self.u64_at(table + lo * 16 + 8)?);
            lo += 1;
        }
        Some(out)
    }

    fn keys_table(&self) -> u64 {
        self.body + 8 * (self.places + 1) + 24 * self.rows
    }

    /// Places with a name of this folded key.
    pub fn places_with_key(&self, key: &str) -> Option<Vec<u64>> {
        self.search(self.keys_table(), self.keys, hash_str(key))
    }

    /// Places with this id.
    pub fn places_with_id(&self, id: &str) -> Option<Vec<u64>> {
        self.search(
            self.keys_table() + 16 * self.keys,
            self.places,
            hash_str(id),
        )
    }

    fn bytes(&self, start: u64, end: u64) -> Option<Vec<u8>> {
        let len = usize::try_from(end.checked_sub(start)?).ok()?;
        let mut buf = vec![0u8; len];
        let mut f = &self.data;
        f.seek(SeekFrom::Start(start)).ok()?;
        f.read_exact(&mut buf).ok()?;
        Some(buf)
    }

    /// The header and the rows of the given places, as a table with the rows' own lines.
    /// `None` when the files cannot be read as the index says (then read the file whole).
    pub fn table(&self, places: &[u64]) -> Option<Table> {
        let header = self.bytes(self.header.0, self.header.1)?;
        let mut table = Table {
            file: self.display.clone(),
            header: parse_one(&header)?
                .iter()
                .map(|f| f.trim().to_string())
                .collect(),
            rows: Vec::new(),
            problems: Vec::new(),
        };
        for &p in places {
            let from = self.u64_at(self.body + 8 * p)?;
            let to = self.u64_at(self.body + 8 * (p + 1))?;
            for r in from..to {
                let at = self.body + 8 * (self.places + 1) + 24 * r;
                let (start, end, line) = (
                    self.u64_at(at)?,
                    self.u64_at(at + 8)?,
                    self.u64_at(at + 16)?,
                );
                let fields = parse_one(&self.bytes(start, end)?)?;
                table.rows.push(RawRow { line, fields });
            }
        }
        table.rows.sort_by_key(|r| r.line);
        // The file may have changed while it was read: then these rows are not trusted.
        let now = Stamp::of(&self.path, self.stamp.fields[6])?;
        (now == self.stamp).then_some(table)
    }
}

/// The first record of some CSV bytes that is not a blank line (the reader skips those),
/// with a final '\r' dropped as the reader does.
fn parse_one(bytes: &[u8]) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(bytes);
    let record = reader
        .records()
        .find(|r| {
            r.as_ref()
                .map_or(true, |r| r.len() != 1 || !r[0].trim().is_empty())
        })?
        .ok()?;
    let mut fields: Vec<String> = record.iter().map(str::to_string).collect();
    if let Some(last) = fields.last_mut()
        && last.ends_with('\r')
    {
        last.pop();
    }
    Some(fields)
}
