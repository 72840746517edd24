//! The command line: what clap parses, and the configuration it becomes.
//!
//! Owns argument syntax, help text and the clap-facing enums, each mapped here onto a
//! plain one of `config` or `render`. Raw values become a [`Config`] (dates parsed, inputs
//! listed, colour decided) before any work starts; [`crate::run`] then hands it to the
//! commands in `cmd/`, which this module knows nothing of.

use crate::config::{
    ColumnRef, Config, DateSource, ImportFormat, ResolveTask, Task, Terminal, check_inputs,
    input_of, query_name,
};
use crate::date::{Calendar, parse_query};
use crate::error::{Error, ExitCode};
use crate::render::{Format, Style};
use crate::source::{DataFormat, Input};
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  gazetteer lookup Stalingrad                  every place that bore the name, with all its names
  gazetteer at 1958 Volgograd                  what the place called Volgograd was called in 1958
  gazetteer at 1961 Volgograd                  a renaming year: both names, and the day of the change
  gazetteer at 1914-08-18 --calendar julian Leningrad
                                               an Old Style date
  gazetteer lookup Kaliningrad --format csv    CSV for scripts (also --format json)
  gazetteer --data mine.csv at 1950 Foo        your rows added to the built-in data
  gazetteer check mine.csv                     validate a data file

Exit status:
  0  answered
  1  no place matches the name (close names are suggested on stderr)
  2  bad usage, invalid data, or the output could not be written";

/// A historical gazetteer: every name a place bore, and the name it bore on a date.
#[derive(Debug, Parser)]
#[command(name = "gazetteer", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Args {
    /// Read place names from this CSV file as well ('-' for standard input); may be repeated.
    #[arg(long, value_name = "FILE", global = true)]
    pub data: Vec<PathBuf>,

    /// Do not load the built-in data (use only --data files).
    #[arg(long, global = true)]
    pub no_default_data: bool,

    /// How to read --data files: by their extension (.geojson .jsonld .json .jsonl: Linked
    /// Places; .tsv: LP-TSV; else our CSV), or as the format named.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = DataFormatArg::Auto, global = true)]
    pub data_format: DataFormatArg,

    /// Skip invalid data rows (each is reported on stderr) instead of refusing the data.
    #[arg(long, global = true)]
    pub skip_invalid: bool,

    /// Do not read or write the index that speeds up lookups in big --data files
    /// (kept in $GAZETTEER_CACHE_DIR, else $XDG_CACHE_HOME/gazetteer, else ~/.cache/gazetteer).
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Only places of this type (city, town, mountain, ...), to pick among homonyms.
    #[arg(long = "type", value_name = "TYPE", global = true)]
    pub place_type: Option<String>,

    /// Only places in this country (ISO 3166-1 alpha-2 code, e.g. RU), to pick among homonyms.
    #[arg(long, value_name = "CC", global = true)]
    pub country: Option<String>,

    /// When no name matches, let the closest spellings answer (marked 'fuzzy').
    #[arg(long, global = true)]
    pub fuzzy: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table, global = true)]
    pub format: FormatArg,

    /// In CSV output, quote every field and put a ' before any that a spreadsheet would
    /// run as a formula (=, +, -, @ first), for files opened in Excel or LibreOffice.
    #[arg(long, global = true)]
    pub csv_safe: bool,

    /// When to use colour and box drawing in tables.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DataFormatArg {
    /// By the file's extension.
    #[default]
    Auto,
    /// Our CSV schema.
    Csv,
    /// Linked Places Format (GeoJSON-LD, JSON Lines).
    Lpf,
    /// LP-TSV, the World Historical Gazetteer's delimited format.
    #[value(name = "lp-tsv")]
    LpTsv,
}

/// Output formats of `lookup` and `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum FormatArg {
    /// Aligned columns for a person at a terminal.
    #[default]
    Table,
    /// CSV for scripts; `lookup` prints the data schema, so its output is valid `--data` input.
    Csv,
    /// One JSON array of places with their names.
    Json,
    /// Linked Places Format (GeoJSON-LD, as the World Historical Gazetteer reads it):
    /// `lookup` and `export` only.
    Lpf,
    /// LP-TSV, the World Historical Gazetteer's delimited format: `export` only, and lossy
    /// (stderr says what was lost).
    #[value(name = "lp-tsv")]
    LpTsv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Lpf => Format::Lpf,
            FormatArg::LpTsv => Format::LpTsv,
        }
    }
}

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormatArg {
    /// Linked Places Format (GeoJSON-LD, JSON Lines).
    Lpf,
    /// LP-TSV, the World Historical Gazetteer's delimited format.
    #[value(name = "lp-tsv")]
    LpTsv,
    /// GeoNames alternateNames(V2).txt, joined to a geoname table given with --places.
    Geonames,
    /// Pleiades names.csv, joined to its places.csv given with --places.
    Pleiades,
    /// Our own CSV schema (to check and normalise a file).
    Csv,
}

impl From<ImportFormatArg> for ImportFormat {
    fn from(f: ImportFormatArg) -> Self {
        match f {
            ImportFormatArg::Lpf => ImportFormat::Lpf,
            ImportFormatArg::LpTsv => ImportFormat::LpTsv,
            ImportFormatArg::Geonames => ImportFormat::Geonames,
            ImportFormatArg::Pleiades => ImportFormat::Pleiades,
            ImportFormatArg::Csv => ImportFormat::Csv,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour and boxes on a terminal, unless NO_COLOR is set or TERM=dumb.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CalendarArg {
    /// New Style (the default; data dates are always Gregorian).
    #[default]
    Gregorian,
    /// Old Style, as in pre-1918 Russian documents.
    Julian,
}

impl From<CalendarArg> for Calendar {
    fn from(c: CalendarArg) -> Self {
        match c {
            CalendarArg::Gregorian => Calendar::Gregorian,
            CalendarArg::Julian => Calendar::Julian,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every place that ever bore NAME, with its whole chronology of names.
    #[command(after_help = "Example:\n  gazetteer lookup Stalingrad")]
    Lookup {
        /// The name, in any era, language or case ('Stalingrad', 'stalingrad', 'Сталинград').
        #[arg(required = true, num_args = 1..)]
        name: Vec<String>,
    },
    /// Every place of the data (built-in, or --data files) in a format for other tools.
    #[command(after_help = "\
Examples:
  gazetteer export --format lpf > renamings.geojson     Linked Places (World Historical Gazetteer)
  gazetteer --no-default-data --data mine.csv export --format csv")]
    Export,
    /// Every name that starts with or contains TEXT (case, accents and script ignored).
    #[command(after_help = "\
Examples:
  gazetteer search stalin                  every name with 'stalin' in it
  gazetteer search grad --country RU       names with 'grad' of places in Russia
  gazetteer search Tsaritzin --fuzzy       near spellings too")]
    Search {
        /// The text to look for, in any script.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Show at most this many names (0: all).
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// The name or names a place bore on DATE.
    #[command(after_help = "\
Dates are EDTF: 1958, 1958-06, 1958-06-01, 196X (some year of the 1960s), 1961~ (approximate),
1961? (uncertain); BCE years as -0043 or 44BCE; a short year is that year (967 is 0967). A
year or month is a window: the answer says whether each name held throughout it (certain),
for part of it (partly, and the day it changed), was recorded in use in it (attested),
possibly held (possible: also a name whose start the data does not know), or has no dates at
all (undated).

The places that bore NAME on DATE answer, surest first; those that bore it only at other
times follow in one line, or, when none bore it on DATE, in full under a line that says so.

Examples:
  gazetteer at 1958 Volgograd
  gazetteer at 1961-11-10 Stalingrad
  gazetteer at 1914-08-18 --calendar julian Leningrad")]
    At {
        /// The date (EDTF: YYYY, YYYY-MM or YYYY-MM-DD; -0043 or 44BCE before the common era).
        #[arg(allow_hyphen_values = true)]
        date: String,
        /// The name, in any era, language or case.
        #[arg(required = true, num_args = 1..)]
        name: Vec<String>,
        /// The calendar DATE is written in.
        #[arg(long, value_enum, default_value_t = CalendarArg::Gregorian)]
        calendar: CalendarArg,
    },
    /// Annotate every row of a CSV file with the place its name denotes and the name it bore.
    #[command(after_help = "\
Every input row comes out once, in order, byte for byte, followed by the columns
gz_place_id, gz_name, gz_current_name, gz_match, gz_name_period (of the name that
matched), gz_certainty (the words of `at`) and gz_status (ok, ambiguous, out_of_period,
not_found, no_name_at_date, bad_date, no_date, empty_name, ragged_row). The date chooses
among the places that bore the name: out_of_period when none bore it then. Several answers
(places, or names of one place) are joined by '|', the k-th value of each column belonging
together; a '|' or '\\' inside a value is escaped by a '\\'. A row with more or fewer
fields than the header (with --no-headers, the first row) is not looked up: it is
ragged_row, a short row is padded with empty fields and a long row's extra fields follow
the gz_ columns, so they stand under their headers. A summary goes to stderr.
Exit status is 0 when every row could be read, 2 when the input is broken (or, with
--strict, at the first ragged row).

Examples:
  gazetteer resolve records.csv --name-column birthplace --date-column birth_date > out.csv
  cut -d, -f3,5 letters.csv | gazetteer resolve - --name-column 1 --date 1950
  gazetteer resolve places.tsv --delimiter tab --no-headers --name-column 2 --date-column 3")]
    Resolve {
        /// The CSV file to annotate ('-' for standard input).
        input: PathBuf,
        /// The column holding place names: a header name, or a 1-based number.
        #[arg(long, value_name = "COLUMN")]
        name_column: String,
        /// The column holding dates (EDTF): a header name, or a 1-based number.
        #[arg(
            long,
            value_name = "COLUMN",
            conflicts_with = "date",
            required_unless_present = "date"
        )]
        date_column: Option<String>,
        /// One date for every row, instead of --date-column.
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// The input has no header row (columns are then named by number).
        #[arg(long)]
        no_headers: bool,
        /// The field delimiter: one character, or 'tab'.
        #[arg(long, default_value = ",", value_name = "CHAR")]
        delimiter: String,
        /// The calendar the dates are written in.
        #[arg(long, value_enum, default_value_t = CalendarArg::Gregorian)]
        calendar: CalendarArg,
        /// Stop with exit 2 at the first row with more or fewer fields than the header,
        /// instead of marking it ragged_row.
        #[arg(long)]
        strict: bool,
    },
    /// Validate data files: every error and warning with its file and line.
    #[command(after_help = "\
With no FILE, checks the built-in data. A directory stands for the .csv files in it.
Exit status is 0 when there is no error (warnings alone do not fail).

Examples:
  gazetteer check mine.csv
  gazetteer check data/")]
    Check {
        /// Files or directories to check ('-' for standard input).
        files: Vec<PathBuf>,
    },
    /// Converts another gazetteer's file into our CSV schema, on standard output.
    #[command(after_help = "\
Examples:
  gazetteer import lpf places.geojson > mine.csv
  gazetteer import lp-tsv crimea.tsv > crimea.csv
  gazetteer import geonames alternateNamesV2.txt --places cities1000.txt > gn.csv
  gazetteer import pleiades names.csv --places places.csv > pleiades.csv
Then: gazetteer --data mine.csv lookup NAME")]
    Import {
        /// The file's format.
        #[arg(value_enum, value_name = "FORMAT")]
        source_format: ImportFormatArg,
        /// The file ('-' for standard input).
        file: PathBuf,
        /// GeoNames: the geoname table (allCountries.txt, cities1000.txt ...) for coordinates,
        /// country and feature class. Pleiades: places.csv, for coordinates.
        #[arg(long, value_name = "FILE")]
        places: Option<PathBuf>,
    },
    /// Builds the stores of data files now, so that the first query is as fast as the
    /// next (a query builds them on first use otherwise).
    #[command(after_help = "\
The stores are those of `gazetteer --data FILE... COMMAND`, in the cache folder
($GAZETTEER_CACHE_DIR, else $XDG_CACHE_HOME/gazetteer, else ~/.cache/gazetteer).
Files under 1 MB get none: they are read whole faster than a store is opened.

Examples:
  gazetteer index places.csv
  gazetteer --no-default-data index a.csv b.csv")]
    Index {
        /// The data files, as they will be given with --data.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// What the command line asks for.
pub enum Parsed {
    /// Work for a command, with its resolved configuration.
    Run(Box<Config>),
    /// Nothing more to do: clap's help, version or usage error was shown; exit with this code.
    Done(ExitCode),
}

/// Parses the arguments and builds the configuration, or shows what clap has to say.
pub fn parse<I, T>(
    args: I,
    terminal: &Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<Parsed, Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let parsed = match Args::try_parse_from(&args) {
        Ok(a) => a,
        Err(e) => return clap_message(&e, &args, terminal, stdout, stderr).map(Parsed::Done),
    };
    Config::new(parsed, terminal).map(|config| Parsed::Run(Box::new(config)))
}

/// Shows what clap has to say: help and version on stdout (a failed write is an error
/// like any other), usage errors on stderr. A usage error quotes the argument as typed,
/// so when an argument holds a character that could rewrite the screen, the message is
/// the one clap gives for the arguments with such characters escaped.
fn clap_message(
    e: &clap::Error,
    args: &[OsString],
    terminal: &Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let to_stderr = e.use_stderr();
    let on_terminal = if to_stderr {
        terminal.stderr_is_terminal
    } else {
        terminal.stdout_is_terminal
    };
    let styled = on_terminal && !terminal.no_color && !terminal.dumb;
    let render = |e: &clap::Error| {
        if styled {
            e.render().ansi().to_string()
        } else {
            e.render().to_string()
        }
    };
    let escaped: Vec<String> = args
        .iter()
        .map(|a| crate::text::sanitize(&a.to_string_lossy()).into_owned())
        .collect();
    let unsafe_arg = args
        .iter()
        .zip(&escaped)
        .any(|(a, e)| a.to_str() != Some(e));
    let text = if !unsafe_arg {
        render(e)
    } else {
        match Args::try_parse_from(&escaped) {
            Err(again) if again.kind() == e.kind() => render(&again),
            // (Escaping changed what clap makes of the arguments: its own message, plain.)
            _ => escape_lines(&e.render().to_string()),
        }
    };
    if to_stderr {
        let _ = stderr.write_all(text.as_bytes());
        Ok(ExitCode::Invalid)
    } else {
        stdout.write_all(text.as_bytes()).map_err(Error::Output)?;
        Ok(ExitCode::Answered)
    }
}

/// [`crate::text::sanitize`] line by line, keeping the line ends.
fn escape_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(l) => format!("{}\n", crate::text::sanitize(l)),
            None => crate::text::sanitize(line).into_owned(),
        })
        .collect()
}

// The second parse: what clap gave, checked and turned into the configuration.

impl Config {
    pub fn new(args: Args, terminal: &Terminal) -> Result<Config, Error> {
        let builtin = !args.no_default_data;
        let format = Format::from(args.format);
        let as_format = |i: Input| match args.data_format {
            DataFormatArg::Auto => i,
            DataFormatArg::Csv => Input::As(Box::new(i), DataFormat::Csv),
            DataFormatArg::Lpf => Input::As(Box::new(i), DataFormat::Lpf),
            DataFormatArg::LpTsv => Input::As(Box::new(i), DataFormat::LpTsv),
        };
        let mut data: Vec<Input> = args.data.iter().map(|p| as_format(input_of(p))).collect();
        if let Command::Index { files } = &args.command {
            data.extend(files.iter().map(|p| as_format(input_of(p))));
        }
        // `check FILE` and `import` read only their own files.
        let checking = matches!(&args.command, Command::Check { files } if !files.is_empty())
            || matches!(&args.command, Command::Import { .. });
        if !builtin && data.is_empty() && !checking {
            return Err(Error::Usage(
                "no data to search: --no-default-data needs at least one --data FILE".to_string(),
            ));
        }
        let resolve_stdin =
            matches!(&args.command, Command::Resolve { input, .. } if input.as_os_str() == "-");
        let import_stdin = match &args.command {
            Command::Import { file, places, .. } => {
                usize::from(file.as_os_str() == "-")
                    + usize::from(places.as_ref().is_some_and(|p| p.as_os_str() == "-"))
            }
            _ => 0,
        };
        let is_stdin = |i: &Input| match i {
            Input::As(inner, _) => **inner == Input::Stdin,
            i => *i == Input::Stdin,
        };
        let stdin_uses =
            data.iter().filter(|i| is_stdin(i)).count() + usize::from(resolve_stdin) + import_stdin;
        if stdin_uses > 1 {
            return Err(Error::Usage(
                "standard input ('-') can be read only once".to_string(),
            ));
        }
        let filter = filter_of(&args)?;
        if format == Format::LpTsv && !matches!(args.command, Command::Export) {
            return Err(Error::Usage(
                "--format lp-tsv writes places for the World Historical Gazetteer: use it with export"
                    .to_string(),
            ));
        }
        if format == Format::Lpf
            && !matches!(args.command, Command::Lookup { .. } | Command::Export)
        {
            return Err(Error::Usage(
                "--format lpf writes places: use it with lookup or export".to_string(),
            ));
        }
        let task = match args.command {
            Command::Lookup { name } => Task::Lookup {
                name: query_name(&name)?,
            },
            Command::Export => {
                if !matches!(format, Format::Lpf | Format::Csv | Format::LpTsv) {
                    return Err(Error::Usage(
                        "export writes --format lpf (Linked Places), --format lp-tsv or --format csv"
                            .to_string(),
                    ));
                }
                Task::Export
            }
            Command::Search { text, limit } => Task::Search {
                text: query_name(&text)?,
                limit,
            },
            Command::At {
                date,
                name,
                calendar,
            } => {
                let date = parse_query(&date, calendar.into()).map_err(|e| {
                    Error::Usage(format!(
                        "{e}: give the date as 1958, 1958-06 or 1958-06-01 (EDTF)"
                    ))
                })?;
                Task::At {
                    date,
                    name: query_name(&name)?,
                }
            }
            Command::Resolve {
                input,
                name_column,
                date_column,
                date,
                no_headers,
                delimiter,
                calendar,
                strict,
            } => {
                let calendar = calendar.into();
                let date = match (date_column, date) {
                    (Some(col), _) => DateSource::Column(ColumnRef::parse(&col)),
                    (None, Some(d)) => {
                        DateSource::Fixed(parse_query(&d, calendar).map_err(|e| {
                            Error::Usage(format!(
                                "--date: {e}: give the date as 1958, 1958-06 or 1958-06-01 (EDTF)"
                            ))
                        })?)
                    }
                    (None, None) => {
                        return Err(Error::Usage(
                            "give --date-column COLUMN or --date DATE".into(),
                        ));
                    }
                };
                let delimiter = match delimiter.as_str() {
                    "tab" | "\\t" | "\t" => b'\t',
                    d if d.len() == 1 && d.is_ascii() && d != "\"" && d != "\n" && d != "\r" => {
                        d.as_bytes()[0]
                    }
                    d => {
                        return Err(Error::Usage(format!(
                            "--delimiter '{d}' is not one ASCII character: use e.g. ',', ';', '|' or 'tab'"
                        )));
                    }
                };
                let name = ColumnRef::parse(&name_column);
                if no_headers {
                    for c in [
                        Some(&name),
                        if let DateSource::Column(c) = &date {
                            Some(c)
                        } else {
                            None
                        },
                    ]
                    .into_iter()
                    .flatten()
                    {
                        if let ColumnRef::Name(n) = c {
                            return Err(Error::Usage(format!(
                                "column '{n}': with --no-headers, name columns by number (1 is the first)"
                            )));
                        }
                    }
                }
                Task::Resolve(ResolveTask {
                    input: input_of(&input),
                    name,
                    date,
                    calendar,
                    headers: !no_headers,
                    delimiter,
                    progress: terminal.stderr_is_terminal,
                    strict,
                })
            }
            Command::Index { .. } => Task::Index {
                progress: terminal.stderr_is_terminal,
            },
            Command::Check { files } => Task::Check {
                inputs: check_inputs(&files)?.into_iter().map(as_format).collect(),
            },
            Command::Import {
                source_format: format,
                file,
                places,
            } => {
                let format = ImportFormat::from(format);
                let needs_places =
                    matches!(format, ImportFormat::Geonames | ImportFormat::Pleiades);
                if places.is_some() && !needs_places {
                    return Err(Error::Usage(
                        "--places goes with import geonames (the geoname table) or import pleiades (places.csv)"
                            .to_string(),
                    ));
                }
                Task::Import {
                    format,
                    input: input_of(&file),
                    places: places.map(|p| input_of(&p)),
                }
            }
        };
        let ansi = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal.stdout_is_terminal && !terminal.no_color && !terminal.dumb
            }
        };
        let style = Style {
            boxes: args.color == ColorChoice::Always
                || (args.color == ColorChoice::Auto
                    && terminal.stdout_is_terminal
                    && !terminal.dumb),
            ansi,
            width: if terminal.stdout_is_terminal {
                terminal.width
            } else {
                None
            },
            csv_safe: args.csv_safe,
        };
        Ok(Config {
            builtin,
            data,
            skip_invalid: args.skip_invalid,
            filter,
            cache: if args.no_cache {
                None
            } else {
                terminal.cache_dir.clone()
            },
            format,
            style,
            task,
        })
    }
}

fn filter_of(args: &Args) -> Result<crate::query::Filter, Error> {
    let country = match args.country.as_deref().map(str::trim) {
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(c) => {
            return Err(Error::Usage(format!(
                "--country '{c}' is not an ISO 3166-1 alpha-2 code: give two letters such as RU or DE"
            )));
        }
        None => None,
    };
    let kind = match args.place_type.as_deref().map(str::trim) {
        Some("") => {
            return Err(Error::Usage(
                "--type is empty: give a type such as city, town or mountain, or leave --type out"
                    .to_string(),
            ));
        }
        kind => kind.map(str::to_lowercase),
    };
    Ok(crate::query::Filter {
        kind,
        country,
        fuzzy: args.fuzzy,
    })
}
