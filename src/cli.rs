//! The command line: what clap parses, and the entry point the binary calls.
//!
//! Owns argument syntax and help text only. Raw values become a [`Config`] (dates
//! parsed, inputs listed, colour decided) before any work starts; the commands in
//! `cmd/` then do the work.

use crate::config::{Config, Terminal};
use crate::date::Calendar;
use crate::error::{Error, ExitCode};
use crate::render::Format;
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
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,

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

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
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
        source_format: ImportFormat,
        /// The file ('-' for standard input).
        file: PathBuf,
        /// GeoNames: the geoname table (allCountries.txt, cities1000.txt ...) for coordinates,
        /// country and feature class. Pleiades: places.csv, for coordinates.
        #[arg(long, value_name = "FILE")]
        places: Option<PathBuf>,
    },
}

/// Runs the tool as the binary does, writing to the given streams. Never exits the process.
///
/// Flushes `stdout` before it returns: a write that fails (a full disk, a closed standard
/// output) ends the run with exit code 2 and a message, whatever the command was; only a
/// reader that went away (a closed pipe, `| head -1`) is not an error.
pub fn run<I, T>(
    args: I,
    terminal: &Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut closed = ClosedOutput;
    let stdout: &mut dyn Write = if terminal.stdout_closed {
        &mut closed
    } else {
        stdout
    };
    let result = parse_and_run(args, terminal, stdout, stderr);
    // What is still buffered must reach the reader too.
    let result = match (result, stdout.flush()) {
        (Ok(_), Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
        (result, _) => result,
    };
    match result {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => ExitCode::Answered,
        Err(e) => {
            // Messages quote file names and values as given: none may rewrite the screen.
            for line in e.to_string().lines() {
                let _ = writeln!(stderr, "gazetteer: {}", crate::render::sanitize(line));
            }
            e.exit_code()
        }
    }
}

fn parse_and_run<I, T>(
    args: I,
    terminal: &Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitCode, Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let parsed = match Args::try_parse_from(&args) {
        Ok(a) => a,
        Err(e) => return clap_message(&e, &args, terminal, stdout, stderr),
    };
    Config::new(parsed, terminal).and_then(|config| crate::cmd::run(&config, stdout, stderr))
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
        .map(|a| crate::render::sanitize(&a.to_string_lossy()).into_owned())
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

/// [`crate::render::sanitize`] line by line, keeping the line ends.
fn escape_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(l) => format!("{}\n", crate::render::sanitize(l)),
            None => crate::render::sanitize(line).into_owned(),
        })
        .collect()
}

/// Standard output when it was closed before the program started: it takes nothing.
struct ClosedOutput;

impl Write for ClosedOutput {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("standard output is closed"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
