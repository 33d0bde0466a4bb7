//! The direct reader: schema YAML from the parser's events straight into
//! the `*Spec` structs, without serde.
//!
//! Reading through serde cost more than parsing the YAML itself (each
//! `Spanned` node goes through a synthesized map, each key through a
//! duplicate-key set, each event through several layers of peeking), so
//! this reader handles the YAML that schemas are written in: block or
//! flow mappings and sequences of plain, quoted or block scalars, in one
//! document. It asks the same parser (`granit-parser`, the one under
//! serde-saphyr) for the same events with the same options, counts them
//! against the same budget, and builds exactly what the serde reader
//! builds from them.
//!
//! It gives up (`None`) on anything else: a syntax error, an unknown,
//! missing or repeated key, a value of the wrong shape, an anchor, alias
//! or tag, an ignored (`IgnoredAny`) key, a scalar it does not resolve
//! exactly as serde-saphyr does (only plain `true`/`false` are booleans
//! here, only plain decimal digits are numbers), a budget overrun. The
//! caller then reads the document again with serde-saphyr, which stays
//! the one authority for every error message and every rarer form, so
//! giving up is always safe: it only costs time, and only on documents
//! that are invalid or unusual. The unit tests check that whenever this
//! reader succeeds, the serde reader builds the same structs, so a new
//! serde-saphyr that reads some form differently shows up there.
//!
//! The reader recurses once per nested mapping or sequence, and the
//! depth budget (checked on every start event) bounds that.

use std::borrow::Cow;
use std::collections::BTreeMap;

use granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};

use super::{
    ElementSpec, FastmatchSpec, FieldSpec, ParserSpec, SchemaSpec, Spanned,
    ValidateSpec,
};
use crate::error::Location;

/// Reads a schema document, or `None` when the serde reader must (see
/// the module docs). `budget` is the one the serde reader enforces.
pub(super) fn read(
    src: &str,
    budget: &serde_saphyr::Budget,
) -> Option<SchemaSpec> {
    let mut reader = Reader {
        parser: Parser::with_options(
            StrInput::new(src),
            parser_options(budget),
        ),
        budget: Budget {
            max_events: budget.max_events,
            max_nodes: budget.max_nodes,
            max_scalar_bytes: budget.max_total_scalar_bytes,
            max_depth: budget.max_depth,
        },
        events: 0,
        nodes: 0,
        scalar_bytes: 0,
        depth: 0,
    };
    reader.document()
}

/// Where a document first nests deeper than the budget's depth, if it
/// does: `Some(position)`. A loop over the events, no recursion; it stops
/// at a syntax error (`None`: the serde reader reports it, and cannot
/// have nested deeper than the budget before it).
///
/// The serde reader recurses a dozen frames per YAML level, so it only
/// gets documents this check has passed: a hostile document hundreds of
/// levels deep must not reach it at all (its recursion up to the budget
/// overflowed a 2 MiB thread stack in debug builds).
pub(super) fn too_deep(
    src: &str,
    budget: &serde_saphyr::Budget,
) -> Option<Option<Location>> {
    let mut parser =
        Parser::with_options(StrInput::new(src), parser_options(budget));
    let mut depth = 0usize;
    while let Some(Ok((event, span))) = parser.next_event() {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > budget.max_depth {
                    return Some(location(&span));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    None
}

/// The parser options serde-saphyr derives from its budget
/// (`Budget::parser_options`, private to it): the same limits give the
/// same events, or the same error.
fn parser_options(budget: &serde_saphyr::Budget) -> granit_parser::Options {
    let mut options = granit_parser::Options::default();
    options.simple_key_max_lookahead = budget.simple_key_max_lookahead;
    options.flow_nesting_limit = budget.flow_nesting_limit;
    // serde-saphyr lets the first container past its depth budget
    // through the parser, so that the budget reports it.
    options.block_nesting_limit =
        options.block_nesting_limit.max(budget.max_depth.saturating_add(1));
    // Comments are events only with serde-saphyr's `comments` feature,
    // which lognorm leaves off.
    options.emit_comments = false;
    options
}

/// The budget quantities a document without anchors and tags can reach.
struct Budget {
    max_events: usize,
    max_nodes: usize,
    max_scalar_bytes: usize,
    max_depth: usize,
}

/// An event of a node, with what the reader uses of it.
enum Ev<'a> {
    Scalar(Cow<'a, str>, ScalarStyle),
    SeqStart,
    SeqEnd,
    MapStart,
    MapEnd,
}

impl Ev<'_> {
    /// A YAML null, which serde-saphyr reads as `None` for an `Option`
    /// (and refuses as a string).
    fn is_null(&self) -> bool {
        matches!(self, Ev::Scalar(v, ScalarStyle::Plain) if null_text(v))
    }
}

/// The text of a plain scalar that is a YAML null: empty, `~`, or `null`
/// in any letter case.
fn null_text(v: &str) -> bool {
    v.is_empty() || v == "~" || v.eq_ignore_ascii_case("null")
}

struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    budget: Budget,
    /// What serde-saphyr's budget counts: every event, the nodes among
    /// them, the bytes of scalar values, the open containers.
    events: usize,
    nodes: usize,
    scalar_bytes: usize,
    depth: usize,
}

/// Stores the value of a key, or gives up when the key came before (the
/// serde reader reports the duplicate).
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

impl<'a> Reader<'a> {
    /// The next raw event, counted; `None` on a syntax error or a budget
    /// overrun.
    fn raw(&mut self) -> Option<(Event<'a>, Span)> {
        let (event, span) = self.parser.next_event()?.ok()?;
        self.events += 1;
        (self.events <= self.budget.max_events).then_some((event, span))
    }

    /// The next event of a node and where it starts; `None` for anything
    /// but a plain node event (anchors, aliases, tags, document and stream
    /// events) and on a budget overrun.
    fn next(&mut self) -> Option<(Ev<'a>, Option<Location>)> {
        let (event, span) = self.raw()?;
        let ev = match event {
            Event::Scalar(value, style, 0, None) => {
                self.scalar_bytes =
                    self.scalar_bytes.saturating_add(value.len());
                if self.scalar_bytes > self.budget.max_scalar_bytes {
                    return None;
                }
                self.node()?;
                Ev::Scalar(value, style)
            }
            Event::SequenceStart(_, 0, None) => {
                self.node()?;
                self.enter()?;
                Ev::SeqStart
            }
            Event::MappingStart(_, 0, None) => {
                self.node()?;
                self.enter()?;
                Ev::MapStart
            }
            Event::SequenceEnd => {
                self.depth = self.depth.saturating_sub(1);
                Ev::SeqEnd
            }
            Event::MappingEnd => {
                self.depth = self.depth.saturating_sub(1);
                Ev::MapEnd
            }
            _ => return None,
        };
        Some((ev, location(&span)))
    }

    fn node(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.budget.max_nodes).then_some(())
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= self.budget.max_depth).then_some(())
    }

    /// The whole stream: one document holding a schema mapping.
    fn document(&mut self) -> Option<SchemaSpec> {
        let Event::StreamStart = self.raw()?.0 else { return None };
        let Event::DocumentStart(..) = self.raw()?.0 else { return None };
        let (root, _) = self.next()?;
        let spec = self.schema(root)?;
        let Event::DocumentEnd = self.raw()?.0 else { return None };
        let Event::StreamEnd = self.raw()?.0 else { return None };
        Some(spec)
    }

    /// Calls `entry` with each key of a mapping that starts with `first`,
    /// the first event of the key's value and where the value starts.
    /// Keys are plain scalars (serde-saphyr matches quoted keys too, and
    /// treats a plain `<<` as a merge: the serde reader handles both).
    fn entries(
        &mut self,
        first: Ev<'a>,
        mut entry: impl FnMut(
            &mut Self,
            &str,
            Ev<'a>,
            Option<Location>,
        ) -> Option<()>,
    ) -> Option<()> {
        let Ev::MapStart = first else { return None };
        loop {
            let key = match self.next()?.0 {
                Ev::MapEnd => return Some(()),
                Ev::Scalar(key, ScalarStyle::Plain) if key != "<<" => key,
                _ => return None,
            };
            let (value, at) = self.next()?;
            entry(self, &key, value, at)?;
        }
    }

    /// The items of a sequence that starts with `first`.
    fn list<T>(
        &mut self,
        first: Ev<'a>,
        mut item: impl FnMut(&mut Self, Ev<'a>, Option<Location>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Ev::SeqStart = first else { return None };
        let mut out = Vec::new();
        loop {
            match self.next()? {
                (Ev::SeqEnd, _) => return Some(out),
                (ev, at) => out.push(item(self, ev, at)?),
            }
        }
    }

    /// An `Option<T>`: `None` for a YAML null.
    fn optional<T>(
        &mut self,
        ev: Ev<'a>,
        read: impl FnOnce(&mut Self, Ev<'a>) -> Option<T>,
    ) -> Option<Option<T>> {
        if ev.is_null() { Some(None) } else { read(self, ev).map(Some) }
    }

    /// An `Option<Spanned<T>>` at `at`: `None` for a YAML null.
    fn optional_at<T>(
        &mut self,
        ev: Ev<'a>,
        at: Option<Location>,
        read: impl FnOnce(&mut Self, Ev<'a>) -> Option<T>,
    ) -> Option<Option<Spanned<T>>> {
        self.optional(ev, |r, ev| Some(Spanned { value: read(r, ev)?, at }))
    }

    /// A string: any scalar but a YAML null, as written (after the
    /// parser's unescaping and folding).
    fn string(&mut self, ev: Ev<'a>) -> Option<String> {
        match ev {
            Ev::Scalar(..) if ev.is_null() => None,
            Ev::Scalar(v, _) => Some(v.into_owned()),
            _ => None,
        }
    }

    fn spanned_string(
        &mut self,
        ev: Ev<'a>,
        at: Option<Location>,
    ) -> Option<Spanned<String>> {
        Some(Spanned { value: self.string(ev)?, at })
    }

    /// A boolean, when it is plain `true` or `false` in any letter case,
    /// as serde-saphyr reads them (its other YAML 1.1 spellings, such as
    /// `yes`, are left to it).
    fn boolean(&mut self, ev: Ev<'a>) -> Option<bool> {
        match ev {
            Ev::Scalar(v, ScalarStyle::Plain) => {
                if v.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if v.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// A `u32`, when it is plain decimal digits without a redundant
    /// leading zero.
    fn number(&mut self, ev: Ev<'a>) -> Option<u32> {
        match ev {
            Ev::Scalar(v, ScalarStyle::Plain)
                if v.bytes().all(|b| b.is_ascii_digit())
                    && (v.len() == 1 || !v.starts_with('0')) =>
            {
                v.parse().ok()
            }
            _ => None,
        }
    }

    fn strings(&mut self, ev: Ev<'a>) -> Option<Vec<String>> {
        self.list(ev, |r, ev, _| r.string(ev))
    }

    fn spanned_strings(&mut self, ev: Ev<'a>) -> Option<Vec<Spanned<String>>> {
        self.list(ev, Self::spanned_string)
    }

    fn schema(&mut self, ev: Ev<'a>) -> Option<SchemaSpec> {
        let mut schema = None;
        let mut version = None;
        let mut description = None;
        let mut reference_url = None;
        let mut field_discovery_enabled = None;
        let mut parser = None;
        let mut fields = None;
        self.entries(ev, |r, key, ev, at| match key {
            "schema" => set(&mut schema, r.spanned_string(ev, at)?),
            "version" => {
                set(&mut version, r.optional_at(ev, at, Self::number)?)
            }
            "description" => {
                set(&mut description, r.optional(ev, Self::string)?)
            }
            "referenceURL" => {
                set(&mut reference_url, r.optional(ev, Self::string)?)
            }
            "fieldDiscoveryEnabled" => set(
                &mut field_discovery_enabled,
                r.optional(ev, Self::boolean)?,
            ),
            "parser" => set(&mut parser, r.optional_at(ev, at, Self::parser)?),
            "fields" => set(&mut fields, Spanned { value: r.fields(ev)?, at }),
            _ => None,
        })?;
        Some(SchemaSpec {
            schema,
            version: version.flatten(),
            description: description.flatten(),
            reference_url: reference_url.flatten(),
            field_discovery_enabled: field_discovery_enabled.flatten(),
            parser: parser.flatten(),
            fields: fields?,
        })
    }

    /// `parser:`; only `fastmatch` (the others are ignored values, which
    /// compile rejects anyway).
    fn parser(&mut self, ev: Ev<'a>) -> Option<ParserSpec> {
        let mut fastmatch = None;
        self.entries(ev, |r, key, ev, at| match key {
            "fastmatch" => {
                set(&mut fastmatch, r.optional_at(ev, at, Self::fastmatch)?)
            }
            _ => None,
        })?;
        Some(ParserSpec {
            fastmatch: fastmatch.flatten(),
            regex: None,
            csv: None,
            script: None,
            native: None,
        })
    }

    fn fastmatch(&mut self, ev: Ev<'a>) -> Option<FastmatchSpec> {
        let mut patterns = None;
        let mut empty_values = None;
        let mut trim_space = None;
        let mut expand_fields = None;
        self.entries(ev, |r, key, ev, at| match key {
            "match" => set(
                &mut patterns,
                Spanned { value: r.spanned_strings(ev)?, at },
            ),
            "emptyValues" => set(&mut empty_values, r.strings(ev)?),
            "trimSpace" => set(&mut trim_space, r.boolean(ev)?),
            "expandFields" => set(&mut expand_fields, r.string_map(ev)?),
            _ => None,
        })?;
        Some(FastmatchSpec {
            patterns: patterns?,
            empty_values: empty_values.unwrap_or_default(),
            trim_space: trim_space.unwrap_or_default(),
            expand_fields: expand_fields.unwrap_or_default(),
            skip_prefix: None,
        })
    }

    /// A map of strings; its keys are read as struct keys are (plain, no
    /// `<<`) and must not be null.
    fn string_map(
        &mut self,
        ev: Ev<'a>,
    ) -> Option<BTreeMap<String, Spanned<String>>> {
        let mut map = BTreeMap::new();
        self.entries(ev, |r, key, ev, at| {
            if null_text(key) || map.contains_key(key) {
                return None;
            }
            map.insert(key.to_owned(), r.spanned_string(ev, at)?);
            Some(())
        })?;
        Some(map)
    }

    fn fields(&mut self, ev: Ev<'a>) -> Option<Vec<FieldSpec>> {
        self.list(ev, |r, ev, _| r.field(ev))
    }

    fn field(&mut self, ev: Ev<'a>) -> Option<FieldSpec> {
        let mut name = None;
        let mut required = None;
        let mut description = None;
        let mut value = ValueSlots::default();
        self.entries(ev, |r, key, ev, at| match key {
            "name" => set(&mut name, r.spanned_string(ev, at)?),
            "required" => set(&mut required, r.boolean(ev)?),
            "description" => {
                set(&mut description, r.optional(ev, Self::string)?)
            }
            // `copy`, `rename`, `concat`, `split`, `mask` are ignored
            // values here: compile rejects them.
            _ => r.value_key(&mut value, key, ev, at),
        })?;
        Some(FieldSpec {
            name: name?,
            required: required.unwrap_or_default(),
            description: description.flatten(),
            ty: value.ty?,
            fields: value.fields.flatten(),
            element: value.element.flatten(),
            time_format: value.time_format.flatten(),
            time_formats: value.time_formats.flatten(),
            is_event_time: value.is_event_time.flatten(),
            is_embedded_json: value.is_embedded_json.flatten(),
            indicators: value.indicators.flatten(),
            validate: value.validate.flatten(),
            copy: None,
            rename: None,
            concat: None,
            split: None,
            mask: None,
        })
    }

    fn element(&mut self, ev: Ev<'a>) -> Option<ElementSpec> {
        let mut description = None;
        let mut value = ValueSlots::default();
        self.entries(ev, |r, key, ev, at| match key {
            "description" => {
                set(&mut description, r.optional(ev, Self::string)?)
            }
            _ => r.value_key(&mut value, key, ev, at),
        })?;
        Some(ElementSpec {
            ty: value.ty?,
            description: description.flatten(),
            fields: value.fields.flatten(),
            element: value.element.flatten(),
            time_format: value.time_format.flatten(),
            time_formats: value.time_formats.flatten(),
            is_event_time: value.is_event_time.flatten(),
            is_embedded_json: value.is_embedded_json.flatten(),
            indicators: value.indicators.flatten(),
            validate: value.validate.flatten(),
        })
    }

    /// A key that fields and elements share.
    fn value_key(
        &mut self,
        slots: &mut ValueSlots,
        key: &str,
        ev: Ev<'a>,
        at: Option<Location>,
    ) -> Option<()> {
        match key {
            "type" => set(&mut slots.ty, self.spanned_string(ev, at)?),
            "fields" => {
                set(&mut slots.fields, self.optional_at(ev, at, Self::fields)?)
            }
            "element" => set(
                &mut slots.element,
                self.optional_at(ev, at, |r, ev| r.element(ev).map(Box::new))?,
            ),
            "timeFormat" => set(
                &mut slots.time_format,
                self.optional_at(ev, at, Self::string)?,
            ),
            "timeFormats" => set(
                &mut slots.time_formats,
                self.optional_at(ev, at, Self::spanned_strings)?,
            ),
            "isEventTime" => set(
                &mut slots.is_event_time,
                self.optional_at(ev, at, Self::boolean)?,
            ),
            "isEmbeddedJSON" => set(
                &mut slots.is_embedded_json,
                self.optional_at(ev, at, Self::boolean)?,
            ),
            "indicators" => set(
                &mut slots.indicators,
                self.optional_at(ev, at, Self::spanned_strings)?,
            ),
            "validate" => set(
                &mut slots.validate,
                self.optional_at(ev, at, Self::validate)?,
            ),
            _ => None,
        }
    }

    fn validate(&mut self, ev: Ev<'a>) -> Option<ValidateSpec> {
        let mut allow = None;
        let mut deny = None;
        let mut ip = None;
        let mut cidr = None;
        self.entries(ev, |r, key, ev, at| match key {
            "allow" => set(&mut allow, r.optional(ev, Self::strings)?),
            "deny" => set(&mut deny, r.optional(ev, Self::strings)?),
            "ip" => set(&mut ip, r.optional_at(ev, at, Self::string)?),
            "cidr" => set(&mut cidr, r.optional_at(ev, at, Self::string)?),
            _ => None,
        })?;
        Some(ValidateSpec {
            allow: allow.flatten(),
            deny: deny.flatten(),
            ip: ip.flatten(),
            cidr: cidr.flatten(),
        })
    }
}

/// The keys a field and an element share, as read so far (the outer
/// `Option`: whether the key was there).
#[derive(Default)]
struct ValueSlots {
    ty: Option<Spanned<String>>,
    fields: Option<Option<Spanned<Vec<FieldSpec>>>>,
    element: Option<Option<Spanned<Box<ElementSpec>>>>,
    time_format: Option<Option<Spanned<String>>>,
    time_formats: Option<Option<Spanned<Vec<Spanned<String>>>>>,
    is_event_time: Option<Option<Spanned<bool>>>,
    is_embedded_json: Option<Option<Spanned<bool>>>,
    indicators: Option<Option<Spanned<Vec<Spanned<String>>>>>,
    validate: Option<Option<Spanned<ValidateSpec>>>,
}

/// Where an event starts, as serde-saphyr reports it: 1-based line and
/// column (in characters), each capped at `u32::MAX`.
fn location(span: &Span) -> Option<Location> {
    let cap = |n: usize| u64::from(u32::try_from(n).unwrap_or(u32::MAX));
    let line = cap(span.start.line());
    let column = cap(span.start.col().saturating_add(1));
    (line > 0).then_some(Location { line, column })
}

#[cfg(test)]
mod tests {
    //! The direct reader against the serde reader: whenever the direct
    //! reader reads a document, serde must read the same specs (compared
    //! through `Debug`, which shows every value and position).

    use std::fs;
    use std::path::Path;

    use proptest::prelude::*;

    use super::read;
    use crate::schema::yaml::{budget, with_serde};

    fn default_budget() -> serde_saphyr::Budget {
        budget(&crate::Limits::new())
    }

    /// Reads `src` with both readers; `Ok(true)` when the direct reader
    /// read it (and agreed), `Ok(false)` when it left it to serde.
    fn agree_with(
        src: &str,
        budget: &serde_saphyr::Budget,
    ) -> Result<bool, String> {
        let Some(direct) = read(src, budget) else { return Ok(false) };
        let direct = format!("{direct:#?}");
        match with_serde(src, budget.clone()) {
            Ok(spec) if format!("{spec:#?}") == direct => Ok(true),
            Ok(spec) => Err(format!(
                "the readers differ on\n{src}\ndirect: {direct}\nserde: \
                 {spec:#?}"
            )),
            Err(e) => Err(format!(
                "the direct reader read what serde refuses ({e}):\n{src}"
            )),
        }
    }

    fn agree(src: &str) -> bool {
        agree_with(src, &default_budget()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn files(dir: &str) -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut out: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter_map(|p| {
                let text = fs::read_to_string(&p).ok()?;
                Some((p.display().to_string(), text))
            })
            .collect();
        out.sort();
        out
    }

    const SHIPPED: [&str; 7] = [
        include_str!("../../../schemas/Databricks.Audit.yml"),
        include_str!("../../../schemas/Heroku.Runtime.yml"),
        include_str!("../../../schemas/Hex.Audit.yml"),
        include_str!("../../../schemas/OpenAI.Audit.yml"),
        include_str!("../../../schemas/Wiz.Audit.yml"),
        include_str!("../../../schemas/Wiz.Issues.yml"),
        include_str!("../../../schemas/Wiz.VulnerabilityFinding.yml"),
    ];

    #[test]
    fn reads_every_shipped_schema_as_serde_does() {
        for (name, text) in files("schemas") {
            assert!(agree(&text), "{name}: left to serde");
        }
    }

    #[test]
    fn agrees_on_invalid_schemas_and_fuzz_inputs() {
        let mut all = files("../../testdata/schemas-invalid");
        all.extend(files("../../testdata/fuzz/schema_yaml"));
        for (_, text) in all {
            agree(&text);
        }
    }

    /// Forms the direct reader reads: each must agree with serde.
    const READ: &[&str] = &[
        // Flow style, quoted and block scalars, comments, markers.
        "--- # c\nschema: 'A.B'\nfields: [{name: \"a\", type: string}]\n...\n",
        "schema: A.B\ndescription: |\n  two\n  lines\nreferenceURL: >\n  \
         folded\n  text\nfields:\n- name: a\n  type: string\n",
        // Nulls for optional keys, an empty struct.
        "schema: A.B\nversion: ~\ndescription:\nreferenceURL: null\n\
         fieldDiscoveryEnabled: NULL\nparser:\nfields:\n  - name: a\n    \
         type: string\n    description:\n    validate: {}\n    fields: ~\n\
         \x20   element:\n    timeFormat: ~\n    timeFormats: ~\n    \
         isEventTime: ~\n    isEmbeddedJSON: ~\n    indicators: ~\n",
        // Every key of every struct.
        "schema: A.B\nversion: 0\nfieldDiscoveryEnabled: True\nparser:\n  \
         fastmatch:\n    match: ['%{a} %{b}']\n    emptyValues: ['-', '']\n    \
         trimSpace: FALSE\n    expandFields: {c: '%{a}', d: x}\nfields:\n  \
         - name: a\n    required: true\n    type: array\n    \
         isEmbeddedJSON: false\n    indicators: [ip]\n    element:\n      \
         type: object\n      description: e\n      fields:\n        - name: \
         b\n          type: timestamp\n          timeFormat: unix\n          \
         timeFormats: [rfc3339, '%Y']\n          isEventTime: true\n  - \
         name: s\n    type: string\n    validate:\n      allow: [x]\n      \
         deny: []\n      ip: ipv4\n      cidr: any\n",
        // Strings that look like other types stay strings.
        "schema: 123\nfields:\n  - name: true\n    type: 1.5\n",
        // No `schema:` (the caller names the log type).
        "version: 0\nfields:\n  - name: a\n    type: string\n",
        // Keys in the wrong place are the compiler's business.
        "schema: A.B\nfields:\n  - name: a\n    type: string\n    fields: \
         []\n    element: {type: int}\n",
    ];

    /// Forms the direct reader leaves to serde (right or wrong there).
    const LEFT: &[&str] = &[
        // Anchors, aliases, tags, merge keys.
        "schema: &n A.B\nfields:\n  - name: *n\n    type: string\n",
        "schema: !!str A.B\nfields:\n  - name: a\n    type: string\n",
        "schema: A.B\nfields:\n  - &f {name: a, type: string}\n  - <<: *f\n",
        // Quoted keys; booleans and numbers beyond the plain forms.
        "\"schema\": A.B\nfields:\n  - name: a\n    type: string\n",
        "schema: A.B\nfields:\n  - name: a\n    type: string\n    \
         required: yes\n",
        "schema: A.B\nfields:\n  - name: a\n    type: string\n    \
         required: 'true'\n",
        "schema: A.B\nversion: 00\nfields:\n  - name: a\n    type: string\n",
        "schema: A.B\nversion: 0x0\nfields:\n  - name: a\n    type: string\n",
        // Ignored values (which compile rejects).
        "schema: A.B\nparser:\n  regex: {}\nfields:\n  - name: a\n    \
         type: string\n",
        "schema: A.B\nfields:\n  - name: a\n    type: string\n    copy: {}\n",
        "schema: A.B\nparser:\n  native:\n    name: A.B\nfields:\n  - name: \
         a\n    type: string\n",
        // Errors: unknown, missing, repeated keys, nulls, wrong shapes,
        // two documents, syntax.
        "schema: A.B\nfeilds: []\n",
        "schema: A.B\n",
        "schema: A.B\nschema: C.D\nfields: []\n",
        "schema:\nfields: []\n",
        "schema: A.B\nfields: {}\n",
        "schema: A.B\nfields: []\n---\nschema: A.B\nfields: []\n",
        "schema: A.B\nfields: [\n",
        "",
    ];

    #[test]
    fn reads_the_plain_forms() {
        for src in READ {
            assert!(agree(src), "left to serde:\n{src}");
        }
    }

    #[test]
    fn leaves_the_rest_to_serde() {
        for src in LEFT {
            assert!(!agree(src), "read directly:\n{src}");
        }
    }

    /// Around every budget quantity of a small document, the direct
    /// reader gives up exactly where serde fails: it counts the same.
    #[test]
    fn keeps_the_budget() {
        let src = "schema: A.B\nfields:\n  - name: a\n    type: object\n    \
                   fields: [{name: b, type: string}]\n";
        let set: [fn(&mut serde_saphyr::Budget, usize); 4] = [
            |b, n| b.max_events = n,
            |b, n| b.max_nodes = n,
            |b, n| b.max_total_scalar_bytes = n,
            |b, n| b.max_depth = n,
        ];
        for set in set {
            let mut outcomes = Vec::new();
            for n in 0..64 {
                let mut budget = default_budget();
                set(&mut budget, n);
                let read = agree_with(src, &budget).unwrap();
                let serde_reads = with_serde(src, budget).is_ok();
                assert_eq!(read, serde_reads, "budget {n}");
                outcomes.push(read);
            }
            // Both outcomes occur: the limit falls inside the range.
            assert!(outcomes.contains(&true) && outcomes.contains(&false));
        }
    }

    /// Text edits that YAML cares about, spliced into the shipped
    /// schemas.
    const SNIPPETS: &[&str] = &[
        "",
        "~",
        "null",
        "yes",
        "true",
        "False",
        "0",
        "01",
        "-1",
        "'x'",
        "\"\"",
        "\"\\t\"",
        "[",
        "]",
        "{",
        "}",
        ",",
        ": ",
        ":",
        "- ",
        "-",
        "? ",
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "<<: ",
        "#",
        "---\n",
        "...\n",
        "\n",
        "\n  ",
        "\t",
        " ",
        "|\n",
        ">-\n",
        "%YAML 1.2\n",
        "name: n\n",
        "type: string\n",
        "fields:\n",
        "  - name: z\n    type: int\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(256),
            ..ProptestConfig::default()
        })]

        /// Shipped schemas with random edits (a span replaced by a
        /// snippet): whatever the direct reader reads, serde reads the
        /// same.
        #[test]
        fn agrees_on_edited_schemas(
            schema in 0..SHIPPED.len(),
            edits in prop::collection::vec(
                (any::<prop::sample::Index>(), 0..4usize, 0..SNIPPETS.len()),
                1..4,
            ),
        ) {
            let mut text = SHIPPED[schema].to_owned();
            for (at, len, snippet) in edits {
                let mut start = at.index(text.len() + 1);
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + len).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(start..end, SNIPPETS[snippet]);
            }
            prop_assert!(agree_with(&text, &default_budget()).is_ok(), "{}",
                agree_with(&text, &default_budget()).unwrap_err());
        }
    }
}
