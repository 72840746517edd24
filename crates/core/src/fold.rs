//! Folding a name to the key names are compared on.
//!
//! Owns one pure function. It is shared, through `#[path]`, with `build.rs`, which
//! folds the built-in names at build time: so it may depend on nothing but `std` and
//! `unicode-normalization`, and the two must never disagree.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The key names are compared on: compatibility-decomposed, combining marks removed,
/// lowercased, a few letters that do not decompose spelled out, apostrophes dropped and
/// every run of other non-alphanumerics made one space.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return fold_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) || matches!(c, '\'' | '’' | 'ʼ' | '`' | '´' | 'ʹ') {
            continue;
        }
        if !c.is_alphanumeric() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'þ' | 'Þ' => out.push_str("th"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The same folding for ASCII text, which needs no decomposition: most names in most
/// data are ASCII, and this is what keeps indexing millions of them fast.
fn fold_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        if matches!(b, b'\'' | b'`') {
            continue;
        }
        if !b.is_ascii_alphanumeric() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(char::from(b.to_ascii_lowercase()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_diacritics_and_punctuation() {
        assert_eq!(fold("Eisenhüttenstadt"), "eisenhuttenstadt");
        assert_eq!(fold("  Ismoil-Somoni   Peak "), "ismoil somoni peak");
        assert_eq!(fold("STALINGRAD."), "stalingrad");
        assert_eq!(fold("Oraşul Stalin"), fold("Orașul Stalin"));
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Bilohirs'k"), "bilohirsk");
        assert_eq!(fold("Сталинград"), "сталинград");
    }

    /// The ASCII shortcut must agree with the general path on every ASCII string.
    #[test]
    fn ascii_shortcut_agrees_with_the_general_path() {
        fn general(s: &str) -> String {
            // A non-ASCII letter that folds to nothing forces the general path.
            let forced = format!("{s}\u{301}");
            fold(&forced)
        }
        let mut all: Vec<u8> = (0u8..128).collect();
        all.extend_from_slice(b" -- St. Petersburg's  (old) Name_1 ");
        let text = String::from_utf8(all).unwrap();
        for window in text.as_bytes().windows(7) {
            let s = std::str::from_utf8(window).unwrap();
            assert_eq!(fold_ascii(s), general(s), "{s:?}");
        }
    }
}
