//! The `LOGNORM` file format and its factory.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::Session;
use datafusion::common::{GetExt, Result, Statistics};
use datafusion::datasource::file_format::file_compression_type::FileCompressionType;
use datafusion::datasource::file_format::{FileFormat, FileFormatFactory};
use datafusion::datasource::physical_plan::{FileScanConfig, FileSource};
use datafusion::datasource::source::DataSourceExec;
use datafusion::physical_plan::ExecutionPlan;
use datafusion_datasource::TableSchema;
use lognorm::Registry;
use object_store::{ObjectMeta, ObjectStore};

use crate::options::LognormOptions;
use crate::source::{LognormSource, Scan};

/// Makes a [`LognormFormat`] per `CREATE EXTERNAL TABLE ... STORED AS
/// LOGNORM` from the statement's options ([`LognormOptions`]), with the
/// log types of its registry.
///
/// [`register`](crate::register) registers one (and the `LOGNORM` table
/// factory) with a session.
///
/// # Example
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::Arc;
/// use datafusion::datasource::file_format::FileFormatFactory;
/// use datafusion::prelude::SessionContext;
/// use lognorm_datafusion::LognormFormatFactory;
///
/// let factory = LognormFormatFactory::new(Arc::new(lognorm::Registry::builtin()));
/// let options = HashMap::from([("format.log_type".to_string(), "Hex.Audit".to_string())]);
/// let format = factory.create(&SessionContext::new().state(), &options)?;
/// assert_eq!(format.get_ext(), "");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct LognormFormatFactory {
    registry: Arc<Registry>,
}

impl LognormFormatFactory {
    /// A factory of formats reading the log types of `registry`.
    pub fn new(registry: Arc<Registry>) -> LognormFormatFactory {
        LognormFormatFactory { registry }
    }
}

impl FileFormatFactory for LognormFormatFactory {
    fn create(
        &self,
        _state: &dyn Session,
        format_options: &HashMap<String, String>,
    ) -> Result<Arc<dyn FileFormat>> {
        let options = LognormOptions::from_map(format_options)?;
        let format = LognormFormat::new(Arc::clone(&self.registry), options)?;
        Ok(Arc::new(format))
    }

    fn default(&self) -> Arc<dyn FileFormat> {
        Arc::new(LognormFormat {
            scan: Scan {
                registry: Arc::clone(&self.registry),
                options: LognormOptions::new(""),
            },
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl GetExt for LognormFormatFactory {
    /// `lognorm`: the name after `STORED AS`.
    fn get_ext(&self) -> String {
        "lognorm".to_string()
    }
}

/// Raw log files of one log type as a table: each file is normalized
/// through lognorm's Arrow decoder
/// ([`BatchDecoder`](lognorm::arrow::BatchDecoder)) into batches of the
/// log type's schema ([`arrow_schema`](lognorm::arrow::arrow_schema)),
/// or, with the option `failures`, into the records that failed
/// ([`failures_schema`](crate::failures_schema)).
///
/// Large files are read by several partitions, each a byte range (see
/// [`LognormOptions::split_files`]); records are normalized one at a
/// time, with no state from one to the next.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use datafusion::datasource::file_format::FileFormat;
/// use lognorm_datafusion::{LognormFormat, LognormOptions};
///
/// let registry = Arc::new(lognorm::Registry::builtin());
/// let format = LognormFormat::new(registry, LognormOptions::new("Wiz.Audit"))?;
/// assert_eq!(format.schema()?.field_with_name("p_event_time")?.name(), "p_event_time");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct LognormFormat {
    scan: Scan,
}

impl LognormFormat {
    /// The format of `options.log_type`'s files, a log type of
    /// `registry`.
    ///
    /// # Errors
    ///
    /// When `registry` has no such log type.
    pub fn new(
        registry: Arc<Registry>,
        options: LognormOptions,
    ) -> Result<LognormFormat> {
        let scan = Scan { registry, options };
        scan.log_type()?;
        Ok(LognormFormat { scan })
    }

    /// What the format reads.
    #[cfg_attr(not(feature = "proto"), allow(dead_code))]
    pub(crate) fn scan(&self) -> &Scan {
        &self.scan
    }

    /// The options.
    pub fn options(&self) -> &LognormOptions {
        &self.scan.options
    }

    /// The table's schema: the log type's events, or the failures.
    ///
    /// # Errors
    ///
    /// When the registry has no such log type (a format made by
    /// [`FileFormatFactory::default`], with no options).
    pub fn schema(&self) -> Result<SchemaRef> {
        self.scan.schema()
    }
}

impl fmt::Display for LognormFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lognorm({})", self.scan.options.log_type)
    }
}

#[async_trait]
impl FileFormat for LognormFormat {
    fn as_any(&self) -> &dyn Any {
        self
    }

    /// The extension of the files read in a folder (empty: any).
    fn get_ext(&self) -> String {
        self.scan.options.extension.clone()
    }

    /// The glob of a folder's files (`CREATE EXTERNAL TABLE` reads
    /// `<folder>/*.<this>`): the extension, or `*` for any.
    fn get_ext_with_compression(
        &self,
        _compression: &FileCompressionType,
    ) -> Result<String> {
        Ok(match self.scan.options.extension.as_str() {
            "" => "*".to_string(),
            ext => ext.to_string(),
        })
    }

    fn compression_type(&self) -> Option<FileCompressionType> {
        Some(FileCompressionType::UNCOMPRESSED)
    }

    async fn infer_schema(
        &self,
        _state: &dyn Session,
        _store: &Arc<dyn ObjectStore>,
        _objects: &[ObjectMeta],
    ) -> Result<SchemaRef> {
        self.scan.schema()
    }

    async fn infer_stats(
        &self,
        _state: &dyn Session,
        _store: &Arc<dyn ObjectStore>,
        table_schema: SchemaRef,
        _object: &ObjectMeta,
    ) -> Result<Statistics> {
        Ok(Statistics::new_unknown(&table_schema))
    }

    async fn create_physical_plan(
        &self,
        _state: &dyn Session,
        conf: FileScanConfig,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(DataSourceExec::from_data_source(conf))
    }

    fn file_source(&self, table_schema: TableSchema) -> Arc<dyn FileSource> {
        Arc::new(LognormSource::new(self.scan.clone(), table_schema))
    }
}
