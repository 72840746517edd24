//! `resolve --pick first` and `resolve --country-column` (#18), run as a user runs them,
//! on our own small data (not the built-in data, whose order of candidates is not ours
//! to fix here).

use crate::util;

use util::Dir;

/// Three places named Berlin: two held the name surely in 1900 (de-berlin, and
/// ca-kitchener until 1916), one with no dates (us-berlin: undated, so never first).
const DATA: &str = "place_id,name,start,end,lang,type,country\n\
de-berlin,Berlin,1237,,en,city,DE\n\
ca-kitchener,Berlin,1833,1916-09-01,en,city,CA\n\
ca-kitchener,Kitchener,1916-09-01,,en,city,CA\n\
us-berlin,Berlin,,,en,town,US\n\
ru-tver,Kalinin,1931,1990,en,city,RU\n\
ru-tver,Tver,1990,,en,city,RU\n";

fn resolve(dir: &Dir, args: &[&str], stdin: &str) -> util::Output {
    dir.write("d.csv", DATA);
    let mut all = vec!["--no-default-data", "--data", "d.csv", "resolve", "-"];
    all.extend_from_slice(args);
    dir.run_with_stdin(&all, Some(stdin.as_bytes()))
}

/// The output as rows of fields, the header first.
fn table(out: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(out.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A row's cell under a header.
fn cell<'t>(rows: &'t [Vec<String>], row: usize, header: &str) -> &'t str {
    let k = rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", rows[0]));
    &rows[row][k]
}

fn sorted(ids: &str) -> Vec<&str> {
    let mut v: Vec<&str> = ids.split('|').filter(|s| !s.is_empty()).collect();
    v.sort_unstable();
    v
}

const ROWS: &str = "name,date\nBerlin,1900\nKitchener,1950\nNowhere,1900\n";

#[test]
fn pick_first_takes_the_first_candidate_and_lists_the_others_apart() {
    let dir = Dir::new();
    let args = ["--name-column", "name", "--date-column", "date"];
    // Without it: ambiguous, every place in gz_place_id, and no column of others.
    let out = resolve(&dir, &args, ROWS);
    out.code(0).stderr_lacks("picked");
    let rows = table(&out.stdout);
    assert!(
        !rows[0].contains(&"gz_other_place_ids".to_string()),
        "{}",
        out.stdout
    );
    assert_eq!(cell(&rows, 1, "gz_status"), "ambiguous");
    assert_eq!(
        sorted(cell(&rows, 1, "gz_place_id")),
        ["ca-kitchener", "de-berlin", "us-berlin"]
    );

    let mut picked = args.to_vec();
    picked.extend(["--pick", "first"]);
    let out = resolve(&dir, &picked, ROWS);
    out.code(0)
        .stderr_has("resolved 3 rows: 1 ok, 0 ambiguous, 1 picked, 0 out of period, 1 not found");
    let rows = table(&out.stdout);
    assert_eq!(
        rows[0].last().unwrap(),
        "gz_other_place_ids",
        "{}",
        out.stdout
    );
    assert_eq!(cell(&rows, 1, "gz_status"), "picked");
    // The first candidate is the ambiguous row's first, alone in every column.
    let first = cell(&table(&resolve(&dir, &args, ROWS).stdout), 1, "gz_place_id")
        .split('|')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(cell(&rows, 1, "gz_place_id"), first);
    assert_eq!(cell(&rows, 1, "gz_name"), "Berlin");
    assert!(!cell(&rows, 1, "gz_match").contains('|'), "{}", out.stdout);
    // The others stay listed, and only there.
    let others = cell(&rows, 1, "gz_other_place_ids");
    assert!(
        !others.is_empty() && !others.contains(&first),
        "{}",
        out.stdout
    );
    let mut all = sorted(others);
    all.push(&first);
    all.sort_unstable();
    assert_eq!(all, ["ca-kitchener", "de-berlin", "us-berlin"]);
    // Other rows: as before, and no others.
    assert_eq!(cell(&rows, 2, "gz_status"), "ok");
    assert_eq!(cell(&rows, 2, "gz_other_place_ids"), "");
    assert_eq!(cell(&rows, 3, "gz_status"), "not_found");
    assert_eq!(cell(&rows, 3, "gz_other_place_ids"), "");
}

#[test]
fn pick_first_takes_the_surest_place() {
    // In 1920 only de-berlin held the name surely; us-berlin (undated) may have: the
    // row is ambiguous, and the surest comes first whatever else orders the places.
    let dir = Dir::new();
    let out = resolve(
        &dir,
        &[
            "--name-column",
            "name",
            "--date-column",
            "date",
            "--pick",
            "first",
        ],
        "name,date\nBerlin,1920\n",
    );
    out.code(0).stderr_has("1 picked");
    let rows = table(&out.stdout);
    assert_eq!(cell(&rows, 1, "gz_status"), "picked", "{}", out.stdout);
    assert_eq!(cell(&rows, 1, "gz_place_id"), "de-berlin");
    assert_eq!(cell(&rows, 1, "gz_certainty"), "certain");
    assert_eq!(cell(&rows, 1, "gz_other_place_ids"), "us-berlin");
}

#[test]
fn pick_first_in_json_lines_lists_the_others_as_an_array() {
    let dir = Dir::new();
    let out = resolve(
        &dir,
        &[
            "--name-column",
            "name",
            "--date-column",
            "date",
            "--pick",
            "first",
            "--format",
            "jsonl",
        ],
        ROWS,
    );
    out.code(0);
    let rows: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3, "{}", out.stdout);
    assert_eq!(rows[0]["gz_status"], "picked");
    assert_eq!(rows[0]["gz_place_id"].as_array().unwrap().len(), 1);
    let others = rows[0]["gz_other_place_ids"].as_array().unwrap();
    assert_eq!(others.len(), 2, "{}", out.stdout);
    assert!(!others.contains(&rows[0]["gz_place_id"][0]));
    assert_eq!(rows[1]["gz_status"], "ok");
    assert_eq!(rows[1]["gz_other_place_ids"], serde_json::json!([]));
    assert_eq!(rows[2]["gz_other_place_ids"], serde_json::json!([]));
}

#[test]
fn pick_first_in_tsv_keeps_the_column_under_its_header() {
    let dir = Dir::new();
    let out = resolve(
        &dir,
        &[
            "--name-column",
            "name",
            "--date",
            "1920",
            "--pick",
            "first",
            "--format",
            "tsv",
        ],
        "name\nBerlin\nTver\n",
    );
    out.code(0);
    let lines: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(
        lines[0].last(),
        Some(&"gz_other_place_ids"),
        "{}",
        out.stdout
    );
    assert!(
        lines.iter().all(|l| l.len() == lines[0].len()),
        "{}",
        out.stdout
    );
    assert_eq!(lines[1][lines[0].len() - 1], "us-berlin");
    assert_eq!(lines[2][lines[0].len() - 1], "");
}

const COUNTRY_ARGS: [&str; 6] = [
    "--name-column",
    "name",
    "--date-column",
    "date",
    "--country-column",
    "country",
];

#[test]
fn the_country_column_narrows_by_code_english_or_native_name() {
    let dir = Dir::new();
    let input = "name,date,country\n\
                 Berlin,1900,de\n\
                 Berlin,1900,DEU\n\
                 Berlin,1900,Germany\n\
                 Berlin,1900,Deutschland\n\
                 Berlin,1900,Allemagne\n\
                 Berlin,1900, canada \n\
                 Berlin,1900,\n\
                 Kalinin,1950,Россия\n";
    let out = resolve(&dir, &COUNTRY_ARGS, input);
    out.code(0)
        .stderr_has("resolved 8 rows: 7 ok, 1 ambiguous")
        .stderr_has("0 bad country")
        .stderr_lacks("named no country");
    let rows = table(&out.stdout);
    assert_eq!(
        rows[0].last().unwrap(),
        "gz_country_problem",
        "{}",
        out.stdout
    );
    for row in 1..=5 {
        assert_eq!(
            cell(&rows, row, "gz_place_id"),
            "de-berlin",
            "row {row}: {}",
            out.stdout
        );
        assert_eq!(cell(&rows, row, "gz_status"), "ok");
        assert_eq!(cell(&rows, row, "gz_country_problem"), "");
    }
    assert_eq!(cell(&rows, 6, "gz_place_id"), "ca-kitchener");
    // An empty cell narrows nothing: both places that held the name.
    assert_eq!(cell(&rows, 7, "gz_status"), "ambiguous");
    assert_eq!(
        sorted(cell(&rows, 7, "gz_place_id")),
        ["ca-kitchener", "de-berlin", "us-berlin"]
    );
    assert_eq!(cell(&rows, 8, "gz_place_id"), "ru-tver");
}

#[test]
fn a_cell_that_names_no_country_is_bad_country_and_counted_on_stderr() {
    let dir = Dir::new();
    let input = "name,date,country\n\
                 Berlin,1900,Prussia\n\
                 Berlin,1900,ZZ\n\
                 Berlin,1900,Prussia\n\
                 Berlin,1900,Atlantis\n\
                 Berlin,1900,Lemuria\n\
                 Berlin,1900,DE\n";
    let out = resolve(&dir, &COUNTRY_ARGS, input);
    out.code(0)
        .stderr_has("1 ok, 0 ambiguous, 0 out of period, 0 not found, 0 no name at date, 0 bad date, 5 bad country")
        .stderr_has("5 rows named no country in the country column ('Prussia', 'ZZ', 'Atlantis', ...): gz_country_problem says why");
    let rows = table(&out.stdout);
    assert_eq!(cell(&rows, 1, "gz_status"), "bad_country", "{}", out.stdout);
    // Answered as if the cell were empty: every place that held the name.
    assert_eq!(
        sorted(cell(&rows, 1, "gz_place_id")),
        ["ca-kitchener", "de-berlin", "us-berlin"]
    );
    let problem = cell(&rows, 1, "gz_country_problem");
    assert!(
        problem.starts_with("'Prussia' is not a country of today"),
        "{problem}"
    );
    assert!(cell(&rows, 2, "gz_country_problem").starts_with("'ZZ' is not"));
    assert_eq!(cell(&rows, 6, "gz_status"), "ok");
    assert_eq!(cell(&rows, 6, "gz_country_problem"), "");
}

#[test]
fn the_country_column_works_with_the_date_column_and_with_country() {
    let dir = Dir::new();
    // Canada's Berlin was renamed in 1916: in 1920 it is out of period there, and
    // Kitchener is the name it bore.
    let input = "name,date,country\n\
                 Berlin,1900,CA\n\
                 Berlin,1920,CA\n\
                 Berlin,1920,France\n\
                 Berlin,1920,\n\
                 Berlin,19xx9,DE\n";
    let out = resolve(&dir, &COUNTRY_ARGS, input);
    out.code(0).stderr_has(
        "1 of the rows not found name places that exist, but none in the row's country",
    );
    let rows = table(&out.stdout);
    assert_eq!(cell(&rows, 1, "gz_status"), "ok");
    assert_eq!(cell(&rows, 1, "gz_place_id"), "ca-kitchener");
    assert_eq!(
        cell(&rows, 2, "gz_status"),
        "out_of_period",
        "{}",
        out.stdout
    );
    assert_eq!(cell(&rows, 2, "gz_name"), "Kitchener");
    assert_eq!(cell(&rows, 3, "gz_status"), "not_found");
    assert_eq!(cell(&rows, 4, "gz_status"), "ambiguous");
    assert_eq!(cell(&rows, 5, "gz_status"), "bad_date");
    assert_eq!(cell(&rows, 5, "gz_place_id"), "de-berlin");

    // --country narrows the rows with an empty cell; a row's own country takes its place.
    let mut both = COUNTRY_ARGS.to_vec();
    both.extend(["--country", "US"]);
    let out = resolve(&dir, &both, input);
    out.code(0);
    let rows = table(&out.stdout);
    assert_eq!(
        cell(&rows, 1, "gz_place_id"),
        "ca-kitchener",
        "{}",
        out.stdout
    );
    assert_eq!(cell(&rows, 4, "gz_place_id"), "us-berlin");
    assert_eq!(cell(&rows, 4, "gz_status"), "ok");
}

#[test]
fn country_column_and_pick_first_together_in_json_lines() {
    let dir = Dir::new();
    let mut args = COUNTRY_ARGS.to_vec();
    args.extend(["--pick", "first", "--format", "jsonl", "--prefix", "birth_"]);
    let out = resolve(
        &dir,
        &args,
        "name,date,country\nBerlin,1900,\nBerlin,1900,Narnia\n",
    );
    out.code(0);
    let rows: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["birth_status"], "picked", "{}", out.stdout);
    assert_eq!(rows[0]["birth_country_problem"], "");
    // A row that is bad_country is not picked: its country was not read.
    assert_eq!(rows[1]["birth_status"], "bad_country");
    assert_eq!(rows[1]["birth_other_place_ids"], serde_json::json!([]));
    assert!(
        rows[1]["birth_country_problem"]
            .as_str()
            .unwrap()
            .starts_with("'Narnia' is not a country")
    );
}

#[test]
fn a_missing_country_column_is_a_usage_error_naming_the_columns() {
    let dir = Dir::new();
    let out = resolve(
        &dir,
        &[
            "--name-column",
            "name",
            "--date-column",
            "date",
            "--country-column",
            "land",
        ],
        "name,date,country\nBerlin,1900,DE\n",
    );
    out.code(2)
        .stderr_has("--country-column: no column named 'land' (columns: name, date, country)");
    assert_eq!(out.stdout, "");
    // Without a header, columns are named by number.
    resolve(
        &dir,
        &[
            "--no-headers",
            "--name-column",
            "1",
            "--date",
            "1900",
            "--country-column",
            "land",
        ],
        "Berlin,DE\n",
    )
    .code(2)
    .stderr_has("column 'land': with --no-headers, name columns by number");
}

/// #18: the script that regenerates `data/world/countries.csv` needs the pinned wheels
/// (the network); here it runs on the small sample it makes itself, and must give its
/// known answer (and refuse a wheel whose hash is not the pinned one).
#[test]
fn the_country_table_script_passes_its_self_test() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/data/world/build-countries");
    let out = std::process::Command::new("python3")
        .args([script, "--self-test"])
        .output()
        .expect("python3 runs (the script needs only its standard library)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("self-test passed"), "{stderr}");
}
