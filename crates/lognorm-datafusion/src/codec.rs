//! Feature `proto`: a [`PhysicalExtensionCodec`] for lognorm scans and
//! a [`LogicalExtensionCodec`] for lognorm tables, so a plan can be
//! shipped to another process (a Ballista scheduler or executor) with
//! its log types: their schema YAML and limits travel with it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::common::{
    DataFusionError, Result, TableReference, not_impl_err, plan_err,
};
use datafusion::datasource::file_format::FileFormatFactory;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::datasource::physical_plan::FileScanConfig;
use datafusion::datasource::source::DataSourceExec;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{Extension, LogicalPlan};
use datafusion::physical_plan::ExecutionPlan;
use datafusion_proto::logical_plan::LogicalExtensionCodec;
use datafusion_proto::physical_plan::PhysicalExtensionCodec;
use datafusion_proto::physical_plan::from_proto::{
    parse_protobuf_file_scan_config, parse_table_schema_from_proto,
};
use datafusion_proto::physical_plan::to_proto::serialize_file_scan_config;
use datafusion_proto::protobuf::FileScanExecConf;
use lognorm::{Limits, Registry, Timestamp};
use prost::Message;

use crate::format::LognormFormat;
use crate::options::LognormOptions;
use crate::source::{LognormSource, Scan};
use crate::table::LognormTable;

/// A lognorm scan as bytes.
#[derive(Clone, PartialEq, Message)]
struct ScanNode {
    #[prost(message, optional, tag = "1")]
    conf: Option<FileScanExecConf>,
    #[prost(string, tag = "2")]
    log_type: String,
    #[prost(bool, tag = "3")]
    failures: bool,
    /// `parse_time` in nanoseconds since the epoch.
    #[prost(int64, optional, tag = "4")]
    parse_time: Option<i64>,
    #[prost(string, tag = "5")]
    extension: String,
    #[prost(bool, tag = "6")]
    split_files: bool,
    /// The log type's schema YAML, when the encoding codec knew it.
    #[prost(string, optional, tag = "7")]
    yaml: Option<String>,
    /// The log type's limits, in the order of [`limits_to_vec`].
    #[prost(uint64, repeated, tag = "8")]
    limits: Vec<u64>,
    /// A table's paths (a logical plan's table): URLs, and their globs
    /// (empty for none).
    #[prost(string, repeated, tag = "9")]
    urls: Vec<String>,
    #[prost(string, repeated, tag = "10")]
    globs: Vec<String>,
    /// A table's file extension.
    #[prost(string, tag = "11")]
    file_extension: String,
}

/// Serializes the scans of lognorm tables (a `DataSourceExec` of a
/// [`LognormSource`]) and, in logical plans, the tables themselves
/// ([`LognormTable`]), with datafusion-proto, and reads them back.
///
/// A scan carries its log type's name, its options and its limits, and
/// the log type's schema YAML when this codec was told it
/// ([`with_schema_yaml`](LognormCodec::with_schema_yaml)): the decoding
/// side then compiles that YAML with those limits (once per distinct
/// schema), so it needs no registry of its own for custom log types.
/// Scans without YAML are read with the decoding codec's registry (the
/// shipped log types, say).
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use lognorm_datafusion::LognormCodec;
///
/// let registry = Arc::new(lognorm::Registry::builtin());
/// let yaml = "schema: Custom.Ping\nfields:\n  - name: host\n    type: string\n";
/// let codec = LognormCodec::new(registry).with_schema_yaml("Custom.Ping", yaml);
/// # let _ = codec;
/// ```
#[derive(Debug)]
pub struct LognormCodec {
    registry: Arc<Registry>,
    /// Schema YAML by log type, shipped with the scans of that type.
    yaml: HashMap<String, String>,
    /// Registries compiled from shipped YAML, by (YAML, limits).
    compiled: Mutex<HashMap<Shipped, Arc<Registry>>>,
    /// The codecs of every other node (Ballista's, say).
    logical_fallback: Option<Arc<dyn LogicalExtensionCodec>>,
    physical_fallback: Option<Arc<dyn PhysicalExtensionCodec>>,
}

/// The first byte of an encoded node: lognorm's, or the fallback's.
const OURS: u8 = 0;
const FALLBACK: u8 = 1;

/// A shipped schema: its YAML and its limits.
type Shipped = (String, Vec<u64>);

impl LognormCodec {
    /// A codec reading scans without YAML with `registry`.
    pub fn new(registry: Arc<Registry>) -> LognormCodec {
        LognormCodec {
            registry,
            yaml: HashMap::new(),
            compiled: Mutex::new(HashMap::new()),
            logical_fallback: None,
            physical_fallback: None,
        }
    }

    /// Encodes and decodes every node that is not lognorm's with
    /// `logical` and `physical` (Ballista's codecs, for instance: its
    /// shuffle nodes travel in the same plans).
    #[must_use]
    pub fn with_fallback(
        mut self,
        logical: Arc<dyn LogicalExtensionCodec>,
        physical: Arc<dyn PhysicalExtensionCodec>,
    ) -> LognormCodec {
        self.logical_fallback = Some(logical);
        self.physical_fallback = Some(physical);
        self
    }

    fn logical_fallback(&self) -> Result<&dyn LogicalExtensionCodec> {
        match &self.logical_fallback {
            Some(codec) => Ok(codec.as_ref()),
            None => {
                not_impl_err!("lognorm codec: a node that is not lognorm's")
            }
        }
    }

    fn physical_fallback(&self) -> Result<&dyn PhysicalExtensionCodec> {
        match &self.physical_fallback {
            Some(codec) => Ok(codec.as_ref()),
            None => {
                not_impl_err!("lognorm codec: a node that is not lognorm's")
            }
        }
    }

    /// Ships `yaml`, the schema of `log_type`, with every scan of it.
    #[must_use]
    pub fn with_schema_yaml(
        mut self,
        log_type: &str,
        yaml: &str,
    ) -> LognormCodec {
        self.yaml.insert(log_type.to_string(), yaml.to_string());
        self
    }

    /// The registry of a decoded scan.
    fn registry_for(&self, node: &ScanNode) -> Result<Arc<Registry>> {
        let Some(yaml) = &node.yaml else {
            return Ok(Arc::clone(&self.registry));
        };
        let key = (yaml.clone(), node.limits.clone());
        let mut compiled = self.compiled.lock().map_err(|_| {
            DataFusionError::Internal(
                "lognorm codec: a poisoned lock".to_string(),
            )
        })?;
        if let Some(registry) = compiled.get(&key) {
            return Ok(Arc::clone(registry));
        }
        let limits = limits_from_slice(&node.limits)?;
        let registry = Registry::builder()
            .limits(limits)
            .add_yaml(&format!("{}.yml", node.log_type), yaml)
            .map_err(|e| DataFusionError::Plan(e.to_string()))?
            .build();
        let registry = Arc::new(registry);
        compiled.insert(key, Arc::clone(&registry));
        Ok(registry)
    }
}

impl LognormCodec {
    /// `scan` as a node (without files).
    fn scan_node(&self, scan: &Scan) -> Result<ScanNode> {
        let log_type = scan.log_type()?;
        let options = &scan.options;
        let parse_time = options
            .parse_time
            .map(|t| i64::try_from(t.unix_nanos()))
            .transpose()
            .map_err(|_| {
                DataFusionError::Plan("parse time out of range".to_string())
            })?;
        Ok(ScanNode {
            conf: None,
            log_type: options.log_type.clone(),
            failures: options.failures,
            parse_time,
            extension: options.extension.clone(),
            split_files: options.split_files,
            yaml: self.yaml_of(scan)?,
            limits: limits_to_vec(log_type.limits()),
            urls: Vec::new(),
            globs: Vec::new(),
            file_extension: String::new(),
        })
    }

    /// The schema YAML shipped with `scan`: the one this codec was told,
    /// else the one it compiled `scan`'s registry from (a scan that came
    /// with its YAML leaves with it).
    fn yaml_of(&self, scan: &Scan) -> Result<Option<String>> {
        if let Some(yaml) = self.yaml.get(&scan.options.log_type) {
            return Ok(Some(yaml.clone()));
        }
        let compiled = self.compiled.lock().map_err(|_| {
            DataFusionError::Internal(
                "lognorm codec: a poisoned lock".to_string(),
            )
        })?;
        Ok(compiled
            .iter()
            .find(|(_, registry)| Arc::ptr_eq(registry, &scan.registry))
            .map(|((yaml, _), _)| yaml.clone()))
    }

    /// The scan of a decoded node.
    fn scan_from(&self, node: &ScanNode) -> Result<Scan> {
        let parse_time = match node.parse_time {
            None => None,
            Some(ns) => {
                Some(Timestamp::from_unix_nanos(i128::from(ns)).ok_or_else(
                    || {
                        DataFusionError::Plan(format!(
                            "expected a parse time, found `{ns}`"
                        ))
                    },
                )?)
            }
        };
        let options = LognormOptions {
            log_type: node.log_type.clone(),
            failures: node.failures,
            parse_time,
            extension: node.extension.clone(),
            split_files: node.split_files,
        };
        let scan = Scan { registry: self.registry_for(node)?, options };
        scan.log_type()?;
        Ok(scan)
    }
}

impl LogicalExtensionCodec for LognormCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[LogicalPlan],
        ctx: &TaskContext,
    ) -> Result<Extension> {
        self.logical_fallback()?.try_decode(buf, inputs, ctx)
    }

    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.logical_fallback()?.try_encode(node, buf)
    }

    fn try_decode_file_format(
        &self,
        buf: &[u8],
        ctx: &TaskContext,
    ) -> Result<Arc<dyn FileFormatFactory>> {
        self.logical_fallback()?.try_decode_file_format(buf, ctx)
    }

    fn try_encode_file_format(
        &self,
        buf: &mut Vec<u8>,
        node: Arc<dyn FileFormatFactory>,
    ) -> Result<()> {
        match &self.logical_fallback {
            Some(codec) => codec.try_encode_file_format(buf, node),
            None => Ok(()),
        }
    }

    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: SchemaRef,
        ctx: &TaskContext,
    ) -> Result<Arc<dyn TableProvider>> {
        let buf = match buf.split_first() {
            Some((&OURS, rest)) => rest,
            Some((&FALLBACK, rest)) => {
                return self
                    .logical_fallback()?
                    .try_decode_table_provider(rest, table_ref, schema, ctx);
            }
            _ => return plan_err!("expected a lognorm table, found no tag"),
        };
        let node = ScanNode::decode(buf).map_err(|e| {
            DataFusionError::Plan(format!(
                "expected a lognorm table, found bytes that do not decode ({e})"
            ))
        })?;
        let scan = self.scan_from(&node)?;
        let format = LognormFormat::new(scan.registry, scan.options)?;
        let mut urls = Vec::with_capacity(node.urls.len());
        for (url, glob) in node.urls.iter().zip(&node.globs) {
            let url = ListingTableUrl::parse(url)?;
            urls.push(if glob.is_empty() {
                url
            } else {
                url.with_glob(glob)?
            });
        }
        let options = ListingOptions::new(Arc::new(format))
            .with_file_extension(node.file_extension.clone())
            .with_session_config_options(ctx.session_config());
        let config = ListingTableConfig::new_with_multi_paths(urls)
            .with_listing_options(options)
            .with_schema(schema);
        Ok(Arc::new(LognormTable::from_listing(ListingTable::try_new(
            config,
        )?)))
    }

    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        let Some(table) = node.as_any().downcast_ref::<LognormTable>() else {
            let fallback = self.logical_fallback()?;
            buf.push(FALLBACK);
            return fallback.try_encode_table_provider(table_ref, node, buf);
        };
        let listing = table.listing_table()?;
        let options = listing.options();
        if !options.table_partition_cols.is_empty() {
            return not_impl_err!(
                "lognorm codec: tables with partition columns do not ship yet"
            );
        }
        let mut node = self.scan_node(table.format()?.scan())?;
        for url in listing.table_paths() {
            node.urls.push(url.as_str().to_string());
            node.globs.push(
                url.get_glob()
                    .as_ref()
                    .map_or(String::new(), |g| g.as_str().to_string()),
            );
        }
        node.file_extension = options.file_extension.clone();
        buf.push(OURS);
        node.encode(buf).map_err(|e| {
            DataFusionError::Internal(format!("lognorm codec: {e}"))
        })
    }
}

impl PhysicalExtensionCodec for LognormCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let buf = match buf.split_first() {
            Some((&OURS, rest)) => rest,
            Some((&FALLBACK, rest)) => {
                return self
                    .physical_fallback()?
                    .try_decode(rest, inputs, ctx);
            }
            _ => return plan_err!("expected a lognorm scan, found no tag"),
        };
        let node = ScanNode::decode(buf).map_err(|e| {
            DataFusionError::Plan(format!(
                "expected a lognorm scan, found bytes that do not decode ({e})"
            ))
        })?;
        let Some(conf) = &node.conf else {
            return plan_err!(
                "expected a lognorm scan with its files, found none"
            );
        };
        let scan = self.scan_from(&node)?;
        let table_schema = parse_table_schema_from_proto(conf)?;
        let source = Arc::new(LognormSource::new(scan, table_schema));
        let config = parse_protobuf_file_scan_config(conf, ctx, self, source)?;
        Ok(DataSourceExec::from_data_source(config))
    }

    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        let source = node
            .as_any()
            .downcast_ref::<DataSourceExec>()
            .and_then(|exec| {
                exec.data_source().as_any().downcast_ref::<FileScanConfig>()
            })
            .and_then(|config| {
                let source = config
                    .file_source()
                    .as_any()
                    .downcast_ref::<LognormSource>()?;
                Some((config, source))
            });
        let Some((config, source)) = source else {
            let fallback = self.physical_fallback()?;
            buf.push(FALLBACK);
            return fallback.try_encode(node, buf);
        };
        let mut node = self.scan_node(source.scan())?;
        node.conf = Some(serialize_file_scan_config(config, self)?);
        buf.push(OURS);
        node.encode(buf).map_err(|e| {
            DataFusionError::Internal(format!("lognorm codec: {e}"))
        })
    }
}

/// `limits` as numbers, in a fixed order.
fn limits_to_vec(l: &Limits) -> Vec<u64> {
    [
        l.payload_bytes(),
        l.record_bytes(),
        l.depth(),
        l.record_fields(),
        l.string_bytes(),
        l.indicator_values(),
        l.schema_bytes(),
        l.schema_depth(),
        l.schema_fields(),
        l.patterns(),
        l.pattern_bytes(),
    ]
    .iter()
    .map(|&n| n as u64)
    .collect()
}

/// The limits [`limits_to_vec`] wrote.
fn limits_from_slice(numbers: &[u64]) -> Result<Limits> {
    let mut n = [0usize; 11];
    if numbers.len() != n.len() {
        return plan_err!(
            "expected 11 limits in a lognorm scan, found {}",
            numbers.len()
        );
    }
    for (slot, &v) in n.iter_mut().zip(numbers) {
        *slot = usize::try_from(v).map_err(|_| {
            DataFusionError::Plan(format!("expected a limit, found `{v}`"))
        })?;
    }
    let [
        payload,
        record,
        depth,
        fields,
        string,
        indicators,
        s_bytes,
        s_depth,
        s_fields,
        patterns,
        p_bytes,
    ] = n;
    Ok(Limits::new()
        .max_payload_bytes(payload)
        .max_record_bytes(record)
        .max_depth(depth)
        .max_record_fields(fields)
        .max_string_bytes(string)
        .max_indicator_values(indicators)
        .max_schema_bytes(s_bytes)
        .max_schema_depth(s_depth)
        .max_schema_fields(s_fields)
        .max_patterns(patterns)
        .max_pattern_bytes(p_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_round_trip() {
        let limits =
            Limits::new().max_record_bytes(77).max_depth(9).max_patterns(3);
        let back = limits_from_slice(&limits_to_vec(&limits)).unwrap();
        assert_eq!(back, limits);
        assert_eq!(
            limits_from_slice(&[1, 2]).unwrap_err().to_string(),
            "Error during planning: expected 11 limits in a lognorm scan, found 2"
        );
    }
}
