//! `lognorm infer`: a first draft of a schema from sample logs.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use lognorm::infer::{Inferrer, SampleFormat};
use lognorm::{Context, Registry, Scratch, Timestamp};

use crate::Status;

/// The arguments of `lognorm infer`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The log type name of the schema (Panther's rule: `Custom.Thing`)
    #[arg(long, value_name = "NAME", default_value = "Custom.Inferred")]
    name: String,

    /// What the samples are
    #[arg(long, value_enum, default_value = "json")]
    format: FormatArg,

    /// Sample files (none or `-`: standard input)
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// `--format`'s values.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    /// JSON objects: one, an array of them, or NDJSON
    Json,
    /// Comma-, tab-, semicolon- or bar-separated rows, a header or not
    Csv,
    /// Text lines
    Lines,
}

impl From<FormatArg> for SampleFormat {
    fn from(f: FormatArg) -> SampleFormat {
        match f {
            FormatArg::Json => SampleFormat::Json,
            FormatArg::Csv => SampleFormat::Csv,
            FormatArg::Lines => SampleFormat::Lines,
        }
    }
}

/// The largest sample file read: the library's payload limit.
const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Runs the command: infers the schema, checks that it loads and
/// normalizes every sample, prints it.
///
/// # Errors
///
/// A one-line message for I/O errors, samples that do not read, and a
/// schema that does not load (exit status 2).
pub(crate) fn run(args: &Args) -> Result<Status, String> {
    let inputs = if args.inputs.is_empty() {
        &[PathBuf::from("-")][..]
    } else {
        &args.inputs
    };
    let mut inferrer = Inferrer::new(args.format.into());
    let mut payloads = Vec::with_capacity(inputs.len());
    for input in inputs {
        let (name, payload) = read(input)?;
        inferrer.add(&payload).map_err(|e| format!("{name}: {e}"))?;
        payloads.push((name, payload));
    }
    let yaml = inferrer.schema(&args.name).map_err(|e| e.to_string())?;
    // The schema must load (a `--name` Panther refuses does not) and
    // hold its samples: a failure past the name is lognorm's mistake,
    // reported so the draft is not trusted blindly.
    let registry = Registry::builder()
        .add_yaml("inferred.yml", &yaml)
        .map_err(|e| format!("the inferred schema does not load: {e}"))?
        .build();
    print!("{yaml}");
    let Some(log_type) = registry.log_type(&args.name) else {
        return Err(format!("the inferred schema lacks `{}`", args.name));
    };
    let mut ctx = Context::new(Timestamp::MIN, crate::chunks::NODE_ID);
    let mut scratch = Scratch::new();
    let mut failed = 0usize;
    for (name, payload) in &payloads {
        for record in log_type.split(payload) {
            if let Err(e) = log_type.normalize(record, &mut ctx, &mut scratch)
            {
                if failed == 0 {
                    eprintln!(
                        "lognorm: the inferred schema fails a sample of \
                         {name}: {e}"
                    );
                }
                failed += 1;
            }
        }
    }
    Ok(if failed == 0 { Status::Clean } else { Status::RecordsFailed })
}

/// Reads an input whole; `-` is standard input.
fn read(path: &Path) -> Result<(String, Vec<u8>), String> {
    let (name, reader): (String, Box<dyn Read>) = if path == Path::new("-") {
        ("standard input".to_owned(), Box::new(std::io::stdin().lock()))
    } else {
        let name = format!("`{}`", path.display());
        let file = std::fs::File::open(path)
            .map_err(|e| format!("reading {name}: {e}"))?;
        (name, Box::new(file))
    };
    let mut payload = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut payload)
        .map_err(|e| format!("reading {name}: {e}"))?;
    if payload.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "reading {name}: expected at most {MAX_INPUT_BYTES} bytes of \
             samples, found more"
        ));
    }
    Ok((name, payload))
}
