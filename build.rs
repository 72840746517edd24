//! Embeds every `data/*.csv` and the world layer (`data/world/places.csv.gz`, decompressed
//! here) in the binary: the data compiled into the store format (`builtin.store`, what
//! `lookup`, `at` and `resolve` on the built-in data alone answer from, #17), the text
//! deflated in blocks of 64 KiB (`texts.bin`: `check`, `export` and a full read inflate it
//! all, a query with `--data` the blocks of the rows it needs), and indexes built here,
//! once, so that such a query parses only the rows of the built-in places it needs
//! instead of the whole dataset (#18: a quarter of a million world places took 2 s to
//! parse).
//!
//! The indexes (binary tables in OUT_DIR, read by `src/builtin.rs`):
//! - PLACES: each place id to the byte ranges of its rows;
//! - KEYS: every key a matching tier looks a name up under (folded, transliterated, the
//!   variant tier's loose key) to the places with a name of that key, and their twins
//!   (for `search`, which scans its text; queries by name take their places from the store);
//! - TWINS: a place to the other places that stand for the same GeoNames id (a curated
//!   place linked by `data/links.csv` or its `same_as`, and the world place `gn-N`);
//! - GEONAMES: a GeoNames id to the places that stand for it.
//!
//! Folding and the keys are the pipeline's own (`gazetteer_core::fold` and `spelling`), so the build
//! and the binary cannot disagree. A file that is not readable CSV with `place_id` and
//! `name` columns switches the index off: the binary then parses all the data, and
//! reports the problem as it would for any file.

use gazetteer_core::{fold, spelling};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

/// The size of a block of the built-in text, compressed alone (see `builtin::text_range`).
const BLOCK: usize = 1 << 16;

/// Rows of one place: (file index, line, first byte, end byte).
type Rows = Vec<[u32; 4]>;

/// What the indexing of the files gathers.
#[derive(Default)]
struct Gathered {
    places: BTreeMap<String, Rows>,
    /// Key -> place ids.
    keys: BTreeMap<String, BTreeSet<String>>,
    /// GeoNames id -> the places that stand for it.
    geonames: BTreeMap<String, BTreeSet<String>>,
}

fn main() {
    // Read when the script runs, not when it was compiled: a target/ copied from another
    // checkout would otherwise keep embedding that checkout's data.
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir);
    let dir = root.join("data");
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".csv") && n != "links.csv")
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    // (name shown in messages, path of the text to embed)
    let mut embedded: Vec<(String, std::path::PathBuf)> = files
        .iter()
        .map(|f| (format!("data/{f}"), dir.join(f)))
        .collect();
    let world = dir.join("world/places.csv.gz");
    println!("cargo::rerun-if-changed={}", world.display());
    if world.exists() {
        let mut text = Vec::new();
        std::fs::File::open(&world)
            .map(flate2::read::GzDecoder::new)
            .and_then(|mut gz| gz.read_to_end(&mut text))
            .unwrap_or_else(|e| panic!("{}: cannot be decompressed: {e}", world.display()));
        let plain = out_dir.join("world.csv");
        std::fs::write(&plain, text).unwrap();
        embedded.push(("data/world/places.csv.gz".to_string(), plain));
    }

    // Each file's text, without a byte-order mark, compressed in blocks of BLOCK bytes,
    // so that a query that needs a few rows inflates a block or two, not the file.
    let mut code = String::from(
        "/// The built-in data files' names: data/*.csv sorted by name, then the world layer.\npub static FILES: &[&str] = &[\n",
    );
    let mut blocks_code = String::from(
        "/// Per file: its text's length, then (offset, length) of each compressed block in TEXTS.\nstatic BLOCKS: &[(usize, &[(u32, u32)])] = &[\n",
    );
    let mut packed: Vec<u8> = Vec::new();
    let mut fingerprint = gazetteer_core::hash::FxHasher::default();
    // Each file's text as embedded, kept for the store below.
    let mut texts: Vec<Vec<u8>> = Vec::with_capacity(embedded.len());
    let mut g = Gathered::default();
    let mut complete = true;
    for (fi, (name, path)) in embedded.iter().enumerate() {
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(code, "    {name:?},").unwrap();
        let raw = std::fs::read(path).unwrap_or_default();
        let text = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&raw);
        texts.push(text.to_vec());
        {
            use std::hash::Hasher;
            fingerprint.write(name.as_bytes());
            fingerprint.write(&[0xff]);
            fingerprint.write(text);
            fingerprint.write(&[0xff]);
        }
        write!(blocks_code, "    ({}, &[", text.len()).unwrap();
        for block in text.chunks(BLOCK) {
            let deflated = miniz_oxide::deflate::compress_to_vec(block, 9);
            write!(blocks_code, "({}, {}),", packed.len(), deflated.len()).unwrap();
            packed.extend_from_slice(&deflated);
        }
        blocks_code.push_str("]),\n");
        if !index_file(fi as u32, text, &mut g) {
            println!(
                "cargo::warning={name} could not be indexed; every query will parse all built-in data"
            );
            complete = false;
        }
    }
    blocks_code.push_str("];\n\n");
    code.push_str("];\n\n");
    code.push_str(&blocks_code);
    writeln!(
        code,
        "/// The size of a block of text before compression.\nconst BLOCK: usize = {BLOCK};\n"
    )
    .unwrap();
    {
        use std::hash::Hasher;
        writeln!(
            code,
            "/// 12 hex digits of a hash of every built-in file's name and text.\npub static FINGERPRINT: &str = \"{:012x}\";\n",
            fingerprint.finish() >> 16
        )
        .unwrap();
    }
    std::fs::write(out_dir.join("texts.bin"), &packed).unwrap();
    writeln!(code, "/// Whether the index covers every built-in row.\npub static INDEX_COMPLETE: bool = {complete};\n").unwrap();

    let links = read_links(&dir.join("links.csv"));
    code.push_str("/// `data/links.csv`: a curated place id and an id of its twin (`geonames:N`).\npub static LINKS: &[(&str, &str)] = &[\n");
    for (id, other) in &links {
        writeln!(code, "    ({id:?}, {other:?}),").unwrap();
        if let Some(n) = other.strip_prefix("geonames:") {
            g.geonames
                .entry(n.to_string())
                .or_default()
                .insert(id.clone());
        }
    }
    code.push_str("];\n");

    let place_ids: Vec<&String> = g.places.keys().collect();
    let index_of = |id: &String| place_ids.binary_search(&id).ok().map(|i| i as u32);
    // Twins: the places that stand for one GeoNames id (a link to a place that is not
    // built in leads nowhere).
    let mut twins: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for ids in g.geonames.values() {
        for a in ids {
            for b in ids {
                if a != b
                    && let Some(i) = index_of(b)
                {
                    twins.entry(a.clone()).or_default().insert(i);
                }
            }
        }
    }
    let with_twins = |ids: &BTreeSet<String>| -> Vec<u32> {
        let mut out: BTreeSet<u32> = ids.iter().filter_map(index_of).collect();
        for id in ids {
            out.extend(twins.get(id).into_iter().flatten());
        }
        out.into_iter().collect()
    };
    let tables: [(&str, Vec<u8>); 4] = [
        (
            "places.bin",
            table(g.places.iter().map(|(id, rows)| {
                let flat: Vec<u32> = rows.iter().flatten().copied().collect();
                (id.as_str(), flat)
            })),
        ),
        (
            "keys.bin",
            table(g.keys.iter().map(|(k, ids)| (k.as_str(), with_twins(ids)))),
        ),
        (
            "twins.bin",
            table(
                twins
                    .iter()
                    .map(|(id, t)| (id.as_str(), t.iter().copied().collect())),
            ),
        ),
        (
            "geonames.bin",
            table(
                g.geonames
                    .iter()
                    .map(|(n, ids)| (n.as_str(), ids.iter().filter_map(index_of).collect())),
            ),
        ),
    ];
    for (name, bytes) in tables {
        std::fs::write(out_dir.join(name), bytes).unwrap();
    }
    std::fs::write(out_dir.join("builtin_data.rs"), code).unwrap();
    let store = builtin_store(&embedded, texts, &links);
    std::fs::write(out_dir.join("builtin.store"), store).unwrap();
}

/// The built-in data in the store format (#17), for `resolve`: read, validated, its twins
/// merged and its names keyed by the pipeline itself, and written by the writer of every
/// store, so that the built-in data and a user's `--data` files are answered by one code
/// path. Data that does not validate clean (an error or a warning, which the binary must
/// report when it reads the files) gets no store: an empty file, which the binary does
/// not open, so that it reads the data as before.
fn builtin_store(
    embedded: &[(String, std::path::PathBuf)],
    texts: Vec<Vec<u8>>,
    links: &[(String, String)],
) -> Vec<u8> {
    use gazetteer_core::source::{Input, Table, read_into};
    let mut tables = Vec::with_capacity(embedded.len());
    for ((name, _), text) in embedded.iter().zip(texts) {
        let Ok(text) = String::from_utf8(text) else {
            return Vec::new();
        };
        // The names and texts live as long as the build script, as the binary's do.
        let input = Input::Builtin {
            name: Box::leak(name.clone().into_boxed_str()),
            text: Box::leak(text.into_boxed_str()),
        };
        let mut t = Table::default();
        if read_into(&input, &mut t).is_err() {
            return Vec::new();
        }
        tables.push(t);
    }
    let validated = gazetteer_core::validate::validate(&tables);
    drop(tables);
    if !validated.diagnostics.is_empty() {
        println!(
            "cargo::warning=the built-in data has {} problems; the binary will read it instead of a store",
            validated.diagnostics.len()
        );
        return Vec::new();
    }
    let links: Vec<(&str, &str)> = links
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let g = gazetteer_core::twins::merge(validated.gazetteer, &links);
    gazetteer_core::store::places::builtin_bytes(&g)
        .unwrap_or_else(|e| panic!("the built-in store could not be written in memory: {e}"))
}

/// A sorted table of strings, each with a list of numbers, as the binary reads it
/// (`builtin::Table`): the count n, n+1 string offsets, n+1 list offsets, the numbers,
/// then the strings' bytes; every number a little-endian u32.
fn table<'a>(entries: impl Iterator<Item = (&'a str, Vec<u32>)>) -> Vec<u8> {
    let entries: Vec<(&str, Vec<u32>)> = entries.collect();
    let mut words: Vec<u32> = vec![entries.len() as u32];
    let mut text = Vec::new();
    let mut at = 0u32;
    words.push(0);
    for (s, _) in &entries {
        text.extend_from_slice(s.as_bytes());
        words.push(text.len() as u32);
    }
    words.push(0);
    for (_, list) in &entries {
        at += list.len() as u32;
        words.push(at);
    }
    for (_, list) in &entries {
        words.extend(list);
    }
    let mut out: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    out.extend(text);
    out
}

/// `data/links.csv`: (place id, other id) pairs. A row that is not two ids, or has no
/// source, stops the build: a link dropped quietly would split a place in two.
fn read_links(path: &Path) -> Vec<(String, String)> {
    println!("cargo::rerun-if-changed={}", path.display());
    let Ok(text) = std::fs::read(path) else {
        return Vec::new();
    };
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let header = reader.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h.trim() == n);
    let (Some(id_col), Some(same_col), Some(source_col)) =
        (col("place_id"), col("same_as"), col("source"))
    else {
        panic!("data/links.csv: the header must have place_id, same_as and source");
    };
    let mut links = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.unwrap_or_else(|e| panic!("data/links.csv: {e}"));
        let (Some(id), Some(same)) = (r.get(id_col), r.get(same_col)) else {
            panic!("data/links.csv:{}: a row needs place_id and same_as", i + 2);
        };
        // A link is a fact like any other: it cites the record it links to.
        if r.get(source_col).is_none_or(|s| s.trim().is_empty()) {
            panic!(
                "data/links.csv:{}: '{id}' has no source: cite the record it links to",
                i + 2
            );
        }
        for other in same.split('|').map(str::trim) {
            if id.trim().is_empty() || !other.contains(':') {
                panic!(
                    "data/links.csv:{}: '{id}' '{other}' is not a place id and a scheme:value id",
                    i + 2
                );
            }
            links.push((id.trim().to_string(), other.to_string()));
        }
    }
    // Sorted, so that `crate::twins` finds a place's links by binary search.
    links.sort();
    links
}

/// The keys a name is filed under, as `src/matching/keys.rs` files it: a name that folds
/// to nothing under its own text (marked with a leading U+0001), else its folded key, its
/// transliterated key, and the loose key of its variant key.
fn name_keys(name: &str, into: &mut Vec<String>) {
    let key = fold::fold(name);
    if key.is_empty() {
        into.push(format!("\u{1}{name}"));
        return;
    }
    let t = if name.is_ascii() {
        key.clone()
    } else {
        spelling::translit_key(name)
    };
    into.push(spelling::loose_key(&spelling::variant_key(&t)));
    into.push(spelling::translit_key(name));
    into.push(key);
}

/// Adds one file's names and rows to the index; false if the file cannot be indexed.
fn index_file(fi: u32, text: &[u8], g: &mut Gathered) -> bool {
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
    let same_col = col("same_as");
    let mut starts: Vec<(usize, String, String)> = Vec::new();
    for r in records {
        let Ok(r) = r else { return false };
        let (Some(id), Some(name)) = (r.get(id_col), r.get(name_col)) else {
            return false;
        };
        let start = r.position().map_or(0, |p| p.byte() as usize);
        let id = id.trim();
        if let Some(n) = id.strip_prefix("gn-") {
            g.geonames
                .entry(n.to_string())
                .or_default()
                .insert(id.to_string());
        }
        for other in same_col.and_then(|c| r.get(c)).unwrap_or("").split('|') {
            if let Some(n) = other.trim().strip_prefix("geonames:") {
                g.geonames
                    .entry(n.to_string())
                    .or_default()
                    .insert(id.to_string());
            }
        }
        starts.push((start, id.to_string(), name.trim().to_string()));
    }
    let mut newlines_before = 0u64;
    let mut counted_to = 0usize;
    let mut keys = Vec::new();
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
        g.places.entry(id.clone()).or_default().push([
            fi,
            (newlines_before + 1) as u32,
            first as u32,
            end as u32,
        ]);
        keys.clear();
        name_keys(name, &mut keys);
        for k in keys.drain(..) {
            g.keys.entry(k).or_default().insert(id.clone());
        }
    }
    true
}
