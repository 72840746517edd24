//! CSV output: the data schema, plus the answer's columns for `at`.

use crate::date::QueryDate;
use crate::error::io_error_of_csv;
use crate::model::{NameRecord, Place};
use crate::query::{AtAnswer, Found};
use crate::schema::COLUMNS;
use std::io::{self, Write};

/// A CSV writer; with `--csv-safe` every field is quoted.
fn writer(out: &mut dyn Write, safe: bool) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .quote_style(if safe {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(out)
}

/// With `--csv-safe`, a field a spreadsheet would run as a formula (one starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, unless it is a plain number such as a
/// longitude or a year) gets a leading `'`, which spreadsheets show as text.
pub fn defuse(field: &str, safe: bool) -> std::borrow::Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && field.parse::<f64>().is_err()
        && crate::date::Date::parse(field).is_err();
    if safe && risky {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

/// Writes one record, each field defused when `safe`.
fn write<I, S>(w: &mut csv::Writer<&mut dyn Write>, record: I, safe: bool) -> csv::Result<()>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    w.write_record(
        record
            .into_iter()
            .map(|f| defuse(f.as_ref(), safe).into_owned()),
    )
}

/// Columns `at` adds after the schema's.
/// `matched_period` is the period of the name that matched (EDTF: `1961-11-10/..`), and
/// `period_status` says whether the place held it at the date (`in_period`), whether that
/// is unknown because the name has no dates (`undated`), or held it only at other times
/// (`out_of_period`): see [`crate::query::period_status`].
pub const AT_COLUMNS: [&str; 7] = [
    "date",
    "certainty",
    "detail",
    "qualifiers",
    "matched",
    "matched_period",
    "period_status",
];

fn schema_row(place: &Place, n: &NameRecord) -> [String; COLUMNS.len()] {
    let opt = |o: &Option<crate::model::Sym>| o.map(|s| s.to_string()).unwrap_or_default();
    let date =
        |d: &Option<crate::date::Date>| d.as_ref().map(ToString::to_string).unwrap_or_default();
    // An attestation has its date in `attested` and neither start nor end.
    let (start, end) = if n.attested {
        (String::new(), String::new())
    } else if n.open_start && n.start.is_none() {
        ("..".to_string(), date(&n.end))
    } else {
        (date(&n.start), date(&n.end))
    };
    let (lat, lon) = place
        .coords
        .map_or((String::new(), String::new()), |(a, o)| {
            (a.to_string(), o.to_string())
        });
    [
        place.id.clone(),
        n.name.to_string(),
        start,
        end,
        n.lang.to_string(),
        opt(&place.kind),
        opt(&place.country),
        lat,
        lon,
        n.source.to_string(),
        n.note.to_string(),
        n.kind.as_str().to_string(),
        n.attestation().map(ToString::to_string).unwrap_or_default(),
        place.population.map(|p| p.to_string()).unwrap_or_default(),
        place.same_as.join("|"),
    ]
}

/// Columns `search` adds after the schema's.
pub const SEARCH_COLUMNS: [&str; 2] = ["current_name", "match"];

pub fn search(out: &mut dyn Write, hits: &[crate::query::SearchHit], safe: bool) -> io::Result<()> {
    let mut w = writer(out, safe);
    let mut go = || -> csv::Result<()> {
        write(&mut w, COLUMNS.iter().chain(SEARCH_COLUMNS.iter()), safe)?;
        for h in hits {
            let mut row = schema_row(h.place, h.record).to_vec();
            row.push(h.place.current_name().to_string());
            row.push(h.how.as_str().to_string());
            write(&mut w, &row, safe)?;
        }
        w.flush()?;
        Ok(())
    };
    go().map_err(crate::error::io_error_of_csv)
}

pub fn places<'p>(
    out: &mut dyn Write,
    places: impl Iterator<Item = &'p Place>,
    safe: bool,
) -> io::Result<()> {
    let mut w = writer(out, safe);
    let go = || -> csv::Result<()> {
        write(&mut w, COLUMNS, safe)?;
        for p in places {
            for n in &p.names {
                write(&mut w, schema_row(p, n), safe)?;
            }
        }
        w.flush()?;
        Ok(())
    };
    go().map_err(io_error_of_csv)
}

/// The matched names, joined by `|` as `resolve` joins its values (a `|` inside one escaped).
fn joined(names: &[&str]) -> String {
    let mut v = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            v.push('|');
        }
        super::resolve::push_value(&mut v, n);
    }
    v
}

pub fn lookup(out: &mut dyn Write, found: &[Found], safe: bool) -> io::Result<()> {
    let mut w = writer(out, safe);
    let mut go = || -> csv::Result<()> {
        write(&mut w, COLUMNS.iter().chain(["matched"].iter()), safe)?;
        for f in found {
            let matched = format!("{}:{}", f.how.as_str(), joined(&f.matched));
            for n in &f.place.names {
                let mut row = schema_row(f.place, n).to_vec();
                row.push(matched.clone());
                write(&mut w, &row, safe)?;
            }
        }
        w.flush()?;
        Ok(())
    };
    go().map_err(io_error_of_csv)
}

pub fn at(
    out: &mut dyn Write,
    answers: &[AtAnswer],
    date: &QueryDate,
    safe: bool,
) -> io::Result<()> {
    let mut w = writer(out, safe);
    let mut go = || -> csv::Result<()> {
        write(&mut w, COLUMNS.iter().chain(AT_COLUMNS.iter()), safe)?;
        for a in answers {
            let matched = format!("{}:{}", a.found.how.as_str(), joined(&a.found.matched));
            let period = a
                .matched
                .map(|m| m.period().to_string())
                .unwrap_or_default();
            let status = crate::query::period_status(a.held);
            if a.names.is_empty() {
                // A place with no name at the date still gets a row, so that nothing found is lost.
                let mut row: Vec<String> = vec![String::new(); COLUMNS.len()];
                row[0] = a.found.place.id.clone();
                row.extend([
                    date.written.to_string(),
                    "none".into(),
                    "no name recorded at this date".into(),
                    String::new(),
                    matched,
                    period,
                    status.to_string(),
                ]);
                write(&mut w, &row, safe)?;
                continue;
            }
            for n in &a.names {
                let mut row: Vec<String> = schema_row(a.found.place, n.record).into();
                row.extend([
                    date.written.to_string(),
                    n.certainty.as_str().to_string(),
                    n.detail.clone(),
                    super::json::qualifier_words(n.qualifiers).join("|"),
                    matched.clone(),
                    period.clone(),
                    status.to_string(),
                ]);
                write(&mut w, &row, safe)?;
            }
        }
        w.flush()?;
        Ok(())
    };
    go().map_err(io_error_of_csv)
}
