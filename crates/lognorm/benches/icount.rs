//! Instructions per record, counted with callgrind: the measure the
//! restructurings are held to (a busy machine changes times, not
//! instruction counts).
//!
//! Normalizes the same generated corpora as the `normalize` and
//! `fastmatch` benches (same generators and seeds): each JSON type's
//! ~1 MiB NDJSON and 20,000 Heroku drain lines. Each log type is warmed
//! up once, then split and normalized once more inside [`measured`],
//! the only function callgrind counts:
//!
//! ```text
//! cargo bench --no-run --bench icount     # prints the binary's path
//! for t in Databricks.Audit Heroku.Runtime; do
//!   valgrind --tool=callgrind --toggle-collect='icount::measured*' \
//!     --callgrind-out-file=/tmp/cg.$t target/release/deps/icount-<hash> $t
//! done
//! ```
//!
//! The binary prints the records of each type; the collected `Ir`
//! (`callgrind_annotate /tmp/cg.<type> | head`) divided by them is the
//! instructions per record. `crates/lognorm/benches/icount.sh` does all
//! of it. Without valgrind (`cargo bench -- --test`, as CI runs it) it
//! only checks that every record normalizes.

mod heroku_gen;
mod json_gen;
mod rng;

use std::hint::black_box;

use lognorm::{Context, LogType, Registry, Scratch};

/// The seeds of `benches/normalize.rs` and `benches/fastmatch.rs`.
const JSON_SEED: u64 = 0x6a50_4e5e_ed00_2024;
const HEROKU_SEED: u64 = 0x5eed_4e70_c0de_2024;

/// Splits and normalizes the payload; returns (events, row bytes).
#[inline(never)]
fn measured(
    lt: &LogType,
    ctx: &mut Context,
    scratch: &mut Scratch,
    payload: &[u8],
) -> (usize, usize) {
    let (mut events, mut bytes) = (0, 0);
    for record in lt.split(black_box(payload)) {
        if let Ok(event) = lt.normalize(record, ctx, scratch) {
            events += 1;
            bytes += event.row_bytes().len();
        }
    }
    (events, bytes)
}

fn payload(name: &str) -> Vec<u8> {
    if name == "Heroku.Runtime" {
        heroku_gen::payload(&heroku_gen::lines(20_000, HEROKU_SEED))
    } else {
        json_gen::corpus(name, 1 << 20, JSON_SEED).payload
    }
}

fn main() {
    let registry = Registry::builtin();
    let chosen: Vec<String> =
        std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let mut names: Vec<&str> = json_gen::JSON_TYPES.to_vec();
    names.push("Heroku.Runtime");
    for name in names {
        if !chosen.is_empty() && !chosen.iter().any(|c| c == name) {
            continue;
        }
        let lt = registry.log_type(name).expect("shipped log type");
        let payload = payload(name);
        let records = lt.split(&payload).count();
        let t = "2024-06-03T12:00:00Z".parse().expect("a timestamp");
        let mut ctx = Context::new(t, *b"icount");
        let mut scratch = Scratch::new();
        // Warm-up outside `measured`, so callgrind does not count it.
        let mut warm = 0;
        for record in lt.split(&payload) {
            warm += usize::from(
                lt.normalize(record, &mut ctx, &mut scratch).is_ok(),
            );
        }
        assert_eq!(warm, records, "{name}: every record normalizes");
        // (Row ids grow, so the row bytes may differ by a few.)
        let (events, bytes) = measured(lt, &mut ctx, &mut scratch, &payload);
        assert_eq!(events, warm, "{name}");
        println!("{name} records={records} row_bytes={bytes}");
    }
}
