//! The registry of compiled log types.

use std::path::Path;
use std::sync::Arc;

use crate::context::Context;
use crate::error::{RecordError, SchemaError, SchemaErrorKind};
use crate::event::Event;
use crate::input::split::{Framing, Record, Split, split, split_csv};
use crate::input::stream::SplitReader;
use crate::limits::Limits;
use crate::schema::{self, Schema};
use crate::scratch::Scratch;
use crate::sink::json::JsonFormat;
use ahash::AHashMap;

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

    /// All log types, sorted by name, as a slice (for the classifier,
    /// which keeps positions in it).
    pub(crate) fn types(&self) -> &[LogType] {
        &self.inner.types
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
    on_duplicate: OnDuplicate,
    types: Vec<LogType>,
}

/// What a [`RegistryBuilder`] does with a schema whose log type was added
/// before (set with [`RegistryBuilder::on_duplicate`]).
///
/// ```
/// use lognorm::{OnDuplicate, Registry};
///
/// // My own Hex.Audit, in place of the shipped one.
/// let mine = "schema: Hex.Audit\nfields:\n  - name: id\n    type: string\n";
/// let registry = Registry::builder()
///     .add_builtin()?
///     .on_duplicate(OnDuplicate::Replace)
///     .add_yaml("Hex.Audit.yml", mine)?
///     .build();
/// assert_eq!(registry.log_types().count(), 7);
/// let hex = registry.log_type("Hex.Audit").unwrap();
/// let mut scratch = lognorm::Scratch::new();
/// let mut ctx = lognorm::Context::new("2024-01-01T00:00:00Z".parse()?, *b"node01");
/// let record = hex.split(br#"{"id":"a","event":{}}"#).next().unwrap();
/// let event = hex.normalize(record, &mut ctx, &mut scratch)?;
/// assert!(event.row().starts_with(r#"{"id":"a","p_log_type":"Hex.Audit""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OnDuplicate {
    /// Refuse it with a [`SchemaErrorKind::DuplicateLogType`] error (the
    /// default): two files that name one log type are usually a mistake.
    #[default]
    Error,
    /// Let it replace the earlier one: a user's own version of a shipped
    /// schema, say.
    Replace,
}

impl RegistryBuilder {
    /// Sets the limits for the schemas added after this call and for
    /// every record they normalize.
    pub fn limits(&mut self, limits: Limits) -> &mut RegistryBuilder {
        self.limits = limits;
        self
    }

    /// Sets what the schemas added after this call do when their log
    /// type was added before: refuse ([`OnDuplicate::Error`], the
    /// default) or replace it ([`OnDuplicate::Replace`]).
    pub fn on_duplicate(
        &mut self,
        policy: OnDuplicate,
    ) -> &mut RegistryBuilder {
        self.on_duplicate = policy;
        self
    }

    /// Adds the seven shipped log types.
    ///
    /// # Errors
    ///
    /// When a log type of the same name was added before (unless
    /// [`OnDuplicate::Replace`] is set).
    pub fn add_builtin(
        &mut self,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        for (file, yaml) in BUILTIN {
            self.add_yaml(file, yaml)?;
        }
        Ok(self)
    }

    /// Compiles a schema from YAML text; `file` names it in errors. The
    /// document names its log type (`schema: Custom.MyLogs`); for one
    /// that does not, use [`add_yaml_named`](Self::add_yaml_named).
    ///
    /// # Errors
    ///
    /// A [`SchemaError`] with the file, `line:column`, field path and what
    /// was expected, when the schema is not valid, or when a log type of
    /// the same name was added before (unless [`OnDuplicate::Replace`] is
    /// set).
    pub fn add_yaml(
        &mut self,
        file: &str,
        yaml: &str,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        self.add(file, yaml, None)
    }

    /// Compiles a schema from YAML text as the log type `name`, for a
    /// document without a `schema:` key (Panther's Console and its
    /// Terraform provider keep the name beside the spec). A document
    /// that has the key must name the same log type.
    ///
    /// # Errors
    ///
    /// As [`add_yaml`](Self::add_yaml); also when `name` does not follow
    /// Panther's rule for log type names, or differs from the document's
    /// `schema:`.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::Registry;
    ///
    /// let spec = "fields:\n  - name: level\n    type: string\n";
    /// let registry = Registry::builder()
    ///     .add_yaml_named("Custom.AppLogs", "app_logs.tf", spec)?
    ///     .build();
    /// assert!(registry.log_type("Custom.AppLogs").is_some());
    ///
    /// let err = Registry::builder().add_yaml("app.yml", spec).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "app.yml: schema: missing the log type's name: add `schema: \
    ///      Custom.MyLogs` to the document, or name it when adding it \
    ///      (`RegistryBuilder::add_yaml_named`)"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_yaml_named(
        &mut self,
        name: &str,
        file: &str,
        yaml: &str,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        self.add(file, yaml, Some(name))
    }

    fn add(
        &mut self,
        file: &str,
        yaml: &str,
        name: Option<&str>,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        let schema = schema::compile(yaml, &self.limits, name)
            .map_err(|e| e.in_file(file))?;
        let json = JsonFormat::new(&schema);
        let log_type = LogType { schema, json, limits: self.limits };
        let same = self.types.iter().position(|t| t.name() == log_type.name());
        match (same, self.on_duplicate) {
            (None, _) => self.types.push(log_type),
            (Some(i), OnDuplicate::Replace) => {
                if let Some(slot) = self.types.get_mut(i) {
                    *slot = log_type;
                }
            }
            (Some(_), OnDuplicate::Error) => {
                return Err(SchemaError::new(
                    SchemaErrorKind::DuplicateLogType,
                    None,
                    "schema",
                    format!(
                        "log type `{}` is already registered",
                        log_type.name()
                    ),
                )
                .in_file(file));
            }
        }
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
    /// As [`add_file`](Self::add_file), for the first file that fails;
    /// the files after it are not read. To load every good file and hear
    /// about every bad one, use [`add_dir_keep_going`](Self::add_dir_keep_going).
    pub fn add_dir(
        &mut self,
        dir: impl AsRef<Path>,
    ) -> Result<&mut RegistryBuilder, SchemaError> {
        for path in schema_files(dir.as_ref())? {
            self.add_file(path)?;
        }
        Ok(self)
    }

    /// Reads and compiles every `*.yml` and `*.yaml` file of a directory
    /// (not its subdirectories), in file-name order, adding every file
    /// that compiles and returning the errors of the others, in the same
    /// order (empty when all loaded).
    ///
    /// # Errors
    ///
    /// Only when the directory itself cannot be listed; nothing is added
    /// then.
    ///
    /// # Example
    ///
    /// ```
    /// use lognorm::Registry;
    ///
    /// let dir = std::env::temp_dir().join("lognorm-doc-keep-going");
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join("a.yml"), "schema: Custom.Good\nfields:\n  - name: a\n    type: string\n")?;
    /// std::fs::write(dir.join("b.yml"), "schema: Custom.Bad\nfields:\n  - name: a\n    type: strin\n")?;
    ///
    /// let mut builder = Registry::builder();
    /// let errors = builder.add_dir_keep_going(&dir)?;
    /// let registry = builder.build();
    /// assert!(registry.log_type("Custom.Good").is_some());
    /// assert_eq!(errors.len(), 1);
    /// assert!(errors[0].file().ends_with("b.yml"));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_dir_keep_going(
        &mut self,
        dir: impl AsRef<Path>,
    ) -> Result<Vec<SchemaError>, SchemaError> {
        let mut errors = Vec::new();
        for path in schema_files(dir.as_ref())? {
            if let Err(e) = self.add_file(path) {
                errors.push(e);
            }
        }
        Ok(errors)
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

/// The `*.yml` and `*.yaml` files of a directory, sorted.
fn schema_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, SchemaError> {
    let io = |e: std::io::Error| {
        SchemaError::new(SchemaErrorKind::Io, None, "", e.to_string())
            .in_file(&dir.display().to_string())
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let yaml = path.extension().is_some_and(|e| e == "yml" || e == "yaml");
        if yaml && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// One compiled log type: splits payloads and normalizes records.
#[derive(Debug)]
pub struct LogType {
    pub(crate) schema: Schema,
    /// The JSON rows' keys and `p_*` prefix.
    pub(crate) json: JsonFormat,
    pub(crate) limits: Limits,
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

    /// The compiled schema (for the schema test runner, which reads the
    /// declared types to compare values).
    pub(crate) fn plan(&self) -> &Schema {
        &self.schema
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
        let csv = self.schema.text.as_ref().and_then(|t| t.csv());
        let split = match csv {
            Some(p) => split_csv(payload, p.delimiter(), p.has_header()),
            None => split(payload, self.framing()),
        };
        let split = split.with_limit(self.limits.payload_bytes());
        if self.is_text() { split.checking_text() } else { split }
    }

    /// True for log types whose payloads must be split whole with
    /// [`split`](Self::split): csv log types, whose header row names the
    /// columns of every row and whose quoted fields may hold line breaks,
    /// which [`split_reader`](Self::split_reader) does not follow yet.
    ///
    /// ```
    /// let registry = lognorm::Registry::builtin();
    /// assert!(!registry.log_type("Heroku.Runtime").unwrap().splits_whole());
    /// ```
    pub fn splits_whole(&self) -> bool {
        self.schema.text.as_ref().is_some_and(|t| t.csv().is_some())
    }

    /// Splits input read from `reader` the way [`split`](Self::split)
    /// does, without holding it in memory: a [`SplitReader`] with this
    /// log type's framing and record limit ([`Limits::record_bytes`]).
    /// Not for csv log types ([`splits_whole`](Self::splits_whole)): it
    /// splits them into lines.
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
    /// let mut ctx = Context::new("2024-06-01T00:00:00Z".parse()?, *b"node01");
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
        crate::normalize::normalize(self, record, ctx, scratch)
    }
}
