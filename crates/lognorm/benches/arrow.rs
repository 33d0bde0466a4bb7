//! Columnar output (feature `arrow`): normalizing into Arrow record
//! batches, against the routes through JSON text, on the same bytes in
//! the same run (issue 18).
//!
//! Each JSON log type gets the generated NDJSON corpus of
//! `benches/normalize.rs` (`json_gen.rs`, same seed, about 1 MiB; 64 KiB
//! with `--test`) and a group `arrow/<LogType>` whose variants all read
//! the same payload and report `Throughput::Bytes` of it:
//!
//! - `lognorm_batch`: `lognorm::arrow::BatchDecoder` (batches of 8192
//!   events, builders reused), every batch flushed: all of lognorm's
//!   work, straight into Arrow columns;
//! - `lognorm_rows_arrow_json`: lognorm's JSON rows (`normalize`), then
//!   arrow-json's decoder reading them into the same Arrow schema: the
//!   route a user has without the feature;
//! - `arrow_json_raw`: arrow-json decoding the raw records alone, into
//!   the schema it infers from them (inferred once, outside the timing):
//!   parse and columns, none of lognorm's work (left out for a corpus it
//!   infers no schema for, such as Wiz.Audit's);
//! - `simd_json_tape`: simd-json's `fill_tape` of every record, the
//!   floor and the unit of the ratios (as in `benches/normalize.rs`).
//!
//! Targets: `lognorm_batch` at least 0.45× `simd_json_tape` (faster than
//! `arrow_json_raw`) and at least 2× `lognorm_rows_arrow_json`.
//!
//! Each variant's result is checked once before it is timed: every
//! variant reads every record of the corpus (`tests/arrow.rs` checks that
//! the batches equal the rows read by arrow-json).
//!
//! ```text
//! cargo bench --features arrow --bench arrow               # measure
//! cargo bench --features arrow --bench arrow -- --test     # each once
//! ```

mod json_gen;
mod rng;

use std::hint::black_box;
use std::io::Cursor;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_json::reader::{Decoder, ReaderBuilder, infer_json_schema};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use json_gen::JSON_TYPES;
use lognorm::arrow::{BatchDecoder, arrow_schema};
use lognorm::{Context, LogType, Registry, Scratch, Timestamp};
use simd_json::{Buffers, Tape};

/// The generator's seed (the one of `benches/normalize.rs`).
const SEED: u64 = 0x6a50_4e5e_ed00_2024;

/// The parse time every lognorm variant uses.
const PARSE_TIME: &str = "2024-06-03T12:00:00Z";

/// Events per batch.
const BATCH: usize = 8192;

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

fn corpus_bytes() -> usize {
    if test_mode() { 64 << 10 } else { 1 << 20 }
}

fn context() -> Context {
    let t: Timestamp = PARSE_TIME.parse().expect("timestamp");
    Context::new(t, *b"bench0")
}

/// Normalizes the payload into batches; returns them.
#[inline(never)]
fn lognorm_batch(
    decoder: &mut BatchDecoder<'_>,
    ctx: &mut Context,
    payload: &[u8],
) -> Vec<RecordBatch> {
    decoder.decode(black_box(payload), ctx).expect("decode");
    let mut out = Vec::new();
    while let Some(b) = decoder.flush().expect("flush") {
        out.push(b.events);
    }
    out
}

/// The state of the rows-then-arrow-json route: lognorm's scratch, the
/// NDJSON rows of a batch, arrow-json's decoder.
struct Rows {
    scratch: Scratch,
    text: Vec<u8>,
    decoder: Decoder,
}

/// `schema` as arrow-json reads it: `p_log_type` plain Utf8 (no
/// dictionaries in its reader), timestamps at `+00:00` (named zones need
/// chrono-tz).
fn readable(schema: &Schema) -> SchemaRef {
    fn field(f: &Field) -> Field {
        let t = match f.data_type() {
            DataType::Dictionary(..) => DataType::Utf8,
            DataType::Timestamp(u, Some(_)) => {
                DataType::Timestamp(*u, Some("+00:00".into()))
            }
            DataType::Struct(fs) => DataType::Struct(
                fs.iter().map(|f| field(f)).collect::<Vec<_>>().into(),
            ),
            DataType::List(i) => DataType::List(Arc::new(field(i))),
            t => t.clone(),
        };
        f.clone().with_data_type(t)
    }
    Arc::new(Schema::new(
        schema.fields().iter().map(|f| field(f)).collect::<Vec<_>>(),
    ))
}

/// lognorm's JSON rows, read back by arrow-json (`json` columns hold
/// JSON objects there, which arrow-json cannot read into Utf8: those
/// columns are left out of its schema, so this route does less work
/// than `lognorm_batch`).
#[inline(never)]
fn rows_arrow_json(
    lt: &LogType,
    rows: &mut Rows,
    ctx: &mut Context,
    payload: &[u8],
) -> Vec<RecordBatch> {
    let mut out = Vec::new();
    let mut n = 0;
    for record in lt.split(black_box(payload)) {
        if let Ok(event) = lt.normalize(record, ctx, &mut rows.scratch) {
            rows.text.extend_from_slice(event.row_bytes());
            rows.text.push(b'\n');
            n += 1;
            if n == BATCH {
                out.extend(decode_all(&mut rows.decoder, &rows.text));
                rows.text.clear();
                n = 0;
            }
        }
    }
    out.extend(decode_all(&mut rows.decoder, &rows.text));
    rows.text.clear();
    out
}

/// `fields` without the `json` ones, at every level (a struct or list
/// left with nothing goes too).
fn without_json<'f>(
    fields: impl IntoIterator<Item = &'f Arc<Field>>,
) -> Vec<Field> {
    fields
        .into_iter()
        .filter(|f| !f.metadata().contains_key("lognorm.type"))
        .filter_map(|f| {
            let t = match f.data_type() {
                DataType::Struct(fs) => {
                    let kept = without_json(fs.iter());
                    if kept.is_empty() {
                        return None;
                    }
                    DataType::Struct(kept.into())
                }
                DataType::List(item) => {
                    let mut kept = without_json([item]);
                    DataType::List(Arc::new(kept.pop()?))
                }
                t => t.clone(),
            };
            Some(f.as_ref().clone().with_data_type(t))
        })
        .collect()
}

/// Every batch arrow-json's decoder makes of `text`.
fn decode_all(decoder: &mut Decoder, mut text: &[u8]) -> Vec<RecordBatch> {
    let mut out = Vec::new();
    loop {
        let n = decoder.decode(text).expect("arrow-json");
        text = &text[n..];
        match decoder.flush().expect("arrow-json") {
            Some(b) => out.push(b),
            None if text.is_empty() => return out,
            None => {}
        }
    }
}

/// arrow-json's decoder of the raw records, into the schema it infers
/// from all of them (`None` when it infers none, or cannot read them
/// into it).
fn raw_decoder(payload: &[u8]) -> Option<Decoder> {
    let (inferred, _) = infer_json_schema(Cursor::new(payload), None).ok()?;
    let mut decoder = ReaderBuilder::new(Arc::new(inferred))
        .with_batch_size(BATCH)
        .with_coerce_primitive(true)
        .build_decoder()
        .ok()?;
    let mut text = payload;
    while !text.is_empty() {
        let n = decoder.decode(text).ok()?;
        text = &text[n..];
        decoder.flush().ok()?;
    }
    Some(decoder)
}

/// simd-json's tape of every line; returns the records parsed.
fn tape_all(
    input: &mut Vec<u8>,
    buffers: &mut Buffers,
    tape: &mut Tape<'static>,
    payload: &[u8],
) -> usize {
    let mut records = 0;
    for line in black_box(payload).split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        input.clear();
        input.extend_from_slice(line);
        let mut t = std::mem::replace(tape, Tape(Vec::new())).reset();
        if simd_json::fill_tape(input, buffers, &mut t).is_ok() {
            records += 1;
        }
        *tape = t.reset();
    }
    records
}

fn rows_of(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}

fn json_type(c: &mut Criterion, registry: &Registry, name: &str) {
    let corpus = json_gen::corpus(name, corpus_bytes(), SEED);
    let payload = &corpus.payload[..];
    let n = corpus.expected.len();
    let lt = registry.log_type(name).expect("shipped");
    let mut ctx = context();

    let mut decoder = BatchDecoder::new(lt, BATCH);
    let batches = lognorm_batch(&mut decoder, &mut ctx, payload);
    assert_eq!(rows_of(&batches), n, "{name}");

    // arrow-json cannot read `json` values into Utf8: leave them out.
    let schema = readable(&arrow_schema(lt));
    let kept = without_json(schema.fields());
    let decoder_of = |schema: SchemaRef| {
        ReaderBuilder::new(schema)
            .with_batch_size(BATCH)
            .build_decoder()
            .expect("arrow-json decoder")
    };
    let mut rows = Rows {
        scratch: Scratch::new(),
        text: Vec::new(),
        decoder: decoder_of(Arc::new(Schema::new(kept))),
    };
    assert_eq!(rows_of(&rows_arrow_json(lt, &mut rows, &mut ctx, payload)), n);

    // arrow-json infers no schema for some corpora (a key that is an
    // object in one record and a scalar in another): no such variant then.
    let mut raw = raw_decoder(payload);
    match &mut raw {
        Some(raw) => {
            assert_eq!(rows_of(&decode_all(raw, payload)), n, "{name}");
        }
        None => eprintln!("arrow/{name}: arrow-json infers no schema"),
    }

    let (mut input, mut buffers, mut tape) =
        (Vec::new(), Buffers::default(), Tape(Vec::new()));
    assert_eq!(tape_all(&mut input, &mut buffers, &mut tape, payload), n);

    let mut g = c.benchmark_group(format!("arrow/{name}"));
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.bench_function("lognorm_batch", |b| {
        b.iter(|| lognorm_batch(&mut decoder, &mut ctx, payload))
    });
    g.bench_function("lognorm_rows_arrow_json", |b| {
        b.iter(|| rows_arrow_json(lt, &mut rows, &mut ctx, payload))
    });
    if let Some(raw) = &mut raw {
        g.bench_function("arrow_json_raw", |b| {
            b.iter(|| decode_all(raw, black_box(payload)))
        });
    }
    g.bench_function("simd_json_tape", |b| {
        b.iter(|| tape_all(&mut input, &mut buffers, &mut tape, payload))
    });
    g.finish();
}

fn json_types(c: &mut Criterion) {
    let registry = Registry::builtin();
    for name in JSON_TYPES {
        json_type(c, &registry, name);
    }
}

criterion_group!(benches, json_types);
criterion_main!(benches);
