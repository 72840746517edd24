//! Linked Places Format (GeoJSON-LD, as the World Historical Gazetteer reads it): [`read`]
//! turns a `.geojson`, `.jsonld`, `.json` or `.jsonl` file into rows, [`write`](mod@write)
//! places into a FeatureCollection.

pub mod read;
pub mod write;

pub use read::{is_lpf, parse_into};
pub use write::places;
