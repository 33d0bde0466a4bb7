//! Classification (SPEC §11, `docs/SPEC.md` §11): a mixed stream of
//! the seven shipped types' records, in random orders, each given its own
//! type; the same type for a record whatever the order of arrival; every
//! candidate's error for a record none accepts.

use std::collections::BTreeMap;
use std::path::Path;

use lognorm::{Classifier, Record, Registry, Rule, Scratch};
use proptest::prelude::*;

use crate::util::{context, testdata};

const SEVEN: [&str; 7] = [
    "Databricks.Audit",
    "Heroku.Runtime",
    "Hex.Audit",
    "OpenAI.Audit",
    "Wiz.Audit",
    "Wiz.Issues",
    "Wiz.VulnerabilityFinding",
];

/// The real vendor events of `../shared/corpus/` (never copied here).
fn shared_corpus() -> Option<std::path::PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    dir.is_dir().then_some(dir)
}

/// `(own type, record bytes)` for every record of the goldens'
/// inputs under `testdata/logs/TYPE/` (and the shared corpus, when
/// present) that its own type accepts, and the count of those it
/// rejects, by type.
fn records(registry: &Registry) -> (Vec<(&'static str, Vec<u8>)>, usize) {
    let mut out = Vec::new();
    let mut rejected = 0;
    let mut scratch = Scratch::new();
    let mut files: Vec<(&'static str, std::path::PathBuf)> = Vec::new();
    for name in SEVEN {
        let dir = testdata().join("logs").join(name);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let f = p.file_name().unwrap().to_str().unwrap();
                !f.ends_with(".expected.jsonl")
            })
            .collect();
        paths.sort();
        files.extend(paths.into_iter().map(|p| (name, p)));
    }
    match shared_corpus() {
        Some(dir) => {
            for name in SEVEN {
                let p = dir.join(format!("{name}.jsonl"));
                if p.is_file() {
                    files.push((name, p));
                }
            }
        }
        None => eprintln!(
            "note: ../shared/corpus is absent; classifying the goldens only"
        ),
    }
    for (name, path) in files {
        let lt = registry.log_type(name).unwrap();
        let payload = std::fs::read(&path).unwrap();
        for record in lt.split(&payload) {
            let mut ctx = context();
            match lt.normalize(record, &mut ctx, &mut scratch) {
                Ok(_) => out.push((name, record.bytes().to_vec())),
                Err(_) => rejected += 1,
            }
        }
    }
    (out, rejected)
}

/// A small deterministic shuffle (xorshift), so a failure names its seed.
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.swap(i, (seed % (i as u64 + 1)) as usize);
    }
}

/// The winner's name, or `error: …`.
fn classify_one(
    c: &Classifier,
    bytes: &[u8],
    scratch: &mut Scratch,
    state: &mut lognorm::ClassifyState,
) -> String {
    let mut ctx = context();
    match c.classify(Record::new(bytes, 1, 0), &mut ctx, scratch, state) {
        Ok((lt, _)) => lt.name().to_owned(),
        Err(e) => format!("error: {e}"),
    }
}

/// Every record of the seven shipped types, shuffled into one stream
/// (three orders), gets its own type, and the row its own type writes;
/// the counters add up. Wiz.VulnerabilityFinding accepts every
/// OpenAI.Audit, Wiz.Audit and Wiz.Issues record here (the test checks
/// so), and takes none of them.
#[test]
fn a_mixed_stream_of_the_seven_types_gives_every_record_its_own_type() {
    let registry = Registry::builtin();
    let (mut records, _) = records(&registry);
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, _) in &records {
        *by.entry(name).or_default() += 1;
    }
    assert!(by.len() == 7 && by.values().all(|&n| n > 0), "{by:?}");
    let vf = registry.log_type("Wiz.VulnerabilityFinding").unwrap();
    let mut scratch = Scratch::new();
    let stolen = records
        .iter()
        .filter(|(name, bytes)| {
            let mut ctx = context();
            *name != vf.name()
                && vf
                    .normalize(
                        Record::new(bytes, 1, 0),
                        &mut ctx,
                        &mut scratch,
                    )
                    .is_ok()
        })
        .count();
    let ambiguous = by["OpenAI.Audit"] + by["Wiz.Audit"] + by["Wiz.Issues"];
    assert_eq!(stolen, ambiguous, "Wiz.VulnerabilityFinding accepts them all");
    if shared_corpus().is_some() {
        assert_eq!(
            format!("{by:?}"),
            "{\"Databricks.Audit\": 282, \"Heroku.Runtime\": 48, \
             \"Hex.Audit\": 14, \"OpenAI.Audit\": 83, \"Wiz.Audit\": 78, \
             \"Wiz.Issues\": 21, \"Wiz.VulnerabilityFinding\": 13}"
        );
    }
    let c = registry.classifier(&SEVEN).unwrap();
    for seed in [1, 0x9e37_79b9_7f4a_7c15, 42] {
        shuffle(&mut records, seed);
        let mut state = c.state();
        for (name, bytes) in &records {
            let record = Record::new(bytes, 1, 0);
            let mut ctx = context();
            let (lt, event) = c
                .classify(record, &mut ctx, &mut scratch, &mut state)
                .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            assert_eq!(lt.name(), *name, "seed {seed}: {}", event.row());
            let row = event.row().to_owned();
            let own = registry.log_type(name).unwrap();
            let mut ctx = context();
            let want = own.normalize(record, &mut ctx, &mut scratch).unwrap();
            assert_eq!(row, want.row());
        }
        let counts = state.counts();
        for (i, name) in SEVEN.iter().enumerate() {
            let n = counts[i];
            assert_eq!(n.won as usize, by[name], "{name}");
            assert_eq!(n.tried, n.matched + n.failed, "{name}");
            assert_eq!(n.tried + n.skipped, records.len() as u64, "{name}");
        }
        // The Wiz.VulnerabilityFinding candidate matched the ambiguous
        // records it was tried on, and won none of them.
        assert_eq!(counts[6].won as usize, by["Wiz.VulnerabilityFinding"]);
        assert!(counts[6].matched > counts[6].won);
    }
}

/// Panther's rule, for contrast: whichever of two types that accept a
/// record won last takes it.
#[test]
fn first_success_gives_a_record_to_whoever_won_last() {
    let registry = Registry::builtin();
    let c = registry
        .classifier(&["OpenAI.Audit", "Wiz.VulnerabilityFinding"])
        .unwrap()
        .with_rule(Rule::FirstSuccess);
    let openai = br#"{"id":"a1","type":"login.succeeded","effective_at":1717200000,"actor":{"type":"session"}}"#;
    let vuln =
        br#"{"id":"v1","name":"CVE-2024-0001","vendorSeverity":"HIGH"}"#;
    let mut scratch = Scratch::new();
    let mut state = c.state();
    let got: Vec<String> = [&openai[..], vuln, openai]
        .iter()
        .map(|r| classify_one(&c, r, &mut scratch, &mut state))
        .collect();
    assert_eq!(
        got,
        [
            "OpenAI.Audit",
            "Wiz.VulnerabilityFinding",
            "Wiz.VulnerabilityFinding"
        ]
    );
    // The best fit gives the OpenAI record its type both times.
    let c = c.with_rule(Rule::BestFit);
    let mut state = c.state();
    let got: Vec<String> = [&openai[..], vuln, openai]
        .iter()
        .map(|r| classify_one(&c, r, &mut scratch, &mut state))
        .collect();
    assert_eq!(
        got,
        ["OpenAI.Audit", "Wiz.VulnerabilityFinding", "OpenAI.Audit"]
    );
}

/// A record no candidate accepts: one error, the raw record, and each
/// candidate's own error in the caller's order, one line each.
#[test]
fn an_unmatched_record_lists_every_candidate() {
    let registry = Registry::builtin();
    let c = registry.classifier(&SEVEN).unwrap();
    let mut scratch = Scratch::new();
    let mut state = c.state();
    let mut ctx = context();
    let payload = b"{\"id\":null}\n{\"x\":1}\n";
    let records: Vec<_> = c.split(payload).collect();
    let err = c
        .classify(records[1], &mut ctx, &mut scratch, &mut state)
        .unwrap_err();
    assert_eq!(err.raw(), b"{\"x\":1}");
    assert_eq!((err.record_number(), err.offset()), (2, 12));
    let lines: Vec<String> = err
        .errors()
        .iter()
        .map(|e| format!("{}: {e}", e.log_type()))
        .collect();
    assert_eq!(
        lines,
        [
            "Databricks.Audit: record 2 (byte 12): field `timestamp`: expected a value (required), found nothing",
            "Heroku.Runtime: record 2 (byte 12): expected a line matching one of the schema's patterns, found `{\"x\":1}`",
            "Hex.Audit: record 2 (byte 12): field `event`: expected a value (required), found nothing",
            "OpenAI.Audit: record 2 (byte 12): field `id`: expected a value (required), found nothing",
            "Wiz.Audit: record 2 (byte 12): field `id`: expected a value (required), found nothing",
            "Wiz.Issues: record 2 (byte 12): field `id`: expected a value (required), found nothing",
            "Wiz.VulnerabilityFinding: record 2 (byte 12): field `id`: expected a value (required), found nothing",
        ]
    );
    let text = err.to_string();
    assert!(!text.contains('\n'));
    assert!(text.starts_with(
        "record 2 (byte 12): no candidate log type accepts it: \
         `Databricks.Audit`: field `timestamp`: expected a value \
         (required), found nothing; `Heroku.Runtime`: expected a line"
    ));
    // A text line that starts with neither `{` nor a candidate's prefix.
    let err = c
        .classify(
            Record::new(b"hello", 1, 0),
            &mut ctx,
            &mut scratch,
            &mut state,
        )
        .unwrap_err();
    assert_eq!(err.errors().len(), 7);
    assert_eq!(
        err.errors()[0].to_string(),
        "record 1 (byte 0): expected valid JSON, found invalid JSON at byte 0 (`h`)"
    );
    let skipped: Vec<u64> = state.counts().iter().map(|n| n.skipped).collect();
    // `{"x":1}`: Databricks.Audit (first in the order) is walked; the
    // key scan then finds the other JSON types' required root keys
    // missing. `hello`: no JSON type is tried.
    assert_eq!(skipped, [1, 0, 2, 2, 2, 2, 2]);
}

/// Flat schemas of string fields over the keys `a`..`f`: which it
/// declares and which of those it requires (two bitmasks).
fn schema_yaml(i: usize, declared: u8, required: u8) -> String {
    let mut y = format!("schema: Test.Cand{i}\nfields:\n");
    for (k, key) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        if declared & (1 << k) != 0 {
            y += &format!("  - name: {key}\n    type: string\n");
            if required & (1 << k) != 0 {
                y += "    required: true\n";
            }
        }
    }
    y
}

/// The plain oracle of the best fit for those schemas: of the candidates
/// whose required keys the record has, the fewest undeclared keys, then
/// the most required fields, then the first listed.
fn oracle(cands: &[(u8, u8)], record: u8) -> Option<usize> {
    let mut best: Option<(u32, u32, usize)> = None;
    for (i, &(declared, required)) in cands.iter().enumerate() {
        let required = required & declared;
        if declared == 0 || record & required != required {
            continue;
        }
        let undeclared = (record & !declared).count_ones();
        let key = (undeclared, required.count_ones(), i);
        let better = match best {
            None => true,
            Some((u, r, _)) => {
                undeclared < u || (undeclared == u && key.1 > r)
            }
        };
        if better {
            best = Some(key);
        }
    }
    best.map(|b| b.2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A stream of records in any order of arrival: each record goes to
    /// the candidate the plain oracle picks, whatever the records before
    /// it made the state try first; under either rule nothing is lost.
    #[test]
    fn every_arrival_order_gives_the_oracles_type(
        cands in proptest::collection::vec((1u8..64, 0u8..64), 2..5),
        stream in proptest::collection::vec(0u8..64, 1..24),
    ) {
        let mut b = Registry::builder();
        for (i, &(declared, required)) in cands.iter().enumerate() {
            b.add_yaml("t.yml", &schema_yaml(i, declared, required)).unwrap();
        }
        let registry = b.build();
        let names: Vec<String> =
            (0..cands.len()).map(|i| format!("Test.Cand{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let c = registry.classifier(&names).unwrap();
        let mut scratch = Scratch::new();
        let mut state = c.state();
        let mut reversed = c.state();
        for (n, &keys) in stream.iter().chain(stream.iter().rev()).enumerate() {
            let mut json = String::from("{");
            for (k, key) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
                if keys & (1 << k) != 0 {
                    if json.len() > 1 { json.push(','); }
                    json += &format!("\"{key}\":\"v\"");
                }
            }
            json.push('}');
            let want = match oracle(&cands, keys) {
                Some(i) => names[i].to_owned(),
                None => "error".to_owned(),
            };
            let st = if n < stream.len() { &mut state } else { &mut reversed };
            let got = classify_one(&c, json.as_bytes(), &mut scratch, st);
            let got = if got.starts_with("error: ") {
                prop_assert_eq!(got.matches("`Test.Cand").count(), cands.len());
                "error".to_owned()
            } else { got };
            prop_assert_eq!(&got, &want, "record {}", json);
        }
    }
}

/// Classifiers over 63, 64, 65 and 70 candidates (the search's bit masks
/// cover the first 64; the others are tried without them): each record
/// goes to the one candidate that requires its key, wherever that is in
/// the list, and a record no candidate accepts lists them all.
#[test]
fn many_candidates_past_the_bit_masks() {
    for n in [63usize, 64, 65, 70] {
        let mut b = Registry::builder();
        for i in 0..n {
            let yaml = format!(
                "schema: Test.C{i}\nfields:\n  - name: k{i}\n    type: \
                 string\n    required: true\n"
            );
            b.add_yaml(&format!("c{i}.yml"), &yaml).expect("schema");
        }
        let registry = b.build();
        let names: Vec<String> =
            (0..n).map(|i| format!("Test.C{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let c = registry.classifier(&names).expect("classifier");
        let mut ctx = context();
        let (mut scratch, mut state) = (Scratch::new(), c.state());
        let mut given = 0;
        for i in [0, 1, 62, 63, 64, n - 1, 0, n - 1, 63] {
            if i >= n {
                continue;
            }
            given += 1;
            let record = format!("{{\"k{i}\":\"x\"}}");
            let got = c.classify(
                Record::new(record.as_bytes(), 1, 0),
                &mut ctx,
                &mut scratch,
                &mut state,
            );
            let name = got.map(|(lt, _)| lt.name().to_owned());
            assert_eq!(name.as_deref(), Ok(names[i]), "{n} candidates");
        }
        let none = c
            .classify(
                Record::new(br#"{"zzz":"x"}"#, 1, 0),
                &mut ctx,
                &mut scratch,
                &mut state,
            )
            .map(|(lt, _)| lt.name().to_owned())
            .unwrap_err();
        assert_eq!(none.errors().len(), n);
        let counts = state.counts();
        assert_eq!(counts.iter().map(|k| k.won).sum::<u64>(), given);
        assert!(counts.iter().all(|k| k.tried + k.skipped == given + 1));
    }
}
