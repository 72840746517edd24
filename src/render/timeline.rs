//! The picture of a chronology (`lookup NAME --timeline`): one bar per name on a time
//! axis, per place, in Unicode blocks for a terminal.
//!
//! Owns the chart (where each bar and tick falls on the axis, shared with the SVG in
//! `svg.rs`) and its drawing in text. Pure: it takes the places, the width and the day
//! the caller calls today, and returns the text; it reads no terminal, environment or clock.
//!
//! How a bound is drawn says what the data knows of it: a plain date is a hard edge; a
//! date known only to a span wider than a cell (`196X`, a year on a wide scale) is shaded
//! `▒` over that span; an approximate or uncertain one (`1961~`, `1961?`) fades `░▒▓`; an
//! empty start is unknown, never "always": the bar fades in after a `?`; a start of `..`
//! (from the earliest times) runs from the left edge, marked `◀`; an attestation is a tick.

use super::Style;
use crate::date::Date;
use crate::model::{NameKind, NameRecord};
use crate::query::Found;
use crate::text::sanitize;
use chrono::{Datelike, NaiveDate};
use unicode_width::UnicodeWidthStr;

/// The width used when the terminal's is unknown or zero.
pub const DEFAULT_WIDTH: u16 = 80;

/// One bound of a bar, as the data knows it. Days are counted from 0001-01-01.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Edge {
    /// A date: somewhere in `[earliest, latest]`; `soft` when approximate or uncertain.
    Date {
        earliest: f64,
        latest: f64,
        soft: bool,
    },
    /// The data does not know it: an empty start, or `XXXX`.
    Unknown,
    /// A start of `..` (the earliest times), or an end not yet come (still in use).
    Open,
}

/// What a name's row shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Shape {
    Bar {
        start: Edge,
        end: Edge,
    },
    /// Recorded in use on some day of `[earliest, latest]`.
    Attested {
        earliest: f64,
        latest: f64,
    },
    /// No date at all.
    Undated,
}

#[derive(Debug, Clone)]
pub(super) struct Row {
    /// Sanitized.
    pub name: String,
    pub lang: String,
    pub kind: NameKind,
    pub shape: Shape,
}

/// A place's rows on its own axis `[from, until)` (days), with a tick at each label year.
#[derive(Debug, Clone)]
pub(super) struct Chart {
    pub rows: Vec<Row>,
    pub from: f64,
    pub until: f64,
    /// Whether the axis ends today (a name still in use runs to the right edge).
    pub ends_today: bool,
    /// Whether any name is not official: then rows carry their kind letter.
    pub kinds: bool,
    /// Whether any name has a date: else there is no axis to draw.
    pub dated: bool,
}

fn days(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

fn year_start(y: i32) -> f64 {
    NaiveDate::from_ymd_opt(y, 1, 1).map_or(0.0, days)
}

fn edge(d: &Date) -> Edge {
    if d.is_unknown() {
        return Edge::Unknown;
    }
    let w = d.window();
    let q = d.qualifiers();
    Edge::Date {
        earliest: days(w.earliest),
        // The window's last day is a whole day: the bound may fall at its end.
        latest: days(w.latest) + 1.0,
        soft: q.approximate || q.uncertain,
    }
}

fn shape(n: &NameRecord) -> Shape {
    if let Some(d) = n.attestation() {
        let w = d.window();
        return Shape::Attested {
            earliest: days(w.earliest),
            latest: days(w.latest) + 1.0,
        };
    }
    let start = match (&n.start, n.open_start) {
        (_, true) => Edge::Open,
        (Some(d), false) => edge(d),
        (None, false) => Edge::Unknown,
    };
    let end = n.end.as_ref().map_or(Edge::Open, edge);
    match (start, end) {
        // Neither bound known: nothing to place on an axis.
        (Edge::Unknown, Edge::Open | Edge::Unknown) => Shape::Undated,
        _ => Shape::Bar { start, end },
    }
}

impl Chart {
    pub(super) fn of(f: &Found, today: Option<NaiveDate>) -> Chart {
        let rows: Vec<Row> = f
            .place
            .names
            .iter()
            // The world layer's undated variants have no bar to draw, and a GeoNames place
            // has dozens (#18); those that matched stay.
            .filter(|n| {
                !(n.kind == crate::model::NameKind::Variant
                    && n.is_undated()
                    && &*n.origin.file == crate::builtin::WORLD_FILE)
                    || f.records.iter().any(|r| std::ptr::eq(*r, *n))
            })
            .map(|n| Row {
                name: sanitize(&n.name).into_owned(),
                lang: sanitize(&n.lang).into_owned(),
                kind: n.kind,
                shape: shape(n),
            })
            .collect();
        let mut known: Vec<f64> = Vec::new();
        let mut still_in_use = false;
        for r in &rows {
            match r.shape {
                Shape::Bar { start, end } => {
                    for e in [start, end] {
                        if let Edge::Date {
                            earliest, latest, ..
                        } = e
                        {
                            known.extend([earliest, latest]);
                        }
                    }
                    still_in_use |= end == Edge::Open;
                }
                Shape::Attested { earliest, latest } => known.extend([earliest, latest]),
                Shape::Undated => {}
            }
        }
        let ends_today = still_in_use && today.is_some();
        if let Some(t) = today.filter(|_| still_in_use) {
            known.push(days(t) + 1.0);
        }
        let dated = !known.is_empty();
        let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() {
            (lo, hi)
        } else {
            let t = today.map_or(0.0, days);
            (t, t)
        };
        // Room on the left for a fading or open start, and on the right unless the axis
        // ends today.
        // At least ten years wide, around what is known.
        let widen = (3652.5 - (hi - lo)).max(0.0) / 2.0;
        let (lo, hi) = (lo - widen, hi + widen);
        let span = hi - lo;
        // (A fading start needs a tenth of the width: see `draw`.)
        let fades = rows.iter().any(|r| {
            matches!(
                r.shape,
                Shape::Bar {
                    start: Edge::Unknown,
                    ..
                }
            )
        });
        let from = lo - span * if fades { 0.12 } else { 0.06 };
        let until = if ends_today { hi } else { hi + span * 0.04 };
        Chart {
            kinds: rows.iter().any(|r| r.kind != NameKind::Official),
            rows,
            from,
            until,
            ends_today,
            dated,
        }
    }

    /// The label years: a round step that leaves `room` cells per label on an axis of
    /// `cells` cells, each year with its position in `[0, 1)`.
    pub(super) fn ticks(&self, cells: usize, room: usize) -> Vec<(i32, f64)> {
        const STEPS: [i32; 16] = [
            1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000,
        ];
        let years = (self.until - self.from) / 365.2425;
        let most = (cells / room.max(1)).max(2) as f64;
        let step = STEPS
            .into_iter()
            .find(|s| years / f64::from(*s) <= most)
            .unwrap_or(10000);
        let first =
            NaiveDate::from_num_days_from_ce_opt(self.from.ceil() as i32).map_or(1, |d| d.year());
        let mut m = first.div_euclid(step) * step;
        let mut out = Vec::new();
        // (Bounded: an axis of years -262143..262142 has fewer than 600 steps of 1,000.)
        for _ in 0..1000 {
            // A round year before the common era is a round BCE year: 500 BCE is -0499.
            let y = if m <= 0 { m + 1 } else { m };
            let day = year_start(y);
            if day >= self.until {
                break;
            }
            let at = self.at(day);
            if (0.0..1.0).contains(&at) {
                out.push((y, at));
            }
            m += step;
        }
        out
    }

    /// Where a day falls on the axis: 0 at the left edge, 1 at the right.
    pub(super) fn at(&self, day: f64) -> f64 {
        (day - self.from) / (self.until - self.from)
    }
}

/// A year as a label: astronomical years before 1 as BCE (`0` is `1 BCE`).
pub(super) fn year_label(y: i32) -> String {
    if y > 0 {
        y.to_string()
    } else {
        format!("{} BCE", 1 - i64::from(y))
    }
}

/// The letter of a kind, for a picture without colour.
pub(super) fn kind_letter(k: NameKind) -> char {
    match k {
        NameKind::Official => 'O',
        NameKind::Exonym => 'E',
        NameKind::Variant => 'V',
        NameKind::Historical => 'H',
    }
}

fn ansi_colour(k: NameKind) -> &'static str {
    match k {
        NameKind::Official => "\x1b[34m",
        NameKind::Exonym => "\x1b[32m",
        NameKind::Variant => "\x1b[33m",
        NameKind::Historical => "\x1b[35m",
    }
}

const SHADES: [char; 5] = [' ', '░', '▒', '▓', '█'];

/// The glyphs of one bar over `cells` cells.
fn draw(chart: &Chart, shape: Shape, cells: usize) -> Vec<char> {
    let mut line = vec![' '; cells];
    let n = cells as f64;
    let cell = |day: f64| (chart.at(day) * n).floor();
    let clamp = |c: f64| c.clamp(0.0, n - 1.0) as usize;
    match shape {
        Shape::Undated => {
            for (i, c) in "undated".chars().take(cells).enumerate() {
                line[i] = c;
            }
        }
        Shape::Attested { earliest, latest } => {
            line[clamp(cell((earliest + latest) / 2.0))] = '┃';
        }
        Shape::Bar { start, end } => {
            // Certain on [cs, ce), possible on [ps, pe), in cells.
            let (ps, cs) = match start {
                Edge::Date {
                    earliest, latest, ..
                } => (chart.at(earliest) * n, chart.at(latest) * n),
                Edge::Open => (0.0, 0.0),
                Edge::Unknown => (f64::NAN, f64::NAN),
            };
            let (ce, pe) = match end {
                Edge::Date {
                    earliest, latest, ..
                } => (chart.at(earliest) * n, chart.at(latest) * n),
                Edge::Open => (n, n),
                Edge::Unknown => (f64::NAN, f64::NAN),
            };
            let (ps, cs) = if ps.is_nan() {
                // An unknown start: the bar fades in over a few cells before its end.
                let fade = (n / 10.0).clamp(3.0, 6.0).min(ce.floor());
                (ce.floor() - fade, ce.floor())
            } else {
                (ps, cs)
            };
            let (ce, pe) = if ce.is_nan() {
                let fade = (n / 10.0).clamp(3.0, 6.0);
                (cs.ceil(), (cs.ceil() + fade).min(n))
            } else {
                (ce, pe)
            };
            for (i, g) in line.iter_mut().enumerate() {
                let (a, b) = (i as f64, i as f64 + 1.0);
                let certain = (b.min(ce) - a.max(cs)).max(0.0);
                let possible = (b.min(pe) - a.max(ps)).max(0.0);
                *g = if certain >= 0.75 {
                    '█'
                } else if certain > 0.0 && possible >= 0.75 {
                    '▓'
                } else if certain > 0.0 {
                    // A hard edge inside the cell: the half the bar covers.
                    if cs > a && ce < b {
                        '▌'
                    } else if cs > a {
                        '▐'
                    } else {
                        '▌'
                    }
                } else if possible > 0.0 {
                    '▒'
                } else {
                    ' '
                };
            }
            // Soft bounds: a ramp from light to full across the bound's window.
            let ramp = |line: &mut Vec<char>, from: f64, to: f64, rising: bool| {
                let lo = clamp(from.floor() - 1.0);
                let hi = clamp(to.ceil());
                let len = hi - lo + 1;
                for (k, i) in (lo..=hi).enumerate() {
                    let step = if rising { k } else { len - 1 - k };
                    let level = 1 + (step * 2) / (len - 1).max(1);
                    line[i] = SHADES[level];
                }
            };
            match start {
                Edge::Date {
                    soft: true,
                    earliest,
                    latest,
                } if cs < ce => ramp(
                    &mut line,
                    chart.at(earliest) * n,
                    chart.at(latest) * n,
                    true,
                ),
                Edge::Unknown => {
                    ramp(&mut line, ps + 1.0, cs - 1.0, true);
                    let q = clamp(ps - 1.0);
                    line[q] = '?';
                }
                Edge::Open => line[0] = '◀',
                _ => {}
            }
            match end {
                Edge::Date {
                    soft: true,
                    earliest,
                    latest,
                } if cs < ce => ramp(
                    &mut line,
                    chart.at(earliest) * n,
                    chart.at(latest) * n,
                    false,
                ),
                Edge::Unknown => {
                    ramp(&mut line, ce + 1.0, pe - 1.0, false);
                    let q = clamp(pe);
                    line[q] = '?';
                }
                _ => {}
            }
        }
    }
    line
}

/// Cuts `text` to `width` columns, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return format!("{text}{}", " ".repeat(width - text.width()));
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    w += 1;
    out.push_str(&" ".repeat(width.saturating_sub(w)));
    out
}

/// What the legend must explain.
#[derive(Debug, Default)]
struct Seen {
    kinds: [bool; 4],
    letters: bool,
    certain: bool,
    soft: bool,
    unknown: bool,
    open: bool,
    attested: bool,
}

/// The whole picture for a terminal: for each place its heading, a row per name and an
/// axis; then one legend. `style.columns` is the width (unknown or 0: 80); colour by kind
/// when `style.ansi`.
pub fn terminal(found: &[Found], style: Style) -> String {
    let width = match style.columns {
        Some(w) if w > 0 => usize::from(w),
        _ => usize::from(DEFAULT_WIDTH),
    };
    let mut out = String::new();
    let mut seen = Seen::default();
    for (i, f) in found.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut heading = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = super::table::heading(&mut heading, f, style);
        out.push_str(&String::from_utf8_lossy(&heading));
        let chart = Chart::of(f, style.today);
        place(&mut out, &chart, width, style.ansi, &mut seen);
    }
    legend(&mut out, &seen, width, style.ansi);
    out
}

fn place(out: &mut String, chart: &Chart, width: usize, ansi: bool, seen: &mut Seen) {
    let name_w = chart.rows.iter().map(|r| r.name.width()).max().unwrap_or(0);
    let lang_w = chart.rows.iter().map(|r| r.lang.width()).max().unwrap_or(0);
    let letter_w = if chart.kinds { 2 } else { 0 };
    // The labels take at most two fifths of the width; the bars the rest (at least 10).
    let label_room = (width * 2 / 5).max(12);
    let lang_w = lang_w.min(label_room / 3);
    let name_w = name_w.min(label_room.saturating_sub(lang_w + 1 + letter_w).max(4));
    let label_w = name_w + 1 + lang_w + letter_w;
    let cells = width.saturating_sub(label_w + 1).max(10);
    seen.letters |= chart.kinds;
    for r in &chart.rows {
        seen.kinds[r.kind as usize] = true;
        let glyphs = draw(chart, r.shape, cells);
        seen.certain |= glyphs.iter().any(|g| matches!(g, '█' | '▌' | '▐'));
        seen.soft |= glyphs.iter().any(|g| matches!(g, '░' | '▒' | '▓'));
        seen.unknown |= glyphs.contains(&'?');
        seen.open |= glyphs.contains(&'◀');
        seen.attested |= glyphs.contains(&'┃');
        let mut line = format!("{} {}", fit(&r.name, name_w), fit(&r.lang, lang_w));
        let (on, off) = if ansi {
            (ansi_colour(r.kind), "\x1b[0m")
        } else {
            ("", "")
        };
        if chart.kinds {
            line.push_str(&format!(" {on}{}{off}", kind_letter(r.kind)));
        }
        line.push(' ');
        let bar: String = glyphs.iter().collect();
        let bar = bar.trim_end();
        if matches!(r.shape, Shape::Undated) {
            line.push_str(bar);
        } else {
            line.push_str(&format!("{on}{bar}{off}"));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !chart.dated {
        return;
    }
    // The axis: a rule with a tick at each label year, and the years under it.
    let indent = " ".repeat(label_w + 1);
    let room = 2 + year_label(year_from_day(chart.from))
        .len()
        .max(year_label(year_from_day(chart.until)).len());
    let ticks = chart.ticks(cells, room);
    let mut rule = vec!['─'; cells];
    let mut labels = vec![' '; cells];
    let mut free = 0;
    for (y, at) in &ticks {
        let c = ((at * cells as f64).floor() as usize).min(cells - 1);
        rule[c] = '┴';
        let text = year_label(*y);
        if c >= free && c + text.len() <= cells {
            for (k, ch) in text.chars().enumerate() {
                labels[c + k] = ch;
            }
            free = c + text.len() + 1;
        }
    }
    if chart.ends_today {
        rule[cells - 1] = '┤';
    }
    out.push_str(&indent);
    out.extend(rule);
    out.push('\n');
    let labels: String = labels.into_iter().collect();
    out.push_str(format!("{indent}{labels}").trim_end());
    out.push('\n');
}

fn year_from_day(day: f64) -> i32 {
    NaiveDate::from_num_days_from_ce_opt(day.floor() as i32).map_or(1, |d| d.year())
}

fn legend(out: &mut String, seen: &Seen, width: usize, ansi: bool) {
    let mut items: Vec<(String, usize)> = Vec::new();
    for k in NameKind::ALL {
        if seen.kinds[k as usize] && (seen.letters || ansi) {
            let letter = if seen.letters {
                format!("{} ", kind_letter(k))
            } else {
                String::new()
            };
            let text = format!("{letter}{}", k.as_str());
            let shown = if ansi {
                format!("{}█\x1b[0m {text}", ansi_colour(k))
            } else {
                text.clone()
            };
            let w = if ansi { text.width() + 2 } else { text.width() };
            items.push((shown, w));
        }
    }
    let mut add = |s: &str| items.push((s.to_string(), s.width()));
    if seen.certain {
        add("█ certain");
    }
    if seen.soft {
        add("░▒▓ bound approximate, uncertain or imprecise");
    }
    if seen.unknown {
        add("? start or end unknown");
    }
    if seen.open {
        add("◀ from the earliest times");
    }
    if seen.attested {
        add("┃ attested (recorded in use)");
    }
    if items.is_empty() {
        return;
    }
    out.push('\n');
    let mut line_w = 0;
    for (i, (text, w)) in items.iter().enumerate() {
        let sep = if i == 0 { 0 } else { 3 };
        if i > 0 && line_w + sep + w > width {
            out.push('\n');
            line_w = 0;
        } else if i > 0 {
            out.push_str("   ");
            line_w += sep;
        }
        out.push_str(text);
        line_w += w;
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::Matcher;
    use crate::source::parse;
    use crate::validate::validate;

    const HEADER: &str = "place_id,name,start,end,lang,kind,attested,source\n";

    fn picture(rows: &str, name: &str, width: Option<u16>, ansi: bool) -> String {
        let data = format!("{HEADER}{rows}");
        let g = validate(&[parse("t.csv", data.as_bytes())]).gazetteer;
        assert!(!g.places.is_empty(), "the test data is valid");
        let m = Matcher::new(&g);
        let found = crate::query::lookup(&g, &m, name, &Default::default());
        let style = Style {
            ansi,
            columns: width,
            today: NaiveDate::from_ymd_opt(2026, 12, 6),
            ..Style::default()
        };
        terminal(&found, style)
    }

    const VOLGOGRAD: &str = "\
v,Tsaritsyn,1589,1925-04-10,en,,,s\n\
v,Stalingrad,1925-04-10,1961-11-10,en,,,s\n\
v,Volgograd,1961-11-10,,en,,,s\n";

    /// The row of a name: its glyphs after the label.
    fn row<'a>(text: &'a str, name: &str) -> &'a str {
        text.lines()
            .skip(1)
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name} in\n{text}"))
    }

    #[test]
    fn every_line_fits_the_width_and_bars_follow_each_other() {
        for width in [40u16, 60, 80, 132] {
            let text = picture(VOLGOGRAD, "Volgograd", Some(width), false);
            for line in text.lines().skip(1) {
                assert!(
                    line.width() <= usize::from(width),
                    "{width}: {line:?} is {} wide\n{text}",
                    line.width()
                );
            }
            let cells = |name: &str| row(&text, name).chars().collect::<Vec<_>>();
            let start = |name: &str| cells(name).iter().position(|c| *c == '█').unwrap();
            let end = |name: &str| cells(name).iter().rposition(|c| *c == '█').unwrap();
            assert!(start("Tsaritsyn") < start("Stalingrad"), "{text}");
            assert!(end("Tsaritsyn") <= start("Stalingrad") + 3, "{text}");
            assert!(start("Stalingrad") < start("Volgograd"), "{text}");
            // Still in use: the bar runs to the right edge, which is today.
            assert_eq!(
                row(&text, "Volgograd").width(),
                usize::from(width),
                "{text}"
            );
            assert!(text.contains("1600") && text.contains("1800"), "{text}");
        }
    }

    #[test]
    fn an_unknown_or_zero_width_is_80_columns() {
        for width in [None, Some(0)] {
            let text = picture(VOLGOGRAD, "Volgograd", width, false);
            assert_eq!(row(&text, "Volgograd").width(), 80, "{text}");
        }
    }

    #[test]
    fn a_narrow_terminal_cuts_long_names_and_keeps_ten_cells_of_bar() {
        let rows =
            "p,Ismoil Somoni Peak of the Pamirs,1998,,en,,,s\np,Stalin Peak,1932,1962,en,,,s\n";
        let text = picture(rows, "Stalin Peak", Some(30), false);
        for line in text.lines().skip(1).take(2) {
            assert!(line.width() <= 30, "{line:?}\n{text}");
        }
        assert!(text.contains("Ismoil S…"), "{text}");
        let tiny = picture(rows, "Stalin Peak", Some(5), false);
        assert!(row(&tiny, "Stal").contains('█'), "{tiny}");
    }

    #[test]
    fn approximate_and_uncertain_bounds_are_soft_and_plain_ones_hard() {
        let rows = "p,Alpha,1900~,1950?,en,,,s\np,Beta,1950-06-01,1990-06-01,en,,,s\n";
        let text = picture(rows, "Alpha", Some(80), false);
        let alpha = row(&text, "Alpha");
        let bar = alpha.trim_start_matches(|c: char| !"░▒▓█".contains(c));
        assert!(
            bar.starts_with('░'),
            "a soft start fades in: {alpha:?}\n{text}"
        );
        assert!(
            alpha.contains('▓') && alpha.ends_with('░'),
            "{alpha:?}\n{text}"
        );
        let beta = row(&text, "Beta");
        assert!(
            !beta.contains(['░', '▒', '▓']),
            "plain days are hard: {beta:?}\n{text}"
        );
        assert!(
            text.contains("░▒▓ bound approximate"),
            "the legend says so\n{text}"
        );
    }

    #[test]
    fn an_unknown_start_is_marked_and_never_drawn_from_the_edge() {
        let rows = "p,Bombay,,1995,en,,,s\np,Mumbai,1995,,en,,,s\n";
        let text = picture(rows, "Mumbai", Some(80), false);
        let bombay = row(&text, "Bombay");
        let bar = &bombay["Bombay".len()..].trim_start_matches([' ', 'e', 'n']);
        assert!(bar.starts_with('?'), "{bombay:?}\n{text}");
        assert!(bar.contains('░'), "it fades in: {bombay:?}");
        let first = bombay.find('?').unwrap();
        assert!(
            bombay[first..].chars().count() < 20,
            "the fade is a few cells, not the whole axis: {bombay:?}"
        );
        assert!(text.contains("? start or end unknown"), "{text}");
        // `..` is from the earliest times: drawn from the left edge, and said so.
        let open = picture(
            "p,Roma,..,,la,,,s\np,Rome,1900,,en,,,s\n",
            "Roma",
            Some(80),
            false,
        );
        assert!(row(&open, "Roma").contains("◀█"), "{open}");
        assert!(open.contains("◀ from the earliest times"), "{open}");
    }

    #[test]
    fn an_attestation_is_a_tick_and_an_undated_name_says_so() {
        let rows =
            "p,Bragenfeld,,,en,,0967,s\np,Brackenfield,1900,,en,,,s\np,Brakfeld,,,de,variant,,s\n";
        let text = picture(rows, "Brackenfield", Some(80), false);
        let tick = row(&text, "Bragenfeld");
        assert_eq!(tick.matches('┃').count(), 1, "{text}");
        assert!(!tick.contains('█'), "{text}");
        assert!(row(&text, "Brakfeld").ends_with("undated"), "{text}");
        assert!(text.contains("┃ attested"), "{text}");
        assert!(
            text.contains("V variant") && text.contains("O official"),
            "{text}"
        );
        // The attestation (967) and the bar (1900) share the axis.
        let at = tick.chars().position(|c| c == '┃').unwrap();
        let bar = row(&text, "Brackenfield").chars().position(|c| c == '█');
        assert!(at < bar.unwrap(), "{text}");
    }

    #[test]
    fn colour_by_kind_only_when_asked() {
        let rows =
            "p,Breslau,1200,1945,de,,,s\np,Wrocław,1945,,pl,,,s\np,Breslau,1945,,de,exonym,,s\n";
        let plain = picture(rows, "Wroclaw", Some(80), false);
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(plain.contains("E exonym"), "{plain}");
        let colour = picture(rows, "Wroclaw", Some(80), true);
        assert!(colour.contains("\x1b[32m"), "exonyms green: {colour}");
        assert!(colour.contains("\x1b[34m"), "official names blue: {colour}");
    }

    #[test]
    fn a_place_without_dates_has_no_axis() {
        let text = picture(
            "p,Nullo,,,en,,,s\np,Nulla,,,la,,,s\n",
            "Nullo",
            Some(80),
            false,
        );
        assert_eq!(
            text,
            "Nullo (id p) - matched Nullo (exact)\nNullo en undated\nNulla la undated\n"
        );
    }

    #[test]
    fn a_short_chronology_gets_an_axis_of_ten_years() {
        let text = picture(
            "p,Brief,1900-01-01,1900-03-01,en,,,s\n",
            "Brief",
            Some(80),
            false,
        );
        let labels = text.lines().nth(3).unwrap();
        let years: Vec<i32> = labels
            .split_whitespace()
            .map(|y| y.parse().unwrap())
            .collect();
        assert!(years.len() >= 5, "{text}");
        assert!(
            years.first() < Some(&1900) && years.last() > Some(&1900),
            "{text}"
        );
    }

    #[test]
    fn years_before_the_common_era_are_labelled_bce() {
        let text = picture(
            "p,Byzantion,-0666,0330,grc,,,s\n",
            "Byzantion",
            Some(80),
            false,
        );
        assert!(text.contains("400 BCE  "), "round BCE years: {text}");
        assert_eq!(year_label(0), "1 BCE");
        assert_eq!(year_label(-43), "44 BCE");
    }
}
