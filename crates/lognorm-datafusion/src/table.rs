//! A lognorm table: a listing table of the `LOGNORM` format, under a
//! type of its own so that a plan codec can recognize and ship it.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{
    ScanArgs, ScanResult, Session, TableProvider, TableProviderFactory,
};
use datafusion::common::{Result, internal_err};
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::datasource::listing_table_factory::ListingTableFactory;
use datafusion::logical_expr::{
    CreateExternalTable, Expr, TableProviderFilterPushDown, TableType,
};
use datafusion::physical_plan::ExecutionPlan;

use crate::format::LognormFormat;

/// Raw log files of one log type as a table: DataFusion's
/// [`ListingTable`] of a [`LognormFormat`], which it delegates to.
/// `CREATE EXTERNAL TABLE ... STORED AS LOGNORM` and `read_logs` make
/// one.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use datafusion::catalog::TableProvider;
/// use lognorm_datafusion::{LognormFormat, LognormOptions, LognormTable};
///
/// let registry = Arc::new(lognorm::Registry::builtin());
/// let format = LognormFormat::new(registry, LognormOptions::new("Wiz.Audit"))?;
/// let table = LognormTable::try_new(&["logs/wiz/".to_string()], format, 2)?;
/// assert_eq!(table.schema().field(0).name(), "id");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct LognormTable {
    /// A [`ListingTable`].
    inner: Arc<dyn TableProvider>,
}

impl LognormTable {
    /// The table of the files at `paths` (each a file, a folder or a
    /// glob, or a URL of a registered object store), read by `format`
    /// into `target_partitions` partitions.
    ///
    /// # Errors
    ///
    /// A path that does not parse, or a format without a log type.
    pub fn try_new(
        paths: &[String],
        format: LognormFormat,
        target_partitions: usize,
    ) -> Result<LognormTable> {
        let schema = format.schema()?;
        let urls = paths
            .iter()
            .map(ListingTableUrl::parse)
            .collect::<Result<Vec<_>>>()?;
        let options = ListingOptions::new(Arc::new(format))
            .with_file_extension("")
            .with_target_partitions(target_partitions.max(1));
        let config = ListingTableConfig::new_with_multi_paths(urls)
            .with_listing_options(options)
            .with_schema(schema);
        Ok(LognormTable::from_listing(ListingTable::try_new(config)?))
    }

    /// A lognorm table of `listing`, a listing table of a
    /// [`LognormFormat`].
    pub(crate) fn from_listing(listing: ListingTable) -> LognormTable {
        LognormTable { inner: Arc::new(listing) }
    }

    /// The listing table it delegates to.
    ///
    /// # Errors
    ///
    /// Never for a table this crate made (a bug otherwise).
    pub fn listing_table(&self) -> Result<&ListingTable> {
        match self.inner.as_any().downcast_ref() {
            Some(table) => Ok(table),
            None => internal_err!("a lognorm table that is no listing table"),
        }
    }

    /// The table's format.
    ///
    /// # Errors
    ///
    /// Never for a table this crate made (a bug otherwise).
    pub fn format(&self) -> Result<&LognormFormat> {
        match self.listing_table()?.options().format.as_any().downcast_ref() {
            Some(format) => Ok(format),
            None => internal_err!("a lognorm table of another format"),
        }
    }
}

#[async_trait]
impl TableProvider for LognormTable {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }

    fn table_type(&self) -> TableType {
        self.inner.table_type()
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        self.inner.scan(state, projection, filters, limit).await
    }

    async fn scan_with_args<'a>(
        &self,
        state: &dyn Session,
        args: ScanArgs<'a>,
    ) -> Result<ScanResult> {
        self.inner.scan_with_args(state, args).await
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>> {
        self.inner.supports_filters_pushdown(filters)
    }
}

/// The table factory of `STORED AS LOGNORM`: DataFusion's listing table
/// factory (with the format of the session's
/// [`LognormFormatFactory`](crate::LognormFormatFactory)), its table
/// wrapped in a [`LognormTable`].
#[derive(Debug, Default)]
pub(crate) struct LognormTableFactory {
    listing: ListingTableFactory,
}

#[async_trait]
impl TableProviderFactory for LognormTableFactory {
    async fn create(
        &self,
        state: &dyn Session,
        cmd: &CreateExternalTable,
    ) -> Result<Arc<dyn TableProvider>> {
        let inner = self.listing.create(state, cmd).await?;
        if inner.as_any().downcast_ref::<ListingTable>().is_none() {
            return internal_err!(
                "the listing table factory made another table"
            );
        }
        Ok(Arc::new(LognormTable { inner }))
    }
}
