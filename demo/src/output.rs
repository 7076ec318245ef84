//! Standard output that may close early: status lines, and a quiet end when no one reads them.
//!
//! `demo train ... | head -1` closes the pipe after one line; the next write fails with
//! `BrokenPipe`, which `println!` turns into a panic. Every line the demo prints goes through
//! [`say`] instead, which ends the program quietly (exit status 0) when standard output is gone.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a command streams its data (CSV, DOT) to standard output: status lines then go to
/// standard error, so that the data stays clean.
static STDOUT_HOLDS_DATA: AtomicBool = AtomicBool::new(false);

/// Prints a status line: to standard output, or to standard error once standard output carries
/// data (see [`reserve_stdout_for_data`]).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::say(format_args!($($arg)*))
    };
}

/// Writes `line` and a newline where [`say!`](macro@crate::say) writes it. Never panics: a closed standard output
/// ends the program quietly, as a broken pipe ends `cat`.
pub fn say(line: fmt::Arguments<'_>) {
    if STDOUT_HOLDS_DATA.load(Ordering::Relaxed) {
        warn(line);
        return;
    }
    let mut stdout = io::stdout().lock();
    let written = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
    if let Err(error) = written {
        stdout_failed(&error);
    }
}

/// Writes `text` to standard output as it is (no newline added), for data such as CSV; see [`say`].
pub fn data(text: &str) {
    let mut stdout = io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if let Err(error) = written {
        stdout_failed(&error);
    }
}

/// Writes `line` and a newline to standard error, ignoring failure (there is no one left to tell).
pub fn warn(line: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// From now on status lines go to standard error: standard output carries a command's data.
pub fn reserve_stdout_for_data() {
    STDOUT_HOLDS_DATA.store(true, Ordering::Relaxed);
}

/// Ends the program after standard output failed: quietly with status 0 when the reader went
/// away (a broken pipe), with one line on standard error and status 1 otherwise (a full disk).
pub fn stdout_failed(error: &io::Error) -> ! {
    if error.kind() != io::ErrorKind::BrokenPipe {
        warn(format_args!(
            "error: cannot write to standard output: {error}"
        ));
        std::process::exit(1);
    }
    std::process::exit(0)
}
