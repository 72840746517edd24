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

/// Whether a word only says what kind of place a name is: "Ismoil Somoni" is the peak.
/// A match, which the compiler turns into a few length and byte comparisons (looking a
/// word up in lists of these words and of the saints was a third of a variant key's time).
fn is_generic(word: &str) -> bool {
    matches!(
        word,
        "peak"
            | "pik"
            | "pic"
            | "pico"
            | "qullai"
            | "mount"
            | "mt"
            | "gora"
            | "city"
            | "town"
            | "ville"
            | "gorod"
            | "oblast"
            | "province"
    )
}

/// Whether a word is a way of writing "Saint" that names the same saint.
fn is_saint(word: &str) -> bool {
    matches!(
        word,
        "st" | "saint" | "sankt" | "san" | "sv" | "sveti" | "svyatoy" | "santa"
    )
}

/// The variant key of a transliterated key: the spelling conventions of German, French
/// and English romanizations of Russian and Ukrainian are made one, so that
/// `Ordschonikidse`, `Ordjonikidze` and `Ordzhonikidze` meet, as do `Koenigsberg` and
/// `Königsberg`, `Zarizyn` and `Tsaritsyn`, `Saint-Pétersbourg` and `St Petersburg`; so
/// are the q and x of Uzbek and Tajik Latin (`Samarqand` and `Samarkand`). The words are
/// joined, so that a hyphenated name typed as one word (`Nursultan`, `Ivanofrankivsk`)
/// meets it. A deliberately lossy key: it is consulted only when stronger tiers found
/// nothing. [`loose_key`] loses more.
pub fn variant_key(key: &str) -> String {
    // One word (most names): no list of words. As below: a generic word is kept as it is,
    // a saint is "st" rewritten, and a word still changing after its own rewriting is
    // rewritten again.
    if !key.contains(' ') {
        if key.is_empty() || is_generic(key) {
            return key.to_string();
        }
        if is_saint(key) {
            return variant_word("st").0;
        }
        return match variant_word(key) {
            (w, true) => w,
            (w, false) => variant_word(&w).0,
        };
    }
    let mut words: Vec<String> = Vec::new();
    let mut settled = true;
    for word in key.split(' ').filter(|w| !w.is_empty()) {
        if is_generic(word) {
            continue;
        }
        if is_saint(word) {
            words.push("st".to_string());
            // Not rewritten yet (its s becomes z below).
            settled = false;
            continue;
        }
        let (w, fixed) = variant_word(word);
        settled &= fixed;
        words.push(w);
    }
    if words.is_empty() {
        // A name of generic words only ("Peak"): keep it rather than match everything.
        return key.to_string();
    }
    // One word that no rewrite changes any more is its own key: rewriting it again, as
    // below, would give it back (most names; the passes were an eighth of a cold resolve).
    if words.len() == 1 && settled {
        return words.pop().unwrap_or_default();
    }
    // Rewritten once more as one word: a rewrite or a doubled letter across the join
    // (`Nur-Rashid`, `Nurrashid`) comes out as it does in the word typed without a break.
    variant_word(&words.concat()).0
}

/// Spellings that one convention writes and another does not, each mapped to one
/// form; at each position the longest that fits is taken. German and French spellings
/// of Russian sounds, German umlauts written out, French "ou", iotated vowels; the q and
/// x of Uzbek and Tajik Latin (`Samarqand`, `Buxoro`: k and kh in Russian spelling), and
/// m before b, as Russian writes an n said so (`Dyushambe` for `Dushanbe`).
const REWRITES: [Rewrite; 25] = [
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
    (b"mb", b"nb"),
    (b"w", b"v"),
    (b"y", b"i"),
    (b"q", b"k"),
    (b"x", b"h"),
];

/// A rewrite: the spelling, and what it becomes.
type Rewrite = (&'static [u8], &'static [u8]);

/// The loose key of a variant key: its vowels made one, for spellings of Central Asian
/// names from different traditions. Russian spelling writes `a` where Uzbek and Tajik
/// write `o` (`Tashkent`, `Toshkent`; `Bukhara`, `Buxoro`; `Leninabad`, `Leninobod`),
/// Persian spelling `o` where Tajik writes `u` (`Khojand`, `Khujand`), and the unstressed
/// `e` of one is the `i` of another. So a, o and u become a, e becomes i, and a letter
/// doubled by that is written once.
///
/// Lossier still than the variant key (`Kristiansand` and `Kristiansund` share it): the
/// matcher files names under it, but answers with what it alone finds only when no name
/// has the query's variant key itself.
pub fn loose_key(variant: &str) -> String {
    // Byte by byte: only ASCII letters are changed or left out, so the bytes of other
    // characters stay whole and in order.
    let mut out = Vec::with_capacity(variant.len());
    for &b in variant.as_bytes() {
        let b = match b {
            b'o' | b'u' => b'a',
            b'e' => b'i',
            b => b,
        };
        if b.is_ascii_alphabetic() && out.last() == Some(&b) {
            continue;
        }
        out.push(b);
    }
    String::from_utf8(out).unwrap_or_default()
}

/// One word's variant key: rewritten until nothing changes, so that the key of a key is
/// itself ("tskhinvali" -> "zhinvali" -> "jinvali"); and whether it got there (a word
/// still changing after nine passes is left as it is then).
fn variant_word(word: &str) -> (String, bool) {
    let mut w = Vec::with_capacity(word.len());
    variant_step(word.as_bytes(), &mut w);
    // A word the first pass leaves as it is would come back the same again (most names).
    if w == word.as_bytes() {
        return (word.to_string(), true);
    }
    let mut next = Vec::with_capacity(w.len());
    let mut fixed = false;
    for _ in 0..8 {
        variant_step(&w, &mut next);
        if next == w {
            fixed = true;
            break;
        }
        std::mem::swap(&mut w, &mut next);
    }
    // The rewrites map ASCII to ASCII and keep other bytes whole.
    match String::from_utf8(w) {
        Ok(w) => (w, fixed),
        Err(_) => (word.to_string(), false),
    }
}

/// For each pair of ASCII bytes, the rewrite that applies where they start: 0 none, 255
/// one of three or four bytes may (searched for in [`REWRITES`]), else the rewrite's index
/// in [`REWRITES`] plus one. A second byte of 0 stands for none a rewrite reads (the
/// word's last byte, or a byte past ASCII). Made at compile time from [`REWRITES`].
static PAIRS: [[u8; 128]; 128] = pairs();

const fn pairs() -> [[u8; 128]; 128] {
    let mut table = [[0u8; 128]; 128];
    let mut b0 = 0;
    while b0 < 128 {
        let mut b1 = 0;
        while b1 < 128 {
            // The first rewrite, in order, that these two bytes start or may start.
            let mut k = 0;
            while k < REWRITES.len() {
                let from = REWRITES[k].0;
                if from[0] == b0 as u8 {
                    if from.len() == 1 {
                        table[b0][b1] = k as u8 + 1;
                        break;
                    }
                    if from[1] == b1 as u8 {
                        table[b0][b1] = if from.len() == 2 { k as u8 + 1 } else { 255 };
                        break;
                    }
                }
                k += 1;
            }
            b1 += 1;
        }
        b0 += 1;
    }
    table
}

/// The rewrite that applies at the start of `rest`, if any: how many bytes it reads and
/// what it writes, the first of [`REWRITES`] that fits. One look-up in [`PAIRS`] settles
/// nearly every position: searching the table at each byte, then a `match` on its
/// spellings (an indirect jump the processor could not predict), were most of the time a
/// variant key took.
fn rewrite_at(rest: &[u8]) -> Option<(usize, &'static [u8])> {
    let b0 = *rest.first()?;
    if b0 >= 128 {
        return None;
    }
    let b1 = rest.get(1).copied().filter(|&b| b < 128).unwrap_or(0);
    match PAIRS[usize::from(b0)][usize::from(b1)] {
        0 => None,
        255 => REWRITES
            .iter()
            .find(|(from, _)| rest.starts_with(from))
            .map(|&(from, to)| (from.len(), to)),
        k => {
            let (from, to) = REWRITES[usize::from(k) - 1];
            Some((from.len(), to))
        }
    }
}

/// One left-to-right pass into `out` (emptied first): the rewrites, then s for z (German s
/// is Russian z), then doubled letters once.
fn variant_step(word: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(word.len() + 1);
    let mut i = 0;
    while i < word.len() {
        let rest = &word[i..];
        let Some((used, to)) = rewrite_at(rest) else {
            // Most bytes: kept (an s written z), unless they double the letter before.
            let b = if rest[0] == b's' { b'z' } else { rest[0] };
            if !(b.is_ascii_alphabetic() && out.last() == Some(&b)) {
                out.push(b);
            }
            i += 1;
            continue;
        };
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rewrite at each position is the first of [`REWRITES`] that fits there.
    #[test]
    fn the_rewrites_are_the_table_in_order() {
        let alphabet = b"tsdchzjkueoaymbpwqxnrl\xc3\xa9 ";
        // Every string of up to four of these bytes, and the curated names.
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = words
                .iter()
                .filter(|w| w.len() == words.last().map_or(0, |l| l.len()))
                .flat_map(|w| {
                    alphabet.iter().map(move |&b| {
                        let mut w = w.clone();
                        w.push(b);
                        w
                    })
                })
                .collect();
            words.extend(longer);
        }
        let g = crate::testdata::curated();
        words.extend(g.places.iter().flat_map(|p| {
            p.names
                .iter()
                .map(|n| crate::fold::fold(&n.name).into_bytes())
        }));
        for w in &words {
            for i in 0..w.len() {
                let rest = &w[i..];
                let table = REWRITES
                    .iter()
                    .find(|(from, _)| rest.starts_with(from))
                    .map(|&(from, to)| (from.len(), to));
                assert_eq!(
                    rewrite_at(rest),
                    table,
                    "{:?}",
                    String::from_utf8_lossy(rest)
                );
            }
        }
    }

    proptest::proptest! {
        /// The loose key read byte by byte is the key read character by character.
        #[test]
        fn loose_key_by_bytes_is_by_characters(s in "[a-z oue\\u{e9}\\u{43a}\\u{5d0}]{0,20}") {
            let mut by_chars = String::new();
            for c in s.chars() {
                let c = match c {
                    'o' | 'u' => 'a',
                    'e' => 'i',
                    c => c,
                };
                if !(c.is_ascii_alphabetic() && by_chars.ends_with(c)) {
                    by_chars.push(c);
                }
            }
            proptest::prop_assert_eq!(loose_key(&s), by_chars);
        }
    }

    /// The short cut for one settled word gives what rewriting the joined words again
    /// gives, on every name of the curated data and on a few made to test it.
    #[test]
    fn one_settled_word_is_its_own_key() {
        let g = crate::testdata::curated();
        let names = g
            .places
            .iter()
            .flat_map(|p| p.names.iter().map(|n| &*n.name));
        let made = [
            "st",
            "sankt",
            "saint peter",
            "tskhinvali",
            "nur sultan",
            "peak",
            "xx",
        ];
        for name in names.chain(made) {
            let key = translit_key(name);
            assert_eq!(variant_key(&key), variant_key_slow(&key), "{name}");
        }
    }

    /// The variant key by its definition: each word rewritten (generic words left out,
    /// saints made "st"), then the words joined and rewritten again.
    fn variant_key_slow(key: &str) -> String {
        let words: Vec<String> = key
            .split(' ')
            .filter(|w| !w.is_empty() && !is_generic(w))
            .map(|w| {
                if is_saint(w) {
                    "st".to_string()
                } else {
                    variant_word(w).0
                }
            })
            .collect();
        if words.is_empty() {
            return key.to_string();
        }
        variant_word(&words.concat()).0
    }

    proptest::proptest! {
        /// Keys of one word or several, of generic words and saints among others, come
        /// out as the definition makes them.
        #[test]
        fn variant_keys_are_as_defined(
            words in proptest::collection::vec(
                "(peak|pik|mt|town|st|san|sankt|santa|sv|[a-z]{1,7}|tsch[a-z]{0,3}|s)", 0..4)
        ) {
            let key = words.join(" ");
            proptest::prop_assert_eq!(variant_key(&key), variant_key_slow(&key));
        }
    }

    fn same(a: &str, b: &str) -> bool {
        variant_key(&translit_key(a)) == variant_key(&translit_key(b))
    }

    fn loosely_same(a: &str, b: &str) -> bool {
        let key = |s: &str| loose_key(&variant_key(&translit_key(s)));
        key(a) == key(b)
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

    /// #19
    #[test]
    fn a_hyphenated_name_typed_as_one_word() {
        assert!(same("Nursultan", "Nur-Sultan"));
        assert!(same("Ivanofrankivsk", "Ivano-Frankivsk"));
        assert!(same("Nur Sultan", "Nur-Sultan"));
        // A doubled letter or a rewrite across the break is read as in one word.
        assert!(same("Nurrashid", "Nur-Rashid"));
        assert!(same("Kurgantyube", "Kurgan-Tyube"));
    }

    /// #19
    #[test]
    fn uzbek_tajik_persian_and_russian_vowels_and_letters() {
        assert!(same("Samarqand", "Samarkand"));
        assert!(same("Qarshi", "Karshi"));
        assert!(same("Dushambe", "Dushanbe"));
        assert!(same("Khodjent", "Khodzhent"));
        assert!(same("Ходжент", "Khodzhent"));
        // The vowels only in the loose key.
        for (a, b) in [
            ("Buxoro", "Bukhara"),
            ("Toshkent", "Tashkent"),
            ("Khojand", "Khujand"),
            ("Leninobod", "Leninabad"),
            ("Samarqand", "Samarkand"),
        ] {
            assert!(loosely_same(a, b), "{a} {b}");
        }
        assert!(!same("Buxoro", "Bukhara"));
        assert!(!same("Kristiansand", "Kristiansund"));
        assert!(loosely_same("Kristiansand", "Kristiansund"));
    }

    /// #19: the keys of the matcher's variant tier must be their own keys (a key typed
    /// back finds its name), joined words and made-one vowels included.
    #[test]
    fn the_variant_key_of_a_variant_key_is_itself() {
        for name in [
            "Nur-Sultan",
            "Saint-Pétersbourg",
            "Ismoil Somoni Peak",
            "Buxoro",
            "Dyushambe",
            "Tskhinvali",
            "Peak",
            "Sa N",
        ] {
            let v = variant_key(&translit_key(name));
            assert_eq!(variant_key(&translit_key(&v)), v, "{name}");
            let l = loose_key(&v);
            assert_eq!(loose_key(&variant_key(&translit_key(&l))), l, "{name}");
        }
    }

    #[test]
    fn different_names_stay_different() {
        assert!(!same("Volgograd", "Stalingrad"));
        assert!(!same("Kirov", "Kirovsk"));
        assert!(!same("Riga", "Rize"));
        // #19: the vowels are made one, not the consonants around them.
        assert!(!loosely_same("Samara", "Samarkand"));
        assert!(!loosely_same("Kursk", "Kirsk"));
        assert!(!loosely_same("Perm", "Parma"));
        assert!(!loosely_same("Bukhara", "Bokhtar"));
    }
}
