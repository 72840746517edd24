//! The curated default data, compiled in from `data/*.csv` by `build.rs`.

use crate::read::Input;

include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

/// Every built-in data file as an input.
pub fn inputs() -> Vec<Input> {
    FILES
        .iter()
        .map(|&(name, text)| Input::Builtin { name, text })
        .collect()
}
