//! Linked Places Format in: a `--data` file ending in `.geojson`, `.jsonld`, `.json` (a
//! FeatureCollection, one Feature, or a list of Features) or `.jsonl` (one Feature a
//! line) becomes rows of our schema, offered to a sink like the rows of a CSV file.
//!
//! Owns the mapping from LPF to rows; validation stays in `validate`. The file is read a
//! Feature at a time (a FeatureCollection's `features` are streamed), and each Feature's
//! rows reach the sink before the next is parsed, so memory does not grow with the file.
//! A row's "line" is the Feature's number in the file (its line in JSON Lines). For each
//! name and each of its timespans one row: `toponym` (or `ethnonym`), `lang`, start and
//! end from `in`, or from `edtf` when our own export wrote one, else the widest of
//! `earliest`/`latest` (a timespan starting and ending in the same `in`, or in the same
//! `earliest`/`latest` window, is an attestation: `1165/1185` for the window); the name's citation for that timespan (`@id`, else `label`) as
//! source; the place's first `types` label, first `ccodes` entry and first Point (also
//! inside a GeometryCollection). What our schema cannot hold (several geometries,
//! relations, links, descriptions) is left out, and a warning says so once per file. A
//! value that cannot be read is never dropped quietly: a date is an error naming the
//! Feature and the field, anything else a warning.

use crate::error::Diagnostic;
use crate::schema::COLUMNS;
use crate::source::Sink;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
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

/// The most JSON text one Feature may take. A Feature is held whole while it is parsed, so
/// past this the file is refused rather than read into memory (`/dev/zero`, a string left
/// open); no place needs as much.
const MAX_FEATURE: u64 = 16 << 20;

/// Bytes read since the current Feature began, its number, and whether it went past
/// [`MAX_FEATURE`].
#[derive(Default)]
struct Budget {
    used: Cell<u64>,
    feature: Cell<u64>,
    over: Cell<bool>,
}

impl Budget {
    fn next(&self, feature: u64) {
        self.used.set(0);
        self.feature.set(feature);
    }
}

/// Reads LPF from a stream into a sink, a Feature at a time. `Err` only when the stream
/// cannot be read; problems of the data go to the sink.
pub fn parse_into(file: &str, input: impl Read, sink: &mut dyn Sink) -> io::Result<()> {
    let mut raw = BufReader::with_capacity(1 << 16, input);
    if raw.fill_buf()?.starts_with(crate::source::BOM) {
        raw.consume(3);
    }
    let not_utf8 = Rc::new(Cell::new(None));
    let budget = Rc::new(Budget::default());
    budget.next(1);
    let check = Utf8Check::new(raw, not_utf8.clone(), budget.clone());
    let mut text = BufReader::with_capacity(1 << 16, check);
    let mut reading = Reading::new(file, sink);
    reading.budget = budget.clone();
    let outcome = if file.to_ascii_lowercase().ends_with(".jsonl") {
        reading.start();
        json_lines(&mut text, &mut reading)
    } else {
        let mut de = serde_json::Deserializer::from_reader(text);
        match TopLevel(&mut reading)
            .deserialize(&mut de)
            .and_then(|lpf| de.end().map(|()| lpf))
        {
            Ok(true) => Ok(()),
            Ok(false) => {
                reading.sink.problem(Diagnostic::error(
                    file,
                    None,
                    None,
                    "not LPF: expected a FeatureCollection (an object with \"features\"), a Feature or a list of Features".to_string(),
                ));
                Ok(())
            }
            Err(e) if e.is_io() => Err(io::Error::from(e)),
            Err(e) => {
                reading.sink.problem(Diagnostic::error(
                    file,
                    Some(e.line() as u64),
                    None,
                    format!("not JSON: {e}: an LPF file is a GeoJSON FeatureCollection"),
                ));
                Ok(())
            }
        }
    };
    let outcome = match outcome {
        Err(_) if budget.over.get() => {
            let n = budget.feature.get();
            reading.sink.problem(Diagnostic::error(
                file,
                Some(n),
                None,
                format!(
                    "feature {n} is over {} MB of JSON, more than any place needs: is this an LPF file? (a string or a list left open also runs on)",
                    MAX_FEATURE >> 20
                ),
            ));
            Ok(())
        }
        Err(_) if not_utf8.get().is_some() => {
            reading.sink.problem(Diagnostic::error(
                file,
                None,
                None,
                format!(
                    "bytes that are not UTF-8 (at byte {}): LPF is UTF-8 JSON",
                    not_utf8.get().unwrap_or(0)
                ),
            ));
            Ok(())
        }
        other => other,
    };
    reading.finish();
    outcome
}

/// JSON Lines: one Feature a line; a line that is not JSON is an error, and the next
/// line is read.
fn json_lines(text: &mut impl BufRead, reading: &mut Reading<'_>) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        reading.budget.next(number + 1);
        if text.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Value>(&line) {
            Ok(v) => reading.feature(number, v),
            Err(e) if e.is_io() => return Err(io::Error::from(e)),
            Err(e) => reading.sink.problem(Diagnostic::error(
                reading.file,
                Some(number),
                None,
                format!("not JSON: {e}"),
            )),
        }
    }
}

/// Passes bytes through, failing (and noting the byte offset) at the first that is not
/// UTF-8, so a damaged file is refused with where it is damaged, as before streaming.
struct Utf8Check<R> {
    inner: R,
    /// The start of a character split between two reads.
    carry: Vec<u8>,
    /// Bytes passed so far.
    offset: u64,
    not_utf8: Rc<Cell<Option<u64>>>,
    budget: Rc<Budget>,
}

impl<R> Utf8Check<R> {
    fn new(inner: R, not_utf8: Rc<Cell<Option<u64>>>, budget: Rc<Budget>) -> Self {
        Utf8Check {
            inner,
            carry: Vec::new(),
            offset: 0,
            not_utf8,
            budget,
        }
    }

    /// The offset of the first byte that is not UTF-8 in `data`, read after the carry.
    fn check(&mut self, mut data: &[u8]) -> Result<(), u64> {
        let mut at = self.offset;
        if let Some(&lead) = self.carry.first() {
            let len = match lead {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let take = (len - self.carry.len()).min(data.len());
            self.carry.extend_from_slice(&data[..take]);
            data = &data[take..];
            at += take as u64;
            if self.carry.len() < len {
                return Ok(());
            }
            if std::str::from_utf8(&self.carry).is_err() {
                return Err(self.offset - (self.carry.len() - take) as u64);
            }
            self.carry.clear();
        }
        match std::str::from_utf8(data) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_none() => {
                self.carry.extend_from_slice(&data[e.valid_up_to()..]);
                Ok(())
            }
            Err(e) => Err(at + e.valid_up_to() as u64),
        }
    }
}

impl<R: Read> Read for Utf8Check<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let checked = if n == 0 {
            match self.carry.len() {
                0 => Ok(()),
                k => Err(self.offset - k as u64),
            }
        } else {
            self.check(&buf[..n])
        };
        if let Err(at) = checked {
            self.not_utf8.set(Some(at));
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8"));
        }
        self.offset += n as u64;
        let used = self.budget.used.get() + n as u64;
        self.budget.used.set(used);
        if used > MAX_FEATURE {
            self.budget.over.set(true);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a Feature too large",
            ));
        }
        Ok(n)
    }
}

/// The top of an LPF file: a list of Features, a FeatureCollection whose `features` are
/// streamed, or one Feature. `false`: none of these.
struct TopLevel<'r, 's>(&'r mut Reading<'s>);

impl<'de> DeserializeSeed<'de> for TopLevel<'_, '_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a FeatureCollection, a Feature or a list of Features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        Features(self.0).visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        // What is not the list of features is small (the collection's `type`, `@context`),
        // or it is the fields of a Feature given alone.
        let mut rest = Map::new();
        let mut listed = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" && !listed {
                listed = map.next_value_seed(Features(&mut *self.0))?;
            } else {
                let value: Value = map.next_value()?;
                rest.insert(key, value);
            }
        }
        if listed {
            return Ok(true);
        }
        if rest.get("type").and_then(Value::as_str) == Some("Feature") {
            self.0.feature(1, Value::Object(rest));
            return Ok(true);
        }
        Ok(false)
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// A list of Features, each handed on as soon as it is parsed. `false`: not a list.
struct Features<'r, 's>(&'r mut Reading<'s>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of Features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        self.0.start();
        let mut number = 0u64;
        self.0.budget.next(1);
        while let Some(feature) = seq.next_element::<Value>()? {
            number += 1;
            self.0.budget.next(number + 1);
            self.0.feature(number, feature);
        }
        Ok(true)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// A warning said once per file, however often its case comes up.
struct Said {
    kind: &'static str,
    first: Diagnostic,
    more: u64,
}

/// One file being read.
struct Reading<'s> {
    file: &'s str,
    name: Arc<str>,
    sink: &'s mut dyn Sink,
    started: bool,
    /// The sink cannot take the rows.
    refused: bool,
    rows: u64,
    left_out: Vec<&'static str>,
    said: Vec<Said>,
    /// What the current Feature has read so far.
    budget: Rc<Budget>,
}

/// A value as it is quoted in a message: its JSON text, cut short when long.
fn quoted(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

/// What a JSON value is, for messages.
fn what(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl<'s> Reading<'s> {
    fn new(file: &'s str, sink: &'s mut dyn Sink) -> Self {
        Reading {
            file,
            name: Arc::from(file),
            sink,
            started: false,
            refused: false,
            rows: 0,
            left_out: Vec::new(),
            said: Vec::new(),
            budget: Rc::default(),
        }
    }

    /// Offers the header, once, before the first Feature.
    fn start(&mut self) {
        if !self.started {
            self.started = true;
            let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            self.refused = !self.sink.header(&self.name, &header);
        }
    }

    /// The once-per-file warnings, and the end of the file for the sink.
    fn finish(mut self) {
        if !self.started || self.refused {
            return;
        }
        if !self.left_out.is_empty() {
            self.sink.problem(Diagnostic::warning(
                self.file,
                None,
                None,
                format!(
                    "left out what our schema cannot hold: {} (only the first Point of a place is kept)",
                    self.left_out.join(", ")
                ),
            ));
        }
        for said in std::mem::take(&mut self.said) {
            let mut d = said.first;
            if said.more > 0 {
                d.message
                    .push_str(&format!(" (and {} more like it in this file)", said.more));
            }
            self.sink.problem(d);
        }
        self.sink.end(&self.name, self.rows);
    }

    fn leave_out(&mut self, what: &'static str) {
        if !self.left_out.contains(&what) {
            self.left_out.push(what);
        }
    }

    /// A warning of a kind said once per file (the first case, and how many more).
    fn warn(
        &mut self,
        kind: &'static str,
        line: u64,
        column: Option<&str>,
        message: impl FnOnce() -> String,
    ) {
        if let Some(s) = self.said.iter_mut().find(|s| s.kind == kind) {
            s.more += 1;
            return;
        }
        let first = Diagnostic::warning(self.file, Some(line), column, message());
        self.said.push(Said {
            kind,
            first,
            more: 0,
        });
    }

    fn error(&mut self, line: u64, column: Option<&str>, message: String) {
        self.sink
            .problem(Diagnostic::error(self.file, Some(line), column, message));
    }

    /// A text field: absent or null is empty; another kind of value is a warning (and
    /// empty), named by `field` (e.g. `names[2].lang`).
    fn text<'v>(
        &mut self,
        line: u64,
        id: &str,
        value: Option<&'v Value>,
        column: &str,
        field: impl FnOnce() -> String,
    ) -> &'v str {
        match value {
            None | Some(Value::Null) => "",
            Some(Value::String(s)) => s,
            Some(v) => {
                let shown = quoted(v);
                self.warn("text", line, Some(column), || {
                    format!(
                        "feature {line} ('{id}'): {} is {shown}, not text: it is left out",
                        field()
                    )
                });
                ""
            }
        }
    }

    /// One Feature: its rows go to the sink.
    fn feature(&mut self, line: u64, f: Value) {
        self.start();
        if self.refused {
            return;
        }
        let Value::Object(mut f) = f else {
            let shown = what(&f);
            self.error(
                line,
                None,
                format!("feature {line} is {shown}, not a Feature (a JSON object)"),
            );
            return;
        };
        // The place's ids in other gazetteers (#18): close and exact matches become its
        // `same_as`; links of other kinds are left out.
        let mut same_as: Vec<String> = Vec::new();
        for link in f
            .get("links")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let kind = link.get("type").and_then(Value::as_str).unwrap_or("");
            let identifier = link.get("identifier").and_then(Value::as_str).unwrap_or("");
            let usable = matches!(kind, "closeMatch" | "exactMatch")
                && identifier.contains(':')
                && !identifier.contains(|c: char| c.is_whitespace() || c == '|');
            if usable {
                let identifier = same_as_id(identifier);
                if !same_as.contains(&identifier) {
                    same_as.push(identifier);
                }
            } else {
                self.leave_out(
                    "links other than a closeMatch or exactMatch with a scheme:value identifier",
                );
            }
        }
        let same_as = same_as.join("|");
        for key in ["relations", "descriptions", "depictions"] {
            if f.get(key)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
            {
                self.leave_out(key);
            }
        }
        if f.get("geometry")
            .and_then(|g| g.get("geometries"))
            .and_then(Value::as_array)
            .is_some_and(|g| g.len() > 1)
        {
            self.leave_out("geometries");
        }
        if f.get("types")
            .and_then(Value::as_array)
            .is_some_and(|t| t.len() > 1)
        {
            self.leave_out("types after the first");
        }
        if f.get("properties")
            .and_then(|p| p.get("ccodes"))
            .and_then(Value::as_array)
            .is_some_and(|c| c.len() > 1)
        {
            self.leave_out("ccodes after the first");
        }
        if ["when", "whens"]
            .iter()
            .any(|k| f.get(*k).is_some_and(|w| !w.is_null()))
        {
            self.leave_out("the place's own when (its names' dates are kept)");
        }
        // "@id"; a WHG API response has "uri" and a numeric "properties.place_id".
        let id = f
            .get("@id")
            .or_else(|| f.get("uri"))
            .or_else(|| f.get("properties").and_then(|p| p.get("id")))
            .or_else(|| f.get("properties").and_then(|p| p.get("place_id")));
        let id = match id {
            Some(Value::String(s)) => s.clone(),
            // The number's text as written (serde_json's arbitrary_precision): ids above
            // 2^53 stay apart.
            Some(Value::Number(n)) => n.to_string(),
            None | Some(Value::Null) => {
                self.error(
                    line,
                    Some("place_id"),
                    format!("feature {line} has no \"@id\": every LPF place needs one"),
                );
                return;
            }
            Some(v) => {
                let shown = quoted(v);
                self.error(
                    line,
                    Some("place_id"),
                    format!(
                        "feature {line}'s \"@id\" is {shown}, not text or a number: every LPF place needs one"
                    ),
                );
                return;
            }
        };
        let id = id.strip_prefix("urn:gazetteer:place:").unwrap_or(&id);
        let names = f.remove("names");
        let kind = f
            .get("types")
            .and_then(|t| t.get(0))
            .and_then(|t| t.get("label"));
        let kind = self
            .text(line, id, kind, "type", || "types[0].label".to_string())
            .to_lowercase();
        let properties = f.get("properties");
        let country = properties
            .and_then(|p| p.get("ccodes"))
            .and_then(|c| c.get(0))
            .or_else(|| properties.and_then(|p| p.get("ccode")));
        let country = self.text(line, id, country, "country", || {
            "properties.ccodes[0]".to_string()
        });
        let (lat, lon) = self
            .point(line, id, f.get("geometry"), "geometry")
            .map_or((String::new(), String::new()), |(lon, lat)| {
                (lat.to_string(), lon.to_string())
            });
        let names = match names {
            Some(Value::Array(names)) if !names.is_empty() => names,
            None | Some(Value::Null) | Some(Value::Array(_)) => {
                let Some(title) = properties
                    .and_then(|p| p.get("title"))
                    .and_then(Value::as_str)
                else {
                    self.error(line, Some("name"), format!("feature {line} ('{id}') has no names and no title: LPF places need at least one toponym"));
                    return;
                };
                self.sink.problem(Diagnostic::warning(self.file, Some(line), Some("name"), format!("feature {line} ('{id}') has no names: its title '{title}' is taken as its one name, with unknown dates")));
                vec![serde_json::json!({ "toponym": title })]
            }
            Some(v) => {
                let shown = what(&v);
                self.error(
                    line,
                    Some("name"),
                    format!("feature {line} ('{id}'): names is {shown}, not a list of names"),
                );
                return;
            }
        };
        // Not an LPF property, but ours (and WHG's exports of GeoNames carry it too).
        let population = match properties.and_then(|p| p.get("population")) {
            Some(Value::Number(n)) if n.is_u64() => n.to_string(),
            Some(Value::String(s)) if s.parse::<u64>().is_ok() => s.clone(),
            None | Some(Value::Null) => String::new(),
            Some(v) => {
                let shown = quoted(v);
                self.warn("population", line, Some("population"), || {
                    format!("feature {line} ('{id}'): properties.population is {shown}, not a whole number: it is left out")
                });
                String::new()
            }
        };
        let place = Place {
            line,
            id,
            kind: &kind,
            country,
            lat: &lat,
            lon: &lon,
            population: &population,
            same_as: &same_as,
        };
        for (i, n) in names.iter().enumerate() {
            self.name(&place, i, n);
        }
    }

    /// The rows of one name of a place.
    fn name(&mut self, p: &Place<'_>, i: usize, n: &Value) {
        let (line, id) = (p.line, p.id);
        let Some(n) = n.as_object() else {
            let shown = quoted(n);
            self.error(
                line,
                Some("name"),
                format!("feature {line} ('{id}'): names[{i}] is {shown}, not a name (an object with \"toponym\")"),
            );
            return;
        };
        let Some(toponym) = n
            .get("toponym")
            .or_else(|| n.get("ethnonym"))
            .and_then(Value::as_str)
        else {
            let shown = n
                .get("toponym")
                .map_or_else(|| "missing".to_string(), quoted);
            self.error(
                line,
                Some("name"),
                format!("feature {line} ('{id}'): names[{i}].toponym is {shown}: every name needs its toponym as text"),
            );
            return;
        };
        let lang = self.text(line, id, n.get("lang"), "lang", || {
            format!("names[{i}].lang")
        });
        let name_kind = self.text(line, id, n.get("kind"), "kind", || {
            format!("names[{i}].kind")
        });
        let note = self.text(line, id, n.get("note"), "note", || {
            format!("names[{i}].note")
        });
        let citations = self.citations(line, id, i, n);
        // Each timespan's start and end; `None` for one that cannot be read (an error).
        let mut spans: Vec<Option<(String, String)>> = Vec::new();
        let mut attestations: Vec<Option<Attested>> = Vec::new();
        if let Some(Value::Object(when)) = n.get("when")
            && when.keys().any(|k| k != "timespans")
        {
            self.leave_out(
                "what a name's when holds besides timespans (periods, labels, certainty)",
            );
        }
        match n.get("when") {
            None | Some(Value::Null) => {}
            Some(Value::Object(when)) => match when.get("timespans") {
                Some(Value::Array(list)) => {
                    for (j, span) in list.iter().enumerate() {
                        let field = format!("names[{i}].when.timespans[{j}]");
                        spans.push(self.timespan(line, id, &field, span));
                        attestations.push(attestation(span));
                    }
                }
                None | Some(Value::Null) => {}
                Some(v) => {
                    let shown = quoted(v);
                    self.error(line, Some("start"), format!("feature {line} ('{id}'): names[{i}].when.timespans is {shown}, not a list of timespans"));
                    return;
                }
            },
            Some(v) => {
                let shown = quoted(v);
                self.error(
                    line,
                    Some("start"),
                    format!("feature {line} ('{id}'): names[{i}].when is {shown}, not an object with \"timespans\""),
                );
                return;
            }
        }
        let undated = spans.is_empty();
        if undated {
            spans.push(Some((String::new(), String::new())));
        }
        let sources = cite(&citations, &spans, undated);
        if (0..citations.len()).any(|c| !sources.contains(&Some(c))) {
            self.leave_out("citations that go with none of a name's timespans");
        }
        for (k, (span, source)) in spans.iter().zip(&sources).enumerate() {
            let Some((start, end)) = span else { continue };
            let source = source.map_or("", |c| citations[c].text.as_str());
            // A timespan that starts and ends in the same `in` (or our own `edtf`) is an
            // attestation: the name was in use then (English Place-Name Society: "967 BCS").
            // One that starts and ends in the same window (`earliest` 1165, `latest` 1185,
            // for "c. 1175") is an attestation within that window: `1165/1185` (#20).
            let within;
            let (start, end, attested) = match attestations.get(k).copied().flatten() {
                Some(Attested::On) => ("", "", start.as_str()),
                Some(Attested::Within) => {
                    within = format!("{start}/{end}");
                    ("", "", within.as_str())
                }
                None => (start.as_str(), end.as_str(), ""),
            };
            let record = csv::StringRecord::from(vec![
                id,
                toponym,
                start,
                end,
                lang,
                p.kind,
                p.country,
                p.lat,
                p.lon,
                source,
                note,
                name_kind,
                attested,
                p.population,
                p.same_as,
            ]);
            self.sink.row(&self.name, line, &record);
            self.rows += 1;
        }
    }

    /// A name's citations (`citations`, or one `citation`), in order.
    fn citations(
        &mut self,
        line: u64,
        id: &str,
        i: usize,
        n: &Map<String, Value>,
    ) -> Vec<Citation> {
        let list: Vec<&Value> = match n.get("citations").or_else(|| n.get("citation")) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.iter().collect(),
            Some(c) => vec![c],
        };
        let mut out = Vec::new();
        for (c, v) in list.into_iter().enumerate() {
            // An empty `@id` or `label` (WHG writes them) says nothing; another kind of
            // value is one we cannot read.
            let field = |key: &str| match v.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str()).filter(|s| !s.is_empty())),
                Some(_) => Err(()),
            };
            let text = match (field("@id"), field("label")) {
                (Ok(Some(t)), _) | (Ok(None), Ok(Some(t))) => t,
                (Ok(None), Ok(None)) if v.is_object() => continue,
                _ => {
                    let shown = quoted(v);
                    self.warn("citation", line, Some("source"), || {
                        format!("feature {line} ('{id}'): names[{i}].citations[{c}] is {shown}, with neither \"@id\" nor \"label\" as text: it is left out")
                    });
                    continue;
                }
            };
            let years = v
                .get("label")
                .and_then(Value::as_str)
                .and_then(label_years)
                .or_else(|| {
                    let y = whole_year(v.get("year")?.as_number()?)?;
                    Some((y, y))
                });
            out.push(Citation {
                text: text.to_string(),
                years,
            });
        }
        out
    }

    /// A timespan's start and end as EDTF text (empty when unknown); `None` after an
    /// error.
    fn timespan(
        &mut self,
        line: u64,
        id: &str,
        field: &str,
        span: &Value,
    ) -> Option<(String, String)> {
        let Some(span) = span.as_object() else {
            let shown = quoted(span);
            self.error(
                line,
                Some("start"),
                format!("feature {line} ('{id}'): {field} is {shown}, not a timespan (an object with \"start\")"),
            );
            return None;
        };
        let mut ends = [String::new(), String::new()];
        for (k, column) in ["start", "end"].into_iter().enumerate() {
            let Some(b) = span.get(column) else { continue };
            match bound(b, column == "start") {
                Ok((text, bare)) => {
                    if bare {
                        self.warn("bare", line, Some(column), || {
                            format!("feature {line} ('{id}'): {field}.{column} is {}, a bare year (as in early LPF drafts) rather than an object with \"in\": read as that year, and -1 as unknown", quoted(b))
                        });
                    }
                    // An end given without a date would silently read as "still in use".
                    if column == "end" && text.is_empty() && !b.is_null() {
                        self.warn("empty end", line, Some(column), || {
                            format!("feature {line} ('{id}'): {field}.end is {}, with no date: read as still in use; give the date the name ended, or leave the end out", quoted(b))
                        });
                    }
                    ends[k] = text;
                }
                Err(bad) => {
                    self.error(
                        line,
                        Some(column),
                        format!(
                            "feature {line} ('{id}'): {field}.{column}{} is {}, {}",
                            bad.field, bad.value, bad.why
                        ),
                    );
                    return None;
                }
            }
        }
        let [start, end] = ends;
        Some((start, end))
    }

    /// The first Point of a geometry: (lon, lat). A Point whose coordinates are not two
    /// numbers is a warning; a geometry of another type is left out.
    fn point(&mut self, line: u64, id: &str, g: Option<&Value>, field: &str) -> Option<(f64, f64)> {
        let g = g.filter(|g| !g.is_null())?;
        match g.get("type").and_then(Value::as_str) {
            Some("Point") => {
                let c = g.get("coordinates");
                let number = |i: usize| {
                    c.and_then(|c| c.get(i))
                        .and_then(Value::as_f64)
                        .filter(|x| x.is_finite())
                };
                match (number(0), number(1)) {
                    (Some(lon), Some(lat)) => Some((lon, lat)),
                    _ => {
                        let shown = c.map_or_else(|| "missing".to_string(), quoted);
                        self.warn("coordinates", line, Some("lat"), || {
                            format!("feature {line} ('{id}'): {field}.coordinates is {shown}, not [longitude, latitude] as numbers: the place is read without coordinates")
                        });
                        None
                    }
                }
            }
            Some("GeometryCollection") => {
                let Some(all) = g.get("geometries").and_then(Value::as_array) else {
                    self.leave_out("geometries that are not Points");
                    return None;
                };
                let point = all.iter().position(|x| {
                    x.get("type").and_then(Value::as_str) == Some("Point")
                        || x.get("type").and_then(Value::as_str) == Some("GeometryCollection")
                });
                match point {
                    Some(i) => {
                        let inner = format!("{field}.geometries[{i}]");
                        self.point(line, id, all.get(i), &inner)
                    }
                    None => {
                        if !all.is_empty() {
                            self.leave_out("geometries that are not Points");
                        }
                        None
                    }
                }
            }
            _ => {
                self.leave_out("geometries that are not Points");
                None
            }
        }
    }
}

/// What a name's rows share with the other names of its place.
struct Place<'a> {
    line: u64,
    id: &'a str,
    kind: &'a str,
    country: &'a str,
    lat: &'a str,
    lon: &'a str,
    population: &'a str,
    same_as: &'a str,
}

/// A citation: the text kept as a row's source, and the years its label begins with.
struct Citation {
    text: String,
    years: Option<(i64, i64)>,
}

/// Which citation (by index) goes with each timespan. One citation goes with every
/// timespan of its name. Of several, each timespan takes the first whose label's years
/// (`1276 RH`, `1237-40 Fees`, `c. 1175 ...`) meet its own; failing that, when there are
/// as many citations as timespans, the one in the same place; else none (citing another
/// timespan's document would put a date on the wrong evidence). A name without
/// timespans keeps its first citation.
fn cite(
    citations: &[Citation],
    spans: &[Option<(String, String)>],
    undated: bool,
) -> Vec<Option<usize>> {
    if citations.len() <= 1 || undated {
        let first = (!citations.is_empty()).then_some(0);
        return vec![first; spans.len()];
    }
    spans
        .iter()
        .enumerate()
        .map(|(j, span)| {
            let years = span
                .as_ref()
                .and_then(|(s, e)| match (edtf_year(s), edtf_year(e)) {
                    (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
                    (Some(a), None) | (None, Some(a)) => Some((a, a)),
                    (None, None) => None,
                });
            let by_year = years.and_then(|(s, e)| {
                citations
                    .iter()
                    .position(|c| c.years.is_some_and(|(a, b)| a <= e && s <= b))
            });
            by_year.or((citations.len() == spans.len()).then_some(j))
        })
        .collect()
}

/// The year an EDTF date begins with (`-0044-03-15` is -44); none for `196X` or empty.
fn edtf_year(text: &str) -> Option<i64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if digits < 4 || body[digits..].starts_with(['X', 'u']) {
        return None;
    }
    let y: i64 = body[..digits].parse().ok()?;
    Some(if negative { -y } else { y })
}

/// The years a citation label begins with: `1276 RH` (1276, 1276), `1237-40 Fees` (1237,
/// 1240), `c. 1175 Drayton Charters` (1175, 1175); none for a label not starting with one.
fn label_years(label: &str) -> Option<(i64, i64)> {
    let mut rest = label.trim_start();
    for prefix in ["circa ", "ca. ", "ca ", "c. ", "c."] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.trim_start();
            break;
        }
    }
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(rest);
    if !(3..=4).contains(&n) {
        return None;
    }
    let start: i64 = rest[..n].parse().ok()?;
    let after = &rest[n..];
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let Some(range) = after.strip_prefix('-') else {
        return Some((start, start));
    };
    let m = digits(range);
    if m == 0 || m > n || range[m..].starts_with(|c: char| c.is_alphanumeric()) {
        return Some((start, start));
    }
    // `1237-40`: the end keeps the start's leading digits.
    let end: i64 = format!("{}{}", &rest[..n - m], &range[..m]).parse().ok()?;
    Some((start, end.max(start)))
}

/// A bound's value that cannot be read as a date.
struct BadValue {
    /// Below the bound (`.in`), or empty when the bound itself is bad.
    field: String,
    value: String,
    why: &'static str,
}

/// One end of a timespan as EDTF text (empty when unknown), and whether it was given
/// bare (a year or date instead of an object, as early LPF drafts had it; -1 there was
/// unknown).
fn bound(b: &Value, start: bool) -> Result<(String, bool), BadValue> {
    let bad = |field: &str, v: &Value, why| BadValue {
        field: field.to_string(),
        value: quoted(v),
        why,
    };
    match b {
        Value::Null => Ok((String::new(), false)),
        Value::Number(n) if n.as_i64() == Some(-1) => Ok((String::new(), true)),
        Value::Number(_) | Value::String(_) => date_text(b)
            .map(|t| (t, true))
            .map_err(|why| bad("", b, why)),
        Value::Object(o) => {
            let widest = if start { "earliest" } else { "latest" };
            let narrowest = if start { "latest" } else { "earliest" };
            for key in ["edtf", "in", widest, narrowest] {
                match o.get(key) {
                    None | Some(Value::Null) => continue,
                    Some(v) => {
                        return date_text(v)
                            .map(|t| (t, false))
                            .map_err(|why| bad(&format!(".{key}"), v, why));
                    }
                }
            }
            Ok((String::new(), false))
        }
        _ => Err(bad(
            "",
            b,
            "not a timespan bound: give an object with \"in\" (or \"earliest\" and \"latest\")",
        )),
    }
}

/// A date's text: a string up to any time of day, or a whole number as a year.
fn date_text(v: &Value) -> Result<String, &'static str> {
    match v {
        Value::String(s) => {
            let date = s.split('T').next().unwrap_or("");
            if date.is_empty() && !s.is_empty() {
                return Err("not a date: a time needs its date before the T (1961-11-10T12:00:00)");
            }
            Ok(date.to_string())
        }
        Value::Number(n) => whole_year(n)
            .map(year_text)
            .ok_or("not a whole year: a year is an integer (1961 or 1961.0)"),
        _ => Err("not a date: give text (1961-11-10) or a year (1961)"),
    }
}

/// A JSON number that is a whole year (1961, or 1961.0 as pandas writes years).
fn whole_year(n: &Number) -> Option<i64> {
    if let Some(y) = n.as_i64() {
        return Some(y);
    }
    // Beyond this an f64 no longer tells whole numbers apart, and no year is near it.
    let f = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15)?;
    Some(f as i64)
}

fn year_text(y: i64) -> String {
    if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

/// How a timespan is an attestation (a date at which the name was in use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attested {
    /// It starts and ends in the same `in` (or our own `edtf`).
    On,
    /// It starts and ends in the same window, `earliest` to `latest`: the date lies in it.
    Within,
}

/// Whether a timespan is an attestation, and how. Open bounds at both ends (`..` to
/// `..`) are a period, not a date.
fn attestation(span: &Value) -> Option<Attested> {
    let date = |b: &str| {
        ["edtf", "in"]
            .iter()
            .find_map(|k| span.get(b)?.get(k).filter(|v| !v.is_null()))
    };
    let start = date("start");
    if start.is_some_and(|v| v.as_str() != Some("..")) && start == date("end") {
        return Some(Attested::On);
    }
    let window = |b: &str| {
        let bound = span.get(b)?;
        let get = |k: &str| bound.get(k).filter(|v| !v.is_null());
        Some((get("earliest")?, get("latest")?))
    };
    (start.is_none()
        && date("end").is_none()
        && window("start").is_some()
        && window("start") == window("end"))
    .then_some(Attested::Within)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_years_read_the_epns_forms() {
        assert_eq!(label_years("1276 RH"), Some((1276, 1276)));
        assert_eq!(label_years("1237-40 Fees"), Some((1237, 1240)));
        assert_eq!(label_years("1237-1240 Fees"), Some((1237, 1240)));
        assert_eq!(label_years("c. 1175 Drayton Charters"), Some((1175, 1175)));
        assert_eq!(label_years("967 BCS"), Some((967, 967)));
        assert_eq!(label_years("English Place-Name Society survey"), None);
        assert_eq!(label_years("12345 things"), None);
        assert_eq!(label_years("1276RH"), None);
    }

    #[test]
    fn whole_years_and_what_is_not_one() {
        let n = |s: &str| serde_json::from_str::<Number>(s).unwrap();
        assert_eq!(whole_year(&n("1961")), Some(1961));
        assert_eq!(whole_year(&n("1961.0")), Some(1961));
        assert_eq!(whole_year(&n("-44")), Some(-44));
        assert_eq!(whole_year(&n("1961.5")), None);
        assert_eq!(whole_year(&n("99999999999999999999")), None);
        assert_eq!(year_text(-44), "-0044");
        assert_eq!(year_text(967), "0967");
    }

    #[test]
    fn split_characters_are_checked_across_reads() {
        let text = "Zürich ✓ 𝄞".as_bytes();
        for split in 1..text.len() {
            let mut check = Utf8Check::new(&b""[..], Rc::new(Cell::new(None)), Rc::default());
            assert!(check.check(&text[..split]).is_ok(), "{split}");
            check.offset += split as u64;
            assert!(check.check(&text[split..]).is_ok(), "{split}");
            assert!(check.carry.is_empty(), "{split}");
        }
        let mut check = Utf8Check::new(&b""[..], Rc::new(Cell::new(None)), Rc::default());
        assert_eq!(check.check(b"ab\xFFcd"), Err(2));
    }
}

/// A link's identifier as a `same_as` id: GeoNames and Wikidata, written as URLs or with
/// WHG's short prefixes (`gn:`, `wd:`), become `geonames:N` and `wikidata:Q…`, the form
/// our twins are found by; any other identifier is kept as written.
fn same_as_id(identifier: &str) -> String {
    let trimmed = identifier.trim_end_matches('/');
    let tail = |prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|p| trimmed.strip_prefix(p))
            .filter(|t| !t.is_empty() && !t.contains('/'))
    };
    if let Some(n) = tail(&[
        "https://sws.geonames.org/",
        "http://sws.geonames.org/",
        "https://www.geonames.org/",
        "http://www.geonames.org/",
        "gn:",
    ]) {
        return format!("geonames:{n}");
    }
    if let Some(q) = tail(&[
        "https://www.wikidata.org/entity/",
        "http://www.wikidata.org/entity/",
        "https://www.wikidata.org/wiki/",
        "http://www.wikidata.org/wiki/",
        "wd:",
    ]) {
        return format!("wikidata:{q}");
    }
    identifier.to_string()
}

#[cfg(test)]
mod same_as_tests {
    use super::same_as_id;

    #[test]
    fn geonames_and_wikidata_links_become_our_ids() {
        assert_eq!(
            same_as_id("https://sws.geonames.org/2652613/"),
            "geonames:2652613"
        );
        assert_eq!(same_as_id("gn:472757"), "geonames:472757");
        assert_eq!(
            same_as_id("http://www.wikidata.org/entity/Q2060"),
            "wikidata:Q2060"
        );
        assert_eq!(same_as_id("wd:Q2060"), "wikidata:Q2060");
        assert_eq!(same_as_id("tgn:7011781"), "tgn:7011781");
        assert_eq!(
            same_as_id("https://sws.geonames.org/"),
            "https://sws.geonames.org/"
        );
    }
}
