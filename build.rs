//! Embeds every `data/*.csv` in the binary, with an index built here, once, so that a
//! query parses only the rows of the places it needs instead of the whole dataset.
//!
//! The index maps each folded name to the ids of the places that bore it, and each
//! place id to the byte ranges of its rows. Folding is `src/fold.rs` itself, so the
//! build and the binary cannot disagree. A file that is not readable CSV with
//! `place_id` and `name` columns switches the index off: the binary then parses all
//! the data, and reports the problem as it would for any file.

#[allow(dead_code)]
#[path = "src/fold.rs"]
mod fold;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Rows of one place: (file index, line, first byte, end byte).
type Rows = Vec<(usize, u64, usize, usize)>;

fn main() {
    // Read when the script runs, not when it was compiled: a target/ copied from another
    // checkout would otherwise keep embedding that checkout's data.
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("data");
    println!("cargo::rerun-if-changed={}", dir.display());
    println!("cargo::rerun-if-changed=src/fold.rs");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".csv"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();

    let mut code = String::from(
        "/// The built-in data files, as `(name, text)`, sorted by name.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut places: BTreeMap<String, Rows> = BTreeMap::new();
    let mut complete = true;
    for (fi, f) in files.iter().enumerate() {
        let path = dir.join(f);
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    (\"data/{f}\", include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
        let text = std::fs::read(&path).unwrap_or_default();
        if !index_file(fi, &text, &mut names, &mut places) {
            println!(
                "cargo::warning=data/{f} could not be indexed; every query will parse all built-in data"
            );
            complete = false;
        }
    }
    code.push_str("];\n\n");
    writeln!(code, "/// Whether the index below covers every built-in row.\npub static INDEX_COMPLETE: bool = {complete};\n").unwrap();

    let place_ids: Vec<&String> = places.keys().collect();
    let index_of = |id: &String| place_ids.binary_search(&id).unwrap();
    code.push_str("/// Folded name -> indices into PLACES, sorted by name.\npub static NAMES: &[(&str, &[u32])] = &[\n");
    for (key, ids) in &names {
        let mut idx: Vec<usize> = ids.iter().map(index_of).collect();
        idx.sort();
        idx.dedup();
        writeln!(code, "    ({key:?}, &{idx:?}),").unwrap();
    }
    code.push_str("];\n\n");
    code.push_str(
        "/// A row's (file index, line, first byte, end byte).\npub type RowAt = (u16, u32, u32, u32);\n\n\
         /// Place id -> its rows, sorted by id.\n\
         pub static PLACES: &[(&str, &[RowAt])] = &[\n",
    );
    for (id, rows) in &places {
        let rows: Vec<String> = rows
            .iter()
            .map(|(f, l, s, e)| format!("({f}, {l}, {s}, {e})"))
            .collect();
        writeln!(code, "    ({id:?}, &[{}]),", rows.join(", ")).unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_data.rs");
    std::fs::write(out, code).unwrap();
}

/// Adds one file's names and rows to the index; false if the file cannot be indexed.
fn index_file(
    fi: usize,
    text: &[u8],
    names: &mut BTreeMap<String, Vec<String>>,
    places: &mut BTreeMap<String, Rows>,
) -> bool {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut records = reader.records();
    let Some(Ok(header)) = records.next() else {
        return false;
    };
    let col = |n: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    let (Some(id_col), Some(name_col)) = (col("place_id"), col("name")) else {
        return false;
    };
    let mut starts: Vec<(usize, String, String)> = Vec::new();
    for r in records {
        let Ok(r) = r else { return false };
        let (Some(id), Some(name)) = (r.get(id_col), r.get(name_col)) else {
            return false;
        };
        let start = r.position().map_or(0, |p| p.byte() as usize);
        starts.push((start, id.trim().to_string(), name.trim().to_string()));
    }
    let mut newlines_before = 0u64;
    let mut counted_to = 0usize;
    for (i, (start, id, name)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
        // A record's offset may point at the line end before it: its line is that of its
        // first byte of content.
        let mut first = *start;
        while first < end && matches!(text[first], b'\r' | b'\n') {
            first += 1;
        }
        newlines_before += text[counted_to..first]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted_to = first;
        // Offsets are from the BOM-less text; the binary strips the BOM the same way.
        places
            .entry(id.clone())
            .or_default()
            .push((fi, newlines_before + 1, first, end));
        names.entry(fold::fold(name)).or_default().push(id.clone());
    }
    true
}
