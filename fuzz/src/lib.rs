//! The properties lognorm's fuzz targets check.
//!
//! Each `pub fn` below is the body of the fuzz target of the same name
//! (`fuzz_targets/<name>.rs` is one line that calls it). The functions
//! panic when a property breaks, which libFuzzer reports as a crash.
//!
//! The crate's replay test (`tests/fuzz.rs`) includes this file with
//! `#[path]` and runs every input under `testdata/fuzz/<target>/` through
//! the same function, so a saved crash stays a failing test until it is
//! fixed. Keep this file self-contained: no `crate::` paths, and only
//! dependencies the main crate also has (lognorm's own dependencies or its
//! dev-dependencies).
//!
//! The properties, by target:
//!
//! - `schema_yaml`: a schema either loads or fails with a one-line
//!   [`SchemaError`] that names the file and, when it has a location, a
//!   `line:column` inside the text; a schema that loads normalizes a few
//!   fixed records under the `normalize_*` properties.
//! - `fastmatch_compile`: [`Pattern::compile`] and [`Parser::compile`]
//!   agree with a naive reference parser (same verdict, same error
//!   offset, same field names); error offsets are inside the text.
//! - `fastmatch_match`: on generated `(pattern, line)` pairs,
//!   [`Pattern::matches`] and [`Parser::parse`] agree with a naive
//!   reference matcher built on `str::find`.
//! - `split_payload`: for every [`Framing`], records are non-empty slices
//!   of the payload at their offsets, numbered from 1, in order, not
//!   overlapping, and the bytes between them are only what SPEC §2 allows
//!   to drop; lines and NDJSON-shaped payloads equal a naive splitter, a
//!   JSON record over several lines is a value that takes in only
//!   indented lines; `Auto` picks the documented framing; correctly
//!   counted frames come back exactly. Streamed through a `SplitReader`
//!   in reads whose sizes come from the input: the same records; with a
//!   small limit, longer records oversize and nothing else lost.
//! - `normalize_json`, `normalize_text`: one outcome per record; an
//!   error hands back the record's bytes, number and offset; a row is one
//!   JSON object with unique keys, the declared columns in schema order
//!   with values of their declared types, timestamps that re-parse, then
//!   the `p_*` columns agreeing with the [`Event`] accessors; reusing a
//!   [`Scratch`] gives the same outcome as a fresh one; JSON validity
//!   agrees with serde_json.
//! - `arrow_decode` (feature `arrow`): `BatchDecoder` gives every record
//!   of a payload exactly one outcome, the one `LogType::normalize` gives
//!   it: a failure with the same message, or a row (a record whose
//!   timestamp is outside Arrow's nanoseconds fails there only); batches
//!   are cut at the caller's size; the rows of every declared column
//!   equal the JSON row's values where the row has the column, and are
//!   null where it has not.
//! - `time_parse`: every time format, fed text and numbers, agrees with
//!   an independent oracle (chrono for RFC 3339 and for strftime where
//!   chrono's dialect and Panther's agree, a plain fraction split for
//!   `%f`, hand-written readers for the Go layouts, exact decimal
//!   arithmetic for the unix formats, `%s` and `cloudflare`), and the
//!   row's timestamp re-parses to `event_time()`.

use std::fmt::Write as _;
use std::sync::LazyLock;

use arbitrary::{Arbitrary, Unstructured};
use lognorm::fastmatch::{
    Captures, ParseScratch, Parser, ParserConfig, Pattern,
};
use lognorm::{
    Context, Event, Framing, IndicatorSet, LogType, Record, RecordError,
    RecordErrorKind, Registry, SchemaError, Scratch, Timestamp,
};

/// The parse time every target normalizes with.
const PARSE_TIME: &str = "2024-01-01T00:00:00Z";

fn parse_time() -> Timestamp {
    match Timestamp::parse_rfc3339(PARSE_TIME) {
        Some(t) => t,
        None => unreachable!("constant"),
    }
}

// ---------------------------------------------------------------------
// Registries and schema plans
// ---------------------------------------------------------------------

/// The shipped schemas, for the column plans.
const SHIPPED: [&str; 7] = [
    include_str!("../../crates/lognorm/schemas/Databricks.Audit.yml"),
    include_str!("../../crates/lognorm/schemas/Heroku.Runtime.yml"),
    include_str!("../../crates/lognorm/schemas/Hex.Audit.yml"),
    include_str!("../../crates/lognorm/schemas/OpenAI.Audit.yml"),
    include_str!("../../crates/lognorm/schemas/Wiz.Audit.yml"),
    include_str!("../../crates/lognorm/schemas/Wiz.Issues.yml"),
    include_str!("../../crates/lognorm/schemas/Wiz.VulnerabilityFinding.yml"),
];

/// The JSON log types `normalize_json` picks from, by first byte.
pub const JSON_TYPES: [&str; 6] = [
    "Databricks.Audit",
    "Hex.Audit",
    "OpenAI.Audit",
    "Wiz.Audit",
    "Wiz.Issues",
    "Wiz.VulnerabilityFinding",
];

static BUILTIN: LazyLock<(Registry, Vec<Plan>)> = LazyLock::new(|| {
    let plans = SHIPPED
        .iter()
        .map(|yaml| match Plan::from_yaml(yaml) {
            Some(plan) => plan,
            None => panic!("the fuzz plan cannot read a shipped schema"),
        })
        .collect();
    (Registry::builtin(), plans)
});

fn builtin(name: &str) -> (&'static LogType, &'static Plan) {
    let (registry, plans) = &*BUILTIN;
    let log_type = registry.log_type(name);
    let plan = plans.iter().find(|p| p.log_type == name);
    match (log_type, plan) {
        (Some(t), Some(p)) => (t, p),
        _ => panic!("no shipped log type {name}"),
    }
}

/// What a column holds, read from the schema YAML (independently of the
/// crate's compiler) so rows can be checked against it.
#[derive(Debug)]
enum Shape {
    Str,
    /// An integer type and its range.
    Int(i64, i64),
    Float,
    Bool,
    Time,
    /// `json`: any value, `null` included.
    Json,
    Obj(Vec<Col>),
    Arr(Box<Shape>),
}

#[derive(Debug)]
struct Col {
    /// The field name as written in the schema (error paths use it).
    name: String,
    /// The output column (Panther's column-name rule).
    column: String,
    shape: Shape,
    event_time: bool,
}

/// The columns of one log type.
#[derive(Debug)]
pub struct Plan {
    log_type: String,
    root: Vec<Col>,
}

#[derive(serde::Deserialize)]
struct DocSchema {
    schema: String,
    fields: Vec<DocField>,
}

#[derive(serde::Deserialize)]
struct DocField {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    fields: Vec<DocField>,
    element: Option<Box<DocValue>>,
    #[serde(default, rename = "isEventTime")]
    event_time: bool,
}

#[derive(serde::Deserialize)]
struct DocValue {
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    fields: Vec<DocField>,
    element: Option<Box<DocValue>>,
}

impl Plan {
    /// Reads the columns of a schema; `None` when the YAML is not a
    /// schema this simplified reader understands.
    pub fn from_yaml(yaml: &str) -> Option<Plan> {
        let doc: DocSchema = serde_saphyr::from_str(yaml).ok()?;
        Some(Plan { log_type: doc.schema, root: cols(&doc.fields)? })
    }
}

fn cols(fields: &[DocField]) -> Option<Vec<Col>> {
    fields
        .iter()
        .map(|f| {
            Some(Col {
                name: f.name.clone(),
                column: column_name(&f.name),
                shape: shape(&f.ty, &f.fields, f.element.as_deref())?,
                event_time: f.event_time,
            })
        })
        .collect()
}

fn shape(
    ty: &str,
    fields: &[DocField],
    element: Option<&DocValue>,
) -> Option<Shape> {
    Some(match ty {
        "string" => Shape::Str,
        "int" => Shape::Int(i32::MIN.into(), i32::MAX.into()),
        "smallint" => Shape::Int(i16::MIN.into(), i16::MAX.into()),
        "bigint" => Shape::Int(i64::MIN, i64::MAX),
        "float" => Shape::Float,
        "boolean" => Shape::Bool,
        "timestamp" => Shape::Time,
        "json" => Shape::Json,
        "object" => Shape::Obj(cols(fields)?),
        "array" => {
            let e = element?;
            Shape::Arr(Box::new(shape(
                &e.ty,
                &e.fields,
                e.element.as_deref(),
            )?))
        }
        _ => return None,
    })
}

/// Panther's column-name rule (SPEC §3), written out again here: ASCII
/// letters, digits and `_` stay, `@` becomes `at_sign` set off by
/// underscores, anything else becomes `_`.
fn column_name(name: &str) -> String {
    let mut out = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if c == '@' {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push_str("at_sign");
            if chars.peek().is_some_and(|&n| n != '_') {
                out.push('_');
            }
        } else {
            out.push('_');
        }
    }
    out
}

// ---------------------------------------------------------------------
// A strict, order-keeping JSON value
// ---------------------------------------------------------------------

/// A JSON value that keeps object keys in order, duplicates included
/// (serde_json's `Value` sorts them and silently keeps the last).
#[derive(Clone, Debug, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl<'de> serde::Deserialize<'de> for J {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        d.deserialize_any(JVisitor)
    }
}

struct JVisitor;

impl<'de> serde::de::Visitor<'de> for JVisitor {
    type Value = J;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<J, E> {
        Ok(J::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<J, E> {
        serde_json::Number::from_f64(v)
            .map(J::Num)
            .ok_or_else(|| E::custom("not a finite number"))
    }
    fn visit_str<E>(self, v: &str) -> Result<J, E> {
        Ok(J::Str(v.to_owned()))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<J, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(J::Arr(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<J, A::Error> {
        let mut out: Vec<(String, J)> = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, J>()? {
            out.push((k, v));
        }
        Ok(J::Obj(out))
    }
}

/// Parses JSON text into a [`J`]; serde_json's recursion limit (128)
/// applies.
fn parse_strict(text: &[u8]) -> Result<J, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let v = <J as serde::Deserialize>::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// serde_json's lenient verdict on a record (contents ignored, so huge
/// numbers and lone surrogate escapes pass): `Some(true)` an object,
/// `Some(false)` another value, `None` when it hit the recursion limit;
/// `Err` when it is not JSON.
fn json_top_kind(text: &[u8]) -> Result<Option<bool>, ()> {
    struct Top;
    impl<'de> serde::Deserialize<'de> for Top {
        fn deserialize<D: serde::Deserializer<'de>>(
            d: D,
        ) -> Result<Top, D::Error> {
            d.deserialize_ignored_any(serde::de::IgnoredAny).map(|_| Top)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(text);
    let result = <Top as serde::Deserialize>::deserialize(&mut de)
        .and_then(|_| de.end());
    match result {
        Ok(()) => {
            let first = text.iter().find(|b| !b" \t\r\n".contains(b));
            Ok(Some(first == Some(&b'{')))
        }
        Err(e) if e.to_string().starts_with("recursion limit") => Ok(None),
        Err(_) => Err(()),
    }
}

// ---------------------------------------------------------------------
// Rows and errors
// ---------------------------------------------------------------------

/// Checks a timestamp in a row: the exact text `YYYY-MM-DD
/// HH:MM:SS.fffffffff` that reads back to the same instant and prints
/// the same. Returns the instant.
fn check_row_time(what: &str, v: &J) -> Timestamp {
    let J::Str(s) = v else { panic!("{what}: not a string: {v:?}") };
    let b = s.as_bytes();
    let shape_ok = b.len() == 29
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 => c == b':',
            19 => c == b'.',
            _ => c.is_ascii_digit(),
        });
    assert!(shape_ok, "{what}: `{s}` is not YYYY-MM-DD HH:MM:SS.fffffffff");
    let Some(t) = Timestamp::parse_rfc3339(s) else {
        panic!("{what}: `{s}` does not re-parse")
    };
    assert_eq!(t.to_string(), *s, "{what}: does not print back");
    t
}

/// Checks a value against its declared shape. `field` is true for the
/// value of an object field (where `null` and `[]` are never written).
fn check_shape(path: &str, v: &J, shape: &Shape, field: bool) {
    if field {
        match (v, shape) {
            (J::Null, Shape::Json) => return,
            (J::Null, _) => {
                panic!("{path}: null written for a non-json field")
            }
            (J::Arr(a), Shape::Arr(_)) if a.is_empty() => {
                panic!("{path}: empty array written")
            }
            _ => {}
        }
    }
    match (shape, v) {
        (Shape::Json, _) => {}
        // Elements of arrays: SPEC does not say what a null element
        // becomes, so it is not held against the row.
        (_, J::Null) if !field => {}
        (Shape::Str, J::Str(_)) | (Shape::Float, J::Num(_)) => {}
        (Shape::Bool, J::Bool(_)) => {}
        (Shape::Int(lo, hi), J::Num(n)) => {
            let ok = n.as_i64().is_some_and(|i| (*lo..=*hi).contains(&i));
            assert!(ok, "{path}: {n} is not an integer in {lo}..={hi}");
        }
        (Shape::Time, _) => {
            check_row_time(path, v);
        }
        (Shape::Obj(cols), J::Obj(entries)) => {
            check_object(path, entries, cols);
        }
        (Shape::Arr(elem), J::Arr(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_shape(&format!("{path}[{i}]"), item, elem, false);
            }
        }
        _ => {
            panic!("{path}: {v:?} does not have the declared shape {shape:?}")
        }
    }
}

/// Declared keys only, each once, in schema order, each of its shape.
/// (Values of `json` fields are kept as sent, duplicate keys included.)
fn check_object(path: &str, entries: &[(String, J)], cols: &[Col]) {
    let mut next = 0;
    for (key, v) in entries {
        let Some(i) = cols.iter().position(|c| c.column == *key) else {
            panic!("{path}: undeclared key `{key}`")
        };
        assert!(i >= next, "{path}: key `{key}` repeated or out of order");
        next = i + 1;
        let sub = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        check_shape(&sub, v, &cols[i].shape, true);
    }
}

/// The first `isEventTime` field with a value, depth-first in schema
/// order through objects (SPEC §4).
fn first_event_time(
    entries: &[(String, J)],
    cols: &[Col],
) -> Option<Timestamp> {
    for col in cols {
        let Some((_, v)) = entries.iter().find(|(k, _)| *k == col.column)
        else {
            continue;
        };
        if col.event_time && matches!(col.shape, Shape::Time) {
            return Some(check_row_time(&col.column, v));
        }
        if let (Shape::Obj(sub), J::Obj(inner)) = (&col.shape, v)
            && let Some(t) = first_event_time(inner, sub)
        {
            return Some(t);
        }
    }
    None
}

/// The properties of a normalized row (see the module docs). `plan` is
/// `None` when the schema's columns are not known (fuzzed schemas the
/// plan reader does not understand): then only the `p_*` part is checked.
fn check_event(log_type: &LogType, plan: Option<&Plan>, event: &Event<'_>) {
    let row = event.row();
    assert_eq!(row.as_bytes(), event.row_bytes(), "row is not valid UTF-8");
    assert!(!row.contains('\n'), "row spans lines: {row}");
    let parsed = match parse_strict(row.as_bytes()) {
        Ok(v) => v,
        Err(e) if e.to_string().starts_with("recursion limit") => return,
        Err(e) => panic!("row is not JSON ({e}): {row}"),
    };
    let J::Obj(entries) = parsed else {
        panic!("row is not an object: {row}")
    };
    let split = entries
        .iter()
        .position(|(k, _)| k.starts_with("p_"))
        .unwrap_or(entries.len());
    let (declared, p) = entries.split_at(split);
    if let Some(plan) = plan {
        check_object("", declared, &plan.root);
    }
    let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "repeated p_ column: {row}");
    let fixed = ["p_log_type", "p_row_id", "p_event_time", "p_parse_time"];
    assert!(
        keys.len() >= 4 && keys[..4] == fixed,
        "p_ columns out of order: {keys:?} in {row}"
    );
    let value = |i: usize| &p[i].1;
    assert_eq!(*value(0), J::Str(log_type.name().to_owned()), "p_log_type");
    let J::Str(id) = value(1) else { panic!("p_row_id is not a string") };
    assert!(
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "p_row_id `{id}` is not lowercase hex"
    );
    assert_eq!(id, event.row_id(), "row_id()");
    let event_time = check_row_time("p_event_time", value(2));
    let parse_time = check_row_time("p_parse_time", value(3));
    assert_eq!(event_time, event.event_time(), "event_time()");
    assert_eq!(parse_time, event.parse_time(), "parse_time()");
    assert_eq!(
        parse_time,
        self::parse_time(),
        "p_parse_time is the context's"
    );
    if let Some(plan) = plan {
        let want =
            first_event_time(declared, &plan.root).unwrap_or(parse_time);
        assert_eq!(
            event_time, want,
            "p_event_time is not the first event time"
        );
    }
    // The p_any_* sets: sorted by column, each sorted, unique, non-empty,
    // equal to the event's accessor; no set is missing.
    let mut prev = "";
    for (key, v) in &p[4..] {
        assert!(key.starts_with("p_any_"), "unexpected column {key}");
        assert!(key.as_str() > prev, "p_any_ columns not sorted: {key}");
        prev = key;
        let Some(set) = IndicatorSet::ALL
            .into_iter()
            .find(|&s| Event::indicator_column(s) == key)
        else {
            panic!("unknown indicator column {key}")
        };
        let J::Arr(items) = v else { panic!("{key} is not an array") };
        let values: Vec<&str> = items
            .iter()
            .map(|i| match i {
                J::Str(s) => s.as_str(),
                _ => panic!("{key}: non-string value {i:?}"),
            })
            .collect();
        assert!(!values.is_empty(), "{key} is empty");
        assert!(
            values.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()),
            "{key} not sorted and unique: {values:?}"
        );
        let got: Vec<&str> = event.indicators(set).collect();
        assert_eq!(got, values, "indicators({set:?})");
    }
    for set in IndicatorSet::ALL {
        if event.indicators(set).len() > 0 {
            let column = Event::indicator_column(set);
            assert!(keys.contains(&column), "{column} missing from the row");
        }
    }
}

/// `text` with control characters escaped (`\n`, `\u{1b}`), as error
/// messages show user text.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The properties of a record error.
fn check_error(
    log_type: &LogType,
    plan: Option<&Plan>,
    record: Record<'_>,
    e: &RecordError,
) {
    assert_eq!(e.raw(), record.bytes(), "raw bytes");
    assert_eq!(e.record_number(), record.number(), "record number");
    assert_eq!(e.offset(), record.offset(), "offset");
    assert_eq!(e.log_type(), log_type.name(), "log type");
    assert!(!e.expected().is_empty(), "empty `expected`: {e}");
    assert!(!e.found().is_empty(), "empty `found`: {e}");
    let mut want =
        format!("record {} (byte {}): ", record.number(), record.offset());
    if !e.path().is_empty() {
        let _ = write!(want, "field `{}`: ", one_line(e.path()));
    }
    let (expected, found) = (one_line(e.expected()), one_line(e.found()));
    let _ = write!(want, "expected {expected}, found {found}");
    let text = e.to_string();
    assert_eq!(text, want, "Display");
    assert!(!text.contains(['\n', '\r']), "Display spans lines: {text:?}");
    if let Some(plan) = plan
        && !e.path().is_empty()
    {
        let path = e.path();
        let named = plan.root.iter().any(|c| {
            path.strip_prefix(c.name.as_str())
                .is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
        });
        assert!(named, "path `{path}` does not start with a declared field");
    }
}

/// A comparable summary of one outcome.
#[derive(Debug, PartialEq)]
enum Outcome {
    Row(String),
    Error(RecordErrorKind, String),
}

/// Normalizes every record of `payload` as `log_type` (split with
/// `framing`, or the log type's own split when `None`) and checks every
/// outcome. Returns the outcomes.
pub fn check_payload(
    log_type: &LogType,
    plan: Option<&Plan>,
    payload: &[u8],
    framing: Option<Framing>,
) -> usize {
    let records: Vec<Record<'_>> = match framing {
        None => log_type.split(payload).collect(),
        Some(f) => lognorm::split(payload, f).collect(),
    };
    check_records(payload, &records);
    let mut ctx = Context::new(parse_time(), *b"fuzzer");
    let mut scratch = Scratch::new();
    let mut outcomes = Vec::with_capacity(records.len());
    for &record in &records {
        let outcome = match log_type.normalize(record, &mut ctx, &mut scratch)
        {
            Ok(event) => {
                assert!(
                    std::str::from_utf8(record.bytes()).is_ok(),
                    "a record that is not UTF-8 gave an event"
                );
                check_event(log_type, plan, &event);
                Outcome::Row(event.row().to_owned())
            }
            Err(e) => {
                check_error(log_type, plan, record, &e);
                Outcome::Error(e.kind(), e.to_string())
            }
        };
        if !log_type.is_text() {
            check_json_verdict(record, &outcome);
        }
        outcomes.push(outcome);
    }
    assert_eq!(outcomes.len(), records.len(), "one outcome per record");
    // A fresh scratch for every record gives the same outcomes: nothing
    // leaks from one record into the next.
    let mut ctx = Context::new(parse_time(), *b"fuzzer");
    for (&record, want) in records.iter().zip(&outcomes) {
        let mut scratch = Scratch::new();
        let got = match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(event) => Outcome::Row(event.row().to_owned()),
            Err(e) => Outcome::Error(e.kind(), e.to_string()),
        };
        assert_eq!(got, *want, "a reused scratch changed the outcome");
    }
    records.len()
}

/// JSON validity agrees with serde_json: what serde_json rejects fails
/// the record, and an object serde_json accepts fails only for its
/// contents or a limit, never as a syntax error.
fn check_json_verdict(record: Record<'_>, outcome: &Outcome) {
    let bytes = record.bytes();
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    match json_top_kind(bytes) {
        Err(()) => assert!(
            matches!(outcome, Outcome::Error(..)),
            "serde_json rejects a record that normalized: {text:?}"
        ),
        Ok(Some(false)) => assert!(
            matches!(outcome, Outcome::Error(..)),
            "a record that is not an object normalized: {text:?}"
        ),
        Ok(_) => {}
    }
    if let Outcome::Error(kind, message) = outcome
        && parse_strict(bytes).is_ok_and(|v| matches!(v, J::Obj(_)))
    {
        // Strictly valid (and within serde_json's depth): not a syntax
        // error.
        assert!(
            !matches!(
                kind,
                RecordErrorKind::Syntax | RecordErrorKind::NotObject
            ),
            "valid JSON object failed as invalid: {text:?}: {message}"
        );
    }
}

// ---------------------------------------------------------------------
// split_payload
// ---------------------------------------------------------------------

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn is_json_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_text_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
}

/// Where the body starts: after a leading byte order mark.
fn body_start(p: &[u8]) -> usize {
    if p.starts_with(BOM) { BOM.len() } else { 0 }
}

/// Records are non-empty slices of the payload at their offsets,
/// numbered 1.., in order, not overlapping.
fn check_records(payload: &[u8], records: &[Record<'_>]) {
    let base = payload.as_ptr() as usize;
    let mut end = 0;
    for (i, r) in records.iter().enumerate() {
        let bytes = r.bytes();
        assert_eq!(r.number(), i as u64 + 1, "record numbers");
        assert!(!bytes.is_empty(), "empty record {}", r.number());
        assert_eq!(bytes.as_ptr() as usize - base, r.offset(), "offset");
        assert_eq!(
            payload.get(r.offset()..r.offset() + bytes.len()),
            Some(bytes)
        );
        assert!(r.offset() >= end, "record {} overlaps", r.number());
        end = r.offset() + bytes.len();
    }
}

/// The bytes of `payload` outside every record, with their offsets.
fn gaps(payload: &[u8], records: &[Record<'_>]) -> Vec<(usize, u8)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let spans =
        records.iter().map(|r| (r.offset(), r.offset() + r.bytes().len()));
    for (start, end) in spans.chain([(payload.len(), payload.len())]) {
        out.extend((pos..start).map(|i| (i, payload[i])));
        pos = end;
    }
    out
}

/// The naive line splitter: `(offset, line)` of every non-blank line
/// after the byte order mark, one `\r` before `\n` removed.
fn naive_lines(p: &[u8], blank: fn(u8) -> bool) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut pos = body_start(p);
    while pos < p.len() {
        let (line, next) = match p[pos..].iter().position(|&b| b == b'\n') {
            Some(k) => {
                let line = &p[pos..pos + k];
                (line.strip_suffix(b"\r").unwrap_or(line), pos + k + 1)
            }
            None => (&p[pos..], p.len()),
        };
        if !line.iter().all(|&b| blank(b)) {
            out.push((pos, line));
        }
        pos = next;
    }
    out
}

fn as_pairs<'p>(records: &[Record<'p>]) -> Vec<(usize, &'p [u8])> {
    records.iter().map(|r| (r.offset(), r.bytes())).collect()
}

/// `DIGITS{1,20} SP <` at `i`, or an empty frame `0 ` followed by such a
/// start or by the end of the payload.
fn is_frame_start(p: &[u8], i: usize) -> bool {
    let message = |i: usize| {
        let rest = p.get(i..).unwrap_or_default();
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        (1..=20).contains(&digits)
            && rest.get(digits..digits + 2) == Some(b" <")
    };
    message(i)
        || (p.get(i..i + 2) == Some(b"0 ")
            && (i + 2 == p.len() || message(i + 2)))
}

/// Whether a line starting with `c` ends a JSON value still open before
/// it (SPEC §2: a line that starts a value, `{` or `[` in its first
/// column).
fn cuts(c: u8) -> bool {
    matches!(c, b'{' | b'[')
}

/// JSON payloads that are not arrays: a record over several lines is one
/// value (it starts with `{` or `[`) none of whose later lines starts
/// with `{` or `[`, so a damaged value never takes in the values after
/// it; and a payload shaped like NDJSON (every non-blank line starting
/// with `{` or `[`, no value followed by another on a line) splits
/// exactly like a naive line splitter.
fn check_json_lines(p: &[u8], body: usize, json: &[Record<'_>]) {
    for r in json {
        let b = r.bytes();
        for (i, _) in b.iter().enumerate().filter(|&(_, &c)| c == b'\n') {
            assert!(
                matches!(b[0], b'{' | b'['),
                "json: record {} spans lines but is not a value",
                r.number()
            );
            if let Some(&c) = b.get(i + 1) {
                assert!(
                    !cuts(c),
                    "json: record {} runs on into a line starting {c:#04x}",
                    r.number()
                );
            }
        }
    }
    let text = &p[body..];
    let lines_start_cut = text
        .split(|&c| c == b'\n')
        .all(|line| line.iter().all(|&c| is_json_ws(c)) || cuts(line[0]));
    let mut after_value = false;
    let mut two_values = false;
    for &c in text {
        if after_value && matches!(c, b'{' | b'[') {
            two_values = true;
        }
        if matches!(c, b'}' | b']') {
            after_value = true;
        } else if !matches!(c, b' ' | b'\t' | b'\r') {
            after_value = false;
        }
    }
    if lines_start_cut && !two_values {
        assert_eq!(
            as_pairs(json),
            naive_lines(p, is_json_ws),
            "json: NDJSON-shaped payload not split into its lines"
        );
    }
}

/// The `split_payload` target: properties of [`lognorm::split`] for every
/// framing on any payload, then exact frames for a body built with
/// correct octet counts from the input's NUL-separated messages.
pub fn split_payload(data: &[u8]) {
    let p = data;
    let body = body_start(p);
    // JSON.
    let json: Vec<Record<'_>> = lognorm::split(p, Framing::Json).collect();
    check_records(p, &json);
    let first =
        p.iter().skip(body).position(|&b| !is_json_ws(b)).map(|i| body + i);
    let array = first.is_some_and(|i| p[i] == b'[');
    for (i, b) in gaps(p, &json) {
        let structure = array && matches!(b, b'[' | b',' | b']');
        assert!(
            i < body || is_json_ws(b) || structure,
            "json: byte {i} ({b:#04x}) dropped"
        );
    }
    if array {
        for r in &json {
            let b = r.bytes();
            assert!(
                !is_json_ws(b[0]) && !is_json_ws(b[b.len() - 1]),
                "json array element {} not trimmed",
                r.number()
            );
        }
    } else {
        check_json_lines(p, body, &json);
    }
    // Lines.
    let lines: Vec<Record<'_>> = lognorm::split(p, Framing::Lines).collect();
    check_records(p, &lines);
    assert_eq!(as_pairs(&lines), naive_lines(p, is_text_ws), "lines");
    // Octet counting.
    let octet: Vec<Record<'_>> =
        lognorm::split(p, Framing::OctetCounted).collect();
    check_records(p, &octet);
    for (i, b) in gaps(p, &octet) {
        assert!(
            i < body || is_text_ws(b),
            "octet: byte {i} ({b:#04x}) dropped"
        );
    }
    for r in &octet {
        assert!(!is_text_ws(r.bytes()[0]), "octet: record starts with space");
        if r.number() > 1 {
            assert!(
                is_frame_start(p, r.offset()),
                "octet: record {} is not a frame",
                r.number()
            );
        }
    }
    // Auto picks octet counting exactly when the body starts with a frame.
    let auto: Vec<Record<'_>> = lognorm::split(p, Framing::Auto).collect();
    let text_first = p
        .iter()
        .skip(body)
        .position(|&b| !is_text_ws(b))
        .map_or(p.len(), |i| body + i);
    let want = if is_frame_start(p, text_first) { &octet } else { &lines };
    assert_eq!(as_pairs(&auto), as_pairs(want), "auto framing");
    // Correct counts: every frame comes back exactly (SPEC §2: a message
    // may contain newlines and frame-like text).
    let mut built = Vec::new();
    let mut frames = Vec::new();
    for msg in data.split(|&b| b == 0) {
        let len = msg.len() + 2; // `<`, the message, `\n`
        let start = built.len();
        let _ = write!(Bytes(&mut built), "{len} <");
        built.extend_from_slice(msg);
        let mut end = built.len();
        if msg.last() == Some(&b'\r') {
            end -= 1;
        }
        built.push(b'\n');
        frames.push((start, built[start..end].to_vec()));
    }
    let got: Vec<(usize, Vec<u8>)> =
        lognorm::split(&built, Framing::OctetCounted)
            .map(|r| (r.offset(), r.bytes().to_vec()))
            .collect();
    assert_eq!(got, frames, "correctly counted frames");
    // Streamed through a SplitReader.
    for framing in
        [Framing::Json, Framing::Lines, Framing::OctetCounted, Framing::Auto]
    {
        check_streamed(p, framing);
    }
}

/// A reader that hands out its bytes in pieces of the given sizes.
struct Pieces<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    reads: usize,
}

impl std::io::Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes.get(self.reads % self.sizes.len().max(1));
        let size = size.copied();
        self.reads += 1;
        let n = size.unwrap_or(1).max(1).min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// A streamed record: number, offset, full length, bytes, oversize.
type Streamed = (u64, usize, usize, Vec<u8>, bool);

fn stream(p: &[u8], framing: Framing, limit: usize) -> Vec<Streamed> {
    // Read sizes and the chunk from the input's first bytes.
    let sizes: Vec<usize> =
        p.iter().take(3).map(|&b| 1 + usize::from(b % 17)).collect();
    let chunk = 1 + p.get(3).map_or(0, |&b| usize::from(b % 29));
    let reader = Pieces { data: p, sizes, reads: 0 };
    let mut records = lognorm::SplitReader::new(reader, framing)
        .max_record_bytes(limit)
        .chunk_bytes(chunk);
    let mut out = Vec::new();
    while let Some(r) = records.next_record().unwrap() {
        let rec = (r.number(), r.offset(), r.full_len(), r.bytes().to_vec());
        out.push((rec.0, rec.1, rec.2, rec.3, r.is_oversize()));
    }
    out
}

/// What a SplitReader with `limit` must hand out for the records of the
/// whole payload: the same, a longer record oversize with its first
/// bytes (1,024 or the limit if less, at least one).
fn with_limit(p: &[u8], framing: Framing, limit: usize) -> Vec<Streamed> {
    lognorm::split(p, framing)
        .map(|r| {
            let (b, len) = (r.bytes(), r.bytes().len());
            let over = len > limit;
            let keep =
                if over { len.min(1024).min(limit.max(1)) } else { len };
            (r.number(), r.offset(), len, b[..keep].to_vec(), over)
        })
        .collect()
}

/// Streaming (SplitReader) finds the records of the whole payload, in
/// any reads; with a small limit (from the input) the records are in
/// order, numbered, their bytes the payload's, longer ones oversize, and
/// only what splitting may drop lies between them; text lines exactly as
/// the whole payload's.
fn check_streamed(p: &[u8], framing: Framing) {
    assert_eq!(
        stream(p, framing, p.len()),
        with_limit(p, framing, p.len()),
        "streamed {framing:?}"
    );
    let limit = usize::from(p.get(4).copied().unwrap_or(0) % 48);
    let got = stream(p, framing, limit);
    let mut pos = 0;
    let mut gap = Vec::new();
    for (i, (number, offset, len, bytes, over)) in got.iter().enumerate() {
        assert_eq!(*number, i as u64 + 1, "streamed numbers");
        assert!(*offset >= pos && *len > 0 && offset + len <= p.len());
        assert_eq!(*over, *len > limit, "streamed oversize");
        assert!(!bytes.is_empty() && bytes.len() <= *len);
        assert_eq!(Some(&bytes[..]), p.get(*offset..offset + bytes.len()));
        gap.extend(pos..*offset);
        pos = offset + len;
    }
    gap.extend(pos..p.len());
    let body = body_start(p);
    for i in gap.into_iter().filter(|&i| i >= body) {
        let b = p[i];
        let ok = match framing {
            Framing::Json => is_json_ws(b) || matches!(b, b'[' | b',' | b']'),
            _ => is_text_ws(b),
        };
        assert!(ok, "streamed {framing:?}: byte {i} ({b:#04x}) dropped");
    }
    if framing == Framing::Lines {
        assert_eq!(got, with_limit(p, framing, limit), "streamed lines");
    }
}

/// `write!` into a byte vector.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

// ---------------------------------------------------------------------
// normalize_json, normalize_text, schema_yaml
// ---------------------------------------------------------------------

/// The `normalize_json` target: the first byte picks one of the six
/// JSON log types ([`JSON_TYPES`], modulo 6, so `'0'..'5'` select them
/// in order), the rest is the payload.
pub fn normalize_json(data: &[u8]) {
    let Some((&pick, payload)) = data.split_first() else { return };
    let name = JSON_TYPES[usize::from(pick) % JSON_TYPES.len()];
    let (log_type, plan) = builtin(name);
    let n = check_payload(log_type, Some(plan), payload, None);
    assert_eq!(n, lognorm::split(payload, Framing::Json).count());
}

/// The `normalize_text` target: the payload as Heroku.Runtime, split by
/// the log type itself (auto framing), as lines and as octet-counted
/// frames.
pub fn normalize_text(data: &[u8]) {
    let (log_type, plan) = builtin("Heroku.Runtime");
    let n = check_payload(log_type, Some(plan), data, None);
    assert_eq!(n, lognorm::split(data, Framing::Auto).count());
    check_payload(log_type, Some(plan), data, Some(Framing::Lines));
    check_payload(log_type, Some(plan), data, Some(Framing::OctetCounted));
}

/// The `arrow_decode` target: the first byte's low three bits pick one
/// of the seven shipped log types ([`SHIPPED_TYPES`], modulo 7), its
/// high five bits the batch size (1 to 32 events); the rest is the
/// payload, decoded into batches by `lognorm::arrow::BatchDecoder` and
/// compared with the JSON path's outcome for every record.
#[cfg(feature = "arrow")]
pub fn arrow_decode(data: &[u8]) {
    use arrow_array::cast::AsArray;
    use arrow_array::types::UInt64Type;
    use arrow_array::{Array, RecordBatch};

    let Some((&pick, payload)) = data.split_first() else { return };
    let name = SHIPPED_TYPES[usize::from(pick & 7) % SHIPPED_TYPES.len()];
    let batch = 1 + usize::from(pick >> 3);
    let (log_type, _) = builtin(name);

    let mut ctx = Context::new(parse_time(), *b"fuzzer");
    let mut decoder = lognorm::arrow::BatchDecoder::new(log_type, batch);
    if let Err(e) = decoder.decode(payload, &mut ctx) {
        panic!("a batch did not fit its schema: {e}");
    }
    let mut events: Vec<RecordBatch> = Vec::new();
    let mut failures: Vec<(u64, String)> = Vec::new();
    loop {
        let batches = match decoder.flush() {
            Ok(Some(b)) => b,
            Ok(None) => break,
            Err(e) => panic!("a batch did not fit its schema: {e}"),
        };
        assert!(batches.events.num_rows() <= batch, "a batch past its size");
        let numbers = batches.failures.column(0).as_primitive::<UInt64Type>();
        let errors = batches.failures.column(3).as_string::<i32>();
        for i in 0..batches.failures.num_rows() {
            failures.push((numbers.value(i), errors.value(i).to_owned()));
        }
        events.push(batches.events);
    }
    let rows: Vec<(usize, usize)> = events
        .iter()
        .enumerate()
        .flat_map(|(b, batch)| (0..batch.num_rows()).map(move |r| (b, r)))
        .collect();

    // The JSON path, record by record.
    let mut ctx = Context::new(parse_time(), *b"fuzzer");
    let mut scratch = Scratch::new();
    let (mut failed, mut row) = (failures.iter().peekable(), rows.iter());
    for record in log_type.split(payload) {
        let json = log_type.normalize(record, &mut ctx, &mut scratch);
        let number = record.number();
        match json {
            Err(e) => {
                let Some((n, message)) = failed.next() else {
                    panic!("record {number} failed as JSON, not as Arrow: {e}")
                };
                assert_eq!(*n, number, "failures out of order");
                assert_eq!(*message, e.to_string(), "another failure");
            }
            Ok(event) => {
                let row_json: J = match parse_strict(event.row().as_bytes()) {
                    Ok(v) => v,
                    Err(e) => panic!("a row that is not JSON: {e}"),
                };
                // A timestamp outside Arrow's nanoseconds fails there only.
                if let Some((n, m)) = failed.peek()
                    && *n == number
                {
                    assert!(
                        m.contains("nanosecond range"),
                        "record {number} is a row as JSON only: {m}"
                    );
                    failed.next();
                    continue;
                }
                let Some(&(b, r)) = row.next() else {
                    panic!("record {number} is a row as JSON only");
                };
                check_arrow_row(&events[b], r, &row_json);
            }
        }
    }
    assert!(failed.next().is_none(), "more failures than the JSON path's");
    assert!(row.next().is_none(), "more rows than the JSON path's");

    /// The declared columns of row `r` equal the JSON row's values: a
    /// column the row leaves out is null; strings, numbers and booleans
    /// equal; a nested value is a Struct or List that is not null (its
    /// contents are checked by `tests/arrow.rs` against arrow-json).
    fn check_arrow_row(batch: &RecordBatch, r: usize, row: &J) {
        let J::Obj(fields) = row else { panic!("a row that is no object") };
        for (i, field) in batch.schema().fields().iter().enumerate() {
            let name = field.name();
            // `json` columns hold JSON text (the row, the value itself).
            if name.starts_with("p_")
                || field.metadata().contains_key("lognorm.type")
            {
                continue;
            }
            let column = batch.column(i);
            let value = fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
            match value {
                None => assert!(
                    column.is_null(r),
                    "{name}: a value the row has not"
                ),
                Some(v) => {
                    assert!(
                        !column.is_null(r),
                        "{name}: null, the row has {v:?}"
                    );
                    match (field.data_type(), v) {
                        (arrow_schema::DataType::Utf8, J::Str(s)) => {
                            assert_eq!(
                                column.as_string::<i32>().value(r),
                                s,
                                "{name}"
                            );
                        }
                        (arrow_schema::DataType::Boolean, J::Bool(b)) => {
                            assert_eq!(
                                column.as_boolean().value(r),
                                *b,
                                "{name}"
                            );
                        }
                        (arrow_schema::DataType::Int64, J::Num(n)) => {
                            let got = column
                                .as_primitive::<arrow_array::types::Int64Type>(
                                )
                                .value(r);
                            assert_eq!(
                                got.to_string(),
                                n.to_string(),
                                "{name}"
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// The seven shipped log types, in the order the `classify` target's
/// first byte picks them by bit.
pub const SHIPPED_TYPES: [&str; 7] = [
    "Databricks.Audit",
    "Heroku.Runtime",
    "Hex.Audit",
    "OpenAI.Audit",
    "Wiz.Audit",
    "Wiz.Issues",
    "Wiz.VulnerabilityFinding",
];

/// The `classify` target: the first byte's low seven bits pick the
/// candidates among [`SHIPPED_TYPES`] (none: all seven), in that order,
/// reversed when bit 7 is set; the second byte's low bit picks
/// [`Rule::FirstSuccess`](lognorm::Rule); the rest is the payload, split by
/// the classifier. Every record gets exactly one outcome: an event that
/// equals the winner's own row, or an error that keeps the record and
/// holds every candidate's own error (and no candidate accepts it). Under
/// the best fit, the winner does not depend on the records before it (a
/// fresh state picks the same one).
pub fn classify(data: &[u8]) {
    let [pick, rule, payload @ ..] = data else { return };
    let mut names: Vec<&str> = SHIPPED_TYPES
        .iter()
        .enumerate()
        .filter(|&(i, _)| pick & 0x7f == 0 || pick & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect();
    if pick & 0x80 != 0 {
        names.reverse();
    }
    let (registry, _) = &*BUILTIN;
    let rule = if rule & 1 == 0 {
        lognorm::Rule::BestFit
    } else {
        lognorm::Rule::FirstSuccess
    };
    let c = match registry.classifier(&names) {
        Ok(c) => c.with_rule(rule),
        Err(e) => panic!("classifier over shipped types: {e}"),
    };
    let records: Vec<Record<'_>> = c.split(payload).collect();
    let mut scratch = Scratch::new();
    let mut own_scratch = Scratch::new();
    let mut state = c.state();
    let mut outcomes = 0;
    for &record in &records {
        let fresh = || Context::new(parse_time(), *b"fuzzer");
        // Each candidate's own outcome, as its row or error text.
        let own: Vec<Result<String, String>> = c
            .candidates()
            .map(|t| {
                match t.normalize(record, &mut fresh(), &mut own_scratch) {
                    Ok(e) => Ok(e.row().to_owned()),
                    Err(e) => Err(e.to_string()),
                }
            })
            .collect();
        let mut ctx1 = fresh();
        match c.classify(record, &mut ctx1, &mut scratch, &mut state) {
            Ok((lt, event)) => {
                let i = match c
                    .candidates()
                    .position(|t| t.name() == lt.name())
                {
                    Some(i) => i,
                    None => panic!("the winner {} is no candidate", lt.name()),
                };
                let want = &own[i];
                assert_eq!(
                    Ok(event.row()),
                    want.as_deref(),
                    "the winner's row"
                );
                let tag = format!(",\"p_log_type\":\"{}\"", lt.name());
                assert!(event.row().contains(&tag), "p_log_type");
                if rule == lognorm::Rule::BestFit {
                    let name = lt.name().to_owned();
                    let mut s = c.state();
                    let again =
                        c.classify(record, &mut fresh(), &mut scratch, &mut s);
                    assert_eq!(
                        again.map(|(t, _)| t.name().to_owned()).ok(),
                        Some(name),
                        "a fresh state picked another winner"
                    );
                }
            }
            Err(e) => {
                assert_eq!(e.raw(), record.bytes(), "raw bytes");
                assert_eq!(e.record_number(), record.number());
                assert_eq!(e.offset(), record.offset());
                assert_eq!(
                    e.errors().len(),
                    names.len(),
                    "one error a candidate"
                );
                for ((err, name), own) in
                    e.errors().iter().zip(&names).zip(&own)
                {
                    assert_eq!(err.log_type(), *name, "caller's order");
                    assert_eq!(
                        Err(err.to_string()),
                        *own,
                        "the candidate's own error"
                    );
                }
                let text = e.to_string();
                assert!(
                    !text.contains(['\n', '\r']),
                    "Display spans lines: {text:?}"
                );
            }
        }
        outcomes += 1;
    }
    assert_eq!(outcomes, records.len(), "one outcome per record");
}

/// Records a fuzzed schema that loads is asked to normalize.
const SCHEMA_PAYLOAD: &[u8] = b"{}\n\
{\"a\":\"x\",\"b\":1,\"t\":\"2024-01-01T00:00:00Z\",\"o\":{\"a\":[1,\"2\"]}}\n\
[1]\n\
a b c\n\
1 <2>3 2024-01-01T00:00:00Z h a p - m\n";

/// The `schema_yaml` target: any text as a schema.
pub fn schema_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut builder = Registry::builder();
    match builder.add_yaml("fuzz.yml", text) {
        Err(e) => check_schema_error(&e, text),
        Ok(_) => {
            let registry = builder.build();
            assert_eq!(registry.log_types().len(), 1);
            let plan = Plan::from_yaml(text);
            for log_type in registry.log_types() {
                let plan =
                    plan.as_ref().filter(|p| p.log_type == log_type.name());
                check_payload(log_type, plan, SCHEMA_PAYLOAD, None);
            }
        }
    }
}

/// The lines of a YAML text, without their endings: `\r\n`, `\r` and
/// `\n` each end a line (YAML 1.2 line breaks); the text after the last
/// break is a line too, even when empty.
fn yaml_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['\r', '\n']) {
        lines.push(&rest[..i]);
        let len = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + len..];
    }
    lines.push(rest);
    lines
}

/// A schema error is one line that starts with the file name and, when
/// it has a location, `line:column` inside the text.
pub fn check_schema_error(e: &SchemaError, text: &str) {
    let message = e.to_string();
    assert_eq!(e.file(), "fuzz.yml");
    assert!(!e.message().is_empty(), "empty message: {message}");
    assert!(!message.contains(['\n', '\r']), "spans lines: {message:?}");
    let mut want = String::from("fuzz.yml:");
    if let Some(at) = e.location() {
        let lines = yaml_lines(text);
        let line = usize::try_from(at.line).unwrap_or(usize::MAX);
        assert!(line >= 1, "line 0: {message}");
        let Some(width) = lines.get(line - 1).map(|l| l.chars().count())
        else {
            panic!("line past the end ({} lines): {message}", lines.len())
        };
        let column = usize::try_from(at.column).unwrap_or(usize::MAX);
        assert!(
            (1..=width + 1).contains(&column),
            "column outside line {line} ({width} chars): {message}"
        );
        let _ = write!(want, "{}:{}:", at.line, at.column);
    }
    assert!(
        message.starts_with(&want),
        "`{message}` does not start with `{want}`"
    );
}

// ---------------------------------------------------------------------
// fastmatch: a naive reference
// ---------------------------------------------------------------------

/// A naive pattern: prefix, then `(name, delimiter)` per placeholder.
#[derive(Debug, PartialEq)]
pub struct NaivePattern {
    prefix: String,
    fields: Vec<(Option<String>, String)>,
}

#[derive(Debug)]
enum Tok {
    Lit(String),
    /// Start offset and trimmed name.
    Hole(usize, String),
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-')
}

/// Splits pattern text into literals and placeholders, char by char;
/// `Err(offset)` for an unclosed `%{` or a bad name character.
fn naive_lex(src: &str) -> Result<Vec<Tok>, usize> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < src.len() {
        let rest = &src[i..];
        if rest.starts_with("%{") {
            let Some(close) = rest.find('}') else { return Err(i) };
            let inner = &rest[2..close];
            let lead =
                inner.len() - inner.trim_start_matches([' ', '\t']).len();
            let name = inner.trim_matches([' ', '\t']);
            if let Some((k, _)) =
                name.char_indices().find(|&(_, c)| !name_char(c))
            {
                return Err(i + 2 + lead + k);
            }
            if !lit.is_empty() {
                out.push(Tok::Lit(std::mem::take(&mut lit)));
            }
            out.push(Tok::Hole(i, name.to_owned()));
            i += close + 1;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            lit.push(c);
            i += c.len_utf8();
        }
    }
    if !lit.is_empty() {
        out.push(Tok::Lit(lit));
    }
    Ok(out)
}

/// Parses a pattern; `Err(offset)` where [`Pattern::compile`] must fail.
pub fn naive_parse(src: &str) -> Result<NaivePattern, usize> {
    let mut p = NaivePattern { prefix: String::new(), fields: Vec::new() };
    let mut after_hole = false;
    for tok in naive_lex(src)? {
        match tok {
            Tok::Lit(s) => {
                match p.fields.last_mut() {
                    Some(f) => f.1 = s,
                    None => p.prefix = s,
                }
                after_hole = false;
            }
            Tok::Hole(at, _) if after_hole => return Err(at),
            Tok::Hole(_, name) => {
                p.fields
                    .push(((!name.is_empty()).then_some(name), String::new()));
                after_hole = true;
            }
        }
    }
    if p.fields.is_empty() {
        return Err(0);
    }
    Ok(p)
}

/// Where a quoted value ends: the first `delim` not preceded by an odd
/// run of backslashes (walking escapes char by char).
fn naive_quoted_end(s: &str, delim: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if !escaped && s[i..].starts_with(delim) {
            return Some(i);
        }
        escaped = !escaped && c == '\\';
    }
    None
}

fn naive_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mapped = match it.peek() {
            Some('"') => '"',
            Some('\'') => '\'',
            Some('\\') => '\\',
            Some('/') => '/',
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            _ => {
                out.push('\\');
                continue;
            }
        };
        out.push(mapped);
        it.next();
    }
    out
}

/// The reference matcher (SPEC §6): `str::find` per delimiter.
fn naive_match(p: &NaivePattern, line: &str) -> Option<Vec<String>> {
    let mut rest = line.strip_prefix(p.prefix.as_str())?;
    let is_quote = |c: &char| *c == '"' || *c == '\'';
    let mut before = p.prefix.chars().last().filter(is_quote);
    let mut out = Vec::new();
    for (name, delim) in &p.fields {
        let quote = before.filter(|&q| delim.starts_with(q));
        before = delim.chars().last().filter(is_quote);
        if delim.is_empty() {
            if name.is_some() {
                out.push(rest.to_owned());
            }
            return Some(out);
        }
        let end = match quote {
            Some(_) => naive_quoted_end(rest, delim)?,
            None => rest.find(delim.as_str())?,
        };
        let value = &rest[..end];
        if name.is_some() {
            out.push(match quote {
                Some(_) => naive_unescape(value),
                None => value.to_owned(),
            });
        }
        rest = &rest[end + delim.len()..];
    }
    Some(out)
}

/// Checks a pattern error's offset and message against the reference.
fn check_pattern_error(src: &str, offset: usize, message: &str, want: usize) {
    assert_eq!(offset, want, "error offset for {src:?}: {message}");
    assert!(offset <= src.len() && src.is_char_boundary(offset));
    assert!(src.is_empty() || offset < src.len(), "offset past the end");
    let prefix = format!("pattern position {offset}: ");
    assert!(message.contains(&prefix), "{message}");
}

/// Compiles `src` and checks it against [`naive_parse`].
fn compile_checked(src: &str) -> Option<(Pattern, NaivePattern)> {
    match (Pattern::compile(src), naive_parse(src)) {
        (Ok(p), Ok(n)) => {
            assert_eq!(p.as_str(), src);
            let names: Vec<&str> =
                n.fields.iter().filter_map(|f| f.0.as_deref()).collect();
            let got: Vec<&str> = p.fields().iter().map(|f| &**f).collect();
            assert_eq!(got, names, "field names of {src:?}");
            Some((p, n))
        }
        (Err(e), Err(want)) => {
            check_pattern_error(src, e.offset(), &e.to_string(), want);
            None
        }
        (Ok(_), Err(want)) => {
            panic!("{src:?} compiled; expected an error at {want}")
        }
        (Err(e), Ok(_)) => panic!("{src:?} failed to compile: {e}"),
    }
}

/// The `fastmatch_compile` target: the input as a pattern, then its
/// lines as a parser's `match` list, then its `name=template` lines as
/// `expandFields`.
pub fn fastmatch_compile(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else { return };
    compile_checked(src);
    let lines: Vec<&str> = src.split('\n').collect();
    let first_bad = lines.iter().position(|l| naive_parse(l).is_err());
    let cfg = ParserConfig { match_: &lines, ..ParserConfig::default() };
    match (Parser::compile(cfg), first_bad) {
        (Ok(p), None) => assert_eq!(p.patterns().len(), lines.len()),
        (Err(e), Some(i)) => {
            assert_eq!(e.pattern_index(), Some(i), "{e}");
            let pe = e.pattern_error().expect("a pattern error");
            let want = naive_parse(lines[i]).err().unwrap_or_default();
            check_pattern_error(lines[i], pe.offset(), &e.to_string(), want);
            assert!(!e.to_string().contains(['\n', '\r']));
        }
        (r, _) => panic!("parser verdict {r:?}, first bad line {first_bad:?}"),
    }
    // Templates: names checked first (all of them), then templates.
    let expand: Vec<(&str, &str)> =
        lines.iter().filter_map(|l| l.split_once('=')).collect();
    let bad_name = expand
        .iter()
        .position(|(n, _)| n.is_empty() || !n.chars().all(name_char));
    let bad_template = expand.iter().enumerate().find_map(|(i, (_, t))| {
        let toks = match naive_lex(t) {
            Ok(toks) => toks,
            Err(at) => return Some((i, at)),
        };
        toks.iter().find_map(|tok| match tok {
            Tok::Hole(at, name) if name.is_empty() => Some((i, *at)),
            _ => None,
        })
    });
    let cfg = ParserConfig {
        match_: &["%{a}"],
        expand_fields: &expand,
        ..ParserConfig::default()
    };
    match Parser::compile(cfg) {
        Ok(_) => assert!(bad_name.is_none() && bad_template.is_none()),
        Err(e) => {
            assert!(!e.to_string().contains(['\n', '\r']));
            match (bad_name, bad_template) {
                (Some(i), _) => {
                    assert_eq!(e.expand_index(), Some(i), "{e}");
                    assert!(e.pattern_error().is_none());
                }
                (None, Some((i, at))) => {
                    assert_eq!(e.expand_index(), Some(i), "{e}");
                    let pe = e.pattern_error().expect("a template error");
                    check_pattern_error(
                        expand[i].1,
                        pe.offset(),
                        &e.to_string(),
                        at,
                    );
                }
                (None, None) => panic!("expandFields {expand:?} failed: {e}"),
            }
        }
    }
}

/// A generated placeholder.
#[derive(Arbitrary, Debug)]
pub struct GenField<'a> {
    /// Index into [`NAMES`]; `None` for `%{}`.
    name: Option<u8>,
    /// Write the name with spaces inside the braces.
    spaced: bool,
    /// Put the placeholder between a pair of `"` (false) or `'` (true).
    quote: Option<bool>,
    delim: &'a str,
}

/// A piece of a generated `expandFields` template.
#[derive(Arbitrary, Debug)]
pub enum GenPiece<'a> {
    Lit(&'a str),
    Field(u8),
}

/// The `fastmatch_match` input: a generated pattern, a raw pattern,
/// parser settings and a line.
#[derive(Arbitrary, Debug)]
pub struct MatchInput<'a> {
    prefix: &'a str,
    fields: Vec<GenField<'a>>,
    raw: &'a str,
    trim_space: bool,
    empty_values: Vec<&'a str>,
    expand: Vec<(u8, Vec<GenPiece<'a>>)>,
    line: &'a str,
}

const NAMES: [&str; 5] = ["a", "b", "c", "@t.x-1", "e"];

fn gen_name(i: u8) -> &'static str {
    NAMES[usize::from(i) % NAMES.len()]
}

impl MatchInput<'_> {
    /// The generated pattern's text.
    fn pattern(&self) -> String {
        let mut lits: Vec<String> = vec![self.prefix.to_owned()];
        lits.extend(self.fields.iter().map(|f| f.delim.to_owned()));
        for (i, f) in self.fields.iter().enumerate() {
            let open_end = i + 1 == self.fields.len() && f.delim.is_empty();
            if let (Some(q), false) = (f.quote, open_end) {
                let q = if q { '\'' } else { '"' };
                lits[i].push(q);
                lits[i + 1].insert(0, q);
            }
        }
        let mut s = lits[0].clone();
        for (f, lit) in self.fields.iter().zip(&lits[1..]) {
            let name = f.name.map_or("", gen_name);
            let pad = if f.spaced { " " } else { "" };
            let _ = write!(s, "%{{{pad}{name}{pad}}}{lit}");
        }
        s
    }

    fn template(pieces: &[GenPiece<'_>]) -> String {
        let mut s = String::new();
        for piece in pieces {
            match piece {
                GenPiece::Lit(l) => s.push_str(l),
                GenPiece::Field(i) => {
                    let _ = write!(s, "%{{{}}}", gen_name(*i));
                }
            }
        }
        s
    }
}

/// The reference [`Parser::parse`]: the first naive match, then
/// `trimSpace`, `emptyValues`, last-occurrence-wins and `expandFields`
/// as documented on [`Parser`].
fn naive_parser(
    patterns: &[NaivePattern],
    trim: bool,
    empty: &[&str],
    expand: &[(&str, String)],
    line: &str,
) -> Option<(Vec<String>, Vec<Option<String>>)> {
    let mut names: Vec<String> = Vec::new();
    let mut intern = |n: &str| match names.iter().position(|x| x == n) {
        Some(i) => i,
        None => {
            names.push(n.to_owned());
            names.len() - 1
        }
    };
    let outs: Vec<Vec<usize>> = patterns
        .iter()
        .map(|p| {
            p.fields
                .iter()
                .filter_map(|f| f.0.as_deref())
                .map(&mut intern)
                .collect()
        })
        .collect();
    let expand_out: Vec<usize> =
        expand.iter().map(|(n, _)| intern(n)).collect();
    let (k, values) = patterns
        .iter()
        .enumerate()
        .find_map(|(k, p)| Some((k, naive_match(p, line)?)))?;
    let mut slots: Vec<Option<String>> = vec![None; names.len()];
    for (value, &o) in values.iter().zip(&outs[k]) {
        let v = if trim { value.trim_ascii() } else { value.as_str() };
        if !empty.contains(&v) {
            slots[o] = Some(v.to_owned());
        }
    }
    let rendered: Vec<Option<String>> = expand
        .iter()
        .map(|(_, template)| {
            let mut s = String::new();
            for tok in naive_lex(template).unwrap_or_default() {
                match tok {
                    Tok::Lit(l) => s.push_str(&l),
                    Tok::Hole(_, n) => {
                        if let Some(Some(v)) = names
                            .iter()
                            .position(|x| *x == n)
                            .map(|i| &slots[i])
                        {
                            s.push_str(v);
                        }
                    }
                }
            }
            (!s.is_empty() && !empty.contains(&s.as_str())).then_some(s)
        })
        .collect();
    for (r, &o) in rendered.into_iter().zip(&expand_out) {
        if r.is_some() {
            slots[o] = r;
        }
    }
    Some((names, slots))
}

/// Matches `line` with a compiled pattern and compares with the
/// reference.
fn match_checked(p: &Pattern, n: &NaivePattern, line: &str) {
    let mut caps = Captures::new();
    let got = p.matches(line, &mut caps).then(|| {
        assert_eq!(caps.len(), p.fields().len(), "captures of a match");
        (0..caps.len())
            .map(|i| match caps.get(line, i) {
                Some(v) => v.to_owned(),
                None => panic!("capture {i} missing"),
            })
            .collect::<Vec<_>>()
    });
    if got.is_none() {
        assert!(caps.is_empty(), "captures left after a failed match");
    }
    assert_eq!(got, naive_match(n, line), "{:?} on {line:?}", p.as_str());
}

/// The `fastmatch_match` target, on raw bytes (decoded the way
/// libFuzzer decodes an [`Arbitrary`] input).
pub fn fastmatch_match(data: &[u8]) {
    if let Ok(input) = MatchInput::arbitrary_take_rest(Unstructured::new(data))
    {
        fastmatch_match_input(&input);
    }
}

/// The `fastmatch_match` target on a decoded input.
pub fn fastmatch_match_input(input: &MatchInput<'_>) {
    let generated = input.pattern();
    let line = input.line;
    let a = compile_checked(&generated);
    let b = compile_checked(input.raw);
    for (p, n) in a.iter().chain(b.iter()) {
        match_checked(p, n, line);
    }
    // A parser over both patterns.
    let expand: Vec<(&str, String)> = input
        .expand
        .iter()
        .map(|(i, pieces)| (gen_name(*i), MatchInput::template(pieces)))
        .collect();
    let templates_ok = expand.iter().all(|(_, t)| {
        naive_lex(t).is_ok_and(|toks| {
            !toks.iter().any(|t| matches!(t, Tok::Hole(_, n) if n.is_empty()))
        })
    });
    let expand_refs: Vec<(&str, &str)> =
        expand.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let sources = [generated.as_str(), input.raw];
    let cfg = ParserConfig {
        match_: &sources,
        empty_values: &input.empty_values,
        trim_space: input.trim_space,
        expand_fields: &expand_refs,
    };
    let parser = Parser::compile(cfg);
    let (Some((_, na)), Some((_, nb))) = (a, b) else {
        assert!(parser.is_err(), "a parser with a bad pattern compiled");
        return;
    };
    let parser = match parser {
        Ok(p) => p,
        Err(e) if !templates_ok => {
            assert!(e.expand_index().is_some(), "{e}");
            return;
        }
        Err(e) => panic!("parser failed: {e}"),
    };
    assert!(templates_ok, "a parser with a bad template compiled");
    let both = [na, nb];
    let naive = naive_parser(
        &both,
        input.trim_space,
        &input.empty_values,
        &expand,
        line,
    );
    parse_checked(&parser, line, naive);
    // The generated pattern alone, without templates: the parser reads
    // its capture slots in place when its names are distinct.
    let single =
        ParserConfig { match_: &sources[..1], expand_fields: &[], ..cfg };
    let parser = match Parser::compile(single) {
        Ok(p) => p,
        Err(e) => panic!("single-pattern parser failed: {e}"),
    };
    let naive = naive_parser(
        &both[..1],
        input.trim_space,
        &input.empty_values,
        &[],
        line,
    );
    parse_checked(&parser, line, naive);
}

/// `parser` parses `line` as the naive parser says.
fn parse_checked(
    parser: &Parser,
    line: &str,
    naive: Option<(Vec<String>, Vec<Option<String>>)>,
) {
    let mut out = ParseScratch::new();
    let matched = parser.parse(line, &mut out);
    assert_eq!(matched, naive.is_some(), "parse verdict on {line:?}");
    if let Some((names, slots)) = naive {
        let got: Vec<&str> =
            parser.field_names().iter().map(|n| &**n).collect();
        assert_eq!(got, names, "parser field names");
        for (i, want) in slots.iter().enumerate() {
            assert_eq!(
                out.get(line, i),
                want.as_deref(),
                "field {}",
                names[i]
            );
        }
    }
}

// ---------------------------------------------------------------------
// time_parse
// ---------------------------------------------------------------------

/// The formats `time_parse` checks, each in a log type of its own.
const TIME_FORMATS: [&str; 13] = [
    "rfc3339",
    "unix",
    "unix_ms",
    "unix_us",
    "unix_ns",
    "%Y-%m-%d %H:%M:%S",
    "%d/%b/%Y:%H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%s",
    "%Y-%m-%d %H:%M:%S.%f",
    "layout=01/02/2006 15:04:05.999",
    "layout=2006-01-02 15:04:05 MST",
    "cloudflare",
];

fn time_schema(name: &str, formats: &[&str]) -> String {
    let list = if formats.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> =
            formats.iter().map(|f| format!("'{f}'")).collect();
        format!("\n    timeFormats: [{}]", quoted.join(", "))
    };
    let elem = list.replace("\n    ", "\n      ");
    format!(
        "schema: {name}\nfields:\n  - name: t\n    type: timestamp{list}\n    \
         isEventTime: true\n  - name: arr\n    type: array\n    element:\n      \
         type: timestamp{elem}\n"
    )
}

/// Log types `Fuzz.Time0..12` (one format each), `Fuzz.TimeAll` (all, in
/// order) and `Fuzz.TimeDefault` (no `timeFormats`), with their plans.
static TIME: LazyLock<(Registry, Vec<Plan>)> = LazyLock::new(|| {
    let mut schemas: Vec<String> = TIME_FORMATS
        .iter()
        .enumerate()
        .map(|(i, f)| time_schema(&format!("Fuzz.Time{i}"), &[f]))
        .collect();
    schemas.push(time_schema("Fuzz.TimeAll", &TIME_FORMATS));
    schemas.push(time_schema("Fuzz.TimeDefault", &[]));
    let mut b = Registry::builder();
    for (i, yaml) in schemas.iter().enumerate() {
        if let Err(e) = b.add_yaml(&format!("time{i}.yml"), yaml) {
            panic!("time schema {i}: {e}\n{yaml}");
        }
    }
    let plans = schemas.iter().filter_map(|y| Plan::from_yaml(y)).collect();
    (b.build(), plans)
});

/// What normalizing one record gave: `Ok(t)` an event whose `t` column
/// held `t` (`None`: absent), `Err(())` an invalid-timestamp error.
type TimeResult = Result<Option<Timestamp>, ()>;

fn normalize_time(name: &str, record: &[u8]) -> TimeResult {
    let (registry, plans) = &*TIME;
    let (Some(log_type), Some(plan)) =
        (registry.log_type(name), plans.iter().find(|p| p.log_type == name))
    else {
        panic!("no log type {name}")
    };
    let mut ctx = Context::new(parse_time(), *b"fuzzer");
    let mut scratch = Scratch::new();
    let r = Record::new(record, 1, 0);
    match log_type.normalize(r, &mut ctx, &mut scratch) {
        Ok(event) => {
            check_event(log_type, Some(plan), &event);
            let J::Obj(row) =
                parse_strict(event.row_bytes()).unwrap_or(J::Null)
            else {
                panic!("row is not an object")
            };
            let get =
                |k: &str| row.iter().find(|(key, _)| key == k).map(|(_, v)| v);
            let t = get("t").map(|v| check_row_time("t", v));
            assert_eq!(
                event.event_time(),
                t.unwrap_or(parse_time()),
                "event_time()"
            );
            // Array elements use the declared formats (SPEC §4).
            if let (Some(t), Some(J::Arr(items))) = (t, get("arr")) {
                assert_eq!(items.len(), 1);
                assert_eq!(
                    check_row_time("arr[0]", &items[0]),
                    t,
                    "arr[0] differs from t"
                );
            }
            Ok(t)
        }
        Err(e) => {
            check_error(log_type, Some(plan), r, &e);
            assert_eq!(e.kind(), RecordErrorKind::InvalidTimestamp, "{e}");
            assert_eq!(e.path(), "t", "{e}");
            Err(())
        }
    }
}

/// The exact value of decimal text `-?digits(.digits)?` in nanoseconds
/// per `unit`, fraction digits past the ninth truncated; `None` for any
/// other text or overflow.
fn decimal_nanos(
    s: &str,
    unit: i128,
    fraction: bool,
) -> Option<Option<Timestamp>> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) if fraction => (w, Some(f)),
        _ => (rest, None),
    };
    let digits =
        |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let mut v: i128 = 0;
    for b in whole.bytes() {
        match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(b - b'0')))
        {
            Some(n) => v = n,
            None => return Some(None),
        }
    }
    let Some(mut nanos) = v.checked_mul(unit) else { return Some(None) };
    if let Some(f) = frac {
        let mut scale = unit / 10;
        for b in f.bytes().take(9) {
            nanos += i128::from(b - b'0') * scale;
            scale /= 10;
        }
    }
    Some(Timestamp::from_unix_nanos(if neg { -nanos } else { nanos }))
}

/// Whether chrono's strftime reading of `s` may stand for Panther's:
/// chrono lets a pattern's space match any run of whitespace (or none),
/// skips whitespace before numbers and reads a `+` before a year;
/// Panther's dialect matches text exactly. Without whitespace and `+`,
/// the two read the same.
fn chrono_reads_like_panther(s: &str) -> bool {
    !s.contains('+') && !s.contains(char::is_whitespace)
}

/// Panther's `%Y-%m-%d %H:%M:%S` (no fraction) by chrono, where chrono's
/// dialect agrees (the date and the time, each read alone); `None` when
/// it has no opinion.
fn plain_strftime(s: &str) -> Option<Option<Timestamp>> {
    use chrono::{NaiveDate, NaiveTime};
    let Some((date, time)) = s.split_once(' ') else {
        // The pattern's space is not there.
        return Some(None);
    };
    if !chrono_reads_like_panther(date) || !chrono_reads_like_panther(time) {
        return None;
    }
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S").ok();
    Some(
        date.zip(time).and_then(|(d, t)| {
            Timestamp::from_chrono(d.and_time(t).and_utc())
        }),
    )
}

/// The nanoseconds of fraction digits `f` (any count, nine kept); `None`
/// unless `f` is one or more ASCII digits.
fn fraction_nanos(f: &str) -> Option<u32> {
    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nine = format!("{:0<9}", &f[..f.len().min(9)]);
    nine.parse().ok()
}

/// Adds `nanos` to a whole-second instant.
fn with_nanos(t: Option<Timestamp>, nanos: u32) -> Option<Timestamp> {
    t.and_then(|t| Timestamp::from_unix(t.unix_seconds(), nanos))
}

/// `%Y-%m-%d %H:%M:%S.%f`: the text after the last `.` is the fraction,
/// 1 to 6 digits (Panther's `%f`); the rest is read as above.
fn fraction_strftime(s: &str) -> Option<Option<Timestamp>> {
    let Some((head, frac)) = s.rsplit_once('.') else {
        return Some(None);
    };
    let whole = plain_strftime(head)?;
    match fraction_nanos(frac) {
        Some(nanos) if frac.len() <= 6 => Some(with_nanos(whole, nanos)),
        _ => Some(None),
    }
}

/// `%s`: an optional `-` and 1 to 19 digits of seconds.
fn strftime_unix(s: &str) -> Option<Timestamp> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty()
        || digits.len() > 19
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Timestamp::from_unix(s.parse::<i64>().ok()?, 0)
}

/// A plain cursor over text, for the hand-written layout readers.
struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let d = self.rest.get(..n)?;
        if !d.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.rest = &self.rest[n..];
        d.parse().ok()
    }

    /// One or two ASCII digits, as many as there are.
    fn one_or_two(&mut self) -> Option<u32> {
        let n =
            self.rest.bytes().take(2).take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        self.digits(n)
    }

    fn text(&mut self, t: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(t)?;
        Some(())
    }

    /// Go's layout space: one or more spaces, or none at the end.
    fn spaces(&mut self) -> Option<()> {
        let trimmed = self.rest.trim_start_matches(' ');
        if trimmed.len() == self.rest.len() && !self.rest.is_empty() {
            return None;
        }
        self.rest = trimmed;
        Some(())
    }

    /// Go's fraction after seconds: `.` or `,` and digits, if there.
    fn fraction(&mut self) -> Option<u32> {
        let Some(after) = self
            .rest
            .strip_prefix('.')
            .or_else(|| self.rest.strip_prefix(','))
        else {
            return Some(0);
        };
        let n = after.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Some(0);
        }
        self.rest = &after[n..];
        fraction_nanos(&after[..n])
    }
}

/// A date and time of day in UTC, if they exist and are in range.
fn civil(
    (y, mo, d): (u32, u32, u32),
    (h, mi, s): (u32, u32, u32),
    nanos: u32,
) -> Option<Timestamp> {
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d)?;
    let dt = date.and_hms_nano_opt(h, mi, s, nanos)?;
    if s > 59 {
        return None;
    }
    Timestamp::from_chrono(dt.and_utc())
}

/// `layout=01/02/2006 15:04:05.999`, read by hand from Go's rules.
fn layout_crowdstrike(s: &str) -> Option<Timestamp> {
    let mut c = Cursor { rest: s };
    let month = c.digits(2)?;
    c.text("/")?;
    let day = c.digits(2)?;
    c.text("/")?;
    let year = c.digits(4)?;
    c.spaces()?;
    let hour = c.one_or_two()?;
    c.text(":")?;
    let minute = c.digits(2)?;
    c.text(":")?;
    let second = c.digits(2)?;
    let nanos = c.fraction()?;
    if !c.rest.is_empty() || hour > 23 || minute > 59 || month == 0 {
        return None;
    }
    civil((year, month, day), (hour, minute, second), nanos)
}

/// Whether `z` is all of a zone name Go's `MST` reads.
fn go_zone_name(z: &str) -> bool {
    let signed_hours = |t: &str| {
        let d = t.strip_prefix(['+', '-']);
        d.is_some_and(|d| {
            !d.is_empty()
                && d.bytes().all(|b| b.is_ascii_digit())
                && d.trim_start_matches('0').len() <= 2
                && d.parse::<u32>().is_ok_and(|v| v <= 23)
        })
    };
    let capitals = z.bytes().all(|b| b.is_ascii_uppercase());
    match z {
        "UTC" | "GMT" | "ChST" | "MeST" | "WITA" => true,
        _ if z.starts_with("GMT") => signed_hours(&z[3..]),
        _ if z.starts_with(['+', '-']) => signed_hours(z),
        _ if !capitals || z.starts_with("UTC") => false,
        _ => match z.len() {
            3 => true,
            4 | 5 => z.ends_with('T'),
            _ => false,
        },
    }
}

/// `layout=2006-01-02 15:04:05 MST`, read by hand from Go's rules (a
/// zone name never moves the instant).
fn layout_onelogin(s: &str) -> Option<Timestamp> {
    let mut c = Cursor { rest: s };
    let year = c.digits(4)?;
    c.text("-")?;
    let month = c.digits(2)?;
    c.text("-")?;
    let day = c.digits(2)?;
    c.spaces()?;
    let hour = c.one_or_two()?;
    c.text(":")?;
    let minute = c.digits(2)?;
    c.text(":")?;
    let second = c.digits(2)?;
    let nanos = c.fraction()?;
    c.spaces()?;
    if !go_zone_name(c.rest) || hour > 23 || minute > 59 || month == 0 {
        return None;
    }
    civil((year, month, day), (hour, minute, second), nanos)
}

/// `cloudflare` on integer text `-?digits`: seconds when they are a
/// second within 0001..=9999, else nanoseconds; `None` (no opinion) for
/// other text.
fn cloudflare_integer(s: &str) -> Option<Option<Timestamp>> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let Ok(v) = s.parse::<i128>() else { return Some(None) };
    let secs = Timestamp::MIN.unix_seconds()..=Timestamp::MAX.unix_seconds();
    Some(match i64::try_from(v) {
        Ok(v) if secs.contains(&v) => Timestamp::from_unix(v, 0),
        _ => Timestamp::from_unix_nanos(v),
    })
}

/// The independent expectation for text `s` in `format`; `None` when the
/// oracle has no opinion.
fn expected_text(format: &str, s: &str) -> Option<Option<Timestamp>> {
    use chrono::DateTime;
    let from = |dt: DateTime<chrono::Utc>| Timestamp::from_chrono(dt);
    match format {
        "unix" => Some(decimal_nanos(s, 1_000_000_000, true).unwrap_or(None)),
        "unix_ms" => Some(decimal_nanos(s, 1_000_000, false).unwrap_or(None)),
        "unix_us" => Some(decimal_nanos(s, 1_000, false).unwrap_or(None)),
        "unix_ns" => Some(decimal_nanos(s, 1, false).unwrap_or(None)),
        "rfc3339" => {
            // chrono accepts a subset (zone `Z` or `±hh:mm`, plus `−`);
            // where it accepts, the instants agree (a leap second fails).
            let dt = DateTime::parse_from_rfc3339(s).ok()?;
            if s.contains('\u{2212}') {
                return None;
            }
            Some(from(dt.to_utc()))
        }
        "cloudflare" => cloudflare_integer(s),
        _ if s.starts_with(char::is_whitespace) => Some(None),
        "%Y-%m-%d %H:%M:%S" => plain_strftime(s),
        "%Y-%m-%d %H:%M:%S.%f" => fraction_strftime(s),
        "%s" => Some(strftime_unix(s)),
        "layout=01/02/2006 15:04:05.999" => Some(layout_crowdstrike(s)),
        "layout=2006-01-02 15:04:05 MST" => Some(layout_onelogin(s)),
        "%d/%b/%Y:%H:%M:%S %z" => {
            // chrono's `%z` also takes `±hh:mm` and `±hh mm`; Panther's
            // `Z` and `±hh`. Both read `±hhmm`.
            let (head, zone) = s.rsplit_once(' ')?;
            let numeric = zone.len() == 5
                && zone.starts_with(['+', '-'])
                && zone[1..].bytes().all(|b| b.is_ascii_digit());
            if !numeric || !chrono_reads_like_panther(head) {
                return None;
            }
            Some(
                DateTime::parse_from_str(s, format)
                    .ok()
                    .and_then(|d| from(d.to_utc())),
            )
        }
        "%Y-%m-%dT%H:%M:%S%.f%:z" => {
            // chrono's `%:z` also takes `±hhmm`; Panther's `Z`. Both read
            // `±hh:mm`.
            let cut = s.len().checked_sub(6)?;
            let (head, zone) = (s.get(..cut)?, s.get(cut..)?);
            let b = zone.as_bytes();
            let numeric = b.len() == 6
                && matches!(b[0], b'+' | b'-')
                && b[3] == b':'
                && [1, 2, 4, 5].iter().all(|&i| b[i].is_ascii_digit());
            if !numeric || !chrono_reads_like_panther(head) {
                return None;
            }
            Some(
                DateTime::parse_from_str(s, format)
                    .ok()
                    .and_then(|d| from(d.to_utc())),
            )
        }
        _ => None,
    }
}

/// Text the crate's rfc3339 accepts that chrono's does not: `±hhmm` and
/// no zone. Rewritten for chrono.
fn rfc3339_for_chrono(s: &str) -> [String; 2] {
    let mut colon = s.to_owned();
    if s.len() > 2 && s.is_char_boundary(s.len() - 2) {
        colon.insert(s.len() - 2, ':');
    }
    [colon, format!("{s}Z")]
}

/// The `time_parse` target: the input as a timestamp in every format,
/// as a JSON string and (when it is a JSON number) as a number.
pub fn time_parse(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let quoted = match serde_json::to_string(s) {
        Ok(q) => q,
        Err(e) => panic!("{e}"),
    };
    let text_record = if s.is_empty() {
        br#"{"t":""}"#.to_vec()
    } else {
        format!(r#"{{"t":{quoted},"arr":[{quoted}]}}"#).into_bytes()
    };
    let mut results = Vec::new();
    for (i, format) in TIME_FORMATS.iter().enumerate() {
        let got = normalize_time(&format!("Fuzz.Time{i}"), &text_record);
        if s.is_empty() {
            assert_eq!(got, Ok(None), "`\"\"` is absent for {format}");
        } else if let Some(want) = expected_text(format, s) {
            assert_eq!(got.ok().flatten(), want, "{format} on {s:?}");
        } else if *format == "cloudflare" {
            // Text that is not an integer is RFC 3339.
            assert_eq!(got, results[0], "cloudflare on {s:?} vs rfc3339");
        }
        if *format == "rfc3339"
            && let Ok(Some(t)) = got
        {
            let agrees =
                rfc3339_for_chrono(s).iter().chain([&s.to_owned()]).any(|c| {
                    chrono::DateTime::parse_from_rfc3339(c).is_ok_and(|d| {
                        Timestamp::from_chrono(d.to_utc()) == Some(t)
                    })
                });
            assert!(agrees, "rfc3339 accepted {s:?} as {t}; chrono disagrees");
        }
        results.push(got);
    }
    // Several formats: the first that parses wins; none is rfc3339.
    let first = results.iter().find(|r| r.is_ok()).cloned().unwrap_or(Err(()));
    assert_eq!(
        normalize_time("Fuzz.TimeAll", &text_record),
        first,
        "format order"
    );
    assert_eq!(
        normalize_time("Fuzz.TimeDefault", &text_record),
        results[0],
        "default format"
    );
    // As a JSON number.
    let trimmed = s.trim_matches(|c: char| c.is_ascii_whitespace()) == s;
    if !trimmed || serde_json::from_str::<serde_json::Number>(s).is_err() {
        return;
    }
    let number_record = format!(r#"{{"t":{s},"arr":[{s}]}}"#).into_bytes();
    let integer = s.parse::<i64>().ok();
    let canonical =
        integer.is_some_and(|v| itoa::Buffer::new().format(v) == s);
    for (i, format) in TIME_FORMATS.iter().enumerate() {
        let got = normalize_time(&format!("Fuzz.Time{i}"), &number_record);
        match *format {
            "rfc3339" => assert_eq!(got, Err(()), "rfc3339 takes no numbers"),
            _ if canonical => {
                assert_eq!(got, results[i], "{format}: number {s} vs text")
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------
// text_parsers
// ---------------------------------------------------------------------

/// A `regex` or `csv` log type and a payload for it.
#[derive(Arbitrary, Debug)]
pub struct TextParserInput<'a> {
    /// `csv` (else `regex`).
    pub csv: bool,
    /// A `match` part of the regex parser (grok `%{…}` included).
    pub pattern: &'a str,
    /// A `patternDefinitions` entry.
    pub definition: Option<(&'a str, &'a str)>,
    /// The csv delimiter.
    pub delimiter: char,
    /// `hasHeader` (else `columns`).
    pub header: bool,
    /// `skipPrefix`.
    pub skip_prefix: Option<&'a str>,
    /// The payload.
    pub payload: &'a [u8],
}

/// The `text_parsers` target: a `regex` or `csv` schema built from the
/// input either compiles or is refused with a one-line error at its
/// place in the document; when it compiles, the payload splits into
/// records that are slices of it, and every record gives exactly one
/// outcome (an error carrying the record's bytes), the same with a fresh
/// scratch; no input panics.
pub fn text_parsers(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(input) = TextParserInput::arbitrary(&mut u) else { return };
    text_parsers_input(&input);
}

/// [`text_parsers`] on a decoded input.
pub fn text_parsers_input(input: &TextParserInput<'_>) {
    // JSON strings are YAML double-quoted scalars.
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut yaml = String::from("schema: Fuzz.Text\nparser:\n");
    if input.csv {
        let _ = writeln!(
            yaml,
            "  csv:\n    delimiter: {}",
            q(&input.delimiter.to_string())
        );
        if input.header {
            yaml.push_str("    hasHeader: true\n");
        } else {
            yaml.push_str("    columns: [a, b, c]\n");
        }
    } else {
        let _ = writeln!(yaml, "  regex:\n    match: [{}]", q(input.pattern));
        if let Some((name, pattern)) = input.definition {
            let _ = writeln!(
                yaml,
                "    patternDefinitions: {{{}: {}}}",
                q(name),
                q(pattern)
            );
        }
    }
    if let Some(prefix) = input.skip_prefix {
        let _ = writeln!(yaml, "    skipPrefix: {}", q(prefix));
    }
    yaml.push_str(
        "fields:\n  - name: a\n    type: string\n  - name: b\n    type: \
         string\n  - name: c\n    type: string\n",
    );
    let mut builder = Registry::builder();
    match builder.add_yaml("fuzz.yml", &yaml) {
        Err(e) => check_schema_error(&e, &yaml),
        Ok(_) => {
            let registry = builder.build();
            let Some(log_type) = registry.log_type("Fuzz.Text") else {
                panic!("a compiled schema is not registered")
            };
            check_payload(log_type, None, input.payload, None);
            if input.csv {
                check_csv_oracle(log_type, input);
            } else {
                check_regex_oracle(log_type, input);
            }
        }
    }
}

/// For a csv schema with `columns` (no header, no `skipPrefix`), an
/// ASCII delimiter and a UTF-8 payload without spaces or tabs (a line of
/// them is a record for the `csv` crate, none here): the records are the
/// rows the `csv` crate reads from the whole payload, in order; a row of
/// three fields gives them as `a`, `b`, `c` (an empty one as `""`), any
/// other an error naming both counts. (lognorm ends well-formed rows and
/// unquotes them by hand, 16 bytes at a time, and leaves the rest to the
/// csv core reader; this holds every path to the csv crate's reading.)
fn check_csv_oracle(log_type: &LogType, input: &TextParserInput<'_>) {
    let d = input.delimiter;
    if input.header
        || input.skip_prefix.is_some()
        || !d.is_ascii()
        || matches!(d, '"' | '\n' | '\r' | ' ' | '\t')
        || std::str::from_utf8(input.payload).is_err()
        || input.payload.iter().any(|b| b" \t\x0b\x0c".contains(b))
    {
        return;
    }
    let want: Vec<Vec<Vec<u8>>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(d as u8)
        .from_reader(input.payload)
        .byte_records()
        .map_while(Result::ok)
        .map(|r| r.iter().map(<[u8]>::to_vec).collect())
        .collect();
    let mut ctx = Context::new(parse_time(), *b"fuzzer");
    let mut scratch = Scratch::new();
    let mut n = 0;
    for record in log_type.split(input.payload) {
        let Some(row) = want.get(n) else {
            panic!("record {} past the csv crate's {} rows", n + 1, want.len())
        };
        n += 1;
        match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(event) => {
                assert_eq!(row.len(), 3, "{:?}: a row of {row:?}", record);
                let v: serde_json::Value =
                    serde_json::from_str(event.row()).unwrap_or_default();
                for (name, field) in ["a", "b", "c"].iter().zip(row) {
                    let got = v.get(name).and_then(|v| v.as_str());
                    let want = std::str::from_utf8(field).ok();
                    assert_eq!(got, want, "{name} of {record:?}");
                }
            }
            Err(e) if e.kind() == RecordErrorKind::Limit => {}
            Err(e) => {
                let msg = format!(
                    "expected a csv row of 3 columns, found {} columns",
                    row.len()
                );
                assert!(
                    row.len() != 3 && e.to_string().ends_with(&msg),
                    "{record:?}: {e} (the csv crate: {row:?})"
                );
            }
        }
    }
    assert_eq!(n, want.len(), "rows of {:?}", input.payload);
}

/// For a plain regex (no grok `%{…}`, no escapes, whose classes are the
/// same in both engines; no definitions, no `skipPrefix`): each record's
/// values `a`, `b`, `c` are the `regex` crate's captures of the same
/// pattern on the record, and a record it does not match is a no-match
/// error. (lognorm tries a one-pass DFA anchored at the line's start
/// before the regex crate's search; this holds them to one answer.)
fn check_regex_oracle(log_type: &LogType, input: &TextParserInput<'_>) {
    if input.pattern.contains("%{")
        || input.pattern.contains('\\')
        || input.definition.is_some()
        || input.skip_prefix.is_some()
    {
        return;
    }
    let Ok(re) = regex::Regex::new(input.pattern) else { return };
    let mut ctx = Context::new(parse_time(), *b"fuzzer");
    let mut scratch = Scratch::new();
    for record in log_type.split(input.payload) {
        let Ok(line) = std::str::from_utf8(record.bytes()) else { continue };
        let want = re.captures(line).map(|c| {
            ["a", "b", "c"].map(|n| c.name(n).map(|m| m.as_str().to_owned()))
        });
        match (log_type.normalize(record, &mut ctx, &mut scratch), want) {
            (Ok(event), Some(want)) => {
                let row: serde_json::Value =
                    serde_json::from_str(event.row()).unwrap_or_default();
                let got = ["a", "b", "c"].map(|n| {
                    row.get(n).and_then(|v| v.as_str()).map(str::to_owned)
                });
                assert_eq!(got, want, "values of {line:?}");
            }
            (Err(e), None) => assert_eq!(
                e.kind(),
                lognorm::RecordErrorKind::NoMatch,
                "{line:?}: {e}"
            ),
            (Err(e), Some(_)) => {
                // Only a limit may stop a line the pattern matches.
                assert_eq!(
                    e.kind(),
                    lognorm::RecordErrorKind::Limit,
                    "{line:?}: {e}"
                );
            }
            (Ok(_), None) => {
                panic!("{line:?} gave a row, the regex crate no match")
            }
        }
    }
}
