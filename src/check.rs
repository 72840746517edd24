//! Lint: warnings about data that is valid but probably not what its author meant.
//!
//! Owns the rules `gazetteer check` adds on top of validation: overlapping names of one
//! place and language, gaps between consecutive names (not around an attestation),
//! duplicate rows, unknown types, rows without a source, a first name with no start.
//! [`lint`] is pure: takes a gazetteer, returns diagnostics. [`check`] reads the user's
//! files with the built-in data they are merged with, validates and lints them, and keeps
//! what concerns the user's files; `cmd::check` prints it.

use crate::error::{Diagnostic, Error};
use crate::model::{Gazetteer, NameKind, NameRecord};
use crate::source::Input;

pub use crate::schema::PLACE_TYPES;

/// What `check` found in the user's files: their problems, in file and line order, and
/// how many places and names they give.
#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub places: usize,
    pub names: usize,
}

/// Checks the given files; files of the user's are checked together with the built-in data
/// they will be merged with (when `builtin`), so that a row contradicting a built-in place
/// is reported, but only the user's files' problems are kept.
pub fn check(inputs: &[Input], builtin: bool) -> Result<Report, Error> {
    let theirs: std::collections::BTreeSet<String> =
        inputs.iter().map(Input::display_name).collect();
    let user_files = !inputs.iter().any(|i| matches!(i, Input::Builtin { .. }));
    let mut all = Vec::new();
    if user_files && builtin {
        // A file checked under the name of a built-in file is a new version of it.
        all.extend(
            crate::builtin::inputs()
                .into_iter()
                .filter(|i| !theirs.contains(&i.display_name())),
        );
    }
    all.extend(inputs.iter().cloned());
    let validated = crate::load::read_and_validate(&all)?;
    let mine = |file: &str| theirs.contains(file);
    let g = crate::model::Gazetteer {
        places: validated
            .gazetteer
            .places
            .iter()
            .filter(|p| p.names.iter().any(|n| mine(&n.origin.file)))
            .cloned()
            .collect(),
    };
    let mut diagnostics: Vec<_> = validated
        .diagnostics
        .iter()
        .filter(|d| mine(&d.file))
        .cloned()
        .collect();
    // A warning about two rows stands on the later one; keep it when either is the user's.
    let names_mine = |d: &crate::error::Diagnostic| {
        mine(&d.file) || theirs.iter().any(|f| d.message.contains(&format!("({f}:")))
    };
    diagnostics.extend(lint(&g).into_iter().filter(names_mine));
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.severity).cmp(&(&b.file, b.line, b.severity)));
    let names = g
        .places
        .iter()
        .flat_map(|p| &p.names)
        .filter(|n| mine(&n.origin.file))
        .count();
    Ok(Report {
        diagnostics,
        places: g.places.len(),
        names,
    })
}

fn warn(n: &NameRecord, column: Option<&str>, message: String) -> Diagnostic {
    let mut message = message;
    if !n.note.is_empty() {
        message = format!("{message} (note: {})", n.note);
    }
    Diagnostic::warning(&n.origin.file, Some(n.origin.line), column, message)
}

pub fn lint(g: &Gazetteer) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &g.places {
        if let Some(kind) = p.kind.as_deref().filter(|k| !PLACE_TYPES.contains(k))
            && let Some(first) = p.names.first()
        {
            {
                out.push(warn(
                    first,
                    Some("type"),
                    format!(
                        "'{kind}' is not one of the documented types ({})",
                        PLACE_TYPES.join(", ")
                    ),
                ));
            }
        }
        // A first name with an unknown start holds, as far as the data says, only for
        // some time before its end: `at` answers it as "possible" at best.
        for (i, n) in p.names.iter().enumerate() {
            let first_of_its_language = !p.names[..i]
                .iter()
                .any(|e| e.lang == n.lang && e.kind == n.kind);
            if n.kind == NameKind::Official
                && n.start.is_none()
                && !n.open_start
                && first_of_its_language
            {
                let answers = if n.end.is_none() {
                    "'undated'"
                } else {
                    "at most 'possible' before its end"
                };
                out.push(warn(
                    n,
                    Some("start"),
                    format!(
                        "is empty on '{}', the first name of place '{}'{}: an empty start is \
                         unknown, so the name answers {answers}; give its start (founding or \
                         first mention), or '..' if it held since the earliest times",
                        n.name,
                        p.id,
                        if n.lang.is_empty() {
                            String::new()
                        } else {
                            format!(" in '{}'", n.lang)
                        }
                    ),
                ));
            }
        }
        for n in &p.names {
            if n.source.is_empty() {
                out.push(warn(
                    n,
                    Some("source"),
                    "is empty: say where this name and its dates come from".into(),
                ));
            }
        }
        // Names are sorted chronologically; compare each with the later names of its
        // language and kind (an official name and an exonym may well hold together).
        for (i, a) in p.names.iter().enumerate() {
            let mut next_seen = false;
            for b in p.names[i + 1..]
                .iter()
                .filter(|b| b.lang == a.lang && b.kind == a.kind)
            {
                if a.name == b.name
                    && a.start == b.start
                    && a.end == b.end
                    && a.open_start == b.open_start
                    && a.attested == b.attested
                {
                    out.push(warn(
                        b,
                        None,
                        format!("duplicate of the row at {} for place '{}'", a.origin, p.id),
                    ));
                    continue;
                }
                if a.certain_span().overlaps(&b.certain_span()) {
                    out.push(warn(
                        b,
                        None,
                        format!(
                            "'{}' overlaps '{}' ({}) of place '{}' in language '{}' ({}): one place has one \
                             name of a kind per language at a time unless a note explains why",
                            b.name, a.name, a.origin, p.id, a.lang, a.kind.as_str()
                        ),
                    ));
                }
                if !next_seen {
                    next_seen = true;
                    // An attestation says the name was in use at one date, not when it
                    // began or ended: the time around it is no gap.
                    if a.attested || b.attested {
                        continue;
                    }
                    if let (Some(end), Some(start)) = (&a.end, &b.start)
                        && start.window().earliest > end.window().latest
                    {
                        {
                            out.push(warn(
                                b,
                                Some("start"),
                                format!(
                                    "gap: '{}' ends {end} ({}) but the next name, '{}', starts {start}; \
                                     consecutive names share the date",
                                    a.name, a.origin, b.name
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse;
    use crate::validate::validate;

    fn lint_of(csv: &str) -> Vec<String> {
        let v = validate(&[parse("t.csv", csv.as_bytes())]);
        assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);
        lint(&v.gazetteer).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn clean_chronology_has_no_warnings() {
        let w = lint_of(
            "place_id,name,start,end,lang,type,source\n\
                         v,A,1589,1925,en,city,s\nv,B,1925,1961,en,city,s\nv,C,1961,,en,city,s\nv,А,1589,1925,ru,city,s\n",
        );
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn no_gap_next_to_an_attestation_and_a_first_name_needs_a_start() {
        // #14: attestations date a use, not a beginning or an end.
        let w = lint_of(
            "place_id,name,start,end,attested,lang,source\n\
             b,A,..,0900,,en,s\nb,B,,,0967,en,s\nb,C,,,1184,en,s\nb,D,1300,,,en,s\n",
        );
        assert!(w.is_empty(), "{w:#?}");
        // #15: an unknown start of a place's first name is worth a warning; `..` is not.
        let w = lint_of(
            "place_id,name,start,end,lang,source\n\
             p,A,,1900,en,s\np,B,1900,,en,s\np,C,,,ru,s\nq,D,..,1900,en,s\n",
        );
        assert_eq!(w.len(), 2, "{w:#?}");
        assert!(w[0].starts_with("t.csv:2: warning: column 'start': is empty on 'A'"));
        assert!(w[0].contains("at most 'possible' before its end"));
        assert!(w[1].starts_with("t.csv:4: warning: column 'start': is empty on 'C'"));
        assert!(w[1].contains("answers 'undated'"));
    }

    #[test]
    fn overlap_gap_duplicate_type_and_source() {
        let w = lint_of(
            "place_id,name,start,end,lang,type,source,note\n\
                         v,A,1589,1930,en,castle,s,\n\
                         v,B,1925,1961,en,,s,\n\
                         v,C,1965,,en,,,renamed later\n\
                         v,C,1965,,en,,,renamed later\n",
        );
        assert_eq!(w.len(), 6, "{w:#?}");
        assert!(w[0].contains("'castle' is not one of the documented types"));
        assert!(
            w.iter()
                .any(|m| m.contains("t.csv:3: warning: 'B' overlaps 'A' (t.csv:2)"))
        );
        assert!(
            w.iter()
                .any(|m| m.contains("gap: 'B' ends 1961") && m.contains("(note: renamed later)"))
        );
        assert!(
            w.iter()
                .any(|m| m.contains("duplicate of the row at t.csv:4"))
        );
    }
}
