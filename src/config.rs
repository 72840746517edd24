//! The resolved configuration: arguments checked and turned into values.
//!
//! Owns the second parse of the command line: dates parsed, data inputs listed,
//! colour and table style decided once. Nothing after this step sees a raw string it
//! must re-check.

use crate::cli::{Args, ColorChoice, Command};
use crate::date::{QueryDate, parse_query};
use crate::error::Error;
use crate::read::{DataFormat, Input};
use crate::render::{Format, Style};
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
    /// The terminal's width in columns, when known.
    pub width: Option<u16>,
    /// Where indexes of big data files are kept (see `cache`), from the environment.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Standard output was closed when the program started (`>&-`): every write to it
    /// fails, as it would on any other stream that takes nothing.
    pub stdout_closed: bool,
}

#[derive(Debug, Clone)]
pub enum Task {
    Lookup {
        name: String,
    },
    /// Another gazetteer's file to our CSV; `places` is the companion table of GeoNames or
    /// Pleiades.
    Import {
        format: crate::cli::ImportFormat,
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
    },
    Resolve(ResolveTask),
}

/// A column named by the user: by header name, or by 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    Name(String),
    Number(usize),
}

impl ColumnRef {
    fn parse(text: &str) -> ColumnRef {
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
    pub task: Task,
}

impl Config {
    pub fn new(args: Args, terminal: &Terminal) -> Result<Config, Error> {
        let builtin = !args.no_default_data;
        let as_format = |i: Input| match args.data_format {
            crate::cli::DataFormatArg::Auto => i,
            crate::cli::DataFormatArg::Csv => Input::As(Box::new(i), DataFormat::Csv),
            crate::cli::DataFormatArg::Lpf => Input::As(Box::new(i), DataFormat::Lpf),
            crate::cli::DataFormatArg::LpTsv => Input::As(Box::new(i), DataFormat::LpTsv),
        };
        let data: Vec<Input> = args.data.iter().map(|p| as_format(input_of(p))).collect();
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
        if args.format == Format::LpTsv && !matches!(args.command, Command::Export) {
            return Err(Error::Usage(
                "--format lp-tsv writes places for the World Historical Gazetteer: use it with export"
                    .to_string(),
            ));
        }
        if args.format == Format::Lpf
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
                if !matches!(args.format, Format::Lpf | Format::Csv | Format::LpTsv) {
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
            Command::Check { files } => Task::Check {
                inputs: check_inputs(&files)?.into_iter().map(as_format).collect(),
            },
            Command::Import {
                source_format: format,
                file,
                places,
            } => {
                use crate::cli::ImportFormat;
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
            format: args.format,
            style,
            task,
        })
    }
}

fn input_of(p: &std::path::Path) -> Input {
    if p.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(p.to_path_buf())
    }
}

/// Words of a name typed without quotes are one name.
fn query_name(words: &[String]) -> Result<String, Error> {
    let name = words.join(" ").trim().to_string();
    if name.is_empty() {
        return Err(Error::Usage(
            "the name is empty: give the name of a place".to_string(),
        ));
    }
    Ok(name)
}

/// `check` with no file checks the built-in data; a directory stands for its CSV files.
fn check_inputs(files: &[PathBuf]) -> Result<Vec<Input>, Error> {
    if files.is_empty() {
        return Ok(crate::builtin::inputs());
    }
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
                .collect();
            csvs.sort();
            if csvs.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: the directory has no .csv files",
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
