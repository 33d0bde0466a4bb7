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
        .filter(|name| Registry::builtin().log_type(name).is_some())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 7, "the shipped log types: {dirs:?}");
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

/// JSON text of values with the kinds inference tells apart: numbers of
/// every size (and Unix times), RFC 3339 and other text, addresses,
/// hashes, `""`, null, nested arrays and objects with keys that collide
/// as columns.
fn json_value() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let key = prop::sample::select(vec![
        "a",
        "A",
        "a.b",
        "a_b",
        "@t",
        "time",
        "created_at",
        "ts",
        "ip",
        "p_x",
        "",
        "é",
        "\u{0}",
        "n",
    ]);
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("\"\"".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            format!("{f:?}")
        } else {
            "1e308".into()
        }),
        (946_684_800i64..4_102_444_800).prop_map(|n| n.to_string()),
        (946_684_800_000i64..4_102_444_800_000)
            .prop_map(|n| format!("\"{n}\"")),
        "[a-z0-9@.:/ -]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("\"2024-01-02T03:04:05Z\"".to_owned()),
        Just("\"2024-01-02 03:04:05.5+02:00\"".to_owned()),
        Just("\"10.0.0.1\"".to_owned()),
        Just("\"a@example.com\"".to_owned()),
        Just("\"d41d8cd98f00b204e9800998ecf8427e\"".to_owned()),
        Just("\"arn:aws:s3:::b\"".to_owned()),
        Just("\"1.5\"".to_owned()),
        Just("\"007\"".to_owned()),
    ];
    leaf.prop_recursive(5, 48, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..5).prop_map(|kv| {
                let body: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::json!(k)))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the records, the draft loads and normalizes every one
    /// (the promise of `lognorm infer`).
    #[test]
    fn the_draft_of_any_records_normalizes_them_all(
        values in proptest::collection::vec(json_value(), 1..6)
    ) {
        let records: Vec<String> = values
            .into_iter()
            .map(|v| format!("{{\"id\":1,\"v\":{v},\"w\":{v}}}"))
            .collect();
        let payload = records.join("\n");
        let mut inferrer = Inferrer::new(SampleFormat::Json);
        inferrer.add(payload.as_bytes()).unwrap();
        let yaml = inferrer.schema("Custom.Inferred").unwrap();
        let registry = Registry::builder()
            .add_yaml("inferred.yml", &yaml)
            .unwrap_or_else(|e| panic!("{e}\n{yaml}\n{payload}"))
            .build();
        let log_type = registry.log_type("Custom.Inferred").unwrap();
        let (mut ctx, mut scratch) = (context(), Scratch::new());
        for record in log_type.split(payload.as_bytes()) {
            if let Err(e) = log_type.normalize(record, &mut ctx, &mut scratch) {
                panic!("{e}\n{yaml}\n{payload}");
            }
        }
    }
}

/// A csv cell of the kinds inference tells apart, with the bytes csv must
/// quote.
fn csv_cell() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        Just(String::new()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            format!("{f:?}")
        } else {
            "1.5".into()
        }),
        Just("true".to_owned()),
        Just("2024-01-02T03:04:05Z".to_owned()),
        Just("10.0.0.1".to_owned()),
        "[a-z ,\"\n]{1,8}",
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Rows of one width, with a header or not: the draft normalizes
    /// every row.
    #[test]
    fn the_draft_of_any_csv_rows_normalizes_them_all(
        width in 1usize..5,
        cells in proptest::collection::vec(csv_cell(), 1..40),
        header in proptest::bool::ANY,
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        if header {
            let names: Vec<String> = (0..width).map(|i| format!("col{i}")).collect();
            writer.write_record(&names).unwrap();
        }
        for row in cells.chunks(width) {
            let mut row = row.to_vec();
            row.resize(width, "x".to_owned());
            // A row of one empty cell prints as a blank line: no record.
            if row.iter().all(String::is_empty) {
                row[0] = "x".to_owned();
            }
            writer.write_record(&row).unwrap();
        }
        let payload = writer.into_inner().unwrap();
        let mut inferrer = Inferrer::new(SampleFormat::Csv);
        inferrer.add(&payload).unwrap();
        let yaml = inferrer.schema("Custom.Inferred").unwrap();
        let text = String::from_utf8_lossy(&payload);
        let registry = Registry::builder()
            .add_yaml("inferred.yml", &yaml)
            .unwrap_or_else(|e| panic!("{e}\n{yaml}\n{text}"))
            .build();
        let log_type = registry.log_type("Custom.Inferred").unwrap();
        let (mut ctx, mut scratch) = (context(), Scratch::new());
        let mut n = 0;
        for record in log_type.split(&payload) {
            if let Err(e) = log_type.normalize(record, &mut ctx, &mut scratch) {
                panic!("{e}\n{yaml}\n{text}");
            }
            n += 1;
        }
        proptest::prop_assert_eq!(n, inferrer.samples(), "{}\n{}", yaml, text);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any bytes, in any format: no panic, and every draft loads.
    #[test]
    fn arbitrary_bytes_never_panic_and_drafts_load(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        text in "[a-z0-9,;\t|\"\n :.@-]{0,200}",
    ) {
        for format in [SampleFormat::Json, SampleFormat::Csv, SampleFormat::Lines] {
            for payload in [&bytes[..], text.as_bytes()] {
                let mut inferrer = Inferrer::new(format);
                if inferrer.add(payload).is_err() {
                    continue;
                }
                if let Ok(yaml) = inferrer.schema("Custom.Inferred")
                    && let Err(e) = Registry::builder().add_yaml("i.yml", &yaml)
                {
                    panic!("{e}\n{yaml}\n{payload:?}");
                }
            }
        }
    }
}
