//! Linked Places Format in: a `--data` file ending in `.geojson`, `.jsonld`, `.json` (a
//! FeatureCollection, one Feature, or a list of Features) or `.jsonl` (one Feature a
//! line) becomes rows of our schema, offered to a sink like the rows of a CSV file.
//!
//! Owns the mapping from LPF to rows; validation stays in `validate`. A row's "line" is
//! the Feature's number in the file (its line in JSON Lines). For each name and each of
//! its timespans one row: `toponym` (or `ethnonym`), `lang`, start and end from `in`, or
//! from `edtf` when our own export wrote one, else the widest of `earliest`/`latest`;
//! `citations[0]` (`@id`, else `label`) as source; the place's first `types` label, first
//! `ccodes` entry and first Point (also inside a GeometryCollection). What our schema
//! cannot hold (several geometries, relations, links, descriptions) is left out, and a
//! warning says so once per file.

use crate::error::Diagnostic;
use crate::read::Sink;
use crate::validate::COLUMNS;
use serde_json::Value;
use std::sync::Arc;

/// Whether a file name says LPF.
pub fn is_lpf(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "geojson" | "jsonld" | "json" | "jsonl"
        )
    })
}

/// Reads LPF bytes into a sink.
pub fn parse_into(file: &str, bytes: &[u8], sink: &mut dyn Sink) {
    let name: Arc<str> = Arc::from(file);
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(e) => {
            sink.problem(Diagnostic::error(
                file,
                None,
                None,
                format!(
                    "bytes that are not UTF-8 (at byte {}): LPF is UTF-8 JSON",
                    e.valid_up_to()
                ),
            ));
            return;
        }
    };
    let jsonl = file.to_ascii_lowercase().ends_with(".jsonl");
    let mut features: Vec<(u64, Value)> = Vec::new();
    if jsonl {
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(line) {
                Ok(v) => features.push((i as u64 + 1, v)),
                Err(e) => sink.problem(Diagnostic::error(
                    file,
                    Some(i as u64 + 1),
                    None,
                    format!("not JSON: {e}"),
                )),
            }
        }
    } else {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                sink.problem(Diagnostic::error(
                    file,
                    Some(e.line() as u64),
                    None,
                    format!("not JSON: {e}: an LPF file is a GeoJSON FeatureCollection"),
                ));
                return;
            }
        };
        let list = match &value {
            Value::Array(a) => a.clone(),
            Value::Object(o) if o.get("features").is_some_and(Value::is_array) => {
                o["features"].as_array().cloned().unwrap_or_default()
            }
            Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("Feature") => {
                vec![value.clone()]
            }
            _ => {
                sink.problem(Diagnostic::error(
                    file,
                    None,
                    None,
                    "not LPF: expected a FeatureCollection (an object with \"features\"), a Feature or a list of Features".to_string(),
                ));
                return;
            }
        };
        features = list
            .into_iter()
            .enumerate()
            .map(|(i, f)| (i as u64 + 1, f))
            .collect();
    }
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    if !sink.header(&name, &header) {
        return;
    }
    let mut rows = 0u64;
    let mut left_out: Vec<&str> = Vec::new();
    for (line, f) in &features {
        for key in ["relations", "links", "descriptions", "depictions"] {
            if f.get(key)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
                && !left_out.contains(&key)
            {
                left_out.push(key);
            }
        }
        if f.pointer("/geometry/geometries")
            .and_then(Value::as_array)
            .is_some_and(|g| g.len() > 1)
            && !left_out.contains(&"geometries")
        {
            left_out.push("geometries");
        }
        // "@id"; a WHG API response has "uri" and a numeric "properties.place_id".
        let id = f
            .get("@id")
            .or_else(|| f.get("uri"))
            .or_else(|| f.pointer("/properties/id"))
            .or_else(|| f.pointer("/properties/place_id"))
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        let Some(id) = id else {
            sink.problem(Diagnostic::error(
                file,
                Some(*line),
                Some("place_id"),
                format!("feature {line} has no \"@id\": every LPF place needs one"),
            ));
            continue;
        };
        let id = id.as_str();
        let id = id.strip_prefix("urn:gazetteer:place:").unwrap_or(id);
        let kind = f
            .pointer("/types/0/label")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_lowercase();
        let country = f
            .pointer("/properties/ccodes/0")
            .or_else(|| f.pointer("/properties/ccode"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let (lat, lon) = point(f.get("geometry"))
            .map_or((String::new(), String::new()), |(lon, lat)| {
                (lat.to_string(), lon.to_string())
            });
        let mut names = f
            .get("names")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if names.is_empty() {
            let Some(title) = f.pointer("/properties/title").and_then(Value::as_str) else {
                sink.problem(Diagnostic::error(file, Some(*line), Some("name"), format!("feature {line} ('{id}') has no names and no title: LPF places need at least one toponym")));
                continue;
            };
            sink.problem(Diagnostic::warning(file, Some(*line), Some("name"), format!("feature {line} ('{id}') has no names: its title '{title}' is taken as its one name, with unknown dates")));
            names.push(serde_json::json!({ "toponym": title }));
        }
        for n in &names {
            let toponym = n
                .get("toponym")
                .or_else(|| n.get("ethnonym"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let lang = n.get("lang").and_then(Value::as_str).unwrap_or("");
            let citation = n.pointer("/citations/0").or_else(|| n.get("citation"));
            let source = citation
                .and_then(|c| {
                    c.get("@id")
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .or_else(|| c.get("label").and_then(Value::as_str))
                })
                .unwrap_or("");
            let name_kind = n.get("kind").and_then(Value::as_str).unwrap_or("");
            let note = n.get("note").and_then(Value::as_str).unwrap_or("");
            let spans: Vec<Value> = n
                .pointer("/when/timespans")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let spans = if spans.is_empty() {
                vec![Value::Null]
            } else {
                spans
            };
            for span in spans {
                let mut start = span.get("start").map_or(String::new(), |b| bound(b, true));
                let mut end = span.get("end").map_or(String::new(), |b| bound(b, false));
                // A timespan that starts and ends in the same `in` (or our own `edtf`) is
                // an attestation: the name was in use then (English Place-Name Society:
                // "967 BCS").
                let mut attested = String::new();
                let date = |b: &str| {
                    ["edtf", "in"]
                        .iter()
                        .find_map(|k| span.get(b)?.get(k).filter(|v| !v.is_null()))
                };
                if date("start").is_some() && date("start") == date("end") {
                    attested = std::mem::take(&mut start);
                    end.clear();
                }
                let record = csv::StringRecord::from(vec![
                    id, toponym, &start, &end, lang, &kind, country, &lat, &lon, source, note,
                    name_kind, &attested,
                ]);
                sink.row(&name, *line, &record);
                rows += 1;
            }
        }
    }
    if !left_out.is_empty() {
        sink.problem(Diagnostic::warning(
            file,
            None,
            None,
            format!("left out what our schema cannot hold: {} (only the first Point of a place is kept)", left_out.join(", ")),
        ));
    }
    sink.end(&name, rows);
}

/// A date of a timespan bound as EDTF text.
fn bound(b: &Value, start: bool) -> String {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.split('T').next().unwrap_or("").to_string()),
        Value::Number(n) => n.as_i64().map(|y| {
            if y < 0 {
                format!("-{:04}", -y)
            } else {
                format!("{y:04}")
            }
        }),
        _ => None,
    };
    for key in ["edtf", "in"] {
        if let Some(t) = b.get(key).and_then(text) {
            return t;
        }
    }
    let widest = if start { "earliest" } else { "latest" };
    b.get(widest)
        .or_else(|| b.get(if start { "latest" } else { "earliest" }))
        .and_then(text)
        .unwrap_or_default()
}

/// The first Point of a geometry: (lon, lat).
fn point(g: Option<&Value>) -> Option<(f64, f64)> {
    let g = g?;
    match g.get("type").and_then(Value::as_str)? {
        "Point" => {
            let c = g.get("coordinates")?.as_array()?;
            Some((c.first()?.as_f64()?, c.get(1)?.as_f64()?))
        }
        "GeometryCollection" => g
            .get("geometries")?
            .as_array()?
            .iter()
            .find_map(|x| point(Some(x))),
        _ => None,
    }
}
