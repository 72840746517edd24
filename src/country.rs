//! Country names: what a cell of `resolve --country-column` says, as an ISO 3166-1
//! alpha-2 code.
//!
//! Owns the table of country names (`data/world/countries.csv`, generated from pinned
//! packages by `data/world/build-countries`, embedded here) and reading a cell with it: a
//! code of two letters or three (any case), or a name in English, in the country's own
//! languages or in a few widely used ones, folded as place names are (`crate::fold`). It
//! does no I/O and knows nothing of rows: the caller says which other codes the data uses.

use crate::fold::fold;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The names, as `code,lang,name` rows with a header.
const NAMES: &str = include_str!("../data/world/countries.csv");

/// Each folded name (and folded alpha-3 code) with its alpha-2 code, and the codes, read
/// once.
struct Table {
    by_key: HashMap<String, &'static str>,
    codes: std::collections::HashSet<&'static str>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_key = HashMap::new();
        let mut codes = std::collections::HashSet::new();
        for (code, _, name) in rows() {
            by_key.entry(fold(name)).or_insert(code);
            codes.insert(code);
        }
        Table { by_key, codes }
    })
}

/// The rows of the table: (code, lang, name). The file is generated with no quoted field
/// but names that hold a comma ("Iran, Islamic Republic of"), quoted as CSV quotes them.
fn rows() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    NAMES.lines().skip(1).filter_map(|line| {
        let (code, rest) = line.split_once(',')?;
        let (lang, name) = rest.split_once(',')?;
        let name = match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
            // (No generated name holds a quote: "" would need unescaping.)
            Some(inner) => inner,
            None => name,
        };
        Some((code, lang, name))
    })
}

/// Why a cell names no country, for the problem column: the value and what is accepted.
/// (No close name is suggested: the closest to "Prussia" is "Russia", the wrong advice.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown(pub String);

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The alpha-2 code a cell names: `Ok(None)` for an empty cell (no narrowing), an error
/// when it names no country. A two-letter cell is a code: ISO 3166-1's, or one the data
/// uses (`data_has`, as `--country` takes such a code); `XK` (Kosovo) is in the table.
pub fn code_of(cell: &str, data_has: &dyn Fn(&str) -> bool) -> Result<Option<String>, Unknown> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    let t = table();
    if cell.len() == 2 && cell.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = cell.to_ascii_uppercase();
        if crate::model::is_iso_country(&code) || t.codes.contains(code.as_str()) || data_has(&code)
        {
            return Ok(Some(code));
        }
    }
    if let Some(code) = t.by_key.get(&fold(cell)) {
        return Ok(Some((*code).to_string()));
    }
    Err(Unknown(format!(
        "'{}' is not a country of today: give an ISO 3166-1 code (DE, DEU) or a \
         country's name in English or in its own language (Germany, Deutschland), or leave \
         the cell empty",
        crate::text::sanitize(cell)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(cell: &str) -> Result<Option<String>, Unknown> {
        code_of(cell, &|c| c == "SU")
    }

    fn is(cell: &str, want: &str) {
        assert_eq!(code(cell), Ok(Some(want.to_string())), "{cell}");
    }

    #[test]
    fn codes_names_and_native_names_give_the_code() {
        is("DE", "DE");
        is("de", "DE");
        is(" deu ", "DE");
        is("Germany", "DE");
        is("GERMANY", "DE");
        is("Deutschland", "DE");
        is("Allemagne", "DE");
        is("Polska", "PL");
        is("Россия", "RU");
        is("Russia", "RU");
        is("Russian Federation", "RU");
        is("Österreich", "AT");
        is("Cote d'Ivoire", "CI");
        is("Iran, Islamic Republic of", "IR");
        is("United States of America", "US");
        is("USA", "US");
        is("xk", "XK");
        is("Kosovo", "XK");
        // A code only the data uses, as --country takes it.
        is("su", "SU");
    }

    #[test]
    fn an_empty_cell_narrows_nothing() {
        assert_eq!(code(""), Ok(None));
        assert_eq!(code("   "), Ok(None));
    }

    #[test]
    fn a_cell_that_names_no_country_says_so() {
        let e = code("Prussia").unwrap_err().0;
        assert!(e.starts_with("'Prussia' is not a country of today"), "{e}");
        assert!(e.contains("(DE, DEU)"), "{e}");
        let e = code("ZZ").unwrap_err().0;
        assert!(e.starts_with("'ZZ' is not a country"), "{e}");
        assert!(code("Atlantis of the deep").is_err());
    }

    #[test]
    fn every_iso_code_has_an_english_name_and_no_name_is_two_countries() {
        let mut english: HashMap<&str, usize> = HashMap::new();
        let mut keys: HashMap<String, &str> = HashMap::new();
        for (code, lang, name) in rows() {
            assert!(
                !name.is_empty() && !name.contains('"'),
                "{code} {lang} {name}"
            );
            if lang == "en" {
                *english.entry(code).or_default() += 1;
            }
            if let Some(other) = keys.insert(fold(name), code) {
                assert_eq!(other, code, "{name} ({lang}) names {other} and {code}");
            }
        }
        let iso = "AD AE AF RU DE ZW SS BQ";
        for c in iso.split(' ') {
            assert!(english.contains_key(c), "{c}");
        }
        // Every code ISO 3166-1 assigns, and Kosovo's.
        assert_eq!(english.len(), 250);
        assert!(
            english
                .keys()
                .all(|c| crate::model::is_iso_country(c) || *c == "XK")
        );
    }
}
