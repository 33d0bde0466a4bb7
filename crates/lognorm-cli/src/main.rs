//! `lognorm`: normalize security and audit logs from the command line.
//!
//! ```text
//! lognorm normalize --log-type NAME [--schema FILE_OR_DIR]... [--output json|parquet] [INPUT]...
//! lognorm check SCHEMA...
//! lognorm test SCHEMAS [TESTS]...
//! lognorm infer [--name NAME] [--format json|csv|lines] [INPUT]...
//! ```
//!
//! Exit status: 0 when everything went well, 1 when `normalize` could not
//! normalize some records (every good row is still written) or a `test`
//! case failed, 2 for usage, schema and I/O errors.

#![forbid(unsafe_code)]

mod check;
mod chunks;
mod dead_letter;
mod infer;
mod normalize;
#[cfg(feature = "parquet")]
mod parquet;
mod progress;
mod schema_test;
mod schemas;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Normalize security and audit logs with Panther-format YAML schemas
///
/// Each record becomes one row of JSON: its declared fields coerced to
/// their types, timestamps in UTC, and the `p_*` fields Panther's data
/// lake stores. The shipped log types are always loaded; add your own
/// with `--schema`. `lognorm help COMMAND` tells more.
///
/// Exit status: 0 when everything went well, 1 when some records could
/// not be normalized (every good row is still written), 2 for usage,
/// schema and I/O errors.
#[derive(Debug, Parser)]
#[command(
    name = "lognorm",
    version,
    arg_required_else_help = true,
    verbatim_doc_comment
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Normalize log files of one log type into JSON rows
    ///
    /// Reads each INPUT (a file, or standard input when there is none or
    /// it is `-`), splits it into records and writes one row per record
    /// as a JSON line. The shipped log types are always loaded; each
    /// `--schema` adds a file, or every `*.yml` and `*.yaml` file of a
    /// directory; a schema with a shipped log type's name replaces it. `--parse-time` pins `p_parse_time` and the start of the
    /// row ids, so the output is reproducible.
    ///
    /// A record that fails becomes a dead letter, a JSON line on standard
    /// error (or `--errors FILE`); record numbers and byte offsets count
    /// from the start of its input:
    ///
    ///   {"input":"a.jsonl","record":2,"offset":17,"log_type":"Wiz.Audit",
    ///    "error":"record 2 (byte 17): ...","raw":"..."}
    ///
    /// with `raw_base64` in place of `raw` when the record is not valid
    /// UTF-8, so its exact bytes can be replayed.
    ///
    /// `--output parquet -o FILE` writes the rows as one Parquet file
    /// instead, in the log type's Arrow columns (the values of the JSON
    /// rows: the same row ids and event times); dead letters and exit
    /// status are as for JSON. It takes one log type (not a list), and
    /// `-o`: a file, or `-o -` for standard output when that is a pipe.
    /// Parquet output needs a lognorm built with the cargo feature
    /// `parquet`.
    ///
    /// Inputs are streamed: memory holds a few chunks of records per
    /// thread and the largest record, not the file. A record over
    /// `--max-record-bytes` is one dead letter whose `raw` holds its first
    /// bytes; the records around it go on.
    ///
    /// Every core is used: records are cut into chunks of about 128 KiB,
    /// normalized on `--threads` threads, and written in input order.
    /// The output, row ids included, is the same whatever the thread
    /// count. When standard error is a terminal and every input is a
    /// file, a progress bar shows bytes, records, errors and MB/s.
    ///
    /// Exit status: 0 when every record normalized, 1 when some failed
    /// (every good row is still written), 2 for usage, schema and I/O
    /// errors.
    #[command(verbatim_doc_comment)]
    Normalize(Box<normalize::Args>),
    /// Load and compile schemas; print every error
    ///
    /// Each SCHEMA is a YAML file or a directory of `*.yml`/`*.yaml`
    /// files. Errors go to standard error, one line each:
    /// `file:line:column: path: message`. Exit status: 0 when every schema
    /// compiles, 2 otherwise.
    #[command(verbatim_doc_comment)]
    Check(check::Args),
    /// Run Panther schema test files against schemas
    ///
    /// Loads the schemas of SCHEMAS (a file, or a directory's `*.yml` and
    /// `*.yaml` files; only these, not the shipped log types) and runs
    /// every case of each test file: the `pantherlog test` format, one
    /// YAML document per case with `name`, `logType`, `input` and the
    /// expected `result` (or `results`, one row per record). Each TESTS
    /// is a file or a directory of `*.tests.yml` files; with none, the
    /// `*.tests.yml` files beside (or inside) SCHEMAS are run.
    ///
    /// `p_row_id`, `p_parse_time` and the source fields are not compared;
    /// timestamps compare as instants, `p_any_*` columns as sets.
    /// Each failing case is printed on standard output with every field
    /// that differs, expected (`-`) then found (`+`):
    ///
    ///   FAIL login.tests.yml:1:7: test `a login` (Custom.Login)
    ///     - user: "bob"
    ///     + user: "ana"
    ///
    /// and a count ends the output. Exit status: 0 when every case
    /// passed, 1 when one failed, 2 for usage, schema and I/O errors and
    /// test files that do not read.
    #[command(verbatim_doc_comment)]
    Test(schema_test::Args),
    /// Infer a first draft of a schema from sample logs
    ///
    /// Reads each INPUT (a file, or standard input when there is none or
    /// it is `-`) as samples of one log type, and prints a Panther YAML
    /// schema that loads and normalizes all of them:
    ///
    /// - field types from what every sample holds (`bigint`, `float`,
    ///   `boolean`, `string`, `timestamp` for RFC 3339 text and for Unix
    ///   times in fields named like times, `object` and `array` in
    ///   depth); conflicting types widen to the narrowest type holding
    ///   them all (`bigint` and `float` to `float`, text and numbers to
    ///   `string`, anything else to `json`);
    /// - `required: true` on the fields present in every sample;
    /// - `isEventTime` on the most plausible timestamp;
    /// - indicators proposed from the values (IP and email addresses,
    ///   domain names, hashes, ARNs), each with a comment: review them.
    ///
    /// `--format csv` reads rows (the delimiter and whether the first row
    /// is a header are guessed); `--format lines` gives a fastmatch
    /// schema of one `message` (and a leading RFC 3339 `timestamp`).
    ///
    /// The schema is then loaded and run on every sample. Exit status: 0
    /// when it normalizes them all, 1 when a sample fails (the first is
    /// printed on standard error), 2 for usage and I/O errors and
    /// samples that do not read.
    #[command(verbatim_doc_comment)]
    Infer(infer::Args),
}

fn main() -> ExitCode {
    // clap exits by itself: 0 after `--help`, `help` and `--version`, 2
    // after a usage error.
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Normalize(args) => normalize::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Test(args) => schema_test::run(&args),
        Command::Infer(args) => infer::run(&args),
    };
    match outcome {
        Ok(Status::Clean) => ExitCode::SUCCESS,
        Ok(Status::RecordsFailed | Status::Failed) => ExitCode::from(1),
        Ok(Status::Reported) => ExitCode::from(2),
        Err(message) => {
            eprintln!("lognorm: {message}");
            ExitCode::from(2)
        }
    }
}

/// How a command ended, when it did not stop on an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Everything went well: exit 0.
    Clean,
    /// Some records failed and went to the dead letters: exit 1.
    RecordsFailed,
    /// Some test cases failed and were printed (`test`): exit 1.
    Failed,
    /// Errors were found and printed (`check`): exit 2.
    Reported,
}
