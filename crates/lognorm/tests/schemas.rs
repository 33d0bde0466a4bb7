//! Schemas that must not load: `testdata/schemas-invalid/<case>.yml`
//! starts with `# error: <exact message>` (the file name in the message is
//! the case's file name). Also the shipped schemas load and their copies
//! in the crate match `testdata/schemas/`.

use std::fs;

use lognorm::{OnDuplicate, Registry, SchemaErrorKind};

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

/// Console and Terraform specs have no `schema:`: the caller names them.
/// Names may have several dots; `version` may be absent.
#[test]
fn schemas_named_by_the_caller() {
    let spec = "fields:\n  - name: a\n    type: string\n";
    let mut b = Registry::builder();
    b.add_yaml_named("Custom.SampleLog.V1", "spec.tf", spec).unwrap();
    let same = format!("schema: Custom.Other.V2\n{spec}");
    b.add_yaml_named("Custom.Other.V2", "other.yml", &same).unwrap();
    let registry = b.build();
    let t = registry.log_type("Custom.SampleLog.V1").unwrap();
    assert_eq!(
        crate::util::normalize_lines(t, br#"{"a":"x"}"#),
        [concat!(
            r#"{"a":"x","p_log_type":"Custom.SampleLog.V1","#,
            r#""p_row_id":"6c6f676e6f7280e8c792cc3100","#,
            r#""p_event_time":"2024-01-01 00:00:00.000000000","#,
            r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#
        )]
    );
    assert!(registry.log_type("Custom.Other.V2").is_some());

    let e = Registry::builder()
        .add_yaml_named("Custom.Mine", "mine.yml", &same)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "mine.yml:1:9: schema: the document names log type \
         `Custom.Other.V2`, but it was added as `Custom.Mine`"
    );
    let e = Registry::builder()
        .add_yaml_named("custom logs", "spec.tf", spec)
        .unwrap_err();
    assert_eq!(e.kind(), SchemaErrorKind::InvalidValue);
    assert_eq!(
        e.to_string(),
        "spec.tf: schema: invalid log type name `custom logs`: Panther \
         requires `^[A-Z][A-Za-z0-9]+(\\.[A-Z][A-Za-z0-9]+)*$`, words of two \
         or more letters and digits, each starting with an uppercase \
         letter, joined by dots (`Custom.MyLogs`)"
    );
}

/// `OnDuplicate::Replace` lets a user's schema take a shipped one's place;
/// the default still refuses.
#[test]
fn a_later_schema_replaces_a_shipped_one_when_asked() {
    let mine = "schema: Wiz.Audit\nfields:\n  - name: id\n    type: string\n";
    let mut b = Registry::builder();
    b.add_builtin().unwrap();
    b.on_duplicate(OnDuplicate::Replace);
    b.add_yaml("Wiz.Audit.yml", mine).unwrap();
    let registry = b.build();
    let names: Vec<&str> = registry.log_types().map(|t| t.name()).collect();
    assert_eq!(
        names,
        Registry::builtin().log_types().map(|t| t.name()).collect::<Vec<_>>()
    );
    let wiz = registry.log_type("Wiz.Audit").unwrap();
    let rows =
        crate::util::normalize_lines(wiz, br#"{"id":"1","action":"x"}"#);
    assert!(rows[0].starts_with(r#"{"id":"1","p_log_type":"Wiz.Audit""#));

    let mut b = Registry::builder();
    b.add_builtin().unwrap();
    b.on_duplicate(OnDuplicate::Replace).on_duplicate(OnDuplicate::Error);
    let e = b.add_yaml("Wiz.Audit.yml", mine).unwrap_err();
    assert_eq!(e.kind(), SchemaErrorKind::DuplicateLogType);
}

/// `add_dir_keep_going` loads every good file and returns every bad
/// file's error, in file-name order; `add_dir` stops at the first.
#[test]
fn add_dir_keep_going_reports_every_bad_file() {
    let dir = std::env::temp_dir()
        .join(format!("lognorm-keep-going-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let good = |n: &str| {
        format!("schema: Custom.{n}\nfields:\n  - name: a\n    type: string\n")
    };
    fs::write(dir.join("a.yml"), good("Aa")).unwrap();
    fs::write(dir.join("b.yaml"), "schema: Custom.Bb\nfields: []\n").unwrap();
    fs::write(dir.join("c.yml"), good("Cc")).unwrap();
    fs::write(dir.join("d.yml"), "fields:\n  - name: a\n    type: int\n")
        .unwrap();
    fs::write(dir.join("e.txt"), "not a schema").unwrap();

    let mut b = Registry::builder();
    let errors = b.add_dir_keep_going(&dir).unwrap();
    let registry = b.build();
    let names: Vec<&str> = registry.log_types().map(|t| t.name()).collect();
    assert_eq!(names, ["Custom.Aa", "Custom.Cc"]);
    let errors: Vec<String> = errors
        .iter()
        .map(|e| {
            let file = std::path::Path::new(e.file()).file_name().unwrap();
            format!("{} {}", file.to_str().unwrap(), e.message())
        })
        .collect();
    assert_eq!(
        errors,
        [
            "b.yaml expected at least one field, found an empty list",
            "d.yml missing the log type's name: add `schema: Custom.MyLogs` \
             to the document, or name it when adding it \
             (`RegistryBuilder::add_yaml_named`)",
        ]
    );

    let mut b = Registry::builder();
    let e = b.add_dir(&dir).unwrap_err();
    assert!(e.file().ends_with("b.yaml"), "{e}");
    assert_eq!(b.build().log_types().count(), 1);

    let e = Registry::builder()
        .add_dir_keep_going(dir.join("missing"))
        .unwrap_err();
    assert_eq!(e.kind(), SchemaErrorKind::Io);
    fs::remove_dir_all(&dir).unwrap();
}
