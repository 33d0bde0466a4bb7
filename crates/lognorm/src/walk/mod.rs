//! The plan-guided walk over a simd-json tape that writes one row.
//!
//! For each declared object the walker scans the object's keys once and
//! notes, in the object's *slots*, where each declared field's value sits
//! on the tape (a later duplicate key overwrites an earlier one). Then it
//! writes the fields in schema order, reading each value from its slot.
//! Undeclared subtrees are skipped in O(1) with the tape's node counts.
//!
//! Recursion follows the schema (objects and arrays it declares), never
//! the input: the schema's depth is bounded when it is compiled, and `json`
//! values of any depth are written by an explicit-stack loop.

pub(crate) mod coerce;

use simd_json::{Node, StaticNode};

use crate::error::{FieldError, RecordErrorKind as K};
use crate::event::Strings;
use crate::indicators::Collector;
use crate::schema::{FieldPlan, Kind, ObjectPlan, TimestampPlan, ValuePlan};
use crate::time::DayCache;
use crate::{Limits, Timestamp};

use coerce::Outcome;

/// One open container while writing a `json` value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    is_object: bool,
    remaining: usize,
    first: bool,
}

/// Where the number literals of a record are: simd-json parses numbers,
/// but SPEC §3 wants a number's literal text for `string` fields and
/// `json` values kept as sent (`1.50`, `-0`, integers wider than 64 bits).
/// Tape node `k` starts at the `k`-th structural index that is not one of
/// `} ] : ,`; the map from node to byte offset is built lazily, once per
/// record, only when a literal is needed.
pub(crate) struct Literals<'a> {
    pub record: &'a [u8],
    pub structurals: &'a [u32],
    pub map: &'a mut Vec<u32>,
    pub built: bool,
}

impl<'a> Literals<'a> {
    /// The literal text of the number at tape node `i`, if it can be
    /// found (it always can for a record parsed from `record`).
    fn number(&mut self, i: usize) -> Option<&'a str> {
        if !self.built {
            self.map.clear();
            for &s in self.structurals {
                match self.record.get(s as usize) {
                    Some(b'}' | b']' | b':' | b',') | None => {}
                    Some(_) => self.map.push(s),
                }
            }
            self.built = true;
        }
        let start = *self.map.get(i)? as usize;
        let rest = self.record.get(start..)?;
        let len = rest
            .iter()
            .position(|b| {
                !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            })
            .unwrap_or(rest.len());
        let text = std::str::from_utf8(rest.get(..len)?).ok()?;
        // A safety net: a literal starts like a JSON number.
        text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
            .then_some(text)
    }
}

/// The literal text of tape node `i` when it is a number and the record's
/// literals are known.
fn number_literal<'a>(
    literals: &mut Option<Literals<'a>>,
    node: StaticNode,
    i: usize,
) -> Option<&'a str> {
    match node {
        StaticNode::I64(_) | StaticNode::U64(_) | StaticNode::F64(_) => {
            literals.as_mut()?.number(i)
        }
        _ => None,
    }
}

/// The per-record state of a walk. Borrowed from the caller's scratch.
pub(crate) struct Walker<'a> {
    /// Number literals, for records parsed from JSON text.
    pub literals: Option<Literals<'a>>,
    pub out: &'a mut Vec<u8>,
    pub slots: &'a mut [usize],
    /// Key-order hints, beside the slots (see `Scratch::hints`).
    pub hints: &'a mut [u32],
    pub indicators: &'a mut Collector,
    pub stack: &'a mut Vec<Frame>,
    /// The date of the last timestamp written (see `DayCache`).
    pub day: &'a mut DayCache,
    pub limits: &'a Limits,
    /// The best event time so far: (rank, instant, where its text starts
    /// in `out`), so `p_event_time` copies the text instead of formatting
    /// it a second time. (A written value is never cut from the row.)
    pub event_time: Option<(u32, Timestamp, usize)>,
    /// Object members that may still be read (`Limits::record_fields`).
    pub fields_left: usize,
    /// Which strings of the tape need no escaping.
    pub strings: Strings<'a>,
}

/// The number of tape nodes of the value at `i` (1 for scalars).
#[inline]
fn span(tape: &[Node<'_>], i: usize) -> usize {
    match tape.get(i) {
        Some(Node::Object { count, .. } | Node::Array { count, .. }) => {
            count + 1
        }
        _ => 1,
    }
}

/// Describes a tape value for an error message.
#[cold]
pub(crate) fn describe(tape: &[Node<'_>], i: usize) -> String {
    match tape.get(i) {
        Some(Node::String(s)) => {
            let mut json = Vec::with_capacity(s.len() + 2);
            crate::event::write_str(&mut json, s);
            crate::error::quote(&String::from_utf8_lossy(&json))
        }
        Some(Node::Object { .. }) => "an object".to_owned(),
        Some(Node::Array { .. }) => "an array".to_owned(),
        Some(Node::Static(s)) => {
            let mut text = Vec::new();
            write_static(&mut text, *s);
            crate::error::quote(&String::from_utf8_lossy(&text))
        }
        None => "nothing".to_owned(),
    }
}

/// Writes a scalar as JSON.
#[inline]
fn write_static(out: &mut Vec<u8>, s: StaticNode) {
    match s {
        StaticNode::I64(n) => {
            out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        }
        StaticNode::U64(n) => {
            out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        }
        StaticNode::F64(f) => coerce::write_float(out, f),
        StaticNode::Bool(true) => out.extend_from_slice(b"true"),
        StaticNode::Bool(false) => out.extend_from_slice(b"false"),
        StaticNode::Null => out.extend_from_slice(b"null"),
    }
}

fn is_null(node: Option<&Node<'_>>) -> bool {
    matches!(node, None | Some(Node::Static(StaticNode::Null)))
}

impl Walker<'_> {
    /// Writes the declared fields of the object at `at` (no braces).
    /// Returns whether any field was written.
    pub fn fields(
        &mut self,
        plan: &ObjectPlan,
        tape: &[Node<'_>],
        at: usize,
    ) -> Result<bool, FieldError> {
        let Some(&Node::Object { len, .. }) = tape.get(at) else {
            return Err(FieldError::new(
                K::InvalidValue,
                "object",
                describe(tape, at),
            ));
        };
        count_members(&mut self.fields_left, len, self.limits)?;
        let n = plan.fields.len();
        let base = plan.slot_base;
        let (Some(slots), Some(hints)) = (
            self.slots.get_mut(base..base + n),
            self.hints.get_mut(base..=base + n),
        ) else {
            return Err(internal());
        };
        slots.fill(0);
        let mut i = at + 1;
        // The field of the previous key (`n`: none yet, or undeclared).
        let mut prev = n;
        for _ in 0..len {
            let Some(Node::String(key)) = tape.get(i) else {
                return Err(internal());
            };
            i += 1;
            let found = match hints.get_mut(prev) {
                Some(hint) => plan.index.get_hinted(key, hint),
                None => plan.find(key),
            };
            prev = n;
            if let Some(f) = found
                && let Some(slot) = slots.get_mut(f)
            {
                *slot = i + 1;
                prev = f;
            }
            i += span(tape, i);
        }
        self.write_fields(plan, tape)
    }

    /// Describes the value at `i` for an error: a number as the sender
    /// wrote it (not as parsed: `0.999…` must not read `1.0`).
    #[cold]
    fn describe(&mut self, tape: &[Node<'_>], i: usize) -> String {
        if let Some(&Node::Static(n)) = tape.get(i)
            && let Some(text) = number_literal(&mut self.literals, n, i)
        {
            return crate::error::quote(text);
        }
        describe(tape, i)
    }

    /// Writes the declared fields of an object whose slots are filled
    /// (slot = tape index of the value + 1, or 0 when absent).
    pub fn write_fields(
        &mut self,
        plan: &ObjectPlan,
        tape: &[Node<'_>],
    ) -> Result<bool, FieldError> {
        let base = plan.slot_base;
        let mut wrote = false;
        for (f, field) in plan.fields.iter().enumerate() {
            let slot = self.slots.get(base + f).copied().unwrap_or(0);
            let node = slot.checked_sub(1).and_then(|i| tape.get(i));
            if is_null(node) {
                if field.required {
                    let found =
                        if node.is_some() { "null" } else { "nothing" };
                    return Err(missing(found).in_field(&field.name));
                }
                if node.is_some() && matches!(field.value.kind, Kind::Json) {
                    // A `json` field keeps an explicit null.
                    field.out_key.write(self.out, !wrote);
                    self.out.extend_from_slice(b"null");
                    wrote = true;
                }
                continue;
            }
            let mark = self.out.len();
            field.out_key.write(self.out, !wrote);
            // The common cases, a string field holding a string and a
            // boolean holding a boolean, without the general dispatch of
            // `value` and `scalar` (two calls and their result checks).
            match (&field.value.kind, field.value.embedded_json, node) {
                (Kind::String(plan), false, Some(&Node::String(s))) => {
                    coerce::string(
                        plan,
                        s,
                        self.out,
                        self.indicators,
                        self.limits,
                        self.strings,
                    )
                    .map_err(|e| e.in_field(&field.name))?;
                    wrote = true;
                    continue;
                }
                (
                    Kind::Boolean,
                    false,
                    Some(&Node::Static(StaticNode::Bool(b))),
                ) => {
                    self.out.extend_from_slice(if b {
                        b"true"
                    } else {
                        b"false"
                    });
                    wrote = true;
                    continue;
                }
                _ => {}
            }
            let result = self.value(&field.value, tape, slot - 1);
            wrote |= self.settle(field, mark, result)?;
        }
        Ok(wrote)
    }

    /// What writing `field`'s value (its key written from `mark` on) came
    /// to: whether the field was written. A value that was not is cut from
    /// the row again, and a required field may not be `""` (only `""`
    /// counts as absent while present).
    #[inline]
    fn settle(
        &mut self,
        field: &FieldPlan,
        mark: usize,
        result: Result<Outcome, FieldError>,
    ) -> Result<bool, FieldError> {
        match result {
            Ok(Outcome::Written) => Ok(true),
            Ok(outcome) => {
                self.out.truncate(mark);
                if field.required && outcome == Outcome::Absent {
                    return Err(missing("`\"\"`").in_field(&field.name));
                }
                Ok(false)
            }
            Err(e) => Err(e.in_field(&field.name)),
        }
    }

    /// Writes one value at tape index `i` according to `plan`.
    fn value(
        &mut self,
        plan: &ValuePlan,
        tape: &[Node<'_>],
        i: usize,
    ) -> Result<Outcome, FieldError> {
        let Some(&node) = tape.get(i) else {
            return Err(internal());
        };
        if plan.embedded_json
            && let Node::String(text) = node
        {
            return self.embedded(plan, text);
        }
        match &plan.kind {
            Kind::Object(obj) => {
                if !matches!(node, Node::Object { .. }) {
                    return Err(wrong_type(self.describe(tape, i), plan));
                }
                self.out.push(b'{');
                self.fields(obj, tape, i)?;
                self.out.push(b'}');
                Ok(Outcome::Written)
            }
            Kind::Array(elem) => {
                let Node::Array { len, .. } = node else {
                    return Err(wrong_type(self.describe(tape, i), plan));
                };
                if len == 0 {
                    return Ok(Outcome::Empty);
                }
                self.out.push(b'[');
                let mut at = i + 1;
                for n in 0..len {
                    if n > 0 {
                        self.out.push(b',');
                    }
                    let mark = self.out.len();
                    let wrote = if is_null(tape.get(at)) {
                        Outcome::Absent
                    } else {
                        self.value(elem, tape, at)
                            .map_err(|e| e.at_index(n))?
                    };
                    if wrote != Outcome::Written {
                        // Keep positions: an absent element is a null.
                        self.out.truncate(mark);
                        self.out.extend_from_slice(b"null");
                    }
                    at += span(tape, at);
                }
                self.out.push(b']');
                Ok(Outcome::Written)
            }
            Kind::Json => {
                self.json(tape, i)?;
                Ok(Outcome::Written)
            }
            Kind::Timestamp(ts) => {
                let parsed = match node {
                    Node::String(s) => coerce::timestamp_str(ts, s, self.day)?,
                    Node::Static(s) => {
                        Some(coerce::timestamp_num(ts, s).ok_or_else(
                            || coerce::bad_time(ts, self.describe(tape, i)),
                        )?)
                    }
                    _ => return Err(wrong_type(self.describe(tape, i), plan)),
                };
                Ok(self.time(ts, parsed))
            }
            kind => {
                let scalar = match node {
                    Node::String(s) => coerce::Scalar::Str(s),
                    // A string field keeps a number's literal text.
                    Node::Static(n) if matches!(kind, Kind::String(_)) => {
                        match number_literal(&mut self.literals, n, i) {
                            Some(text) => coerce::Scalar::Str(text),
                            None => coerce::Scalar::Static(n),
                        }
                    }
                    Node::Static(s) => coerce::Scalar::Static(s),
                    _ => return Err(wrong_type(self.describe(tape, i), plan)),
                };
                coerce::scalar(
                    kind,
                    scalar,
                    self.out,
                    self.indicators,
                    self.limits,
                    self.strings,
                )
                .map_err(|e| {
                    e.unwrap_or_else(|| {
                        wrong_type(self.describe(tape, i), plan)
                    })
                })
            }
        }
    }

    /// Writes a parsed timestamp (`None`: an empty value) and keeps it
    /// if it is the best event time so far.
    #[inline]
    fn time(&mut self, ts: &TimestampPlan, t: Option<Timestamp>) -> Outcome {
        let Some(t) = t else { return Outcome::Absent };
        self.out.push(b'"');
        let at = self.out.len();
        t.write_to_cached(self.out, self.day);
        self.out.push(b'"');
        if let Some(rank) = ts.event_rank
            && self.event_time.is_none_or(|(r, ..)| rank < r)
        {
            self.event_time = Some((rank, t, at));
        }
        Outcome::Written
    }

    /// Writes one root field of a text record from its matched value
    /// (`None`: not matched, or one of `emptyValues`), after a comma if
    /// a field was `wrote` before it. Returns whether it wrote the field.
    ///
    /// The same rules as [`Walker::write_fields`] for a string node,
    /// without a tape: scalars and timestamps are coerced straight from
    /// the line; the rare container types (`json`, embedded JSON) go
    /// through [`Walker::value`] with a one-node tape.
    ///
    /// Inlined into its one caller, the loop over a line's fields: the
    /// call, its result and the `wrote` flag cost ~55 instructions a field
    /// (measured: −490 a Heroku line, −6% time).
    #[inline(always)]
    pub fn text_field(
        &mut self,
        field: &FieldPlan,
        value: Option<&str>,
        wrote: bool,
    ) -> Result<bool, FieldError> {
        let Some(s) = value else {
            if field.required {
                return Err(missing("nothing").in_field(&field.name));
            }
            return Ok(false);
        };
        let mark = self.out.len();
        field.out_key.write(self.out, !wrote);
        let plan = &field.value;
        let result = match &plan.kind {
            _ if plan.embedded_json
                || matches!(
                    plan.kind,
                    Kind::Object(_) | Kind::Array(_) | Kind::Json
                ) =>
            {
                self.value(plan, &[Node::String(s)], 0)
            }
            Kind::Timestamp(ts) => coerce::timestamp_str(ts, s, self.day)
                .map(|t| self.time(ts, t)),
            Kind::String(plan) => coerce::string(
                plan,
                s,
                self.out,
                self.indicators,
                self.limits,
                Strings::Unknown,
            )
            .map(|()| Outcome::Written),
            kind => coerce::scalar(
                kind,
                coerce::Scalar::Str(s),
                self.out,
                self.indicators,
                self.limits,
                Strings::Unknown,
            )
            .map_err(|e| {
                e.unwrap_or_else(|| {
                    wrong_type(describe(&[Node::String(s)], 0), plan)
                })
            }),
        };
        self.settle(field, mark, result)
    }

    /// A value sent as a JSON string holding JSON text
    /// (`isEmbeddedJSON`). Parsing it needs its own tape; this allocates,
    /// which is fine for a feature used by few schemas.
    #[cold]
    fn embedded(
        &mut self,
        plan: &ValuePlan,
        text: &str,
    ) -> Result<Outcome, FieldError> {
        if text.trim().is_empty() {
            return Ok(Outcome::Absent);
        }
        let mut bytes = text.as_bytes().to_vec();
        let mut buffers = simd_json::Buffers::with_max_depth(
            bytes.len(),
            self.limits.depth(),
        );
        let tape = simd_json::to_tape_with_buffers(&mut bytes, &mut buffers)
            .map_err(|e| {
            FieldError::new(
                K::InvalidValue,
                format!("{} as embedded JSON text", plan.kind.type_name()),
                format!(
                    "invalid JSON ({})",
                    crate::input::json::syntax_message(&e, text.as_bytes())
                ),
            )
        })?;
        match tape.0.first() {
            Some(Node::Static(StaticNode::Null)) => Ok(Outcome::Absent),
            // Text that is itself a JSON string is not embedded JSON of
            // the declared type (and unwrapping it again would let the
            // input choose how deep this goes).
            Some(Node::String(_)) => {
                Err(wrong_type(describe(&tape.0, 0), plan))
            }
            // The root is not a string, so `value` takes the normal path;
            // the outer record's literal map does not fit this tape.
            _ => {
                let outer = self.literals.take();
                let strings =
                    std::mem::replace(&mut self.strings, Strings::Unknown);
                let result = self.value(plan, &tape.0, 0);
                self.literals = outer;
                self.strings = strings;
                result
            }
        }
    }

    /// Writes the JSON value at `at` compactly, keys in input order.
    /// Iterative: depth is bounded by the parser's depth limit, and the
    /// stack lives in the scratch.
    fn json(
        &mut self,
        tape: &[Node<'_>],
        at: usize,
    ) -> Result<(), FieldError> {
        let Walker {
            out, stack, literals, fields_left, limits, strings, ..
        } = self;
        let strings = *strings;
        stack.clear();
        let mut i = at;
        loop {
            // Write the value at `i`.
            match tape.get(i) {
                Some(Node::String(s)) => {
                    if s.len() > limits.string_bytes() {
                        return Err(coerce::too_long(s, limits));
                    }
                    crate::event::write_json_str(out, s, strings);
                    i += 1;
                }
                Some(&Node::Static(s)) => {
                    match number_literal(literals, s, i) {
                        Some(text) => out.extend_from_slice(text.as_bytes()),
                        None => write_static(out, s),
                    }
                    i += 1;
                }
                Some(
                    &(Node::Object { len, .. } | Node::Array { len, .. }),
                ) => {
                    let is_object =
                        matches!(tape.get(i), Some(Node::Object { .. }));
                    if is_object {
                        count_members(fields_left, len, limits)?;
                    }
                    out.push(if is_object { b'{' } else { b'[' });
                    i += 1;
                    stack.push(Frame {
                        is_object,
                        remaining: len,
                        first: true,
                    });
                }
                None => return Err(internal()),
            }
            // Close finished containers; position on the next value.
            loop {
                let Some(frame) = stack.last_mut() else { return Ok(()) };
                if frame.remaining == 0 {
                    out.push(if frame.is_object { b'}' } else { b']' });
                    stack.pop();
                    continue;
                }
                if !frame.first {
                    out.push(b',');
                }
                frame.first = false;
                frame.remaining -= 1;
                if frame.is_object {
                    let Some(Node::String(key)) = tape.get(i) else {
                        return Err(internal());
                    };
                    crate::event::write_json_str(out, key, strings);
                    out.push(b':');
                    i += 1;
                }
                break;
            }
        }
    }
}

/// Counts `n` more object members against the record's limit
/// (`left` is what remains of `Limits::record_fields`).
#[inline]
fn count_members(
    left: &mut usize,
    n: usize,
    limits: &Limits,
) -> Result<(), FieldError> {
    *left = left.checked_sub(n).ok_or_else(|| too_many_members(limits))?;
    Ok(())
}

#[cold]
fn too_many_members(limits: &Limits) -> FieldError {
    FieldError::new(
        K::Limit,
        format!(
            "at most {} object members in one record",
            limits.record_fields()
        ),
        "more".to_owned(),
    )
}

#[cold]
fn missing(found: &str) -> FieldError {
    FieldError::new(K::MissingField, "a value (required)", found.to_owned())
}

#[cold]
fn wrong_type(found: String, plan: &ValuePlan) -> FieldError {
    FieldError::new(K::InvalidValue, plan.kind.type_name(), found)
}

#[cold]
pub(crate) fn internal() -> FieldError {
    FieldError::new(
        K::InvalidValue,
        "a well-formed tape",
        "an internal inconsistency (please report)".to_owned(),
    )
}
