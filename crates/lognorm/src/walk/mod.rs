//! The walk: a record's values, read through the compiled plan, handed
//! to a [`Sink`] in schema order.
//!
//! For each declared object the walker scans the object's keys once and
//! notes, in the object's *slots*, where each declared field's value sits
//! on the tape (a later duplicate key overwrites an earlier one). Then it
//! writes the fields in schema order, reading each value from its slot.
//! Undeclared subtrees are skipped in O(1) with the tape's node counts.
//! A text record's fields come from its parser's captures instead; both
//! go through one field writer, [`Walker::field`].
//!
//! Recursion follows the schema (objects and arrays it declares), never
//! the input: the schema's depth is bounded when it is compiled, and `json`
//! values of any depth are written by an explicit-stack loop.
//!
//! The walker is generic over the sink and monomorphized: the JSON row
//! writer's calls inline into it as if it wrote bytes itself.

pub(crate) mod coerce;
pub(crate) mod derive;

use simd_json::{Node, StaticNode};

use crate::error::{FieldError, RecordErrorKind as K};
use crate::indicators::Collector;
use crate::input::json::{Literals, Strings};
use crate::limits::Limits;
use crate::schema::{FieldPlan, Kind, ObjectPlan, TimestampPlan, ValuePlan};
use crate::sink::Sink;
use crate::time::Timestamp;

use coerce::{Coerced, Outcome};

/// One open container while writing a `json` value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    is_object: bool,
    remaining: usize,
    first: bool,
}

/// The literal text of tape node `i` when it is a number and its
/// literals are known: those of the embedded JSON text being walked, if
/// any, else the record's.
#[inline]
fn number_literal<'l>(
    literals: &'l mut Option<Literals<'_>>,
    embedded: Option<&'l EmbeddedLiterals>,
    node: StaticNode,
    i: usize,
) -> Option<&'l str> {
    match node {
        StaticNode::I64(_) | StaticNode::U64(_) | StaticNode::F64(_) => {
            match embedded {
                Some(e) => e.number(i),
                None => literals.as_mut()?.number(i),
            }
        }
        _ => None,
    }
}

/// The number literals of an embedded JSON text (`isEmbeddedJSON`), so
/// its numbers are kept as sent like the record's: node `k` of its tape
/// starts at `starts[k]`. Owned (the text is the unescaped value of a
/// string, parsed on the side); built only for embedded values.
#[derive(Debug)]
pub(crate) struct EmbeddedLiterals {
    text: Box<[u8]>,
    starts: Box<[u32]>,
}

impl EmbeddedLiterals {
    /// The literals of `text`, parsed by simd-json with `structurals`.
    fn new(text: &str, structurals: &[u32]) -> EmbeddedLiterals {
        let bytes = text.as_bytes();
        let starts = structurals
            .iter()
            .copied()
            .filter(|&s| {
                !matches!(
                    bytes.get(s as usize),
                    Some(b'}' | b']' | b':' | b',') | None
                )
            })
            .collect();
        EmbeddedLiterals { text: bytes.into(), starts }
    }

    /// The literal text of the number at tape node `i`.
    fn number(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)? as usize;
        crate::input::json::number_at(&self.text, start)
    }
}

/// Where a field's value is.
#[derive(Clone, Copy)]
pub(crate) enum Found<'t, 'i> {
    /// Nowhere: the key is absent (or a text field did not match, or
    /// matched one of `emptyValues`).
    Missing,
    /// At node `i` of a tape.
    Node(&'t [Node<'i>], usize),
    /// A text record's value.
    Text(&'t str),
}

/// The per-record state of a walk. Borrowed from the caller's scratch.
pub(crate) struct Walker<'a, S> {
    /// Where the values go (owned: a sink holding a reference to its
    /// buffer is reached in one step, not two; measured +110
    /// instructions a Heroku line behind `&mut`).
    pub sink: S,
    /// Number literals, for records parsed from JSON text.
    pub literals: Option<Literals<'a>>,
    /// Number literals of the embedded JSON text being walked, if any.
    pub embedded: Option<Box<EmbeddedLiterals>>,
    /// Where each declared field's value sits in the object being read
    /// (tape index + 1; 0: absent). All zero between objects: `fields`
    /// takes each slot back to 0 as it reads it, and a failed walk zeroes
    /// them all ([`Walker::root`]), so no object clears its slots first
    /// (that `memset` call cost ~50 instructions an object).
    pub slots: &'a mut [usize],
    /// Key-order hints, beside the slots (see `Scratch::hints`).
    pub hints: &'a mut [u32],
    pub indicators: &'a mut Collector,
    pub stack: &'a mut Vec<Frame>,
    pub limits: &'a Limits,
    /// The best event time so far: (rank, instant).
    pub event_time: Option<(u32, Timestamp)>,
    /// Object members that may still be read (`Limits::record_fields`).
    pub fields_left: usize,
    /// Which strings of the tape need no escaping.
    pub strings: Strings<'a>,
    /// Scratch of transformed and discovered fields.
    pub derived: &'a mut derive::Derived,
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
    let quote = |text: &str| crate::error::quote(text);
    match tape.get(i) {
        Some(Node::String(s)) => quote(&crate::sink::json::quoted(s)),
        Some(Node::Object { .. }) => "an object".to_owned(),
        Some(Node::Array { .. }) => "an array".to_owned(),
        Some(Node::Static(s)) => quote(coerce::scalar_text(*s, &mut [0; 32])),
        None => "nothing".to_owned(),
    }
}

/// Hands a coerced scalar to the sink.
#[inline(always)]
fn emit<S: Sink>(
    sink: &mut S,
    c: Coerced<'_>,
    strings: Strings<'_>,
) -> Outcome {
    match c {
        Coerced::Absent => return Outcome::Absent,
        Coerced::Str(s) => sink.string(s, strings),
        Coerced::Text(n) => {
            let mut buf = [0; 32];
            let text = coerce::scalar_text(n, &mut buf);
            sink.string(text, Strings::Unknown);
        }
        Coerced::Int(n) => sink.int(n),
        Coerced::IntText(n, text) => sink.int_text(n, text),
        Coerced::UInt(n) => sink.uint(n),
        Coerced::Float(f) => sink.float(f),
        Coerced::Bool(b) => sink.boolean(b),
    }
    Outcome::Written
}

/// Zeroes the slots a failed walk left set (by the objects it did not
/// finish), and passes its error on. Out of line: the record failed.
#[cold]
#[inline(never)]
fn clear_slots(slots: &mut [usize], e: FieldError) -> FieldError {
    slots.fill(0);
    e
}

fn is_null(node: Option<&Node<'_>>) -> bool {
    matches!(node, None | Some(Node::Static(StaticNode::Null)))
}

impl<'a, S: Sink> Walker<'a, S> {
    /// A walker over one record into `sink`, with the scratch's buffers.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn new(
        sink: S,
        literals: Option<Literals<'a>>,
        strings: Strings<'a>,
        slots: &'a mut [usize],
        hints: &'a mut [u32],
        indicators: &'a mut Collector,
        stack: &'a mut Vec<Frame>,
        limits: &'a Limits,
        derived: &'a mut derive::Derived,
    ) -> Walker<'a, S> {
        Walker {
            sink,
            literals,
            embedded: None,
            slots,
            hints,
            indicators,
            stack,
            limits,
            event_time: None,
            fields_left: limits.record_fields(),
            strings,
            derived,
        }
    }

    /// The event time the walk found (the best-ranked `isEventTime`
    /// field with a value), and the sink back.
    pub fn finish(self) -> (Option<Timestamp>, S) {
        (self.event_time.map(|(_, t)| t), self.sink)
    }

    /// Writes the declared fields of the root object of a parsed JSON
    /// record (the sink's record is begun by the caller).
    #[inline]
    pub fn root(
        &mut self,
        plan: &ObjectPlan,
        tape: &[Node<'_>],
    ) -> Result<(), FieldError> {
        let found = match tape.first() {
            Some(Node::Object { .. }) => None,
            Some(Node::Array { .. }) => Some("an array"),
            Some(Node::String(_)) => Some("a string"),
            Some(Node::Static(StaticNode::Null)) => Some("null"),
            Some(Node::Static(StaticNode::Bool(_))) => Some("a boolean"),
            Some(Node::Static(_)) => Some("a number"),
            None => Some("nothing"),
        };
        if let Some(found) = found {
            return Err(FieldError::new(
                K::NotObject,
                "a JSON object",
                found.to_owned(),
            ));
        }
        let wrote = match self.fields(plan, tape, 0) {
            Ok(wrote) => wrote,
            Err(e) => return Err(clear_slots(self.slots, e)),
        };
        if let Some(discovery) = &plan.discovery {
            self.discover(plan, discovery, tape, wrote)?;
        }
        Ok(())
    }

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
        debug_assert!(slots.iter().all(|&s| s == 0), "slots left set");
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
                self.sink.object_key(plan, Some(f), key);
            } else {
                self.sink.object_key(plan, None, key);
            }
            i += span(tape, i);
        }
        if plan.transforms {
            return self.transformed_fields(plan, tape, at);
        }
        let mut wrote = false;
        for (f, field) in plan.fields.iter().enumerate() {
            let slot = self.slots.get_mut(base + f).map_or(0, std::mem::take);
            let found = match slot.checked_sub(1) {
                Some(i) => Found::Node(tape, i),
                None => Found::Missing,
            };
            wrote |= self.field(field, found, wrote)?;
        }
        Ok(wrote)
    }

    /// Describes the value at `i` for an error: a number as the sender
    /// wrote it (not as parsed: `0.999…` must not read `1.0`).
    #[cold]
    fn describe(&mut self, tape: &[Node<'_>], i: usize) -> String {
        if let Some(&Node::Static(n)) = tape.get(i)
            && let Some(text) = number_literal(
                &mut self.literals,
                self.embedded.as_deref(),
                n,
                i,
            )
        {
            return crate::error::quote(text);
        }
        describe(tape, i)
    }

    /// The field writer: writes one declared field found at `found`,
    /// after a separator if a field was `wrote` before it in its object.
    /// Returns whether it wrote the field. A field that is absent, null
    /// or counts as absent (`""` for a number) is not written, and fails
    /// the record when it is `required`.
    ///
    /// Inlined into its two callers, the loops over an object's fields
    /// and over a text line's: the caller's `found` is of one kind, so
    /// each copy keeps only its own branches (for text lines, the call,
    /// its result and the `wrote` flag cost ~55 instructions a field:
    /// −490 a Heroku line, −6% time).
    #[inline(always)]
    pub fn field(
        &mut self,
        field: &FieldPlan,
        found: Found<'_, '_>,
        wrote: bool,
    ) -> Result<bool, FieldError> {
        let (tape, i) = match found {
            Found::Node(tape, i) => (tape, i),
            Found::Text(s) => return self.text_field(field, s, wrote),
            Found::Missing => {
                if field.required {
                    return Err(missing("nothing").in_field(&field.name));
                }
                return Ok(false);
            }
        };
        let node = tape.get(i);
        if is_null(node) {
            if field.required {
                let found = if node.is_some() { "null" } else { "nothing" };
                return Err(missing(found).in_field(&field.name));
            }
            // Absent or null: omitted, a `json` field's null too (SPEC §3,
            // as Panther's own schema tests expect).
            return Ok(false);
        }
        let mark = self.sink.mark();
        self.sink.key(field.column, !wrote);
        // The common cases, a string field holding a string and a
        // boolean holding a boolean, without the general dispatch of
        // `value` and `scalar` (two calls and their result checks).
        match (&field.value.kind, field.value.embedded_json, node) {
            (Kind::String(plan), false, Some(&Node::String(s))) => {
                coerce::string(plan, s, self.indicators, self.limits)
                    .map_err(|e| e.in_field(&field.name))?;
                self.sink.string(s, self.strings);
                return Ok(true);
            }
            (
                Kind::Boolean,
                false,
                Some(&Node::Static(StaticNode::Bool(b))),
            ) => {
                self.sink.boolean(b);
                return Ok(true);
            }
            _ => {}
        }
        let result = self.value(&field.value, tape, i);
        self.settle(field, mark, result)
    }

    /// [`Walker::field`] for a text record's value `s`: scalars and
    /// timestamps are coerced straight from the line; the rare container
    /// types (`json`, embedded JSON) go through [`Walker::value`] with a
    /// one-node tape.
    #[inline(always)]
    fn text_field(
        &mut self,
        field: &FieldPlan,
        s: &str,
        wrote: bool,
    ) -> Result<bool, FieldError> {
        let mark = self.sink.mark();
        self.sink.key(field.column, !wrote);
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
            // Written out, not with `map` closures: the closures went out
            // of line (with the string writer behind them) once the
            // driver grew, +150 instructions a Heroku line.
            Kind::Timestamp(ts) => {
                match coerce::timestamp_str(ts, s, self.sink.day_cache()) {
                    Ok(t) => Ok(self.time(ts, t)),
                    Err(e) => Err(e),
                }
            }
            Kind::String(plan) => {
                match coerce::string(plan, s, self.indicators, self.limits) {
                    Ok(()) => {
                        self.sink.string(s, Strings::Unknown);
                        Ok(Outcome::Written)
                    }
                    Err(e) => Err(e),
                }
            }
            kind => match coerce::scalar(
                kind,
                coerce::Scalar::Str(s),
                self.indicators,
                self.limits,
            ) {
                Ok(c) => Ok(emit(&mut self.sink, c, Strings::Unknown)),
                Err(Some(e)) => Err(e),
                Err(None) => {
                    Err(wrong_type(describe(&[Node::String(s)], 0), plan))
                }
            },
        };
        self.settle(field, mark, result)
    }

    /// What writing `field`'s value (its key written from `mark` on) came
    /// to: whether the field was written. A value that was not is taken
    /// back again, and a required field may not be `""` (only `""`
    /// counts as absent while present).
    #[inline]
    fn settle(
        &mut self,
        field: &FieldPlan,
        mark: S::Mark,
        result: Result<Outcome, FieldError>,
    ) -> Result<bool, FieldError> {
        match result {
            Ok(Outcome::Written) => Ok(true),
            Ok(outcome) => {
                self.sink.rewind(mark);
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
                self.sink.begin_object();
                self.fields(obj, tape, i)?;
                self.sink.end_object();
                Ok(Outcome::Written)
            }
            Kind::Array(elem) => {
                let Node::Array { len, .. } = node else {
                    return Err(wrong_type(self.describe(tape, i), plan));
                };
                if len == 0 {
                    return Ok(Outcome::Empty);
                }
                self.sink.begin_array();
                let mut at = i + 1;
                for n in 0..len {
                    self.sink.separator(n == 0);
                    let mark = self.sink.mark();
                    let wrote = if is_null(tape.get(at)) {
                        Outcome::Absent
                    } else {
                        self.value(elem, tape, at)
                            .map_err(|e| e.at_index(n))?
                    };
                    if wrote != Outcome::Written {
                        // Keep positions: an absent element is a null.
                        self.sink.rewind(mark);
                        self.sink.null();
                    }
                    at += span(tape, at);
                }
                self.sink.end_array();
                Ok(Outcome::Written)
            }
            Kind::Json => {
                self.sink.begin_json();
                self.json(tape, i)?;
                self.sink.end_json();
                Ok(Outcome::Written)
            }
            Kind::Timestamp(ts) => {
                let parsed = match node {
                    Node::String(s) => {
                        coerce::timestamp_str(ts, s, self.sink.day_cache())?
                    }
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
                let (scalar, strings) = match node {
                    Node::String(s) => (coerce::Scalar::Str(s), self.strings),
                    // A string field keeps a number's literal text.
                    Node::Static(n) if matches!(kind, Kind::String(_)) => {
                        match number_literal(
                            &mut self.literals,
                            self.embedded.as_deref(),
                            n,
                            i,
                        ) {
                            Some(text) => {
                                (coerce::Scalar::Str(text), Strings::Unknown)
                            }
                            None => {
                                (coerce::Scalar::Static(n), Strings::Unknown)
                            }
                        }
                    }
                    Node::Static(s) => {
                        (coerce::Scalar::Static(s), Strings::Unknown)
                    }
                    _ => return Err(wrong_type(self.describe(tape, i), plan)),
                };
                match coerce::scalar(
                    kind,
                    scalar,
                    self.indicators,
                    self.limits,
                ) {
                    Ok(c) => Ok(emit(&mut self.sink, c, strings)),
                    Err(Some(e)) => Err(e),
                    Err(None) => Err(wrong_type(self.describe(tape, i), plan)),
                }
            }
        }
    }

    /// Writes a parsed timestamp (`None`: an empty value) and keeps it
    /// if it is the best event time so far.
    #[inline(always)]
    fn time(&mut self, ts: &TimestampPlan, t: Option<Timestamp>) -> Outcome {
        let Some(t) = t else { return Outcome::Absent };
        let best = match ts.event_rank {
            Some(rank) if self.event_time.is_none_or(|(r, _)| rank < r) => {
                self.event_time = Some((rank, t));
                true
            }
            _ => false,
        };
        self.sink.timestamp(t, best);
        Outcome::Written
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
            // the outer record's literal map does not fit this tape, so
            // numbers are read from this text's own literals.
            _ => {
                let inner =
                    EmbeddedLiterals::new(text, buffers.structural_indexes());
                let outer = self.embedded.replace(Box::new(inner));
                let strings =
                    std::mem::replace(&mut self.strings, Strings::Unknown);
                let result = self.value(plan, &tape.0, 0);
                self.embedded = outer;
                self.strings = strings;
                result
            }
        }
    }

    /// Writes the JSON value at `at`, keys in input order. Iterative:
    /// depth is bounded by the parser's depth limit, and the stack lives
    /// in the scratch.
    fn json(
        &mut self,
        tape: &[Node<'_>],
        at: usize,
    ) -> Result<(), FieldError> {
        let Walker {
            sink,
            stack,
            literals,
            embedded,
            fields_left,
            limits,
            strings,
            ..
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
                    sink.string(s, strings);
                    i += 1;
                }
                Some(&Node::Static(s)) => {
                    let text =
                        number_literal(literals, embedded.as_deref(), s, i);
                    match (text, s) {
                        (Some(text), _) => sink.number_text(text),
                        (None, StaticNode::I64(n)) => sink.int(n),
                        (None, StaticNode::U64(n)) => sink.uint(n),
                        (None, StaticNode::F64(f)) => sink.float(f),
                        (None, StaticNode::Bool(b)) => sink.boolean(b),
                        (None, StaticNode::Null) => sink.null(),
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
                        sink.begin_object();
                    } else {
                        sink.begin_array();
                    }
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
                    if frame.is_object {
                        sink.end_object();
                    } else {
                        sink.end_array();
                    }
                    stack.pop();
                    continue;
                }
                sink.separator(frame.first);
                frame.first = false;
                frame.remaining -= 1;
                if frame.is_object {
                    let Some(Node::String(key)) = tape.get(i) else {
                        return Err(internal());
                    };
                    sink.member(key, strings);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Schema, compile};
    use crate::time::DayCache;

    /// A sink that records its calls as text, one token each: what a
    /// second output format sees of a walk.
    struct Recorder {
        calls: Vec<String>,
        day: DayCache,
    }

    impl Recorder {
        fn new() -> Recorder {
            Recorder { calls: Vec::new(), day: DayCache::new() }
        }

        fn push(&mut self, call: impl Into<String>) {
            self.calls.push(call.into());
        }
    }

    impl Sink for Recorder {
        type Mark = usize;
        fn begin_record(&mut self) {
            self.push("record");
        }
        fn abort(&mut self) {
            self.calls.clear();
        }
        fn mark(&self) -> usize {
            self.calls.len()
        }
        fn rewind(&mut self, mark: usize) {
            self.calls.truncate(mark);
        }
        fn key(&mut self, column: u32, first: bool) {
            self.push(format!("key{column}{}", if first { "!" } else { "" }));
        }
        fn discovered_key(&mut self, column: &str, first: bool) {
            self.push(format!("new:{column}{}", if first { "!" } else { "" }));
        }
        fn separator(&mut self, first: bool) {
            if !first {
                self.push(",");
            }
        }
        fn member(&mut self, key: &str, _: Strings<'_>) {
            self.push(format!("member:{key}"));
        }
        fn null(&mut self) {
            self.push("null");
        }
        fn boolean(&mut self, b: bool) {
            self.push(format!("bool:{b}"));
        }
        fn int(&mut self, n: i64) {
            self.push(format!("int:{n}"));
        }
        fn int_text(&mut self, n: i64, text: &str) {
            self.push(format!("int:{n}={text}"));
        }
        fn uint(&mut self, n: u64) {
            self.push(format!("uint:{n}"));
        }
        fn float(&mut self, f: f64) {
            self.push(format!("float:{f}"));
        }
        fn number_text(&mut self, text: &str) {
            self.push(format!("number:{text}"));
        }
        fn string(&mut self, s: &str, _: Strings<'_>) {
            self.push(format!("str:{s}"));
        }
        fn timestamp(&mut self, t: Timestamp, event_time: bool) {
            let mark = if event_time { "*" } else { "" };
            self.push(format!("time{mark}:{t}"));
        }
        fn day_cache(&self) -> Option<&DayCache> {
            Some(&self.day)
        }
        fn begin_object(&mut self) {
            self.push("{");
        }
        fn end_object(&mut self) {
            self.push("}");
        }
        fn begin_array(&mut self) {
            self.push("[");
        }
        fn end_array(&mut self) {
            self.push("]");
        }
        fn begin_json(&mut self) {
            self.push("json(");
        }
        fn end_json(&mut self) {
            self.push(")");
        }
    }

    const SCHEMA: &str = r#"
schema: Test.Walk
fields:
  - name: s
    type: string
  - name: n
    type: int
    required: true
  - name: o
    type: object
    fields:
      - name: b
        type: boolean
      - name: t
        type: timestamp
        timeFormats: [unix]
        isEventTime: true
  - name: a
    type: array
    element:
      type: float
  - name: j
    type: json
  - name: e
    type: array
    element:
      type: string
  - name: late
    type: timestamp
    isEventTime: true
"#;

    fn schema() -> Schema {
        compile(SCHEMA, &Limits::new(), None).unwrap()
    }

    /// A field error as a record error shows it, without the record.
    fn text(e: FieldError) -> String {
        let record = crate::input::split::Record::new(b"", 1, 0);
        let e = crate::error::RecordError::new("Test.Walk", record, e);
        e.to_string().replace("record 1 (byte 0): ", "")
    }

    /// Walks a JSON record through the schema into a [`Recorder`].
    fn walk(schema: &Schema, json: &str) -> Result<Vec<String>, String> {
        walk_with(schema, json, &mut vec![0; schema.slots])
    }

    /// [`walk`] with the caller's slots, which it leaves all zero.
    fn walk_with(
        schema: &Schema,
        json: &str,
        slots: &mut [usize],
    ) -> Result<Vec<String>, String> {
        let limits = Limits::new();
        let mut bytes = json.as_bytes().to_vec();
        let tape = simd_json::to_tape(&mut bytes).unwrap();
        let mut hints = vec![u32::MAX; schema.slots];
        let mut indicators = Collector::new();
        let mut stack = Vec::new();
        let mut derived = derive::Derived::default();
        let mut sink = Recorder::new();
        sink.begin_record();
        let mut w = Walker::new(
            sink,
            None,
            Strings::Unknown,
            slots,
            &mut hints,
            &mut indicators,
            &mut stack,
            &limits,
            &mut derived,
        );
        let result = w.root(&schema.root, &tape.0);
        let (event_time, mut sink) = w.finish();
        assert!(slots.iter().all(|&s| s == 0), "slots left set: {slots:?}");
        match result {
            Ok(()) => {
                if let Some(t) = event_time {
                    sink.push(format!("event:{t}"));
                }
                Ok(sink.calls)
            }
            Err(e) => {
                sink.abort();
                assert!(sink.calls.is_empty(), "abort leaves nothing");
                Err(text(e))
            }
        }
    }

    #[test]
    fn fields_reach_the_sink_typed_in_schema_order() {
        let calls = walk(
            &schema(),
            r#"{"j":{"x":[1,null,"y"]},"a":[1.5,null,""],"n":"42",
                "zz":1,"o":{"t":1700000000,"b":"T"},"s":"x","e":[],
                "late":"2024-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(
            calls.join(" "),
            "record key0! str:x key1 int:42=42 key2 { key3! bool:true \
             key4 time*:2023-11-14 22:13:20.000000000 } key5 [ float:1.5 , \
             null , null ] key6 json( { member:x [ uint:1 , null , str:y ] \
             } ) key8 time:2024-01-01 00:00:00.000000000 \
             event:2023-11-14 22:13:20.000000000"
        );
    }

    /// Column ids are depth-first: a field before the fields inside it,
    /// and the sink sees the id of each.
    #[test]
    fn column_ids_are_depth_first() {
        let s = schema();
        assert_eq!(
            s.columns.iter().map(|c| &**c).collect::<Vec<_>>(),
            ["s", "n", "o", "b", "t", "a", "j", "e", "late"]
        );
    }

    /// A field that comes to nothing is taken back whole, key included;
    /// a required one fails the record, and the sink is left empty.
    #[test]
    fn absent_values_are_taken_back_and_required_ones_fail() {
        let calls = walk(&schema(), r#"{"n":1,"o":{"b":""},"a":[]}"#).unwrap();
        assert_eq!(calls.join(" "), "record key1! int:1 key2 { }");
        assert_eq!(
            walk(&schema(), r#"{"n":""}"#).unwrap_err(),
            "field `n`: expected a value (required), found `\"\"`"
        );
        assert_eq!(
            walk(&schema(), r#"{"s":"x","n":null}"#).unwrap_err(),
            "field `n`: expected a value (required), found null"
        );
        assert_eq!(
            walk(&schema(), r#"{"n":1,"a":[1,"x"]}"#).unwrap_err(),
            "field `a[1]`: expected float (a finite number), found `\"x\"`"
        );
        assert_eq!(
            walk(&schema(), "[1]").unwrap_err(),
            "expected a JSON object, found an array"
        );
    }

    /// A record that fails halfway leaves no slot set for the next one:
    /// here `o` and `late` were found, then `n` failed before them.
    #[test]
    fn a_failed_record_leaves_no_slot_behind() {
        let s = schema();
        let mut slots = vec![0; s.slots];
        let failed = r#"{"s":"x","o":{"b":"T"},"late":"2024-01-01T00:00:00Z",
            "n":"x"}"#;
        assert!(walk_with(&s, failed, &mut slots).is_err());
        let calls = walk_with(&s, r#"{"n":1}"#, &mut slots).unwrap();
        assert_eq!(calls.join(" "), "record key1! int:1");
    }

    /// The best-ranked event time wins, whatever the order it is met in.
    #[test]
    fn the_first_event_time_in_schema_order_wins() {
        let calls =
            walk(&schema(), r#"{"late":"2024-01-01T00:00:00Z","n":1}"#)
                .unwrap();
        assert_eq!(
            calls.last().unwrap(),
            "event:2024-01-01 00:00:00.000000000"
        );
        assert!(calls.contains(&"time*:2024-01-01 00:00:00.000000000".into()));
    }

    /// A text record's values go through the same field writer (a `json`
    /// field gets the text as a JSON string).
    #[test]
    fn text_values_take_the_same_field_writer() {
        let s = schema();
        let limits = Limits::new();
        let mut slots = vec![0; s.slots];
        let mut hints = vec![u32::MAX; s.slots];
        let mut indicators = Collector::new();
        let mut stack = Vec::new();
        let mut derived = derive::Derived::default();
        let mut w = Walker::new(
            Recorder::new(),
            None,
            Strings::Unknown,
            &mut slots,
            &mut hints,
            &mut indicators,
            &mut stack,
            &limits,
            &mut derived,
        );
        let values = [
            Found::Text("a"),
            Found::Text("7"),
            Found::Missing,
            Found::Missing,
            Found::Text("[1]"),
            Found::Missing,
            Found::Text("2024-01-01T00:00:00Z"),
        ];
        let mut wrote = false;
        for (field, found) in s.root.fields.iter().zip(values) {
            wrote |= w.field(field, found, wrote).unwrap();
        }
        let err = w.field(&s.root.fields[1], Found::Text("x"), true);
        assert_eq!(
            text(err.unwrap_err()),
            "field `n`: expected int, found `\"x\"`"
        );
        let (event_time, sink) = w.finish();
        assert_eq!(
            sink.calls.join(" "),
            "key0! str:a key1 int:7=7 key6 json( str:[1] ) key8 \
             time*:2024-01-01 00:00:00.000000000 key1"
        );
        assert_eq!(
            event_time.unwrap().to_string(),
            "2024-01-01 00:00:00.000000000"
        );
    }
}
