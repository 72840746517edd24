//! The binary: read where it runs, hand over to the library, turn the result into an exit code.

use std::io::IsTerminal;

fn main() -> std::process::ExitCode {
    let stdout = std::io::stdout();
    let env_set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let terminal = gazetteer::config::Terminal {
        stdout_is_terminal: stdout.is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
        no_color: env_set("NO_COLOR"),
        dumb: std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0)),
        cache_dir: gazetteer::store::dir_from_env(|k| std::env::var_os(k)),
        stdout_closed: started_closed::stdout(),
        today: today(),
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Not locked for the whole run: progress (src/progress.rs) draws on stderr from a
    // thread of its own, which would wait for the lock forever.
    let mut err = std::io::stderr();
    // `run` flushes `out` itself and turns a failed write (but a closed pipe) into exit 2.
    gazetteer::run(std::env::args_os(), &terminal, &mut out, &mut err).into()
}

/// Today's date (UTC), for the end of a timeline: `SOURCE_DATE_EPOCH` (seconds) when set,
/// so that a picture can be made again the same, else the clock; `None` before 1970.
fn today() -> Option<chrono::NaiveDate> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH").ok() {
        Some(s) => s.trim().parse::<u64>().ok()?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs(),
    };
    let days = i64::try_from(seconds / 86_400).ok()?;
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?
        .checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// Whether standard output was closed when the process started (`gazetteer ... >&-`).
///
/// Before `main`, the standard library opens /dev/null in place of a closed standard
/// stream, and its stdout takes a write to a closed descriptor as done: the answer would
/// vanish with exit code 0. So the descriptor is looked at earlier, by a constructor the
/// program loader runs before the standard library's own start-up.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly"
))]
mod started_closed {
    use std::sync::atomic::{AtomicBool, Ordering};

    static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

    unsafe extern "C" {
        fn fcntl(fd: i32, cmd: i32, ...) -> i32;
    }

    /// `F_GETFD`, the same on every system listed above.
    const F_GETFD: i32 = 1;

    extern "C" fn look() {
        // SAFETY: fcntl(F_GETFD) only reads the descriptor's flags; on a descriptor that
        // is not open it fails with EBADF and changes nothing.
        let closed = unsafe { fcntl(1, F_GETFD) } == -1;
        STDOUT_CLOSED.store(closed, Ordering::Relaxed);
    }

    #[used]
    #[unsafe(link_section = ".init_array")]
    static LOOK: extern "C" fn() = look;

    pub fn stdout() -> bool {
        STDOUT_CLOSED.load(Ordering::Relaxed)
    }
}

/// Elsewhere a closed standard output is not told apart from /dev/null.
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly"
)))]
mod started_closed {
    pub fn stdout() -> bool {
        false
    }
}

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
