//! The progress bar of `normalize`, on standard error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar (bytes, records, errors, MB/s) when standard error is
/// a terminal, every input is a file, and the rows do not go to the
/// terminal too; nothing otherwise.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// The bar for `inputs`, or none. `rows_to_stdout`: the rows are
    /// written to standard output.
    pub(crate) fn new(inputs: &[PathBuf], rows_to_stdout: bool) -> Progress {
        let files = inputs.iter().all(|p| p != Path::new("-"));
        let rows_on_terminal =
            rows_to_stdout && std::io::stdout().is_terminal();
        if !files || rows_on_terminal || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let total: u64 = inputs
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum();
        let bar = ProgressBar::with_draw_target(
            Some(total),
            ProgressDrawTarget::stderr_with_hz(4),
        );
        let style = ProgressStyle::with_template(
            "{bar:30} {decimal_bytes}/{decimal_total_bytes} {msg} \
             {decimal_bytes_per_sec} {elapsed}",
        );
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(250));
        Progress { bar: Some(bar) }
    }

    /// Shows `read` bytes done, `records` records and `failed` errors.
    pub(crate) fn update(&self, read: u64, records: u64, failed: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(read);
            bar.set_message(format!("{records} records, {failed} errors"));
        }
    }

    /// Runs `f` with the bar hidden (for writing to standard error).
    pub(crate) fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Leaves the bar full (the last record's end is not the input's end
    /// when a line break or `]` follows it).
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            if let Some(total) = bar.length() {
                bar.set_position(total);
            }
            bar.finish();
        }
    }
}
