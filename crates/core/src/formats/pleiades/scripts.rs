//! Scripts of names and the language tags of their romanizations.

/// Whether every letter of a text is a Latin letter (marks and other symbols do not count).
pub(super) fn is_latin(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).all(|c| {
        matches!(u32::from(c),
            0..=0x036F // ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers, marks
            | 0x1D00..=0x1DFF // phonetic extensions, combining marks supplement
            | 0x1E00..=0x1EFF // Latin Extended Additional (ṣ, ḥ)
            | 0x2070..=0x209F // superscripts and subscripts
            | 0x2C60..=0x2C7F // Latin Extended-C
            | 0xA720..=0xA7FF // Latin Extended-D
            | 0xAB30..=0xAB6F // Latin Extended-E
            | 0xFB00..=0xFB06 // ligatures (ﬁ)
            | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A // fullwidth Latin
        )
    })
}

/// The language tag of a romanization: the tag with its script subtag set to `Latn`.
pub(super) fn latin_tag(tag: &str) -> String {
    if tag.is_empty() {
        return String::new();
    }
    let mut parts: Vec<&str> = tag.split('-').collect();
    let is_script = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic());
    match parts.get(1) {
        Some(p) if is_script(p) => parts[1] = "Latn",
        _ => parts.insert(1, "Latn"),
    }
    parts.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_romanization_tags() {
        assert!(is_latin("Qasr al-Ṣagha"));
        assert!(is_latin("Pretoriv̄ Agrippine"));
        assert!(is_latin("Staryĭ Sad"));
        assert!(is_latin("I.6.15"));
        assert!(!is_latin("Ἁμάριον"));
        assert!(!is_latin("قصر الصاغة"));
        assert!(!is_latin("Цaрев"));
        assert_eq!(latin_tag("grc"), "grc-Latn");
        assert_eq!(latin_tag("egy-Egyd"), "egy-Latn");
        assert_eq!(latin_tag("sr-RS"), "sr-Latn-RS");
        assert_eq!(latin_tag(""), "");
    }
}
