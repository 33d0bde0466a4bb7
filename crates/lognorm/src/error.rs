//! The two error types of the crate: [`SchemaError`] (a schema could not
//! be loaded) and [`RecordError`] (one record could not be normalized).
//!
//! Both are one pointer wide (the details live in a box), so a
//! `Result<Event, RecordError>` stays small on the hot path, and both are
//! opaque structs with accessors and a `#[non_exhaustive]` kind enum.

use std::fmt;

/// The largest number of characters of an input value quoted in an error
/// message; longer values are cut and end with `…`.
const MAX_FOUND_CHARS: usize = 64;

/// A position in a schema document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// 1-based line number.
    pub line: u64,
    /// 1-based column number, in characters.
    pub column: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What kind of mistake a schema has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemaErrorKind {
    /// The document is not valid YAML, or a value has the wrong YAML
    /// shape (a list where a string belongs, say).
    Syntax,
    /// A key that Panther's schema format does not have.
    UnknownKey,
    /// A key that must be present is missing (`name`, `type`, `fields`,
    /// `element`, ...).
    MissingKey,
    /// A `type:` that is not one of the schema types.
    UnknownType,
    /// An `indicators:` entry that is not a known indicator.
    UnknownIndicator,
    /// A key that is valid but not allowed on this field or type.
    Misplaced,
    /// Two fields of one object have the same name or output column.
    Duplicate,
    /// A field name that collides with the `p_` fields lognorm adds.
    ReservedName,
    /// A time format that does not compile.
    TimeFormat,
    /// A parser pattern that does not compile.
    Pattern,
    /// A value that is not allowed (an empty name, a bad `validate`
    /// mode, ...).
    InvalidValue,
    /// A Panther schema feature that lognorm does not support yet.
    Unsupported,
    /// A log type with this name is already registered.
    DuplicateLogType,
    /// The schema is larger or deeper than [`Limits`](crate::Limits)
    /// allows.
    Limit,
    /// A schema file could not be read.
    Io,
}

/// A schema that could not be loaded.
///
/// The message names the file, the `line:column` in it, the path of the
/// field (`fields[3].fields[0].type`) and what was expected:
///
/// ```
/// let yaml = "schema: X\nfields:\n  - name: a\n    type: strin\n";
/// let err = lognorm::Registry::builder()
///     .add_yaml("x.yml", yaml)
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "x.yml:4:11: fields[0].type: unknown type `strin`, expected one of \
///      `string`, `int`, `smallint`, `bigint`, `float`, `boolean`, \
///      `timestamp`, `array`, `object`, `json`",
/// );
/// assert_eq!(err.kind(), lognorm::SchemaErrorKind::UnknownType);
/// ```
// `Display` is the boxed details' (one line); `thiserror` derives the
// rest of `std::error::Error`.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SchemaError(Box<SchemaErrorInner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct SchemaErrorInner {
    kind: SchemaErrorKind,
    file: String,
    location: Option<Location>,
    path: String,
    message: String,
}

impl SchemaError {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(
        kind: SchemaErrorKind,
        location: Option<Location>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> SchemaError {
        SchemaError(Box::new(SchemaErrorInner {
            kind,
            file: String::new(),
            location,
            path: path.into(),
            message: message.into(),
        }))
    }

    /// Sets the file name shown in the message.
    pub(crate) fn in_file(mut self, file: &str) -> SchemaError {
        file.clone_into(&mut self.0.file);
        self
    }

    /// What kind of mistake this is.
    pub fn kind(&self) -> SchemaErrorKind {
        self.0.kind
    }

    /// The file (as named by the caller) the schema came from.
    pub fn file(&self) -> &str {
        &self.0.file
    }

    /// Where in the document the mistake is, when known.
    pub fn location(&self) -> Option<Location> {
        self.0.location
    }

    /// The path of the offending node, like `fields[3].fields[0].type`;
    /// empty for the document as a whole.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// The message without file, location and path.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for SchemaErrorInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self;
        if !e.file.is_empty() {
            f.write_str(&e.file)?;
            if let Some(loc) = e.location {
                write!(f, ":{loc}")?;
            }
            f.write_str(": ")?;
        } else if let Some(loc) = e.location {
            write!(f, "{loc}: ")?;
        }
        if !e.path.is_empty() {
            write_one_line(f, &e.path)?;
            f.write_str(": ")?;
        }
        write_one_line(f, &e.message)
    }
}

/// Writes text that may hold user input (a YAML key in a path, a
/// message quoting the document) with control characters escaped, so a
/// message stays on one line.
fn write_one_line(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    // Runs between control characters go out whole: a dead-letter
    // writer formats every failed record's message.
    let mut rest = text;
    while let Some((at, c)) = rest.char_indices().find(|(_, c)| c.is_control())
    {
        let (run, tail) = rest.split_at(at);
        f.write_str(run)?;
        write!(f, "{}", c.escape_default())?;
        rest = tail.get(c.len_utf8()..).unwrap_or_default();
    }
    f.write_str(rest)
}

impl fmt::Debug for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaError")
            .field("kind", &self.0.kind)
            .field("message", &self.to_string())
            .finish()
    }
}

/// Why a record could not be normalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// The record is not valid JSON (or not valid UTF-8).
    Syntax,
    /// The record is valid JSON but not an object.
    NotObject,
    /// A `required` field is absent or null.
    MissingField,
    /// A value has the wrong type or cannot be coerced to the field's
    /// type (a number out of range, a string that is not a number, ...).
    InvalidValue,
    /// A timestamp that none of the field's time formats parses.
    InvalidTimestamp,
    /// A value rejected by the field's `validate` rules.
    Validation,
    /// A text record that no pattern of the schema's parser matches.
    NoMatch,
    /// The record goes past one of the [`Limits`](crate::Limits).
    Limit,
}

/// A record that could not be normalized.
///
/// It names the record (its 1-based number and byte offset in the
/// payload), the log type, the field path, what was expected and what was
/// found, and it hands back the raw record so the caller can keep it:
///
/// ```
/// use lognorm::{Context, Registry, Scratch, Timestamp};
///
/// let registry = Registry::builtin();
/// let hex = registry.log_type("Hex.Audit").unwrap();
/// let mut ctx = Context::new(Timestamp::from_unix(1_700_000_000, 0).unwrap(), [0; 6]);
/// let mut scratch = Scratch::new();
/// let payload = br#"{"event":{"actor":{"id":"u1"},"action":"RUN_CELL"}}"#;
/// let record = hex.split(payload).next().unwrap();
/// let err = hex.normalize(record, &mut ctx, &mut scratch).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "record 1 (byte 0): field `event.occurred_at`: \
///      expected a value (required), found nothing",
/// );
/// assert_eq!(err.path(), "event.occurred_at");
/// assert_eq!(err.raw(), payload);
/// ```
// `Display` is the boxed details' (one line); `thiserror` derives the
// rest of `std::error::Error`.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RecordError(Box<RecordErrorInner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct RecordErrorInner {
    kind: RecordErrorKind,
    record: u64,
    offset: usize,
    log_type: String,
    path: String,
    expected: String,
    found: String,
    raw: Vec<u8>,
}

impl RecordError {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(
        log_type: &str,
        record: crate::input::split::Record<'_>,
        err: FieldError,
    ) -> RecordError {
        let path = err.path();
        let err = *err.0;
        RecordError(Box::new(RecordErrorInner {
            kind: err.kind,
            record: record.number(),
            offset: record.offset(),
            log_type: log_type.to_owned(),
            path,
            expected: err.expected.into_owned(),
            found: err.found,
            raw: record.bytes().to_vec(),
        }))
    }

    /// Why the record failed.
    pub fn kind(&self) -> RecordErrorKind {
        self.0.kind
    }

    /// The record's 1-based number in its payload.
    pub fn record_number(&self) -> u64 {
        self.0.record
    }

    /// The byte offset of the record in its payload.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// The name of the log type the record was normalized as.
    pub fn log_type(&self) -> &str {
        &self.0.log_type
    }

    /// The path of the field at fault, like `event.actor.id` or
    /// `targets[2].id`; empty when the record as a whole is at fault.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What the schema expected.
    pub fn expected(&self) -> &str {
        &self.0.expected
    }

    /// What the record had instead (a short, possibly truncated excerpt).
    pub fn found(&self) -> &str {
        &self.0.found
    }

    /// The record's raw bytes, exactly as they were in the payload.
    pub fn raw(&self) -> &[u8] {
        &self.0.raw
    }

    /// Takes the raw bytes out of the error.
    pub fn into_raw(self) -> Vec<u8> {
        self.0.raw
    }

    /// True when the record is not valid JSON or not an object.
    pub fn is_syntax(&self) -> bool {
        matches!(
            self.0.kind,
            RecordErrorKind::Syntax | RecordErrorKind::NotObject
        )
    }

    /// True when the record went past one of the limits.
    pub fn is_limit(&self) -> bool {
        self.0.kind == RecordErrorKind::Limit
    }
}

impl fmt::Display for RecordErrorInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self;
        write!(f, "record {} (byte {}): ", e.record, e.offset)?;
        if !e.path.is_empty() {
            f.write_str("field `")?;
            write_one_line(f, &e.path)?;
            f.write_str("`: ")?;
        }
        // `expected` may quote the schema (a time format), `found` the
        // record; both are escaped like the path.
        f.write_str("expected ")?;
        write_one_line(f, &e.expected)?;
        f.write_str(", found ")?;
        write_one_line(f, &e.found)
    }
}

impl fmt::Debug for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordError")
            .field("kind", &self.0.kind)
            .field("log_type", &self.0.log_type)
            .field("message", &self.to_string())
            .finish()
    }
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PathSeg {
    Field(Box<str>),
    Index(usize),
}

/// A record error before it knows which record it belongs to. Built only
/// on the cold path; the field path grows as the error bubbles up through
/// the plan (innermost segment first), so the happy path keeps no path.
///
/// Boxed, so that the walker's `Result<Outcome, FieldError>` is two
/// words, returned in registers: unboxed (80 bytes) every value written
/// returned through memory and read the result back.
#[derive(Debug)]
pub(crate) struct FieldError(Box<FieldErrorInner>);

#[derive(Debug)]
struct FieldErrorInner {
    kind: RecordErrorKind,
    expected: std::borrow::Cow<'static, str>,
    found: String,
    rev_path: Vec<PathSeg>,
}

impl FieldError {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(
        kind: RecordErrorKind,
        expected: impl Into<std::borrow::Cow<'static, str>>,
        found: String,
    ) -> FieldError {
        FieldError(Box::new(FieldErrorInner {
            kind,
            expected: expected.into(),
            found,
            rev_path: Vec::new(),
        }))
    }

    /// The error happened inside field `name`.
    #[cold]
    #[inline(never)]
    pub(crate) fn in_field(mut self, name: &str) -> FieldError {
        self.0.rev_path.push(PathSeg::Field(name.into()));
        self
    }

    /// The error happened inside array element `index`.
    #[cold]
    #[inline(never)]
    pub(crate) fn at_index(mut self, index: usize) -> FieldError {
        self.0.rev_path.push(PathSeg::Index(index));
        self
    }

    fn path(&self) -> String {
        use fmt::Write as _;
        let mut out = String::new();
        for seg in self.0.rev_path.iter().rev() {
            match seg {
                PathSeg::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                PathSeg::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }
}

/// Quotes user text for an error message: in backticks, cut after
/// [`MAX_FOUND_CHARS`] characters, control characters escaped (`\r`,
/// `\n`, `\t`, `\u{1b}`) so the message stays on one line.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(80) + 2);
    out.push('`');
    let mut chars = text.chars();
    for c in chars.by_ref().take(MAX_FOUND_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_control_characters() {
        // A text line may end in a lone `\r` (SPEC §2 keeps it) and an
        // octet-counted frame may hold newlines; the message stays one
        // line. Found by the `normalize_text` fuzz target.
        assert_eq!(
            quote("a\r\nb\tc\u{1b}d\u{85}"),
            r"`a\r\nb\tc\u{1b}d\u{85}`"
        );
        assert_eq!(quote("é → x"), "`é → x`");
    }

    #[test]
    fn schema_error_display_is_one_line() {
        // A YAML key may hold line breaks (`? t\n\n t` is the key
        // "t\nt"); it reaches the path and the message. Found by the
        // `schema_yaml` fuzz target.
        let yaml = "\n? t\n\n t";
        let err =
            crate::Registry::builder().add_yaml("x.yml", yaml).unwrap_err();
        assert_eq!(err.path(), "t\nt");
        assert_eq!(
            err.to_string(),
            "x.yml:2:3: t\\nt: unknown field `t\\nt`, expected one of \
             schema, version, description, referenceURL, \
             fieldDiscoveryEnabled, parser, fields"
        );
    }

    #[test]
    fn record_error_display_is_one_line() {
        // A time format may hold a line break (`"%Y\n"` in YAML); the
        // error's `expected` quotes it. The `schema_yaml` fuzz property
        // catches this one.
        let yaml = "schema: Xx\nfields:\n  - name: t\n    type: timestamp\n    \
                    timeFormats: [\"%Y\\n\"]\n";
        let registry = crate::Registry::builder()
            .add_yaml("x.yml", yaml)
            .unwrap()
            .build();
        let x = registry.log_type("Xx").unwrap();
        let mut ctx =
            crate::context::Context::new(crate::time::Timestamp::MIN, [0; 6]);
        let mut scratch = crate::scratch::Scratch::new();
        let record =
            crate::input::split::Record::new(br#"{"t":"2024"}"#, 1, 0);
        let err = x.normalize(record, &mut ctx, &mut scratch).unwrap_err();
        assert_eq!(err.expected(), "timestamp in format `%Y\n`");
        assert_eq!(
            err.to_string(),
            "record 1 (byte 0): field `t`: expected timestamp in format \
             `%Y\\n`, found `\"2024\"`"
        );
    }

    #[test]
    fn one_line_escapes_each_control_character_between_runs() {
        struct OneLine(&'static str);
        impl fmt::Display for OneLine {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_one_line(f, self.0)
            }
        }
        for (text, want) in [
            ("", ""),
            ("plain é → x", "plain é → x"),
            ("\n", r"\n"),
            (
                "a\r\nb\tc\u{1b}d\u{85}é\u{7f}",
                r"a\r\nb\tc\u{1b}d\u{85}é\u{7f}",
            ),
        ] {
            assert_eq!(OneLine(text).to_string(), want, "{text:?}");
        }
    }

    #[test]
    fn quote_cuts_long_values() {
        assert_eq!(quote("abc"), "`abc`");
        let long = "x".repeat(100);
        let q = quote(&long);
        assert_eq!(q.chars().count(), MAX_FOUND_CHARS + 3);
        assert!(q.ends_with("…`"));
    }

    #[test]
    fn field_path_is_built_outside_in() {
        let e = FieldError::new(
            RecordErrorKind::InvalidValue,
            "int",
            "`x`".into(),
        )
        .in_field("id")
        .at_index(2)
        .in_field("targets")
        .in_field("event");
        assert_eq!(e.path(), "event.targets[2].id");
    }

    #[test]
    fn schema_error_display() {
        let e = SchemaError::new(
            SchemaErrorKind::UnknownType,
            Some(Location { line: 4, column: 11 }),
            "fields[0].type",
            "unknown type `strin`",
        )
        .in_file("x.yml");
        assert_eq!(
            e.to_string(),
            "x.yml:4:11: fields[0].type: unknown type `strin`"
        );
        let no_file = SchemaError::new(
            SchemaErrorKind::Syntax,
            None,
            "",
            "empty document",
        );
        assert_eq!(no_file.to_string(), "empty document");
    }
}
