//! The command-line face of lognorm: normalize a payload of one log type.
//!
//! ```text
//! cargo run --release --example normalize -- --log-type NAME \
//!     [--schema FILE_OR_DIR]... [--parse-time RFC3339] \
//!     [--framing json|lines|octet-counted|auto] \
//!     [--source-id ID] [--source-label LABEL] [INPUT]
//! ```
//!
//! Reads INPUT (a file, or stdin when absent or `-`), writes one normalized
//! row per event to stdout as JSON lines, and one JSON object per failed
//! record to stderr:
//! `{"record": N, "offset": BYTES, "log_type": "...", "error": "...", "raw": "..."}`.
//!
//! Exit status: 0 when every record normalized, 1 when some failed (all
//! good rows are still written), 2 for usage or schema errors.

use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use lognorm::{
    Context, Framing, Registry, RowIdGenerator, Scratch, Timestamp,
};

const USAGE: &str = "usage: normalize --log-type NAME [--schema FILE_OR_DIR]... \
[--parse-time RFC3339] [--framing json|lines|octet-counted|auto] \
[--source-id ID] [--source-label LABEL] [INPUT]";

struct Args {
    log_type: String,
    schemas: Vec<String>,
    parse_time: Option<Timestamp>,
    framing: Option<Framing>,
    source_id: Option<String>,
    source_label: Option<String>,
    input: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut log_type = None;
    let mut out = Args {
        log_type: String::new(),
        schemas: Vec::new(),
        parse_time: None,
        framing: None,
        source_id: None,
        source_label: None,
        input: None,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next().ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--log-type" => log_type = Some(value("--log-type")?),
            "--schema" => out.schemas.push(value("--schema")?),
            "--parse-time" => {
                let v = value("--parse-time")?;
                let t = v.parse::<Timestamp>().map_err(|_| {
                    format!("--parse-time: `{v}` is not an RFC 3339 timestamp")
                })?;
                out.parse_time = Some(t);
            }
            "--framing" => {
                out.framing = Some(match value("--framing")?.as_str() {
                    "json" => Framing::Json,
                    "lines" => Framing::Lines,
                    "octet-counted" => Framing::OctetCounted,
                    "auto" => Framing::Auto,
                    other => {
                        return Err(format!(
                            "--framing: unknown framing `{other}`"
                        ));
                    }
                });
            }
            "--source-id" => out.source_id = Some(value("--source-id")?),
            "--source-label" => {
                out.source_label = Some(value("--source-label")?)
            }
            "-h" | "--help" => return Err(String::new()),
            _ if arg.starts_with("--") => {
                return Err(format!("unknown option `{arg}`"));
            }
            _ => {
                if out.input.replace(arg).is_some() {
                    return Err("more than one INPUT".to_owned());
                }
            }
        }
    }
    out.log_type = log_type.ok_or("--log-type is required")?;
    Ok(out)
}

fn registry(schemas: &[String]) -> Result<Registry, lognorm::SchemaError> {
    let mut b = Registry::builder();
    b.add_builtin()?;
    for s in schemas {
        if Path::new(s).is_dir() {
            b.add_dir(s)?;
        } else {
            b.add_file(s)?;
        }
    }
    Ok(b.build())
}

fn now() -> Timestamp {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(0);
    Timestamp::from_unix(secs, d.subsec_nanos()).unwrap_or(Timestamp::MIN)
}

/// Writes `s` as a JSON string.
fn json_str(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    out.write_all(b"\"")?;
    for c in s.chars() {
        match c {
            '"' => out.write_all(b"\\\"")?,
            '\\' => out.write_all(b"\\\\")?,
            '\n' => out.write_all(b"\\n")?,
            '\r' => out.write_all(b"\\r")?,
            '\t' => out.write_all(b"\\t")?,
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32)?,
            c => write!(out, "{c}")?,
        }
    }
    out.write_all(b"\"")
}

fn run() -> Result<bool, (u8, String)> {
    let args = parse_args().map_err(|e| {
        if e.is_empty() {
            (2, USAGE.to_owned())
        } else {
            (2, format!("{e}\n{USAGE}"))
        }
    })?;
    let registry = registry(&args.schemas).map_err(|e| (2, e.to_string()))?;
    let Some(log_type) = registry.log_type(&args.log_type) else {
        let known: Vec<&str> =
            registry.log_types().map(|t| t.name()).collect();
        return Err((
            2,
            format!(
                "unknown log type `{}`; known: {}",
                args.log_type,
                known.join(", ")
            ),
        ));
    };

    let mut payload = Vec::new();
    let read = match args.input.as_deref() {
        None | Some("-") => std::io::stdin().read_to_end(&mut payload),
        Some(path) => std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut payload)),
    };
    read.map_err(|e| (2, format!("reading input: {e}")))?;

    let parse_time = args.parse_time.unwrap_or_else(now);
    let mut ctx = Context::new(parse_time).with_row_ids(RowIdGenerator::new(
        [0x6c, 0x6f, 0x67, 0x6e, 0x6f, 0x72],
        parse_time,
    ));
    if let Some(id) = &args.source_id {
        ctx = ctx.with_source_id(id);
    }
    if let Some(label) = &args.source_label {
        ctx = ctx.with_source_label(label);
    }

    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = BufWriter::new(stdout.lock());
    let mut err = BufWriter::new(stderr.lock());
    let mut scratch = Scratch::new();
    let mut all_ok = true;
    let records = match args.framing {
        Some(f) => lognorm::split(&payload, f),
        None => log_type.split(&payload),
    };
    let io = |e: std::io::Error| (2, format!("writing output: {e}"));
    for record in records {
        match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(event) => {
                out.write_all(event.row().as_bytes()).map_err(io)?;
                out.write_all(b"\n").map_err(io)?;
            }
            Err(e) => {
                all_ok = false;
                write!(
                    err,
                    "{{\"record\":{},\"offset\":{},\"log_type\":",
                    e.record_number(),
                    e.offset()
                )
                .map_err(io)?;
                json_str(&mut err, e.log_type()).map_err(io)?;
                err.write_all(b",\"error\":").map_err(io)?;
                json_str(&mut err, &e.to_string()).map_err(io)?;
                err.write_all(b",\"raw\":").map_err(io)?;
                json_str(&mut err, &String::from_utf8_lossy(e.raw()))
                    .map_err(io)?;
                err.write_all(b"}\n").map_err(io)?;
            }
        }
    }
    out.flush().map_err(io)?;
    err.flush().map_err(io)?;
    Ok(all_ok)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err((code, msg)) => {
            eprintln!("normalize: {msg}");
            ExitCode::from(code)
        }
    }
}
