//! Progress of long work, on stderr: a spinner or a count that appears only when the work
//! has run for a second, and only when the caller says stderr is a terminal
//! ([`crate::config::Config::progress`]).
//!
//! Owns the one place that shows progress, for any command to call. It writes nothing to
//! stdout and nothing when disabled; what it draws is wiped when the work ends. It reads
//! the clock (the delay), as nothing else below `main` does.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::mpsc;
use std::time::Duration;

/// How long work runs before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);

/// Progress shown while it lives; dropping it wipes it.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Closing it tells the thread that reveals the bar that the work is done.
    done: Option<mpsc::Sender<()>>,
    reveal: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Nothing shown.
    pub fn none() -> Progress {
        Progress {
            bar: None,
            done: None,
            reveal: None,
        }
    }

    /// A spinner with a message (`reading big.csv`), for work that cannot be counted.
    pub fn spinner(enabled: bool, message: &str) -> Progress {
        Progress::start(enabled, "{spinner} gazetteer: {msg} ({elapsed})", message)
    }

    /// A running count (`1,200,000 rows resolved`): call [`Progress::set`] as work is done.
    pub fn counter(enabled: bool, what: &str) -> Progress {
        Progress::start(
            enabled,
            "{spinner} gazetteer: {human_pos} {msg} ({elapsed})",
            what,
        )
    }

    fn start(enabled: bool, template: &str, message: &str) -> Progress {
        if !enabled {
            return Progress::none();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(crate::text::sanitize(message).into_owned());
        let (done, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let reveal = std::thread::spawn(move || {
            // Only a timeout reveals the bar: a message or a closed channel means done.
            if wait.recv_timeout(DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar: Some(bar),
            done: Some(done),
            reveal: Some(reveal),
        }
    }

    /// How much of the work is done.
    pub fn set(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(t) = self.reveal.take() {
            let _ = t.join();
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
