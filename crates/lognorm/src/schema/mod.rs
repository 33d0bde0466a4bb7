//! Validated, immutable schemas: the plan the normalizer walks.
//!
//! A [`Schema`] is built once from YAML by [`compile()`] and never mutated:
//! each object knows its fields in output order, a lookup from input key
//! to field, and a range of *slots* (per-record scratch cells where the
//! walker notes where each field's value is in the parsed record). Each
//! field has a column id; the plan holds no output format (sinks build
//! theirs from [`Schema::columns`]).

pub(crate) mod columns;
pub(crate) mod compile;
mod keys;
pub(crate) mod yaml;

use std::net::IpAddr;

use crate::indicators::Indicator;
use crate::input::text::TextParser;
use crate::time::TimeFormat;

pub(crate) use compile::compile;
pub(crate) use keys::KeyIndex;

/// A compiled log schema.
#[derive(Debug)]
pub(crate) struct Schema {
    pub name: Box<str>,
    pub description: Option<Box<str>>,
    pub reference_url: Option<Box<str>>,
    pub root: ObjectPlan,
    /// Number of slots the walker needs (one per field, at all levels).
    pub slots: usize,
    /// The output column of every field at every level, by column id
    /// ([`FieldPlan::column`]); named by [`columns::column_name`].
    pub columns: Box<[Box<str>]>,
    /// For text log types: the parser that turns a line into fields.
    pub text: Option<TextParser>,
    /// For text log types: the parser field that fills each root field,
    /// by root field index (`u32::MAX`: none, the field stays absent).
    pub text_sources: Box<[u32]>,
}

/// `fieldDiscoveryEnabled: true`: what the walk needs to keep the root
/// object's undeclared keys (see `walk::discover`).
#[derive(Debug)]
pub(crate) struct DiscoveryPlan {
    /// The root's declared columns: a discovered key whose column is one
    /// of these is skipped.
    pub declared: ahash::AHashSet<Box<str>>,
}

/// The fields of one object.
#[derive(Debug)]
pub(crate) struct ObjectPlan {
    pub fields: Box<[FieldPlan]>,
    /// Input key -> field index.
    pub index: KeyIndex,
    /// The first of this object's slots; field `i` uses `slot_base + i`.
    pub slot_base: usize,
    /// Some field of this object has a transformation (SPEC §10); the
    /// walk takes the slower loop only then.
    pub transforms: bool,
    /// The root object of a schema with `fieldDiscoveryEnabled: true`.
    pub discovery: Option<Box<DiscoveryPlan>>,
}

impl ObjectPlan {
    /// The index of the field named `key`.
    #[inline]
    pub fn find(&self, key: &str) -> Option<usize> {
        self.index.get(key)
    }
}

/// A declared field.
#[derive(Debug)]
pub(crate) struct FieldPlan {
    /// The key in the input.
    pub name: Box<str>,
    /// The field's output column, an index into [`Schema::columns`].
    pub column: u32,
    pub required: bool,
    pub value: ValuePlan,
    /// Its transformations, if any (SPEC §10).
    pub transform: Option<Box<Transform>>,
}

/// A field's transformations, resolved when the schema is compiled.
#[derive(Debug)]
pub(crate) struct Transform {
    /// Where the value comes from.
    pub source: Source,
    /// `mask: {type: redact, to}`: the text written instead of a value.
    pub mask: Option<Box<str>>,
}

/// Where a transformed field's value comes from. Paths are keys from
/// the field's own object down, split at `.`.
#[derive(Debug)]
pub(crate) enum Source {
    /// Its key in the object (its name, or `rename: {from}`: the key
    /// index holds the key).
    Key,
    /// `copy: {from}`: the value at a path.
    Copy(Box<[Box<str>]>),
    /// `concat: {paths, separator}`: the scalars at the paths, as text,
    /// joined.
    Concat { paths: Box<[Box<[Box<str>]>]>, separator: Box<str> },
    /// `split: {from, separator, index}`: one piece of the text at a path.
    Split { from: Box<[Box<str>]>, separator: Box<str>, index: usize },
}

/// How one value is read and written.
#[derive(Debug)]
pub(crate) struct ValuePlan {
    pub kind: Kind,
    /// The value arrives as a JSON string holding JSON text.
    pub embedded_json: bool,
}

/// The value types of SPEC §1.
#[derive(Debug)]
// A plain one-byte tag, read with one load: the niche-packed layout took
// five instructions to decode on every field (callgrind).
#[repr(u8)]
pub(crate) enum Kind {
    String(StringPlan),
    Int(IntKind),
    Float,
    Boolean,
    Timestamp(TimestampPlan),
    Object(ObjectPlan),
    Array(Box<ValuePlan>),
    Json,
}

impl Kind {
    /// The schema type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::String(_) => "string",
            Kind::Int(IntKind::Small) => "smallint",
            Kind::Int(IntKind::Int) => "int",
            Kind::Int(IntKind::Big) => "bigint",
            Kind::Float => "float",
            Kind::Boolean => "boolean",
            Kind::Timestamp(_) => "timestamp",
            Kind::Object(_) => "object",
            Kind::Array(_) => "array",
            Kind::Json => "json",
        }
    }
}

/// The integer widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntKind {
    Small,
    Int,
    Big,
}

impl IntKind {
    pub fn range(self) -> (i64, i64) {
        match self {
            IntKind::Small => (i16::MIN.into(), i16::MAX.into()),
            IntKind::Int => (i32::MIN.into(), i32::MAX.into()),
            IntKind::Big => (i64::MIN, i64::MAX),
        }
    }
}

/// A string value's checks and indicators.
#[derive(Debug, Default)]
pub(crate) struct StringPlan {
    pub indicators: Box<[Indicator]>,
    pub validate: Option<Box<Validate>>,
    /// Neither indicators nor `validate`: the common string field, told
    /// by one byte instead of two tests (~3 instructions a field).
    pub plain: bool,
}

impl StringPlan {
    pub fn new(
        indicators: Box<[Indicator]>,
        validate: Option<Box<Validate>>,
    ) -> StringPlan {
        let plain = indicators.is_empty() && validate.is_none();
        StringPlan { indicators, validate, plain }
    }
}

/// `validate:` rules.
#[derive(Debug, Default)]
pub(crate) struct Validate {
    pub allow: Option<Box<[Box<str>]>>,
    pub deny: Option<Box<[Box<str>]>>,
    pub ip: Option<IpVersion>,
    pub cidr: Option<IpVersion>,
}

/// `ipv4`, `ipv6` or `any`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IpVersion {
    V4,
    V6,
    Any,
}

impl IpVersion {
    pub fn name(self) -> &'static str {
        match self {
            IpVersion::V4 => "ipv4",
            IpVersion::V6 => "ipv6",
            IpVersion::Any => "any",
        }
    }

    pub fn accepts(self, ip: IpAddr) -> bool {
        matches!(
            (self, ip),
            (IpVersion::Any, _)
                | (IpVersion::V4, IpAddr::V4(_))
                | (IpVersion::V6, IpAddr::V6(_))
        )
    }
}

/// A timestamp value's formats.
#[derive(Debug)]
pub(crate) struct TimestampPlan {
    pub formats: Box<[TimeFormat]>,
    /// `isEventTime`: the field's rank among the event-time fields in
    /// depth-first schema order (lower wins).
    pub event_rank: Option<u32>,
}
