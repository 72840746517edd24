//! The binary: read where it runs, hand over to the library, turn the result into an exit code.

use std::io::{IsTerminal, Write};

fn main() -> std::process::ExitCode {
    let stdout = std::io::stdout();
    let env_set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let terminal = gazetteer::config::Terminal {
        stdout_is_terminal: stdout.is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
        no_color: env_set("NO_COLOR"),
        dumb: std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
        width: std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()),
        cache_dir: gazetteer::cache::dir_from_env(|k| std::env::var_os(k)),
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr().lock();
    let code = gazetteer::cli::run(std::env::args_os(), &terminal, &mut out, &mut err);
    // A reader that went away early (`| head`) is not an error: ignore a failed final flush.
    let _ = out.flush();
    code.into()
}

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
