//! Terminal text: making untrusted text (place names, file names, values as given) safe
//! to show on a terminal.
//!
//! Owns what may reach a screen unescaped; errors, renderers and the command line all
//! pass text through here. It imports nothing from the crate.

/// Makes untrusted text safe to show on a terminal: control characters, the
/// bidirectional overrides that could reorder or rewrite the screen, line and paragraph
/// separators, and the invisible characters that could make two names look the same
/// (zero-width spaces and joiners, the soft hyphen, the byte-order mark, tag characters) are shown escaped.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
            || matches!(c, '\u{2028}' | '\u{2029}')
            || matches!(
                c,
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
            )
            || matches!(c, '\u{E0000}'..='\u{E007F}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_controls_and_bidi() {
        assert_eq!(sanitize("Volgograd"), "Volgograd");
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(sanitize("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(sanitize("Сталинград"), "Сталинград");
    }

    // #14
    #[test]
    fn sanitize_escapes_separators_and_invisible_characters() {
        for (c, shown) in [
            ('\u{2028}', "\\u{2028}"),
            ('\u{2029}', "\\u{2029}"),
            ('\u{200B}', "\\u{200b}"),
            ('\u{200C}', "\\u{200c}"),
            ('\u{200D}', "\\u{200d}"),
            ('\u{2060}', "\\u{2060}"),
            ('\u{FEFF}', "\\u{feff}"),
            // A soft hyphen is invisible where the line does not break there.
            ('\u{00AD}', "\\u{ad}"),
            ('\u{E0000}', "\\u{e0000}"),
            ('\u{E0041}', "\\u{e0041}"),
            ('\u{E007F}', "\\u{e007f}"),
        ] {
            assert_eq!(sanitize(&format!("a{c}b")), format!("a{shown}b"));
        }
        // Neighbours of those ranges are letters and marks that names use.
        assert_eq!(
            sanitize("a\u{200A}b\u{2061}c\u{E0100}"),
            "a\u{200A}b\u{2061}c\u{E0100}"
        );
        // Escaping twice changes nothing more: messages may pass through twice.
        let once = sanitize("x\u{1b}]0;t\u{7}\u{200B}").into_owned();
        assert_eq!(sanitize(&once), once);
    }
}
