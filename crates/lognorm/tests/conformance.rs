//! Panther's own schema tests, run against lognorm: every `*.tests.yml`
//! of `../shared/realworld-schemas/` (public data kept outside this
//! repository; skipped with a notice when absent), each case against the
//! schema its `logType` names.
//!
//! A ratchet: `testdata/conformance-expected-failures.txt` lists the
//! cases that fail today, each with its reason and the fields it fails
//! at. The test fails when a case off the list fails (a regression), when
//! a listed case passes or no longer exists (the list must shrink), and
//! when a listed case fails at other fields than listed (its reason would
//! no longer be the one written down). Cases whose schema is a `native`
//! one (Panther's built-in Go parsers) cannot pass by design: they are
//! not listed, and are checked to fail because the schema is refused for
//! naming `native`; so is every `native` schema of the data.
//!
//! `BLESS=1 cargo test conformance` rewrites the list from the current
//! outcomes, keeping the reasons of cases that still fail; a new failure
//! gets the reason `TODO`, which the test refuses until it is replaced by
//! the real one.
//!
//! The tables (cases by log type and parser; schema files by outcome) are
//! printed to stderr: shown with `--nocapture`, and on failure.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use lognorm::schematest::{self, CaseResult, Mismatch};
use lognorm::{Registry, SchemaError};

use crate::util::testdata;

/// `../shared/realworld-schemas/` beside the repository.
fn realworld() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realworld-schemas")
}

fn list_path() -> PathBuf {
    testdata().join("conformance-expected-failures.txt")
}

/// A schema file of the data set.
struct SchemaFile {
    file: String,
    text: String,
    /// `schema:` as written, if any.
    name: Option<String>,
    /// `json` (no parser), the parser's key, or `?` when the file does
    /// not read as YAML.
    parser: String,
}

/// Reads the top-level `schema:` and `parser:` of a schema file.
fn describe(file: &str, text: &str) -> SchemaFile {
    let value: Option<serde_json::Value> = serde_saphyr::from_str(text).ok();
    let top = value.as_ref().and_then(|v| v.as_object());
    let name = top
        .and_then(|t| t.get("schema"))
        .and_then(|s| s.as_str())
        .map(str::to_owned);
    let parser = match top.map(|t| t.get("parser")) {
        None => "?".to_owned(),
        Some(None | Some(serde_json::Value::Null)) => "json".to_owned(),
        Some(Some(p)) => p
            .as_object()
            .and_then(|p| p.keys().next())
            .map_or_else(|| "?".to_owned(), Clone::clone),
    };
    SchemaFile { file: file.to_owned(), text: text.to_owned(), name, parser }
}

/// `owner__repo` of a data-set file name (SOURCES.md).
fn repo(file: &str) -> &str {
    let mut cut = file.match_indices("__").map(|(i, _)| i);
    match (cut.next(), cut.next()) {
        (Some(_), Some(end)) => &file[..end],
        _ => file,
    }
}

/// The schema file a test file's `logType` names: among the files whose
/// `schema:` is that name, one from the test's repository before one
/// from another, then the one whose path shares the longest start with
/// the test's (the schema beside its tests), then the first by name.
fn schema_for<'s>(
    schemas: &'s [SchemaFile],
    test_file: &str,
    log_type: &str,
) -> Option<&'s SchemaFile> {
    let common = |a: &str, b: &str| {
        a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
    };
    schemas.iter().filter(|s| s.name.as_deref() == Some(log_type)).max_by_key(
        |s| {
            let same_repo = repo(&s.file) == repo(test_file);
            let first = std::cmp::Reverse(&s.file);
            (same_repo, common(&s.file, test_file), first)
        },
    )
}

/// Loads one schema file alone; a file without `schema:` (Console and
/// Terraform specs) is named by the caller, as their users do.
fn load(schema: &SchemaFile) -> Result<Registry, SchemaError> {
    let mut b = Registry::builder();
    match &schema.name {
        Some(_) => b.add_yaml(&schema.file, &schema.text)?,
        None => {
            b.add_yaml_named("Custom.Unnamed", &schema.file, &schema.text)?
        }
    };
    Ok(b.build())
}

/// A listed case: its reason and, when given, the fields it fails at.
struct Listed {
    reason: String,
    at: Option<BTreeSet<String>>,
}

/// The expected failures: case id (`test file | case name`) -> entry.
/// Also the file's leading comment, which `BLESS=1` keeps.
fn expected_failures() -> (String, BTreeMap<String, Listed>) {
    let path = list_path();
    let text = fs::read_to_string(&path).unwrap();
    let mut header = String::new();
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            if out.is_empty() {
                header.push_str(line);
                header.push('\n');
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let at_line = || format!("{}:{}", path.display(), n + 1);
        let mut parts = line.split(" | ");
        let (Some(file), Some(name), Some(reason)) =
            (parts.next(), parts.next(), parts.next())
        else {
            panic!("{}: expected `file | case | reason [| at: …]`", at_line());
        };
        let at = parts.next().map(|at| {
            let at = at.strip_prefix("at: ").unwrap_or_else(|| {
                panic!("{}: expected `at: field, …`", at_line())
            });
            at.split(", ").map(str::to_owned).collect()
        });
        let id = format!("{file} | {name}");
        let entry = Listed { reason: reason.to_owned(), at };
        assert!(
            out.insert(id.clone(), entry).is_none(),
            "{}: {id} is listed twice",
            at_line()
        );
    }
    (header, out)
}

/// Where a mismatch is: its field path, `error at <field>` for a record
/// that failed (`error` when the record error names no field), `row` for
/// the row as a whole.
fn signature(m: &Mismatch) -> String {
    if !m.path().is_empty() {
        return m.path().to_owned();
    }
    match m.found().strip_prefix("error: ") {
        Some(e) => match e.split_once(": field `") {
            Some((_, rest)) => {
                let field = rest.split('`').next().unwrap_or_default();
                format!("error at {field}")
            }
            None => "error".to_owned(),
        },
        None => "row".to_owned(),
    }
}

/// One case's outcome.
struct Outcome {
    log_type: String,
    parser: String,
    id: String,
    result: Result<CaseResult, String>,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.result.as_ref().is_ok_and(CaseResult::passed)
    }

    /// The fields it fails at (see [`signature`]).
    fn at(&self) -> BTreeSet<String> {
        match &self.result {
            Ok(r) => r.mismatches().iter().map(signature).collect(),
            Err(_) => BTreeSet::new(),
        }
    }

    fn why(&self) -> String {
        match &self.result {
            Ok(r) => r
                .mismatches()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n      "),
            Err(e) => e.clone(),
        }
    }
}

/// The data set: test files (name, text) and schema files, by name.
type Data = (Vec<(String, String)>, Vec<SchemaFile>);

/// Reads the data set.
fn read_data(dir: &Path) -> Option<Data> {
    let entries = fs::read_dir(dir).ok()?;
    let mut files: Vec<(String, String)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    let (tests, schemas): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|(name, _)| name.ends_with(".tests.yml"));
    let schemas = schemas.iter().map(|(f, t)| describe(f, t)).collect();
    Some((tests, schemas))
}

#[test]
fn panther_schema_tests() {
    let dir = realworld();
    let Some((tests, schemas)) = read_data(&dir) else {
        eprintln!(
            "conformance: {} is absent; Panther's schema tests skipped",
            dir.display()
        );
        return;
    };
    let mut problems = Vec::new();

    // Every schema file, loaded alone.
    let mut loaded: HashMap<&str, Result<Registry, SchemaError>> =
        HashMap::new();
    let mut load_table: BTreeMap<(String, String), usize> = BTreeMap::new();
    // The schemas that are not `native` and do not load: file -> error.
    let mut refused: BTreeMap<String, String> = BTreeMap::new();
    for s in &schemas {
        let result = load(s);
        let outcome = match &result {
            Ok(_) => "loads".to_owned(),
            Err(e) if e.path().starts_with("parser.") => {
                format!("refused: {}", e.path())
            }
            Err(e) => format!("refused: {:?}", e.kind()),
        };
        if s.parser == "native"
            && !matches!(&result, Err(e) if e.path() == "parser.native")
        {
            problems.push(format!("{}: native schema not refused", s.file));
        }
        if s.parser != "native"
            && let Err(e) = &result
        {
            refused.insert(s.file.clone(), e.to_string());
        }
        *load_table.entry((s.parser.clone(), outcome)).or_default() += 1;
        loaded.insert(&s.file, result);
    }

    // Every case, against the schema its log type names.
    let mut outcomes = Vec::new();
    for (test_file, text) in &tests {
        let cases = schematest::parse(test_file, text)
            .unwrap_or_else(|e| panic!("test file does not read: {e}"));
        for case in &cases {
            let schema = schema_for(&schemas, test_file, case.log_type());
            let result = match schema.map(|s| &loaded[s.file.as_str()]) {
                None => Err("no schema of that name in the data".to_owned()),
                Some(Ok(registry)) => Ok(case.run(registry)),
                Some(Err(e)) => Err(format!("schema does not load: {e}")),
            };
            outcomes.push(Outcome {
                log_type: case.log_type().to_owned(),
                parser: schema.map_or("-", |s| &s.parser).to_owned(),
                id: format!("{test_file} | {}", case.name()),
                result,
            });
        }
    }
    eprintln!("{}", report(&outcomes, &load_table));
    check_refused(&refused, &mut problems);

    if std::env::var_os("BLESS").is_some() {
        bless(&outcomes);
    }

    // The ratchet.
    let (_, mut listed) = expected_failures();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for o in &outcomes {
        if o.parser == "native" {
            // Panther's built-in code: refused when loaded, never run.
            if !matches!(&o.result, Err(e) if e.contains("parser.native")) {
                problems.push(format!("{}: native, but {}", o.id, o.why()));
            }
            *reasons
                .entry("native: Panther's built-in parser".into())
                .or_default() += 1;
            continue;
        }
        match (listed.remove(&o.id), o.passed()) {
            (None, true) => {}
            (None, false) => problems.push(format!(
                "{}: fails, not listed:\n      {}",
                o.id,
                o.why()
            )),
            (Some(entry), true) => problems.push(format!(
                "{}: passes, listed as `{}`",
                o.id, entry.reason
            )),
            (Some(entry), false) => {
                if entry.reason.starts_with("TODO") {
                    problems.push(format!("{}: give the reason", o.id));
                }
                let no_schema = entry.reason.starts_with("no schema");
                let found_none = matches!(
                    &o.result,
                    Err(e) if e.starts_with("no schema")
                );
                if no_schema != found_none {
                    problems.push(format!(
                        "{}: listed as `{}`, but {}",
                        o.id,
                        entry.reason,
                        o.why()
                    ));
                }
                if let Some(at) = &entry.at
                    && *at != o.at()
                {
                    problems.push(format!(
                        "{}: listed as failing at {at:?}, fails at {:?}:\n      {}",
                        o.id,
                        o.at(),
                        o.why()
                    ));
                }
                let category =
                    entry.reason.split(" (").next().unwrap_or_default();
                *reasons.entry(category.to_owned()).or_default() += 1;
            }
        }
    }
    for id in listed.keys() {
        problems.push(format!("{id}: listed, but no such case"));
    }
    let mut summary = String::from("failures by reason:\n");
    for (reason, n) in &reasons {
        let _ = writeln!(summary, "  {n:4}  {reason}");
    }
    eprintln!("{summary}");
    assert!(
        problems.is_empty(),
        "{} cases differ from testdata/conformance-expected-failures.txt \
         (BLESS=1 rewrites it; give new failures their reason):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The tables: cases by log type and parser; schema files by parser and
/// outcome.
fn report(
    outcomes: &[Outcome],
    load_table: &BTreeMap<(String, String), usize>,
) -> String {
    let mut table: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let row = table.entry((&o.log_type, &o.parser)).or_default();
        row.0 += 1;
        row.1 += usize::from(o.passed());
    }
    let mut out = String::from(
        "\nPanther schema tests (../shared/realworld-schemas)\n\n\
         | log type | parser | cases | passed |\n|---|---|---:|---:|\n",
    );
    let mut by_parser: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((log_type, parser), (cases, passed)) in &table {
        let _ =
            writeln!(out, "| {log_type} | {parser} | {cases} | {passed} |");
        let p = by_parser.entry(parser).or_default();
        p.0 += cases;
        p.1 += passed;
    }
    out.push_str("\n| parser | cases | passed |\n|---|---:|---:|\n");
    for (parser, (cases, passed)) in &by_parser {
        let _ = writeln!(out, "| {parser} | {cases} | {passed} |");
    }
    out.push_str(
        "\n| schema files: parser | outcome | files |\n|---|---|---:|\n",
    );
    for ((parser, outcome), n) in load_table {
        let _ = writeln!(out, "| {parser} | {outcome} | {n} |");
    }
    out
}

/// Rewrites the list from the outcomes (see the module docs).
fn bless(outcomes: &[Outcome]) {
    let (header, listed) = expected_failures();
    let mut out = header;
    for o in outcomes {
        if o.parser == "native" || o.passed() {
            continue;
        }
        let reason = listed.get(&o.id).map_or("TODO", |l| &l.reason);
        let _ = write!(out, "{} | {reason}", o.id);
        let at = o.at();
        if !at.is_empty() {
            let at: Vec<&str> = at.iter().map(String::as_str).collect();
            let _ = write!(out, " | at: {}", at.join(", "));
        }
        out.push('\n');
    }
    fs::write(list_path(), out).unwrap();
}

/// `testdata/tests/<LogType>.tests.yml`: the shipped log types' own
/// schema tests, in Panther's format; every case passes.
#[test]
fn shipped_log_types_pass_their_schema_tests() {
    let registry = Registry::builtin();
    let mut failures = Vec::new();
    let mut counted = Vec::new();
    for log_type in registry.log_types() {
        let file = format!("{}.tests.yml", log_type.name());
        let text = fs::read_to_string(testdata().join("tests").join(&file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let cases = schematest::parse(&file, &text).unwrap();
        assert!(
            cases.iter().all(|c| c.log_type() == log_type.name()),
            "{file}: a case of another log type"
        );
        counted.push((log_type.name().to_owned(), cases.len()));
        for case in &cases {
            let result = case.run(&registry);
            if !result.passed() {
                failures.extend(
                    result.mismatches().iter().map(|m| format!("{file}: {m}")),
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(counted.iter().all(|(_, n)| *n >= 2), "{counted:?}");
    let files = fs::read_dir(testdata().join("tests")).unwrap().count();
    assert_eq!(files, counted.len(), "a test file without a shipped log type");
}

fn refused_path() -> PathBuf {
    testdata().join("conformance-refused-schemas.txt")
}

/// The second ratchet: every schema of the data that is not `native`
/// loads, except those listed in `testdata/conformance-refused-schemas.txt`
/// (`file | exact error`), each refused with exactly that error. A new
/// refusal, a listed schema that loads, or another error fails the test;
/// `BLESS=1` rewrites the list (keeping its leading comment).
fn check_refused(
    refused: &BTreeMap<String, String>,
    problems: &mut Vec<String>,
) {
    let path = refused_path();
    let text = fs::read_to_string(&path).unwrap_or_default();
    let header: String = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    if std::env::var_os("BLESS").is_some() {
        let mut out = header.clone();
        for (file, error) in refused {
            let _ = writeln!(out, "{file} | {error}");
        }
        fs::write(&path, out).unwrap();
        return;
    }
    let listed: BTreeMap<&str, &str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(" | "))
        .collect();
    for (file, error) in refused {
        match listed.get(file.as_str()) {
            None => problems.push(format!("{file}: refused, not listed: {error}")),
            Some(want) if want != error => problems.push(format!(
                "{file}: refused with another error:\n  listed: {want}\n  now:    {error}"
            )),
            Some(_) => {}
        }
    }
    for file in listed.keys() {
        if !refused.contains_key(*file) {
            problems.push(format!("{file}: listed as refused, but loads"));
        }
    }
}
