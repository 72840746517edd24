//! The curated data of `data/`, read from the files for this crate's tests: the same
//! tables the binary's crate embeds (`builtin`), which this crate cannot see.

use crate::model::Gazetteer;
use crate::source::{Input, Table};
use std::path::PathBuf;
use std::sync::OnceLock;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// The curated data files (`data/*.csv` but `links.csv`), as the build embeds them.
fn curated_inputs() -> Vec<Input> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("data/ is beside the crate")
        .map(|e| e.expect("data/ lists").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "csv")
                && p.file_name().is_some_and(|n| n != "links.csv")
        })
        .collect();
    files.sort();
    files.into_iter().map(Input::File).collect()
}

/// The curated data alone (not the world layer), read and validated.
pub fn curated() -> Gazetteer {
    let tables: Vec<Table> = curated_inputs()
        .iter()
        .map(|i| {
            let mut t = Table::default();
            crate::source::read_into(i, &mut t).unwrap();
            t
        })
        .collect();
    crate::validate::validate(&tables).gazetteer
}

/// `data/links.csv`: (place id, the id of its twin), sorted as `twins::merge` needs.
pub fn links() -> &'static [(&'static str, &'static str)] {
    static LINKS: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LINKS.get_or_init(|| {
        let mut r = csv::Reader::from_path(data_dir().join("links.csv")).unwrap();
        let headers = r.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (id, same) = (col("place_id"), col("same_as"));
        let mut links: Vec<(&'static str, &'static str)> = r
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                let leak = |s: &str| -> &'static str { Box::leak(s.trim().into()) };
                (leak(&rec[id]), leak(&rec[same]))
            })
            .collect();
        links.sort();
        links
    })
}
