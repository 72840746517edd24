//! Rendering answers for people (tables) and for programs (CSV, JSON).
//!
//! Owns how answers look. Renderers are pure: they take answers, a style decided once
//! by the caller, and a `&mut dyn Write`; they read no environment and no clock.

pub mod csv;
mod footnotes;
mod json;
pub mod resolve;
mod svg;
mod table;
pub mod timeline;

use crate::date::{Calendar, QueryDate};
use crate::query::{AtAnswer, Found};
use std::io::{self, Write};

/// Output formats of `lookup` and `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for a person at a terminal.
    #[default]
    Table,
    /// CSV for scripts; `lookup` prints the data schema, so its output is valid `--data` input.
    Csv,
    /// One JSON array of places with their names.
    Json,
    /// Linked Places Format (GeoJSON-LD, as the World Historical Gazetteer reads it):
    /// `lookup` and `export` only.
    Lpf,
    /// LP-TSV, the World Historical Gazetteer's delimited format: `export` only, and lossy
    /// (stderr says what was lost).
    LpTsv,
    /// `lookup --timeline`: the chronology as a picture in the terminal.
    Timeline,
    /// `lookup --format svg`: the same picture as a standalone SVG.
    Svg,
}

/// How a table may be drawn, decided once from the terminal and the user's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Draw UTF-8 box borders (only on a terminal, or when asked with `--color always`).
    pub boxes: bool,
    /// Use ANSI colour and bold.
    pub ansi: bool,
    /// Wrap tables to this many columns.
    pub width: Option<u16>,
    /// `--csv-safe`: CSV fields quoted, and formulas defused for spreadsheets.
    pub csv_safe: bool,
    /// `--all-names`: tables show every undated variant instead of counting them.
    pub all_names: bool,
    /// The width pictures (`--timeline`) are fitted to, on a terminal or not: `COLUMNS`,
    /// else the terminal's; `None` or 0 draws 80 columns.
    pub columns: Option<u16>,
    /// Where a timeline ends a name still in use; renderers read no clock.
    pub today: Option<chrono::NaiveDate>,
}

/// Places in the data schema, every name a row: what `export --format csv` writes.
pub fn csv_places<'p>(
    out: &mut dyn Write,
    places: impl Iterator<Item = &'p crate::model::Place>,
    safe: bool,
) -> io::Result<()> {
    csv::places(out, places, safe)
}

pub fn lookup(
    out: &mut dyn Write,
    found: &[Found],
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Table => table::lookup(out, found, style),
        Format::Csv => csv::lookup(out, found, style.csv_safe),
        Format::Json => json::lookup(out, found),
        Format::Lpf => crate::formats::lpf::places(out, found.iter().map(|f| f.place)),
        Format::LpTsv => json::lookup(out, found),
        Format::Timeline => out.write_all(timeline::terminal(found, style).as_bytes()),
        Format::Svg => out.write_all(svg::picture(found, style.today).as_bytes()),
    }
}

pub fn search(
    out: &mut dyn Write,
    hits: &[crate::query::SearchHit],
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Table => table::search(out, hits, style),
        Format::Csv => csv::search(out, hits, style.csv_safe),
        // (The configuration refuses lpf, lp-tsv and the pictures here.)
        Format::Json | Format::Lpf | Format::LpTsv | Format::Timeline | Format::Svg => {
            json::search(out, hits)
        }
    }
}

pub fn at(
    out: &mut dyn Write,
    answers: &[AtAnswer],
    date: &QueryDate,
    format: Format,
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Table => table::at(out, answers, date, style),
        Format::Csv => csv::at(out, answers, date, style.csv_safe),
        // (The configuration refuses the pictures here.)
        Format::Json | Format::Lpf | Format::LpTsv | Format::Timeline | Format::Svg => {
            json::at(out, answers, date)
        }
    }
}

/// Writes a certainty as every command writes it: its word, then the doubts of the dates
/// it rests on (`certain`, `certain (uncertain)`, `possible (approximate, uncertain)`).
pub fn push_certainty(out: &mut String, c: crate::query::Certainty, q: crate::date::Qualifiers) {
    out.push_str(c.as_str());
    // (Written word by word: `resolve` writes this for most rows.)
    let mut words = 0;
    for word in json::qualifier_word_iter(q) {
        out.push_str(if words == 0 { " (" } else { ", " });
        out.push_str(word);
        words += 1;
    }
    if words > 0 {
        out.push(')');
    }
}

/// The query date as a person reads it: `1958`, or `1914-08-18 (Julian; Gregorian 1914-08-31)`.
pub fn describe_date(date: &QueryDate) -> String {
    let w = date.window;
    let gregorian = if w.earliest == w.latest {
        w.earliest.format("%Y-%m-%d").to_string()
    } else {
        format!(
            "{} to {}",
            w.earliest.format("%Y-%m-%d"),
            w.latest.format("%Y-%m-%d")
        )
    };
    match date.calendar {
        Calendar::Gregorian => date.written.to_string(),
        Calendar::Julian => format!("{} (Julian; Gregorian {gregorian})", date.written),
    }
}
