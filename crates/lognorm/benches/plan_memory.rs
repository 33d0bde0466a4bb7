//! How much memory a compiled plan keeps, and a scratch after use.
//!
//! Not a timing bench (`harness = false`, a plain `main`): a counting
//! global allocator tracks live heap bytes, which would slow down every
//! allocation of a timed bench, so it lives in its own binary. It prints
//! one table:
//!
//! - `plan`: the heap bytes a registry holding only that log type keeps
//!   after `Registry::builder().add_yaml(…).build()` (allocated minus
//!   freed while building; the YAML text is static and not counted),
//!   `builtin` for `Registry::builtin()`;
//! - `peak`: the most bytes live at once while compiling;
//! - `scratch`: the bytes a `Scratch` (and `Context`) keeps after
//!   normalizing the bench corpus of that type once (the generated JSON
//!   corpora of `json_gen.rs`, about 1 MiB, and the Heroku lines of
//!   `heroku_gen.rs`); it grows to the largest record and stays there.
//!
//! and checks the plans stay small: under 256 KiB per log type, 1 MiB
//! for all of them.
//!
//! ```text
//! cargo bench --bench plan_memory
//! ```

mod heroku_gen;
mod json_gen;
mod rng;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use lognorm::{Context, Registry, Scratch};

/// Counts live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: forwards to the system allocator; only counts bytes.
#[allow(unsafe_code, reason = "a counting allocator wraps the system one")]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(
        &self,
        ptr: *mut u8,
        layout: Layout,
        new: usize,
    ) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Runs `f`; returns what it returned, the bytes it left allocated and
/// the most bytes above the start it had live at once.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = live();
    PEAK.store(before, Ordering::Relaxed);
    let value = f();
    let kept = live().saturating_sub(before);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (value, kept, peak)
}

const SHIPPED: [(&str, &str); 7] = [
    ("Databricks.Audit", include_str!("../schemas/Databricks.Audit.yml")),
    ("Heroku.Runtime", include_str!("../schemas/Heroku.Runtime.yml")),
    ("Hex.Audit", include_str!("../schemas/Hex.Audit.yml")),
    ("OpenAI.Audit", include_str!("../schemas/OpenAI.Audit.yml")),
    ("Wiz.Audit", include_str!("../schemas/Wiz.Audit.yml")),
    ("Wiz.Issues", include_str!("../schemas/Wiz.Issues.yml")),
    (
        "Wiz.VulnerabilityFinding",
        include_str!("../schemas/Wiz.VulnerabilityFinding.yml"),
    ),
];

/// The bench corpus of a log type.
fn corpus(name: &str) -> Vec<u8> {
    if name == "Heroku.Runtime" {
        heroku_gen::payload(&heroku_gen::lines(10_000, 0x5eed_4e70_c0de_2024))
    } else {
        json_gen::corpus(name, 1 << 20, 0x6a50_4e5e_ed00_2024).payload
    }
}

fn main() {
    const PLAN_MAX: usize = 256 << 10;
    const BUILTIN_MAX: usize = 1 << 20;
    let parse_time = "2024-06-03T12:00:00Z".parse().expect("timestamp");

    println!("plan_memory: heap bytes kept by a compiled log type");
    println!(
        "{:<26} {:>6} {:>9} {:>9} {:>9}",
        "log type", "yaml", "plan", "peak", "scratch"
    );
    let mut sum = 0;
    for (name, yaml) in SHIPPED {
        let (registry, plan, peak) = measure(|| {
            Registry::builder()
                .add_yaml(name, yaml)
                .unwrap_or_else(|e| panic!("{e}"))
                .build()
        });
        let lt = registry.log_type(name).expect("compiled");
        let payload = corpus(name);
        let ((events, scratch), kept, _) = measure(|| {
            let mut ctx = Context::new(parse_time, *b"bench0");
            let mut scratch = Scratch::new();
            let mut events = 0;
            for record in lt.split(&payload) {
                events += usize::from(
                    lt.normalize(record, &mut ctx, &mut scratch).is_ok(),
                );
            }
            (events, (ctx, scratch))
        });
        assert!(events > 0, "{name}");
        drop(scratch);
        println!("{name:<26} {:>6} {plan:>9} {peak:>9} {kept:>9}", yaml.len());
        assert!(plan < PLAN_MAX, "{name}: a plan of {plan} bytes");
        sum += plan;
    }
    let (registry, plan, peak) = measure(Registry::builtin);
    assert_eq!(registry.log_types().count(), SHIPPED.len());
    let yaml: usize = SHIPPED.iter().map(|(_, y)| y.len()).sum();
    println!("{:<26} {yaml:>6} {plan:>9} {peak:>9}", "builtin");
    println!("(sum of the seven: {sum} bytes)");
    assert!(plan < BUILTIN_MAX, "builtin: {plan} bytes");
}
