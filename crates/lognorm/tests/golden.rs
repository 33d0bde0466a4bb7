//! Golden files: `testdata/logs/<LogType>/<case>.<ext>` is a payload and
//! `<case>.expected.jsonl` holds one line per record, the normalized row
//! or `error: <message>`. Run with `BLESS=1` to rewrite the expected files
//! from the current output (then review the diff before committing).

use std::fs;

use lognorm::Registry;

use crate::util::{normalize_lines, testdata};

/// The shipped log types and the test schemas of
/// `testdata/schemas-text/` (regex and csv log types no shipped schema
/// covers).
fn registry() -> Registry {
    let mut b = Registry::builder();
    b.add_builtin().unwrap();
    b.add_dir(testdata().join("schemas-text")).unwrap();
    b.build()
}

#[test]
fn golden_files() {
    let registry = registry();
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(testdata().join("logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let log_type = registry.log_type(&name).unwrap_or_else(|| {
            panic!("testdata/logs/{name}: no such log type")
        });
        let mut files: Vec<_> =
            fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for input in files {
            let file = input.file_name().unwrap().to_str().unwrap().to_owned();
            if file.ends_with(".expected.jsonl") || file.starts_with('.') {
                continue;
            }
            let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
            let expected_path = dir.join(format!("{stem}.expected.jsonl"));
            let payload = fs::read(&input).unwrap();
            let got = normalize_lines(log_type, &payload);
            cases += 1;
            if bless {
                let mut text = got.join("\n");
                text.push('\n');
                fs::write(&expected_path, text).unwrap();
                continue;
            }
            let expected =
                fs::read_to_string(&expected_path).unwrap_or_else(|_| {
                    panic!("missing {}", expected_path.display())
                });
            let expected: Vec<&str> = expected.lines().collect();
            for i in 0..got.len().max(expected.len()) {
                let (g, e) =
                    (got.get(i).map(String::as_str), expected.get(i).copied());
                if g != e {
                    failures.push(format!(
                        "{name}/{file} record {}:\n  expected: {}\n  got:      {}",
                        i + 1,
                        e.unwrap_or("<nothing>"),
                        g.unwrap_or("<nothing>"),
                    ));
                }
            }
        }
    }
    assert!(cases >= 10, "golden cases found: {cases}");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn threads_share_one_registry() {
    let registry = Registry::builtin();
    let payload =
        fs::read(testdata().join("logs/Databricks.Audit/corpus.jsonl"))
            .unwrap();
    let expected = normalize_lines(
        registry.log_type("Databricks.Audit").unwrap(),
        &payload,
    );
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let registry = registry.clone();
            let payload = payload.clone();
            std::thread::spawn(move || {
                normalize_lines(
                    registry.log_type("Databricks.Audit").unwrap(),
                    &payload,
                )
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}
