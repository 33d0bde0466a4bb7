//! `lognorm check`: load and compile schemas, print every error.

use std::path::PathBuf;

use lognorm::Registry;

use crate::{Status, schemas};

/// The arguments of `lognorm check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Schema files, or directories of `*.yml` and `*.yaml` files
    #[arg(value_name = "SCHEMA", required = true)]
    schemas: Vec<PathBuf>,
}

/// Runs the command: every file is compiled, the failures are printed
/// to standard error one line each, and on success the log types found
/// are listed on standard output.
///
/// Only these schemas are loaded, not the shipped ones, so a file may
/// define a log type of the same name as a shipped one; two files
/// defining one name are an error.
///
/// # Errors
///
/// None: every problem is printed and makes the status
/// [`Status::Reported`].
pub(crate) fn run(args: &Args) -> Result<Status, String> {
    let mut b = Registry::builder();
    let mut files = 0usize;
    let mut failed = 0usize;
    for arg in &args.schemas {
        let found = match schemas::files(arg) {
            Ok(found) => found,
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
                continue;
            }
        };
        for file in found {
            files += 1;
            if let Err(e) = schemas::add(&mut b, &file) {
                eprintln!("{e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "lognorm: {} in {}",
            counted(failed, "error"),
            counted(files, "schema file")
        );
        return Ok(Status::Reported);
    }
    let registry = b.build();
    let names: Vec<&str> = registry.log_types().map(|t| t.name()).collect();
    println!("{} ok: {}", counted(files, "schema file"), names.join(", "));
    Ok(Status::Clean)
}

/// `1 error`, `2 errors`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
