//! Tables for people: a heading line per place, then its names.

use super::footnotes::Footnotes;
use super::{Style, describe_date};
use crate::date::Date;
use crate::model::{NameKind, NameRecord};
use crate::query::{AtAnswer, Found, NameAt};
use crate::text::sanitize;
use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};
use std::io::{self, Write};

fn new_table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(if style.boxes {
        presets::UTF8_FULL_CONDENSED
    } else {
        presets::NOTHING
    });
    if style.ansi {
        t.enforce_styling();
    }
    match (style.width, style.boxes) {
        (Some(w), _) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        // On a terminal comfy-table finds the width itself.
        (None, true) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        (None, false) => {
            t.force_no_tty();
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let cells: Vec<Cell> = header
        .iter()
        .map(|h| {
            if style.ansi {
                Cell::new(h).add_attribute(Attribute::Bold)
            } else {
                Cell::new(h)
            }
        })
        .collect();
    t.set_header(cells);
    if !style.boxes {
        // Without borders the left padding would only indent every line.
        for c in t.column_iter_mut() {
            c.set_padding((0, 2));
        }
    }
    t
}

fn write_table(out: &mut dyn Write, t: &Table) -> io::Result<()> {
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

pub(super) fn heading(out: &mut dyn Write, f: &Found, style: Style) -> io::Result<()> {
    heading_with(out, f, None, style)
}

/// The heading of a place; `period` (of the matched name) is said after how it matched.
fn heading_with(
    out: &mut dyn Write,
    f: &Found,
    period: Option<&str>,
    style: Style,
) -> io::Result<()> {
    let p = f.place;
    let name = sanitize(p.current_name());
    let mut facts: Vec<String> = Vec::new();
    facts.extend(p.kind.as_deref().map(|k| sanitize(k).into_owned()));
    facts.extend(p.country.as_deref().map(str::to_string));
    if let Some((lat, lon)) = p.coords {
        facts.push(format!("{lat}, {lon}"));
    }
    facts.push(format!("id {}", sanitize(&p.id)));
    if let Some(people) = p.population {
        facts.push(format!("population {}", thousands(people)));
    }
    facts.extend(provenance(p));
    let matched = f
        .matched
        .iter()
        .map(|m| sanitize(m).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
    if style.ansi {
        write!(out, "\x1b[1m{name}\x1b[0m")?;
    } else {
        write!(out, "{name}")?;
    }
    write!(
        out,
        " ({}) - matched {matched} ({})",
        facts.join("; "),
        f.how.as_str()
    )?;
    match period {
        Some(p) => writeln!(out, ", {p}"),
        None => writeln!(out),
    }
}

/// A number with a comma between thousands: 3,426,354.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Where a built-in place's rows come from (#18): `curated` (data/*.csv), `GeoNames`
/// (the world layer), and `your data` when the user's files add to it, joined by ` + `.
/// A place of the user's data alone says nothing: the user knows their files.
fn provenance(p: &crate::model::Place) -> Option<String> {
    let (mut curated, mut world, mut user) = (false, false, false);
    for n in &p.names {
        let file = &*n.origin.file;
        if file == crate::builtin::WORLD_FILE {
            world = true;
        } else if crate::builtin::FILES.contains(&file) {
            curated = true;
        } else {
            user = true;
        }
    }
    if !curated && !world {
        return None;
    }
    let parts: Vec<&str> = [
        (curated, "curated"),
        (world, "GeoNames"),
        (user, "your data"),
    ]
    .into_iter()
    .filter_map(|(has, label)| has.then_some(label))
    .collect();
    Some(parts.join(" + "))
}

/// Whether a table shows this name: every name but the undated variants (GeoNames gives
/// dozens a city), unless `--all-names` or it is one the query matched.
fn shows(n: &NameRecord, matched: &[&NameRecord], style: Style) -> bool {
    style.all_names
        || !(n.kind == NameKind::Variant && n.is_undated())
        || matched.iter().any(|m| std::ptr::eq(*m, n))
}

/// The line after a table that counts the names it left out.
fn hidden_line(out: &mut dyn Write, hidden: usize) -> io::Result<()> {
    if hidden > 0 {
        let s = if hidden == 1 { "" } else { "s" };
        writeln!(out, "+{hidden} undated variant{s} (--all-names shows them)")?;
    }
    Ok(())
}

/// Says so when a place has no renaming recorded: none of its names has a date.
fn no_renaming(out: &mut dyn Write, p: &crate::model::Place) -> io::Result<()> {
    if p.names.iter().all(NameRecord::is_undated) {
        writeln!(
            out,
            "no renaming recorded: its current name and undated variants only"
        )?;
    }
    Ok(())
}

fn date_cell(d: &Option<Date>, open: &str) -> String {
    d.as_ref()
        .map_or_else(|| open.to_string(), ToString::to_string)
}

/// The `from` cell of a name: its start, `..` from the earliest times, empty when
/// unknown, `attested DATE` for an attestation.
fn from_cell(n: &NameRecord) -> String {
    match n.attestation() {
        Some(d) => format!("attested {d}"),
        None if n.open_start && n.start.is_none() => "..".to_string(),
        None => date_cell(&n.start, ""),
    }
}

/// The `until` cell of a name: its end, `now` when still in use, empty for an attestation
/// and for an undated name other than an official one (most of GeoNames' alternate names):
/// its source says nothing of when it was used, so nothing says it still is (#18). An
/// undated official name is a place's current name, as GeoNames gives it.
fn until_cell(n: &NameRecord) -> String {
    if n.attested || (n.is_undated() && n.kind != crate::model::NameKind::Official) {
        String::new()
    } else {
        date_cell(&n.end, "now")
    }
}

pub fn lookup(out: &mut dyn Write, found: &[Found], style: Style) -> io::Result<()> {
    for (i, f) in found.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        heading(out, f, style)?;
        no_renaming(out, f.place)?;
        // The kind of each name, when the place has names other than official ones.
        let kinds = f.place.names.iter().any(|n| n.kind != NameKind::Official);
        let mut hidden = 0;
        let mut columns = vec!["name", "from", "until", "lang"];
        columns.extend(kinds.then_some("kind"));
        // Sources and notes are footnotes under the table (#20): a URL in a cell wrapped
        // over lines and could not be copied, and a note had no place at all.
        columns.push("notes");
        let mut t = new_table(style, &columns);
        let mut notes = Footnotes::default();
        for n in &f.place.names {
            if !shows(n, &f.records, style) {
                hidden += 1;
                continue;
            }
            let mut row = vec![
                sanitize(&n.name).into_owned(),
                from_cell(n),
                until_cell(n),
                sanitize(&n.lang).into_owned(),
            ];
            row.extend(kinds.then(|| n.kind.as_str().to_string()));
            row.push(notes.cite(&n.source, &n.note));
            t.add_row(row);
        }
        write_table(out, &t)?;
        hidden_line(out, hidden)?;
        notes.write(out)?;
    }
    Ok(())
}

pub fn search(
    out: &mut dyn Write,
    hits: &[crate::query::SearchHit],
    style: Style,
) -> io::Result<()> {
    let mut t = new_table(
        style,
        &[
            "name", "lang", "kind", "from", "until", "place", "id", "match",
        ],
    );
    for h in hits {
        t.add_row(vec![
            sanitize(&h.record.name).into_owned(),
            sanitize(&h.record.lang).into_owned(),
            h.record.kind.as_str().to_string(),
            from_cell(h.record),
            until_cell(h.record),
            sanitize(h.place.current_name()).into_owned(),
            sanitize(&h.place.id).into_owned(),
            h.how.as_str().to_string(),
        ]);
    }
    write_table(out, &t)
}

fn certainty_cell(n: &NameAt) -> String {
    let mut s = n.certainty.as_str().to_string();
    if !n.detail.is_empty() {
        s = format!("{s}: {}", n.detail);
    }
    let q = super::json::qualifier_words(n.qualifiers);
    if !q.is_empty() {
        s = format!("{s} ({})", q.join(", "));
    }
    s
}

/// The names the places of `answers` matched, each once, for a sentence.
fn matched_names(answers: &[&AtAnswer]) -> String {
    let mut names: Vec<&str> = answers
        .iter()
        .flat_map(|a| a.found.matched.iter().copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .iter()
        .map(|n| sanitize(n).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn at(
    out: &mut dyn Write,
    answers: &[AtAnswer],
    date: &crate::date::QueryDate,
    style: Style,
) -> io::Result<()> {
    let when = describe_date(date);
    let (held, others): (Vec<&AtAnswer>, Vec<&AtAnswer>) =
        answers.iter().partition(|a| a.held.is_some());
    // The places that bore the name at other times: after the answer, one line; or, when
    // no place held it at the date, in full under a line that says so.
    let shown = if held.is_empty() {
        writeln!(
            out,
            "no place bore the name {} on {when}; at other times it was borne by:",
            matched_names(&others)
        )?;
        &others
    } else {
        &held
    };
    for (i, a) in shown.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let period = a
            .matched
            .filter(|_| a.held.is_none())
            .map(NameRecord::period_words);
        heading_with(out, &a.found, period.as_deref(), style)?;
        no_renaming(out, a.found.place)?;
        if a.names.is_empty() {
            let names = &a.found.place.names;
            let first = names.first().and_then(|n| n.start.as_ref().map(|s| (n, s)));
            let last = names
                .iter()
                .filter_map(|n| n.end.as_ref().map(|e| (n, e)))
                .max_by_key(|(_, e)| e.window().latest);
            let all_ended = names.iter().all(|n| n.end.is_some());
            match (first, last) {
                (Some((n, s)), _) if s.window().earliest > date.window.latest => writeln!(
                    out,
                    "no name recorded on {when}: the first known name, {}, dates from {s}",
                    sanitize(&n.name)
                )?,
                (_, Some((n, e))) if all_ended && e.window().latest <= date.window.earliest => {
                    writeln!(
                        out,
                        "no name recorded on {when}: the last known name, {}, ended {e}",
                        sanitize(&n.name)
                    )?
                }
                _ => writeln!(out, "no name recorded on {when}")?,
            }
            continue;
        }
        writeln!(out, "on {when}:")?;
        let kinds = a.names.iter().any(|n| n.record.kind != NameKind::Official);
        let mut columns = vec!["name", "lang"];
        columns.extend(kinds.then_some("kind"));
        columns.extend(["from", "until", "certainty", "notes"]);
        let mut t = new_table(style, &columns);
        let mut notes = Footnotes::default();
        let mut hidden = 0;
        let mut matched = a.found.records.clone();
        matched.extend(a.matched);
        for n in &a.names {
            if !shows(n.record, &matched, style) {
                hidden += 1;
                continue;
            }
            let mut row = vec![
                sanitize(&n.record.name).into_owned(),
                sanitize(&n.record.lang).into_owned(),
            ];
            row.extend(kinds.then(|| n.record.kind.as_str().to_string()));
            row.extend([
                from_cell(n.record),
                until_cell(n.record),
                certainty_cell(n),
                notes.cite(&n.record.source, &n.record.note),
            ]);
            t.add_row(row);
        }
        write_table(out, &t)?;
        hidden_line(out, hidden)?;
        notes.write(out)?;
    }
    if !held.is_empty() && !others.is_empty() {
        // A place is its current name and country; two that read the same get their ids.
        let label = |p: &crate::model::Place, id: bool| {
            let mut within: Vec<String> =
                p.country.iter().map(|c| sanitize(c).into_owned()).collect();
            within.extend(id.then(|| format!("id {}", sanitize(&p.id))));
            if within.is_empty() {
                sanitize(p.current_name()).into_owned()
            } else {
                format!("{} ({})", sanitize(p.current_name()), within.join("; "))
            }
        };
        let labels: Vec<String> = held
            .iter()
            .chain(&others)
            .map(|a| label(a.found.place, false))
            .collect();
        let places: Vec<String> = others
            .iter()
            .map(|a| {
                let p = a.found.place;
                let same = labels.iter().filter(|l| **l == label(p, false)).count();
                let mut s = label(p, same > 1);
                if let Some(m) = a.matched {
                    s = format!("{s}, {}", m.period_words());
                }
                s
            })
            .collect();
        writeln!(out)?;
        writeln!(
            out,
            "also bore the name {}: {}",
            matched_names(&others),
            places.join("; ")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Calendar, parse_query};
    use crate::matching::Matcher;
    use crate::source::parse;
    use crate::validate::validate;

    const DATA: &str = "place_id,name,start,end,lang,type,country,lat,lon,source\n\
        ru-volgograd,Tsaritsyn,1589,1925-04-10,en,city,RU,48.708,44.5133,https://en.wikipedia.org/wiki/Volgograd\n\
        ru-volgograd,Stalingrad,1925-04-10,1961-11-10,en,,,,,https://en.wikipedia.org/wiki/Volgograd\n\
        ru-volgograd,Volgograd,1961-11-10,,en,,,,,https://en.wikipedia.org/wiki/Volgograd\n";

    fn render(query: Option<&str>, style: Style) -> String {
        let g = validate(&[parse("t.csv", DATA.as_bytes())]).gazetteer;
        let m = Matcher::new(&g);
        let mut out = Vec::new();
        match query {
            None => lookup(
                &mut out,
                &crate::query::lookup(&g, &m, "stalingrad", &Default::default()),
                style,
            )
            .unwrap(),
            Some(date) => {
                let d = parse_query(date, Calendar::Gregorian).unwrap();
                at(
                    &mut out,
                    &crate::query::at(&g, &m, "Volgograd", &d, &Default::default()),
                    &d,
                    style,
                )
                .unwrap()
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lookup_table_snapshot_at_width_72() {
        let style = Style {
            boxes: true,
            ansi: false,
            width: Some(72),
            ..Style::default()
        };
        let expected = "\
Volgograd (city; RU; 48.708, 44.5133; id ru-volgograd) - matched Stalingrad (folded)
┌────────────┬────────────┬────────────┬──────┬───────┐
│ name       ┆ from       ┆ until      ┆ lang ┆ notes │
╞════════════╪════════════╪════════════╪══════╪═══════╡
│ Tsaritsyn  ┆ 1589       ┆ 1925-04-10 ┆ en   ┆ [1]   │
│ Stalingrad ┆ 1925-04-10 ┆ 1961-11-10 ┆ en   ┆ [1]   │
│ Volgograd  ┆ 1961-11-10 ┆ now        ┆ en   ┆ [1]   │
└────────────┴────────────┴────────────┴──────┴───────┘
[1] https://en.wikipedia.org/wiki/Volgograd
";
        assert_eq!(render(None, style), expected);
    }

    #[test]
    fn at_table_snapshot_plain() {
        let expected = "\
Volgograd (city; RU; 48.708, 44.5133; id ru-volgograd) - matched Volgograd (exact)
on 1961:
name        lang  from        until       certainty                 notes
Stalingrad  en    1925-04-10  1961-11-10  partly: until 1961-11-10  [1]
Volgograd   en    1961-11-10  now         partly: from 1961-11-10   [1]
[1] https://en.wikipedia.org/wiki/Volgograd
";
        assert_eq!(render(Some("1961"), Style::default()), expected);
    }
}
