//! GeoNames feature classes and codes, mapped to our place types.

/// Our place types, indexed by [`Place::kind`]; 0 is none.
pub(super) const TYPES: [&str; 16] = [
    "",
    "city",
    "town",
    "settlement",
    "district",
    "region",
    "mountain",
    "river",
    "lake",
    "island",
    "park",
    "street",
    "square",
    "station",
    "building",
    "monument",
];

/// Our `type` for a GeoNames feature class and code (the readme's featureCodes file,
/// download.geonames.org/export/dump/, describes them); empty when none fits:
/// - P (populated places): a capital or seat of a first- or second-order division (PPLC,
///   PPLA, PPLA2) or more than 100,000 people is a `city`; a section of one (PPLX) a
///   `district`; an abandoned, destroyed or historical one (PPLQ, PPLW, PPLH) a
///   `settlement`; any other a `town`.
/// - A (administrative divisions): ADM3, ADM4, ADM5 and ADMD (also their historical
///   `H` forms) are `district`s; all others (ADM1, ADM2, countries, ...) `region`s.
/// - L: continents and regions (CONT, RGN) are `region`s, PRK a `park`.
/// - T: MT, MTS, PK, PKS, VLC `mountain`; ISL... `island`.
/// - H: STM, STMS, STMI `river`; LK... and RSV `lake`.
/// - R.ST `street`; S: RSTN, RSTP, MTRO `station`, SQR `square`, MNMT `monument`,
///   BLDG, CSTL, PAL `building`.
pub fn place_type(class: &str, code: &str, population: u64) -> &'static str {
    match class {
        "P" => match code {
            "PPLX" => "district",
            "PPLC" | "PPLA" | "PPLA2" => "city",
            _ if population > 100_000 => "city",
            "PPLQ" | "PPLW" | "PPLH" => "settlement",
            _ => "town",
        },
        "A" => match code.strip_suffix('H').unwrap_or(code) {
            "ADM3" | "ADM4" | "ADM5" | "ADMD" => "district",
            _ => "region",
        },
        "L" => match code {
            "CONT" | "RGN" => "region",
            "PRK" => "park",
            _ => "",
        },
        "T" => match code {
            "MT" | "MTS" | "PK" | "PKS" | "VLC" => "mountain",
            c if c.starts_with("ISL") => "island",
            _ => "",
        },
        "H" => match code {
            "STM" | "STMS" | "STMI" => "river",
            "RSV" => "lake",
            c if c.starts_with("LK") => "lake",
            _ => "",
        },
        "R" if code == "ST" => "street",
        "S" => match code {
            "RSTN" | "RSTP" | "MTRO" => "station",
            "SQR" => "square",
            "MNMT" => "monument",
            "BLDG" | "CSTL" | "PAL" => "building",
            _ => "",
        },
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_codes_map_to_our_types() {
        assert_eq!(place_type("P", "PPL", 500), "town");
        assert_eq!(place_type("P", "PPL", 100_001), "city");
        assert_eq!(place_type("P", "PPLA2", 10), "city");
        assert_eq!(place_type("P", "PPLC", 0), "city");
        assert_eq!(place_type("P", "PPLX", 2_000_000), "district");
        assert_eq!(place_type("P", "PPLQ", 0), "settlement");
        assert_eq!(place_type("A", "ADM1", 0), "region");
        assert_eq!(place_type("A", "PCLI", 0), "region");
        assert_eq!(place_type("A", "ADM3H", 0), "district");
        assert_eq!(place_type("L", "CONT", 0), "region");
        assert_eq!(place_type("T", "PK", 0), "mountain");
        assert_eq!(place_type("T", "ISLET", 0), "island");
        assert_eq!(place_type("H", "STM", 0), "river");
        assert_eq!(place_type("H", "LK", 0), "lake");
        assert_eq!(place_type("S", "RSTN", 0), "station");
        assert_eq!(place_type("S", "HTL", 0), "");
        assert_eq!(place_type("V", "FRST", 0), "");
        for t in TYPES.iter().skip(1) {
            assert!(crate::schema::PLACE_TYPES.contains(t), "{t}");
        }
    }
}
