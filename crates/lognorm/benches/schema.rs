//! Schema compilation benches: YAML text to a registry.
//!
//! - `schema/compile/builtin`: `Registry::builtin()`, all seven shipped
//!   schemas (the target is under a millisecond);
//! - `schema/compile/<LogType>`: one shipped schema through
//!   `Registry::builder().add_yaml(…).build()`.
//!
//! `Throughput::Bytes` is the YAML text. Each bench checks the registry
//! it builds before it is timed. The memory a compiled plan keeps is
//! reported by the `plan_memory` bench (`cargo bench --bench
//! plan_memory`), which needs a counting allocator and so runs apart
//! from these timings.
//!
//! ```text
//! cargo bench --bench schema
//! cargo bench --bench schema -- --test
//! ```

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lognorm::Registry;

/// The shipped schemas: (log type, YAML).
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

fn compile_one(name: &str, yaml: &str) -> Registry {
    Registry::builder()
        .add_yaml(name, std::hint::black_box(yaml))
        .unwrap_or_else(|e| panic!("{e}"))
        .build()
}

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("schema/compile");

    let builtin = Registry::builtin();
    let names: Vec<&str> = builtin.log_types().map(|t| t.name()).collect();
    let mut want: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
    want.sort_unstable();
    assert_eq!(names, want, "the shipped schemas are these");
    let total: usize = SHIPPED.iter().map(|(_, y)| y.len()).sum();
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("builtin", |b| b.iter(Registry::builtin));

    for (name, yaml) in SHIPPED {
        let registry = compile_one(name, yaml);
        let lt = registry.log_type(name).expect("compiled");
        assert_eq!(registry.log_types().count(), 1);
        assert_eq!(lt.is_text(), name == "Heroku.Runtime");
        g.throughput(Throughput::Bytes(yaml.len() as u64));
        g.bench_function(name, |b| b.iter(|| compile_one(name, yaml)));
    }
    g.finish();
}

criterion_group!(benches, compile);
criterion_main!(benches);
