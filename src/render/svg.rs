//! `lookup NAME --format svg`: the timeline as a standalone SVG picture, for papers and
//! web pages.
//!
//! Owns the drawing in SVG of the chart that `timeline.rs` lays out, so that both
//! pictures say the same: one bar per name, coloured by kind, soft bounds as gradients,
//! an unknown start fading in after a `?`, attestations as ticks, a legend. Pure: it
//! returns the document as a string. All text is escaped here.

use super::timeline::{Chart, Edge, Row, Shape, kind_letter, year_label};
use crate::model::NameKind;
use crate::query::Found;
use std::fmt::Write;

/// The least width; a long heading widens the picture (its bold letters are wider).
const WIDTH: f64 = 960.0;
const BOLD_CHAR: f64 = 8.0;
const MARGIN: f64 = 16.0;
const ROW: f64 = 20.0;
const BAR: f64 = 12.0;
/// About the advance of one character of the 13px font, to size the label column.
const CHAR: f64 = 7.2;

fn colour(k: NameKind) -> &'static str {
    match k {
        NameKind::Official => "#1f77b4",
        NameKind::Exonym => "#2ca02c",
        NameKind::Variant => "#c8930a",
        NameKind::Historical => "#9467bd",
    }
}

/// Text for XML: the five special characters escaped, and the few characters XML 1.0
/// cannot hold at all (U+FFFE, U+FFFF; control characters were escaped before) replaced.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The heading of a place, as the table and the terminal picture have it, without styling.
fn heading(f: &Found) -> String {
    let mut text = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = super::table::heading(&mut text, f, super::Style::default());
    String::from_utf8_lossy(&text).trim_end().to_string()
}

/// The whole document. `today` ends the bars of names still in use.
pub fn picture(found: &[Found], today: Option<chrono::NaiveDate>) -> String {
    let charts: Vec<(String, Chart)> = found
        .iter()
        .map(|f| (heading(f), Chart::of(f, today)))
        .collect();
    let label_chars = charts
        .iter()
        .flat_map(|(_, c)| &c.rows)
        .map(|r| r.name.chars().count() + r.lang.chars().count() + 4)
        .max()
        .unwrap_or(10);
    let longest = charts
        .iter()
        .map(|(h, _)| h.chars().count())
        .max()
        .unwrap_or(0);
    let width = (longest as f64 * BOLD_CHAR + 2.0 * MARGIN)
        .max(WIDTH)
        .round();
    let label_w = (label_chars as f64 * CHAR).min(width * 0.35);
    let x0 = MARGIN + label_w;
    let bar_w = width - MARGIN - x0;
    let mut body = String::new();
    let mut used = [false; 4];
    let mut y = MARGIN;
    for (heading, chart) in &charts {
        y += 14.0;
        let _ = writeln!(
            body,
            r#"<text class="heading" x="{MARGIN}" y="{y}">{}</text>"#,
            escape(heading)
        );
        y += 10.0;
        for r in &chart.rows {
            used[r.kind as usize] = true;
            name_row(&mut body, chart, r, y, x0, bar_w);
            y += ROW;
        }
        if !chart.dated {
            y += 10.0;
            continue;
        }
        // The axis, with a tick and a year at each round year.
        let _ = writeln!(
            body,
            r#"<line class="axis" x1="{x0}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/>"#,
            x0 + bar_w
        );
        for (year, at) in chart.ticks(bar_w as usize, 70) {
            let x = x0 + at * bar_w;
            let _ = writeln!(
                body,
                r#"<line class="tick" x1="{x:.1}" y1="{y:.1}" x2="{x:.1}" y2="{:.1}"/><text class="year" x="{x:.1}" y="{:.1}">{}</text>"#,
                y + 5.0,
                y + 18.0,
                escape(&year_label(year))
            );
        }
        y += 40.0;
    }
    y = legend(&mut body, &used, y);
    let height = y + MARGIN;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13">
<title>gazetteer timeline</title>
<style>
.heading {{ font-weight: bold; }}
.lang, .year, .undated, .legend {{ fill: #555; }}
.year {{ text-anchor: middle; font-size: 11px; }}
.axis, .tick {{ stroke: #555; stroke-width: 1; }}
.undated {{ font-style: italic; }}
</style>
<defs>"#
    );
    for k in NameKind::ALL {
        let c = colour(k);
        let name = k.as_str();
        let _ = writeln!(
            svg,
            r#"<linearGradient id="in-{name}"><stop offset="0" stop-color="{c}" stop-opacity="0"/><stop offset="1" stop-color="{c}" stop-opacity="1"/></linearGradient>
<linearGradient id="out-{name}"><stop offset="0" stop-color="{c}" stop-opacity="1"/><stop offset="1" stop-color="{c}" stop-opacity="0"/></linearGradient>"#
        );
    }
    svg.push_str("</defs>\n");
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

/// One name: its label, and its bar, tick or the word `undated`, in one group.
fn name_row(out: &mut String, chart: &Chart, r: &Row, y: f64, x0: f64, bar_w: f64) {
    let kind = r.kind.as_str();
    let c = colour(r.kind);
    let _ = writeln!(out, r#"<g class="name" data-kind="{kind}">"#);
    let _ = writeln!(
        out,
        r#"<title>{} ({}, {kind})</title>"#,
        escape(&r.name),
        escape(&r.lang)
    );
    let _ = writeln!(
        out,
        r#"<text x="{MARGIN}" y="{:.1}">{} <tspan class="lang">{}</tspan> <tspan fill="{c}">{}</tspan></text>"#,
        y + BAR - 1.0,
        escape(&r.name),
        escape(&r.lang),
        kind_letter(r.kind)
    );
    let x = |day: f64| x0 + chart.at(day).clamp(0.0, 1.0) * bar_w;
    let rect = |out: &mut String, a: f64, b: f64, fill: &str, opacity: f64| {
        if b > a {
            let _ = writeln!(
                out,
                r#"<rect class="bar" x="{a:.1}" y="{y:.1}" width="{:.1}" height="{BAR}" fill="{fill}" fill-opacity="{opacity}"/>"#,
                b - a
            );
        }
    };
    let fade = bar_w * 0.08;
    match r.shape {
        Shape::Undated => {
            let _ = writeln!(
                out,
                r#"<text class="undated" x="{x0:.1}" y="{:.1}">undated</text>"#,
                y + BAR - 1.0
            );
        }
        Shape::Attested { earliest, latest } => {
            let at = x((earliest + latest) / 2.0);
            let _ = writeln!(
                out,
                r#"<line class="attested" x1="{at:.1}" y1="{:.1}" x2="{at:.1}" y2="{:.1}" stroke="{c}" stroke-width="3"/>"#,
                y - 2.0,
                y + BAR + 2.0
            );
        }
        Shape::Bar { start, end } => {
            // The certain part [a, b), then what comes before and after it.
            let (a, before) = match start {
                Edge::Date {
                    earliest,
                    latest,
                    soft,
                } => (x(latest), Some((x(earliest), soft))),
                Edge::Open => (x0, None),
                Edge::Unknown => (f64::NAN, None),
            };
            let (b, after) = match end {
                Edge::Date {
                    earliest,
                    latest,
                    soft,
                } => (x(earliest), Some((x(latest), soft))),
                Edge::Open => (x0 + bar_w, None),
                Edge::Unknown => (f64::NAN, None),
            };
            let a = if a.is_nan() {
                // An unknown start: it fades in before the end, after a `?`.
                let from = (b - fade).max(x0);
                rect(out, from, b, &format!("url(#in-{kind})"), 1.0);
                let _ = writeln!(
                    out,
                    r#"<text class="unknown" x="{:.1}" y="{:.1}" fill="{c}">?</text>"#,
                    from - 9.0,
                    y + BAR - 1.0
                );
                b
            } else {
                a
            };
            let b = if b.is_nan() {
                let to = (a + fade).min(x0 + bar_w);
                rect(out, a, to, &format!("url(#out-{kind})"), 1.0);
                let _ = writeln!(
                    out,
                    r#"<text class="unknown" x="{:.1}" y="{:.1}" fill="{c}">?</text>"#,
                    to + 2.0,
                    y + BAR - 1.0
                );
                a
            } else {
                b
            };
            rect(out, a, b, c, 1.0);
            // A bound known to a span: faint over the span; approximate or uncertain:
            // a gradient over the span and a little beyond.
            let soft_w = bar_w * 0.02;
            if let Some((earliest, soft)) = before {
                if soft {
                    rect(out, earliest - soft_w, a, &format!("url(#in-{kind})"), 1.0);
                } else {
                    rect(out, earliest, a, c, 0.4);
                }
            }
            if let Some((latest, soft)) = after {
                if soft {
                    rect(out, b, latest + soft_w, &format!("url(#out-{kind})"), 1.0);
                } else {
                    rect(out, b, latest, c, 0.4);
                }
            }
            if start == Edge::Open {
                let _ = writeln!(
                    out,
                    r#"<path class="open" d="M{:.1},{:.1} l-8,{:.1} l8,{:.1} z" fill="{c}"/>"#,
                    x0,
                    y,
                    BAR / 2.0,
                    BAR / 2.0
                );
            }
        }
    }
    out.push_str("</g>\n");
}

/// The legend: the kinds drawn, and what a faded edge and a tick mean.
fn legend(out: &mut String, used: &[bool; 4], y: f64) -> f64 {
    let y = y + 4.0;
    let mut items: Vec<(Swatch, String)> = NameKind::ALL
        .into_iter()
        .filter(|k| used[*k as usize])
        .map(|k| {
            (
                Swatch::Fill(colour(k).to_string()),
                format!("{} {}", kind_letter(k), k.as_str()),
            )
        })
        .collect();
    items.push((
        Swatch::Fill("url(#in-official)".to_string()),
        "approximate, uncertain or unknown bound".to_string(),
    ));
    items.push((Swatch::Tick, "attested".to_string()));
    let mut x = MARGIN;
    for (swatch, text) in items {
        let drawn = match swatch {
            Swatch::Fill(fill) => {
                format!(r#"<rect x="{x:.1}" y="{y:.1}" width="16" height="{BAR}" fill="{fill}"/>"#)
            }
            Swatch::Tick => format!(
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="3"/>"#,
                x + 8.0,
                y - 2.0,
                x + 8.0,
                y + BAR + 2.0,
                colour(NameKind::Official)
            ),
        };
        let _ = writeln!(
            out,
            r#"<g class="legend">{drawn}<text class="legend" x="{:.1}" y="{:.1}">{}</text></g>"#,
            x + 20.0,
            y + BAR - 1.0,
            escape(&text)
        );
        x += 36.0 + text.chars().count() as f64 * CHAR;
    }
    y + ROW
}

enum Swatch {
    Fill(String),
    Tick,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>\u{FFFF}\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;\u{FFFD}\u{FFFD}"
        );
    }
}
