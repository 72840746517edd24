//! Twins are one place (#18): a curated place and the world layer's record of the same
//! place (or a user's imported GeoNames record of it) are merged after validation.
//!
//! Places are twins when they stand for the same GeoNames id: the world place `gn-N`, an
//! imported `geonames:N`, a place whose `same_as` names `geonames:N`, and a curated place
//! that `data/links.csv` links to `geonames:N`. Of a group, the place with dated names
//! wins (then a place not from GeoNames, then the smaller id): it keeps its id and rows,
//! and takes from the others their population (and type, country, coordinates where it
//! has none), their ids (into `same_as`), and, as undated variants, their names it lacks
//! (compared folded). A second place with dated names of its own is never folded into
//! another: its dates would be lost; it stays a place of its own.
//!
//! Pure: takes a gazetteer and the links, returns the merged gazetteer.

use crate::model::{Gazetteer, NameKind, Place, chronological};
use std::collections::{BTreeMap, BTreeSet};

/// The GeoNames ids a place stands for. `linked` holds the place ids of `links`: most
/// places have no link, and a hash spares them a search among the links' ids.
fn geonames_ids<'p>(
    place: &'p Place,
    links: &'p [(&str, &str)],
    linked: &std::collections::HashSet<&str>,
) -> BTreeSet<&'p str> {
    let mut ids = BTreeSet::new();
    if let Some(n) = place
        .id
        .strip_prefix("gn-")
        .or_else(|| place.id.strip_prefix("geonames:"))
    {
        ids.insert(n);
    }
    for s in &place.same_as {
        ids.extend(s.strip_prefix("geonames:"));
    }
    if !linked.contains(place.id.as_str()) {
        return ids;
    }
    // Links are sorted by place id when built; a user's data may add none.
    let from = links.partition_point(|(id, _)| *id < place.id.as_str());
    for (_, other) in links[from..]
        .iter()
        .take_while(|(id, _)| *id == place.id.as_str())
    {
        ids.extend(other.strip_prefix("geonames:"));
    }
    ids
}

/// Whether a place came from GeoNames (the world layer or an imported file).
pub fn is_geonames(place: &Place) -> bool {
    place.id.starts_with("gn-") || place.id.starts_with("geonames:")
}

/// The id a place has in GeoNames' own scheme, for `same_as`.
fn scheme_id(place: &Place) -> Option<String> {
    place
        .id
        .strip_prefix("gn-")
        .map(|n| format!("geonames:{n}"))
        .or_else(|| place.id.contains(':').then(|| place.id.clone()))
}

fn has_dated_names(place: &Place) -> bool {
    place.names.iter().any(|n| !n.is_undated())
}

/// Merges every group of twins into one place. `links` are (place id, `geonames:N`)
/// pairs, sorted by place id.
pub fn merge(mut g: Gazetteer, links: &[(&str, &str)]) -> Gazetteer {
    // GeoNames id -> the places standing for it; then groups joined through shared places.
    // (A group's root is its smallest place, whatever order the ids are taken in.)
    let linked: std::collections::HashSet<&str> = links.iter().map(|l| l.0).collect();
    let mut by_id: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, p) in g.places.iter().enumerate() {
        for n in geonames_ids(p, links, &linked) {
            by_id.entry(n).or_default().push(i);
        }
    }
    let mut parent: Vec<usize> = (0..g.places.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut joined = false;
    for places in by_id.values() {
        for w in places.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            if a != b {
                parent[a.max(b)] = a.min(b);
                joined = true;
            }
        }
    }
    if !joined {
        return g;
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..g.places.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut gone = vec![false; g.places.len()];
    for members in groups.values().filter(|m| m.len() > 1) {
        let winner = *members
            .iter()
            .min_by_key(|&&i| {
                let p = &g.places[i];
                (!has_dated_names(p), is_geonames(p), p.id.clone())
            })
            .expect("a group has members");
        for &i in members {
            if i == winner || has_dated_names(&g.places[i]) {
                continue;
            }
            let twin = std::mem::replace(
                &mut g.places[i],
                Place {
                    id: String::new(),
                    kind: None,
                    country: None,
                    coords: None,
                    population: None,
                    same_as: Vec::new(),
                    names: Vec::new(),
                },
            );
            absorb(&mut g.places[winner], twin);
            gone[i] = true;
        }
        let w = &mut g.places[winner];
        for (id, other) in links.iter().filter(|(id, _)| *id == w.id) {
            if *id == w.id && !w.same_as.iter().any(|s| s == other) {
                w.same_as.push(other.to_string());
            }
        }
        w.same_as.sort();
        w.names.sort_by(chronological);
    }
    let mut i = 0;
    g.places.retain(|_| {
        i += 1;
        !gone[i - 1]
    });
    g
}

/// A name's keys in the matcher's tiers short of fuzzy: folded, transliterated (the
/// folded key again for ASCII), and the variant key (of the transliterated one, as the
/// matcher files it).
pub fn keys(name: &str) -> (String, String, String) {
    let f = crate::fold::fold(name);
    let t = if name.is_ascii() {
        f.clone()
    } else {
        crate::spelling::translit_key(name)
    };
    let v = crate::spelling::variant_key(&t);
    (f, t, v)
}

/// Takes into `place` what its twin adds: attributes it lacks, the twin's ids, and the
/// twin's names it lacks, as undated variants.
fn absorb(place: &mut Place, twin: Place) {
    place.population = place.population.or(twin.population);
    if place.kind.is_none() {
        place.kind = twin.kind;
    }
    if place.country.is_none() {
        place.country = twin.country;
    }
    if place.coords.is_none() {
        place.coords = twin.coords;
    }
    for id in scheme_id(&twin).into_iter().chain(twin.same_as) {
        if !place.same_as.contains(&id) {
            place.same_as.push(id);
        }
    }
    // A name the matcher already reads as one of the place's own (folded, or written in
    // Latin letters: `Sankt-Peterburg` for `Санкт-Петербург`) is not one it lacks. One it
    // reaches only under another language's spelling conventions (`St. Petersburg`,
    // `Zarizyn`) is kept: it matches in a stronger tier than the place's own name, where
    // a namesake bearing it exactly would otherwise win (`crate::query::lookup_query`
    // then reads the dated name it stands for).
    // Among the twin's own names only the folded duplicates go: `ヴォルゴグラード` stays
    // beside its romanization `Vorugogurado`.
    let mut own = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for n in &place.names {
        let (f, t, _) = keys(&n.name);
        seen.insert(f.clone());
        own.insert(f);
        own.insert(t);
    }
    for mut n in twin.names {
        let (f, t, _) = keys(&n.name);
        if own.contains(&f) || own.contains(&t) {
            continue;
        }
        if seen.insert(f) {
            n.kind = NameKind::Variant;
            n.start = None;
            n.end = None;
            n.open_start = false;
            n.attested = false;
            place.names.push(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer(csv: &str) -> Gazetteer {
        let v = crate::validate::validate(&[crate::source::parse("g.csv", csv.as_bytes())]);
        assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);
        v.gazetteer
    }

    const DATA: &str = "place_id,name,start,end,kind,country,population,same_as\n\
        pl-katowice,Katowice,1865,,official,PL,,\n\
        pl-katowice,Stalinogród,1953-03-07,1956-12-10,official,PL,,\n\
        gn-3096472,Katowice,,,official,PL,290553,geonames:3096472\n\
        gn-3096472,Kattowitz,,,variant,PL,290553,geonames:3096472\n\
        gn-3096472,STALINOGROD,,,variant,PL,290553,geonames:3096472\n\
        other,Elsewhere,,,official,DE,,\n";

    /// #18: the curated place keeps its id and dated rows; its twin gives its
    /// population, its id and the names it lacks, undated.
    #[test]
    fn a_linked_twin_becomes_part_of_the_curated_place() {
        let g = merge(gazetteer(DATA), &[("pl-katowice", "geonames:3096472")]);
        let ids: Vec<&str> = g.places.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["other", "pl-katowice"]);
        let k = &g.places[1];
        assert_eq!(k.population, Some(290553));
        assert_eq!(k.same_as, ["geonames:3096472"]);
        let names: Vec<(&str, bool)> = k.names.iter().map(|n| (&*n.name, n.is_undated())).collect();
        assert_eq!(
            names,
            [
                ("Kattowitz", true),
                ("Katowice", false),
                ("Stalinogród", false)
            ],
            "Katowice and STALINOGROD are the curated names folded; only Kattowitz is new"
        );
        assert!(
            k.names
                .iter()
                .find(|n| &*n.name == "Kattowitz")
                .unwrap()
                .kind
                == NameKind::Variant
        );
    }

    /// Without a link, the same data stays two places; a `same_as` alone links too, and
    /// so does a user's GeoNames id.
    #[test]
    fn twins_are_found_by_same_as_and_by_a_geonames_id() {
        assert_eq!(merge(gazetteer(DATA), &[]).places.len(), 3);
        let linked = DATA.replace(
            "pl-katowice,Katowice,1865,,official,PL,,",
            "pl-katowice,Katowice,1865,,official,PL,,geonames:3096472",
        );
        assert_eq!(merge(gazetteer(&linked), &[]).places.len(), 2);
        let user = DATA.replace("gn-3096472", "geonames:3096472");
        let g = merge(gazetteer(&user), &[("pl-katowice", "geonames:3096472")]);
        assert_eq!(g.places.len(), 2);
        assert_eq!(g.places[1].id, "pl-katowice");
    }

    /// Two places with dates of their own are never folded together.
    #[test]
    fn a_twin_with_dates_of_its_own_stays_apart() {
        let dated = format!(
            "{DATA}pl-stalinogrod,Stalinogród,1953-03-07,1956-12-10,official,PL,,geonames:3096472\n"
        );
        let g = merge(gazetteer(&dated), &[("pl-katowice", "geonames:3096472")]);
        let ids: Vec<&str> = g.places.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["other", "pl-katowice", "pl-stalinogrod"]);
    }

    /// #18: a twin's name that the matcher already reads as a curated one (folded, or
    /// in Latin letters) is not added; one it reaches only under another language's
    /// spelling conventions is, as are the twin's other scripts.
    #[test]
    fn names_the_matcher_already_reads_are_not_added() {
        let data = "place_id,name,start,end,kind,country\n\
            ru-spb,Санкт-Петербург,1703,,official,RU\n\
            ru-spb,Saint Petersburg,1703,,official,RU\n\
            gn-498817,Saint Petersburg,,,official,RU\n\
            gn-498817,Sankt-Peterburg,,,variant,RU\n\
            gn-498817,SAINT-PETERSBURG,,,variant,RU\n\
            gn-498817,St. Petersburg,,,variant,RU\n\
            gn-498817,St Petersburg,,,variant,RU\n\
            gn-498817,サンクトペテルブルク,,,variant,RU\n";
        let g = merge(gazetteer(data), &[("ru-spb", "geonames:498817")]);
        assert_eq!(g.places.len(), 1);
        let mut added: Vec<&str> = g.places[0]
            .names
            .iter()
            .filter(|n| n.is_undated())
            .map(|n| &*n.name)
            .collect();
        added.sort_unstable();
        // `St Petersburg` and `St. Petersburg` fold alike: one of them stays.
        assert_eq!(added.len(), 2, "{added:?}");
        assert!(added[0].starts_with("St") && added[0].ends_with(" Petersburg"));
        assert_eq!(added[1], "サンクトペテルブルク");
    }
}
