//! Schema inference: a first draft of a Panther schema from sample logs.
//!
//! An [`Inferrer`] reads sample payloads (JSON records, csv rows or text
//! lines) and writes a Panther YAML schema that loads and normalizes
//! every sample it read (csv rows must be as wide as each other: the csv
//! parser fails a row of another width):
//!
//! - field types from what every sample holds: `bigint`, `float`,
//!   `boolean`, `string`, `timestamp` (RFC 3339 text, and numbers in the
//!   range of a Unix time, in seconds, milliseconds, microseconds or
//!   nanoseconds, in a field whose name says time), `object` and `array`
//!   recursively; conflicting types are widened to the narrowest type
//!   that holds them all (`bigint` and `float` give `float`; text and a
//!   number give `string`; an object and anything else give `json`);
//! - `required: true` for the fields present (not null) in every sample,
//!   and only for them;
//! - the most plausible event time marked `isEventTime`: a timestamp
//!   field present in every sample if there is one, by its name
//!   (`timestamp`, `time`, `eventTime`, ... before `createdAt`, before
//!   `updatedAt`);
//! - indicators proposed from the values, with a comment saying why: a
//!   string field whose every value is an IP address (`ip`), an email
//!   address (`email`), an ARN (`aws_arn`), an MD5, SHA-1 or SHA-256 hex
//!   digest, or a domain name (`domain`, or `hostname` when IPs and
//!   domain names mix).
//!
//! Fields are written in the order first seen, the members of one
//! object in name order.
//!
//! The work is bounded whatever the input: values nested deeper than
//! [`MAX_DEPTH`] levels are typed `json`, and past [`MAX_FIELDS`] fields
//! (all levels) new names are left out (the schema says how many). A
//! schema drops the fields it does not declare, so it still normalizes
//! every sample.
//!
//! # Example
//!
//! ```
//! use lognorm::infer::{Inferrer, SampleFormat};
//!
//! let mut inferrer = Inferrer::new(SampleFormat::Json);
//! inferrer.add(br#"
//! {"time": "2024-05-01T12:00:00Z", "user": "ana@example.com", "n": 1}
//! {"time": "2024-05-01T12:00:01Z", "user": "bob@example.com", "n": 2.5, "ok": true}
//! "#)?;
//! let yaml = inferrer.schema("Custom.Login")?;
//! assert_eq!(yaml, r#"# Inferred by lognorm from 2 samples: review the types, `required` and
//! ## the indicators before use.
//! schema: Custom.Login
//! fields:
//!   - name: "n"
//!     required: true
//!     type: float
//!   - name: "time"
//!     required: true
//!     type: timestamp
//!     timeFormats:
//!       - rfc3339
//!     isEventTime: true
//!   - name: "user"
//!     required: true
//!     type: string
//!     ## Proposed: every value seen is an email address.
//!     indicators:
//!       - email
//!   - name: "ok"
//!     type: boolean
//! "#);
//!
//! // The schema loads and normalizes the samples.
//! let registry = lognorm::Registry::builder().add_yaml("inferred.yml", &yaml)?.build();
//! assert!(registry.log_type("Custom.Login").is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use serde_json::Value;

use crate::indicators::{aws, hash, net};
use crate::input::split::{Framing, split};
use crate::schema::columns::{column_name, is_reserved_column};
use crate::time::Timestamp;

mod text;

/// Values nested deeper than this many objects and arrays are typed
/// `json` (a schema nests at most 16 levels).
pub const MAX_DEPTH: usize = 12;

/// The most fields an inferred schema declares, all levels together;
/// names first seen past it are left out.
pub const MAX_FIELDS: usize = 2_000;

/// Field names longer than this many bytes are left out.
const MAX_NAME_BYTES: usize = 256;

/// What the samples are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SampleFormat {
    /// JSON objects: one, an array of them, or NDJSON.
    Json,
    /// Comma-separated rows; the first row is taken for a header when it
    /// reads like one (names that are not numbers, times or addresses,
    /// all different).
    Csv,
    /// Text lines.
    Lines,
}

/// A sample that could not be read.
///
/// ```
/// use lognorm::infer::{Inferrer, SampleFormat};
///
/// let mut inferrer = Inferrer::new(SampleFormat::Json);
/// let err = inferrer.add(b"{\"a\":1}\n[1,2]\n").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "sample 2 (byte 8): expected a JSON object, found `[1,2]`"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InferError {
    message: String,
}

impl InferError {
    fn new(message: String) -> InferError {
        InferError { message }
    }

    fn sample(number: u64, offset: usize, what: &str) -> InferError {
        InferError::new(format!("sample {number} (byte {offset}): {what}"))
    }
}

impl fmt::Display for InferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InferError {}

/// Reads samples and writes the schema that holds them (see the
/// [module docs](self)).
#[derive(Clone, Debug)]
pub struct Inferrer {
    format: SampleFormat,
    /// The tree of fields: `nodes[0]` is the record.
    nodes: Vec<Node>,
    samples: u64,
    /// Members left out (past [`MAX_FIELDS`], too long, or a column name
    /// taken already), counted each time.
    left_out: u64,
    /// csv and lines: what the text samples hold.
    text: text::TextState,
}

/// What was seen of one field (or array element) across the samples.
#[derive(Clone, Debug, Default)]
struct Node {
    /// The kinds of value seen (the `SEEN_*` bits).
    seen: u16,
    /// Values that are not null.
    present: u64,
    /// Of those, `""` (absent for types other than `string` and `json`)
    /// and `[]` (absent for every type).
    empty_strings: u64,
    empty_arrays: u64,
    /// Objects seen here: the count the children's `required` is
    /// checked against.
    objects: u64,
    /// The smallest and largest number seen.
    min: f64,
    max: f64,
    /// The indicators every non-empty string value matched so far (the
    /// `IND_*` bits).
    indicators: u8,
    /// Non-empty strings seen.
    strings: u64,
    /// Members, in the order first seen: name, node.
    fields: Vec<(String, usize)>,
    /// The members' nodes by name.
    keys: HashMap<String, usize>,
    /// Column names taken by `fields` (a second key with the same column
    /// name would not load).
    columns: HashMap<String, usize>,
    /// Array elements.
    element: Option<usize>,
    /// Depth: 0 for the record.
    depth: usize,
}

const SEEN_BOOL: u16 = 1;
const SEEN_INT: u16 = 1 << 1;
const SEEN_FLOAT: u16 = 1 << 2;
const SEEN_STRING: u16 = 1 << 3;
const SEEN_RFC3339: u16 = 1 << 4;
const SEEN_OBJECT: u16 = 1 << 5;
const SEEN_ARRAY: u16 = 1 << 6;
const SEEN_EMPTY_STRING: u16 = 1 << 7;
/// Deeper than [`MAX_DEPTH`]: `json`.
const SEEN_DEEP: u16 = 1 << 8;
const SEEN_NULL: u16 = 1 << 9;
/// A string that reads as an integer, or as another number: numbers
/// and times accept quoted numbers.
const SEEN_INT_STRING: u16 = 1 << 10;
const SEEN_FLOAT_STRING: u16 = 1 << 11;

const IND_IP: u8 = 1;
const IND_EMAIL: u8 = 1 << 1;
const IND_DOMAIN: u8 = 1 << 2;
const IND_MD5: u8 = 1 << 3;
const IND_SHA1: u8 = 1 << 4;
const IND_SHA256: u8 = 1 << 5;
const IND_ARN: u8 = 1 << 6;
const IND_HOST: u8 = 1 << 7;

/// A field's type as written in the schema.
#[derive(Clone, Debug, PartialEq)]
enum Ty {
    Json,
    Object,
    Array(usize),
    String,
    Bigint,
    Float,
    Boolean,
    Timestamp(Vec<&'static str>),
}

impl Node {
    fn new(depth: usize) -> Node {
        Node {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            indicators: u8::MAX,
            depth,
            ..Node::default()
        }
    }
}

impl Inferrer {
    /// An inferrer for samples in `format`.
    pub fn new(format: SampleFormat) -> Inferrer {
        Inferrer {
            format,
            nodes: vec![Node::new(0)],
            samples: 0,
            left_out: 0,
            text: text::TextState::default(),
        }
    }

    /// How many samples (records) have been read; a csv header row (and
    /// its repeats, which the csv parser skips) is not one.
    pub fn samples(&self) -> u64 {
        if self.format == SampleFormat::Csv && text::has_header(self) {
            self.samples.saturating_sub(1 + self.text.repeats)
        } else {
            self.samples
        }
    }

    /// Reads the samples of one payload (a file's contents): JSON
    /// records (one object, an array of them, or NDJSON), csv rows or
    /// lines, as the format says.
    ///
    /// # Errors
    ///
    /// A JSON sample that is not an object (or not JSON): the error names
    /// the sample's number and byte offset in the payload. The samples
    /// before it have been read.
    pub fn add(&mut self, payload: &[u8]) -> Result<(), InferError> {
        match self.format {
            SampleFormat::Json => {
                let max = crate::Limits::new().record_bytes();
                for record in split(payload, Framing::Json) {
                    if record.bytes().len() > max {
                        return Err(InferError::sample(
                            record.number(),
                            record.offset(),
                            &format!(
                                "expected a record of at most {max} bytes, \
                                 found {} bytes",
                                record.bytes().len()
                            ),
                        ));
                    }
                    let value: Value = serde_json::from_slice(record.bytes())
                        .map_err(|e| {
                            InferError::sample(
                                record.number(),
                                record.offset(),
                                &format!("expected a JSON object: {e}"),
                            )
                        })?;
                    if !value.is_object() {
                        let text = value.to_string();
                        return Err(InferError::sample(
                            record.number(),
                            record.offset(),
                            &format!(
                                "expected a JSON object, found {}",
                                crate::error::quote(&text)
                            ),
                        ));
                    }
                    self.samples += 1;
                    self.add_value(&value);
                }
                Ok(())
            }
            SampleFormat::Csv | SampleFormat::Lines => {
                let n = text::TextState::add_to(self, self.format, payload);
                self.samples += n;
                Ok(())
            }
        }
    }

    /// Merges one record into the tree, without recursion: a stack of
    /// (node, value) pairs.
    fn add_value(&mut self, record: &Value) {
        let mut stack: Vec<(usize, &Value)> = vec![(0, record)];
        while let Some((id, value)) = stack.pop() {
            let depth = self.node(id).depth;
            if depth > MAX_DEPTH {
                let node = self.node_mut(id);
                if !value.is_null() {
                    node.seen |= SEEN_DEEP;
                    node.present += 1;
                }
                continue;
            }
            match value {
                Value::Null => self.node_mut(id).seen |= SEEN_NULL,
                Value::Bool(_) => self.scalar(id, SEEN_BOOL),
                Value::Number(n) => {
                    let bit = if n.is_i64() { SEEN_INT } else { SEEN_FLOAT };
                    self.number(id, bit, n.as_f64().unwrap_or(f64::NAN));
                }
                Value::String(s) => self.string(id, s),
                Value::Array(items) => {
                    let node = self.node_mut(id);
                    node.seen |= SEEN_ARRAY;
                    node.present += 1;
                    if items.is_empty() {
                        node.empty_arrays += 1;
                        continue;
                    }
                    let element = match self.node(id).element {
                        Some(e) => e,
                        None => {
                            let e = self.push_node(depth + 1);
                            self.node_mut(id).element = Some(e);
                            e
                        }
                    };
                    for item in items.iter().rev() {
                        stack.push((element, item));
                    }
                }
                Value::Object(members) => {
                    let node = self.node_mut(id);
                    node.seen |= SEEN_OBJECT;
                    node.present += 1;
                    node.objects += 1;
                    let mut children = Vec::with_capacity(members.len());
                    for (key, member) in members {
                        if let Some(child) = self.child(id, key) {
                            children.push((child, member));
                        }
                    }
                    stack.extend(children.into_iter().rev());
                }
            }
        }
    }

    // Node ids are made by `push_node` (the record's is 0), never read
    // from the input: indexing with them cannot fail.
    fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }

    fn node_mut(&mut self, id: usize) -> &mut Node {
        &mut self.nodes[id]
    }

    fn push_node(&mut self, depth: usize) -> usize {
        self.nodes.push(Node::new(depth));
        self.nodes.len() - 1
    }

    /// The node of member `key` of object node `id`, made when first
    /// seen; `None` when the name is left out.
    fn child(&mut self, id: usize, key: &str) -> Option<usize> {
        if let Some(c) = self.node(id).keys.get(key) {
            return Some(*c);
        }
        let column = column_name(key);
        let taken = self.node(id).columns.contains_key(&column);
        let reserved = id == 0 && is_reserved_column(&column);
        if key.is_empty()
            || key.len() > MAX_NAME_BYTES
            || taken
            || reserved
            || self.nodes.len() > MAX_FIELDS
        {
            self.left_out += 1;
            return None;
        }
        let depth = self.node(id).depth + 1;
        let child = self.push_node(depth);
        let node = self.node_mut(id);
        node.fields.push((key.to_owned(), child));
        node.keys.insert(key.to_owned(), child);
        node.columns.insert(column, child);
        Some(child)
    }

    fn number(&mut self, id: usize, bit: u16, value: f64) {
        self.scalar(id, bit);
        let node = self.node_mut(id);
        node.min = node.min.min(value);
        node.max = node.max.max(value);
    }

    fn scalar(&mut self, id: usize, bit: u16) {
        let node = self.node_mut(id);
        node.seen |= bit;
        node.present += 1;
    }

    fn string(&mut self, id: usize, s: &str) {
        let node = self.node_mut(id);
        node.present += 1;
        if s.is_empty() {
            node.seen |= SEEN_EMPTY_STRING;
            node.empty_strings += 1;
            return;
        }
        let number = if s.parse::<i64>().is_ok() {
            Some(SEEN_INT_STRING)
        } else {
            text::float(s).map(|_| SEEN_FLOAT_STRING)
        };
        node.seen |= match number {
            Some(bit) => bit,
            None if Timestamp::parse_rfc3339(s).is_some() => SEEN_RFC3339,
            None => SEEN_STRING,
        };
        if let Some(f) = text::float(s) {
            node.min = node.min.min(f);
            node.max = node.max.max(f);
        }
        node.strings += 1;
        node.indicators &= indicators_of(s.trim());
    }

    /// The schema: Panther YAML for the log type `name`, with a comment
    /// on top saying how many samples it was inferred from.
    ///
    /// # Errors
    ///
    /// When no sample was read, or (for JSON) the samples hold no field.
    pub fn schema(&self, name: &str) -> Result<String, InferError> {
        let samples = self.samples();
        if samples == 0 {
            return Err(InferError::new(
                "expected samples to infer a schema from, found none"
                    .to_owned(),
            ));
        }
        let mut out = format!(
            "# Inferred by lognorm from {} sample{}: review the types, \
             `required` and\n# the indicators before use.\n",
            samples,
            if samples == 1 { "" } else { "s" }
        );
        if self.left_out > 0 {
            let _ = writeln!(
                out,
                "# Fields were left out {} time{}: names empty, longer than \
                 {MAX_NAME_BYTES} bytes,\n# starting with `p_`, with a column \
                 name taken already, or past {MAX_FIELDS} fields.",
                self.left_out,
                if self.left_out == 1 { "" } else { "s" }
            );
        }
        let _ = writeln!(out, "schema: {name}");
        match self.format {
            SampleFormat::Json => {
                if self.node(0).fields.is_empty() {
                    return Err(InferError::new(
                        "expected samples with fields, found only empty \
                         objects"
                            .to_owned(),
                    ));
                }
                out.push_str("fields:\n");
                self.write_fields(&mut out);
            }
            SampleFormat::Csv | SampleFormat::Lines => {
                text::TextState::write(self, self.format, &mut out);
            }
        }
        Ok(out)
    }

    /// The type that holds every value seen at `id` whose name is
    /// `name`.
    fn ty(&self, id: usize, name: &str) -> Ty {
        let node = self.node(id);
        let seen = node.seen & !(SEEN_NULL | SEEN_EMPTY_STRING);
        const CONTAINERS: u16 = SEEN_OBJECT | SEEN_ARRAY | SEEN_DEEP;
        if seen & CONTAINERS != 0 {
            let empty_strings = node.seen & SEEN_EMPTY_STRING != 0;
            return match (seen, node.element) {
                (SEEN_OBJECT, _)
                    if !node.fields.is_empty() && !empty_strings =>
                {
                    Ty::Object
                }
                (SEEN_ARRAY, Some(e)) if !empty_strings => Ty::Array(e),
                _ => Ty::Json,
            };
        }
        if seen == 0 {
            // Only null (json), or only `""` (string).
            return if node.seen & SEEN_EMPTY_STRING != 0 {
                Ty::String
            } else {
                Ty::Json
            };
        }
        let numbers = seen & (SEEN_INT | SEEN_FLOAT);
        let quoted = seen & (SEEN_INT_STRING | SEEN_FLOAT_STRING);
        let unix = if (numbers | quoted) != 0 && time_name(name) {
            unix_format(node.min, node.max)
        } else {
            None
        };
        // Quoted numbers are numbers beside numbers or in a time field,
        // text otherwise (ids like `007` keep their digits).
        let mut seen = seen & !quoted;
        if quoted != 0 && (numbers != 0 || unix.is_some()) {
            if quoted & SEEN_INT_STRING != 0 {
                seen |= SEEN_INT;
            }
            if quoted & SEEN_FLOAT_STRING != 0 {
                seen |= SEEN_FLOAT;
            }
        } else if quoted != 0 {
            seen |= SEEN_STRING;
        }
        match (seen, unix) {
            (SEEN_BOOL, _) => Ty::Boolean,
            (SEEN_RFC3339, _) => Ty::Timestamp(vec!["rfc3339"]),
            (s, Some(unix))
                if s & !(SEEN_INT | SEEN_FLOAT | SEEN_RFC3339) == 0 =>
            {
                if s & SEEN_RFC3339 != 0 {
                    Ty::Timestamp(vec!["rfc3339", unix])
                } else {
                    Ty::Timestamp(vec![unix])
                }
            }
            (SEEN_INT, _) => Ty::Bigint,
            (s, _) if s & !(SEEN_INT | SEEN_FLOAT) == 0 => Ty::Float,
            _ => Ty::String,
        }
    }

    /// Whether field `id` of an object node with `objects` objects is in
    /// every one of them, with a value its type does not take as absent.
    fn required(&self, id: usize, ty: &Ty, parent_objects: u64) -> bool {
        let node = self.node(id);
        let absent = match ty {
            Ty::String | Ty::Json => node.empty_arrays,
            _ => node.empty_arrays + node.empty_strings,
        };
        parent_objects > 0
            && node.present.saturating_sub(absent) == parent_objects
    }

    /// The field that gets `isEventTime`: the most plausible timestamp
    /// outside arrays.
    fn event_time(&self) -> Option<usize> {
        let mut best: Option<(i64, usize)> = None;
        let mut stack = vec![(0usize, true)];
        while let Some((id, all_required)) = stack.pop() {
            let node = self.node(id);
            for (name, child) in &node.fields {
                let ty = self.ty(*child, name);
                let required =
                    all_required && self.required(*child, &ty, node.objects);
                match ty {
                    Ty::Timestamp(_) => {
                        let depth = i64::try_from(node.depth).unwrap_or(0);
                        let score = if required { 1000 } else { 0 }
                            + time_name_score(name)
                            - 10 * depth;
                        if best.is_none_or(|(s, _)| score > s) {
                            best = Some((score, *child));
                        }
                    }
                    Ty::Object => stack.push((*child, required)),
                    _ => {}
                }
            }
        }
        best.map(|(_, id)| id)
    }

    /// Writes the fields of the record, depth first, without recursion.
    fn write_fields(&self, out: &mut String) {
        let event_time = self.event_time();
        /// What to write next: a field of an object (its name, its
        /// parent's object count) or an array's element.
        enum Task<'a> {
            Field { id: usize, name: &'a str, objects: u64, indent: usize },
            Element { id: usize, indent: usize, name: &'a str },
        }
        let root = self.node(0);
        let mut stack: Vec<Task<'_>> = root
            .fields
            .iter()
            .rev()
            .map(|(name, id)| Task::Field {
                id: *id,
                name,
                objects: root.objects,
                indent: 2,
            })
            .collect();
        while let Some(task) = stack.pop() {
            let (id, name, indent) = match task {
                Task::Field { id, name, objects, indent } => {
                    let pad = " ".repeat(indent);
                    let _ =
                        writeln!(out, "{pad}- name: {}", yaml_string(name));
                    let ty = self.ty(id, name);
                    if self.required(id, &ty, objects) {
                        let _ = writeln!(out, "{pad}  required: true");
                    }
                    (id, name, indent + 2)
                }
                Task::Element { id, indent, name } => {
                    let _ = writeln!(out, "{}element:", " ".repeat(indent));
                    (id, name, indent + 2)
                }
            };
            let pad = " ".repeat(indent);
            let ty = self.ty(id, name);
            let node = self.node(id);
            match ty {
                Ty::Json => {
                    let _ = writeln!(out, "{pad}type: json");
                    if node.seen == SEEN_NULL {
                        let _ = writeln!(out, "{pad}# Only null was seen.");
                    }
                }
                Ty::Object => {
                    let _ = writeln!(out, "{pad}type: object\n{pad}fields:");
                    for (child_name, child) in node.fields.iter().rev() {
                        stack.push(Task::Field {
                            id: *child,
                            name: child_name,
                            objects: node.objects,
                            indent: indent + 2,
                        });
                    }
                }
                Ty::Array(element) => {
                    let _ = writeln!(out, "{pad}type: array");
                    stack.push(Task::Element { id: element, indent, name });
                }
                Ty::String => {
                    let _ = writeln!(out, "{pad}type: string");
                    if let Some((indicator, why)) = indicator(node) {
                        let _ = writeln!(
                            out,
                            "{pad}# Proposed: every value seen is {why}.\n\
                             {pad}indicators:\n{pad}  - {indicator}"
                        );
                    }
                }
                Ty::Bigint => {
                    let _ = writeln!(out, "{pad}type: bigint");
                }
                Ty::Float => {
                    let _ = writeln!(out, "{pad}type: float");
                }
                Ty::Boolean => {
                    let _ = writeln!(out, "{pad}type: boolean");
                }
                Ty::Timestamp(formats) => {
                    let _ = writeln!(
                        out,
                        "{pad}type: timestamp\n{pad}timeFormats:"
                    );
                    for f in formats {
                        let _ = writeln!(out, "{pad}  - {f}");
                    }
                    if event_time == Some(id) {
                        let _ = writeln!(out, "{pad}isEventTime: true");
                    }
                }
            }
        }
    }
}

/// `s` as a YAML double-quoted scalar: `"` and `\\` escaped, and every
/// character YAML does not print (controls, DEL, C1 controls, the byte
/// order mark, U+FFFE/U+FFFF) as an `\\x`, `\\u` or `\\U` escape.
fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        let code = u32::from(c);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            _ if matches!(
                code,
                0x20..=0x7e | 0x85 | 0xa0..=0xd7ff | 0xe000..=0xfefe
                    | 0xff00..=0xfffd | 0x1_0000..
            ) =>
            {
                out.push(c);
            }
            _ if code <= 0xff => {
                let _ = write!(out, "\\x{code:02X}");
            }
            _ if code <= 0xffff => {
                let _ = write!(out, "\\u{code:04X}");
            }
            _ => {
                let _ = write!(out, "\\U{code:08X}");
            }
        }
    }
    out.push('"');
    out
}

/// The indicators `s` matches (the `IND_*` bits).
fn indicators_of(s: &str) -> u8 {
    let mut bits = 0;
    let ip = net::is_ip(s);
    let domain = !ip && is_domain(s);
    if ip {
        bits |= IND_IP;
    }
    if domain {
        bits |= IND_DOMAIN;
    }
    if ip || domain {
        bits |= IND_HOST;
    }
    if !s.starts_with('@')
        && net::is_email(s)
        && is_domain(s.rsplit('@').next().unwrap_or(""))
    {
        bits |= IND_EMAIL;
    }
    if hash::is_hex(s, 32) {
        bits |= IND_MD5;
    }
    if hash::is_hex(s, 40) {
        bits |= IND_SHA1;
    }
    if hash::is_hex(s, 64) {
        bits |= IND_SHA256;
    }
    if aws::parse_arn(s).is_some() {
        bits |= IND_ARN;
    }
    bits
}

/// Whether `s` reads as a domain name: dot-separated labels of ASCII
/// letters, digits and `-`, a last label of letters, and either a
/// well-known last label or at least three labels (so `notes.txt` and
/// `v1.2` are not domains, `example.com` and `a.b.internal` are).
fn is_domain(s: &str) -> bool {
    const TLDS: &[&str] = &[
        "com",
        "net",
        "org",
        "io",
        "dev",
        "app",
        "cloud",
        "edu",
        "gov",
        "mil",
        "int",
        "co",
        "uk",
        "de",
        "fr",
        "jp",
        "cn",
        "ru",
        "br",
        "in",
        "au",
        "ca",
        "eu",
        "us",
        "ai",
        "me",
        "info",
        "biz",
        "example",
        "local",
        "internal",
        "test",
        "localhost",
    ];
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = s.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let Some(last) = labels.last() else { return false };
    labels.len() >= 2
        && labels.iter().all(label_ok)
        && last.len() >= 2
        && last.bytes().all(|b| b.is_ascii_alphabetic())
        && (labels.len() >= 3
            || TLDS.contains(&last.to_ascii_lowercase().as_str()))
}

/// The indicator proposed for a string node, and why.
fn indicator(node: &Node) -> Option<(&'static str, &'static str)> {
    if node.strings == 0 {
        return None;
    }
    let bits = node.indicators;
    [
        (IND_IP, "ip", "an IP address"),
        (IND_EMAIL, "email", "an email address"),
        (IND_ARN, "aws_arn", "an AWS ARN"),
        (IND_MD5, "md5", "32 hex digits (an MD5 digest)"),
        (IND_SHA1, "sha1", "40 hex digits (a SHA-1 digest)"),
        (IND_SHA256, "sha256", "64 hex digits (a SHA-256 digest)"),
        (IND_DOMAIN, "domain", "a domain name"),
        (IND_HOST, "hostname", "an IP address or a domain name"),
    ]
    .into_iter()
    .find(|(bit, _, _)| bits & bit != 0)
    .map(|(_, name, why)| (name, why))
}

/// Whether a field's name says it holds a time (so numbers in a Unix
/// time's range are read as one).
fn time_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("time")
        || lower.contains("date")
        || lower == "ts"
        || lower.ends_with("_ts")
        || lower.ends_with("_at")
        || name.ends_with("At")
}

/// How plausible an event time a field's name makes it.
fn time_name_score(name: &str) -> i64 {
    let lower = name.to_ascii_lowercase();
    let lower = lower.trim_start_matches('@');
    const EXACT: &[&str] = &[
        "timestamp",
        "time",
        "eventtime",
        "event_time",
        "eventtimestamp",
        "event_timestamp",
        "ts",
        "datetime",
        "date",
        "logtime",
        "log_time",
    ];
    if EXACT.contains(&lower) {
        100
    } else if ["updated", "modified", "expire", "end", "last", "finish"]
        .iter()
        .any(|w| lower.contains(w))
    {
        5
    } else if lower.contains("timestamp") || lower.ends_with("time") {
        80
    } else if ["created", "start", "received", "logged", "occurred"]
        .iter()
        .any(|w| lower.contains(w))
    {
        50
    } else {
        20
    }
}

/// The Unix time format whose range holds every number from `min` to
/// `max` (the years 2000 to 2100), if one does.
fn unix_format(min: f64, max: f64) -> Option<&'static str> {
    const FROM: f64 = 946_684_800.0; // 2000-01-01
    const TO: f64 = 4_102_444_800.0; // 2100-01-01
    let units: &[(f64, &str)] =
        &[(1.0, "unix"), (1e3, "unix_ms"), (1e6, "unix_us"), (1e9, "unix_ns")];
    units
        .iter()
        .find(|(scale, _)| min >= FROM * scale && max < TO * scale)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Context, Registry, Scratch};

    const HEAD: &str = "# the indicators before use.\nschema: Test.Inferred\n";

    /// The schema inferred from `payload`, less its first comment line;
    /// checked to load and to normalize every sample of `payload`.
    fn infer(format: SampleFormat, payload: &str) -> String {
        let mut inferrer = Inferrer::new(format);
        inferrer.add(payload.as_bytes()).unwrap();
        let yaml = inferrer.schema("Test.Inferred").unwrap();
        let registry = Registry::builder()
            .add_yaml("t.yml", &yaml)
            .unwrap_or_else(|e| panic!("{e}\n{yaml}"))
            .build();
        let log_type = registry.log_type("Test.Inferred").unwrap();
        let mut ctx = Context::new(Timestamp::MIN, [0; 6]);
        let mut scratch = Scratch::new();
        let mut n = 0;
        for record in log_type.split(payload.as_bytes()) {
            if let Err(e) = log_type.normalize(record, &mut ctx, &mut scratch)
            {
                panic!("{e}\n{yaml}");
            }
            n += 1;
        }
        assert_eq!(n, inferrer.samples());
        yaml.split_once('\n').unwrap().1.to_owned()
    }

    fn json(payload: &str) -> String {
        infer(SampleFormat::Json, payload)
    }

    #[test]
    fn conflicting_types_widen_to_the_narrowest_that_holds_them_all() {
        let yaml = json(
            r#"{"f": 1, "s": 1, "j": {"x": 1}, "b": true, "a": [1], "e": [], "n": null, "q": "7"}
               {"f": 2.5, "s": "x", "j": 2, "b": 0, "a": [2.5], "e": [], "n": null, "q": 8}"#,
        );
        assert_eq!(
            yaml,
            HEAD.to_owned()
                + r#"fields:
  - name: "a"
    required: true
    type: array
    element:
      type: float
  - name: "b"
    required: true
    type: string
  - name: "e"
    type: json
  - name: "f"
    required: true
    type: float
  - name: "j"
    required: true
    type: json
  - name: "n"
    type: json
    # Only null was seen.
  - name: "q"
    required: true
    type: bigint
  - name: "s"
    required: true
    type: string
"#
        );
    }

    #[test]
    fn required_only_when_present_in_every_sample() {
        let yaml = json(
            r#"{"all": "x", "some": 1, "nul": 1, "blank_num": 1, "blank_str": "a", "o": {"in": 1, "maybe": 1}}
               {"all": "", "nul": null, "blank_num": "", "blank_str": "", "o": {"in": 2}}"#,
        );
        assert_eq!(
            yaml,
            HEAD.to_owned()
                + r#"fields:
  - name: "all"
    required: true
    type: string
  - name: "blank_num"
    type: bigint
  - name: "blank_str"
    required: true
    type: string
  - name: "nul"
    type: bigint
  - name: "o"
    required: true
    type: object
    fields:
      - name: "in"
        required: true
        type: bigint
      - name: "maybe"
        type: bigint
  - name: "some"
    type: bigint
"#
        );
    }

    #[test]
    fn unix_times_are_numbers_in_range_in_fields_named_like_times() {
        let yaml = json(
            r#"{"created_at": 1700000000, "count": 1700000000, "ms_time": 1700000000000, "quoted_ts": "1700000000123", "mixed_date": "2024-01-01T00:00:00Z", "old_time": 12}
               {"created_at": 1700000001.5, "count": 1, "ms_time": 1700000000001, "quoted_ts": "1700000000124", "mixed_date": 1700000000, "old_time": 13}"#,
        );
        assert_eq!(
            yaml,
            HEAD.to_owned()
                + r#"fields:
  - name: "count"
    required: true
    type: bigint
  - name: "created_at"
    required: true
    type: timestamp
    timeFormats:
      - unix
  - name: "mixed_date"
    required: true
    type: timestamp
    timeFormats:
      - rfc3339
      - unix
  - name: "ms_time"
    required: true
    type: timestamp
    timeFormats:
      - unix_ms
    isEventTime: true
  - name: "old_time"
    required: true
    type: bigint
  - name: "quoted_ts"
    required: true
    type: timestamp
    timeFormats:
      - unix_ms
"#
        );
    }

    /// The first field of `yaml` marked `isEventTime`, by the name line
    /// above it.
    fn event_time(yaml: &str) -> &str {
        let lines: Vec<&str> = yaml.lines().collect();
        let at = lines.iter().position(|l| l.ends_with("isEventTime: true"));
        let at = at.unwrap();
        lines[..at].iter().rev().find(|l| l.contains("- name: ")).unwrap()
    }

    #[test]
    fn the_event_time_is_the_most_plausible_timestamp() {
        let t = "\"2024-01-01T00:00:00Z\"";
        let cases = [
            // A name of an event's time beats a creation time, which
            // beats an update time.
            (
                format!(r#"{{"updatedAt": {t}, "createdAt": {t}}}"#),
                "createdAt",
            ),
            (
                format!(r#"{{"createdAt": {t}, "timestamp": {t}}}"#),
                "timestamp",
            ),
            // Present in every sample beats the name.
            (
                format!(
                    r#"{{"timestamp": {t}, "x": {{"when": {t}}}}}{{"x": {{"when": {t}}}}}"#
                ),
                "when",
            ),
            // Shallower beats deeper, names equal.
            (format!(r#"{{"a": {{"time": {t}}}, "time": {t}}}"#), "time\""),
        ];
        for (payload, want) in cases {
            let yaml = json(&payload);
            assert!(event_time(&yaml).contains(want), "{payload}\n{yaml}");
        }
        let deep = json(&format!(r#"{{"a": {{"time": {t}}}, "time": {t}}}"#));
        assert_eq!(event_time(&deep), "  - name: \"time\"");
        // None in arrays.
        let yaml = json(&format!(r#"{{"times": [{t}]}}"#));
        assert!(!yaml.contains("isEventTime"), "{yaml}");
    }

    #[test]
    fn indicators_are_proposed_when_every_value_matches() {
        let yaml = json(
            r#"{"ip": "10.0.0.1", "v6": " ::1 ", "mail": "a@example.com", "dom": "api.example.com", "file": "notes.txt", "host": "10.0.0.1", "md5": "d41d8cd98f00b204e9800998ecf8427e", "sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709", "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "arn": "arn:aws:s3:::bucket", "mixed": "10.0.0.1", "ips": ["10.0.0.2"]}
               {"ip": "10.0.0.3", "dom": "example.org", "host": "example.net", "mixed": "not an address"}"#,
        );
        let proposed: Vec<String> = yaml
            .lines()
            .filter(|l| {
                l.contains("- name")
                    || l.contains("      - ")
                    || l.contains("Proposed")
            })
            .map(str::trim)
            .map(str::to_owned)
            .collect();
        assert_eq!(
            proposed,
            [
                r#"- name: "arn""#,
                "# Proposed: every value seen is an AWS ARN.",
                "- aws_arn",
                r#"- name: "dom""#,
                "# Proposed: every value seen is a domain name.",
                "- domain",
                r#"- name: "file""#,
                r#"- name: "host""#,
                "# Proposed: every value seen is an IP address or a domain name.",
                "- hostname",
                r#"- name: "ip""#,
                "# Proposed: every value seen is an IP address.",
                "- ip",
                r#"- name: "ips""#,
                "# Proposed: every value seen is an IP address.",
                "- ip",
                r#"- name: "mail""#,
                "# Proposed: every value seen is an email address.",
                "- email",
                r#"- name: "md5""#,
                "# Proposed: every value seen is 32 hex digits (an MD5 digest).",
                "- md5",
                r#"- name: "mixed""#,
                r#"- name: "sha1""#,
                "# Proposed: every value seen is 40 hex digits (a SHA-1 digest).",
                "- sha1",
                r#"- name: "sha256""#,
                "# Proposed: every value seen is 64 hex digits (a SHA-256 digest).",
                "- sha256",
                r#"- name: "v6""#,
                "# Proposed: every value seen is an IP address.",
                "- ip",
            ]
        );
    }

    #[test]
    fn hostile_depth_and_width_are_bounded() {
        // 100 levels: past MAX_DEPTH the value is `json`.
        let deep = "{\"a\":".repeat(100) + "1" + &"}".repeat(100);
        let yaml = json(&deep);
        assert_eq!(yaml.matches("type: object").count(), MAX_DEPTH);
        assert_eq!(yaml.matches("type: json").count(), 1);
        // Past serde_json's nesting limit: an error, not a stack overflow.
        let deeper = "{\"a\":".repeat(100_000) + &"}".repeat(100_000);
        let mut inferrer = Inferrer::new(SampleFormat::Json);
        let err = inferrer.add(deeper.as_bytes()).unwrap_err().to_string();
        assert!(err.starts_with("sample 1 (byte 0): expected a JSON object: recursion limit exceeded"), "{err}");
        // 5,000 keys: the first MAX_FIELDS are declared.
        let wide: Vec<String> =
            (0..5000).map(|i| format!("\"k{i}\":{i}")).collect();
        let yaml = json(&format!("{{{}}}", wide.join(",")));
        assert_eq!(yaml.matches("- name: ").count(), MAX_FIELDS);
        assert!(
            yaml.contains("# Fields were left out 3000 times"),
            "{}",
            &yaml[..300]
        );
        // Names the schema cannot take are left out: `p_` names, empty
        // ones, a second key of the same column name.
        let yaml =
            json(r#"{"p_log_type": 1, "": 2, "a.b": 3, "a_b": 4, "ok": 5}"#);
        assert_eq!(
            yaml,
            "# the indicators before use.\n\
             # Fields were left out 3 times: names empty, longer than 256 bytes,\n\
             # starting with `p_`, with a column name taken already, or past 2000 fields.\n\
             schema: Test.Inferred\nfields:\n  - name: \"a.b\"\n    required: true\n    \
             type: bigint\n  - name: \"ok\"\n    required: true\n    type: bigint\n"
        );
    }

    #[test]
    fn samples_that_are_not_json_objects_are_errors() {
        let mut inferrer = Inferrer::new(SampleFormat::Json);
        assert_eq!(
            inferrer.add(b"{\"a\":1}\n{\"a\":").unwrap_err().to_string(),
            "sample 2 (byte 8): expected a JSON object: EOF while parsing a \
             value at line 1 column 5"
        );
        assert_eq!(inferrer.samples(), 1);
        let empty = Inferrer::new(SampleFormat::Json);
        assert_eq!(
            empty.schema("Test.Inferred").unwrap_err().to_string(),
            "expected samples to infer a schema from, found none"
        );
        let mut only_empty = Inferrer::new(SampleFormat::Json);
        only_empty.add(b"{}").unwrap();
        assert_eq!(
            only_empty.schema("Test.Inferred").unwrap_err().to_string(),
            "expected samples with fields, found only empty objects"
        );
    }

    #[test]
    fn csv_with_a_header_names_its_fields() {
        let yaml = infer(
            SampleFormat::Csv,
            "time,user,count,note\n\
             2024-01-01T00:00:00Z,ana@example.com,3,\"a, \"\"quoted\"\"\nnote\"\n\
             2024-01-02T00:00:00Z,bob@example.com,,x\n",
        );
        assert_eq!(
            yaml,
            HEAD.to_owned()
                + r#"parser:
  csv:
    delimiter: ','
    hasHeader: true
    emptyValues: ['']
fields:
  - name: "time"
    required: true
    type: timestamp
    timeFormats:
      - rfc3339
    isEventTime: true
  - name: "user"
    required: true
    type: string
    # Proposed: every value seen is an email address.
    indicators:
      - email
  - name: "count"
    type: bigint
  - name: "note"
    required: true
    type: string
"#
        );
    }

    #[test]
    fn csv_without_a_header_numbers_its_columns() {
        let yaml = infer(
            SampleFormat::Csv,
            "1\t10.0.0.1\ttrue\n2.5\t10.0.0.2\tfalse\n",
        );
        assert_eq!(
            yaml,
            HEAD.to_owned()
                + r#"parser:
  csv:
    delimiter: "\t"
    columns:
      - column_1
      - column_2
      - column_3
    emptyValues: ['']
fields:
  - name: "column_1"
    required: true
    type: float
  - name: "column_2"
    required: true
    type: string
    # Proposed: every value seen is an IP address.
    indicators:
      - ip
  - name: "column_3"
    required: true
    type: boolean
"#
        );
    }

    #[test]
    fn csv_rows_as_lognorm_reads_them() {
        // A row equal to the header is a repeated header, not a sample;
        // a line of spaces is blank; a quoted line break is a value.
        let mut inferrer = Inferrer::new(SampleFormat::Csv);
        inferrer.add(b"user,n\nana,1\nuser,n\n   \n\"\n\",2\n").unwrap();
        assert_eq!(inferrer.samples(), 2);
        let yaml = inferrer.schema("Test.Inferred").unwrap();
        assert!(yaml.contains("hasHeader: true"), "{yaml}");
        assert!(
            yaml.contains(
                "  - name: \"n\"\n    required: true\n    type: bigint\n"
            ),
            "{yaml}"
        );
        // Without a header, the same rows are data.
        let yaml = infer(SampleFormat::Csv, "x,1\nx,1\n");
        assert!(yaml.contains("columns:"), "{yaml}");
        assert!(yaml.starts_with("# the indicators"), "{yaml}");
        let mut inferrer = Inferrer::new(SampleFormat::Csv);
        inferrer.add(b"x,1\nx,1\n").unwrap();
        assert_eq!(inferrer.samples(), 2);
    }

    #[test]
    fn names_yaml_does_not_print_are_escaped() {
        let name = "a\"b\\c\n\t\r\u{0}\u{7f}\u{85}\u{9f}\u{feff}\u{fffe}é😀";
        // U+0085 (next line) is printable in YAML, U+009F is not.
        assert_eq!(
            yaml_string(name),
            concat!(
                r#""a\"b\\c\n\t\r\x00\x7F"#,
                "\u{85}",
                r#"\x9F\uFEFF\uFFFEé😀""#
            )
        );
        // It reads back as the name.
        let payload = serde_json::json!({ name: 1, "ok": 2 }).to_string();
        let yaml = json(&payload);
        assert!(yaml.contains(&yaml_string(name)), "{yaml}");
    }

    #[test]
    fn lines_with_a_leading_time_get_a_timestamp() {
        let yaml = infer(
            SampleFormat::Lines,
            "2024-01-01T00:00:00Z started\n2024-01-01T00:00:01.5+02:00 done\n",
        );
        assert_eq!(
            yaml,
            HEAD.to_owned()
                + "parser:\n  fastmatch:\n    match:\n      - '%{timestamp} %{message}'\n\
                   fields:\n  - name: timestamp\n    required: true\n    type: timestamp\n    \
                   timeFormats:\n      - rfc3339\n    isEventTime: true\n  - name: message\n    \
                   required: true\n    type: string\n"
        );
        let yaml =
            infer(SampleFormat::Lines, "started\n2024-01-01T00:00:01Z done\n");
        assert_eq!(
            yaml,
            HEAD.to_owned()
                + "parser:\n  fastmatch:\n    match:\n      - '%{message}'\nfields:\n  \
                   - name: message\n    required: true\n    type: string\n"
        );
    }
}
