//! Progress while training: a bar on a terminal, nothing when output is redirected; lines above it.

use std::io::IsTerminal;

use crate::say;
use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar over a number of passes that draws only when stderr is a terminal.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
    visible: bool,
}

impl Progress {
    /// A bar over `total` passes, labelled `label`.
    pub fn new(total: usize, label: &str) -> Progress {
        let visible = std::io::stderr().is_terminal();
        let bar = if visible {
            ProgressBar::new(total as u64)
        } else {
            ProgressBar::hidden()
        };
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} [{bar:40}] {pos}/{len} passes ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label.to_string());
        Progress { bar, visible }
    }

    /// Moves the bar to `passes` done (of this bar's own count).
    pub fn set(&self, passes: usize) {
        self.bar.set_position(passes as u64);
    }

    /// Advances the bar by `passes`.
    pub fn advance(&self, passes: usize) {
        self.bar.inc(passes as u64);
    }

    /// Prints `line` to stdout without tearing the bar.
    pub fn println(&self, line: &str) {
        if self.visible {
            self.bar.suspend(|| say!("{line}"));
        } else {
            say!("{line}");
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
