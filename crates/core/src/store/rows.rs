//! The row index of a big `--data` file, so that `lookup` and `at` read only the rows of
//! the places a name needs instead of parsing the whole file every time.
//!
//! Owns the index's sections and their reading; the envelope is `format`'s, the trust
//! rules `validity`'s. An index is written only after the whole file was read and
//! validated with no error and no warning, so that the rows it selects give the same
//! answer a full read would; and only for files of at least [`MIN_SIZE`] bytes (smaller
//! ones parse in milliseconds). It is used only while the file is unchanged, checked
//! before and after its rows are read.
//!
//! Sections: 0 the file's stamp; 1 where the header stands (two u64); 2 where each
//! place's rows start in section 3, plus the end (u64 each); 3 per row its first byte,
//! end byte and line (u64 each), grouped by place; 4 the (folded name hash, place)
//! pairs, sorted; 5 the (id hash, place) pairs, sorted; 6-8 the table of near keys
//! (`near`), by which a name found under no folded key leads to the places that could
//! answer it or give its suggestions.

use super::validity::{MIN_SIZE, Stamp};
use crate::hash::hash_str;
use crate::source::{RawRow, Sink, Table};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The envelope's kind of a row index.
const KIND: u32 = 1;

/// Where one row stands in the file.
#[derive(Debug, Clone)]
struct RowAt {
    id: u64,
    key: u64,
    /// The name, for the table of near keys.
    name: Box<str>,
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
            let name = fields.get(name).unwrap_or("").trim();
            self.rows.push(RowAt {
                id: hash_str(fields.get(id).unwrap_or("").trim()),
                key: hash_str(&crate::fold::fold(name)),
                name: name.into(),
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
    /// Writes the index into `dir` (atomically: a reader never sees half a file). A
    /// failure leaves no index; it is returned for `index` to report (a query ignores it).
    pub fn write(mut self, dir: &Path, inputs: u64) -> std::io::Result<()> {
        let file_len = self.stamp.fields[0];
        // Places are numbered in u32 in the table of near keys.
        if u32::try_from(self.rows.len()).is_err() {
            return Err(std::io::Error::other("too many rows to index"));
        }
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
        let names: Vec<(&str, u32)> = self
            .rows
            .iter()
            .zip(&place_of)
            .map(|(r, &p)| (&*r.name, p as u32))
            .collect();
        let near = super::near::keyed(&names);
        drop(names);
        let rows = std::mem::take(&mut self.rows);
        let target = self.stamp.index_path(dir, inputs);
        let mut stamp = Vec::new();
        self.stamp.encode(&mut stamp);
        let written = super::file::write(&target, KIND, self.stamp.fields[6], |w| {
            w.section()?;
            w.write(&stamp)?;
            w.section()?;
            w.u64(self.header.0)?;
            w.u64(self.header.1)?;
            w.section()?;
            for s in starts {
                w.u64(s)?;
            }
            w.section()?;
            for &i in &order {
                let r = &rows[i as usize];
                w.u64(r.start)?;
                w.u64(ends[i as usize])?;
                w.u64(r.line)?;
            }
            for table in [&keys, &ids] {
                w.section()?;
                for &(h, p) in table {
                    w.u64(h)?;
                    w.u64(p)?;
                }
            }
            super::near::write(w, &near)
        });
        written?;
        if let Some(keep) = target.file_name() {
            super::validity::remove_older(dir, &self.stamp.prefix(inputs), &keep.to_string_lossy());
        }
        Ok(())
    }
}

/// An index found valid for its data file, read in place.
pub struct Index {
    /// The data file as the index was found valid for, to check again after reading.
    stamp: Stamp,
    path: PathBuf,
    /// Where the index itself is, to remove it if it is found damaged.
    at: PathBuf,
    view: super::format::View,
    data: File,
    display: Arc<str>,
    places: u64,
    rows: u64,
    keys: u64,
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
        let at = stamp.index_path(dir, inputs);
        let view = super::file::open(&at, KIND, context)?;
        let mut expected = Vec::new();
        stamp.encode(&mut expected);
        let len = |i| view.len(i).map(|l| l as u64);
        let (places, rows, keys) = (len(5)? / 16, len(3)? / 24, len(4)? / 16);
        let shaped = view.sections() == 9
            && len(1)? == 16
            && len(2)? == 8 * (places + 1)
            && len(3)? % 24 == 0
            && len(4)? % 16 == 0
            && len(5)? % 16 == 0;
        // The stamp is part of the index's name (through the context): another stamp
        // inside is damage, as is any other shape.
        if !shaped
            || view.section(0)? != &expected[..]
            || super::near::Near::new(&view, 6, places).is_none()
        {
            super::file::remove(&at);
            return None;
        }
        Some(Index {
            stamp,
            path: path.to_path_buf(),
            at,
            view,
            data: File::open(path).ok()?,
            display: Arc::from(display),
            places,
            rows,
            keys,
        })
    }

    /// A number of a section; `None` (and the index removed) when its chunk is damaged.
    fn u64_at(&self, section: usize, index: u64) -> Option<u64> {
        let v = self.view.u64(section, usize::try_from(index).ok()?);
        if v.is_none() {
            super::file::remove(&self.at);
        }
        v
    }

    /// Places whose entry in a sorted (hash, place) section matches.
    fn search(&self, section: usize, len: u64, h: u64) -> Option<Vec<u64>> {
        let (mut lo, mut hi) = (0, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.u64_at(section, 2 * mid)? < h {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut out = Vec::new();
        while lo < len && self.u64_at(section, 2 * lo)? == h {
            let p = self.u64_at(section, 2 * lo + 1)?;
            if p >= self.places {
                return None;
            }
            out.push(p);
            lo += 1;
        }
        Some(out)
    }

    /// Places with a name of this folded key.
    pub fn places_with_key(&self, key: &str) -> Option<Vec<u64>> {
        self.search(4, self.keys, hash_str(key))
    }

    /// Places with this id.
    pub fn places_with_id(&self, id: &str) -> Option<Vec<u64>> {
        self.search(5, self.places, hash_str(id))
    }

    /// Places that could have a name the matcher finds for `query` in a weaker tier
    /// than the folded one, or suggests for it (see `near`).
    pub fn places_near(&self, query: &str) -> Option<Vec<u64>> {
        let mut out = Vec::new();
        let found = super::near::Near::new(&self.view, 6, self.places)
            .and_then(|near| near.places(query, &mut out));
        if found.is_none() {
            super::file::remove(&self.at);
        }
        out.sort_unstable();
        out.dedup();
        found.map(|()| out)
    }

    /// Bytes of the data file; never more than the file holds.
    fn bytes(&self, start: u64, end: u64) -> Option<Vec<u8>> {
        if end > self.stamp.fields[0] {
            return None;
        }
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
        let header = self.bytes(self.u64_at(1, 0)?, self.u64_at(1, 1)?)?;
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
            let from = self.u64_at(2, p)?;
            let to = self.u64_at(2, p.checked_add(1)?)?;
            if from > to || to > self.rows {
                return None;
            }
            for r in from..to {
                let (start, end, line) = (
                    self.u64_at(3, 3 * r)?,
                    self.u64_at(3, 3 * r + 1)?,
                    self.u64_at(3, 3 * r + 2)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// #17: a bit flipped anywhere in a row index (1,000 positions spread over it, the
    /// table of near keys among them)
    /// either leaves the rows it selects as they were or has the index refused (then the
    /// file is read whole); never wrong rows, a panic or an abort.
    #[test]
    fn a_flipped_bit_never_selects_wrong_rows() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("big.csv");
        let mut csv = String::from("place_id,name,start,end\n");
        for i in 0..30_000 {
            csv.push_str(&format!("p{i},Name{i},1800,1900\np{i},Other{i},1900,\n"));
        }
        assert!(csv.len() as u64 > MIN_SIZE);
        std::fs::write(&data, &csv).unwrap();
        // A file changed in the last two seconds is not indexed.
        std::thread::sleep(super::super::validity::SETTLE + std::time::Duration::from_millis(100));
        let mut sink = Table::named("big.csv");
        let pending = read_recording(&data, "big.csv", &mut sink, 9)
            .unwrap()
            .expect("indexable");
        let cache = dir.path().join("cache");
        pending.write(&cache, 3).unwrap();
        let index_path = std::fs::read_dir(&cache)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let good = std::fs::read(&index_path).unwrap();
        let select = |near: bool| -> Option<Table> {
            let ix = Index::open(&cache, &data, "big.csv", (3, 9))?;
            let mut places = ix.places_with_key("name12345")?;
            places.extend(ix.places_with_id("p29999")?);
            // A misspelt name, through the table of near keys (a scan of the table: one
            // flip in three, so that the test stays short in a debug build).
            if near {
                places.extend(ix.places_near("Othre2345")?);
            }
            places.sort_unstable();
            places.dedup();
            ix.table(&places)
        };
        let want = select(true).expect("the index just written");
        let strong = select(false).expect("the index just written");
        let names: Vec<&str> = want.rows.iter().map(|r| &*r.fields[1]).collect();
        // Other2345 is a swap away, Other2346 two edits.
        assert!(
            names.contains(&"Name12345") && names.contains(&"Other2345"),
            "{names:?}"
        );
        assert!(names.contains(&"Other29999") && names.contains(&"Other12345"));
        assert!(!names.contains(&"Other2346"), "two edits away: {names:?}");
        let bits = good.len() * 8;
        let mut refused = 0;
        for k in 0..1_000 {
            let bit = k * (bits / 1_000) + k % 8;
            let mut bad = good.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            std::fs::write(&index_path, &bad).unwrap();
            let (got, want) = if k % 3 == 0 {
                (select(true), &want)
            } else {
                (select(false), &strong)
            };
            match got {
                None => refused += 1,
                Some(t) => assert_eq!(&t, want, "bit {bit}"),
            }
        }
        // Most flips lie in chunks a query never reads: those are not checked, and
        // cannot change its answer.
        assert!(refused > 0);
    }
}
