//! JSON output: one array of places, each with its names (and, for `at`, the names that answer).

use crate::date::{Qualifiers, QueryDate};
use crate::error::io_error_of_json;
use crate::model::{NameRecord, Place};
use crate::query::{AtAnswer, Found};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonName<'a> {
    name: &'a str,
    start: Option<String>,
    end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attested: Option<String>,
    lang: &'a str,
    kind: &'static str,
    source: &'a str,
    note: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    certainty: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    qualifiers: Option<Vec<&'static str>>,
}

impl<'a> JsonName<'a> {
    fn new(n: &'a NameRecord) -> Self {
        JsonName {
            name: &n.name,
            start: match n.start.as_ref().filter(|_| !n.attested) {
                Some(d) => Some(d.to_string()),
                None if n.open_start => Some("..".to_string()),
                None => None,
            },
            end: n
                .end
                .as_ref()
                .filter(|_| !n.attested)
                .map(ToString::to_string),
            attested: n.attestation().map(ToString::to_string),
            lang: &n.lang,
            kind: n.kind.as_str(),
            source: &n.source,
            note: &n.note,
            certainty: None,
            detail: None,
            qualifiers: None,
        }
    }
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    how: &'static str,
    names: &'a [&'a str],
    /// (`at`) The period of the name that matched, as EDTF.
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<String>,
    /// (`at`) `in_period` when the place held the name at the date, `undated` when the name
    /// has no dates, else `out_of_period`.
    #[serde(skip_serializing_if = "Option::is_none")]
    period_status: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonDate {
    written: String,
    calendar: &'static str,
    earliest: String,
    latest: String,
}

#[derive(Serialize)]
struct JsonPlace<'a> {
    place_id: &'a str,
    current_name: &'a str,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    population: Option<u64>,
    same_as: &'a [String],
    matched: JsonMatch<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<JsonDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    names_at_date: Option<Vec<JsonName<'a>>>,
    names: Vec<JsonName<'a>>,
}

fn place<'a>(f: &'a Found) -> JsonPlace<'a> {
    let p: &Place = f.place;
    JsonPlace {
        place_id: &p.id,
        current_name: p.current_name(),
        kind: p.kind.as_deref(),
        country: p.country.as_deref(),
        lat: p.coords.map(|c| c.0),
        lon: p.coords.map(|c| c.1),
        population: p.population,
        same_as: &p.same_as,
        matched: JsonMatch {
            how: f.how.as_str(),
            names: &f.matched,
            period: None,
            period_status: None,
        },
        date: None,
        names_at_date: None,
        names: p.names.iter().map(JsonName::new).collect(),
    }
}

/// The words for a set of qualifiers, as they appear in every format.
pub fn qualifier_words(q: Qualifiers) -> Vec<&'static str> {
    qualifier_word_iter(q).collect()
}

/// The words of [`qualifier_words`], one by one (`resolve` writes them for most rows).
pub fn qualifier_word_iter(q: Qualifiers) -> impl Iterator<Item = &'static str> {
    [(q.approximate, "approximate"), (q.uncertain, "uncertain")]
        .into_iter()
        .filter_map(|(on, word)| on.then_some(word))
}

fn write(out: &mut dyn Write, places: &[JsonPlace]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, places).map_err(io_error_of_json)?;
    writeln!(out)
}

pub fn lookup(out: &mut dyn Write, found: &[Found]) -> io::Result<()> {
    let places: Vec<_> = found.iter().map(place).collect();
    write(out, &places)
}

pub fn at(out: &mut dyn Write, answers: &[AtAnswer], date: &QueryDate) -> io::Result<()> {
    let places: Vec<_> = answers
        .iter()
        .map(|a| {
            let mut p = place(&a.found);
            p.matched.period = a.matched.map(|m| m.period().to_string());
            p.matched.period_status = Some(crate::query::period_status(a.held));
            p.date = Some(JsonDate {
                written: date.written.to_string(),
                calendar: match date.calendar {
                    crate::date::Calendar::Gregorian => "gregorian",
                    crate::date::Calendar::Julian => "julian",
                },
                earliest: date.window.earliest.format("%Y-%m-%d").to_string(),
                latest: date.window.latest.format("%Y-%m-%d").to_string(),
            });
            p.names_at_date = Some(
                a.names
                    .iter()
                    .map(|n| JsonName {
                        certainty: Some(n.certainty.as_str()),
                        detail: Some(&n.detail),
                        qualifiers: Some(qualifier_words(n.qualifiers)),
                        ..JsonName::new(n.record)
                    })
                    .collect(),
            );
            p
        })
        .collect();
    write(out, &places)
}

/// One name found by `search`, with its place.
#[derive(Serialize)]
struct JsonHit<'a> {
    place_id: &'a str,
    current_name: &'a str,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    country: Option<&'a str>,
    #[serde(rename = "match")]
    how: &'static str,
    #[serde(flatten)]
    name: JsonName<'a>,
}

pub fn search(out: &mut dyn Write, hits: &[crate::query::SearchHit]) -> io::Result<()> {
    let hits: Vec<JsonHit> = hits
        .iter()
        .map(|h| JsonHit {
            place_id: &h.place.id,
            current_name: h.place.current_name(),
            kind: h.place.kind.as_deref(),
            country: h.place.country.as_deref(),
            how: h.how.as_str(),
            name: JsonName::new(h.record),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &hits).map_err(io_error_of_json)?;
    writeln!(out)
}
