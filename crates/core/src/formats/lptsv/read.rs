//! LP-TSV in: the World Historical Gazetteer's delimited format (LP-TSV v0.4/v0.5, one
//! place a row, tab-separated) becomes rows of our schema, offered to a sink like the rows
//! of a CSV file.
//!
//! Owns the mapping from LP-TSV and WHG's own checks of it; our validation follows in
//! `validate`. Each record gives one row for its `title` (kind `official`, with the
//! record's `start`/`end`, since LP-TSV dates the record, not each name) and one row per
//! `variants` entry (kind `variant`, no dates: LP-TSV gives names no dates of their own).
//! `types` gives the type (its first entry), `ccodes` the country (its first), `lat`/`lon`
//! or else a `geowkt` POINT the coordinates, `title_uri` (else `title_source`) the source.
//! The note keeps `title_source` and what was left out.
//!
//! WHG refuses a file that breaks its rules, and so do we, each time with the file, line,
//! column and value: a missing `id`, `title`, `title_source` or `start` (or
//! `attestation_year`) column, or `id`, `title` or `title_source` value; a `start`/`end` not `yyyy[-mm[-dd]]` (optionally a
//! range `a/b`) or a start after the end; a `ccodes` entry that is not an ISO 3166-1
//! code; an `fclasses` entry outside GeoNames' classes A H L P R S T U V; an `aat_types`
//! entry that is not a Getty AAT place-type id (nine digits, 300…); a `matches` entry
//! without one of WHG's prefixes (bnf cerl dbp gn gnd gov loc pl tgn viaf wd wp) or a URL;
//! coordinates out of range, or a `geowkt` we cannot read.
//!
//! Leniencies, each reported: a record with neither a `start` nor an `attestation_year`
//! is read with unknown dates (WHG would refuse it; our own export writes such places,
//! which must come back); a header cell holding two column names parted by spaces
//! (`lat fclasses`, as in WHG's own `valid_file.tsv`) is two columns, and its values are
//! parted the same way; lines starting with `#` are comments, and a line of column names
//! after one starts a new block (WHG's `test-data-builder.tsv`); rows without an `id` after
//! a blank row are the notes of WHG's spreadsheet template, left out with a warning.

use crate::error::Diagnostic;
use crate::schema::COLUMNS;
use crate::source::Sink;
use std::sync::Arc;

/// Whether a file name says LP-TSV.
pub fn is_lptsv(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
}

/// Every column LP-TSV v0.5 defines.
const KNOWN: [&str; 21] = [
    "id",
    "title",
    "title_source",
    "title_uri",
    "start",
    "end",
    "attestation_year",
    "ccodes",
    "matches",
    "variants",
    "types",
    "aat_types",
    "fclasses",
    "parent_name",
    "parent_id",
    "lon",
    "lat",
    "geowkt",
    "geo_source",
    "geo_id",
    "description",
];

/// ISO 3166-1 alpha-2: the officially assigned codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN \
BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH \
ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM \
IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG \
MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM \
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH \
TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Codes ISO 3166-1 leaves to users, accepted because gazetteers use them for a country
/// it has no code for: XK, Kosovo (GeoNames, the EU, Unicode CLDR, our own data). Not the
/// codes of countries that no longer exist (SU, YU, CS, DD): `ccodes` names the country a
/// place lies in today.
const USER_ASSIGNED: [&str; 1] = ["XK"];

/// The prefixes WHG accepts in `matches` (schema_lptsv_v0.4.json).
const ALIASES: [&str; 12] = [
    "bnf", "cerl", "dbp", "gn", "gnd", "gov", "loc", "pl", "tgn", "viaf", "wd", "wp",
];

/// The header of the block being read: each LP-TSV column's position, and the cells
/// that held two names parted by spaces.
struct Block {
    line: u64,
    columns: Vec<(String, usize)>,
    /// (cell, number of names in it)
    joined: Vec<(usize, usize)>,
    width: usize,
}

impl Block {
    fn of(header: &[String], line: u64) -> Block {
        let mut columns = Vec::new();
        let mut joined = Vec::new();
        let mut pos = 0;
        for (cell, h) in header.iter().enumerate() {
            let names: Vec<&str> = h.split_whitespace().collect();
            if names.len() > 1
                && names
                    .iter()
                    .all(|n| KNOWN.contains(&n.to_ascii_lowercase().as_str()))
            {
                joined.push((cell, names.len()));
            }
            for n in if names.len() > 1 {
                names
            } else {
                vec![h.trim()]
            } {
                columns.push((n.to_ascii_lowercase(), pos));
                pos += 1;
            }
        }
        Block {
            line,
            columns,
            joined,
            width: header.len(),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|(c, _)| c == name)
    }

    /// A row's cells laid out as the columns are (joined cells parted).
    fn cells(&self, fields: &[String]) -> Vec<String> {
        let mut out = Vec::with_capacity(self.columns.len());
        for (i, f) in fields.iter().enumerate() {
            match self.joined.iter().find(|(c, _)| *c == i) {
                Some(&(_, n)) => {
                    let mut parts = f.split_whitespace();
                    let mut taken: Vec<String> = (0..n - 1)
                        .map(|_| parts.next().unwrap_or("").to_string())
                        .collect();
                    taken.push(parts.collect::<Vec<_>>().join(" "));
                    out.extend(taken);
                }
                None => out.push(f.clone()),
            }
        }
        out
    }

    fn get<'c>(&self, cells: &'c [String], name: &str) -> &'c str {
        self.columns
            .iter()
            .find(|(c, _)| c == name)
            .and_then(|(_, i)| cells.get(*i))
            .map_or("", |s| s.trim())
    }
}

/// Whether a line's cells are a header: the columns every block needs, and nothing unknown.
fn is_header(cells: &[String]) -> bool {
    let names: Vec<String> = cells
        .iter()
        .flat_map(|c| {
            c.split_whitespace()
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    names.iter().any(|n| n == "id")
        && names.iter().any(|n| n == "title")
        && names.iter().all(|n| KNOWN.contains(&n.as_str()))
}

/// Reads LP-TSV bytes into a sink.
pub fn parse_into(file: &str, bytes: &[u8], sink: &mut dyn Sink) {
    let name: Arc<str> = Arc::from(file);
    let bytes = bytes.strip_prefix(crate::source::BOM).unwrap_or(bytes);
    // A quote never closed would run on to the end of the file, swallowing every later
    // record without a word: refuse the file, naming the line.
    let mut scan = crate::source::QuoteScan::new(bytes, b'\t');
    if let Err(e) = std::io::copy(&mut scan, &mut std::io::sink()) {
        sink.problem(crate::source::cannot_read(file, &e));
        return;
    }
    if let Some(line) = scan.unclosed() {
        sink.problem(crate::source::unclosed_quote(file, line));
        return;
    }
    let mut reader = crate::source::records(crate::source::QuoteScan::new(bytes, b'\t'), b'\t');
    let mut scratch = csv::ByteRecord::new();
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    if !sink.header(&name, &header) {
        return;
    }
    let mut block: Option<Block> = None;
    let mut after_comment = true;
    let mut after_blank = false;
    let (mut rows, mut notes, mut shapes) = (0u64, Vec::new(), 0u64);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map(|p| p.line());
                sink.problem(Diagnostic::error(
                    file,
                    at,
                    None,
                    format!("not readable as LP-TSV: {e}"),
                ));
                break;
            }
        }
        if record
            .iter()
            .next_back()
            .is_some_and(|f| f.ends_with(b"\r"))
        {
            crate::source::drop_final_cr(&mut record, &mut scratch);
        }
        // The empty line of a CRLF file is no record, as an empty line of any file is not.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        let line = crate::source::first_line(&reader, &record);
        let Ok(text) = record
            .iter()
            .map(|f| std::str::from_utf8(f).map(str::to_string))
            .collect::<Result<Vec<String>, _>>()
        else {
            sink.problem(crate::source::not_utf8(file, line, None));
            continue;
        };
        if text
            .first()
            .is_some_and(|c| c.trim_start().starts_with('#'))
        {
            after_comment = true;
            continue;
        }
        if text.iter().all(|c| c.trim().is_empty()) {
            after_blank = true;
            continue;
        }
        if (block.is_none() || after_comment) && is_header(&text) {
            let b = Block::of(&text, line);
            for needed in ["id", "title", "title_source"] {
                if !b.has(needed) {
                    sink.problem(Diagnostic::error(
                        file,
                        Some(line),
                        Some(needed),
                        format!("the header has no '{needed}' column, which LP-TSV requires"),
                    ));
                }
            }
            if !b.has("start") && !b.has("attestation_year") {
                sink.problem(Diagnostic::error(
                    file,
                    Some(line),
                    Some("start"),
                    "the header has neither 'start' nor 'attestation_year': LP-TSV requires one"
                        .to_string(),
                ));
            }
            for &(cell, n) in &b.joined {
                sink.problem(Diagnostic::warning(file, Some(line), None, format!("header cell '{}' holds {n} column names parted by spaces: read as {n} columns, and its values parted the same way", text[cell].trim())));
            }
            block = Some(b);
            after_comment = false;
            after_blank = false;
            continue;
        }
        after_comment = false;
        let Some(b) = &block else {
            sink.problem(Diagnostic::error(file, Some(line), None, "no LP-TSV header before this row: the first line must name the columns (id, title, title_source, start, ...)".to_string()));
            return;
        };
        if text.len() != b.width {
            sink.problem(Diagnostic::error(file, Some(line), None, format!("the row has {} cells but the header (line {}) has {}: a value holds a tab, or cells were split or lost", text.len(), b.line, b.width)));
            continue;
        }
        let cells = b.cells(&text);
        if b.get(&cells, "id").is_empty() {
            if after_blank {
                notes.push(line);
            } else {
                sink.problem(Diagnostic::error(
                    file,
                    Some(line),
                    Some("id"),
                    "the row has no id: every LP-TSV record needs one".to_string(),
                ));
            }
            continue;
        }
        // WHG requires a date, but a record without one is no less a place: read with
        // unknown dates (as our own export writes a place that has none), and said.
        if (b.has("start") || b.has("attestation_year"))
            && b.get(&cells, "start").is_empty()
            && b.get(&cells, "attestation_year").is_empty()
        {
            sink.problem(Diagnostic::warning(
                file,
                Some(line),
                Some("start"),
                "'start' is empty (and there is no attestation_year): LP-TSV requires one, so \
                 WHG will refuse this record; its names are read with unknown dates"
                    .to_string(),
            ));
        }
        let mut errors = Vec::new();
        check(b, &cells, &mut errors);
        if !errors.is_empty() {
            for (column, message) in errors {
                sink.problem(Diagnostic::error(file, Some(line), Some(column), message));
            }
            continue;
        }
        let (lat, lon) = match (b.get(&cells, "lat"), b.get(&cells, "lon")) {
            ("", "") => point(b.get(&cells, "geowkt"))
                .map_or((String::new(), String::new()), |(lon, lat)| {
                    (lat.to_string(), lon.to_string())
                }),
            (lat, lon) => (lat.to_string(), lon.to_string()),
        };
        if !b.get(&cells, "geowkt").is_empty()
            && !b
                .get(&cells, "geowkt")
                .to_ascii_uppercase()
                .starts_with("POINT")
        {
            shapes += 1;
        }
        let first = |c: &str| {
            b.get(&cells, c)
                .split(';')
                .map(str::trim)
                .find(|s| !s.is_empty())
                .unwrap_or("")
                .to_string()
        };
        let (start, end, attested, range_note) = dates(
            b.get(&cells, "start"),
            b.get(&cells, "end"),
            b.get(&cells, "attestation_year"),
        );
        let source = if b.get(&cells, "title_uri").is_empty() {
            b.get(&cells, "title_source")
        } else {
            b.get(&cells, "title_uri")
        };
        let mut note = format!("LP-TSV title_source: {}", b.get(&cells, "title_source"));
        if let Some(r) = range_note {
            note.push_str("; ");
            note.push_str(&r);
        }
        let id = b.get(&cells, "id");
        let kind_of_place = first("types").to_lowercase();
        let country = first("ccodes").to_ascii_uppercase();
        let title = b.get(&cells, "title");
        let row = |name: &str, start: &str, end: &str, attested: &str, note: &str, kind: &str| {
            csv::StringRecord::from(vec![
                id,
                name,
                start,
                end,
                "",
                &kind_of_place,
                &country,
                &lat,
                &lon,
                source,
                note,
                kind,
                attested,
            ])
        };
        sink.row(
            &name,
            line,
            &row(title, &start, &end, &attested, &note, "official"),
        );
        rows += 1;
        let mut seen = vec![title.to_string()];
        for v in b
            .get(&cells, "variants")
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            if seen.iter().any(|s| s == v) {
                continue;
            }
            seen.push(v.to_string());
            sink.row(
                &name,
                line,
                &row(
                    v,
                    "",
                    "",
                    "",
                    "LP-TSV variant: no dates of its own",
                    "variant",
                ),
            );
            rows += 1;
        }
    }
    if let (Some(first), Some(last)) = (notes.first(), notes.last()) {
        sink.problem(Diagnostic::warning(file, Some(*first), Some("id"), format!("{} rows without an id after a blank row (lines {first}-{last}) look like a spreadsheet's notes: left out", notes.len())));
    }
    if shapes > 0 {
        sink.problem(Diagnostic::warning(file, None, Some("geowkt"), format!("{shapes} records have a geowkt shape other than a POINT: left out (our schema holds one point a place)")));
    }
    sink.end(&name, rows);
}

/// WHG's rules for one record: (column, message) for each broken one.
fn check(b: &Block, cells: &[String], errors: &mut Vec<(&'static str, String)>) {
    let get = |c: &str| b.get(cells, c);
    // (A column missing from the header was reported once, with the header.)
    for c in ["title", "title_source"] {
        if b.has(c) && get(c).is_empty() {
            errors.push((c, format!("'{c}' is empty: LP-TSV requires it")));
        }
    }
    let mut bounds: Vec<(&str, Option<Day>)> = Vec::new();
    for c in ["start", "end"] {
        let v = get(c);
        // `..` is an open bound (#15): from the earliest times, or still in use.
        if v.is_empty() || v == ".." {
            continue;
        }
        let parts: Vec<&str> = v.split('/').collect();
        let ok = parts.len() <= 2 && parts.iter().all(|p| lptsv_date(p).is_some());
        if ok {
            bounds.push((c, parts.first().copied().and_then(lptsv_date)));
        } else {
            errors.push((c, format!("'{c}' is '{v}': LP-TSV dates are yyyy, yyyy-mm or yyyy-mm-dd (four-digit years, '-' before BCE years), or a range a/b")));
        }
    }
    // The earliest day of the start against the latest day of the end (a plain year ends
    // in December; a range ends at its second bound).
    let latest = |v: &str| {
        v.rsplit('/')
            .next()
            .and_then(lptsv_date)
            .map(|(y, m, d)| (y, if m == 0 { 12 } else { m }, if d == 0 { 31 } else { d }))
    };
    if let [("start", Some(s)), ("end", Some(_))] = bounds.as_slice()
        && let Some(e) = latest(get("end"))
        && *s > e
    {
        errors.push((
            "end",
            format!("'start' ({}) is after 'end' ({})", get("start"), get("end")),
        ));
    }
    let y = get("attestation_year");
    let digits = y.trim_start_matches('-');
    if !y.is_empty()
        && (digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|c| c.is_ascii_digit()))
    {
        errors.push((
            "attestation_year",
            format!("'attestation_year' is '{y}': a year of up to four digits"),
        ));
    }
    for code in list(get("ccodes")) {
        let known = COUNTRIES
            .split(' ')
            .chain(USER_ASSIGNED)
            .any(|c| c.eq_ignore_ascii_case(code));
        if code.len() != 2 || !known {
            errors.push((
                "ccodes",
                format!(
                    "'{code}' is not an ISO 3166-1 alpha-2 country code (nor {}, which stands \
                     for Kosovo)",
                    USER_ASSIGNED.join(", ")
                ),
            ));
        }
    }
    for class in list(get("fclasses")) {
        if !matches!(
            class.to_ascii_uppercase().as_str(),
            "A" | "H" | "L" | "P" | "R" | "S" | "T" | "U" | "V"
        ) {
            errors.push((
                "fclasses",
                format!("'{class}' is not a GeoNames feature class (A H L P R S T U V)"),
            ));
        }
    }
    for aat in list(get("aat_types")) {
        if !(aat.len() == 9 && aat.starts_with("300") && aat.bytes().all(|b| b.is_ascii_digit())) {
            errors.push((
                "aat_types",
                format!("'{aat}' is not a Getty AAT place type id (nine digits starting 300)"),
            ));
        }
    }
    for m in list(get("matches")) {
        let url = m.starts_with("http://") || m.starts_with("https://");
        let alias = m.split_once(':').is_some_and(|(p, rest)| {
            ALIASES.contains(&p.to_ascii_lowercase().as_str()) && !rest.is_empty()
        });
        if !url && !alias {
            errors.push((
                "matches",
                format!(
                    "'{m}' is neither a URL nor an alias WHG knows ({}:...)",
                    ALIASES.join(", ")
                ),
            ));
        }
    }
    for (c, limit) in [("lat", 90.0), ("lon", 180.0)] {
        let v = get(c);
        if v.is_empty() {
            continue;
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= limit => {}
            _ => errors.push((
                c,
                format!("'{c}' is '{v}': a number from -{limit} to {limit}"),
            )),
        }
    }
    let wkt = get("geowkt");
    if wkt.to_ascii_uppercase().starts_with("POINT") {
        match point(wkt) {
            Some((lon, lat)) if lon.abs() <= 180.0 && lat.abs() <= 90.0 => {}
            Some(_) => errors.push((
                "geowkt",
                format!("'{wkt}': coordinates out of range (longitude first, then latitude)"),
            )),
            None => errors.push(("geowkt", format!("'{wkt}' is not a WKT POINT(lon lat)"))),
        }
    } else if !wkt.is_empty()
        && !["LINESTRING", "POLYGON", "MULTI", "GEOMETRYCOLLECTION"]
            .iter()
            .any(|k| wkt.to_ascii_uppercase().starts_with(k))
    {
        errors.push(("geowkt", format!("'{wkt}' is not WKT")));
    }
}

/// A `;`-separated cell's entries.
fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// A sortable (year, month, day); 0 for a month or day not given.
type Day = (i32, u32, u32);

/// An LP-TSV date as a sortable day, if it is one.
fn lptsv_date(s: &str) -> Option<Day> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let parts: Vec<&str> = body.split('-').collect();
    let widths = [4, 2, 2];
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .zip(widths)
            .any(|(p, w)| p.len() != w || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    let year = i32::try_from(n(0)?).ok()?;
    Some((
        if neg { -year } else { year },
        n(1).unwrap_or(0),
        n(2).unwrap_or(0),
    ))
}

/// The record's start and end as our dates (EDTF), and a note when a range was narrowed:
/// a range `a/b` starts at `a` and ends at `b`, the widest reading.
fn dates(start: &str, end: &str, attested: &str) -> (String, String, String, Option<String>) {
    let mut note = Vec::new();
    let mut pick = |v: &str, which: &str, first: bool| -> String {
        match v.split_once('/') {
            Some((a, b)) => {
                note.push(format!("{which} given as the range {v}"));
                if first { a } else { b }.to_string()
            }
            None => v.to_string(),
        }
    };
    let s = pick(start, "start", true);
    let e = pick(end, "end", false);
    // An attestation year says the name was in use in that year, not that it began then
    // (#14, #15): with no start and no end, the name is attested then; with an end, its
    // start stays unknown and the note keeps the year.
    let mut a = String::new();
    if s.is_empty() && !attested.is_empty() {
        let y: i32 = attested.parse().unwrap_or(0);
        let year = if y < 0 {
            format!("-{:04}", -y)
        } else {
            format!("{y:04}")
        };
        if e.is_empty() {
            a = year;
        } else {
            note.push(format!(
                "attested in {attested} (attestation_year), before its end: its start is unknown"
            ));
        }
    }
    (s, e, a, (!note.is_empty()).then(|| note.join("; ")))
}

/// A WKT `POINT(lon lat)`: (lon, lat).
fn point(wkt: &str) -> Option<(f64, f64)> {
    let upper = wkt.trim().to_ascii_uppercase();
    let inner = upper
        .strip_prefix("POINT")?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let mut it = inner.split_whitespace().map(str::parse::<f64>);
    let (lon, lat) = (it.next()?.ok()?, it.next()?.ok()?);
    (it.next().is_none() && lon.is_finite() && lat.is_finite()).then_some((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Table;

    fn read(text: &str) -> Table {
        let mut t = Table::named("t.tsv");
        parse_into("t.tsv", text.as_bytes(), &mut t);
        t
    }

    #[test]
    fn a_record_gives_its_title_and_its_variants() {
        let t = read(
            "id\ttitle\ttitle_source\tstart\tend\tvariants\ttypes\tccodes\tgeowkt\n\
             717_1\tMarienborch\tCroniken\t1480\t1491\tMarienburg; Malbork;Marienborch\ttown; castle\tPL\tPOINT(19.03 54.03)\n",
        );
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        let rows: Vec<Vec<String>> = t.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][..4], ["717_1", "Marienborch", "1480", "1491"]);
        assert_eq!(rows[0][5..9], ["town", "PL", "54.03", "19.03"]);
        assert_eq!(rows[0][11], "official");
        assert_eq!(rows[1][1], "Marienburg");
        assert_eq!(rows[2][1], "Malbork");
        assert_eq!((rows[2][2].as_str(), rows[2][11].as_str()), ("", "variant"));
    }

    /// #14: our own export writes places with no date at all, and Kosovo as XK: both must
    /// come back.
    #[test]
    fn a_record_without_a_date_is_read_with_a_warning_and_xk_is_a_country() {
        let t = read(
            "id\ttitle\ttitle_source\tstart\tend\tccodes\n\
             1\tPrishtina\tS\t\t\txk\n\
             2\tA\tS\t\t1491\tPL\n",
        );
        let rows: Vec<Vec<String>> = t.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(rows.len(), 2, "{:?}", t.problems);
        assert_eq!(rows[0][..4], ["1", "Prishtina", "", ""]);
        assert_eq!(rows[0][6], "XK");
        assert_eq!(rows[1][..4], ["2", "A", "", "1491"]);
        assert_eq!(t.problems.len(), 2, "{:?}", t.problems);
        for (p, line) in t.problems.iter().zip([2, 3]) {
            assert!(!p.is_error(), "{p}");
            assert_eq!((p.line, p.column.as_deref()), (Some(line), Some("start")));
        }
        // A code nobody assigned is still refused.
        let t = read("id\ttitle\ttitle_source\tstart\tccodes\n1\tA\tS\t1900\tXX\n");
        assert!(t.rows.is_empty());
        assert!(t.problems[0].message.contains("'XX' is not an ISO 3166-1"));
    }

    #[test]
    fn whg_rules_are_errors_with_their_column() {
        let header =
            "id\ttitle\ttitle_source\tstart\tend\tccodes\tfclasses\taat_types\tmatches\tlat\tlon\n";
        let cases = [
            (
                "1\tA\tS\t1480\t1491\tZZ\tP\t300008375\tgn:1\t1\t1",
                "ccodes",
            ),
            (
                "1\tA\tS\t1480\t1491\tPL\tZ\t300008375\tgn:1\t1\t1",
                "fclasses",
            ),
            (
                "1\tA\tS\t1480\t1491\tPL\tP\t300001\tgn:1\t1\t1",
                "aat_types",
            ),
            (
                "1\tA\tS\t1480\t1491\tPL\tP\t300008375\tfoo:1\t1\t1",
                "matches",
            ),
            ("1\tA\tS\t1480\t1491\tPL\tP\t300008375\tgn:1\t94\t1", "lat"),
            ("1\tA\tS\t1499\t1491\tPL\tP\t300008375\tgn:1\t1\t1", "end"),
            ("1\tA\tS\t148\t1491\tPL\tP\t300008375\tgn:1\t1\t1", "start"),
            (
                "1\tA\t\t1480\t1491\tPL\tP\t300008375\tgn:1\t1\t1",
                "title_source",
            ),
        ];
        for (row, column) in cases {
            let t = read(&format!("{header}{row}\n"));
            assert!(t.rows.is_empty(), "{row}");
            assert!(
                t.problems.iter().any(|p| p.is_error()
                    && p.column.as_deref() == Some(column)
                    && p.line == Some(2)),
                "{row}: {:?}",
                t.problems
            );
        }
    }

    #[test]
    fn joined_header_cells_comments_blocks_and_notes() {
        let t = read(
            "# first\nid\ttitle\ttitle_source\tstart\tlat lon\n1\tA\tS\t1480\t54.5 19.5\n\
             # second\nid\ttitle\ttitle_source\tattestation_year\n2\tB\tS\t-44\n\t\t\t\n\tQUICK START\t\t\n",
        );
        let rows: Vec<Vec<String>> = t.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(rows.len(), 2, "{:?}", t.problems);
        assert_eq!(rows[0][7..9], ["54.5", "19.5"]);
        // An attestation year with no start and no end is an attestation, not a start.
        assert_eq!((rows[1][2].as_str(), rows[1][12].as_str()), ("", "-0044"));
        assert!(t.problems.iter().all(|p| !p.is_error()), "{:?}", t.problems);
        assert!(t.problems.iter().any(|p| p.message.contains("notes")));
        assert!(
            t.problems
                .iter()
                .any(|p| p.message.contains("parted by spaces"))
        );
    }

    #[test]
    fn an_unclosed_quote_refuses_the_file_instead_of_swallowing_rows() {
        let t = read(
            "id\ttitle\ttitle_source\tstart\tdescription\n1\tA\tS\t1480\t\"old fort\n2\tB\tS\t1500\tx\n",
        );
        assert!(t.rows.is_empty());
        assert_eq!(t.problems.len(), 1);
        assert_eq!(t.problems[0].line, Some(2));
        assert!(t.problems[0].message.contains("never closed"));
    }

    #[test]
    fn a_plain_year_ends_in_december_and_a_range_at_its_second_bound() {
        for (start, end) in [("1900-05", "1900"), ("1930", "1920/1940"), ("1900", "1900")] {
            let t = read(&format!(
                "id\ttitle\ttitle_source\tstart\tend\n1\tA\tS\t{start}\t{end}\n"
            ));
            assert!(t.problems.is_empty(), "{start} {end}: {:?}", t.problems);
        }
        let t = read("id\ttitle\ttitle_source\tstart\tend\n1\tA\tS\t1901\t1900\n");
        assert!(t.problems.iter().any(|p| p.message.contains("is after")));
    }

    #[test]
    fn a_row_that_does_not_line_up_is_refused() {
        let t = read("id\ttitle\ttitle_source\tstart\n1\tA\tS\t1480\textra\n");
        assert!(t.rows.is_empty());
        assert!(
            t.problems[0]
                .message
                .contains("5 cells but the header (line 1) has 4")
        );
    }

    /// #16: LP-TSV goes through the one csv reader of `source`: a CRLF file, with blank
    /// lines and a quoted value over two lines, reads as its LF twin, at the same lines.
    #[test]
    fn crlf_blank_lines_and_quoted_newlines_keep_their_lines() {
        let lf = "id\ttitle\ttitle_source\tstart\tdescription\n\n1\tA\tS\t1480\t\"two\nlines\"\n\n\n2\tB\tS\t1500\tx\n";
        let crlf = lf.replace('\n', "\r\n");
        let (a, b) = (read(lf), read(&crlf));
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        assert!(b.problems.is_empty(), "{:?}", b.problems);
        let lines = |t: &Table| t.rows.iter().map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines(&a), [3, 7]);
        assert_eq!(lines(&b), [3, 7]);
        assert_eq!(a.rows[1].fields[..2], ["2", "B"]);
        assert_eq!(b.rows[1].fields[..2], ["2", "B"]);
    }
}
