//! `*Spec` -> [`Schema`]: every semantic check of a schema, each with the
//! location of the node at fault.

use std::fmt;

use ahash::AHashMap;

use super::yaml::{self, ElementSpec, FieldSpec, SchemaSpec, Spanned, at};
use super::{
    DiscoveryPlan, FieldPlan, IntKind, IpVersion, KeyIndex, Kind, ObjectPlan,
    Schema, Source, StringPlan, TimestampPlan, Transform, Validate, ValuePlan,
};
use crate::error::{Location, SchemaError, SchemaErrorKind as K, quote};
use crate::indicators::Indicator;
use crate::input::text::{TextKind, TextParser};
use crate::limits::Limits;
use crate::time::{TimeFormat, TimeFormatErrorKind};

use super::columns;

/// The type names, in the order error messages list them.
const TYPES: &str = "`string`, `int`, `smallint`, `bigint`, `float`, \
                     `boolean`, `timestamp`, `array`, `object`, `json`";

/// Loads and checks one schema document. `name` is the log type's name
/// when the caller gives it (a Console or Terraform spec has no
/// `schema:` key); a document that has the key must agree with it.
pub(crate) fn compile(
    src: &str,
    limits: &Limits,
    name: Option<&str>,
) -> Result<Schema, SchemaError> {
    if src.len() > limits.schema_bytes() {
        return Err(err(
            K::Limit,
            None,
            "",
            format!(
                "a schema of {} bytes, more than the limit of {} bytes",
                src.len(),
                limits.schema_bytes()
            ),
        ));
    }
    let spec = yaml::parse(src, limits)?;
    Compiler::new(limits).schema(spec, name)
}

/// Whether `name` follows Panther's rule for log type names,
/// `^[A-Z][A-Za-z0-9]+(\.[A-Z][A-Za-z0-9]+)*$`: dot-separated words of
/// ASCII letters and digits, each at least two characters long and
/// starting with an uppercase letter.
fn is_log_type_name(name: &str) -> bool {
    name.split('.').all(|word| {
        let mut bytes = word.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_uppercase())
            && bytes.len() >= 1
            && bytes.all(|b| b.is_ascii_alphanumeric())
    })
}

/// The log type's name: the document's `schema:`, or the caller's.
fn log_type_name(
    spec: &SchemaSpec,
    caller: Option<&str>,
) -> Result<String, SchemaError> {
    let (name, loc) = match (&spec.schema, caller) {
        (Some(node), Some(caller)) if node.value != caller => {
            return Err(err(
                K::InvalidValue,
                at(node),
                "schema",
                format!(
                    "the document names log type {}, but it was added as {}",
                    quote(&node.value),
                    quote(caller)
                ),
            ));
        }
        (Some(node), _) => (node.value.as_str(), at(node)),
        (None, Some(caller)) => (caller, None),
        (None, None) => {
            return Err(err(
                K::MissingKey,
                None,
                "schema",
                "missing the log type's name: add `schema: Custom.MyLogs` \
                 to the document, or name it when adding it \
                 (`RegistryBuilder::add_yaml_named`)",
            ));
        }
    };
    if name.trim().is_empty() {
        return Err(err(
            K::InvalidValue,
            loc,
            "schema",
            "expected a log type name like `Custom.MyLogs`, found an empty \
             string",
        ));
    }
    Ok(name.to_owned())
}

struct Compiler<'l> {
    limits: &'l Limits,
    slots: usize,
    fields: usize,
    event_times: u32,
    /// Every field's output column, by column id.
    columns: Vec<Box<str>>,
}

/// The keys of a field or an element that depend on its type, borrowed
/// from either spec struct.
struct ValueKeys<'a> {
    ty: &'a Spanned<String>,
    fields: Option<&'a Spanned<Vec<FieldSpec>>>,
    element: Option<&'a Spanned<Box<ElementSpec>>>,
    time_format: Option<&'a Spanned<String>>,
    time_formats: Option<&'a Spanned<Vec<Spanned<String>>>>,
    is_event_time: Option<&'a Spanned<bool>>,
    is_embedded_json: Option<&'a Spanned<bool>>,
    indicators: Option<&'a Spanned<Vec<Spanned<String>>>>,
    validate: Option<&'a Spanned<yaml::ValidateSpec>>,
}

impl<'a> ValueKeys<'a> {
    fn of_field(f: &'a FieldSpec) -> ValueKeys<'a> {
        ValueKeys {
            ty: &f.ty,
            fields: f.fields.as_ref(),
            element: f.element.as_ref(),
            time_format: f.time_format.as_ref(),
            time_formats: f.time_formats.as_ref(),
            is_event_time: f.is_event_time.as_ref(),
            is_embedded_json: f.is_embedded_json.as_ref(),
            indicators: f.indicators.as_ref(),
            validate: f.validate.as_ref(),
        }
    }

    fn of_element(e: &'a ElementSpec) -> ValueKeys<'a> {
        ValueKeys {
            ty: &e.ty,
            fields: e.fields.as_ref(),
            element: e.element.as_ref(),
            time_format: e.time_format.as_ref(),
            time_formats: e.time_formats.as_ref(),
            is_event_time: e.is_event_time.as_ref(),
            is_embedded_json: e.is_embedded_json.as_ref(),
            indicators: e.indicators.as_ref(),
            validate: e.validate.as_ref(),
        }
    }
}

fn err(
    kind: K,
    loc: Option<Location>,
    path: impl fmt::Display,
    msg: impl Into<String>,
) -> SchemaError {
    SchemaError::new(kind, loc, path.to_string(), msg)
}

/// Where a node is in the schema, as errors name it
/// (`fields[3].fields[0].type`). The compiler makes one per level on the
/// stack as it descends, and writes it out only for an error: formatting
/// every field's path up front cost more than checking the field.
#[derive(Clone, Copy)]
enum Path<'p> {
    /// A top-level key.
    Top(&'static str),
    /// A key of the node at the parent path.
    Key(&'p Path<'p>, &'static str),
    /// An item of the list at the parent path.
    Item(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    fn key(&'p self, key: &'static str) -> Path<'p> {
        Path::Key(self, key)
    }

    fn item(&'p self, i: usize) -> Path<'p> {
        Path::Item(self, i)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As deep as the schema, which the depth limit bounds.
        match *self {
            Path::Top(key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Item(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

impl<'l> Compiler<'l> {
    fn new(limits: &'l Limits) -> Compiler<'l> {
        Compiler {
            limits,
            slots: 0,
            fields: 0,
            event_times: 0,
            columns: Vec::new(),
        }
    }

    fn schema(
        mut self,
        spec: SchemaSpec,
        caller: Option<&str>,
    ) -> Result<Schema, SchemaError> {
        let name = log_type_name(&spec, caller)?;
        let name = name.as_str();
        if let Some(v) = &spec.version
            && v.value != 0
        {
            return Err(err(
                K::Unsupported,
                at(v),
                "version",
                format!("unsupported schema version {}, expected 0", v.value),
            ));
        }
        let text = match &spec.parser {
            None => None,
            Some(p) => {
                let names: Vec<&str> = spec
                    .fields
                    .value
                    .iter()
                    .map(|f| f.name.value.as_str())
                    .collect();
                Some(self.parser(p, &names)?)
            }
        };
        let root = self.object(&spec.fields, &Path::Top("fields"), 1)?;
        // Checked after the fields, so that a schema's other mistakes
        // are reported as they were before Panther's rule was enforced.
        if !is_log_type_name(name) {
            return Err(err(
                K::InvalidValue,
                spec.schema.as_ref().and_then(at),
                "schema",
                format!(
                    "invalid log type name {}: Panther requires \
                     `^[A-Z][A-Za-z0-9]+(\\.[A-Z][A-Za-z0-9]+)*$`, words of \
                     two or more letters and digits, each starting with an \
                     uppercase letter, joined by dots (`Custom.MyLogs`)",
                    quote(name)
                ),
            ));
        }
        if text.is_some() {
            text_transforms(&spec.fields.value)?;
        }
        // Parser field names are distinct, so each root field has at most
        // one source (its key: its name, or where `rename` reads it from).
        let text_sources = text.as_ref().map_or_else(Box::default, |p| {
            let names = p.field_names();
            spec.fields
                .value
                .iter()
                .map(|f| {
                    let key = input_key(f).unwrap_or_default();
                    names
                        .iter()
                        .position(|n| **n == *key)
                        .map_or(u32::MAX, |i| i as u32)
                })
                .collect()
        });
        let mut root = root;
        // Discovery reads undeclared keys of a JSON record's root object;
        // a text record has none.
        if spec.field_discovery_enabled == Some(true) && text.is_none() {
            let declared = root
                .fields
                .iter()
                .filter_map(|f| self.columns.get(f.column as usize).cloned())
                .collect();
            root.discovery = Some(Box::new(DiscoveryPlan { declared }));
        }
        Ok(Schema {
            text_sources,
            name: name.into(),
            description: spec.description.map(Into::into),
            reference_url: spec.reference_url.map(Into::into),
            root,
            slots: self.slots,
            columns: self.columns.into(),
            text,
        })
    }

    fn parser(
        &mut self,
        spec: &Spanned<yaml::ParserSpec>,
        fields: &[&str],
    ) -> Result<TextParser, SchemaError> {
        let p = &spec.value;
        if let Some(node) = &p.native {
            return Err(err(
                K::Unsupported,
                at(node),
                "parser.native",
                "`native` names Panther's built-in code for one of its \
                 managed log types, not a parser; a schema can only use \
                 `fastmatch`, `regex`, `csv`, `script` or no parser (JSON)",
            ));
        }
        if let Some(node) = &p.script {
            return Err(err(
                K::Unsupported,
                at(node),
                "parser.script",
                "the `script` parser is not supported by lognorm yet; \
                 supported: `fastmatch`, `regex`, `csv` (or no parser for \
                 JSON)",
            ));
        }
        let set = [p.fastmatch.is_some(), p.regex.is_some(), p.csv.is_some()];
        if set.iter().filter(|&&b| b).count() > 1 {
            return Err(err(
                K::Unsupported,
                at(spec),
                "parser",
                "expected exactly one parser key, found several",
            ));
        }
        if let Some(fm) = &p.fastmatch {
            let fm = &fm.value;
            let parser = compile_fastmatch(fm, self.limits)?;
            return Ok(TextParser {
                kind: TextKind::Fastmatch(parser),
                skip_prefix: fm.skip_prefix.as_deref().unwrap_or("").into(),
            });
        }
        if let Some(re) = &p.regex {
            let re = &re.value;
            let parser = compile_regex(re, self.limits)?;
            return Ok(TextParser {
                kind: TextKind::Regex(parser),
                skip_prefix: re.skip_prefix.as_deref().unwrap_or("").into(),
            });
        }
        if let Some(csv) = &p.csv {
            let parser = compile_csv(csv, fields)?;
            let csv = &csv.value;
            return Ok(TextParser {
                kind: TextKind::Csv(parser),
                skip_prefix: csv.skip_prefix.as_deref().unwrap_or("").into(),
            });
        }
        Err(err(
            K::MissingKey,
            at(spec),
            "parser",
            "expected exactly one parser key (`fastmatch`, `regex` or `csv`)",
        ))
    }

    /// Compiles the fields of one object. `depth` counts object and array
    /// levels from the root (1).
    fn object(
        &mut self,
        fields: &Spanned<Vec<FieldSpec>>,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<ObjectPlan, SchemaError> {
        if depth > self.limits.schema_depth() {
            return Err(err(
                K::Limit,
                at(fields),
                path,
                format!(
                    "fields nested deeper than {} levels",
                    self.limits.schema_depth()
                ),
            ));
        }
        if fields.value.is_empty() {
            return Err(err(
                K::MissingKey,
                at(fields),
                path,
                "expected at least one field, found an empty list",
            ));
        }
        self.fields += fields.value.len();
        if self.fields > self.limits.schema_fields() {
            return Err(err(
                K::Limit,
                at(fields),
                path,
                format!(
                    "more than {} fields in one schema",
                    self.limits.schema_fields()
                ),
            ));
        }
        // Reserve this object's slots before compiling children, so that
        // the object's own fields are contiguous; one cell more, so that
        // the key-order hints beside the slots (`Scratch::hints`) have
        // n + 1.
        let slot_base = self.slots;
        self.slots += fields.value.len() + 1;

        let n = fields.value.len();
        let columns: Vec<String> = fields
            .value
            .iter()
            .map(|f| columns::column_name(&f.name.value))
            .collect();
        let mut by_name: AHashMap<&str, usize> = AHashMap::with_capacity(n);
        let mut by_key: AHashMap<&str, usize> = AHashMap::with_capacity(n);
        let mut by_column: AHashMap<&str, usize> = AHashMap::with_capacity(n);
        let mut plans = Vec::with_capacity(n);
        for ((i, f), column) in fields.value.iter().enumerate().zip(&columns) {
            let fpath = path.item(i);
            let plan = self.field(f, column, &fpath, depth)?;
            if let Some(&first) = by_name.get(&*plan.name) {
                return Err(duplicate(
                    &fields.value[first],
                    f,
                    &fpath,
                    "field",
                    &plan.name,
                ));
            }
            if let Some(key) = input_key(f) {
                if let Some(&first) = by_key.get(key) {
                    return Err(duplicate(
                        &fields.value[first],
                        f,
                        &fpath,
                        "input key",
                        key,
                    ));
                }
                by_key.insert(key, i);
            }
            if let Some(&first) = by_column.get(column.as_str()) {
                return Err(duplicate(
                    &fields.value[first],
                    f,
                    &fpath,
                    "output column",
                    column,
                ));
            }
            by_name.insert(&f.name.value, i);
            by_column.insert(column, i);
            plans.push(plan);
        }
        let index = KeyIndex::with_gaps(
            fields.value.iter().map(|f| input_key(f).map(Into::into)),
        );
        let transforms = plans.iter().any(|f| f.transform.is_some());
        Ok(ObjectPlan {
            fields: plans.into(),
            index,
            slot_base,
            transforms,
            discovery: None,
        })
    }

    /// Compiles one field; `column` is its output column.
    fn field(
        &mut self,
        f: &FieldSpec,
        column: &str,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<FieldPlan, SchemaError> {
        let name = f.name.value.as_str();
        if name.is_empty() {
            return Err(err(
                K::InvalidValue,
                at(&f.name),
                path.key("name"),
                "expected a field name, found an empty string",
            ));
        }
        if depth == 1 && columns::is_reserved_column(column) {
            return Err(err(
                K::ReservedName,
                at(&f.name),
                path.key("name"),
                format!(
                    "field name {} collides with the `p_` fields lognorm \
                     adds to every event",
                    quote(name)
                ),
            ));
        }
        // Column ids in depth-first schema order: a field before the
        // fields inside it.
        let id = u32::try_from(self.columns.len()).unwrap_or(u32::MAX);
        self.columns.push(column.into());
        let value = self.value(&ValueKeys::of_field(f), path, depth)?;
        let transform = transform(f, &value, path)?;
        Ok(FieldPlan {
            name: name.into(),
            column: id,
            required: f.required,
            value,
            transform,
        })
    }

    fn value(
        &mut self,
        v: &ValueKeys<'_>,
        path: &Path<'_>,
        depth: usize,
    ) -> Result<ValuePlan, SchemaError> {
        let ty = v.ty.value.as_str();
        let misplaced = |key: &'static str, loc: Option<Location>| {
            err(
                K::Misplaced,
                loc,
                path.key(key),
                format!("`{key}` is not allowed on a field of type `{ty}`"),
            )
        };
        // Keys that belong to one type only.
        if ty != "object"
            && let Some(n) = v.fields
        {
            return Err(misplaced("fields", at(n)));
        }
        if ty != "array"
            && let Some(n) = v.element
        {
            return Err(misplaced("element", at(n)));
        }
        if ty != "timestamp" {
            if let Some(n) = v.time_format {
                return Err(misplaced("timeFormat", at(n)));
            }
            if let Some(n) = v.time_formats {
                return Err(misplaced("timeFormats", at(n)));
            }
            if let Some(n) = v.is_event_time {
                return Err(misplaced("isEventTime", at(n)));
            }
        }
        if ty != "string"
            && ty != "array"
            && let Some(n) = v.indicators
        {
            return Err(misplaced("indicators", at(n)));
        }
        if ty != "string"
            && let Some(n) = v.validate
        {
            return Err(misplaced("validate", at(n)));
        }
        let embedded_json = match v.is_embedded_json {
            Some(n) if n.value => {
                if !matches!(ty, "object" | "array" | "json") {
                    return Err(misplaced("isEmbeddedJSON", at(n)));
                }
                true
            }
            _ => false,
        };

        let kind = match ty {
            "string" => Kind::String(self.string(v, path)?),
            "int" => Kind::Int(IntKind::Int),
            "smallint" => Kind::Int(IntKind::Small),
            "bigint" => Kind::Int(IntKind::Big),
            "float" => Kind::Float,
            "boolean" => Kind::Boolean,
            "timestamp" => Kind::Timestamp(self.timestamp(v, path)?),
            "json" => Kind::Json,
            "object" => {
                let Some(fields) = v.fields else {
                    return Err(err(
                        K::MissingKey,
                        at(v.ty),
                        path,
                        "missing `fields` for a field of type `object`",
                    ));
                };
                Kind::Object(self.object(
                    fields,
                    &path.key("fields"),
                    depth + 1,
                )?)
            }
            "array" => {
                let Some(element) = v.element else {
                    return Err(err(
                        K::MissingKey,
                        at(v.ty),
                        path,
                        "missing `element` for a field of type `array`",
                    ));
                };
                if depth + 1 > self.limits.schema_depth() {
                    return Err(err(
                        K::Limit,
                        at(element),
                        path,
                        format!(
                            "fields nested deeper than {} levels",
                            self.limits.schema_depth()
                        ),
                    ));
                }
                let epath = path.key("element");
                let mut elem = self.value(
                    &ValueKeys::of_element(&element.value),
                    &epath,
                    depth + 1,
                )?;
                // `indicators` on the array apply to its string elements.
                if let Some(ind) = v.indicators {
                    let Kind::String(s) = &mut elem.kind else {
                        return Err(err(
                            K::Misplaced,
                            at(ind),
                            path.key("indicators"),
                            "`indicators` on an array need elements of \
                             type `string`",
                        ));
                    };
                    let mut all = s.indicators.to_vec();
                    for i in indicators(ind, path)? {
                        if !all.contains(&i) {
                            all.push(i);
                        }
                    }
                    s.indicators = all.into();
                }
                Kind::Array(Box::new(elem))
            }
            _ => {
                return Err(err(
                    K::UnknownType,
                    at(v.ty),
                    path.key("type"),
                    format!(
                        "unknown type {}, expected one of {TYPES}",
                        quote(ty)
                    ),
                ));
            }
        };
        Ok(ValuePlan { kind, embedded_json })
    }

    fn string(
        &mut self,
        v: &ValueKeys<'_>,
        path: &Path<'_>,
    ) -> Result<StringPlan, SchemaError> {
        let indicators = match v.indicators {
            Some(ind) => indicators(ind, path)?,
            None => Vec::new(),
        };
        let validate = match v.validate {
            Some(val) => Some(Box::new(validate(val, path)?)),
            None => None,
        };
        Ok(StringPlan::new(indicators.into(), validate))
    }

    fn timestamp(
        &mut self,
        v: &ValueKeys<'_>,
        path: &Path<'_>,
    ) -> Result<TimestampPlan, SchemaError> {
        let mut formats = Vec::new();
        if let Some(list) = v.time_formats {
            let lpath = path.key("timeFormats");
            for (i, f) in list.value.iter().enumerate() {
                formats.push(time_format(f, &lpath.item(i))?);
            }
        }
        if let Some(f) = v.time_format {
            formats.push(time_format(f, &path.key("timeFormat"))?);
        }
        if formats.is_empty() {
            // SPEC §4: a timestamp with no format accepts rfc3339.
            formats.push(TimeFormat::Rfc3339);
        }
        let event_rank = match v.is_event_time {
            Some(n) if n.value => {
                self.event_times += 1;
                Some(self.event_times)
            }
            _ => None,
        };
        Ok(TimestampPlan { formats: formats.into(), event_rank })
    }
}

fn time_format(
    node: &Spanned<String>,
    path: &Path<'_>,
) -> Result<TimeFormat, SchemaError> {
    TimeFormat::compile(&node.value).map_err(|e| {
        let msg = match e.kind() {
            TimeFormatErrorKind::UnknownFormat(_) => format!(
                "unknown time format {}, expected `rfc3339`, `unix`, \
                 `unix_ms`, `unix_us`, `unix_ns`, `cloudflare`, \
                 `layout=` and a Go layout, or a strftime pattern",
                quote(&node.value)
            ),
            _ => format!("time format {}: {e}", quote(&node.value)),
        };
        err(K::TimeFormat, at(node), path, msg)
    })
}

/// The key a field's value is read from in its object: `rename: {from}`,
/// else its name; `None` when a `copy`, `concat` or `split` gives the
/// value instead.
fn input_key(f: &FieldSpec) -> Option<&str> {
    if f.copy.is_some() || f.concat.is_some() || f.split.is_some() {
        return None;
    }
    Some(match &f.rename {
        Some(r) => r.value.from.value.as_str(),
        None => f.name.value.as_str(),
    })
}

/// A text log type's fields come from its parser by name: `copy`,
/// `concat` and `split` have no object to read from.
fn text_transforms(fields: &[FieldSpec]) -> Result<(), SchemaError> {
    for (i, f) in fields.iter().enumerate() {
        let derived = [
            ("copy", f.copy.as_ref().and_then(at)),
            ("concat", f.concat.as_ref().and_then(at)),
            ("split", f.split.as_ref().and_then(at)),
        ];
        for (key, loc) in derived {
            let present = match key {
                "copy" => f.copy.is_some(),
                "concat" => f.concat.is_some(),
                _ => f.split.is_some(),
            };
            if present {
                return Err(err(
                    K::Unsupported,
                    loc,
                    Path::Top("fields").item(i).key(key),
                    format!(
                        "the `{key}` transformation reads a JSON record's \
                         keys; a text log type's fields come from its \
                         parser (use `rename` or `mask`)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A path of keys, `a.b` read as key `a`, then its key `b`.
fn key_path(
    node: &Spanned<String>,
    path: &Path<'_>,
) -> Result<Box<[Box<str>]>, SchemaError> {
    let keys: Box<[Box<str>]> =
        node.value.split('.').map(Into::into).collect();
    if keys.iter().any(|k| k.is_empty()) {
        return Err(err(
            K::InvalidValue,
            at(node),
            path,
            format!(
                "expected a key or a path of keys joined by `.` (`user.id`), \
                 found {}",
                quote(&node.value)
            ),
        ));
    }
    Ok(keys)
}

/// Compiles a field's transformations (SPEC §10).
fn transform(
    f: &FieldSpec,
    value: &ValuePlan,
    path: &Path<'_>,
) -> Result<Option<Box<Transform>>, SchemaError> {
    let given: Vec<(&'static str, Option<Location>)> = [
        ("rename", f.rename.as_ref().map(at)),
        ("copy", f.copy.as_ref().map(at)),
        ("concat", f.concat.as_ref().map(at)),
        ("split", f.split.as_ref().map(at)),
    ]
    .into_iter()
    .filter_map(|(k, loc)| loc.map(|loc| (k, loc)))
    .collect();
    if let [(first, _), (second, loc), ..] = given.as_slice() {
        return Err(err(
            K::Misplaced,
            *loc,
            path.key(second),
            format!(
                "`{second}` and `{first}` on one field: a field's value \
                 comes from at most one of `rename`, `copy`, `concat`, \
                 `split`"
            ),
        ));
    }
    let type_name = value.kind.type_name();
    let string_only = |key: &'static str, loc: Option<Location>| {
        if matches!(value.kind, Kind::String(_)) {
            Ok(())
        } else {
            Err(err(
                K::Misplaced,
                loc,
                path.key(key),
                format!(
                    "`{key}` gives text, so it needs a field of type \
                     `string`, found `{type_name}`"
                ),
            ))
        }
    };
    let source = if let Some(r) = &f.rename {
        if r.value.from.value.is_empty() {
            return Err(err(
                K::InvalidValue,
                at(&r.value.from),
                path.key("rename").key("from"),
                "expected the key to read the field from, found an empty \
                 string",
            ));
        }
        None
    } else if let Some(c) = &f.copy {
        let copy = path.key("copy");
        let from = key_path(&c.value.from, &copy.key("from"))?;
        Some(Source::Copy(from))
    } else if let Some(c) = &f.concat {
        string_only("concat", at(c))?;
        let concat = path.key("concat");
        let cpath = concat.key("paths");
        if c.value.paths.value.is_empty() {
            return Err(err(
                K::MissingKey,
                at(&c.value.paths),
                cpath,
                "expected at least one path to concatenate, found an empty \
                 list",
            ));
        }
        let paths = c
            .value
            .paths
            .value
            .iter()
            .enumerate()
            .map(|(i, p)| key_path(p, &cpath.item(i)))
            .collect::<Result<_, _>>()?;
        Some(Source::Concat {
            paths,
            separator: c.value.separator.as_str().into(),
        })
    } else if let Some(sp) = &f.split {
        let spath = path.key("split");
        let from = key_path(&sp.value.from, &spath.key("from"))?;
        if sp.value.separator.value.is_empty() {
            return Err(err(
                K::InvalidValue,
                at(&sp.value.separator),
                spath.key("separator"),
                "expected a separator to split at, found an empty string",
            ));
        }
        Some(Source::Split {
            from,
            separator: sp.value.separator.value.as_str().into(),
            index: sp.value.index,
        })
    } else {
        None
    };
    let mask = match &f.mask {
        None => None,
        Some(m) => Some(mask(f, m, value, path)?),
    };
    if source.is_none() && mask.is_none() {
        // No transformation, or only `rename`, which the key index does.
        return Ok(None);
    }
    Ok(Some(Box::new(Transform {
        source: source.unwrap_or(Source::Key),
        mask,
    })))
}

/// `mask: {type: redact, to: TEXT}`.
fn mask(
    f: &FieldSpec,
    m: &Spanned<yaml::MaskSpec>,
    value: &ValuePlan,
    path: &Path<'_>,
) -> Result<Box<str>, SchemaError> {
    let mpath = path.key("mask");
    if m.value.ty.value != "redact" {
        return Err(err(
            K::Unsupported,
            at(&m.value.ty),
            mpath.key("type"),
            format!(
                "unsupported mask type {}, expected `redact`",
                quote(&m.value.ty.value)
            ),
        ));
    }
    if !matches!(value.kind, Kind::String(_)) {
        return Err(err(
            K::Misplaced,
            at(m),
            mpath,
            format!(
                "`mask` writes text, so it needs a field of type `string`, \
                 found `{}`",
                value.kind.type_name()
            ),
        ));
    }
    if let Some(ind) = &f.indicators {
        return Err(err(
            K::Misplaced,
            at(ind),
            path.key("indicators"),
            "`indicators` on a masked field would store in `p_any_*` the \
             value the mask hides",
        ));
    }
    let Some(to) = &m.value.to else {
        return Err(err(
            K::MissingKey,
            at(m),
            mpath,
            "missing `to`, the text that replaces the value (`to: \"****\"`)",
        ));
    };
    Ok(to.as_str().into())
}

fn duplicate(
    first: &FieldSpec,
    second: &FieldSpec,
    path: &Path<'_>,
    what: &str,
    name: &str,
) -> SchemaError {
    let first_at = match at(&first.name) {
        Some(loc) => format!(" (first at {loc})"),
        None => String::new(),
    };
    err(
        K::Duplicate,
        at(&second.name),
        path.key("name"),
        format!("duplicate {what} {}{first_at}", quote(name)),
    )
}

fn indicators(
    list: &Spanned<Vec<Spanned<String>>>,
    path: &Path<'_>,
) -> Result<Vec<Indicator>, SchemaError> {
    let mut out = Vec::with_capacity(list.value.len());
    for (i, name) in list.value.iter().enumerate() {
        let Some(ind) = Indicator::from_name(&name.value) else {
            let known: Vec<String> = Indicator::ALL
                .iter()
                .map(|i| format!("`{}`", i.name()))
                .collect();
            return Err(err(
                K::UnknownIndicator,
                at(name),
                path.key("indicators").item(i),
                format!(
                    "unknown indicator {}, expected one of {}",
                    quote(&name.value),
                    known.join(", ")
                ),
            ));
        };
        if !out.contains(&ind) {
            out.push(ind);
        }
    }
    Ok(out)
}

fn validate(
    v: &Spanned<yaml::ValidateSpec>,
    path: &Path<'_>,
) -> Result<Validate, SchemaError> {
    let ip_version = |node: &Spanned<String>, key: &'static str| match node
        .value
        .as_str()
    {
        "ipv4" => Ok(IpVersion::V4),
        "ipv6" => Ok(IpVersion::V6),
        "any" => Ok(IpVersion::Any),
        other => Err(err(
            K::InvalidValue,
            at(node),
            path.key("validate").key(key),
            format!(
                "unknown IP version {}, expected one of `ipv4`, \
                     `ipv6`, `any`",
                quote(other)
            ),
        )),
    };
    let list = |l: &Option<Vec<String>>| {
        l.as_ref().map(|l| l.iter().map(|s| s.as_str().into()).collect())
    };
    let spec = &v.value;
    Ok(Validate {
        allow: list(&spec.allow),
        deny: list(&spec.deny),
        ip: spec.ip.as_ref().map(|n| ip_version(n, "ip")).transpose()?,
        cidr: spec.cidr.as_ref().map(|n| ip_version(n, "cidr")).transpose()?,
    })
}

/// Compiles `parser: fastmatch:`. Every pattern field should be a
/// declared field; undeclared ones are dropped like undeclared JSON keys.
fn compile_fastmatch(
    fm: &yaml::FastmatchSpec,
    limits: &Limits,
) -> Result<crate::input::text::fastmatch::Parser, SchemaError> {
    if fm.patterns.value.is_empty() {
        return Err(err(
            K::MissingKey,
            at(&fm.patterns),
            "parser.fastmatch.match",
            "expected at least one pattern, found an empty list",
        ));
    }
    if fm.patterns.value.len() > limits.patterns() {
        return Err(err(
            K::Limit,
            at(&fm.patterns),
            "parser.fastmatch.match",
            format!(
                "{} patterns, more than the limit of {}",
                fm.patterns.value.len(),
                limits.patterns()
            ),
        ));
    }
    for (i, p) in fm.patterns.value.iter().enumerate() {
        if p.value.len() > limits.pattern_bytes() {
            return Err(err(
                K::Limit,
                at(p),
                format!("parser.fastmatch.match[{i}]"),
                format!(
                    "a pattern of {} bytes, more than the limit of {} bytes",
                    p.value.len(),
                    limits.pattern_bytes()
                ),
            ));
        }
    }
    let patterns: Vec<&str> =
        fm.patterns.value.iter().map(|p| p.value.as_str()).collect();
    let empty: Vec<&str> =
        fm.empty_values.iter().map(String::as_str).collect();
    let expand: Vec<(&str, &str)> = fm
        .expand_fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.value.as_str()))
        .collect();
    crate::input::text::fastmatch::Parser::compile(
        crate::input::text::fastmatch::ParserConfig {
            match_: &patterns,
            empty_values: &empty,
            trim_space: fm.trim_space,
            expand_fields: &expand,
        },
    )
    .map_err(|e| {
        let names: Vec<&String> = fm.expand_fields.keys().collect();
        let (loc, path, msg) = match (e.pattern_index(), e.expand_index()) {
            (Some(i), _) => (
                fm.patterns.value.get(i).and_then(at),
                format!("parser.fastmatch.match[{i}]"),
                e.pattern_error()
                    .map_or_else(|| e.to_string(), ToString::to_string),
            ),
            (None, Some(i)) => {
                let name = names.get(i).map_or("", |n| n.as_str());
                (
                    fm.expand_fields.get(name).and_then(at),
                    format!("parser.fastmatch.expandFields.{name}"),
                    e.to_string(),
                )
            }
            (None, None) => (
                at(&fm.patterns),
                "parser.fastmatch".to_owned(),
                e.to_string(),
            ),
        };
        err(K::Pattern, loc, &path, msg)
    })
}

/// The patterns of a `match` list, checked against the limits.
fn check_patterns(
    patterns: &Spanned<Vec<Spanned<String>>>,
    path: &str,
    limits: &Limits,
) -> Result<(), SchemaError> {
    if patterns.value.is_empty() {
        return Err(err(
            K::MissingKey,
            at(patterns),
            path,
            "expected at least one pattern, found an empty list",
        ));
    }
    if patterns.value.len() > limits.patterns() {
        return Err(err(
            K::Limit,
            at(patterns),
            path,
            format!(
                "{} patterns, more than the limit of {}",
                patterns.value.len(),
                limits.patterns()
            ),
        ));
    }
    for (i, p) in patterns.value.iter().enumerate() {
        if p.value.len() > limits.pattern_bytes() {
            return Err(err(
                K::Limit,
                at(p),
                format!("{path}[{i}]"),
                format!(
                    "a pattern of {} bytes, more than the limit of {} bytes",
                    p.value.len(),
                    limits.pattern_bytes()
                ),
            ));
        }
    }
    Ok(())
}

/// Compiles `parser: regex:`; an error in the pattern is reported at
/// the `match` part (or `patternDefinitions` entry) it is in.
fn compile_regex(
    re: &yaml::RegexSpec,
    limits: &Limits,
) -> Result<crate::input::text::regex::Parser, SchemaError> {
    use crate::input::text::regex::{Parser, Place, RegexConfig};
    check_patterns(&re.patterns, "parser.regex.match", limits)?;
    let parts: Vec<&str> =
        re.patterns.value.iter().map(|p| p.value.as_str()).collect();
    let defs: Vec<(&str, &str)> = re
        .pattern_definitions
        .iter()
        .map(|(k, v)| (k.as_str(), v.value.as_str()))
        .collect();
    let empty: Vec<&str> =
        re.empty_values.iter().map(String::as_str).collect();
    let expand: Vec<(&str, &str)> = re
        .expand_fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.value.as_str()))
        .collect();
    Parser::compile(RegexConfig {
        match_: &parts,
        pattern_definitions: &defs,
        empty_values: &empty,
        trim_space: re.trim_space,
        expand_fields: &expand,
    })
    .map_err(|e| match &e.place {
        Place::Match(offset) => {
            // The part holding `offset` of the joined parts.
            let mut start = 0;
            let mut found = (0, 0);
            for (i, p) in parts.iter().enumerate() {
                if *offset < start + p.len() || i + 1 == parts.len() {
                    found = (i, offset.saturating_sub(start));
                    break;
                }
                start += p.len();
            }
            let (i, local) = found;
            let msg = e
                .message
                .strip_prefix(&format!("position {offset}: "))
                .map_or_else(
                    || e.message.clone(),
                    |m| format!("position {local}: {m}"),
                );
            err(
                K::Pattern,
                re.patterns.value.get(i).and_then(at),
                format!("parser.regex.match[{i}]"),
                msg,
            )
        }
        Place::Definition(name) => err(
            K::Pattern,
            re.pattern_definitions.get(&**name).and_then(at),
            format!("parser.regex.patternDefinitions.{name}"),
            e.message.clone(),
        ),
        Place::Expand(i) => {
            let name = expand.get(*i).map_or("", |(n, _)| n);
            err(
                K::Pattern,
                re.expand_fields.get(name).and_then(at),
                format!("parser.regex.expandFields.{name}"),
                e.message.clone(),
            )
        }
    })
}

/// Compiles `parser: csv:`. `fields` are the schema's root field names,
/// which a header row may name.
fn compile_csv(
    spec: &Spanned<yaml::CsvSpec>,
    fields: &[&str],
) -> Result<crate::input::text::csv::Parser, SchemaError> {
    use crate::input::text::csv::{CsvConfig, Parser};
    let csv = &spec.value;
    let Some(d) = &csv.delimiter else {
        return Err(err(
            K::MissingKey,
            at(spec),
            "parser.csv.delimiter",
            "expected a `delimiter` (one character, like `,` or `\\t`)",
        ));
    };
    let delimiter = match d.value.as_bytes() {
        [b] if b.is_ascii() && !matches!(b, b'"' | b'\r' | b'\n') => *b,
        b"\\t" => b'\t',
        _ => {
            return Err(err(
                K::InvalidValue,
                at(d),
                "parser.csv.delimiter",
                format!(
                    "expected one ASCII character other than a quote or a \
                     line break (or `\\t`), found `{}`",
                    d.value.escape_debug()
                ),
            ));
        }
    };
    let columns: Option<Vec<&str>> = csv
        .columns
        .as_ref()
        .map(|c| c.value.iter().map(String::as_str).collect());
    if columns.is_none() && !csv.has_header {
        return Err(err(
            K::MissingKey,
            at(spec),
            "parser.csv.columns",
            "expected `columns` (the name of each column) or \
             `hasHeader: true`",
        ));
    }
    if let (Some(c), Some(node)) = (&columns, &csv.columns)
        && c.is_empty()
    {
        return Err(err(
            K::MissingKey,
            at(node),
            "parser.csv.columns",
            "expected at least one column, found an empty list",
        ));
    }
    let empty: Vec<&str> =
        csv.empty_values.iter().map(String::as_str).collect();
    let expand: Vec<(&str, &str)> = csv
        .expand_fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.value.as_str()))
        .collect();
    Parser::compile(CsvConfig {
        delimiter,
        has_header: csv.has_header,
        columns: columns.as_deref(),
        fields,
        empty_values: &empty,
        trim_space: csv.trim_space,
        expand_fields: &expand,
    })
    .map_err(|e| {
        let name = e
            .expand_index()
            .and_then(|i| expand.get(i))
            .map_or("", |(n, _)| n);
        err(
            K::Pattern,
            csv.expand_fields.get(name).and_then(at),
            format!("parser.csv.expandFields.{name}"),
            e.to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::compile;
    use crate::limits::Limits;

    /// The error `yaml` gives with `limits`, as `line:column: path:
    /// message`.
    fn error(yaml: &str, limits: &Limits) -> String {
        match compile(yaml, limits, None) {
            Ok(_) => panic!("compiled:\n{yaml}"),
            Err(e) => e.to_string(),
        }
    }

    /// Paths of errors that the `schemas-invalid` cases do not reach.
    #[test]
    fn errors_name_the_node() {
        let shallow = Limits::new().max_schema_depth(2);
        assert_eq!(
            error(
                "schema: A.B\nfields:\n  - name: a\n    type: object\n    \
                 fields:\n      - name: b\n        type: object\n        \
                 fields:\n          - name: c\n            type: int\n",
                &shallow
            ),
            "9:11: fields[0].fields[0].fields: fields nested deeper than 2 \
             levels"
        );
        assert_eq!(
            error(
                "schema: A.B\nfields:\n  - name: a\n    type: array\n    \
                 element:\n      type: array\n      element: {type: int}\n",
                &shallow
            ),
            "7:16: fields[0].element: fields nested deeper than 2 levels"
        );
        assert_eq!(
            error(
                "schema: A.B\nfields:\n  - {name: a, type: int}\n  - \
                 {name: b, type: int}\n",
                &Limits::new().max_schema_fields(1)
            ),
            "3:3: fields: more than 1 fields in one schema"
        );
        let limits = Limits::new();
        assert_eq!(
            error(
                "schema: A.B\nfields:\n  - name: a\n    type: array\n    \
                 indicators: [ip]\n    element: {type: int}\n",
                &limits
            ),
            "5:17: fields[0].indicators: `indicators` on an array need \
             elements of type `string`"
        );
        assert_eq!(
            error(
                "schema: A.B\nfields:\n  - name: a\n    type: array\n    \
                 element:\n      type: string\n      validate: {cidr: v5}\n",
                &limits
            ),
            "7:24: fields[0].element.validate.cidr: unknown IP version \
             `v5`, expected one of `ipv4`, `ipv6`, `any`"
        );
        assert_eq!(
            error(
                "schema: A.B\nfields:\n  - name: a\n    type: object\n    \
                 fields:\n      - {name: '', type: int}\n",
                &limits
            ),
            "6:16: fields[0].fields[0].name: expected a field name, found \
             an empty string"
        );
    }

    /// Panther's rule for log type names, against the regex it states.
    #[test]
    fn log_type_names_follow_panthers_rule() {
        use super::is_log_type_name;
        for good in [
            "Ab",
            "AWS.ALB",
            "Custom.SampleLog.V1",
            "Microsoft365.Audit.Exchange",
            "X9",
        ] {
            assert!(is_log_type_name(good), "{good}");
        }
        for bad in [
            "", "A", "A.B", "Ab.C", "ab.Cd", "Ab.", ".Ab", "Ab..Cd", "Ab_c",
            "Äb", "Ab Cd", " Ab",
        ] {
            assert!(!is_log_type_name(bad), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn log_type_names_match_the_regex(name in "[AaZz09._ ]{0,8}") {
            let rule = regex::Regex::new(
                r"^[A-Z][A-Za-z0-9]+(\.[A-Z][A-Za-z0-9]+)*$",
            )
            .unwrap();
            proptest::prop_assert_eq!(
                super::is_log_type_name(&name),
                rule.is_match(&name)
            );
        }
    }
}
