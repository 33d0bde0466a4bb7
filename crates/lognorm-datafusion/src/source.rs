//! The scan: a [`FileSource`] whose opener normalizes each file (or byte
//! range of one) through lognorm's Arrow decoder.

use std::any::Any;
use std::hash::{Hash, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, RecordBatch, StringArray, UInt64Array,
};
use datafusion::arrow::compute::kernels::numeric::add;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::{Result, plan_err};
use datafusion::physical_expr::projection::ProjectionExprs;
use datafusion::physical_plan::metrics::ExecutionPlanMetricsSet;
use datafusion::physical_plan::stream::RecordBatchReceiverStreamBuilder;
use datafusion_datasource::file::FileSource;
use datafusion_datasource::file_scan_config::FileScanConfig;
use datafusion_datasource::file_stream::{FileOpenFuture, FileOpener};
use datafusion_datasource::projection::{ProjectionOpener, SplitProjection};
use datafusion_datasource::{
    PartitionedFile, RangeCalculation, TableSchema, calculate_range,
};
use futures::StreamExt;
use lognorm::arrow::{BatchDecoder, Batches};
use lognorm::{Context, LogType, Registry, Timestamp};
use object_store::{GetOptions, GetResultPayload, ObjectStore};
use tokio::sync::mpsc::Sender;

use crate::options::LognormOptions;

/// The Arrow schema of a failures table: lognorm's
/// [`failures_schema`](lognorm::arrow::failures_schema)
/// (`record_number`, `offset`, `log_type`, `error`, `raw`) and `file`,
/// the path of the file the record came from. `offset` is the record's
/// byte offset in its file; `record_number` and the numbers in `error`
/// count from the start of the part of the file one partition read
/// (the whole file unless it was split by byte range).
///
/// # Example
///
/// ```
/// let schema = lognorm_datafusion::failures_schema();
/// assert_eq!(schema.field(5).name(), "file");
/// ```
pub fn failures_schema() -> SchemaRef {
    let base = lognorm::arrow::failures_schema();
    let mut fields: Vec<Field> =
        base.fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.push(Field::new("file", DataType::Utf8, false));
    Arc::new(Schema::new(fields))
}

/// What a lognorm table reads: the registry holding its log type and
/// its options. Shared by the format, the source and the openers.
#[derive(Clone, Debug)]
pub(crate) struct Scan {
    pub registry: Arc<Registry>,
    pub options: LognormOptions,
}

impl Scan {
    /// The log type.
    pub fn log_type(&self) -> Result<&LogType> {
        let name = &self.options.log_type;
        match self.registry.log_type(name) {
            Some(log_type) => Ok(log_type),
            None => {
                let mut known: Vec<&str> =
                    self.registry.log_types().map(LogType::name).collect();
                known.sort_unstable();
                plan_err!(
                    "expected a log type of the registry ({}), found `{name}`",
                    known.join(", ")
                )
            }
        }
    }

    /// The table's schema: the log type's events, or the failures.
    pub fn schema(&self) -> Result<SchemaRef> {
        Ok(if self.options.failures {
            failures_schema()
        } else {
            lognorm::arrow::arrow_schema(self.log_type()?)
        })
    }

    /// Whether a file may be read by several partitions.
    pub fn splits(&self) -> bool {
        self.options.split_files
            && self.log_type().is_ok_and(|t| !t.splits_whole())
    }
}

/// The [`FileSource`] of a lognorm table: its file openers normalize
/// each file, or byte range of one, on a blocking thread of DataFusion's
/// runtime, and hand on the batches as they fill.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use datafusion::datasource::file_format::FileFormat;
/// use datafusion::datasource::physical_plan::FileSource;
/// use datafusion::datasource::table_schema::TableSchema;
/// use lognorm_datafusion::{LognormFormat, LognormOptions, LognormSource};
///
/// let registry = Arc::new(lognorm::Registry::builtin());
/// let format = LognormFormat::new(registry, LognormOptions::new("Wiz.Audit"))?;
/// let source = format.file_source(TableSchema::from_file_schema(format.schema()?));
/// assert_eq!(source.file_type(), "lognorm");
/// assert!(source.as_any().downcast_ref::<LognormSource>().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct LognormSource {
    scan: Scan,
    table_schema: TableSchema,
    batch_size: Option<usize>,
    metrics: ExecutionPlanMetricsSet,
    projection: SplitProjection,
}

impl LognormSource {
    pub(crate) fn new(scan: Scan, table_schema: TableSchema) -> LognormSource {
        LognormSource {
            projection: SplitProjection::unprojected(&table_schema),
            scan,
            table_schema,
            batch_size: None,
            metrics: ExecutionPlanMetricsSet::new(),
        }
    }

    /// What the source reads.
    #[cfg_attr(not(feature = "proto"), allow(dead_code))]
    pub(crate) fn scan(&self) -> &Scan {
        &self.scan
    }
}

impl FileSource for LognormSource {
    fn create_file_opener(
        &self,
        object_store: Arc<dyn ObjectStore>,
        _base_config: &FileScanConfig,
        _partition: usize,
    ) -> Result<Arc<dyn FileOpener>> {
        let file_schema = self.table_schema.file_schema();
        let indices = self.projection.file_indices.clone();
        let projected = Arc::new(file_schema.project(&indices)?);
        let opener = Arc::new(LognormOpener {
            scan: self.scan.clone(),
            batch_size: self.batch_size.unwrap_or(8192),
            indices,
            projected,
            object_store,
        });
        ProjectionOpener::try_new(
            self.projection.clone(),
            opener,
            self.table_schema.file_schema(),
        )
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn table_schema(&self) -> &TableSchema {
        &self.table_schema
    }

    fn with_batch_size(&self, batch_size: usize) -> Arc<dyn FileSource> {
        let mut source = self.clone();
        source.batch_size = Some(batch_size);
        Arc::new(source)
    }

    fn try_pushdown_projection(
        &self,
        projection: &ProjectionExprs,
    ) -> Result<Option<Arc<dyn FileSource>>> {
        let mut source = self.clone();
        let merged = self.projection.source.try_merge(projection)?;
        source.projection =
            SplitProjection::new(self.table_schema.file_schema(), &merged);
        Ok(Some(Arc::new(source)))
    }

    fn projection(&self) -> Option<&ProjectionExprs> {
        Some(&self.projection.source)
    }

    fn metrics(&self) -> &ExecutionPlanMetricsSet {
        &self.metrics
    }

    fn file_type(&self) -> &str {
        "lognorm"
    }

    fn supports_repartitioning(&self) -> bool {
        self.scan.splits()
    }
}

/// Opens one file (or byte range) of a lognorm table.
struct LognormOpener {
    scan: Scan,
    batch_size: usize,
    /// The columns of the table's schema the batches keep.
    indices: Vec<usize>,
    projected: SchemaRef,
    object_store: Arc<dyn ObjectStore>,
}

impl FileOpener for LognormOpener {
    /// Normalizes the file, or its byte range: a range starts at the
    /// first line after its start (or at its start, at the file's start)
    /// and reads past its end to the end of its last line, as
    /// DataFusion's NDJSON reader does.
    fn open(&self, file: PartitionedFile) -> Result<FileOpenFuture> {
        let store = Arc::clone(&self.object_store);
        let scan = self.scan.clone();
        let (batch_size, indices) = (self.batch_size, self.indices.clone());
        let projected = Arc::clone(&self.projected);
        Ok(Box::pin(async move {
            let range = match calculate_range(&file, &store, None).await? {
                RangeCalculation::Range(range) => range,
                RangeCalculation::TerminateEarly => {
                    return Ok(futures::stream::empty().boxed());
                }
            };
            let location = file.object_meta.location.clone();
            let options = GetOptions {
                range: range.map(Into::into),
                ..GetOptions::default()
            };
            let result = store.get_opts(&location, options).await?;
            let start = result.range.start;
            let len = result.range.end - result.range.start;
            let input = match result.payload {
                GetResultPayload::File(mut f, _) => {
                    f.seek(SeekFrom::Start(start))?;
                    Input::File(f.take(len))
                }
                GetResultPayload::Stream(_) => {
                    Input::Bytes(result.bytes().await?)
                }
            };
            let job = Job {
                scan,
                file: location.to_string(),
                start,
                batch_size,
                indices,
            };
            let mut builder =
                RecordBatchReceiverStreamBuilder::new(projected, 2);
            let tx = builder.tx();
            builder.spawn_blocking(move || job.run(input, &tx));
            Ok(builder.build().boxed())
        }))
    }
}

/// The bytes of one partition's part of a file.
enum Input {
    File(std::io::Take<std::fs::File>),
    Bytes(bytes::Bytes),
}

/// One partition's part of one file, normalized on a blocking thread.
struct Job {
    scan: Scan,
    file: String,
    /// The byte offset of the part in its file.
    start: u64,
    batch_size: usize,
    indices: Vec<usize>,
}

impl Job {
    /// Normalizes `input`, sending its batches to `tx` until done or
    /// until the receiver hangs up.
    fn run(
        self,
        input: Input,
        tx: &Sender<Result<RecordBatch>>,
    ) -> Result<()> {
        let log_type = self.scan.log_type()?;
        let mut ctx = self.context();
        let mut decoder = BatchDecoder::new(log_type, self.batch_size);
        match input {
            Input::File(mut f) if log_type.splits_whole() => {
                let mut payload = Vec::new();
                f.read_to_end(&mut payload)?;
                self.decode_all(&payload, &mut decoder, &mut ctx, tx)?;
            }
            Input::File(f) => {
                let mut records =
                    log_type.split_reader(std::io::BufReader::new(f));
                while let Some(record) = records.next_record()? {
                    decoder.decode_record(record, &mut ctx)?;
                    if !self.drain(&mut decoder, false, tx)? {
                        return Ok(());
                    }
                }
            }
            Input::Bytes(payload) => {
                self.decode_all(&payload, &mut decoder, &mut ctx, tx)?;
            }
        }
        self.drain(&mut decoder, true, tx)?;
        Ok(())
    }

    /// Normalizes a payload held in memory.
    fn decode_all(
        &self,
        payload: &[u8],
        decoder: &mut BatchDecoder<'_>,
        ctx: &mut Context,
        tx: &Sender<Result<RecordBatch>>,
    ) -> Result<()> {
        let log_type = self.scan.log_type()?;
        for record in log_type.split(payload) {
            decoder.decode_record(record, ctx)?;
            if !self.drain(decoder, false, tx)? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The context of this part: the parse time, and a node id of its
    /// own (a hash of the file's path and the part's offset), so that
    /// parts read at once never write the same `p_row_id`.
    fn context(&self) -> Context {
        let parse_time = self.scan.options.parse_time.unwrap_or_else(now);
        let mut hasher = std::hash::DefaultHasher::new();
        (self.file.as_str(), self.start).hash(&mut hasher);
        let h = hasher.finish().to_be_bytes();
        let node = [h[0], h[1], h[2], h[3], h[4], h[5]];
        Context::new(parse_time, node)
    }

    /// Sends the decoder's full batches, or with `all` every batch it
    /// buffers: false when the receiver hung up.
    fn drain(
        &self,
        decoder: &mut BatchDecoder<'_>,
        all: bool,
        tx: &Sender<Result<RecordBatch>>,
    ) -> Result<bool> {
        while all || decoder.has_full_batch() {
            let Some(batches) = decoder.flush()? else {
                break;
            };
            if !self.send(batches, tx)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Sends the events of `batches`, or the failures for a failures
    /// table: false when the receiver hung up.
    fn send(
        &self,
        Batches { events, failures }: Batches,
        tx: &Sender<Result<RecordBatch>>,
    ) -> Result<bool> {
        let batch = if self.scan.options.failures {
            self.failures(failures)?
        } else {
            events
        };
        if batch.num_rows() == 0 {
            return Ok(true);
        }
        let batch = batch.project(&self.indices)?;
        Ok(tx.blocking_send(Ok(batch)).is_ok())
    }

    /// A failures batch of lognorm's, with offsets in the file and the
    /// file's path.
    fn failures(&self, batch: RecordBatch) -> Result<RecordBatch> {
        let n = batch.num_rows();
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        if let Some(offsets) = columns.get_mut(1) {
            let start = UInt64Array::new_scalar(self.start);
            *offsets = add(offsets, &start)?;
        }
        columns.push(Arc::new(StringArray::from(vec![self.file.as_str(); n])));
        Ok(RecordBatch::try_new(failures_schema(), columns)?)
    }
}

/// The clock, as a timestamp (the epoch if the clock is before it).
fn now() -> Timestamp {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    i128::try_from(nanos)
        .ok()
        .and_then(Timestamp::from_unix_nanos)
        .unwrap_or(Timestamp::MIN)
}
