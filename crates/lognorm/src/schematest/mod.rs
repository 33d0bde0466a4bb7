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

/// Reads a test file: every YAML document of `yaml` is one case. `file`
/// names the file in errors and results.
///
/// # Errors
///
/// A [`SchemaError`] with the file and `line:column` when the YAML does
/// not read, a document lacks `name`, `logType`, `input` or exactly one
/// of `result` and `results`, has another key, or an expected row is not
/// a JSON object.
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
    if yaml.len() > limits.schema_bytes() {
        return Err(SchemaError::new(
            SchemaErrorKind::Limit,
            None,
            "",
            format!(
                "a test file of {} bytes, more than the limit of {} bytes",
                yaml.len(),
                limits.schema_bytes()
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
                let mut ctx = Context::new(PARSE_TIME);
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
