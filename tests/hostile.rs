//! No input panics, and every record yields exactly one outcome.

use lognorm::{RecordErrorKind, Registry, Scratch};
use proptest::prelude::*;

use crate::util::context;

/// Normalizes every record; returns (records, events, errors).
fn run(name: &str, payload: &[u8]) -> (usize, usize, usize) {
    static REGISTRY: std::sync::LazyLock<Registry> =
        std::sync::LazyLock::new(Registry::builtin);
    let log_type = REGISTRY.log_type(name).unwrap();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let (mut records, mut events, mut errors) = (0, 0, 0);
    for record in log_type.split(payload) {
        records += 1;
        match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(_) => events += 1,
            Err(e) => {
                assert_eq!(e.raw(), record.bytes());
                errors += 1;
            }
        }
    }
    (records, events, errors)
}

const TYPES: [&str; 7] = [
    "Databricks.Audit",
    "Heroku.Runtime",
    "Hex.Audit",
    "OpenAI.Audit",
    "Wiz.Audit",
    "Wiz.Issues",
    "Wiz.VulnerabilityFinding",
];

/// JSON-ish text built from the shipped schemas' keys, so generated
/// records reach deep into the plans.
fn jsonish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "event",
        "actor",
        "id",
        "type",
        "metadata",
        "email",
        "timestamp",
        "occurred_at",
        "effective_at",
        "targets",
        "serviceName",
        "actionName",
        "response",
        "statusCode",
        "requestParams",
        "user",
        "projects",
        "score",
        "hasExploit",
        "ipAddresses",
        "vulnerableAsset",
        "sourceIP",
        "createdAt",
        "x",
    ]);
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("\"\"".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| if f.is_finite() {
            f.to_string()
        } else {
            "1e308".into()
        }),
        "[a-z0-9@.:/ -]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("\"2024-01-02T03:04:05Z\"".to_owned()),
        Just("1704067200000".to_owned()),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| {
                let body: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for name in TYPES {
            let (records, events, errors) = run(name, &bytes);
            prop_assert_eq!(records, events + errors);
        }
    }

    #[test]
    fn generated_records_get_one_outcome_each(
        lines in prop::collection::vec(jsonish(), 1..8)
    ) {
        // With a first line that is an object, the payload is NDJSON: one
        // line, one record (objects or not). A payload that starts with
        // `[` is a JSON array instead, split by its elements.
        let payload = lines.join("\n");
        for name in TYPES {
            if name == "Heroku.Runtime" { continue; }
            let (records, events, errors) = run(name, payload.as_bytes());
            prop_assert_eq!(records, events + errors);
            if lines.len() > 1 && lines[0].starts_with('{') {
                prop_assert_eq!(records, lines.len());
            }
        }
    }
}

#[test]
fn deep_nesting_is_a_limit_error() {
    let deep = format!(
        "{{\"requestParams\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let registry = Registry::builtin();
    let t = registry.log_type("Databricks.Audit").unwrap();
    let record = t.split(deep.as_bytes()).next().unwrap();
    let err =
        t.normalize(record, &mut context(), &mut Scratch::new()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);
    assert!(
        err.to_string().contains("nesting deeper than the limit"),
        "{err}"
    );
}

#[test]
fn nesting_within_the_limit_is_kept_in_json_fields() {
    let value = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let rec = format!(
        "{{\"timestamp\":1704067200000,\"serviceName\":\"s\",\"actionName\":\"a\",\"requestParams\":{value}}}"
    );
    let registry = Registry::builtin();
    let t = registry.log_type("Databricks.Audit").unwrap();
    let record = t.split(rec.as_bytes()).next().unwrap();
    let mut scratch = Scratch::new();
    let event = t.normalize(record, &mut context(), &mut scratch).unwrap();
    assert!(event.row().contains(&format!("\"requestParams\":{value}")));
}

#[test]
fn oversized_records_are_limit_errors() {
    let big = format!("{{\"id\":\"{}\"}}", "x".repeat(9 << 20));
    let registry = Registry::builtin();
    let t = registry.log_type("Wiz.Audit").unwrap();
    let record = t.split(big.as_bytes()).next().unwrap();
    let err =
        t.normalize(record, &mut context(), &mut Scratch::new()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Limit);
    assert_eq!(err.path(), "");
    assert_eq!(err.raw().len(), big.len());
}

#[test]
fn invalid_utf8_is_a_syntax_error() {
    let registry = Registry::builtin();
    let t = registry.log_type("Wiz.Audit").unwrap();
    let payload = b"{\"id\":\"a\xff\",\"action\":\"x\",\"timestamp\":\"2024-01-01T00:00:00Z\"}";
    let record = t.split(payload).next().unwrap();
    let err =
        t.normalize(record, &mut context(), &mut Scratch::new()).unwrap_err();
    assert_eq!(err.kind(), RecordErrorKind::Syntax);
    assert!(err.to_string().contains("invalid UTF-8"), "{err}");
}
