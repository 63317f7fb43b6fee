//! Long commands tell how far they are: a bar on stderr when it is a terminal (a line every
//! tenth otherwise), shown once a run has lasted ~2 s; Ctrl+C stops them cleanly, with nothing
//! written; and work beyond a budget is refused up front with its estimate (`--max-work`).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use super::CliError;

/// Set by Ctrl+C while a watched command runs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static HANDLER: Once = Once::new();

/// The work `basins` and `sweep` take on without `--max-work`: descent steps, each row of a data
/// objective counted (about five minutes on a 2-core machine without a GPU; a real GPU does it
/// in seconds).
pub const DEFAULT_MAX_WORK: f64 = 1e10;

/// Installs the Ctrl+C handler (once): it only raises a flag that the watched run reads.
pub fn catch_interrupts() {
    INTERRUPTED.store(false, Ordering::SeqCst);
    HANDLER.call_once(|| {
        // Without a handler (no signals where this runs) Ctrl+C still ends the process, and
        // nothing was written yet either: the outputs are written after the run.
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    });
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The error for a run stopped by Ctrl+C.
pub fn interrupted_error(what: &str) -> CliError {
    CliError::Interrupted(format!(
        "interrupted (Ctrl+C): {what} stopped, nothing was written"
    ))
}

/// Refuses `work` descent steps beyond `max_work`, saying what it is made of and what to do.
pub fn check_work(
    what: &str,
    descents: usize,
    steps: usize,
    rows: usize,
    max_work: f64,
) -> Result<f64, CliError> {
    if !(max_work.is_finite() && max_work > 0.0) {
        return Err(CliError::input(format!(
            "--max-work must be a number > 0, got {max_work}"
        )));
    }
    let work = descents as f64 * steps as f64 * rows.max(1) as f64;
    if work > max_work {
        let per_row = if rows > 1 {
            format!(" × {rows} rows")
        } else {
            String::new()
        };
        return Err(CliError::input(format!(
            "{what} of {descents} descents × {steps} steps{per_row} is {work:.2e} descent steps, more \
             than --max-work {max_work:.0e} (about five minutes on a 2-core machine without a GPU, \
             so this would take some {:.0} minutes there): give fewer starts or steps, or \
             --max-work {work:.2e} to run it anyway",
            5.0 * work / DEFAULT_MAX_WORK
        )));
    }
    Ok(work)
}

/// A progress report on stderr for one run, drawn after `delay`.
pub struct Progress {
    label: String,
    started: Instant,
    delay: Duration,
    terminal: bool,
    /// Tenths (or, on a terminal, hundredths) of the work last reported.
    shown: AtomicU64,
    drawing: Mutex<()>,
}

impl Progress {
    /// A report for `label`; `GRADSCAPE_PROGRESS_AFTER_MS` sets the delay (default 2000 ms).
    pub fn new(label: &str) -> Progress {
        let delay_ms = std::env::var("GRADSCAPE_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2000);
        Progress {
            label: label.to_string(),
            started: Instant::now(),
            delay: Duration::from_millis(delay_ms),
            terminal: std::io::stderr().is_terminal(),
            shown: AtomicU64::new(0),
            drawing: Mutex::new(()),
        }
    }

    /// Reports that `fraction` (0 to 1) of the work is done.
    pub fn update(&self, fraction: f64) {
        let elapsed = self.started.elapsed();
        if elapsed < self.delay || !fraction.is_finite() {
            return;
        }
        let fraction = fraction.clamp(0.0, 1.0);
        let steps = if self.terminal { 100.0 } else { 10.0 };
        let mark = (fraction * steps).floor() as u64;
        if mark <= self.shown.load(Ordering::Relaxed) && mark < steps as u64 {
            return;
        }
        // Threads of the CPU backend report together: one draws at a time.
        let Ok(_guard) = self.drawing.try_lock() else {
            return;
        };
        if self.shown.fetch_max(mark, Ordering::Relaxed) >= mark && mark > 0 {
            return;
        }
        let left = if fraction > 0.0 {
            let secs = elapsed.as_secs_f64() * (1.0 - fraction) / fraction;
            format!(", about {} left", duration_text(secs))
        } else {
            String::new()
        };
        let percent = 100.0 * fraction;
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let filled = (fraction * 30.0).round() as usize;
            let _ = write!(
                err,
                "\r{}: [{}{}] {percent:3.0} %{left}   ",
                self.label,
                "#".repeat(filled),
                " ".repeat(30 - filled)
            );
        } else {
            let _ = writeln!(err, "{}: {percent:.0} %{left}", self.label);
        }
        let _ = err.flush();
    }

    /// Ends the bar's line (on a terminal, where it was drawn).
    pub fn finish(&self) {
        if self.terminal && self.shown.load(Ordering::Relaxed) > 0 {
            eprintln!();
        }
    }
}

fn duration_text(secs: f64) -> String {
    if secs < 90.0 {
        format!("{secs:.0} s")
    } else if secs < 5400.0 {
        format!("{:.0} min", secs / 60.0)
    } else {
        format!("{:.1} h", secs / 3600.0)
    }
}
