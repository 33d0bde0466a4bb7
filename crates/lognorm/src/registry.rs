//! The registry of compiled log types.

use std::path::Path;
use std::sync::Arc;

use ahash::AHashMap;
use simd_json::{Node, StaticNode, Tape};

use crate::error::{FieldError, RecordErrorKind as K};
use crate::event::Strings;
use crate::input::split::{Framing, Split, split};
use crate::input::stream::SplitReader;
use crate::schema::{self, Schema};
use crate::walk::Walker;
use crate::{
    Context, Event, Limits, Record, RecordError, SchemaError, SchemaErrorKind,
    Scratch, Timestamp, event,
};

/// The schemas lognorm ships: (file name, YAML).
const BUILTIN: [(&str, &str); 7] = [
    ("Databricks.Audit.yml", include_str!("../schemas/Databricks.Audit.yml")),
    ("Hex.Audit.yml", include_str!("../schemas/Hex.Audit.yml")),
    ("Heroku.Runtime.yml", include_str!("../schemas/Heroku.Runtime.yml")),
    ("OpenAI.Audit.yml", include_str!("../schemas/OpenAI.Audit.yml")),
    ("Wiz.Audit.yml", include_str!("../schemas/Wiz.Audit.yml")),
    ("Wiz.Issues.yml", include_str!("../schemas/Wiz.Issues.yml")),
    (
        "Wiz.VulnerabilityFinding.yml",
        include_str!("../schemas/Wiz.VulnerabilityFinding.yml"),
    ),
];

/// Compiled log types, shared by every thread that normalizes.
///
/// A registry is immutable once built and cheap to clone (an `Arc`), so
/// hand a clone to each worker thread; each thread keeps its own
/// [`Scratch`] and [`Context`].
///
/// ```
/// use lognorm::Registry;
///
/// let registry = Registry::builtin();
/// assert!(registry.log_type("Wiz.Audit").is_some());
/// assert_eq!(registry.log_types().count(), 7);
///
/// // Shared between threads as is.
/// fn assert_send_sync<T: Send + Sync>() {}
/// assert_send_sync::<Registry>();
/// ```
#[derive(Clone, Debug)]
pub struct Registry {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Sorted by name.
    types: Vec<LogType>,
    index: AHashMap<Box<str>, usize>,
}

impl Registry {
    /// A registry with the seven log types lognorm ships: Databricks.Audit,
    /// Heroku.Runtime, Hex.Audit, OpenAI.Audit, Wiz.Audit, Wiz.Issues and
    /// Wiz.VulnerabilityFinding.
    pub fn builtin() -> Registry {
        let mut b = Registry::builder();
        // The shipped schemas are tested to compile; a failure here would
        // be a build defect, never an input problem.
        if let Err(e) = b.add_builtin() {
            unreachable!("shipped schema does not compile: {e}");
        }
        b.build()
    }

    /// A builder, to add your own schemas and set [`Limits`].
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    /// The log type named `name` (exact match), like `"Hex.Audit"`.
    pub fn log_type(&self, name: &str) -> Option<&LogType> {
        let i = *self.inner.index.get(name)?;
        self.inner.types.get(i)
    }

    /// All log types, sorted by name.
    pub fn log_types(&self) -> impl ExactSizeIterator<Item = &LogType> {
        self.inner.types.iter()
    }
}

/// Collects schemas into a [`Registry`].
///
/// ```
/// use lognorm::{Limits, Registry};
///
/// let yaml = r#"
/// schema: Custom.Login
/// fields:
///   - name: user
///     type: string
///     required: true
///     indicators: [username]
///   - name: at
///     type: timestamp
///     timeFormats: [unix]
///     isEventTime: true
/// "#;
/// let registry = Registry::builder()
///     .limits(Limits::new().max_record_bytes(1 << 20))
///     .add_builtin()?
///     .add_yaml("login.yml", yaml)?
///     .build();
/// assert!(registry.log_type("Custom.Login").is_some());
/// assert!(registry.log_type("Hex.Audit").is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct RegistryBuilder {
    limits: Limits,
    types: Vec<LogType>,
}

impl RegistryBuilder {
    /// Sets the limits for the schemas added after this call and for
    /// every record they normalize.
    pub fn limits(&mut self, limits: Limits) -> &mut RegistryBuilder {
        self.limits = limits;
        self
    }

    /// Adds the seven shipped log types.
    ///
    /// # Errors
    ///
    /// When a log type of the same name was added before.
    pub fn add_builtin(
        &mut self,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        for (file, yaml) in BUILTIN {
            self.add_yaml(file, yaml)?;
        }
        Ok(self)
    }

    /// Compiles a schema from YAML text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// A [`SchemaError`] with the file, `line:column`, field path and what
    /// was expected, when the schema is not valid, or when a log type of
    /// the same name was added before.
    pub fn add_yaml(
        &mut self,
        file: &str,
        yaml: &str,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        let schema = schema::compile(yaml, &self.limits)
            .map_err(|e| e.in_file(file))?;
        if self.types.iter().any(|t| t.schema.name == schema.name) {
            return Err(SchemaError::new(
                SchemaErrorKind::DuplicateLogType,
                None,
                "schema",
                format!("log type `{}` is already registered", schema.name),
            )
            .in_file(file));
        }
        self.types.push(LogType { schema, limits: self.limits });
        Ok(self)
    }

    /// Reads and compiles a schema file.
    ///
    /// # Errors
    ///
    /// As [`add_yaml`](Self::add_yaml), or when the file cannot be read.
    pub fn add_file(
        &mut self,
        path: impl AsRef<Path>,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let yaml = std::fs::read_to_string(path).map_err(|e| {
            SchemaError::new(SchemaErrorKind::Io, None, "", e.to_string())
                .in_file(&name)
        })?;
        self.add_yaml(&name, &yaml)
    }

    /// Reads and compiles every `*.yml` and `*.yaml` file of a directory
    /// (not its subdirectories), in file-name order.
    ///
    /// # Errors
    ///
    /// As [`add_file`](Self::add_file), for the first file that fails.
    pub fn add_dir(
        &mut self,
        dir: impl AsRef<Path>,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        let dir = dir.as_ref();
        let io = |e: std::io::Error| {
            SchemaError::new(SchemaErrorKind::Io, None, "", e.to_string())
                .in_file(&dir.display().to_string())
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let yaml =
                path.extension().is_some_and(|e| e == "yml" || e == "yaml");
            if yaml && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            self.add_file(path)?;
        }
        Ok(self)
    }

    /// Builds the registry, leaving the builder empty.
    pub fn build(&mut self) -> Registry {
        let mut types = std::mem::take(&mut self.types);
        types.sort_by(|a, b| a.schema.name.cmp(&b.schema.name));
        let index = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.schema.name.clone(), i))
            .collect();
        Registry { inner: Arc::new(Inner { types, index }) }
    }
}

/// One compiled log type: splits payloads and normalizes records.
#[derive(Debug)]
pub struct LogType {
    schema: Schema,
    limits: Limits,
}

impl LogType {
    /// The log type's name, like `Hex.Audit`.
    pub fn name(&self) -> &str {
        &self.schema.name
    }

    /// The schema's `description`.
    pub fn description(&self) -> Option<&str> {
        self.schema.description.as_deref()
    }

    /// The schema's `referenceURL`.
    pub fn reference_url(&self) -> Option<&str> {
        self.schema.reference_url.as_deref()
    }

    /// True for text log types (a schema with a `parser`), whose records
    /// are lines; false for JSON log types.
    pub fn is_text(&self) -> bool {
        self.schema.text.is_some()
    }

    /// The limits records of this type are held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Splits a payload into records the way this log type expects: for
    /// JSON types an array, NDJSON or concatenated values (pretty-printed
    /// or not: see [`Framing::Json`]); for text types lines, or syslog
    /// octet-counted frames when the payload starts with one (SPEC §2).
    ///
    /// ```
    /// let registry = lognorm::Registry::builtin();
    /// let wiz = registry.log_type("Wiz.Audit").unwrap();
    /// let records: Vec<_> = wiz.split(b"{\"a\":1}\n\n{\"b\":2}\n").collect();
    /// assert_eq!(records.len(), 2);
    /// assert_eq!(records[1].bytes(), b"{\"b\":2}");
    /// assert_eq!((records[1].number(), records[1].offset()), (2, 9));
    /// ```
    pub fn split<'p>(&self, payload: &'p [u8]) -> Split<'p> {
        split(payload, self.framing()).with_limit(self.limits.payload_bytes())
    }

    /// Splits input read from `reader` the way [`split`](Self::split)
    /// does, without holding it in memory: a [`SplitReader`] with this
    /// log type's framing and record limit ([`Limits::record_bytes`]).
    ///
    /// ```
    /// let registry = lognorm::Registry::builtin();
    /// let heroku = registry.log_type("Heroku.Runtime").unwrap();
    /// let body: &[u8] = b"9 <1>1 a\nb\n7 <2>1 c\n";
    /// let mut records = heroku.split_reader(body);
    /// assert_eq!(records.next_record()?.unwrap().bytes(), b"9 <1>1 a\nb");
    /// let second = records.next_record()?.unwrap();
    /// assert_eq!((second.number(), second.offset()), (2, 11));
    /// assert!(records.next_record()?.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn split_reader<R: std::io::Read>(&self, reader: R) -> SplitReader<R> {
        SplitReader::new(reader, self.framing())
            .max_record_bytes(self.limits.record_bytes())
    }

    /// How payloads of this log type are framed.
    fn framing(&self) -> Framing {
        if self.is_text() { Framing::Auto } else { Framing::Json }
    }

    /// Normalizes one record into an event, or says why it cannot.
    ///
    /// The event borrows `scratch` (its row is written there); the error
    /// carries the raw record. `ctx` gives the parse time, source id and
    /// label, and the next row id.
    ///
    /// # Errors
    ///
    /// A [`RecordError`] naming the record, the field path, what was
    /// expected and what was found.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::{Context, Registry, Scratch, Timestamp};
    ///
    /// let registry = Registry::builtin();
    /// let openai = registry.log_type("OpenAI.Audit").unwrap();
    /// let mut ctx = Context::new("2024-06-01T00:00:00Z".parse()?);
    /// let mut scratch = Scratch::new();
    /// let payload = br#"{"id":"a1","type":"login.succeeded","effective_at":1717200000,
    ///   "actor":{"type":"session","user":{"email":"ana@example.com"}}}"#;
    /// for record in openai.split(payload) {
    ///     let event = openai.normalize(record, &mut ctx, &mut scratch)?;
    ///     assert_eq!(event.event_time().to_string(), "2024-06-01 00:00:00.000000000");
    ///     assert!(event.row().starts_with(r#"{"id":"a1","type":"login.succeeded""#));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn normalize<'s>(
        &self,
        record: Record<'_>,
        ctx: &mut Context,
        scratch: &'s mut Scratch,
    ) -> Result<Event<'s>, RecordError> {
        let limits = &self.limits;
        let bytes = record.bytes();
        // Past the payload limit, or longer than a reader's limit.
        if let Some(e) = record.limit_error() {
            return Err(self.error(record, e));
        }
        if bytes.len() > limits.record_bytes() {
            return Err(self.error(
                record,
                FieldError::new(
                    K::Limit,
                    format!(
                        "a record of at most {} bytes",
                        limits.record_bytes()
                    ),
                    format!("{} bytes", bytes.len()),
                ),
            ));
        }
        scratch.prepare(self.schema.slots, limits);
        let result = match &self.schema.text {
            None => self.walk_json(bytes, scratch),
            Some(parser) => self.walk_text(parser, bytes, scratch),
        };
        // The event time, and where the row holds its text (none: the
        // parse time's).
        let (event_time, event_text) = match result {
            Ok(Some((t, at))) => (t, Some(at)),
            Ok(None) => (ctx.parse_time(), None),
            Err(e) => return Err(self.error(record, e)),
        };
        let Scratch { out, indicators, .. } = scratch;
        debug_assert!(event_text.is_none_or(|at| {
            out.get(at..at + crate::time::TEXT_LEN)
                == Some(&event_time.text()[..])
        }));
        indicators.finish();
        let empty = out.len() <= 1;
        let row_id = event::write_p_fields(
            out,
            empty,
            &self.schema.p_prefix,
            event_text,
            ctx,
            indicators,
        );
        Ok(Event::new(out, row_id, event_time, ctx.parse_time(), indicators))
    }

    #[cold]
    fn error(&self, record: Record<'_>, e: FieldError) -> RecordError {
        RecordError::new(&self.schema.name, record, e)
    }

    /// Parses a JSON record and writes its declared fields after `{`.
    /// Returns the event time, if an `isEventTime` field had a value.
    fn walk_json(
        &self,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Result<Option<(Timestamp, usize)>, FieldError> {
        let Scratch {
            input,
            buffers,
            tape,
            slots,
            hints,
            stack,
            out,
            indicators,
            literals,
            day,
            ..
        } = scratch;
        input.clear();
        input.extend_from_slice(bytes);
        input.resize(bytes.len() + simd_json::INPUT_PADDING, 0);
        // Where the tape's strings will point (see `Strings`).
        let base = input.as_ptr() as usize;
        let mut t: Tape<'_> =
            std::mem::replace(tape, Tape(Vec::new())).reset();
        let parsed =
            simd_json::fill_tape_padded(input, bytes.len(), buffers, &mut t);
        let result = match parsed {
            Err(e) => Err(crate::input::json::syntax_error(&e, bytes)),
            Ok(()) => {
                let mut w = Walker {
                    literals: Some(crate::walk::Literals {
                        record: bytes,
                        structurals: buffers.structural_indexes(),
                        map: literals,
                        built: false,
                    }),
                    out,
                    slots,
                    hints,
                    indicators,
                    stack,
                    day,
                    limits: &self.limits,
                    event_time: None,
                    fields_left: self.limits.record_fields(),
                    strings: Strings::Record { text: bytes, base },
                };
                root(&mut w, &self.schema, &t.0)
            }
        };
        *tape = t.reset();
        result
    }

    /// Matches a text record with the schema's parser, then walks the
    /// matched fields as a flat object of strings through the same plan
    /// as JSON.
    fn walk_text(
        &self,
        parser: &crate::input::text::fastmatch::Parser,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Result<Option<(Timestamp, usize)>, FieldError> {
        // simdutf8: a SIMD check, several times faster than std's on
        // lines of a few hundred bytes.
        let Ok(line) = simdutf8::basic::from_utf8(bytes) else {
            return Err(FieldError::new(
                K::Syntax,
                "a line of valid UTF-8",
                "invalid UTF-8".to_owned(),
            ));
        };
        let Scratch {
            slots, hints, stack, out, indicators, text, day, ..
        } = scratch;
        if !parser.parse(line, text) {
            return Err(FieldError::new(
                K::NoMatch,
                "a line matching one of the schema's patterns",
                crate::error::quote(line),
            ));
        }
        // The matched values are written straight from the line, in
        // schema order: each root field knows its parser field (mapped
        // when the schema was compiled), so no tape is built and no key
        // is looked up.
        let mut w = Walker {
            literals: None,
            out,
            slots,
            hints,
            indicators,
            stack,
            day,
            limits: &self.limits,
            event_time: None,
            fields_left: self.limits.record_fields(),
            strings: Strings::Unknown,
        };
        w.out.push(b'{');
        let sources = self.schema.text_sources.iter();
        let mut wrote = false;
        for (field, &source) in self.schema.root.fields.iter().zip(sources) {
            let value = text.get(line, source as usize);
            wrote |= w.text_field(field, value, wrote)?;
        }
        Ok(w.event_time.map(|(_, t, at)| (t, at)))
    }
}

/// Writes `{` and the root object's fields.
fn root(
    w: &mut Walker<'_>,
    schema: &Schema,
    tape: &[Node<'_>],
) -> Result<Option<(Timestamp, usize)>, FieldError> {
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
    w.out.push(b'{');
    w.fields(&schema.root, tape, 0)?;
    Ok(w.event_time.map(|(_, t, at)| (t, at)))
}
