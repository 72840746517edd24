//! Linked Places Format (LPF v1.2.2, the World Historical Gazetteer's GeoJSON-LD): places
//! out, for `lookup --format lpf` and `export --format lpf`.
//!
//! Each place is a Feature: `@id` (`urn:gazetteer:place:ID`), `properties.title` (the
//! current name) and `ccodes`, `types` (its type), a Point `geometry`, and `names`, each
//! with `toponym`, `lang`, `citations` (its source) and `when.timespans`. A date the data
//! gives plainly (a year, a month or a day) is written `in`; one with approximate or
//! uncertain markers or unspecified digits is written as its window, `earliest` and
//! `latest`, with the EDTF text kept in `edtf`. Our own fields ride along as extra name
//! properties, which LPF allows: `kind` and `note`.

use crate::date::Date;
use crate::model::Place;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::io::{self, Write};

/// Where the LPF JSON-LD context is published.
pub const CONTEXT: &str = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld";

/// One end of a timespan.
fn bound(d: &Date) -> Value {
    let text = d.to_string();
    if d.is_plain() {
        return json!({ "in": text });
    }
    let w = d.window();
    // An interval's open or unknown end (`../1900`, #20) has no day to give.
    let mut b = serde_json::Map::new();
    if w.earliest != chrono::NaiveDate::MIN {
        b.insert(
            "earliest".into(),
            json!(w.earliest.format("%Y-%m-%d").to_string()),
        );
    }
    if w.latest != chrono::NaiveDate::MAX {
        b.insert(
            "latest".into(),
            json!(w.latest.format("%Y-%m-%d").to_string()),
        );
    }
    b.insert("edtf".into(), json!(text));
    Value::Object(b)
}

/// One place as an LPF Feature.
pub fn feature(p: &Place) -> Value {
    let names: Vec<Value> = p
        .names
        .iter()
        .map(|n| {
            let mut name = Map::new();
            name.insert("toponym".into(), json!(&*n.name));
            if !n.lang.is_empty() {
                name.insert("lang".into(), json!(&*n.lang));
            }
            if !n.source.is_empty() {
                name.insert(
                    "citations".into(),
                    json!([{ "@id": &*n.source, "label": &*n.source }]),
                );
            }
            if let Some(on) = n.attestation() {
                // An attestation: a timespan that starts and ends at its date.
                name.insert(
                    "when".into(),
                    json!({ "timespans": [{ "start": bound(on), "end": bound(on) }] }),
                );
            } else if n.start.is_some() || n.end.is_some() || n.open_start {
                let mut span = Map::new();
                // LPF requires a start: an unknown one is an empty object, an open one
                // (`..`, from the earliest times) says so in our `edtf`.
                let open = if n.open_start {
                    json!({ "edtf": ".." })
                } else {
                    json!({})
                };
                span.insert("start".into(), n.start.as_ref().map_or(open, bound));
                if let Some(e) = &n.end {
                    span.insert("end".into(), bound(e));
                }
                name.insert("when".into(), json!({ "timespans": [span] }));
            }
            name.insert("kind".into(), json!(n.kind.as_str()));
            if !n.note.is_empty() {
                name.insert("note".into(), json!(&*n.note));
            }
            Value::Object(name)
        })
        .collect();
    let mut properties = Map::new();
    properties.insert("title".into(), json!(p.current_name()));
    if let Some(c) = &p.country {
        properties.insert("ccodes".into(), json!([&**c]));
    }
    if let Some(n) = p.population {
        properties.insert("population".into(), json!(n));
    }
    let mut f = Map::new();
    f.insert("@id".into(), json!(format!("urn:gazetteer:place:{}", p.id)));
    f.insert("type".into(), json!("Feature"));
    f.insert("properties".into(), Value::Object(properties));
    f.insert("names".into(), Value::Array(names));
    if let Some(k) = &p.kind {
        f.insert("types".into(), json!([{ "label": &**k }]));
    }
    // The place's ids in other gazetteers (#18): LPF's links, as close matches.
    if !p.same_as.is_empty() {
        let links: Vec<Value> = p
            .same_as
            .iter()
            .map(|id| json!({ "type": "closeMatch", "identifier": id }))
            .collect();
        f.insert("links".into(), Value::Array(links));
    }
    if let Some((lat, lon)) = p.coords {
        f.insert(
            "geometry".into(),
            json!({ "type": "Point", "coordinates": [lon, lat] }),
        );
    }
    Value::Object(f)
}

/// Places as an LPF FeatureCollection, written a Feature at a time: the collection's
/// header, then each Feature as it is made, then the footer, so the whole document is
/// never held in memory.
pub fn places<'p>(out: &mut dyn Write, places: impl Iterator<Item = &'p Place>) -> io::Result<()> {
    let collection = Collection {
        features: RefCell::new(Some(places)),
    };
    serde_json::to_writer_pretty(&mut *out, &collection).map_err(crate::error::io_error_of_json)?;
    writeln!(out)
}

/// A FeatureCollection whose Features are made while it is written.
struct Collection<I> {
    /// Taken by the one serialization.
    features: RefCell<Option<I>>,
}

impl<'p, I: Iterator<Item = &'p Place>> Serialize for Collection<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("@context", CONTEXT)?;
        map.serialize_entry("type", "FeatureCollection")?;
        map.serialize_entry("features", &Streamed(&self.features))?;
        map.end()
    }
}

struct Streamed<'c, I>(&'c RefCell<Option<I>>);

impl<'p, I: Iterator<Item = &'p Place>> Serialize for Streamed<'_, I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for p in self.0.borrow_mut().take().into_iter().flatten() {
            seq.serialize_element(&feature(p))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed collection is the document the writer built whole before (#14).
    #[test]
    fn the_streamed_collection_is_the_whole_document() {
        let g = crate::testdata::curated();
        let mut out = Vec::new();
        places(&mut out, g.places.iter()).unwrap();
        let streamed: Value = serde_json::from_slice(&out).unwrap();
        let whole = json!({
            "@context": CONTEXT,
            "type": "FeatureCollection",
            "features": g.places.iter().map(feature).collect::<Vec<_>>(),
        });
        assert!(g.places.len() > 1000, "{}", g.places.len());
        assert_eq!(streamed, whole);
        let mut none = Vec::new();
        places(&mut none, g.places[..0].iter()).unwrap();
        let none: Value = serde_json::from_slice(&none).unwrap();
        assert_eq!(none["features"], json!([]));
    }
}
