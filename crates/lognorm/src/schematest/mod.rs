//! Panther's schema tests: cases that give a log type an input payload
//! and the rows it must normalize to, run against a [`Registry`] and
//! compared the way Panther's `pantherlog test` compares them.
//!
//! # The file format
//!
//! A test file (`*.tests.yml` by convention) holds one YAML document per
//! case, separated by `---`:
//!
//! ```yaml
//! name: A login
//! logType: Custom.Login
//! input: |
//!   {"user": "ana", "at": "2024-05-01T14:00:00+02:00"}
//! result: |
//!   {
//!     "user": "ana",
//!     "at": "2024-05-01T12:00:00Z",
//!     "p_log_type": "Custom.Login",
//!     "p_event_time": "2024-05-01 12:00:00.000000000",
//!     "p_any_usernames": ["ana"]
//!   }
//! ```
//!
//! - `name`: the case's name, shown in mismatches;
//! - `logType`: the log type that normalizes the input;
//! - `input`: a payload, split into records as the log type splits
//!   payloads (one JSON object, NDJSON, text lines, ...);
//! - `result`: the row the one record must give, as JSON text (or a YAML
//!   mapping); or `results`: a list of rows, one per record, in order.
//!
//! # How rows are compared
//!
//! - `p_row_id`, `p_parse_time`, `p_source_id` and `p_source_label` are
//!   ignored: they depend on the run, not on the schema.
//! - Timestamps (declared `timestamp` fields, `p_event_time`) are compared
//!   as instants. The expected value may be written in the data lake's
//!   layout (`2024-05-01 12:00:00.000000000`), in RFC 3339, or in one of
//!   the field's own time formats (so Panther's expected rows, which
//!   often repeat the input's `10/Oct/2000:13:55:36 -0700` or
//!   `1610452695501`, compare as the instant they denote).
//! - `p_any_*` indicator columns are compared as sets.
//! - Keys are compared by their column name (`@timestamp` and
//!   `at_sign_timestamp` are one key), at every level of declared objects;
//!   keys inside `json` values are compared as they are.
//! - An expected `null` means absent, as lognorm writes no `null` field.
//! - Everything else is compared as JSON values: numbers by value (`0`
//!   equals `0.0`), objects whatever their key order, arrays in order.
//!
//! A mismatch names the test, the field path, and the expected and found
//! values; a record that fails to normalize is one mismatch that quotes
//! the record error.
//!
//! # Example
//!
//! ```
//! use lognorm::{Registry, schematest};
//!
//! let schema = r#"
//! schema: Custom.Login
//! fields:
//!   - name: user
//!     type: string
//!     indicators: [username]
//!   - name: at
//!     type: timestamp
//!     timeFormats: ["%d/%b/%Y:%H:%M:%S %z"]
//!     isEventTime: true
//! "#;
//! let tests = r#"
//! name: written in the input's layout
//! logType: Custom.Login
//! input: '{"user": "ana", "at": "01/May/2024:14:00:00 +0200"}'
//! result: |
//!   {"user": "ana", "at": "01/May/2024:14:00:00 +0200",
//!    "p_log_type": "Custom.Login", "p_event_time": "2024-05-01T12:00:00Z",
//!    "p_any_usernames": ["ana"]}
//! ---
//! name: a wrong expectation
//! logType: Custom.Login
//! input: '{"user": "ana", "at": "01/May/2024:14:00:00 +0200"}'
//! result: |
//!   {"user": "bob", "at": "2024-05-01 12:00:00.000000000",
//!    "p_log_type": "Custom.Login", "p_event_time": "2024-05-01T12:00:00Z",
//!    "p_any_usernames": ["ana"]}
//! "#;
//! let registry = Registry::builder().add_yaml("login.yml", schema)?.build();
//! let cases = schematest::parse("login.tests.yml", tests)?;
//! assert_eq!(cases.len(), 2);
//!
//! let passed = cases[0].run(&registry);
//! assert!(passed.passed());
//!
//! let failed = cases[1].run(&registry);
//! assert!(!failed.passed());
//! let m = &failed.mismatches()[0];
//! assert_eq!((m.path(), m.expected(), m.found()), ("user", r#""bob""#, r#""ana""#));
//! assert_eq!(
//!     m.to_string(),
//!     r#"test `a wrong expectation`: field `user`: expected `"bob"`, found `"ana"`"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Location, SchemaError, SchemaErrorKind};
use crate::schema::yaml::Spanned;
use crate::{Context, Registry, Scratch, Timestamp};

mod compare;

/// One test case: a log type, an input payload and the rows expected.
#[derive(Clone, Debug)]
pub struct TestCase {
    file: String,
    location: Option<Location>,
    name: String,
    log_type: String,
    input: String,
    expected: Vec<Value>,
    /// Given as `results` (a list), so paths name the row.
    listed: bool,
}

/// A test document as written.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CaseSpec {
    name: Spanned<String>,
    log_type: String,
    input: Spanned<Value>,
    #[serde(default)]
    result: Option<Spanned<Value>>,
    #[serde(default)]
    results: Option<Spanned<Vec<Spanned<Value>>>>,
}

/// The largest test file [`parse`] reads: 64 MiB (the YAML reader's own
/// budget allows as much scalar text).
const MAX_FILE_BYTES: usize = 64 << 20;

/// Reads a test file: every YAML document of `yaml` is one case. `file`
/// names the file in errors and results.
///
/// # Errors
///
/// A [`SchemaError`] with the file and `line:column` when the YAML does
/// not read, a document lacks `name`, `logType`, `input` or exactly one
/// of `result` and `results`, has another key, or an expected row is not
/// a JSON object; or when the file is larger than 64 MiB or goes past
/// the YAML reader's budget (nesting, nodes, aliases).
///
/// # Example
///
/// ```
/// let err = lognorm::schematest::parse(
///     "t.tests.yml",
///     "name: a\nlogType: Custom.Aa\ninput: '{}'\nresult: '[1]'\n",
/// )
/// .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "t.tests.yml:4:9: result: expected a JSON object (a row), found `[1]`"
/// );
/// ```
pub fn parse(file: &str, yaml: &str) -> Result<Vec<TestCase>, SchemaError> {
    let limits = crate::Limits::new();
    if yaml.len() > MAX_FILE_BYTES {
        return Err(SchemaError::new(
            SchemaErrorKind::Limit,
            None,
            "",
            format!(
                "a test file of {} bytes, more than the limit of \
                 {MAX_FILE_BYTES} bytes",
                yaml.len(),
            ),
        )
        .in_file(file));
    }
    let specs: Vec<CaseSpec> =
        crate::schema::yaml::parse_documents(yaml, &limits)
            .map_err(|e| e.in_file(file))?;
    specs.into_iter().map(|spec| case(file, spec)).collect()
}

/// Checks one document and turns it into a case.
fn case(file: &str, spec: CaseSpec) -> Result<TestCase, SchemaError> {
    let error = |at: Option<Location>, path: &str, message: String| {
        SchemaError::new(SchemaErrorKind::InvalidValue, at, path, message)
            .in_file(file)
    };
    let input = match spec.input.value {
        Value::String(s) => s,
        // A payload written as YAML: its JSON text.
        other => other.to_string(),
    };
    let (rows, listed) = match (spec.result, spec.results) {
        (Some(row), None) => (vec![(row, "result".to_owned())], false),
        (None, Some(rows)) => {
            let rows = rows.value.into_iter().enumerate();
            (rows.map(|(i, r)| (r, format!("results[{i}]"))).collect(), true)
        }
        (Some(row), Some(_)) => {
            return Err(SchemaError::new(
                SchemaErrorKind::Misplaced,
                row.at,
                "result",
                "expected one of `result` and `results`, found both",
            )
            .in_file(file));
        }
        (None, None) => {
            return Err(SchemaError::new(
                SchemaErrorKind::MissingKey,
                spec.name.at,
                "",
                "missing `result` (the expected row) or `results` (a list \
                 of rows)",
            )
            .in_file(file));
        }
    };
    let mut expected = Vec::with_capacity(rows.len());
    for (row, path) in rows {
        let value = match row.value {
            Value::String(text) => {
                serde_json::from_str(&text).map_err(|e| {
                    error(
                        row.at,
                        &path,
                        format!("expected a row as JSON text: {e}"),
                    )
                })?
            }
            other => other,
        };
        if !value.is_object() {
            return Err(error(
                row.at,
                &path,
                format!(
                    "expected a JSON object (a row), found {}",
                    crate::error::quote(&value.to_string())
                ),
            ));
        }
        expected.push(value);
    }
    Ok(TestCase {
        file: file.to_owned(),
        location: spec.name.at,
        name: spec.name.value,
        log_type: spec.log_type,
        input,
        expected,
        listed,
    })
}

/// The parse time the cases run with; it is never compared.
const PARSE_TIME: Timestamp = match Timestamp::from_unix(1_704_067_200, 0) {
    Some(t) => t,
    None => Timestamp::MIN,
};

impl TestCase {
    /// The case's `name`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The case's `logType`.
    pub fn log_type(&self) -> &str {
        &self.log_type
    }

    /// The input payload.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The file the case was read from, as named to [`parse`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where the case's `name` is in its file.
    pub fn location(&self) -> Option<Location> {
        self.location
    }

    /// How many rows the case expects.
    pub fn expected_rows(&self) -> usize {
        self.expected.len()
    }

    /// Normalizes the input with the case's log type from `registry` and
    /// compares every row with the expected one (see the [module
    /// docs](self) for how).
    ///
    /// A log type missing from the registry, a record that fails, or a
    /// different number of rows are mismatches too.
    pub fn run(&self, registry: &Registry) -> CaseResult {
        let mut mismatches = Vec::new();
        let mut diff =
            compare::Diff { test: &self.name, out: &mut mismatches };
        match registry.log_type(&self.log_type) {
            None => diff.push(
                "",
                Text::Words(format!(
                    "log type `{}` in the registry",
                    self.log_type
                )),
                compare::nothing(),
            ),
            Some(log_type) => {
                let mut ctx = Context::new(PARSE_TIME, [0; 6]);
                let mut scratch = Scratch::new();
                let mut found = Vec::new();
                for record in log_type.split(self.input.as_bytes()) {
                    found.push(
                        match log_type.normalize(
                            record,
                            &mut ctx,
                            &mut scratch,
                        ) {
                            Ok(event) => Ok(event.row().to_owned()),
                            Err(e) => Err(e.to_string()),
                        },
                    );
                }
                let n = found.len().max(self.expected.len());
                for i in 0..n {
                    let prefix = if self.listed {
                        format!("results[{i}]")
                    } else {
                        String::new()
                    };
                    match (self.expected.get(i), found.get(i)) {
                        (Some(expected), Some(Ok(row))) => {
                            compare::row(
                                &mut diff,
                                log_type.plan(),
                                &prefix,
                                expected,
                                row,
                            );
                        }
                        (Some(_), Some(Err(e))) => diff.push(
                            &prefix,
                            Text::Words("an event".to_owned()),
                            Text::Words(format!("error: {e}")),
                        ),
                        (Some(expected), None) => diff.push(
                            &prefix,
                            compare::json(expected),
                            compare::nothing(),
                        ),
                        (None, Some(found)) => diff.push(
                            &prefix,
                            compare::nothing(),
                            match found {
                                Ok(row) => Text::Json(row.clone()),
                                Err(e) => Text::Words(format!("error: {e}")),
                            },
                        ),
                        (None, None) => {}
                    }
                }
            }
        }
        CaseResult {
            file: self.file.clone(),
            location: self.location,
            name: self.name.clone(),
            log_type: self.log_type.clone(),
            mismatches,
        }
    }
}

/// The outcome of one [`TestCase::run`].
#[derive(Clone, Debug)]
pub struct CaseResult {
    file: String,
    location: Option<Location>,
    name: String,
    log_type: String,
    mismatches: Vec<Mismatch>,
}

impl CaseResult {
    /// True when every row matched.
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }

    /// What differed, in row and field order; empty when the case passed.
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }

    /// The case's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The case's log type.
    pub fn log_type(&self) -> &str {
        &self.log_type
    }

    /// The file the case was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where the case's `name` is in its file.
    pub fn location(&self) -> Option<Location> {
        self.location
    }
}

impl fmt::Display for CaseResult {
    /// `file:line:column: test `name` (LogType): passed`, or the number
    /// of mismatches and the first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(at) = self.location {
            write!(f, ":{at}")?;
        }
        write!(
            f,
            ": test {} ({}): ",
            crate::error::quote(&self.name),
            self.log_type
        )?;
        match self.mismatches.as_slice() {
            [] => f.write_str("passed"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => {
                write!(f, "{first} (and {} more mismatches)", rest.len())
            }
        }
    }
}

/// One difference between an expected row and the row lognorm wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    test: String,
    path: String,
    expected: Text,
    found: Text,
}

/// A side of a mismatch: a value (JSON text, quoted when shown) or words
/// (`nothing`, `an event`, a record error), shown as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Text {
    Json(String),
    Words(String),
}

impl Text {
    fn as_str(&self) -> &str {
        match self {
            Text::Json(s) | Text::Words(s) => s,
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Json(s) => f.write_str(&crate::error::quote(s)),
            Text::Words(s) => f.write_str(s),
        }
    }
}

impl Mismatch {
    /// The test's name.
    pub fn test(&self) -> &str {
        &self.test
    }

    /// The path of the field, like `p_any_ip_addresses`,
    /// `httpRequest.headers[0].name` or (for a `results` list)
    /// `results[1].user`; empty for the row as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the test expects: a value as compact JSON, `nothing` for an
    /// absent field, or a description (`an event`).
    pub fn expected(&self) -> &str {
        self.expected.as_str()
    }

    /// What lognorm wrote: a value as compact JSON, `nothing` for an
    /// absent field, or `error: ` and the record error.
    pub fn found(&self) -> &str {
        self.found.as_str()
    }
}

impl fmt::Display for Mismatch {
    /// ``test `name`: field `path`: expected X, found Y``; values are
    /// quoted (and cut when long), words such as `nothing` are not.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "test {}: ", crate::error::quote(&self.test))?;
        if !self.path.is_empty() {
            write!(f, "field {}: ", crate::error::quote(&self.path))?;
        }
        write!(f, "expected {}, found {}", self.expected, self.found)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::Registry;

    const SCHEMA: &str = r#"
schema: Test.Rows
fields:
  - name: "@timestamp"
    type: timestamp
    timeFormats: ["%d/%b/%Y:%H:%M:%S %z", unix_ms]
    isEventTime: true
  - name: user
    type: string
    indicators: [username]
  - name: ip
    type: string
    indicators: [ip]
  - name: n
    type: float
  - name: obj
    type: object
    fields:
      - name: a.b
        type: int
      - name: t
        type: timestamp
        timeFormats: [unix]
  - name: times
    type: array
    element:
      type: timestamp
      timeFormats: [unix]
  - name: j
    type: json
"#;

    const INPUT: &str = r#"{"@timestamp": "10/Oct/2000:13:55:36 -0700", "user": "ana", "ip": "192.0.2.1", "n": 0, "obj": {"a.b": 1, "t": 1}, "times": [2, 3], "j": {"k": [1, null]}}"#;

    /// The mismatches of one case of `input` expecting `rows` (a JSON
    /// list of rows), as their messages.
    fn run(input: &str, rows: &str) -> Vec<String> {
        let registry =
            Registry::builder().add_yaml("t.yml", SCHEMA).unwrap().build();
        // JSON strings are YAML double-quoted scalars.
        let input = serde_json::Value::String(input.to_owned());
        let yaml =
            format!("name: t\nlogType: Test.Rows\ninput: {input}\n{rows}\n");
        let cases = parse("t.tests.yml", &yaml).unwrap();
        let result = cases[0].run(&registry);
        result.mismatches().iter().map(ToString::to_string).collect()
    }

    /// A row like the one `INPUT` gives, with `edit` applied to it.
    fn row(
        edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
    ) -> String {
        let mut row: serde_json::Value = serde_json::from_str(
            r#"{"at_sign_timestamp": "2000-10-10 20:55:36.000000000",
                "user": "ana", "ip": "192.0.2.1", "n": 0.0,
                "obj": {"a_b": 1, "t": "1970-01-01 00:00:01.000000000"},
                "times": ["1970-01-01 00:00:02.000000000",
                          "1970-01-01 00:00:03.000000000"],
                "j": {"k": [1, null]},
                "p_log_type": "Test.Rows",
                "p_event_time": "2000-10-10 20:55:36.000000000",
                "p_any_ip_addresses": ["192.0.2.1"],
                "p_any_usernames": ["ana"]}"#,
        )
        .unwrap();
        if let Some(map) = row.as_object_mut() {
            edit(map);
        }
        row.to_string()
    }

    /// `result:` for one row, `results:` for several.
    fn rows(list: &[String]) -> String {
        let list: Vec<serde_json::Value> = list
            .iter()
            .map(|r| serde_json::Value::String(r.clone()))
            .collect();
        match list.as_slice() {
            [one] => format!("result: {one}"),
            _ => format!("results: {}", serde_json::to_string(&list).unwrap()),
        }
    }

    #[test]
    fn the_row_as_lognorm_writes_it_passes() {
        assert_eq!(run(INPUT, &rows(&[row(|_| {})])), Vec::<String>::new());
    }

    #[test]
    fn rows_are_compared_as_pantherlog_test_does() {
        use serde_json::json;
        let panther = row(|r| {
            // Timestamps in the input's layout, in RFC 3339 and as the
            // number the field's format reads; keys by their input name.
            r.remove("at_sign_timestamp");
            r.insert("@timestamp".into(), json!("10/Oct/2000:13:55:36 -0700"));
            r.insert(
                "p_event_time".into(),
                json!("2000-10-10T13:55:36-07:00"),
            );
            r.insert("obj".into(), json!({"a.b": 1, "t": 1}));
            r.insert("times".into(), json!([2, "1970-01-01T00:00:03Z"]));
            // Sets in any order, numbers by value, nulls as absent,
            // run-dependent columns ignored.
            r.insert("n".into(), json!(0));
            r.insert("absent".into(), json!(null));
            r.insert("p_any_usernames".into(), json!(["ana", "ana"]));
            r.insert("p_row_id".into(), json!("anything"));
            r.insert("p_parse_time".into(), json!("2022-04-04T16:12:41Z"));
        });
        assert_eq!(run(INPUT, &rows(&[panther])), Vec::<String>::new());
    }

    #[test]
    fn each_difference_is_one_mismatch() {
        use serde_json::json;
        let wrong = row(|r| {
            r.insert("@timestamp".into(), json!("10/Oct/2000:13:55:37 -0700"));
            r.remove("at_sign_timestamp");
            r.insert("p_event_time".into(), json!("2000-10-10T20:55:36Z"));
            r.insert("user".into(), json!("bob"));
            r.remove("ip");
            r.insert("extra".into(), json!(1));
            r.insert("n".into(), json!(0.5));
            r.insert("obj".into(), json!({"a_b": 2, "t": 1}));
            r.insert("times".into(), json!([2]));
            r.insert("j".into(), json!({"k": [1]}));
            r.insert(
                "p_any_ip_addresses".into(),
                json!(["192.0.2.2", "192.0.2.1"]),
            );
            r.remove("p_any_usernames");
        });
        assert_eq!(
            run(INPUT, &rows(&[wrong])),
            [
                "test `t`: field `at_sign_timestamp`: expected \
                 `\"10/Oct/2000:13:55:37 -0700\" (2000-10-10 \
                 20:55:37.000000000)`, found `\"2000-10-10 \
                 20:55:36.000000000\"`",
                "test `t`: field `extra`: expected `1`, found nothing",
                "test `t`: field `j`: expected `{\"k\":[1]}`, found \
                 `{\"k\":[1,null]}`",
                "test `t`: field `n`: expected `0.5`, found `0`",
                "test `t`: field `obj.a_b`: expected `2`, found `1`",
                "test `t`: field `p_any_ip_addresses`: expected \
                 `[\"192.0.2.1\",\"192.0.2.2\"]`, found `[\"192.0.2.1\"]`",
                "test `t`: field `times`: expected `[2]`, found \
                 `[\"1970-01-01 00:00:02.000000000\",\"1970-01-01 \
                 00:00:03.000000000\"…`",
                "test `t`: field `user`: expected `\"bob\"`, found \
                 `\"ana\"`",
                "test `t`: field `ip`: expected nothing, found \
                 `\"192.0.2.1\"`",
                "test `t`: field `p_any_usernames`: expected nothing, found \
                 `[\"ana\"]`",
            ]
        );
    }

    #[test]
    fn records_and_rows_are_paired_in_order() {
        let second = r#"{"@timestamp": 971211336000, "user": "ana"}"#;
        let input = format!("{INPUT}\n{second}\n{{\"user\": 1}}");
        let two = rows(&[row(|_| {}), row(|_| {})]);
        assert_eq!(
            run(&input, &two),
            [
                "test `t`: field `results[1].ip`: expected \
                 `\"192.0.2.1\"`, found nothing",
                "test `t`: field `results[1].j`: expected `{\"k\":[1,null]}`, \
                 found nothing",
                "test `t`: field `results[1].n`: expected `0.0`, found \
                 nothing",
                "test `t`: field `results[1].obj`: expected \
                 `{\"a_b\":1,\"t\":\"1970-01-01 00:00:01.000000000\"}`, found \
                 nothing",
                "test `t`: field `results[1].p_any_ip_addresses`: expected \
                 `[\"192.0.2.1\"]`, found nothing",
                "test `t`: field `results[1].times`: expected \
                 `[\"1970-01-01 00:00:02.000000000\",\"1970-01-01 \
                 00:00:03.000000000\"…`, found nothing",
                "test `t`: field `results[2]`: expected nothing, found \
                 `{\"user\":\"1\",\"p_log_type\":\"Test.Rows\",\"p_row_id\":\"00000000000080e…`",
            ]
        );
        let bad = format!("{INPUT}\n{{\"n\": \"x\"}}");
        assert_eq!(
            run(&bad, &rows(&[row(|_| {})])),
            ["test `t`: expected nothing, found error: record 2 (byte 154): \
              field `n`: expected float (a finite number), found `\"x\"`"]
        );
        assert_eq!(
            run("{\"n\": \"x\"}", &rows(&[row(|_| {})])),
            ["test `t`: expected an event, found error: record 1 (byte 0): \
              field `n`: expected float (a finite number), found `\"x\"`"]
        );
    }

    #[test]
    fn a_missing_log_type_is_a_mismatch() {
        let cases = parse(
            "t.tests.yml",
            "name: t\nlogType: Test.Missing\ninput: '{}'\nresult: '{}'\n",
        )
        .unwrap();
        let result = cases[0].run(&Registry::builtin());
        assert_eq!(
            result.to_string(),
            "t.tests.yml:1:7: test `t` (Test.Missing): test `t`: expected \
             log type `Test.Missing` in the registry, found nothing"
        );
    }

    /// Every error of a test file, pinned.
    #[test]
    fn test_file_errors() {
        let error =
            |yaml: &str| parse("t.tests.yml", yaml).unwrap_err().to_string();
        let head = "name: a\nlogType: Custom.Aa\ninput: '{}'\n";
        assert_eq!(
            error(head),
            "t.tests.yml:1:7: missing `result` (the expected row) or \
             `results` (a list of rows)"
        );
        assert_eq!(
            error(&format!("{head}result: '{{}}'\nresults: ['{{}}']\n")),
            "t.tests.yml:4:9: result: expected one of `result` and \
             `results`, found both"
        );
        assert_eq!(
            error(&format!("{head}result: '{{'\n")),
            "t.tests.yml:4:9: result: expected a row as JSON text: EOF \
             while parsing an object at line 1 column 1"
        );
        assert_eq!(
            error(&format!("{head}results: ['{{}}', '2']\n")),
            "t.tests.yml:4:17: results[1]: expected a JSON object (a row), \
             found `2`"
        );
        assert_eq!(
            error(&format!("{head}result: '{{}}'\nexpect: 1\n")),
            "t.tests.yml:5:1: unknown field `expect`, expected one of name, \
             logType, input, result, results"
        );
        assert_eq!(
            error("name: a\ninput: x\nresult: '{}'\n"),
            "t.tests.yml:3:1: missing field `logType`"
        );
        let deep =
            format!("{head}result: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(
            error(&deep),
            "t.tests.yml:4:64: YAML nested deeper than 56 levels"
        );
        assert_eq!(
            error(&" ".repeat(super::MAX_FILE_BYTES + 1)),
            "t.tests.yml: a test file of 67108865 bytes, more than the limit \
             of 67108864 bytes"
        );
        assert_eq!(
            error("name: a\n  b: c\n"),
            "t.tests.yml:2:4: mapping values are not allowed in this context"
        );
    }

    /// Documents, empty ones skipped; a row may be a YAML mapping and an
    /// input a YAML value.
    #[test]
    fn reads_every_document() {
        let yaml = "---\n---\nname: a\nlogType: Custom.Aa\ninput: x\n\
                    result: '{}'\n---\n# c\nname: b\nlogType: Custom.Bb\n\
                    input: {k: 1}\nresults:\n  - {p_log_type: Custom.Bb}\n";
        let cases = parse("t.tests.yml", yaml).unwrap();
        let seen: Vec<_> = cases
            .iter()
            .map(|c| {
                (
                    c.name(),
                    c.log_type(),
                    c.input(),
                    c.expected_rows(),
                    c.location().map(|l| l.to_string()),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("a", "Custom.Aa", "x", 1, Some("3:7".to_owned())),
                ("b", "Custom.Bb", r#"{"k":1}"#, 1, Some("9:7".to_owned())),
            ]
        );
    }
}
