//! Why an answer is empty, in words: what `--type` and `--country` hid, a value of theirs
//! that no place has (a usage error, with a suggestion), and close spellings of a name
//! that matched nothing.
//!
//! Pure: takes the gazetteer, its matcher and the filter, and returns the line the
//! command prints on stderr; it writes nothing itself.

use crate::error::Error;
use crate::model::Gazetteer;
use crate::query::Filter;

/// Why nothing in `all` matched `name`, in words, with close spellings if any; a
/// `--type` or `--country` that no place has is a usage error instead.
pub(crate) fn not_found(
    filter: &Filter,
    name: &str,
    (all, m): crate::load::Found,
) -> Result<String, Error> {
    let shown = crate::text::sanitize(name);
    let found = if filter.narrows() {
        crate::query::lookup(&all, &m, name, &filter.without_narrowing())
    } else {
        Vec::new()
    };
    let why = Narrowing::of(
        filter,
        &all,
        (!found.is_empty()).then(|| crate::query::Hidden::of(found.iter().map(|f| f.place))),
    );
    let line = match &why.hid {
        Some(hid) => format!("places named '{shown}' exist, but {hid}"),
        None => {
            let admit = |p: usize| filter.admits(&all.places[p]);
            let suggestions = m.suggest(&all, name, 3, &admit);
            if suggestions.is_empty() && why.unknown.is_empty() {
                // Nothing close either: say where to look next.
                format!(
                    "no place named '{shown}', nor one spelled like it: `gazetteer search \
                     TEXT` lists the names that contain a part of it, and `--data FILE` adds \
                     places of your own (README \"Data files\")"
                )
            } else if suggestions.is_empty() {
                format!("no place named '{shown}'")
            } else {
                let list: Vec<String> = suggestions
                    .iter()
                    .map(|s| crate::text::sanitize(s).into_owned())
                    .collect();
                format!(
                    "no place named '{shown}'; did you mean: {}?",
                    list.join(", ")
                )
            }
        }
    };
    why.finish(line)
}

/// Why no name contains `text`, in words; a `--type` or `--country` that no place has is a
/// usage error instead.
pub(crate) fn no_name_contains(
    filter: &Filter,
    text: &str,
    (g, matcher): (&Gazetteer, &crate::matching::Matcher),
) -> Result<String, Error> {
    let shown = crate::text::sanitize(text);
    let unfiltered = if filter.narrows() {
        crate::query::search(g, matcher, text, &filter.without_narrowing())
    } else {
        Vec::new()
    };
    let why = Narrowing::of(
        filter,
        g,
        (!unfiltered.is_empty())
            .then(|| crate::query::Hidden::of(unfiltered.iter().map(|h| h.place))),
    );
    let line = match &why.hid {
        Some(hid) => format!("names containing '{shown}' exist, but {hid}"),
        None if filter.fuzzy => format!("no name contains '{shown}'"),
        None => format!("no name contains '{shown}' (--fuzzy finds near spellings too)"),
    };
    why.finish(line)
}

/// What `--type` and `--country` have to do with an empty answer, in words.
#[derive(Debug, Default)]
pub(crate) struct Narrowing {
    /// When they hid what was found: "none of type 'x' (they are: city)".
    pub hid: Option<String>,
    /// Each of their values that the data does not know, with a suggestion: such a value
    /// is a usage error (exit code 2), not an empty answer.
    pub unknown: Vec<String>,
}

impl Narrowing {
    /// `line`, followed by each unknown value: an error when there is one.
    fn finish(&self, mut line: String) -> Result<String, Error> {
        for u in &self.unknown {
            line.push_str("; ");
            line.push_str(u);
        }
        if self.unknown.is_empty() {
            Ok(line)
        } else {
            Err(Error::Usage(line))
        }
    }

    /// `hidden`: the types and countries of what was found without the filter, if anything.
    pub(crate) fn of(
        filter: &Filter,
        g: &Gazetteer,
        hidden: Option<crate::query::Hidden>,
    ) -> Narrowing {
        if !filter.narrows() {
            return Narrowing::default();
        }
        Narrowing::with(filter, &crate::query::Known::of(g), hidden)
    }

    /// [`Narrowing::of`] with the data's types and countries already known.
    pub(crate) fn with(
        filter: &Filter,
        known: &crate::query::Known,
        hidden: Option<crate::query::Hidden>,
    ) -> Narrowing {
        let quote = |s: &str| format!("'{}'", crate::text::sanitize(s));
        let mut why = Narrowing::default();
        if let Some(h) = hidden {
            let mut none = Vec::new();
            let mut they = Vec::new();
            if let Some(k) = &filter.kind {
                none.push(format!("of type {}", quote(k)));
                they.push(format!("they are: {}", listed(&h.kinds, "no type")));
            }
            if let Some(c) = &filter.country {
                none.push(format!("in country {}", quote(c)));
                let prefix = if they.is_empty() { "they are in" } else { "in" };
                they.push(format!("{prefix}: {}", listed(&h.countries, "no country")));
            }
            why.hid = Some(format!("none {} ({})", none.join(" "), they.join("; ")));
        }
        if let Some(k) = &filter.kind
            && !known.has_kind(k)
        {
            why.unknown.push(
                match crate::matching::closest(k, known.kinds.iter().copied()) {
                    Some(near) => format!(
                        "{} is not a known type: did you mean {}?",
                        quote(k),
                        quote(near)
                    ),
                    None => format!(
                        "{} is not a known type: no place has it (types: {})",
                        quote(k),
                        listed(&known.kinds.iter().map(|k| Some(*k)).collect(), "")
                    ),
                },
            );
        }
        if let Some(c) = &filter.country
            && !known.has_country(c)
        {
            why.unknown.push(format!(
                "{} is not a known country: it is not an ISO 3166-1 alpha-2 code, and no place \
                 has it (give a code such as RU or DE)",
                quote(c)
            ));
        }
        why
    }
}

/// Up to twenty values, in order, then how many more; `None` in words.
fn listed(values: &std::collections::BTreeSet<Option<&str>>, none: &str) -> String {
    const SHOWN: usize = 20;
    let mut words: Vec<String> = values
        .iter()
        .flatten()
        .take(SHOWN)
        .map(|v| crate::text::sanitize(v).into_owned())
        .collect();
    let named = values.iter().flatten().count();
    if named > SHOWN {
        words.push(format!("and {} more", named - SHOWN));
    }
    if values.contains(&None) {
        words.push(none.to_string());
    }
    words.join(", ")
}
