//! The resolved configuration: arguments checked and turned into values.
//!
//! Owns what the second parse of the command line gives the commands: dates parsed, data
//! inputs listed, colour and table style decided once. Nothing after this step sees a raw
//! string it must re-check. It knows nothing of clap: [`crate::cli`] builds the
//! [`Config`] from what clap parsed, with the checks of single values kept here.

use crate::date::QueryDate;
use crate::error::Error;
use crate::render::{Format, Style};
use crate::source::Input;
use std::path::PathBuf;

/// What the binary knows about where it runs, read once in `main`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terminal {
    pub stdout_is_terminal: bool,
    /// Progress indicators go to stderr only when it is a terminal.
    pub stderr_is_terminal: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// `TERM=dumb`.
    pub dumb: bool,
    /// The terminal's width in columns, when known: `COLUMNS`, else standard output's
    /// terminal.
    pub width: Option<u16>,
    /// Where indexes of big data files are kept (see `cache`), from the environment.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Standard output was closed when the program started (`>&-`): every write to it
    /// fails, as it would on any other stream that takes nothing.
    pub stdout_closed: bool,
    /// Today's date, read in `main`: where a timeline ends a name still in use.
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone)]
pub enum Task {
    Lookup {
        name: String,
    },
    /// Another gazetteer's file to our CSV; `places` is the companion table of GeoNames or
    /// Pleiades.
    Import {
        format: crate::source::Format,
        input: Input,
        places: Option<Input>,
    },
    Search {
        text: String,
        limit: usize,
    },
    Export,
    At {
        date: QueryDate,
        name: String,
    },
    Check {
        inputs: Vec<Input>,
        format: CheckFormat,
    },
    Resolve(ResolveTask),
    /// Build the stores of the `--data` files now; `progress` on stderr.
    Index {
        progress: bool,
    },
}

/// How `check` writes its problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    /// One line each, then a summary line.
    Text,
    /// One JSON array of problems (file, line, column, severity, message).
    Json,
    /// The same as CSV, with a header row.
    Csv,
}

/// A column named by the user: by header name, or by 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    Name(String),
    Number(usize),
}

impl ColumnRef {
    pub(crate) fn parse(text: &str) -> ColumnRef {
        match text.parse::<usize>() {
            Ok(n) if n > 0 => ColumnRef::Number(n),
            _ => ColumnRef::Name(text.to_string()),
        }
    }
}

/// Where each row's date comes from.
#[derive(Debug, Clone)]
pub enum DateSource {
    Column(ColumnRef),
    Fixed(QueryDate),
}

#[derive(Debug, Clone)]
pub struct ResolveTask {
    pub input: Input,
    pub name: ColumnRef,
    pub date: DateSource,
    pub calendar: crate::date::Calendar,
    pub headers: bool,
    pub delimiter: u8,
    /// Show progress on stderr (only when stderr is a terminal).
    pub progress: bool,
    /// `--strict`: a row with more or fewer fields than the header stops the run.
    pub strict: bool,
    /// `--format`: CSV, TSV or JSON Lines.
    pub format: crate::render::resolve::ResolveFormat,
    /// `--prefix` of the appended columns (`gz_` by default).
    pub prefix: String,
    /// `--date-order`, for the date column's numeric dates (03/12/1890).
    pub order: Option<crate::date::DateOrder>,
    /// `--pick first`: an ambiguous row takes its first candidate (status `picked`).
    pub pick: bool,
    /// `--country-column`: each row narrowed to the country its cell names.
    pub country: Option<ColumnRef>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Whether `lookup` and `at` search the built-in data.
    pub builtin: bool,
    /// The user's `--data` files, in the order given.
    pub data: Vec<Input>,
    pub skip_invalid: bool,
    /// `--type`, `--country`, `--fuzzy`.
    pub filter: crate::query::Filter,
    /// The folder for indexes of big `--data` files; `None` with `--no-cache`.
    pub cache: Option<std::path::PathBuf>,
    pub format: Format,
    pub style: Style,
    /// `--lang`: the languages of the names shown (every name still matches).
    pub langs: crate::lang::Langs,
    /// Show progress of long work on stderr (it is a terminal).
    pub progress: bool,
    pub task: Task,
}

pub(crate) fn input_of(p: &std::path::Path) -> Input {
    if p.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(p.to_path_buf())
    }
}

/// Words of a name typed without quotes are one name.
pub(crate) fn query_name(words: &[String]) -> Result<String, Error> {
    let name = words.join(" ").trim().to_string();
    if name.is_empty() {
        return Err(Error::Usage(
            "the name is empty: give the name of a place".to_string(),
        ));
    }
    Ok(name)
}

/// `check` with no file checks the built-in data; files as [`data_inputs`].
pub(crate) fn check_inputs(files: &[PathBuf]) -> Result<Vec<Input>, Error> {
    if files.is_empty() {
        return Ok(crate::builtin::inputs());
    }
    data_inputs(files)
}

/// The inputs of files named on the command line (`--data`, `check`, `index`): a
/// directory stands for its CSV files, in name order, except `links.csv`: in `data/` it
/// links curated places to their GeoNames twins (#18), and is no file of names (build.rs
/// refuses a bad one).
pub(crate) fn data_inputs(files: &[PathBuf]) -> Result<Vec<Input>, Error> {
    let mut inputs = Vec::new();
    for f in files {
        if f.is_dir() {
            let entries = std::fs::read_dir(f).map_err(|source| Error::Io {
                path: f.display().to_string(),
                source,
            })?;
            let mut csvs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                // `data/links.csv` links places to other gazetteers' ids: no names.
                .filter(|p| p.file_name().is_none_or(|n| n != "links.csv"))
                .collect();
            csvs.sort();
            if csvs.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: the directory has no .csv files: name the data files, or a directory that holds some",
                    f.display()
                )));
            }
            inputs.extend(csvs.into_iter().map(Input::File));
        } else {
            inputs.push(input_of(f));
        }
    }
    Ok(inputs)
}
