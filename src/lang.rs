//! `--lang`: which names are shown, by their language (BCP 47 tags).
//!
//! Owns the parsing of the tags a user gives and the rule that matches them against a
//! name's `lang`. It chooses what is shown only: matching a typed name always uses every
//! name, whatever its language.

/// The languages asked for; empty: all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Langs {
    /// Lowercased tags, as given.
    tags: Vec<String>,
}

impl Langs {
    /// Reads the tags given to `--lang` (already split at commas).
    pub fn parse(given: &[String]) -> Result<Langs, String> {
        let mut tags = Vec::new();
        for tag in given {
            let t = tag.trim();
            if !is_tag(t) {
                return Err(format!(
                    "--lang '{}' is not a BCP 47 language tag: give codes such as de, ru or \
                     ru-Latn, separated by commas",
                    crate::text::sanitize(t)
                ));
            }
            let t = t.to_ascii_lowercase();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        Ok(Langs { tags })
    }

    /// Whether every name is shown (no `--lang`).
    pub fn all(&self) -> bool {
        self.tags.is_empty()
    }

    /// Whether a name in language `lang` is shown: a tag of one subtag (`de`) takes every
    /// tag with that primary subtag (`de`, `de-AT`); a longer one (`ru-Latn`) only itself.
    pub fn admits(&self, lang: &str) -> bool {
        if self.all() {
            return true;
        }
        let lang = lang.trim();
        let primary = lang.split('-').next().unwrap_or("");
        self.tags.iter().any(|t| {
            if t.contains('-') {
                lang.eq_ignore_ascii_case(t)
            } else {
                primary.eq_ignore_ascii_case(t)
            }
        })
    }

    /// The tags as given, for messages: `de, ru-latn`.
    pub fn listed(&self) -> String {
        self.tags.join(", ")
    }

    /// A copy of the place with only the names shown.
    pub fn place(&self, place: &crate::model::Place) -> crate::model::Place {
        let mut p = place.clone();
        p.names.retain(|n| self.admits(&n.lang));
        p
    }
}

/// BCP 47's shape: a primary subtag of 2 to 8 letters, then subtags of 1 to 8 letters
/// or digits, joined by '-'.
fn is_tag(t: &str) -> bool {
    let mut parts = t.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(tags: &[&str]) -> Langs {
        Langs::parse(&tags.iter().map(|t| t.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn a_primary_subtag_takes_its_regions_and_scripts() {
        let de = langs(&["de"]);
        assert!(de.admits("de"));
        assert!(de.admits("de-AT"));
        assert!(de.admits("DE"));
        assert!(!de.admits("en"));
        assert!(!de.admits("dea"));
        assert!(!de.admits(""));
    }

    #[test]
    fn a_longer_tag_takes_only_itself() {
        let l = langs(&["ru-Latn"]);
        assert!(l.admits("ru-latn"));
        assert!(!l.admits("ru"));
        assert!(!l.admits("ru-Cyrl"));
    }

    #[test]
    fn no_tag_takes_everything_and_bad_tags_are_refused() {
        assert!(langs(&[]).admits("xx"));
        for bad in ["", "d", "de_AT", "de-", "12", "de-toolongsubtag"] {
            assert!(Langs::parse(&[bad.to_string()]).is_err(), "{bad}");
        }
    }
}
