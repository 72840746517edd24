//! The resolved configuration: arguments checked and turned into values.
//!
//! Owns the second parse of the command line: dates parsed, data inputs listed,
//! colour and table style decided once. Nothing after this step sees a raw string it
//! must re-check.

use crate::cli::{Args, ColorChoice, Command};
use crate::date::{QueryDate, parse_query};
use crate::error::Error;
use crate::read::Input;
use crate::render::{Format, Style};
use std::path::PathBuf;

/// What the binary knows about where it runs, read once in `main`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terminal {
    pub stdout_is_terminal: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// `TERM=dumb`.
    pub dumb: bool,
    /// The terminal's width in columns, when known.
    pub width: Option<u16>,
}

#[derive(Debug, Clone)]
pub enum Task {
    Lookup { name: String },
    At { date: QueryDate, name: String },
    Check { inputs: Vec<Input> },
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Whether `lookup` and `at` search the built-in data.
    pub builtin: bool,
    /// The user's `--data` files, in the order given.
    pub data: Vec<Input>,
    pub skip_invalid: bool,
    pub format: Format,
    pub style: Style,
    pub task: Task,
}

impl Config {
    pub fn new(args: Args, terminal: &Terminal) -> Result<Config, Error> {
        let builtin = !args.no_default_data;
        let data: Vec<Input> = args.data.iter().map(|p| input_of(p)).collect();
        if !builtin && data.is_empty() {
            return Err(Error::Usage(
                "no data to search: --no-default-data needs at least one --data FILE".to_string(),
            ));
        }
        let stdin_uses = data.iter().filter(|i| **i == Input::Stdin).count();
        if stdin_uses > 1 {
            return Err(Error::Usage(
                "standard input ('-') can be read only once".to_string(),
            ));
        }
        let task = match args.command {
            Command::Lookup { name } => Task::Lookup {
                name: query_name(&name)?,
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
            Command::Check { files } => Task::Check {
                inputs: check_inputs(&files)?,
            },
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
        };
        Ok(Config {
            builtin,
            data,
            skip_invalid: args.skip_invalid,
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
