//! The walk's derived values (SPEC §10): transformed fields (`copy`,
//! `concat`, `split`, `mask`; `rename` is only a different key in the
//! key index) and discovered fields (`fieldDiscoveryEnabled`).
//!
//! Both run only for schemas that use them: an object without a
//! transformed field, and a root without discovery, never reach this
//! file. Their scratch ([`Derived`]) lives in the caller's `Scratch`, so
//! they allocate nothing once it has grown.

use simd_json::{Node, StaticNode};

use super::{Found, Walker, coerce, internal, is_null, number_literal, span};
use crate::error::{FieldError, RecordErrorKind as K};
use crate::input::json::Strings;
use crate::schema::columns;
use crate::schema::{DiscoveryPlan, FieldPlan, ObjectPlan, Source, Transform};
use crate::sink::Sink;
use crate::time::TimeFormat;

/// The type lognorm infers for a discovered field from its value.
///
/// ```
/// use lognorm::DiscoveredType;
/// assert_eq!(DiscoveredType::Bigint.name(), "bigint");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiscoveredType {
    /// Text that is not an RFC 3339 timestamp.
    String,
    /// An integer that fits 64 bits.
    Bigint,
    /// Any other number.
    Float,
    /// `true` or `false`.
    Boolean,
    /// Text that reads as RFC 3339, written in the data lake's layout.
    Timestamp,
    /// A non-empty object, written as sent.
    Object,
    /// A non-empty array, written as sent.
    Array,
    /// `{}` or `[]`: nothing to infer from.
    Json,
}

impl DiscoveredType {
    /// The schema type name (`string`, `bigint`, ...).
    ///
    /// ```
    /// assert_eq!(lognorm::DiscoveredType::Timestamp.name(), "timestamp");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            DiscoveredType::String => "string",
            DiscoveredType::Bigint => "bigint",
            DiscoveredType::Float => "float",
            DiscoveredType::Boolean => "boolean",
            DiscoveredType::Timestamp => "timestamp",
            DiscoveredType::Object => "object",
            DiscoveredType::Array => "array",
            DiscoveredType::Json => "json",
        }
    }
}

/// One discovered field of a record: its column in `Derived::columns`,
/// where its value is on the tape, and its type.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    start: usize,
    end: usize,
    at: usize,
    kind: DiscoveredType,
}

/// Scratch of the derived values, reused from record to record.
#[derive(Debug, Default)]
pub(crate) struct Derived {
    /// A `concat` field's text.
    text: String,
    /// The discovered columns of the last record, back to back.
    columns: String,
    /// The discovered fields of the last record, in input order.
    entries: Vec<Entry>,
}

impl Derived {
    /// Forgets the last record's discovered fields.
    #[inline]
    pub fn clear(&mut self) {
        self.entries.clear();
        self.columns.clear();
    }

    /// The last record's discovered fields: column and type.
    pub fn discovered(
        &self,
    ) -> impl ExactSizeIterator<Item = (&str, DiscoveredType)> + '_ {
        self.entries.iter().map(|e| {
            (self.columns.get(e.start..e.end).unwrap_or_default(), e.kind)
        })
    }
}

/// The tape index of the value at `path` from the object at `at` (the
/// last of duplicate keys, as for declared fields).
fn lookup(tape: &[Node<'_>], at: usize, path: &[Box<str>]) -> Option<usize> {
    let mut obj = at;
    for key in path {
        let Some(&Node::Object { len, .. }) = tape.get(obj) else {
            return None;
        };
        let mut i = obj + 1;
        let mut hit = None;
        for _ in 0..len {
            let Some(Node::String(k)) = tape.get(i) else { return None };
            i += 1;
            if *k == &**key {
                hit = Some(i);
            }
            i += span(tape, i);
        }
        obj = hit?;
    }
    Some(obj)
}

impl<S: Sink> Walker<'_, S> {
    /// Writes the fields of an object some of whose fields are
    /// transformed (its keys already scanned into its slots).
    #[inline(never)]
    pub(super) fn transformed_fields(
        &mut self,
        plan: &ObjectPlan,
        tape: &[Node<'_>],
        at: usize,
    ) -> Result<bool, FieldError> {
        let base = plan.slot_base;
        let mut wrote = false;
        for (f, field) in plan.fields.iter().enumerate() {
            let slot = self.slots.get_mut(base + f).map_or(0, std::mem::take);
            let found = match slot.checked_sub(1) {
                Some(i) => Found::Node(tape, i),
                None => Found::Missing,
            };
            wrote |= match field.transform.as_deref() {
                None => self.field(field, found, wrote)?,
                Some(t) => {
                    self.transformed(field, t, tape, at, found, wrote)?
                }
            };
        }
        Ok(wrote)
    }

    /// Writes one transformed field of the object at `at`; `found` is
    /// where its own key's value is.
    fn transformed(
        &mut self,
        field: &FieldPlan,
        t: &Transform,
        tape: &[Node<'_>],
        at: usize,
        found: Found<'_, '_>,
        wrote: bool,
    ) -> Result<bool, FieldError> {
        let found = match &t.source {
            Source::Key => found,
            Source::Copy(path) => match lookup(tape, at, path) {
                Some(i) => Found::Node(tape, i),
                None => Found::Missing,
            },
            Source::Split { from, separator, index } => {
                match lookup(tape, at, from) {
                    None => Found::Missing,
                    Some(i) => match tape.get(i) {
                        Some(Node::String(s)) => s
                            .split(&**separator)
                            .nth(*index)
                            .map_or(Found::Missing, Found::Text),
                        None | Some(Node::Static(StaticNode::Null)) => {
                            Found::Missing
                        }
                        Some(_) => {
                            let found = self.describe(tape, i);
                            return Err(FieldError::new(
                                K::InvalidValue,
                                "a string to split",
                                found,
                            )
                            .in_field(&field.name));
                        }
                    },
                }
            }
            Source::Concat { paths, separator } => {
                let mut text = std::mem::take(&mut self.derived.text);
                text.clear();
                let result = match self
                    .concat(&mut text, tape, at, paths, separator)
                {
                    Ok(true) => {
                        self.finish_field(field, t, Found::Text(&text), wrote)
                    }
                    Ok(false) => {
                        self.finish_field(field, t, Found::Missing, wrote)
                    }
                    Err(e) => Err(e.in_field(&field.name)),
                };
                self.derived.text = text;
                return result;
            }
        };
        self.finish_field(field, t, found, wrote)
    }

    /// Writes a transformed field from its value: masked, or as usual.
    #[inline]
    pub(crate) fn finish_field(
        &mut self,
        field: &FieldPlan,
        t: &Transform,
        found: Found<'_, '_>,
        wrote: bool,
    ) -> Result<bool, FieldError> {
        match &t.mask {
            None => self.field(field, found, wrote),
            Some(to) => self.masked(field, found, to, wrote),
        }
    }

    /// `concat`: the scalars at `paths`, as text, joined by `separator`
    /// into `text`; absent and null values are left out. Whether any
    /// value was found.
    fn concat(
        &mut self,
        text: &mut String,
        tape: &[Node<'_>],
        at: usize,
        paths: &[Box<[Box<str>]>],
        separator: &str,
    ) -> Result<bool, FieldError> {
        let mut any = false;
        for path in paths {
            let Some(i) = lookup(tape, at, path) else { continue };
            let mut buf = [0; 32];
            let part = match tape.get(i) {
                None | Some(Node::Static(StaticNode::Null)) => continue,
                Some(Node::String(s)) => *s,
                Some(&Node::Static(n)) => match number_literal(
                    &mut self.literals,
                    self.embedded.as_deref(),
                    n,
                    i,
                ) {
                    Some(literal) => literal,
                    None => coerce::scalar_text(n, &mut buf),
                },
                Some(_) => {
                    return Err(FieldError::new(
                        K::InvalidValue,
                        "a string, number or boolean to concatenate",
                        self.describe(tape, i),
                    ));
                }
            };
            if any {
                text.push_str(separator);
            }
            text.push_str(part);
            any = true;
            if text.len() > self.limits.string_bytes() {
                return Err(coerce::too_long(text, self.limits));
            }
        }
        Ok(any)
    }

    /// `mask`: a present value is checked (`validate`) and replaced by
    /// `to`; an absent one is absent as usual.
    fn masked(
        &mut self,
        field: &FieldPlan,
        found: Found<'_, '_>,
        to: &str,
        wrote: bool,
    ) -> Result<bool, FieldError> {
        let text = match found {
            Found::Missing => return self.field(field, found, wrote),
            Found::Node(tape, i) => match tape.get(i) {
                node if is_null(node) => {
                    return self.field(field, found, wrote);
                }
                Some(Node::String(s)) => Some(*s),
                _ => None,
            },
            Found::Text(s) => Some(s),
        };
        if let (crate::schema::Kind::String(plan), Some(s)) =
            (&field.value.kind, text)
        {
            coerce::string(plan, s, self.indicators, self.limits)
                .map_err(|e| e.in_field(&field.name))?;
        }
        self.sink.key(field.column, !wrote);
        self.sink.string(to, Strings::Unknown);
        Ok(true)
    }

    /// Writes the root object's undeclared keys after its declared
    /// fields (`wrote`: some were written), typed by their values, and
    /// notes them in the scratch for `Event::discovered`.
    #[inline(never)]
    pub(super) fn discover(
        &mut self,
        plan: &ObjectPlan,
        discovery: &DiscoveryPlan,
        tape: &[Node<'_>],
        wrote: bool,
    ) -> Result<(), FieldError> {
        let mut d = std::mem::take(self.derived);
        let result = self.discover_into(&mut d, plan, discovery, tape, wrote);
        if result.is_err() {
            d.clear();
        }
        *self.derived = d;
        result
    }

    fn discover_into(
        &mut self,
        d: &mut Derived,
        plan: &ObjectPlan,
        discovery: &DiscoveryPlan,
        tape: &[Node<'_>],
        wrote: bool,
    ) -> Result<(), FieldError> {
        d.clear();
        let Some(&Node::Object { len, .. }) = tape.first() else {
            return Err(internal());
        };
        let mut i = 1;
        for _ in 0..len {
            let Some(Node::String(key)) = tape.get(i) else {
                return Err(internal());
            };
            i += 1;
            if plan.find(key).is_none() && !is_null(tape.get(i)) {
                let start = d.columns.len();
                columns::push_column_name(key, &mut d.columns);
                let end = d.columns.len();
                let kind = DiscoveredType::Json;
                d.entries.push(Entry { start, end, at: i, kind });
            }
            i += span(tape, i);
        }
        // One field per column: the last key wins, as for declared
        // fields; a column that is declared or a `p_` column is skipped.
        let columns = &d.columns;
        let col = |e: &Entry| columns.get(e.start..e.end).unwrap_or_default();
        d.entries
            .sort_unstable_by(|a, b| col(a).cmp(col(b)).then(a.at.cmp(&b.at)));
        let n = d.entries.len();
        for k in 0..n {
            let (Some(&e), next) = (d.entries.get(k), d.entries.get(k + 1))
            else {
                break;
            };
            let c = col(&e);
            let shadowed = next.is_some_and(|x| col(x) == c);
            if (shadowed
                || columns::is_reserved_column(c)
                || discovery.declared.contains(c))
                && let Some(e) = d.entries.get_mut(k)
            {
                e.at = usize::MAX;
            }
        }
        d.entries.retain(|e| e.at != usize::MAX);
        d.entries.sort_unstable_by_key(|e| e.at);
        let mut first = !wrote;
        for e in &mut d.entries {
            let column = d.columns.get(e.start..e.end).unwrap_or_default();
            self.sink.discovered_key(column, first);
            first = false;
            e.kind = self.discovered_value(tape, e.at).map_err(|err| {
                err.in_field(d.columns.get(e.start..e.end).unwrap_or_default())
            })?;
        }
        Ok(())
    }

    /// Writes a discovered value (not null) and returns its type.
    fn discovered_value(
        &mut self,
        tape: &[Node<'_>],
        i: usize,
    ) -> Result<DiscoveredType, FieldError> {
        Ok(match tape.get(i) {
            Some(Node::String(s)) => {
                if s.len() > self.limits.string_bytes() {
                    return Err(coerce::too_long(s, self.limits));
                }
                match TimeFormat::Rfc3339
                    .parse_str_cached(s, self.sink.day_cache())
                {
                    Some(t) => {
                        self.sink.timestamp(t, false);
                        DiscoveredType::Timestamp
                    }
                    None => {
                        self.sink.string(s, self.strings);
                        DiscoveredType::String
                    }
                }
            }
            Some(&Node::Static(StaticNode::Bool(b))) => {
                self.sink.boolean(b);
                DiscoveredType::Boolean
            }
            Some(&Node::Static(StaticNode::I64(n))) => {
                self.sink.int(n);
                DiscoveredType::Bigint
            }
            Some(&Node::Static(StaticNode::U64(n))) => {
                if let Ok(n) = i64::try_from(n) {
                    self.sink.int(n);
                    DiscoveredType::Bigint
                } else {
                    self.sink.uint(n);
                    DiscoveredType::Float
                }
            }
            Some(&Node::Static(StaticNode::F64(f))) => {
                self.sink.float(f);
                DiscoveredType::Float
            }
            Some(&(Node::Object { len, .. } | Node::Array { len, .. })) => {
                let kind = match tape.get(i) {
                    _ if len == 0 => DiscoveredType::Json,
                    Some(Node::Object { .. }) => DiscoveredType::Object,
                    _ => DiscoveredType::Array,
                };
                self.sink.begin_json();
                self.json(tape, i)?;
                self.sink.end_json();
                kind
            }
            _ => return Err(internal()),
        })
    }
}
