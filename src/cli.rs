//! The command line: what clap parses, and the configuration it becomes.
//!
//! Owns argument syntax, help text and the clap-facing enums, each mapped here onto a
//! plain one of `config` or `render`. Raw values become a [`Config`] (dates parsed, inputs
//! listed, colour decided) before any work starts; [`crate::run`] then hands it to the
//! commands in `cmd/`, which this module knows nothing of.

use crate::config::{
    CheckFormat, ColumnRef, Config, DateSource, ResolveTask, Task, Terminal, check_inputs,
    data_inputs, input_of, query_name,
};
use crate::date::{ACCEPTED_FORMS, Calendar, DateOrder, parse_query_in};
use crate::error::{Error, ExitCode};
use crate::render::resolve::ResolveFormat;
use crate::render::{Format, Style};
use crate::source::{Format as DataFormat, Input};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
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

Each command's help lists its options (gazetteer lookup --help); they may also be given before
the command, as --data is above.

Exit status:
  0  answered
  1  no place matches the name (close names are suggested on stderr)
  2  bad usage, invalid data, or the output could not be written";

/// A historical gazetteer: every name a place bore, and the name it bore on a date.
#[derive(Debug, Parser)]
#[command(name = "gazetteer", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Args {
    // The options of every command, accepted before the command name too (hidden from
    // the top-level help: each command's help lists those it takes).
    #[command(flatten)]
    pub before: Before,

    #[command(subcommand)]
    pub command: Command,
}

/// Options given before the command name: merged with the command's own, and refused
/// when the command does not take them.
#[derive(Debug, Default, clap::Args)]
pub struct Before {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub matching: MatchArgs,
    #[arg(short, long, value_name = "FORMAT", value_parser = Formats(FormatArg::ALL))]
    pub format: Option<FormatArg>,
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,
    #[command(flatten)]
    pub show: ShowArgs,
}

/// Where the places come from: the commands that read data.
#[derive(Debug, Default, Clone, clap::Args)]
#[command(next_help_heading = "Data")]
pub struct DataArgs {
    /// Read place names from this CSV file as well ('-' for standard input; a directory
    /// for its .csv files); may be repeated.
    #[arg(short, long, value_name = "FILE")]
    pub data: Vec<PathBuf>,

    /// Do not load the built-in data (use only --data files).
    #[arg(long)]
    pub no_default_data: bool,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Skip invalid data rows (each is reported on stderr) instead of refusing the data.
    #[arg(long)]
    pub skip_invalid: bool,

    /// Do not read or write the store that speeds up queries of big --data files (kept in
    /// $GAZETTEER_CACHE_DIR, else $XDG_CACHE_HOME/gazetteer, else ~/.cache/gazetteer), and
    /// read the built-in data itself instead of its store compiled into the binary.
    #[arg(long)]
    pub no_cache: bool,
}

/// How data files are read: every command that reads them, `check` included.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ReadArgs {
    /// How to read data files: by their extension (.geojson .jsonld .json .jsonl: Linked
    /// Places; .tsv: LP-TSV; else our CSV), or as the format named [default: auto].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub data_format: Option<DataFormatArg>,
}

/// Which places may answer, among homonyms: `export` takes these.
#[derive(Debug, Default, Clone, clap::Args)]
#[command(next_help_heading = "Choosing places")]
pub struct NarrowArgs {
    /// Only places of this type (city, town, mountain, ...), to pick among homonyms.
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub place_type: Option<String>,

    /// Only places in this country (ISO 3166-1 alpha-2 code, e.g. RU), to pick among homonyms.
    #[arg(short, long, value_name = "CC")]
    pub country: Option<String>,
}

/// Which places answer a name: the commands that match names.
#[derive(Debug, Default, Clone, clap::Args)]
#[command(next_help_heading = "Choosing places")]
pub struct MatchArgs {
    #[command(flatten)]
    pub narrow: NarrowArgs,

    /// When no name matches, let the closest spellings answer (marked 'fuzzy').
    #[arg(short = 'Z', long)]
    pub fuzzy: bool,
}

/// How answers are shown: the commands that answer with places.
#[derive(Debug, Default, Clone, clap::Args)]
#[command(next_help_heading = "Output")]
pub struct ShowArgs {
    /// Show only names in these languages (BCP 47, comma-separated: 'de' is de and de-AT,
    /// 'ru-Latn' only ru-Latn); every name still matches.
    #[arg(short, long, value_name = "LANG[,LANG...]", value_delimiter = ',')]
    pub lang: Vec<String>,

    #[command(flatten)]
    pub csv: CsvArgs,

    /// In tables, show every name of a place, also the undated variants a GeoNames place
    /// has dozens of (by default they are counted: '+31 variants').
    #[arg(long)]
    pub all_names: bool,

    /// When to use colour and box drawing in tables [default: auto].
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,
}

/// CSV output for spreadsheets.
#[derive(Debug, Default, Clone, clap::Args)]
#[command(next_help_heading = "Output")]
pub struct CsvArgs {
    /// In CSV output, quote every field and put a ' before any that a spreadsheet would
    /// run as a formula (=, +, -, @ first), for files opened in Excel or LibreOffice.
    #[arg(long)]
    pub csv_safe: bool,
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

/// `None` for `auto`: the format goes by the file's extension.
impl From<DataFormatArg> for Option<DataFormat> {
    fn from(f: DataFormatArg) -> Self {
        match f {
            DataFormatArg::Auto => None,
            DataFormatArg::Csv => Some(DataFormat::Csv),
            DataFormatArg::Lpf => Some(DataFormat::Lpf),
            DataFormatArg::LpTsv => Some(DataFormat::LpTsv),
        }
    }
}

/// Output formats; each command takes some of them (see `Command::formats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum FormatArg {
    /// Aligned columns for a person at a terminal.
    #[default]
    Table,
    /// One line each.
    Text,
    /// CSV for scripts (`lookup` and `export` write the data schema: valid `--data` input).
    Csv,
    /// One JSON array.
    Json,
    /// Linked Places Format (GeoJSON-LD, as the World Historical Gazetteer reads it).
    Lpf,
    /// LP-TSV, the World Historical Gazetteer's delimited format: lossy (stderr says what
    /// was lost).
    #[value(name = "lp-tsv")]
    LpTsv,
    /// The timeline of `lookup` as a standalone SVG picture.
    Svg,
    /// Tab-separated values: `resolve` only.
    Tsv,
    /// JSON Lines, one object per row: `resolve` only.
    Jsonl,
}

impl FormatArg {
    const ALL: &'static [FormatArg] = &[
        FormatArg::Table,
        FormatArg::Text,
        FormatArg::Csv,
        FormatArg::Json,
        FormatArg::Lpf,
        FormatArg::LpTsv,
        FormatArg::Svg,
        FormatArg::Tsv,
        FormatArg::Jsonl,
    ];
    const LOOKUP: &'static [FormatArg] = &[
        FormatArg::Table,
        FormatArg::Csv,
        FormatArg::Json,
        FormatArg::Lpf,
        FormatArg::Svg,
    ];
    const ANSWER: &'static [FormatArg] = &[FormatArg::Table, FormatArg::Csv, FormatArg::Json];
    const EXPORT: &'static [FormatArg] = &[FormatArg::Csv, FormatArg::Lpf, FormatArg::LpTsv];
    const CHECK: &'static [FormatArg] = &[FormatArg::Text, FormatArg::Json, FormatArg::Csv];
    /// What `resolve` writes: rows of the input, with the answer's columns.
    const RESOLVE: &'static [FormatArg] = &[FormatArg::Csv, FormatArg::Tsv, FormatArg::Jsonl];

    fn name(self) -> &'static str {
        match self {
            FormatArg::Table => "table",
            FormatArg::Text => "text",
            FormatArg::Csv => "csv",
            FormatArg::Json => "json",
            FormatArg::Lpf => "lpf",
            FormatArg::LpTsv => "lp-tsv",
            FormatArg::Svg => "svg",
            FormatArg::Tsv => "tsv",
            FormatArg::Jsonl => "jsonl",
        }
    }
}

/// Why `command` refuses `--format f`, naming the formats it writes.
fn refused(command: &str, f: FormatArg, writes: &[FormatArg]) -> String {
    let names: Vec<&str> = writes.iter().map(|w| w.name()).collect();
    let (last, first) = names.split_last().unwrap_or((&"", &[]));
    let list = if first.is_empty() {
        last.to_string()
    } else {
        format!("{} or {last}", first.join(", "))
    };
    let hint = match f {
        FormatArg::Lpf => "; --format lpf writes places: use it with lookup or export",
        FormatArg::LpTsv => {
            "; --format lp-tsv writes places for the World Historical Gazetteer: use it with export"
        }
        FormatArg::Text => "; --format text is check's",
        FormatArg::Svg => {
            "; --format svg draws the timeline of lookup: gazetteer lookup NAME --format svg"
        }
        FormatArg::Tsv => "; --format tsv is resolve's",
        FormatArg::Jsonl => "; --format jsonl is resolve's",
        _ => "",
    };
    format!(
        "--format {} is not one that {command} writes: it writes {list}{hint}",
        f.name()
    )
}

/// A `--format` that takes only the formats its command writes: help, completions and the
/// message for any other value name just those.
#[derive(Clone)]
struct Formats(&'static [FormatArg]);

impl Formats {
    fn possible(&self) -> impl Iterator<Item = clap::builder::PossibleValue> + '_ {
        self.0.iter().filter_map(ValueEnum::to_possible_value)
    }
}

impl clap::builder::TypedValueParser for Formats {
    type Value = FormatArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FormatArg, clap::Error> {
        let other = FormatArg::ALL
            .iter()
            .find(|f| value.to_str() == Some(f.name()) && !self.0.contains(f));
        if let Some(&f) = other {
            let mut cmd = cmd.clone();
            let message = refused(cmd.get_name(), f, self.0);
            return Err(cmd.error(clap::error::ErrorKind::InvalidValue, message));
        }
        let name =
            clap::builder::PossibleValuesParser::new(self.possible()).parse_ref(cmd, arg, value)?;
        // (The parser above accepted only names of `self.0`.)
        Ok(self
            .0
            .iter()
            .copied()
            .find(|f| f.name() == name)
            .unwrap_or(self.0[0]))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(self.possible()))
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            // (`text` is check's own, which writes its problems itself.)
            FormatArg::Table | FormatArg::Text => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Lpf => Format::Lpf,
            FormatArg::LpTsv => Format::LpTsv,
            FormatArg::Svg => Format::Svg,
            // Resolve's own: it takes its format from `ResolveTask::format`.
            FormatArg::Tsv | FormatArg::Jsonl => Format::Csv,
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

impl From<ImportFormatArg> for DataFormat {
    fn from(f: ImportFormatArg) -> Self {
        match f {
            ImportFormatArg::Lpf => DataFormat::Lpf,
            ImportFormatArg::LpTsv => DataFormat::LpTsv,
            ImportFormatArg::Geonames => DataFormat::Geonames,
            ImportFormatArg::Pleiades => DataFormat::Pleiades,
            ImportFormatArg::Csv => DataFormat::Csv,
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
    /// New Style (the default; data dates are always Gregorian); also 'ns'.
    #[default]
    #[value(alias = "ns")]
    Gregorian,
    /// Old Style, as in pre-1918 Russian documents; also 'os'.
    #[value(alias = "os")]
    Julian,
}

/// `resolve --pick`: what a row that several places answer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum PickArg {
    /// Every candidate, status ambiguous (the default).
    #[default]
    None,
    /// The first candidate (the surest), status picked; the others in gz_other_place_ids.
    First,
}

/// `--date-order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    /// Day, month, year: 03/12/1890 is 3 December 1890.
    Dmy,
    /// Month, day, year: 03/12/1890 is 12 March 1890.
    Mdy,
}

impl From<DateOrderArg> for DateOrder {
    fn from(o: DateOrderArg) -> Self {
        match o {
            DateOrderArg::Dmy => DateOrder::Dmy,
            DateOrderArg::Mdy => DateOrder::Mdy,
        }
    }
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
    #[command(after_help = "\
Examples:
  gazetteer lookup Stalingrad
  gazetteer lookup Stalingrad --timeline       the chronology as a picture
  gazetteer lookup Stalingrad -f svg > volgograd.svg   the same picture as SVG
  gazetteer lookup Kaliningrad -l de,ru        only the German and Russian names
  gazetteer lookup Kaliningrad -f json         JSON for scripts (also csv, lpf)")]
    Lookup {
        /// The name, in any era, language or case ('Stalingrad', 'stalingrad', 'Сталинград').
        #[arg(required = true, num_args = 1..)]
        name: Vec<String>,
        /// Draw the chronology: one bar per name on a time axis, fitted to the terminal
        /// (or COLUMNS), coloured by kind; with --format svg, as an SVG picture.
        #[arg(long)]
        timeline: bool,
        /// Output format [default: table].
        #[arg(short, long, value_name = "FORMAT", value_parser = Formats(FormatArg::LOOKUP))]
        format: Option<FormatArg>,
        #[command(flatten)]
        show: ShowArgs,
        #[command(flatten)]
        matching: MatchArgs,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Every place of the data (built-in, or --data files) in a format for other tools.
    #[command(after_help = "\
Examples:
  gazetteer export --format lpf > renamings.geojson     Linked Places (World Historical Gazetteer)
  gazetteer --no-default-data --data mine.csv export --format csv")]
    Export {
        /// Output format [default: csv].
        #[arg(short, long, value_name = "FORMAT", value_parser = Formats(FormatArg::EXPORT))]
        format: Option<FormatArg>,
        #[command(flatten)]
        csv: CsvArgs,
        #[command(flatten)]
        narrow: NarrowArgs,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Every name that starts with or contains TEXT (case, accents and script ignored).
    #[command(after_help = "\
Examples:
  gazetteer search stalin                  every name with 'stalin' in it
  gazetteer search grad --country RU       names with 'grad' of places in Russia
  gazetteer search Koenigsb                spelling variants too (Königsberg)
  gazetteer search Tsaritsnyn --fuzzy      near spellings too")]
    Search {
        /// The text to look for, in any script.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Show at most this many names (0: all).
        #[arg(short = 'n', long, default_value_t = 20)]
        limit: usize,
        /// Output format [default: table].
        #[arg(short, long, value_name = "FORMAT", value_parser = Formats(FormatArg::ANSWER))]
        format: Option<FormatArg>,
        #[command(flatten)]
        show: ShowArgs,
        #[command(flatten)]
        matching: MatchArgs,
        #[command(flatten)]
        data: DataArgs,
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
        #[arg(long, value_enum, ignore_case = true, default_value_t = CalendarArg::Gregorian)]
        calendar: CalendarArg,
        /// How to read dates whose day and month are both numbers (03/12/1890): dmy is
        /// 3 December, mdy 12 March. Without it such dates are refused.
        #[arg(long, value_enum, value_name = "ORDER")]
        date_order: Option<DateOrderArg>,
        /// Output format [default: table].
        #[arg(short, long, value_name = "FORMAT", value_parser = Formats(FormatArg::ANSWER))]
        format: Option<FormatArg>,
        #[command(flatten)]
        show: ShowArgs,
        #[command(flatten)]
        matching: MatchArgs,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Annotate every row of a CSV file with the place its name denotes and the name it bore.
    #[command(after_help = "\
Every input row comes out once, in order, byte for byte, followed by the columns
gz_place_id, gz_name, gz_current_name, gz_match, gz_name_period (of the name that
matched), gz_certainty (the words of `at`) and gz_status (ok, ambiguous, picked,
out_of_period, not_found, no_name_at_date, bad_date, bad_country, no_date, empty_name,
ragged_row), then gz_date_problem (why a bad_date row's date could not be read). --prefix P
names them P... instead of gz_...; --format tsv or jsonl (JSON Lines) instead of CSV. The
date chooses among the places that bore the name: out_of_period when none bore it then.
With --pick first, a row that several places answer takes the first (the surest): its
status is picked and the column gz_other_place_ids follows, listing the others.
With --country-column COL, each row is narrowed to the country its cell names (a code, DE
or DEU, or a name: Germany, Deutschland, Allemagne), instead of --country; an empty cell
narrows by --country alone. A cell that names no country makes the row bad_country
(answered as if the cell were empty), and the column gz_country_problem, last, says why.
Several answers
(places, or names of one place) are joined by '|', the k-th value of each column belonging
together; a '|' or '\\' inside a value is escaped by a '\\'. A row with more or fewer
fields than the header (with --no-headers, the first row) is not looked up: it is
ragged_row, a short row is padded with empty fields and a long row's extra fields follow
the gz_ columns, so they stand under their headers. A summary goes to stderr.
Exit status is 0 when every row could be read, whatever the rows' statuses (ambiguous,
picked, bad_date and bad_country rows too: the summary counts them), 2 when the input is
broken or a column is missing (or, with --strict, at the first ragged row).

Examples:
  gazetteer resolve records.csv --name-column birthplace --date-column birth_date > out.csv
  cut -d, -f3,5 letters.csv | gazetteer resolve - --name-column 1 --date 1950
  gazetteer resolve places.tsv --delimiter tab --no-headers --name-column 2 --date-column 3
  gazetteer resolve births.csv --name-column place --date-column born --country-column country
  gazetteer resolve births.csv --name-column place --date-column born --pick first
  gazetteer resolve people.csv --name-column birth_place --date-column birth_date --prefix birth_ |
    gazetteer resolve - --name-column death_place --date-column death_date --prefix death_")]
    Resolve {
        /// The CSV file to annotate ('-' for standard input).
        input: PathBuf,
        /// The column holding place names: a header name, or a 1-based number.
        #[arg(long, value_name = "COLUMN")]
        name_column: String,
        /// The column holding dates (EDTF, or as records write them: ABT 1890, 12 MAR 1890):
        /// a header name, or a 1-based number.
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
        #[arg(long, value_enum, ignore_case = true, default_value_t = CalendarArg::Gregorian)]
        calendar: CalendarArg,
        /// How to read dates whose day and month are both numbers (03/12/1890): dmy is
        /// 3 December, mdy 12 March. Without it such dates are refused.
        #[arg(long, value_enum, value_name = "ORDER")]
        date_order: Option<DateOrderArg>,
        /// Stop with exit 2 at the first row with more or fewer fields than the header,
        /// instead of marking it ragged_row.
        #[arg(long)]
        strict: bool,
        /// The prefix of the added columns, instead of gz_: resolve a file twice, once
        /// per name column, with --prefix birth_ and --prefix death_.
        #[arg(long, value_name = "PREFIX", default_value = "gz_")]
        prefix: String,
        /// What a row that several places answer takes: none (all of them, status
        /// ambiguous), or first (the first, status picked; the others in
        /// gz_other_place_ids).
        #[arg(long, value_enum, value_name = "WHICH", default_value_t = PickArg::None)]
        pick: PickArg,
        /// The column holding each row's country, to narrow its places to it: an ISO
        /// 3166-1 code (DE, DEU) or a name (Germany, Deutschland); a header name, or a
        /// 1-based number. A row's country takes the place of --country.
        #[arg(long, value_name = "COLUMN")]
        country_column: Option<String>,
        /// Output format [default: csv].
        #[arg(short, long, value_name = "FORMAT", value_parser = Formats(FormatArg::RESOLVE))]
        format: Option<FormatArg>,
        #[command(flatten)]
        csv: CsvArgs,
        #[command(flatten)]
        matching: MatchArgs,
        #[command(flatten)]
        data: DataArgs,
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
        /// Output format: text (one problem a line), or json or csv (file, line, column,
        /// severity, message: for editors and CI) [default: text].
        #[arg(short, long, value_name = "FORMAT", value_parser = Formats(FormatArg::CHECK))]
        format: Option<FormatArg>,
        /// Check this file too, as given to other commands (FILE is the same); may be
        /// repeated.
        #[arg(short, long, value_name = "FILE", help_heading = "Data")]
        data: Vec<PathBuf>,
        /// Check FILE alone, not with the built-in data it would be merged with.
        #[arg(long, help_heading = "Data")]
        no_default_data: bool,
        #[command(flatten)]
        read: ReadArgs,
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
        /// Skip invalid rows (each is reported on stderr) instead of refusing the file.
        #[arg(long)]
        skip_invalid: bool,
        // Accepted as before #20, and without effect: import reads only its own files.
        #[arg(long, hide = true)]
        no_default_data: bool,
        #[command(flatten)]
        csv: CsvArgs,
    },
    /// Shell completions on standard output (bash, zsh, fish, powershell, elvish).
    #[command(after_help = "\
Examples:
  gazetteer completions bash > ~/.local/share/bash-completion/completions/gazetteer
  gazetteer completions zsh > ~/.zfunc/_gazetteer       (with fpath+=(~/.zfunc) in .zshrc)
  gazetteer completions fish > ~/.config/fish/completions/gazetteer.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on standard output.
    #[command(after_help = "\
Examples:
  gazetteer man | man -l -
  gazetteer man > ~/.local/share/man/man1/gazetteer.1")]
    Man,
    /// Builds the store of data files now, so that the first query is as fast as the
    /// next (a query builds it on first use otherwise).
    #[command(after_help = "\
The store is the one of `gazetteer --data FILE... COMMAND` (lookup, at and resolve all
answer from it), in the cache folder
($GAZETTEER_CACHE_DIR, else $XDG_CACHE_HOME/gazetteer, else ~/.cache/gazetteer).
Files under 1 MB get none: they are read whole faster than a store is opened.

Examples:
  gazetteer index places.csv
  gazetteer --no-default-data index a.csv b.csv")]
    Index {
        /// The data files, as they will be given with --data.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        data: DataArgs,
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
    let parsed = match try_parse(&args) {
        Ok(a) => a,
        Err(e) => return clap_message(&e, &args, terminal, stdout, stderr).map(Parsed::Done),
    };
    match parsed.command {
        Command::Completions { shell } => {
            crate::generate::completions(command(), shell, stdout).map_err(Error::Output)?;
            Ok(Parsed::Done(ExitCode::Answered))
        }
        Command::Man => {
            crate::generate::man(command(), stdout).map_err(Error::Output)?;
            Ok(Parsed::Done(ExitCode::Answered))
        }
        _ => Config::new(parsed, terminal).map(|config| Parsed::Run(Box::new(config))),
    }
}

/// The command line as clap sees it: the options given before the command name are
/// hidden from the top-level help (each command's help lists those it takes).
pub fn command() -> clap::Command {
    Args::command().mut_args(|a| a.hide(true))
}

/// Parses the arguments; an option given before the command name that the command does
/// not take is refused as clap refuses an unknown one.
fn try_parse(args: &[OsString]) -> Result<Args, clap::Error> {
    let mut cmd = command();
    // (Counting and fingerprinting the data is for --version only.)
    if args.iter().any(|a| a == "--version") {
        cmd = cmd.long_version(crate::version::long());
    }
    let matches = cmd.try_get_matches_from_mut(args)?;
    if let Some((name, _)) = matches.subcommand()
        && let Some(sub) = cmd.find_subcommand(name)
    {
        // (Groups, named after the option structs, are not options.)
        let given = matches.ids().filter(|id| {
            matches.value_source(id.as_str()) == Some(clap::parser::ValueSource::CommandLine)
                && cmd.get_arguments().any(|a| a.get_id() == *id)
        });
        for id in given {
            if !sub.get_arguments().any(|a| a.get_id() == id) {
                let flag = cmd
                    .get_arguments()
                    .find(|a| a.get_id() == id)
                    .and_then(clap::Arg::get_long)
                    .unwrap_or(id.as_str());
                let mut sub = sub.clone();
                return Err(sub.error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "--{flag} is not an option of '{name}' (gazetteer {name} --help lists \
                         those it takes)"
                    ),
                ));
            }
        }
    }
    Args::from_arg_matches(&matches)
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
        match try_parse(&escaped.iter().map(OsString::from).collect::<Vec<_>>()) {
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
        let Args {
            before,
            command: mut args_command,
        } = args;
        let own = Own::take(&mut args_command);
        let data_args = before.data.merge(own.data);
        let matching = before.matching.merge(own.matching);
        let show = before.show.merge(own.show);
        let before_order = before.date_order;
        let (writes, default) = args_command.formats();
        let format_arg = match own.format.or(before.format) {
            Some(f) if !writes.contains(&f) => {
                return Err(Error::Usage(refused(args_command.name(), f, writes)));
            }
            Some(f) => f,
            None => default,
        };
        let mut args = Merged {
            command: args_command,
            data: data_args.data,
            no_default_data: data_args.no_default_data,
            data_format: data_args.read.data_format.unwrap_or_default(),
            skip_invalid: data_args.skip_invalid,
            no_cache: data_args.no_cache,
            color: show.color.unwrap_or(ColorChoice::Auto),
            csv_safe: show.csv.csv_safe,
            all_names: show.all_names,
        };
        // `check --data FILE` is `check FILE`.
        if let Command::Check { files, .. } = &mut args.command {
            for d in &args.data {
                if !files.contains(d) {
                    files.push(d.clone());
                }
            }
        }
        let builtin = !args.no_default_data;
        let format = Format::from(format_arg);
        // The picture of a chronology is a format of its own (#20).
        let format = match (&args.command, format) {
            (Command::Lookup { timeline: true, .. }, Format::Table) => Format::Timeline,
            (Command::Lookup { timeline: true, .. }, Format::Svg) => Format::Svg,
            (Command::Lookup { timeline: true, .. }, _) => {
                return Err(Error::Usage(
                    "--timeline draws a picture: use it with --format table (the default) or --format svg"
                        .to_string(),
                ));
            }
            (_, format) => format,
        };
        let langs = crate::lang::Langs::parse(&show.lang).map_err(Error::Usage)?;
        let data_format: Option<DataFormat> = args.data_format.into();
        let as_format = |i: Input| match data_format {
            None => i,
            Some(f) => Input::As(Box::new(i), f),
        };
        let mut data: Vec<Input> = data_inputs(&args.data)?
            .into_iter()
            .map(as_format)
            .collect();
        if let Command::Index { files, .. } = &args.command {
            data.extend(data_inputs(files)?.into_iter().map(as_format));
        }
        // `check FILE` and `import` read only their own files.
        let checking = matches!(&args.command, Command::Check { files, .. } if !files.is_empty())
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
        let filter = filter_of(&matching)?;
        let task = match args.command {
            Command::Lookup { name, .. } => Task::Lookup {
                name: query_name(&name)?,
            },
            Command::Export { .. } => Task::Export,
            Command::Search { text, limit, .. } => Task::Search {
                text: query_name(&text)?,
                limit,
            },
            Command::At {
                date,
                name,
                calendar,
                date_order,
                ..
            } => {
                let order = date_order.or(before_order).map(DateOrder::from);
                let date = parse_query_in(&date, calendar.into(), order)
                    .map_err(|e| Error::Usage(format!("{e}; {ACCEPTED_FORMS}")))?;
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
                date_order,
                strict,
                prefix,
                pick,
                country_column,
                ..
            } => {
                let calendar = calendar.into();
                let order = date_order.or(before_order).map(DateOrder::from);
                let date = match (date_column, date) {
                    (Some(col), _) => DateSource::Column(ColumnRef::parse(&col)),
                    (None, Some(d)) => DateSource::Fixed(
                        parse_query_in(&d, calendar, order)
                            .map_err(|e| Error::Usage(format!("--date: {e}; {ACCEPTED_FORMS}")))?,
                    ),
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
                let country = country_column.as_deref().map(ColumnRef::parse);
                if no_headers {
                    for c in [
                        Some(&name),
                        if let DateSource::Column(c) = &date {
                            Some(c)
                        } else {
                            None
                        },
                        country.as_ref(),
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
                    format: match format_arg {
                        FormatArg::Tsv => ResolveFormat::Tsv,
                        FormatArg::Jsonl => ResolveFormat::Jsonl,
                        _ => ResolveFormat::Csv,
                    },
                    prefix,
                    order,
                    pick: pick == PickArg::First,
                    country,
                })
            }
            Command::Index { .. } => Task::Index {
                progress: terminal.stderr_is_terminal,
            },
            Command::Check { files, .. } => Task::Check {
                inputs: check_inputs(&files)?.into_iter().map(as_format).collect(),
                format: match format_arg {
                    FormatArg::Json => CheckFormat::Json,
                    FormatArg::Csv => CheckFormat::Csv,
                    _ => CheckFormat::Text,
                },
            },
            Command::Import {
                source_format: format,
                file,
                places,
                ..
            } => {
                let format = DataFormat::from(format);
                let needs_places = matches!(format, DataFormat::Geonames | DataFormat::Pleiades);
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
            // (Answered while parsing.)
            Command::Completions { .. } | Command::Man => {
                return Err(Error::Usage(format!(
                    "{} has no configuration",
                    args.command.name()
                )));
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
            all_names: args.all_names,
            columns: terminal.width,
            today: terminal.today,
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
            langs,
            progress: terminal.stderr_is_terminal,
            task,
        })
    }
}

/// The options of the command line, those given before the command name and after it
/// together.
struct Merged {
    command: Command,
    data: Vec<PathBuf>,
    no_default_data: bool,
    data_format: DataFormatArg,
    skip_invalid: bool,
    no_cache: bool,
    color: ColorChoice,
    csv_safe: bool,
    all_names: bool,
}

/// A command's own options, taken out of it; those it does not take stay empty.
#[derive(Default)]
struct Own {
    data: DataArgs,
    matching: MatchArgs,
    format: Option<FormatArg>,
    show: ShowArgs,
}

impl Own {
    fn take(command: &mut Command) -> Own {
        use std::mem::take;
        let mut own = Own::default();
        match command {
            Command::Lookup {
                format,
                show,
                matching,
                data,
                ..
            }
            | Command::At {
                format,
                show,
                matching,
                data,
                ..
            }
            | Command::Search {
                format,
                show,
                matching,
                data,
                ..
            } => {
                own.format = format.take();
                own.show = take(show);
                own.matching = take(matching);
                own.data = take(data);
            }
            Command::Export {
                format,
                csv,
                narrow,
                data,
            } => {
                own.format = format.take();
                own.show.csv = take(csv);
                own.matching.narrow = take(narrow);
                own.data = take(data);
            }
            Command::Resolve {
                format,
                csv,
                matching,
                data,
                ..
            } => {
                own.format = format.take();
                own.show.csv = take(csv);
                own.matching = take(matching);
                own.data = take(data);
            }
            Command::Check {
                format,
                data,
                no_default_data,
                read,
                ..
            } => {
                own.format = format.take();
                own.data.data = take(data);
                own.data.no_default_data = *no_default_data;
                own.data.read = take(read);
            }
            Command::Import {
                skip_invalid, csv, ..
            } => {
                own.data.skip_invalid = *skip_invalid;
                own.show.csv = take(csv);
            }
            Command::Index { data, .. } => own.data = take(data),
            Command::Completions { .. } | Command::Man => {}
        }
        own
    }
}

impl DataArgs {
    fn merge(mut self, later: DataArgs) -> DataArgs {
        self.data.extend(later.data);
        self.no_default_data |= later.no_default_data;
        self.read.data_format = later.read.data_format.or(self.read.data_format);
        self.skip_invalid |= later.skip_invalid;
        self.no_cache |= later.no_cache;
        self
    }
}

impl MatchArgs {
    fn merge(self, later: MatchArgs) -> MatchArgs {
        MatchArgs {
            narrow: NarrowArgs {
                place_type: later.narrow.place_type.or(self.narrow.place_type),
                country: later.narrow.country.or(self.narrow.country),
            },
            fuzzy: self.fuzzy || later.fuzzy,
        }
    }
}

impl ShowArgs {
    fn merge(mut self, later: ShowArgs) -> ShowArgs {
        self.lang.extend(later.lang);
        self.csv.csv_safe |= later.csv.csv_safe;
        self.all_names |= later.all_names;
        self.color = later.color.or(self.color);
        self
    }
}

impl Command {
    /// The name the command is typed as.
    fn name(&self) -> &'static str {
        match self {
            Command::Lookup { .. } => "lookup",
            Command::Export { .. } => "export",
            Command::Search { .. } => "search",
            Command::At { .. } => "at",
            Command::Resolve { .. } => "resolve",
            Command::Check { .. } => "check",
            Command::Import { .. } => "import",
            Command::Completions { .. } => "completions",
            Command::Man => "man",
            Command::Index { .. } => "index",
        }
    }

    /// The formats the command writes, and the one it writes unless asked.
    fn formats(&self) -> (&'static [FormatArg], FormatArg) {
        match self {
            Command::Lookup { .. } => (FormatArg::LOOKUP, FormatArg::Table),
            Command::At { .. } | Command::Search { .. } => (FormatArg::ANSWER, FormatArg::Table),
            Command::Export { .. } => (FormatArg::EXPORT, FormatArg::Csv),
            Command::Resolve { .. } => (FormatArg::RESOLVE, FormatArg::Csv),
            Command::Check { .. } => (FormatArg::CHECK, FormatArg::Text),
            Command::Import { .. }
            | Command::Index { .. }
            | Command::Completions { .. }
            | Command::Man => (&[], FormatArg::Csv),
        }
    }
}

fn filter_of(args: &MatchArgs) -> Result<crate::query::Filter, Error> {
    let country = match args.narrow.country.as_deref().map(str::trim) {
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
    let kind = match args.narrow.place_type.as_deref().map(str::trim) {
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
