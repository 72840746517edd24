//! LP-TSV out (`export --format lp-tsv`): one row per place, for the World Historical
//! Gazetteer's delimited upload.
//!
//! LP-TSV dates a record, not its names, and has no languages or kinds of names: so this
//! is lossy, and [`Losses`] counts what was lost for the caller to say on stderr. `title`
//! is the current name, `variants` every other distinct name, `start`/`end` the earliest
//! start and the latest end of all names (open when a name is still in use; with no start
//! but an end, `attestation_year` is the year before the earliest end), `title_source`
//! and `title_uri` the current name's source, `types`, `ccodes`, `lat`, `lon`.

use crate::model::Place;
use chrono::Datelike;
use std::io::{self, Write};

const HEADER: [&str; 12] = [
    "id",
    "title",
    "title_source",
    "title_uri",
    "start",
    "end",
    "attestation_year",
    "variants",
    "types",
    "ccodes",
    "lat",
    "lon",
];

/// What LP-TSV could not hold, counted over the places written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Losses {
    pub places: usize,
    /// Names whose own dates were folded into their place's one timespan.
    pub dated_names: usize,
    /// Names with a language (LP-TSV has none per name).
    pub languages: usize,
    /// Names with a note.
    pub notes: usize,
    /// Names of a kind other than official (LP-TSV has only title and variants).
    pub kinds: usize,
    /// Places with no date at all: LP-TSV requires a start, so WHG refuses their rows.
    pub undated: usize,
}

impl std::fmt::Display for Losses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "LP-TSV dates places, not names: the dates of {} names became their place's one \
             timespan (from its earliest known date); left out: {} languages of names, {} \
             notes, {} kinds of names (exonym, variant, historical: all are 'variants')",
            self.dated_names, self.languages, self.notes, self.kinds
        )?;
        if self.undated > 0 {
            write!(
                f,
                "; {} places have no date at all, and LP-TSV requires a start: add one before \
                 uploading them",
                self.undated
            )?;
        }
        Ok(())
    }
}

/// A date as LP-TSV writes it (`yyyy[-mm[-dd]]`): as written when plain, else the first
/// or last day of its window.
fn lptsv_date(d: &crate::date::Date, first: bool) -> String {
    let text = d.to_string();
    if d.is_plain() {
        return text;
    }
    let w = d.window();
    let day = if first { w.earliest } else { w.latest };
    // An interval's open or unknown end (`../1900`, #20) has no day to give.
    if day == chrono::NaiveDate::MIN || day == chrono::NaiveDate::MAX {
        return String::new();
    }
    day.format("%Y-%m-%d").to_string()
}

/// A TSV cell: tabs and line ends cannot be escaped in LP-TSV, so they become spaces.
fn cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

pub fn places<'p>(
    out: &mut dyn Write,
    places: impl Iterator<Item = &'p Place>,
) -> io::Result<Losses> {
    let mut losses = Losses::default();
    writeln!(out, "{}", HEADER.join("\t"))?;
    for p in places {
        losses.places += 1;
        let title = p.current_name();
        let head = p.names.iter().find(|n| &*n.name == title);
        let source = head.map_or("", |n| &*n.source);
        let uri = if source.starts_with("http://") || source.starts_with("https://") {
            source
        } else {
            ""
        };
        let mut variants: Vec<&str> = Vec::new();
        for n in &p.names {
            if &*n.name != title && !variants.contains(&&*n.name) {
                variants.push(&n.name);
            }
            losses.dated_names += usize::from(n.start.is_some() || n.end.is_some());
            losses.languages += usize::from(!n.lang.is_empty());
            losses.notes += usize::from(!n.note.is_empty());
            losses.kinds += usize::from(n.kind != crate::model::NameKind::Official);
        }
        // LP-TSV requires a start: the earliest known one, though an older name may have
        // no start date (the name's own dates are lost anyway).
        let start = p
            .names
            .iter()
            .filter_map(|n| n.start.as_ref())
            .min_by_key(|d| d.window().earliest)
            .map(|d| lptsv_date(d, true))
            .unwrap_or_default();
        // With no start at all but an end, the place is not said to begin at the end (a
        // record that starts and ends on one day is refused): its name certainly held on
        // the day before the earliest end could fall, and that year attests it.
        let attested = if start.is_empty() {
            p.names
                .iter()
                .filter_map(|n| n.end.as_ref())
                .map(|d| d.window().earliest)
                .min()
                .and_then(|day| day.pred_opt())
                .map(|day| day.year().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        losses.undated += usize::from(start.is_empty() && attested.is_empty());
        let end = if p.names.iter().any(|n| n.end.is_none()) {
            String::new()
        } else {
            p.names
                .iter()
                .filter_map(|n| n.end.as_ref())
                .max_by_key(|d| d.window().latest)
                .map(|d| lptsv_date(d, false))
                .unwrap_or_default()
        };
        let (lat, lon) = p.coords.map_or((String::new(), String::new()), |(a, o)| {
            (a.to_string(), o.to_string())
        });
        let row = [
            cell(&p.id),
            cell(title),
            cell(if source.is_empty() {
                "gazetteer"
            } else {
                source
            }),
            cell(uri),
            start,
            end,
            attested,
            cell(&variants.join(";")),
            cell(p.kind.as_deref().unwrap_or("")),
            cell(p.country.as_deref().unwrap_or("")),
            lat,
            lon,
        ];
        writeln!(out, "{}", row.join("\t"))?;
    }
    Ok(losses)
}
