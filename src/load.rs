//! Where places come from: a store (the one the build compiled in for the built-in data,
//! or the one the cache keeps of big `--data` files), or the rows of the built-in data and
//! of every `--data` file, fed to the validator; what it accepts (or, with
//! `--skip-invalid`, what is left) is the gazetteer a command queries.

use crate::config::Config;
use crate::error::Error;
use crate::model::Gazetteer;
use crate::source::{Input, Table, read_into};
use crate::validate::{Validated, Validator};
use std::collections::BTreeSet;
use std::io::Write;

/// Reads and validates every input together.
pub(crate) fn read_and_validate(inputs: &[Input]) -> Result<Validated, Error> {
    let mut v = Validator::new();
    for input in inputs {
        read_into(input, &mut v)?;
    }
    Ok(v.finish())
}

/// Loads the data a query for `name` needs: every `--data` row, and of the built-in data
/// the places that bore the name or share an id with a user place (all of it when the
/// build could not index it). Refuses invalid data unless `--skip-invalid`, and reports
/// on stderr whatever was ignored or skipped.
pub(crate) fn load(
    config: &Config,
    name: &str,
    stderr: &mut dyn Write,
) -> Result<(Gazetteer, bool), Error> {
    // An input that gives its bytes once (a pipe, standard input) is read once, with
    // everything else: no pass to pick built-in places, no second read when the name is
    // not found among them.
    if (config.builtin && !crate::builtin::indexed()) || !config.data.iter().all(Input::rereadable)
    {
        return Ok((load_all(config, stderr)?, true));
    }
    let builtin: BTreeSet<&str> = if config.builtin {
        crate::builtin::places_for_name(name)
    } else {
        BTreeSet::new()
    };
    load_places(config, builtin, stderr)
}

/// [`load`] with the built-in places already chosen (those a name leads to, or those a
/// fuzzy search may answer with): every `--data` row and the chosen built-in places, with
/// every built-in place a user place extends or is a twin of. Also says whether that is
/// all the data (it is without the built-in data).
fn load_places(
    config: &Config,
    builtin: BTreeSet<&str>,
    stderr: &mut dyn Write,
) -> Result<(Gazetteer, bool), Error> {
    let mut ids: BTreeSet<String> = builtin.into_iter().map(str::to_string).collect();
    let mut v = Validator::new();
    let _progress = reading(config);
    // The built-in rows go first, as they do when loading everything: a user row that
    // contradicts a built-in one is the row reported. So a first, light pass over each
    // file finds the built-in places it extends (LPF and LP-TSV files, read whole, are
    // kept as tables instead); without built-in data the rows go straight to the
    // validator.
    let mut kept: Vec<Option<Table>> = Vec::new();
    if config.builtin {
        for input in &config.data {
            match input {
                Input::File(path)
                    if crate::source::Format::of(input) == crate::source::Format::Csv =>
                {
                    ids.extend(builtin_ids_in(path, &input.display_name())?);
                    kept.push(None);
                }
                _ => {
                    let mut t = Table::named(input.display_name());
                    read_into(input, &mut t)?;
                    let named: Vec<String> = ids_of(&t)
                        .chain(same_as_of(&t))
                        .map(str::to_string)
                        .collect();
                    ids.extend(builtin_for(named.iter().map(String::as_str)).map(str::to_string));
                    kept.push(Some(t));
                }
            }
        }
        replay_builtin(&ids, &mut v);
    }
    for (i, input) in config.data.iter().enumerate() {
        match kept.get(i) {
            Some(Some(t)) => t.replay(&mut v),
            _ => read_into(input, &mut v)?,
        }
    }
    Ok((accept(v.finish(), config, stderr)?, !config.builtin))
}

/// Offers the built-in places with these ids, and their twins, to the validator.
fn replay_builtin(ids: &BTreeSet<String>, v: &mut Validator) {
    let mut ids: BTreeSet<&str> = builtin_for(ids.iter().map(String::as_str)).collect();
    let twins: Vec<&str> = ids
        .iter()
        .flat_map(|id| crate::builtin::twins_of(id))
        .collect();
    ids.extend(twins);
    for t in &crate::builtin::tables_for(&ids) {
        t.replay(v);
    }
}

/// The ids of a file's rows that are built-in places, read without keeping the rows
/// (what is wrong with the file is reported by the full read that follows).
fn builtin_ids_in(path: &std::path::Path, name: &str) -> Result<BTreeSet<String>, Error> {
    let mut ids = BTreeSet::new();
    for column in ["place_id", "same_as"] {
        crate::source::column_values(path, name, column, |value| {
            ids.extend(builtin_for(value.split('|')).map(str::to_string));
        })?;
    }
    Ok(ids)
}

/// The built-in places that user ids name: a built-in place id itself, or `geonames:N`
/// (an id of an imported GeoNames file, or one of a `same_as`) for the places that stand
/// for GeoNames place N (#18: twins are one place).
fn builtin_for<'i>(values: impl Iterator<Item = &'i str>) -> impl Iterator<Item = &'static str> {
    values.flat_map(|value| {
        let value = value.trim();
        let mut found: Vec<&'static str> = value
            .strip_prefix("geonames:")
            .map(crate::builtin::geonames_places)
            .unwrap_or_default();
        found.extend(crate::builtin::place_id(value));
        found
    })
}

/// The ids a table's `same_as` column gives.
fn same_as_of(t: &Table) -> impl Iterator<Item = &str> {
    let col = t
        .header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("same_as"));
    t.rows
        .iter()
        .filter_map(move |r| r.fields.get(col?))
        .flat_map(|ids| ids.split('|'))
        .map(str::trim)
}

/// The ids of a table's rows.
fn ids_of(t: &Table) -> impl Iterator<Item = &str> {
    let col = t
        .header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("place_id"));
    t.rows
        .iter()
        .filter_map(move |r| r.fields.get(col?))
        .map(|id| id.trim())
}

/// Loads everything: the built-in data and every `--data` file.
pub(crate) fn load_all(config: &Config, stderr: &mut dyn Write) -> Result<Gazetteer, Error> {
    Ok(load_all_clean(config, stderr)?.0)
}

/// The data `search` needs for `text`: with the built-in data alone, only the places
/// with a name whose keys contain what it looks for (`query::search_needles`), found in
/// the build's index of keys; else, or with `--fuzzy`, `--type` or `--country` (judged
/// over all the data), or when the text is so short that most places qualify,
/// everything.
pub(crate) fn load_for_search(
    config: &Config,
    text: &str,
    stderr: &mut dyn Write,
) -> Result<Gazetteer, Error> {
    /// Beyond this many places, reading everything is about as quick.
    const MAX: usize = 20_000;
    if config.data.is_empty()
        && config.builtin
        && crate::builtin::indexed()
        && !config.filter.fuzzy
        && !config.filter.narrows()
        && let Some(places) =
            crate::builtin::places_containing(&crate::query::search_needles(text), MAX)
    {
        return Ok(load_places(config, places, stderr)?.0);
    }
    load_all(config, stderr)
}

/// [`load_all`], and whether the data had no error and no warning at all.
pub(crate) fn load_all_clean(
    config: &Config,
    stderr: &mut dyn Write,
) -> Result<(Gazetteer, bool), Error> {
    let mut inputs = if config.builtin {
        crate::builtin::inputs()
    } else {
        Vec::new()
    };
    inputs.extend(config.data.iter().cloned());
    let progress = reading(config);
    let validated = read_and_validate(&inputs)?;
    drop(progress);
    let clean = validated.diagnostics.is_empty();
    Ok((accept(validated, config, stderr)?, clean))
}

/// A spinner on stderr while `--data` files are read, should that take over a second (the
/// first read of a big file, before the cache keeps its index).
fn reading(config: &Config) -> crate::progress::Progress {
    if config.data.is_empty() {
        return crate::progress::Progress::none();
    }
    let names: Vec<String> = config.data.iter().map(Input::display_name).collect();
    crate::progress::Progress::spinner(config.progress, &format!("reading {}", names.join(", ")))
}

pub(crate) fn accept(
    validated: Validated,
    config: &Config,
    stderr: &mut dyn Write,
) -> Result<Gazetteer, Error> {
    let errors = validated.errors().count();
    if errors > 0 && !config.skip_invalid {
        return Err(Error::InvalidData {
            diagnostics: validated.diagnostics,
        });
    }
    for d in &validated.diagnostics {
        let prefix = if d.is_error() { "skipped: " } else { "" };
        writeln!(stderr, "gazetteer: {prefix}{d}").map_err(Error::Output)?;
    }
    if errors > 0 {
        writeln!(
            stderr,
            "gazetteer: warning: skipped {errors} invalid row{} (--skip-invalid): the answer may be incomplete",
            if errors == 1 { "" } else { "s" }
        )
        .map_err(Error::Output)?;
    }
    // Twins are one place (#18): after validation, so that each is checked as written.
    Ok(crate::twins::merge(
        validated.gazetteer,
        crate::builtin::LINKS,
    ))
}

/// The data a query for `name` needs, and a matcher over it. When the quick load (the
/// places the indexes lead to) has no place matching the name, everything is loaded and
/// matched again: transliterated and variant spellings need every name. When nothing
/// matches, everything loaded and its matcher are the error side, for the caller to say
/// why (see `explain::not_found`).
pub(crate) fn load_matching(
    config: &Config,
    name: &str,
    stderr: &mut dyn Write,
) -> Result<Result<Found, Found>, Error> {
    let stored = match from_store(config, name)? {
        FromStore::Answered(found) => return Ok(*found),
        FromStore::Declined => true,
        FromStore::Absent => false,
    };
    // Big `--data` files with no store yet: read whole, and their store written for the
    // queries to come (the store `resolve` reads too).
    if !stored
        && !config.data.is_empty()
        && let Some(plan) = store_plan(config)
    {
        let (g, m) = load_and_store(config, plan, stderr)?;
        let found = !crate::query::lookup(&g, &m, name, &config.filter).is_empty();
        return Ok(if found { Ok((g, m)) } else { Err((g, m)) });
    }
    let (g, complete) = load(config, name, stderr)?;
    let m = crate::matching::Matcher::new(&g);
    // The quick load holds every `--data` row and every place of the built-in data the
    // name reaches in any tier (the build indexed them all), but not the built-in places
    // of its closest spellings: a weaker match is settled only once those are loaded too
    // (below), as a match among all the data would be.
    let settled = |how: crate::matching::MatchKind| {
        complete || config.data.is_empty() || how <= crate::matching::MatchKind::Folded
    };
    if crate::query::lookup(&g, &m, name, &config.filter)
        .first()
        .is_some_and(|f| settled(f.how))
    {
        return Ok(Ok((g, m)));
    }
    let (all, m) = if complete {
        (g, m)
    } else if config.builtin && !config.filter.narrows() {
        // `--data` files with no store (under 1 MB, or `--no-cache`), or none: all their
        // rows, and of the built-in data the places the name's keys or its closest
        // spellings lead to, with those the files extend: every place a tier or a
        // suggestion could name, without reading the built-in data whole. A `--type` or
        // `--country` that hides everything needs every type and country known, and so
        // everything (below).
        let ids: BTreeSet<&str> = crate::builtin::places_near(name)
            .into_iter()
            .chain(crate::builtin::places_for_name(name))
            .collect();
        let (near, _) = load_places(config, ids, &mut std::io::sink())?;
        let m = crate::matching::Matcher::new(&near);
        (near, m)
    } else {
        let all = load_all(config, &mut std::io::sink())?;
        let m = crate::matching::Matcher::new(&all);
        (all, m)
    };
    if !crate::query::lookup(&all, &m, name, &config.filter).is_empty() {
        return Ok(Ok((all, m)));
    }
    Ok(Err((all, m)))
}

/// [`load_matching`] from a store (#17), as `resolve` answers from it: the places the
/// name's keys lead to in every tier and, when none answers, those of its closest
/// spellings (the store's table of near keys), which hold every place the fuzzy tier or
/// the suggestions could name. The store is the one the build compiled in for the
/// built-in data alone, and with `--data` files the store of them all (with the built-in
/// data when it is in use) that a first query or `index` wrote: one code path for both.
///
/// [`FromStore::Absent`] (the other paths answer) with `--no-cache` (which reads the data
/// itself) and when there is no store (the build wrote none; `--data` files under 1 MB,
/// or not yet indexed), or it turns out damaged (a `--data` store is then removed, and
/// the data read); [`FromStore::Declined`] for a miss under `--type` or `--country`,
/// which is explained over all the data.
fn from_store(config: &Config, name: &str) -> Result<FromStore, Error> {
    let Some(dir) = &config.cache else {
        return Ok(FromStore::Absent);
    };
    let store = if config.data.is_empty() {
        if !config.builtin {
            return Ok(FromStore::Absent);
        }
        crate::builtin::store()
    } else {
        match (
            crate::store::inputs(config.builtin, &config.data),
            crate::store::context(config.builtin, &config.data),
        ) {
            (Some(inputs), Some(context)) => {
                crate::store::Snapshot::open_for_query(dir, inputs, context)
            }
            _ => None,
        }
    };
    let Some(store) = store else {
        return Ok(FromStore::Absent);
    };
    match answer_from_store(&store, config, name) {
        Ok(Some(found)) => Ok(FromStore::Answered(Box::new(found))),
        Ok(None) => Ok(FromStore::Declined),
        // The built-in store is part of the binary: damage there is a broken build.
        Err(_) if config.data.is_empty() => Err(Error::DamagedBuiltin),
        // A store of `--data` files only ever saves time: read the data instead.
        Err(d) => {
            crate::store::Snapshot::remove(&d);
            Ok(FromStore::Absent)
        }
    }
}

/// What [`from_store`] made of a query.
enum FromStore {
    /// The places of the name, or for a miss those of its closest spellings (boxed: the
    /// other variants are empty).
    Answered(Box<Result<Found, Found>>),
    /// The store is there, but the query needs all the data read.
    Declined,
    /// No store to answer from.
    Absent,
}

/// The places of `name` in a store, and a matcher over them (see [`from_store`]).
fn answer_from_store(
    store: &crate::store::Snapshot,
    config: &Config,
    name: &str,
) -> Result<Option<Result<Found, Found>>, crate::store::Damaged> {
    let mut places = Vec::new();
    store.candidates(&[crate::matching::Query::new(name).keys(true)], &mut places)?;
    // No fuzzy tier over these: they are the places of the name's own keys, and a name
    // found only fuzzily is found among its closest spellings, below.
    let (g, m) = store.gazetteer(places.clone(), (true, true, false), None)?;
    if !crate::query::lookup(&g, &m, name, &config.filter.without_fuzzy()).is_empty() {
        return Ok(Some(Ok((g, m))));
    }
    if config.filter.narrows() {
        return Ok(None);
    }
    store.near(name, &mut places)?;
    let (g, m) = store.gazetteer(places, (true, true, true), None)?;
    let found = !crate::query::lookup(&g, &m, name, &config.filter).is_empty();
    Ok(Some(if found { Ok((g, m)) } else { Err((g, m)) }))
}

/// Loaded data and a matcher over it.
pub(crate) type Found = (Gazetteer, crate::matching::Matcher);

/// The data `resolve` answers from: the resolve cache, or everything loaded.
pub(crate) struct ForResolve<'c> {
    /// Where the resolve cache is and what it is kept under (the inputs and their
    /// context), when the `--data` files are big enough to keep one.
    pub plan: Option<(&'c std::path::PathBuf, u64, u64)>,
    /// The resolve cache, when it has a valid copy of the data (not with `--fuzzy` and
    /// `--type` or `--country`).
    pub snapshot: Option<crate::store::Snapshot>,
    /// Otherwise everything loaded, a matcher over it, and whether it was clean.
    pub loaded: Option<(Gazetteer, crate::matching::Matcher, bool)>,
    /// With `loaded` and a `plan`, the names' near keys, kept from building the matcher
    /// for the store to be written.
    pub near: Option<crate::matching::NearKeys>,
}

/// Where the store of the `--data` files (with the built-in data when it is in use) is
/// kept, and under what (the inputs and their context): `None` with `--no-cache`, when
/// an input is not a plain file, and for files under [`crate::store::MIN_SIZE`] in all,
/// which are read faster than a store is opened.
pub(crate) fn store_plan(config: &Config) -> Option<(&std::path::PathBuf, u64, u64)> {
    let dir = config.cache.as_ref()?;
    let size: u64 = config
        .data
        .iter()
        .map(|i| match i {
            crate::source::Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum();
    let inputs = crate::store::inputs(config.builtin, &config.data)?;
    let context = crate::store::context(config.builtin, &config.data)?;
    (size >= crate::store::MIN_SIZE).then_some((dir, inputs, context))
}

/// Whether the `--data` files are as they were when `context` was taken, and settled:
/// data read clean may then get its store (a file changed while it was read, or in the
/// last two seconds, may not).
pub(crate) fn unchanged(config: &Config, context: u64) -> bool {
    crate::store::context(config.builtin, &config.data) == Some(context)
        && crate::store::settled(&config.data)
}

/// Everything loaded and a matcher over it, with the store of the data written when the
/// data came out clean and did not change while it was read (else it costs only time).
pub(crate) fn load_and_store(
    config: &Config,
    (dir, inputs, context): (&std::path::PathBuf, u64, u64),
    stderr: &mut dyn Write,
) -> Result<Found, Error> {
    let (g, clean) = load_all_clean(config, stderr)?;
    if !(clean && unchanged(config, context)) {
        let m = crate::matching::Matcher::new(&g);
        return Ok((g, m));
    }
    let (m, near) = crate::matching::Matcher::with_near_keys(&g);
    let _ = crate::store::places::write(dir, inputs, context, &g, &m, Some(near));
    Ok((g, m))
}

/// Where `resolve` takes its places from: the resolve cache when it holds the data, or
/// else a full load.
pub(crate) fn for_resolve<'c>(
    config: &'c Config,
    stderr: &mut dyn Write,
) -> Result<ForResolve<'c>, Error> {
    // With big --data files, the store spares reading and validating them again.
    let plan = store_plan(config);
    // With --fuzzy and --type or --country, the closest spellings are those among the
    // places admitted: the table of near keys does not know which those are.
    let whole = !(config.filter.fuzzy && config.filter.narrows());
    let snapshot = match plan {
        Some((dir, inputs, context)) if whole => crate::store::Snapshot::open(dir, inputs, context),
        // The built-in data alone: the store the build compiled into the binary, unless
        // --no-cache asks for the data itself.
        None if whole && config.builtin && config.data.is_empty() && config.cache.is_some() => {
            crate::builtin::store()
        }
        _ => None,
    };
    let (loaded, near) = match snapshot {
        Some(_) => (None, None),
        None => {
            let (g, clean) = load_all_clean(config, stderr)?;
            let (matcher, near) = match plan {
                // A store will be written if the data came out clean.
                Some(_) if clean => {
                    let (m, near) = crate::matching::Matcher::with_near_keys(&g);
                    (m, Some(near))
                }
                _ => (crate::matching::Matcher::new(&g), None),
            };
            (Some((g, matcher, clean)), near)
        }
    };
    Ok(ForResolve {
        plan,
        snapshot,
        loaded,
        near,
    })
}
