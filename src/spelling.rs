//! The keys of the weaker matching tiers: a name transliterated to Latin letters, and a
//! looser key that also forgives the spelling conventions of other languages.
//!
//! Owns pure functions only; `matching` decides when each key is consulted.

use crate::fold::fold;

/// The transliterated key: any script to Latin letters (`any_ascii`), then folded.
/// `Сталинград` and `Stalingrad` share it; so do `Қарағанды` and `Qaraghandy`.
pub fn translit_key(s: &str) -> String {
    if s.is_ascii() {
        return fold(s);
    }
    // Transliterate before lowercasing: lowercasing 'İ' first leaves a combining dot.
    fold(&any_ascii::any_ascii(s))
}

/// Words that only say what kind of place a name is: "Ismoil Somoni" is the peak.
const GENERIC: [&str; 14] = [
    "peak", "pik", "pic", "pico", "qullai", "mount", "mt", "gora", "city", "town", "ville",
    "gorod", "oblast", "province",
];

/// Ways of writing "Saint" that name the same saint.
const SAINT: [&str; 8] = [
    "st", "saint", "sankt", "san", "sv", "sveti", "svyatoy", "santa",
];

/// The variant key of a transliterated key: the spelling conventions of German, French
/// and English romanizations of Russian and Ukrainian are made one, so that
/// `Ordschonikidse`, `Ordjonikidze` and `Ordzhonikidze` meet, as do `Koenigsberg` and
/// `Königsberg`, `Zarizyn` and `Tsaritsyn`, `Saint-Pétersbourg` and `St Petersburg`.
/// A deliberately lossy key: it is consulted only when stronger tiers found nothing.
pub fn variant_key(key: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in key.split(' ').filter(|w| !w.is_empty()) {
        if GENERIC.contains(&word) {
            continue;
        }
        if SAINT.contains(&word) {
            words.push("st".to_string());
            continue;
        }
        words.push(variant_word(word));
    }
    if words.is_empty() {
        // A name of generic words only ("Peak"): keep it rather than match everything.
        return key.to_string();
    }
    words.join(" ")
}

/// Spellings that one convention writes and another does not, each mapped to one
/// form; at each position the longest that fits is taken. German and French spellings
/// of Russian sounds, German umlauts written out, French "ou", iotated vowels.
const REWRITES: [(&[u8], &[u8]); 22] = [
    (b"tsch", b"h"),
    (b"dsch", b"j"),
    (b"sch", b"sh"),
    (b"dzh", b"j"),
    (b"dj", b"j"),
    (b"zh", b"j"),
    (b"kh", b"h"),
    (b"ch", b"h"),
    (b"tz", b"z"),
    (b"ts", b"z"),
    (b"sh", b"sh"),
    (b"ue", b"u"),
    (b"oe", b"o"),
    (b"ae", b"a"),
    (b"ou", b"u"),
    (b"ya", b"ja"),
    (b"yu", b"ju"),
    (b"yo", b"jo"),
    (b"ye", b"je"),
    (b"ph", b"f"),
    (b"w", b"v"),
    (b"y", b"i"),
];

/// One word's variant key: rewritten until nothing changes, so that the key of a key is
/// itself ("tskhinvali" -> "zhinvali" -> "jinvali").
fn variant_word(word: &str) -> String {
    let mut w = variant_step(word.as_bytes());
    for _ in 0..8 {
        let next = variant_step(&w);
        if next == w {
            break;
        }
        w = next;
    }
    // The rewrites map ASCII to ASCII and keep other bytes whole.
    String::from_utf8(w).unwrap_or_else(|_| word.to_string())
}

/// One left-to-right pass: the rewrites, then s for z (German s is Russian z), then
/// doubled letters once.
fn variant_step(word: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(word.len());
    let mut i = 0;
    while i < word.len() {
        let rest = &word[i..];
        // Every rewrite starts with one of these letters: skip the search for the others.
        let found = if matches!(
            rest[0],
            b't' | b'd' | b's' | b'z' | b'k' | b'c' | b'u' | b'o' | b'a' | b'y' | b'p' | b'w'
        ) {
            REWRITES.iter().find(|(from, _)| rest.starts_with(from))
        } else {
            None
        };
        let (used, to): (usize, &[u8]) =
            found.map_or((1, &rest[..1]), |(from, to)| (from.len(), to));
        for (k, &b) in to.iter().enumerate() {
            let b = if b == b's' && to.get(k + 1) != Some(&b'h') {
                b'z'
            } else {
                b
            };
            if b.is_ascii_alphabetic() && out.last() == Some(&b) {
                continue;
            }
            out.push(b);
        }
        i += used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_letters_of_rewrites_are_all_listed() {
        for (from, _) in REWRITES {
            assert!(b"tdszkcuoaypw".contains(&from[0]), "{}", from[0] as char);
        }
    }

    fn same(a: &str, b: &str) -> bool {
        variant_key(&translit_key(a)) == variant_key(&translit_key(b))
    }

    #[test]
    fn transliteration_reaches_latin_from_other_scripts() {
        assert_eq!(translit_key("Сталинград"), "stalingrad");
        assert_eq!(translit_key("Волгоград"), "volgograd");
        assert_eq!(translit_key("Eisenhüttenstadt"), "eisenhuttenstadt");
        assert_eq!(
            translit_key("Қуллаи Исмоили Сомонӣ"),
            "qullai ismoili somoni"
        );
        assert_eq!(translit_key("Санкт-Петербург"), "sankt peterburg");
        assert_eq!(translit_key("Łódź"), "lodz");
        assert_eq!(translit_key("İzmir"), "izmir");
    }

    #[test]
    fn german_umlauts_written_out() {
        assert!(same("Eisenhuettenstadt", "Eisenhüttenstadt"));
        assert!(same("Koenigsberg", "Königsberg"));
    }

    #[test]
    fn saints_in_every_language() {
        assert!(same("St. Petersburg", "Saint Petersburg"));
        assert!(same("Saint-Pétersbourg", "Saint Petersburg"));
        assert!(same("Sankt Petersburg", "St Petersburg"));
        assert!(same("Sv. Nikola", "Sveti Nikola"));
    }

    #[test]
    fn romanizations_of_russian() {
        assert!(same("Ordjonikidze", "Ordzhonikidze"));
        assert!(same("Ordschonikidse", "Ordzhonikidze"));
        assert!(same("Zarizyn", "Tsaritsyn"));
        assert!(same("Tsaritsin", "Tsaritsyn"));
        assert!(same("Charkow", "Kharkov"));
        assert!(same("Tscheljabinsk", "Chelyabinsk"));
        assert!(same("Jaroslawl", "Yaroslavl"));
    }

    #[test]
    fn generic_words_are_left_out() {
        assert!(same("Ismoil Somoni", "Ismoil Somoni Peak"));
        assert!(same("Pik Kommunizma", "Kommunizma"));
        assert_eq!(variant_key("peak"), "peak");
    }

    #[test]
    fn different_names_stay_different() {
        assert!(!same("Volgograd", "Stalingrad"));
        assert!(!same("Kirov", "Kirovsk"));
        assert!(!same("Riga", "Rize"));
    }
}
