//! Comparing an expected row with the row lognorm wrote, field by field,
//! with the log type's plan at hand for the declared types (timestamps
//! are compared as instants, declared objects by column name).
//!
//! Both values come from `serde_json`, whose parser stops at 128 levels
//! (the YAML reader's depth budget bounds rows written as YAML), so the
//! recursion here is bounded too.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Mismatch, Text};
use crate::Timestamp;
use crate::schema::columns::column_name;
use crate::schema::{Kind, ObjectPlan, Schema, ValuePlan};
use crate::time::TimeFormat;

/// Collects the mismatches of one test.
pub(super) struct Diff<'a> {
    pub test: &'a str,
    pub out: &'a mut Vec<Mismatch>,
}

impl Diff<'_> {
    pub(super) fn push(&mut self, path: &str, expected: Text, found: Text) {
        self.out.push(Mismatch {
            test: self.test.to_owned(),
            path: path.to_owned(),
            expected,
            found,
        });
    }
}

/// A value, as compact JSON text.
pub(super) fn json(value: &Value) -> Text {
    Text::Json(value.to_string())
}

/// An absent value.
pub(super) fn nothing() -> Text {
    Text::Words("nothing".to_owned())
}

/// Columns that depend on the run, never compared.
const IGNORED: [&str; 4] =
    ["p_row_id", "p_parse_time", "p_source_id", "p_source_label"];

/// Compares a row; `prefix` starts every path (`results[1]` for a case
/// with a list of rows).
pub(super) fn row(
    diff: &mut Diff<'_>,
    schema: &Schema,
    prefix: &str,
    expected: &Value,
    found: &str,
) {
    let found: Value = match serde_json::from_str(found) {
        Ok(v) => v,
        Err(e) => {
            let words = format!("a row that is not JSON ({e})");
            return diff.push(prefix, json(expected), Text::Words(words));
        }
    };
    let (Some(e), Some(f)) = (expected.as_object(), found.as_object()) else {
        return diff.push(prefix, json(expected), json(&found));
    };
    for (column, e, f) in pairs(e, f) {
        if IGNORED.contains(&column.as_str()) {
            continue;
        }
        let path = join(prefix, &column);
        if column.starts_with("p_any_") {
            set(diff, &path, e, f);
        } else if column == "p_event_time" {
            timestamp(diff, &path, &[], e, f);
        } else {
            let plan = field(&schema.root, &column);
            present(diff, &path, plan, e, f);
        }
    }
}

/// The declared field whose column is `column`.
fn field<'p>(object: &'p ObjectPlan, column: &str) -> Option<&'p ValuePlan> {
    object
        .fields
        .iter()
        .find(|f| column_name(&f.name) == column)
        .map(|f| &f.value)
}

/// The keys of two objects by column name: the expected keys first (a
/// `null` is an absent key), then the keys only the found row has.
fn pairs<'v>(
    expected: &'v Map<String, Value>,
    found: &'v Map<String, Value>,
) -> Vec<(String, Option<&'v Value>, Option<&'v Value>)> {
    let mut out: Vec<(String, Option<&Value>, Option<&Value>)> = Vec::new();
    for (key, value) in expected {
        let value = (!value.is_null()).then_some(value);
        out.push((column_name(key), value, None));
    }
    for (key, value) in found {
        match out.iter_mut().find(|(c, _, _)| c == key) {
            Some(slot) => slot.2 = Some(value),
            None => out.push((key.clone(), None, Some(value))),
        }
    }
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") }
}

/// A field on either side, or on both.
fn present(
    diff: &mut Diff<'_>,
    path: &str,
    plan: Option<&ValuePlan>,
    expected: Option<&Value>,
    found: Option<&Value>,
) {
    match (expected, found) {
        (None, None) => {}
        (Some(e), None) => diff.push(path, json(e), nothing()),
        (None, Some(f)) => diff.push(path, nothing(), json(f)),
        (Some(e), Some(f)) => value(diff, path, plan, e, f),
    }
}

/// Two present values, read with their declared type when there is one.
fn value(
    diff: &mut Diff<'_>,
    path: &str,
    plan: Option<&ValuePlan>,
    expected: &Value,
    found: &Value,
) {
    match (plan.map(|p| &p.kind), expected, found) {
        (Some(Kind::Timestamp(t)), _, _) => {
            timestamp(diff, path, &t.formats, Some(expected), Some(found));
        }
        (Some(Kind::Object(object)), Value::Object(e), Value::Object(f)) => {
            for (column, e, f) in pairs(e, f) {
                let plan = field(object, &column);
                present(diff, &join(path, &column), plan, e, f);
            }
        }
        (Some(Kind::Array(element)), Value::Array(e), Value::Array(f))
            if e.len() == f.len() =>
        {
            for (i, (e, f)) in e.iter().zip(f).enumerate() {
                let path = format!("{path}[{i}]");
                value(diff, &path, Some(element), e, f);
            }
        }
        _ => {
            if !same(expected, found) {
                diff.push(path, json(expected), json(found));
            }
        }
    }
}

/// A timestamp: equal when both sides read as the same instant (the
/// expected side in the data lake's layout, RFC 3339 or one of `formats`;
/// the found side as lognorm writes it); otherwise as JSON values.
fn timestamp(
    diff: &mut Diff<'_>,
    path: &str,
    formats: &[TimeFormat],
    expected: Option<&Value>,
    found: Option<&Value>,
) {
    let (Some(e), Some(f)) = (expected, found) else {
        return present(diff, path, None, expected, found);
    };
    let found_at = f.as_str().and_then(Timestamp::parse_rfc3339);
    match (instant(e, formats), found_at) {
        (Some(a), Some(b)) if a == b => {}
        (Some(a), _) => {
            let shown = format!("{e} ({a})");
            diff.push(path, Text::Json(shown), json(f));
        }
        (None, _) if same(e, f) => {}
        (None, _) => diff.push(path, json(e), json(f)),
    }
}

/// The instant an expected timestamp denotes, if it reads.
fn instant(value: &Value, formats: &[TimeFormat]) -> Option<Timestamp> {
    match value {
        Value::String(s) => Timestamp::parse_rfc3339(s).or_else(|| {
            formats.iter().find_map(|f| f.parse_str_cached(s, None))
        }),
        Value::Number(n) => formats.iter().find_map(|f| {
            if let Some(v) = n.as_u64() {
                f.parse_u64(v)
            } else if let Some(v) = n.as_i64() {
                f.parse_i64(v)
            } else {
                n.as_f64().and_then(|v| f.parse_f64(v))
            }
        }),
        _ => None,
    }
}

/// A `p_any_*` column: equal as sets of strings.
fn set(
    diff: &mut Diff<'_>,
    path: &str,
    expected: Option<&Value>,
    found: Option<&Value>,
) {
    match (strings(expected), strings(found)) {
        (Some(e), Some(f)) if e == f => {}
        (Some(e), Some(f)) => {
            let show = |s: &BTreeSet<&str>, v: Option<&Value>| match v {
                None => nothing(),
                Some(_) => {
                    let list: Vec<&str> = s.iter().copied().collect();
                    Text::Json(
                        serde_json::to_string(&list).unwrap_or_default(),
                    )
                }
            };
            diff.push(path, show(&e, expected), show(&f, found));
        }
        _ => present(diff, path, None, expected, found),
    }
}

/// The strings of a `p_any_*` column (none when absent); `None` when it
/// is not a list of strings.
fn strings(value: Option<&Value>) -> Option<BTreeSet<&str>> {
    match value {
        None => Some(BTreeSet::new()),
        Some(Value::Array(items)) => items.iter().map(Value::as_str).collect(),
        Some(_) => None,
    }
}

/// JSON equality, with numbers equal by value (`0` and `0.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => {
            match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}
