//! `lognorm::parquet`: Parquet writer properties for the batches of
//! `lognorm::arrow`.

use arrow_schema::Schema;
use parquet::arrow::ArrowSchemaConverter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::{WriterProperties, WriterPropertiesBuilder};

use crate::schema::columns::P_EVENT_TIME;

/// The rows of a row group: about a million, Parquet's usual size, so a
/// query engine skips whole groups by their `p_event_time` range and
/// bloom filters.
pub const ROW_GROUP_ROWS: usize = 1 << 20;

/// The distinct values a `p_any_*` column's bloom filter is sized for,
/// in each row group: 16 KiB a column at a 5% false-positive rate.
/// Parquet's own default (a million) takes about 1 MiB a column a row
/// group, written in full even for a few rows: 15 columns made a file of
/// 32 events 15.7 MB. With more distinct values in a row group the rate
/// rises (the filter still never says a value is absent when it is
/// there); raise it with `set_column_bloom_filter_ndv` on
/// [`writer_properties_builder`] for row groups of many distinct
/// indicators.
pub const BLOOM_FILTER_NDV: u64 = 16 * 1024;

/// The zstd level: 3, zstd's own default (a good ratio at a few hundred
/// MB/s).
const ZSTD_LEVEL: i32 = 3;

/// [`writer_properties`] as a builder, to change more before `build()`.
///
/// # Errors
///
/// A [`ParquetError`] if `schema` has no Parquet form (an `object`
/// with no fields makes an empty Struct, which Parquet cannot store).
///
/// # Example
///
/// ```
/// use lognorm::Registry;
///
/// let registry = Registry::builtin();
/// let schema = lognorm::arrow::arrow_schema(registry.log_type("Wiz.Audit").unwrap());
/// let props = lognorm::parquet::writer_properties_builder(&schema, false)?
///     .set_max_row_group_size(10_000)
///     .build();
/// assert_eq!(props.max_row_group_size(), 10_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn writer_properties_builder(
    schema: &Schema,
    sorted_by_event_time: bool,
) -> Result<WriterPropertiesBuilder, ParquetError> {
    let level = ZstdLevel::try_new(ZSTD_LEVEL).unwrap_or_default();
    let mut builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_max_row_group_size(ROW_GROUP_ROWS);
    let descriptor = ArrowSchemaConverter::new().convert(schema)?;
    for (i, leaf) in descriptor.columns().iter().enumerate() {
        let path = leaf.path();
        let Some(top) = path.parts().first() else { continue };
        if top.starts_with("p_any_") {
            builder = builder
                .set_column_bloom_filter_enabled(path.clone(), true)
                .set_column_bloom_filter_ndv(path.clone(), BLOOM_FILTER_NDV);
        } else if top == P_EVENT_TIME && sorted_by_event_time {
            let column_idx = i32::try_from(i).map_err(|_| {
                ParquetError::General("too many columns".into())
            })?;
            builder = builder.set_sorting_columns(Some(vec![SortingColumn {
                column_idx,
                descending: false,
                nulls_first: false,
            }]));
        }
    }
    Ok(builder)
}

/// Parquet writer properties tuned for a log type's event batches
/// (`schema` is its [`arrow_schema`](crate::arrow::arrow_schema)):
/// zstd compression, row groups of [`ROW_GROUP_ROWS`] rows, and a bloom
/// filter on every `p_any_*` column (sized by [`BLOOM_FILTER_NDV`]), so a search for an indicator (an IP
/// address, a user name) skips the row groups that do not hold it. With
/// `sorted_by_event_time`, the row groups are declared sorted by
/// `p_event_time` (ascending): only say so when the batches you write
/// are (sort them first; the decoder keeps the records' order).
///
/// The caller keeps the `ArrowWriter`: pass these to
/// `ArrowWriter::try_new`.
///
/// # Errors
///
/// As [`writer_properties_builder`].
///
/// # Example
///
/// ```
/// use lognorm::arrow::{BatchDecoder, arrow_schema};
/// use lognorm::{Context, Registry};
/// use parquet::arrow::ArrowWriter;
///
/// let registry = Registry::builtin();
/// let wiz = registry.log_type("Wiz.Audit").unwrap();
/// let props = lognorm::parquet::writer_properties(&arrow_schema(wiz), false)?;
/// let mut file = Vec::new();
/// let mut writer = ArrowWriter::try_new(&mut file, arrow_schema(wiz), Some(props))?;
///
/// let mut ctx = Context::new("2024-01-01T00:00:00Z".parse()?, *b"node01");
/// let mut decoder = BatchDecoder::new(wiz, 8192);
/// decoder.decode(br#"{"id":"1","action":"Login","timestamp":"2024-01-01T00:00:00Z"}"#, &mut ctx)?;
/// while let Some(batches) = decoder.flush()? {
///     writer.write(&batches.events)?;
/// }
/// writer.close()?;
/// assert_eq!(&file[..4], b"PAR1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn writer_properties(
    schema: &Schema,
    sorted_by_event_time: bool,
) -> Result<WriterProperties, ParquetError> {
    Ok(writer_properties_builder(schema, sorted_by_event_time)?.build())
}
