//! `lognorm normalize`: inputs in, JSON rows and dead letters out.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use lognorm::{
    Classifier, Context, Framing, Limits, LogType, Registry, Scratch,
    Timestamp,
};

use crate::chunks::{self, Chunk, Inline, Input, Job, Output, WriteChunk};
use crate::progress::Progress;
use crate::{Status, schemas};

/// The arguments of `lognorm normalize`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The log type of the input, e.g. `Wiz.Audit`, or a comma-separated
    /// list of candidates (`Wiz.Audit,Wiz.Issues`): each record gets the
    /// one that fits it best, and its row names it in `p_log_type`
    #[arg(long, value_name = "NAME[,NAME...]")]
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

    /// Worker threads [default: the available cores]
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,

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
    let first = args.log_type.split(',').next().unwrap_or_default().trim();
    let log_type = find_log_type(&registry, first)?;

    let parse_time = args.parse_time.unwrap_or_else(now);
    let mut ctx = Context::new(parse_time, chunks::NODE_ID);
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
    let job = Job {
        log_type,
        classifier,
        candidates: args.log_type.clone(),
        framing: args.framing.map(Framing::from),
        max_record_bytes: limits.record_bytes(),
        ctx,
        parse_time,
        output: Output::Json,
        input_names: inputs.iter().map(|i| input_name(i)).collect(),
        chunk_bytes: chunks::CHUNK_BYTES,
        chunk_records: chunks::CHUNK_RECORDS,
    };
    let mut writer = Writer {
        rows: Sink::create(args.output.as_deref(), Stream::Stdout)?,
        dead: Sink::create(args.errors.as_deref(), Stream::Stderr)?,
        progress: Progress::new(
            inputs,
            args.output.as_deref().is_none_or(|o| o == Path::new("-")),
        ),
        records: 0,
        failed: 0,
    };
    // Inputs are opened as the reader comes to them.
    let mut before = 0u64;
    let opened = inputs.iter().enumerate().map(|(index, path)| {
        let (name, reader) = open(path)?;
        let input = Input { index, name, reader, before };
        before += std::fs::metadata(path).map_or(0, |m| m.len());
        Ok(input)
    });
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    if threads > 1 {
        chunks::parallel(&job, threads, opened, &mut writer)?;
    } else {
        let mut inline =
            Inline { job: &job, scratch: Scratch::new(), writer: &mut writer };
        chunks::read(&job, opened, &mut inline)?;
    }
    writer.rows.flush()?;
    writer.dead.flush()?;
    writer.progress.finish();
    Ok(if writer.failed == 0 { Status::Clean } else { Status::RecordsFailed })
}

/// Writes each normalized chunk: rows, dead letters, progress.
struct Writer {
    rows: Sink,
    dead: Sink,
    progress: Progress,
    records: u64,
    failed: u64,
}

impl WriteChunk for Writer {
    fn write(&mut self, chunk: &Chunk) -> Result<(), String> {
        self.rows.bytes(&chunk.out.rows)?;
        self.records += chunk.out.records;
        self.failed += chunk.out.failed;
        if !chunk.out.dead.is_empty() {
            let dead = &mut self.dead;
            self.progress.suspend(|| {
                dead.bytes(&chunk.out.dead)?;
                // Dead letters on the terminal are shown as they come.
                dead.flush()
            })?;
        }
        self.progress.update(chunk.read_to, self.records, self.failed);
        Ok(())
    }
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
    out: BufWriter<Box<dyn Write + Send>>,
}

impl Sink {
    /// Creates `path` (truncating it), or takes the standard stream when
    /// there is no path or it is `-`.
    fn create(path: Option<&Path>, stream: Stream) -> Result<Sink, String> {
        let (name, out): (String, Box<dyn Write + Send>) = match (path, stream)
        {
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

    fn bytes(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.out.write_all(bytes).map_err(|e| self.error(&e))
    }

    fn flush(&mut self) -> Result<(), String> {
        self.out.flush().map_err(|e| self.error(&e))
    }

    fn error(&self, e: &io::Error) -> String {
        format!("writing {}: {e}", self.name)
    }
}
