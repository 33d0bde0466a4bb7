//! Classification against normalizing with the log type known, on the
//! same records in the same run (issue 19's targets: one type's stream
//! at ≥ 0.9× the known-type throughput, a mixed stream of the seven
//! shipped types at ≥ 0.5×).
//!
//! The records are generated (`json_gen.rs` for the six JSON types,
//! `heroku_gen.rs` for Heroku.Runtime lines), including the keys the
//! schemas do not declare. Every variant takes the same records one by
//! one (no splitting), with a reused `Scratch` and `Context`, and reports
//! `Throughput::Bytes` of them:
//!
//! - `classify/<LogType>/known`: `LogType::normalize` with the type known;
//! - `classify/<LogType>/classified`: a classifier over all seven shipped
//!   types (in their name order), one `ClassifyState` for the stream;
//! - `classify/mixed/known` and `.../classified`: the records of the
//!   seven types shuffled into one stream (about as many bytes of each).
//!
//! Before timing, every classified record is checked to get its own type.
//!
//! ```text
//! cargo bench --bench classify               # measure
//! cargo bench --bench classify -- --test     # each bench once
//! ```

#[allow(dead_code, reason = "the other benches use the rest")]
mod heroku_gen;
mod json_gen;
mod rng;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lognorm::{Classifier, Context, Record, Registry, Scratch, Timestamp};

const SEED: u64 = 0x6a50_4e5e_ed00_2019;

/// The seven shipped types, the classifier's candidates.
const SEVEN: [&str; 7] = [
    "Databricks.Audit",
    "Heroku.Runtime",
    "Hex.Audit",
    "OpenAI.Audit",
    "Wiz.Audit",
    "Wiz.Issues",
    "Wiz.VulnerabilityFinding",
];

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// Bytes of generated records per log type.
fn type_bytes() -> usize {
    if test_mode() { 32 << 10 } else { 256 << 10 }
}

fn context() -> Context {
    let t: Timestamp = "2024-06-03T12:00:00Z".parse().expect("constant");
    Context::new(t, *b"bench1")
}

/// `(type, record)` for about [`type_bytes`] of each of the seven types.
fn records() -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    for name in json_gen::JSON_TYPES {
        let corpus = json_gen::corpus(name, type_bytes(), SEED);
        out.extend(corpus.lines().map(|l| (name, l.to_vec())));
    }
    let mut n = 0;
    for line in heroku_gen::lines(type_bytes() / 100, SEED) {
        n += line.len();
        out.push(("Heroku.Runtime", line.into_bytes()));
        if n > type_bytes() {
            break;
        }
    }
    out
}

#[inline(never)]
fn known(
    registry: &Registry,
    records: &[(&'static str, Vec<u8>)],
    ctx: &mut Context,
    scratch: &mut Scratch,
) -> usize {
    let mut events = 0;
    for (name, bytes) in records {
        let Some(lt) = registry.log_type(name) else { continue };
        let record = Record::new(black_box(bytes), 1, 0);
        if lt.normalize(record, ctx, scratch).is_ok() {
            events += 1;
        }
    }
    events
}

#[inline(never)]
fn classified(
    c: &Classifier,
    records: &[(&'static str, Vec<u8>)],
    ctx: &mut Context,
    scratch: &mut Scratch,
    state: &mut lognorm::ClassifyState,
) -> usize {
    let mut events = 0;
    for (_, bytes) in records {
        let record = Record::new(black_box(bytes), 1, 0);
        if c.classify(record, ctx, scratch, state).is_ok() {
            events += 1;
        }
    }
    events
}

/// Both variants over `records`, after checking every record gets its
/// own type.
fn pair(
    cr: &mut Criterion,
    group: &str,
    registry: &Registry,
    c: &Classifier,
    records: &[(&'static str, Vec<u8>)],
) {
    let (mut ctx, mut scratch, mut state) =
        (context(), Scratch::new(), c.state());
    for (name, bytes) in records {
        let record = Record::new(bytes, 1, 0);
        match c.classify(record, &mut ctx, &mut scratch, &mut state) {
            Ok((lt, _)) => assert_eq!(lt.name(), *name, "{group}"),
            Err(e) => panic!("{group}: {e}"),
        }
    }
    let bytes: usize = records.iter().map(|(_, r)| r.len()).sum();
    let mut g = cr.benchmark_group(format!("classify/{group}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("known", |b| {
        let (mut ctx, mut scratch) = (context(), Scratch::new());
        b.iter(|| known(registry, records, &mut ctx, &mut scratch));
    });
    g.bench_function("classified", |b| {
        let (mut ctx, mut scratch, mut state) =
            (context(), Scratch::new(), c.state());
        b.iter(|| classified(c, records, &mut ctx, &mut scratch, &mut state));
    });
    g.finish();
}

fn benches(cr: &mut Criterion) {
    let registry = Registry::builtin();
    let c = registry.classifier(&SEVEN).expect("the shipped types");
    let all = records();
    for name in SEVEN {
        let one: Vec<_> =
            all.iter().filter(|(n, _)| *n == name).cloned().collect();
        pair(cr, name, &registry, &c, &one);
    }
    let mut mixed = all;
    let mut rng = rng::XorShift::new(SEED);
    for i in (1..mixed.len()).rev() {
        mixed.swap(i, rng.below(i as u64 + 1) as usize);
    }
    pair(cr, "mixed", &registry, &c, &mixed);
}

criterion_group! {
    name = group;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
criterion_main!(group);
