//! `lognorm normalize`: inputs in, JSON rows and dead letters out.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use lognorm::{
    Classifier, Context, Framing, Limits, LogType, Registry, Scratch,
    SplitReader, Timestamp,
};

use crate::{Status, dead_letter, schemas};

/// The row-id node of every row this command writes (`lognor` in ASCII),
/// as the golden files under `testdata/logs/` expect.
const NODE_ID: [u8; 6] = *b"lognor";

/// The arguments of `lognorm normalize`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The log type of the input, e.g. `Wiz.Audit`, or a comma-separated
    /// list of candidates (`Wiz.Audit,Wiz.Issues`): each record gets the
    /// one that fits it best
    #[arg(long, value_name = "NAME")]
    log_type: String,

    /// Add a schema file, or a directory's `*.yml` and `*.yaml` files
    #[arg(long = "schema", value_name = "FILE_OR_DIR")]
    schemas: Vec<PathBuf>,

    /// Pin `p_parse_time` and the row ids' start (default: now)
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    parse_time: Option<Timestamp>,

    /// How inputs are cut into records (default: the log type's)
    #[arg(long, value_enum)]
    framing: Option<FramingArg>,

    /// Set `p_source_id` on every row
    #[arg(long, value_name = "ID")]
    source_id: Option<String>,

    /// Set `p_source_label` on every row
    #[arg(long, value_name = "LABEL")]
    source_label: Option<String>,

    /// Write the rows to FILE instead of standard output
    #[arg(short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Write the dead letters to FILE instead of standard error
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,

    /// Files to normalize, in order (none or `-`: standard input)
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    #[command(flatten)]
    limits: LimitArgs,
}

/// The record limits (`lognorm::Limits`); inputs are streamed, so a file
/// is bounded by the disk, not by memory: a record over
/// `--max-record-bytes` is one dead letter, read past without keeping it.
#[derive(Debug, clap::Args)]
pub(crate) struct LimitArgs {
    /// Longest record, in bytes [default: 8 MiB]
    #[arg(long, value_name = "BYTES")]
    max_record_bytes: Option<usize>,

    /// Deepest JSON nesting [default: 128]
    #[arg(long, value_name = "LEVELS")]
    max_depth: Option<usize>,

    /// Longest string value, in bytes
    #[arg(long, value_name = "BYTES")]
    max_string_bytes: Option<usize>,

    /// Most object members in one record
    #[arg(long, value_name = "N")]
    max_record_fields: Option<usize>,

    /// Most indicator values in one event
    #[arg(long, value_name = "N")]
    max_indicator_values: Option<usize>,
}

impl LimitArgs {
    /// The limits: the library's defaults, with the flags given.
    fn limits(&self) -> Limits {
        let mut l = Limits::new();
        if let Some(n) = self.max_record_bytes {
            l = l.max_record_bytes(n);
        }
        if let Some(n) = self.max_depth {
            l = l.max_depth(n);
        }
        if let Some(n) = self.max_string_bytes {
            l = l.max_string_bytes(n);
        }
        if let Some(n) = self.max_record_fields {
            l = l.max_record_fields(n);
        }
        if let Some(n) = self.max_indicator_values {
            l = l.max_indicator_values(n);
        }
        l
    }
}

/// `--framing`'s values.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum FramingArg {
    /// One JSON value, an array of them, or NDJSON
    Json,
    /// Each line is a record
    Lines,
    /// Syslog octet counting (RFC 6587, Heroku log drains)
    OctetCounted,
    /// octet-counted if the input starts with a frame, else lines
    Auto,
}

impl From<FramingArg> for Framing {
    fn from(f: FramingArg) -> Framing {
        match f {
            FramingArg::Json => Framing::Json,
            FramingArg::Lines => Framing::Lines,
            FramingArg::OctetCounted => Framing::OctetCounted,
            FramingArg::Auto => Framing::Auto,
        }
    }
}

fn parse_time(s: &str) -> Result<Timestamp, String> {
    s.parse().map_err(|_| {
        format!("expected an RFC 3339 timestamp, found `{}`", s.escape_debug())
    })
}

/// Runs the command.
///
/// # Errors
///
/// A one-line message for usage, schema and I/O errors (exit status 2).
pub(crate) fn run(args: &Args) -> Result<Status, String> {
    let limits = args.limits.limits();
    let registry = registry(&args.schemas, limits)?;
    // `A,B,C`: a classifier over the candidates (one name: the type).
    let classifier = candidates(&registry, &args.log_type)?;
    let log_type = match &classifier {
        Some(c) => c.candidates().next().ok_or("--log-type: no names")?,
        None => find_log_type(&registry, &args.log_type)?,
    };
    let mut state = classifier.as_ref().map(Classifier::state);

    let parse_time = args.parse_time.unwrap_or_else(now);
    let mut ctx = Context::new(parse_time, NODE_ID);
    if let Some(id) = &args.source_id {
        ctx = ctx.with_source_id(id);
    }
    if let Some(label) = &args.source_label {
        ctx = ctx.with_source_label(label);
    }

    let inputs = if args.inputs.is_empty() {
        &[PathBuf::from("-")][..]
    } else {
        &args.inputs
    };
    not_an_input("-o", args.output.as_deref(), inputs)?;
    not_an_input("--errors", args.errors.as_deref(), inputs)?;
    let mut rows = Sink::create(args.output.as_deref(), Stream::Stdout)?;
    let mut dead = Sink::create(args.errors.as_deref(), Stream::Stderr)?;
    let mut scratch = Scratch::new();
    let mut all_ok = true;
    for input in inputs {
        let name_of_input = input_name(input);
        // One record: its row to `rows`, or its dead letter to `dead`;
        // whether it normalized.
        let mut one = |record: lognorm::Record<'_>| {
            if let (Some(c), Some(state)) = (&classifier, &mut state) {
                return match c.classify(record, &mut ctx, &mut scratch, state)
                {
                    Ok((_, event)) => {
                        rows.line(event.row_bytes()).map(|()| true)
                    }
                    Err(e) => dead
                        .unclassified(&name_of_input, &e, &args.log_type)
                        .map(|()| false),
                };
            }
            match log_type.normalize(record, &mut ctx, &mut scratch) {
                Ok(event) => rows.line(event.row_bytes()).map(|()| true),
                Err(e) => dead.dead_letter(&name_of_input, &e).map(|()| false),
            }
        };
        // Streamed: records are cut from the input as it is read, so
        // memory holds one read and the largest record, not the file.
        let (name, mut source) = open(input)?;
        let framing = match (&classifier, args.framing) {
            (_, Some(f)) => Some(f.into()),
            // The classifier's framing, from the input's first bytes.
            (Some(c), None) => {
                let mut head = Vec::new();
                (&mut source)
                    .take(4096)
                    .read_to_end(&mut head)
                    .map_err(|e| format!("reading {name}: {e}"))?;
                let framing = c.framing(&head);
                source = Box::new(io::Cursor::new(head).chain(source));
                Some(framing)
            }
            (None, None) => None,
        };
        if framing.is_none() && log_type.splits_whole() {
            // csv: the header row names every row's columns, so the
            // input is split whole.
            let mut payload = Vec::new();
            source
                .read_to_end(&mut payload)
                .map_err(|e| format!("reading {name}: {e}"))?;
            for record in log_type.split(&payload) {
                all_ok &= one(record)?;
            }
            continue;
        }
        let mut records = match framing {
            Some(f) => SplitReader::new(source, f)
                .max_record_bytes(limits.record_bytes()),
            None => log_type.split_reader(source),
        };
        while let Some(record) = records
            .next_record()
            .map_err(|e| format!("reading {name}: {e}"))?
        {
            all_ok &= one(record)?;
        }
    }
    rows.flush()?;
    dead.flush()?;
    Ok(if all_ok { Status::Clean } else { Status::RecordsFailed })
}

/// Refuses an output file that is also an input: creating it would
/// truncate the input before it is read.
fn not_an_input(
    option: &str,
    output: Option<&Path>,
    inputs: &[PathBuf],
) -> Result<(), String> {
    let Some(out) = output.and_then(|p| p.canonicalize().ok()) else {
        return Ok(());
    };
    match inputs.iter().find(|i| i.canonicalize().is_ok_and(|i| i == out)) {
        Some(input) => Err(format!(
            "{option}: expected a file that is not an input, found `{}`",
            input.display()
        )),
        None => Ok(()),
    }
}

/// The shipped log types and those of every `--schema`, held to `limits`.
fn registry(args: &[PathBuf], limits: Limits) -> Result<Registry, String> {
    let mut b = Registry::builder();
    b.limits(limits);
    b.add_builtin().map_err(|e| e.to_string())?;
    // A `--schema` of a shipped log type's name is the user's version of
    // it and replaces the shipped one; of the user's own schemas, the
    // last one given for a name wins.
    b.on_duplicate(lognorm::OnDuplicate::Replace);
    for arg in args {
        for file in schemas::files(arg)? {
            schemas::add(&mut b, &file)?;
        }
    }
    Ok(b.build())
}

/// A classifier over the comma-separated log types of `--log-type`, or
/// `None` for one name.
fn candidates(
    registry: &Registry,
    names: &str,
) -> Result<Option<Classifier>, String> {
    if !names.contains(',') {
        return Ok(None);
    }
    let names: Vec<&str> = names.split(',').map(str::trim).collect();
    registry
        .classifier(&names)
        .map(Some)
        .map_err(|e| format!("--log-type: {e}"))
}

fn find_log_type<'r>(
    registry: &'r Registry,
    name: &str,
) -> Result<&'r LogType, String> {
    if let Some(t) = registry.log_type(name) {
        return Ok(t);
    }
    let known: Vec<&str> = registry.log_types().map(|t| t.name()).collect();
    Err(format!(
        "unknown log type `{}`; known: {}",
        name.escape_debug(),
        known.join(", ")
    ))
}

/// The name dead letters carry for an input: its path, or `-`.
fn input_name(path: &Path) -> String {
    path.display().to_string()
}

/// Opens an input for reading; `-` is standard input. Gives the name I/O
/// errors use and the reader.
fn open(path: &Path) -> Result<(String, Box<dyn Read>), String> {
    if path == Path::new("-") {
        return Ok((
            "standard input".to_owned(),
            Box::new(io::stdin().lock()),
        ));
    }
    let name = format!("`{}`", path.display());
    let file = File::open(path).map_err(|e| format!("reading {name}: {e}"))?;
    Ok((name, Box::new(file)))
}

fn now() -> Timestamp {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(0);
    Timestamp::from_unix(secs, d.subsec_nanos()).unwrap_or(Timestamp::MIN)
}

/// The standard stream a [`Sink`] falls back to.
#[derive(Clone, Copy, Debug)]
enum Stream {
    Stdout,
    Stderr,
}

/// Where rows or dead letters go: a file, or a standard stream. Write
/// errors name it.
struct Sink {
    name: String,
    out: BufWriter<Box<dyn Write>>,
}

impl Sink {
    /// Creates `path` (truncating it), or takes the standard stream when
    /// there is no path or it is `-`.
    fn create(path: Option<&Path>, stream: Stream) -> Result<Sink, String> {
        let (name, out): (String, Box<dyn Write>) = match (path, stream) {
            (Some(p), _) if p != Path::new("-") => {
                let name = format!("`{}`", p.display());
                let file = File::create(p)
                    .map_err(|e| format!("creating {name}: {e}"))?;
                (name, Box::new(file))
            }
            (_, Stream::Stdout) => {
                ("standard output".to_owned(), Box::new(io::stdout()))
            }
            (_, Stream::Stderr) => {
                ("standard error".to_owned(), Box::new(io::stderr()))
            }
        };
        Ok(Sink { name, out: BufWriter::new(out) })
    }

    fn line(&mut self, row: &[u8]) -> Result<(), String> {
        let written = self.out.write_all(row);
        written
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(|e| self.error(&e))
    }

    fn dead_letter(
        &mut self,
        input: &str,
        e: &lognorm::RecordError,
    ) -> Result<(), String> {
        dead_letter::write(&mut self.out, input, e)
            .map_err(|io| self.error(&io))
    }

    fn unclassified(
        &mut self,
        input: &str,
        e: &lognorm::ClassifyError,
        log_types: &str,
    ) -> Result<(), String> {
        dead_letter::write_unclassified(&mut self.out, input, e, log_types)
            .map_err(|io| self.error(&io))
    }

    fn flush(&mut self) -> Result<(), String> {
        self.out.flush().map_err(|e| self.error(&e))
    }

    fn error(&self, e: &io::Error) -> String {
        format!("writing {}: {e}", self.name)
    }
}
