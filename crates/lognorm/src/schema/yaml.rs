//! Serde structs mirroring Panther's schema YAML (`*Spec`), and the one
//! function that reads them. Only this module (with its `events`
//! submodule) names the YAML crates.
//!
//! Two readers build the structs. The direct one (`events.rs`) walks the
//! parser's events and handles the YAML schemas are written in, several
//! times faster; serde-saphyr reads whatever it leaves, which includes
//! every invalid document, so every error (message, position, field
//! path) comes from serde-saphyr as it always did.
//!
//! The structs only describe shapes; every semantic check (known types,
//! indicators, time formats, duplicate names, ...) lives in `compile.rs`,
//! which gets the position of each checked node through [`Spanned`].

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use crate::error::{Location, SchemaError, SchemaErrorKind};

mod events;

/// A value and the position of the YAML node it was read from.
///
/// The YAML crate's own `Spanned` keeps two full locations (where the
/// node is used and where it is defined, which differ for aliases) with
/// their spans; the checks only ever report where the node is used, so
/// this keeps just that.
#[derive(Debug)]
pub(crate) struct Spanned<T> {
    pub value: T,
    /// Where the node starts (where it is used, for an alias); `None`
    /// when the YAML crate could not tell.
    pub at: Option<Location>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let node = serde_saphyr::Spanned::<T>::deserialize(de)?;
        Ok(Spanned { at: location(&node.referenced), value: node.value })
    }
}

/// Converts a YAML position.
fn location(loc: &serde_saphyr::Location) -> Option<Location> {
    let (line, column) = (loc.line(), loc.column());
    (line > 0).then_some(Location { line, column })
}

/// A position for a spanned node.
pub(crate) fn at<T>(node: &Spanned<T>) -> Option<Location> {
    node.at
}

/// A whole schema document.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SchemaSpec {
    /// The log type's name; absent in Console and Terraform specs, where
    /// the caller names the schema.
    #[serde(default)]
    pub schema: Option<Spanned<String>>,
    #[serde(default)]
    pub version: Option<Spanned<u32>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "referenceURL")]
    pub reference_url: Option<String>,
    /// Keep undeclared top-level keys (SPEC §10).
    #[serde(default)]
    pub field_discovery_enabled: Option<bool>,
    #[serde(default)]
    pub parser: Option<Spanned<ParserSpec>>,
    pub fields: Spanned<Vec<FieldSpec>>,
}

/// `parser:`: exactly one of its keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParserSpec {
    #[serde(default)]
    pub fastmatch: Option<Spanned<FastmatchSpec>>,
    #[serde(default)]
    pub regex: Option<Spanned<RegexSpec>>,
    #[serde(default)]
    pub csv: Option<Spanned<CsvSpec>>,
    #[serde(default)]
    pub script: Option<Spanned<IgnoredAny>>,
    /// Panther's managed log types name their built-in code here
    /// (`native: {name: AWS.ALB}`); read so that the error can say so.
    #[serde(default)]
    pub native: Option<Spanned<IgnoredAny>>,
}

/// `parser: fastmatch:`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FastmatchSpec {
    #[serde(rename = "match")]
    pub patterns: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub empty_values: Vec<String>,
    #[serde(default)]
    pub trim_space: bool,
    #[serde(default)]
    pub expand_fields: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub skip_prefix: Option<String>,
}

/// `parser: regex:`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RegexSpec {
    #[serde(rename = "match")]
    pub patterns: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub pattern_definitions: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub empty_values: Vec<String>,
    #[serde(default)]
    pub trim_space: bool,
    #[serde(default)]
    pub expand_fields: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub skip_prefix: Option<String>,
}

/// `parser: csv:`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CsvSpec {
    #[serde(default)]
    pub delimiter: Option<Spanned<String>>,
    #[serde(default)]
    pub has_header: bool,
    #[serde(default)]
    pub columns: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub empty_values: Vec<String>,
    #[serde(default)]
    pub trim_space: bool,
    #[serde(default)]
    pub expand_fields: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub skip_prefix: Option<String>,
}

/// One entry of a `fields:` list.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FieldSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    #[allow(dead_code, reason = "documentation only")]
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub fields: Option<Spanned<Vec<FieldSpec>>>,
    #[serde(default)]
    pub element: Option<Spanned<Box<ElementSpec>>>,
    #[serde(default)]
    pub time_format: Option<Spanned<String>>,
    #[serde(default)]
    pub time_formats: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub is_event_time: Option<Spanned<bool>>,
    #[serde(default, rename = "isEmbeddedJSON")]
    pub is_embedded_json: Option<Spanned<bool>>,
    #[serde(default)]
    pub indicators: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub validate: Option<Spanned<ValidateSpec>>,
    // Panther's field transformations (SPEC §10). (The order of the
    // keys is the one error messages list.)
    #[serde(default)]
    pub copy: Option<Spanned<FromSpec>>,
    #[serde(default)]
    pub rename: Option<Spanned<FromSpec>>,
    #[serde(default)]
    pub concat: Option<Spanned<ConcatSpec>>,
    #[serde(default)]
    pub split: Option<Spanned<SplitSpec>>,
    #[serde(default)]
    pub mask: Option<Spanned<MaskSpec>>,
}

/// `rename:` and `copy:`: where the value is read from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FromSpec {
    pub from: Spanned<String>,
}

/// `concat:`: the values of `paths`, joined by `separator`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConcatSpec {
    pub paths: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub separator: String,
}

/// `split:`: element `index` of the value at `from` split by `separator`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SplitSpec {
    pub from: Spanned<String>,
    pub separator: Spanned<String>,
    #[serde(default)]
    pub index: usize,
}

/// `mask:`: what replaces the value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MaskSpec {
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// An array's `element:` (a value schema: a field without a name).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ElementSpec {
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code, reason = "documentation only")]
    pub description: Option<String>,
    #[serde(default)]
    pub fields: Option<Spanned<Vec<FieldSpec>>>,
    #[serde(default)]
    pub element: Option<Spanned<Box<ElementSpec>>>,
    #[serde(default)]
    pub time_format: Option<Spanned<String>>,
    #[serde(default)]
    pub time_formats: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub is_event_time: Option<Spanned<bool>>,
    #[serde(default, rename = "isEmbeddedJSON")]
    pub is_embedded_json: Option<Spanned<bool>>,
    #[serde(default)]
    pub indicators: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub validate: Option<Spanned<ValidateSpec>>,
}

/// `validate:` on a string value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidateSpec {
    #[serde(default)]
    pub allow: Option<Vec<String>>,
    #[serde(default)]
    pub deny: Option<Vec<String>>,
    #[serde(default)]
    pub ip: Option<Spanned<String>>,
    #[serde(default)]
    pub cidr: Option<Spanned<String>>,
}

/// Reads a schema document. Errors carry the YAML position and the path
/// of the node (`fields[3].fields[0].type`), but no file name yet.
pub(crate) fn parse(
    src: &str,
    limits: &crate::Limits,
) -> Result<SchemaSpec, SchemaError> {
    let budget = budget(limits);
    // The direct reader builds the same specs as serde for the YAML that
    // schemas are written in, at a fraction of the cost; serde reads
    // whatever it leaves, and reports every error.
    if let Some(spec) = events::read(src, &budget) {
        return Ok(spec);
    }
    if let Some(location) = events::too_deep(src, &budget) {
        return Err(SchemaError::new(
            SchemaErrorKind::Limit,
            location,
            String::new(),
            format!(
                "YAML nested deeper than {} levels (fields nest at most {} \
                 levels deep)",
                budget.max_depth,
                limits.schema_depth()
            ),
        ));
    }
    with_serde(src, budget)
}

/// Reads every document of a YAML stream into a `T` (empty documents are
/// skipped), for files that hold several documents by design (Panther's
/// schema tests). Errors carry the YAML position but no field path and no
/// file name.
pub(crate) fn parse_documents<T: serde::de::DeserializeOwned>(
    src: &str,
    limits: &crate::Limits,
) -> Result<Vec<T>, SchemaError> {
    let budget = budget(limits);
    // As for schemas: the recursive serde reader only gets documents
    // that nest within the budget.
    if let Some(location) = events::too_deep(src, &budget) {
        return Err(SchemaError::new(
            SchemaErrorKind::Limit,
            location,
            String::new(),
            format!("YAML nested deeper than {} levels", budget.max_depth),
        ));
    }
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget.clone());
    serde_saphyr::from_multiple_with_options(src, options).map_err(|e| {
        let location = e.location().as_ref().and_then(location);
        let (kind, message) = describe(&e, &budget);
        SchemaError::new(kind, location, String::new(), message)
    })
}

/// What reading a schema may cost. Each schema level is three YAML
/// levels (`fields:` list, the field's mapping, its keys); the depth
/// budget keeps both readers' recursion bounded whatever the document.
fn budget(limits: &crate::Limits) -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth =
        limits.schema_depth().saturating_mul(3).saturating_add(8);
    budget
}

/// Reads a schema document through serde, with the field path tracked
/// for the error.
fn with_serde(
    src: &str,
    budget: serde_saphyr::Budget,
) -> Result<SchemaSpec, SchemaError> {
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget.clone());
    let mut path = String::new();
    let result = serde_saphyr::with_deserializer_from_str_with_options(
        src,
        options,
        |de| {
            serde_path_to_error::deserialize(de).map_err(|e| {
                path = e.path().to_string();
                e.into_inner()
            })
        },
    );
    result.map_err(|e| {
        let location = e.location().as_ref().and_then(location);
        let (kind, message) = describe(&e, &budget);
        let path = clean_path(&path);
        SchemaError::new(kind, location, path, message)
    })
}

/// Turns a YAML error into a kind and a one-line message without the
/// position (which the `SchemaError` shows on its own).
fn describe(
    e: &serde_saphyr::Error,
    budget: &serde_saphyr::Budget,
) -> (SchemaErrorKind, String) {
    use serde_saphyr::Error as E;
    // An error met through an alias comes wrapped with the alias's
    // positions (as text: "(defined at line L, column C) (used at ...)"),
    // which the reported position already covers.
    let mut e = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = e {
        e = error;
    }
    match e {
        E::Budget { breach, .. } => {
            (SchemaErrorKind::Limit, budget_message(breach, budget))
        }
        E::MultipleDocuments { .. } => (
            SchemaErrorKind::Syntax,
            "a second YAML document (`---`): a schema file holds one \
             schema; put each schema in a file of its own"
                .to_owned(),
        ),
        _ => {
            // The message without the YAML crate's position suffix.
            let mut message = serde_saphyr::MessageFormatter::format_message(
                &serde_saphyr::DefaultMessageFormatter,
                e,
            )
            .into_owned();
            // Advice about the YAML crate's own options means nothing to
            // a schema author.
            if let Some(i) = message.find(", set DuplicateKeyPolicy") {
                message.truncate(i);
            }
            let kind = if message.starts_with("unknown field") {
                SchemaErrorKind::UnknownKey
            } else if message.starts_with("missing field") {
                SchemaErrorKind::MissingKey
            } else {
                SchemaErrorKind::Syntax
            };
            (kind, message)
        }
    }
}

/// What a YAML budget breach means to a schema author: which quantity
/// went past which bound. Aliases are expanded where they are used, so a
/// small document of aliases to aliases can breach them.
fn budget_message(
    breach: &serde_saphyr::budget::BudgetBreach,
    budget: &serde_saphyr::Budget,
) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    let what = match breach {
        B::Events { .. } => {
            format!("more than {} YAML events", budget.max_events)
        }
        B::Nodes { .. } => {
            format!("more than {} YAML nodes", budget.max_nodes)
        }
        B::ScalarBytes { .. } => format!(
            "more than {} bytes of scalar text",
            budget.max_total_scalar_bytes
        ),
        B::Aliases { .. } => {
            format!("more than {} aliases", budget.max_aliases)
        }
        B::Anchors { .. } => {
            format!("more than {} anchors", budget.max_anchors)
        }
        B::Depth { .. } => {
            format!("nested deeper than {} levels", budget.max_depth)
        }
        B::Documents { .. } => {
            format!("more than {} documents", budget.max_documents)
        }
        B::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} aliases to {anchors} anchors")
        }
        _ => "more than a schema may hold".to_owned(),
    };
    format!(
        "YAML too large to read: {what}, counting an alias's content at \
         every use"
    )
}

/// Turns serde's path into the schema's: `Spanned` wrappers add a
/// `value` step (`fields.value[0].type.value`) and unknown positions a
/// `?`; neither is a key the author wrote.
fn clean_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for seg in path.split('.') {
        let seg = match seg.strip_prefix("value") {
            Some(rest) if rest.is_empty() || rest.starts_with('[') => rest,
            _ => seg,
        };
        if seg.is_empty() || seg == "?" {
            continue;
        }
        if !out.is_empty() && !seg.starts_with('[') {
            out.push('.');
        }
        out.push_str(seg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clean_path;

    #[test]
    fn serde_paths_become_schema_paths() {
        assert_eq!(clean_path("."), "");
        assert_eq!(clean_path("fields.value[0].type.value"), "fields[0].type");
        assert_eq!(
            clean_path("fields.value[3].fields.value[0].?"),
            "fields[3].fields[0]"
        );
        assert_eq!(
            clean_path("fields.value[0].element.value.name"),
            "fields[0].element.name"
        );
        assert_eq!(clean_path("schema"), "schema");
    }
}
