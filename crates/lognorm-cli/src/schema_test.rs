//! `lognorm test`: run Panther `pantherlog test` files against schemas.

use std::path::{Path, PathBuf};

use lognorm::{Registry, schematest};

use crate::{Status, schemas};

/// The arguments of `lognorm test`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A schema file, or a directory of `*.yml` and `*.yaml` schema files
    #[arg(value_name = "SCHEMAS")]
    schemas: PathBuf,

    /// Test files or directories of them [default: those beside SCHEMAS]
    #[arg(value_name = "TESTS")]
    tests: Vec<PathBuf>,
}

/// Runs the command: loads only SCHEMAS (not the shipped log types, so a
/// test names exactly the schema under test), runs every case of every
/// test file in order, prints each failing case with the fields that
/// differ, and a count at the end.
///
/// # Errors
///
/// A one-line message when a schema does not load or a path cannot be
/// read (exit status 2).
pub(crate) fn run(args: &Args) -> Result<Status, String> {
    let mut b = Registry::builder();
    for file in schemas::files(&args.schemas)? {
        schemas::add(&mut b, &file)?;
    }
    let registry = b.build();

    let test_files = if args.tests.is_empty() {
        let dir = if args.schemas.is_dir() {
            args.schemas.as_path()
        } else {
            args.schemas.parent().unwrap_or(Path::new("."))
        };
        let found = test_files(dir)?;
        if found.is_empty() {
            return Err(format!(
                "no TESTS given: expected `*.tests.yml` files in `{}`, \
                 found none",
                dir.display()
            ));
        }
        found
    } else {
        let mut all = Vec::new();
        for arg in &args.tests {
            if arg.is_dir() {
                let found = test_files(arg)?;
                if found.is_empty() {
                    return Err(format!(
                        "test directory `{}`: expected `*.tests.yml` \
                         files, found none",
                        arg.display()
                    ));
                }
                all.extend(found);
            } else {
                all.push(arg.clone());
            }
        }
        all
    };

    let (mut passed, mut failed, mut unreadable) = (0usize, 0usize, 0usize);
    for file in &test_files {
        let name = file.display().to_string();
        let cases = std::fs::read_to_string(file)
            .map_err(|e| format!("reading `{name}`: {e}"))
            .and_then(|yaml| {
                schematest::parse(&name, &yaml).map_err(|e| e.to_string())
            });
        let cases = match cases {
            Ok(cases) => cases,
            Err(e) => {
                eprintln!("{e}");
                unreadable += 1;
                continue;
            }
        };
        for case in &cases {
            let result = case.run(&registry);
            if result.passed() {
                passed += 1;
            } else {
                failed += 1;
                print!("{}", report(&result));
            }
        }
    }
    println!(
        "{} in {}: {passed} passed, {failed} failed",
        counted(passed + failed, "case"),
        counted(test_files.len() - unreadable, "test file"),
    );
    Ok(if unreadable > 0 {
        eprintln!(
            "lognorm: {} could not be read",
            counted(unreadable, "test file")
        );
        Status::Reported
    } else if failed > 0 {
        Status::Failed
    } else {
        Status::Clean
    })
}

/// A failing case: a header line naming it, then for every mismatch an
/// expected (`-`) and a found (`+`) line, each with its field path:
///
/// ```text
/// FAIL t.tests.yml:1:7: test `a login` (Custom.Login)
///   - user: "bob"
///   + user: "ana"
/// ```
fn report(result: &schematest::CaseResult) -> String {
    let mut out = format!("FAIL {}", result.file());
    if let Some(at) = result.location() {
        out.push_str(&format!(":{at}"));
    }
    out.push_str(&format!(
        ": test `{}` ({})\n",
        result.name(),
        result.log_type()
    ));
    for m in result.mismatches() {
        let path = if m.path().is_empty() { "(row)" } else { m.path() };
        out.push_str(&format!("  - {path}: {}\n", m.expected()));
        out.push_str(&format!("  + {path}: {}\n", m.found()));
    }
    out
}

/// A directory's `*.tests.yml` and `*.tests.yaml` files, in name order.
fn test_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let io = |e: std::io::Error| format!("reading `{}`: {e}", dir.display());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if schemas::is_test_file(&path) && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// `1 case`, `2 cases`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
