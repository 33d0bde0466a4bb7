//! Schema inference round trips: for each shipped log type, the schema
//! inferred from its golden samples (the records of
//! `testdata/logs/<LogType>/` that the shipped schema normalizes) loads,
//! and normalizes every one of those samples.

use std::fs;

use lognorm::infer::{Inferrer, SampleFormat};
use lognorm::{Registry, Scratch};

use crate::util::{context, testdata};

/// The golden samples of a log type: the records its shipped schema
/// normalizes, one a line.
fn samples(name: &str) -> Vec<u8> {
    let registry = Registry::builtin();
    let log_type = registry.log_type(name).unwrap();
    let dir = testdata().join("logs").join(name);
    let mut files: Vec<_> =
        fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut out = Vec::new();
    let (mut ctx, mut scratch) = (context(), Scratch::new());
    for file in files {
        if file.to_str().unwrap().ends_with(".expected.jsonl") {
            continue;
        }
        let payload = fs::read(&file).unwrap();
        for record in log_type.split(&payload) {
            if log_type.normalize(record, &mut ctx, &mut scratch).is_ok() {
                out.extend_from_slice(record.bytes());
                out.push(b'\n');
            }
        }
    }
    out
}

/// Infers a schema from the samples of `name`, loads it, and normalizes
/// every sample with it; returns the schema.
fn round_trip(name: &str, format: SampleFormat) -> String {
    let samples = samples(name);
    let mut inferrer = Inferrer::new(format);
    inferrer.add(&samples).unwrap();
    assert!(inferrer.samples() > 0, "{name}: no samples");
    let yaml = inferrer.schema("Custom.Inferred").unwrap();
    let registry = Registry::builder()
        .add_yaml("inferred.yml", &yaml)
        .unwrap_or_else(|e| panic!("{name}: {e}\n{yaml}"))
        .build();
    let log_type = registry.log_type("Custom.Inferred").unwrap();
    let (mut ctx, mut scratch) = (context(), Scratch::new());
    let mut n = 0;
    for record in log_type.split(&samples) {
        if let Err(e) = log_type.normalize(record, &mut ctx, &mut scratch) {
            panic!("{name}: {e}\n{yaml}");
        }
        n += 1;
    }
    assert_eq!(n, inferrer.samples(), "{name}");
    yaml
}

#[test]
fn inferred_schemas_normalize_the_golden_samples_of_every_log_type() {
    let mut dirs: Vec<String> = fs::read_dir(testdata().join("logs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 7);
    for name in &dirs {
        let format = if name == "Heroku.Runtime" {
            SampleFormat::Lines
        } else {
            SampleFormat::Json
        };
        let yaml = round_trip(name, format);
        if std::env::var_os("SHOW").is_some() {
            println!("== {name}\n{yaml}");
        }
    }
}
