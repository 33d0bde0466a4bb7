//! Schemas that must not load: `testdata/schemas-invalid/<case>.yml`
//! starts with `# error: <exact message>` (the file name in the message is
//! the case's file name). Also the shipped schemas load and their copies
//! in the crate match `testdata/schemas/`.

use std::fs;

use lognorm::{Registry, SchemaErrorKind};

use crate::util::{shipped_schemas, testdata};

#[test]
fn invalid_schemas_give_exact_errors() {
    let mut files: Vec<_> = fs::read_dir(testdata().join("schemas-invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = fs::read_to_string(path).unwrap();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# error: "))
            .unwrap_or_else(|| {
                panic!("{name}: first line must be `# error: …`")
            });
        match Registry::builder().add_yaml(name, &text) {
            Ok(_) => {
                failures.push(format!("{name}: loaded, expected {expected}"))
            }
            Err(e) if e.to_string() != expected => failures.push(format!(
                "{name}:\n  expected: {expected}\n  got:      {e}"
            )),
            Err(_) => {}
        }
    }
    assert!(files.len() >= 20, "only {} invalid schema cases", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shipped_schemas_load_from_testdata() {
    let mut b = Registry::builder();
    b.add_dir(shipped_schemas()).unwrap();
    let from_dir = b.build();
    let builtin = Registry::builtin();
    let names: Vec<&str> = from_dir.log_types().map(|t| t.name()).collect();
    assert_eq!(
        names,
        [
            "Databricks.Audit",
            "Heroku.Runtime",
            "Hex.Audit",
            "OpenAI.Audit",
            "Wiz.Audit",
            "Wiz.Issues",
            "Wiz.VulnerabilityFinding"
        ]
    );
    let builtin_names: Vec<&str> =
        builtin.log_types().map(|t| t.name()).collect();
    assert_eq!(names, builtin_names);
    assert!(builtin.log_type("Heroku.Runtime").unwrap().is_text());
    assert!(!builtin.log_type("Hex.Audit").unwrap().is_text());
}

#[test]
fn duplicate_log_types_are_rejected() {
    let mut b = Registry::builder();
    b.add_builtin().unwrap();
    let yaml = "schema: Hex.Audit\nfields:\n  - name: a\n    type: string\n";
    let e = b.add_yaml("mine.yml", yaml).unwrap_err();
    assert_eq!(e.kind(), SchemaErrorKind::DuplicateLogType);
    assert_eq!(
        e.to_string(),
        "mine.yml: schema: log type `Hex.Audit` is already registered"
    );
}
