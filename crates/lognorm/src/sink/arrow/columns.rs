//! The Arrow schema of a log type and the column builders the Arrow
//! sink writes to.
//!
//! Both are laid out from the compiled plan (`crate::schema`): a field
//! is a column, an `object` a Struct of its fields, an `array` a List of
//! its element, then the `p_*` columns. Recursion follows the schema,
//! whose depth is bounded when it is compiled, never the input.

use std::sync::Arc;

use arrow_array::types::{
    ArrowPrimitiveType, Float64Type, Int16Type, Int32Type, Int64Type,
    TimestampNanosecondType,
};
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, ListArray, PrimitiveArray,
    StringArray, StructArray,
};
use arrow_buffer::{
    BooleanBufferBuilder, Buffer, NullBufferBuilder, OffsetBuffer,
    ScalarBuffer,
};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, TimeUnit};

use crate::indicators::{Collector, IndicatorSet};
use crate::schema::columns::{
    P_EVENT_TIME, P_LOG_TYPE, P_PARSE_TIME, P_ROW_ID, P_SOURCE_ID,
    P_SOURCE_LABEL, set_column,
};
use crate::schema::{IntKind, Kind, ObjectPlan, Schema as Plan, ValuePlan};

/// The metadata key of a field that holds a schema type Arrow has no
/// type for; its value names the schema type (`json`).
pub(crate) const TYPE_KEY: &str = "lognorm.type";

/// The time zone of every timestamp column.
const UTC: &str = "UTC";

/// The Arrow type of timestamps.
fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some(UTC.into()))
}

/// The field of a `p_any_*` column's elements (and of every list).
fn item(data_type: DataType) -> Arc<Field> {
    Arc::new(Field::new_list_field(data_type, true))
}

/// The Arrow schema of a compiled log type (see `lognorm::arrow`).
pub(crate) fn schema(plan: &Plan) -> Schema {
    let mut fields = object_fields(&plan.root, plan);
    let p_log_type = DataType::Dictionary(
        Box::new(DataType::Int32),
        Box::new(DataType::Utf8),
    );
    fields.extend([
        Field::new(P_LOG_TYPE, p_log_type, false),
        Field::new(P_ROW_ID, DataType::Utf8, false),
        Field::new(P_EVENT_TIME, timestamp_type(), false),
        Field::new(P_PARSE_TIME, timestamp_type(), false),
        Field::new(P_SOURCE_ID, DataType::Utf8, true),
        Field::new(P_SOURCE_LABEL, DataType::Utf8, true),
    ]);
    for set in IndicatorSet::ALL {
        let list = DataType::List(item(DataType::Utf8));
        fields.push(Field::new(set_column(set), list, true));
    }
    Schema::new(fields)
}

fn object_fields(object: &ObjectPlan, plan: &Plan) -> Vec<Field> {
    object
        .fields
        .iter()
        .map(|f| {
            let name = plan.columns.get(f.column as usize).map_or("", |c| c);
            field(name, &f.value, plan)
        })
        .collect()
}

fn field(name: &str, value: &ValuePlan, plan: &Plan) -> Field {
    let data_type = match &value.kind {
        Kind::String(_) => DataType::Utf8,
        Kind::Int(IntKind::Small) => DataType::Int16,
        Kind::Int(IntKind::Int) => DataType::Int32,
        Kind::Int(IntKind::Big) => DataType::Int64,
        Kind::Float => DataType::Float64,
        Kind::Boolean => DataType::Boolean,
        Kind::Timestamp(_) => timestamp_type(),
        Kind::Object(object) => {
            DataType::Struct(Fields::from(object_fields(object, plan)))
        }
        Kind::Array(element) => {
            DataType::List(Arc::new(field("item", element, plan)))
        }
        Kind::Json => {
            let metadata = [(TYPE_KEY.to_owned(), "json".to_owned())];
            return Field::new(name, DataType::Utf8, true)
                .with_metadata(metadata.into_iter().collect());
        }
    };
    Field::new(name, data_type, true)
}

/// The values of a primitive column so far.
#[derive(Debug)]
pub(crate) struct Prim<T> {
    values: Vec<T>,
    nulls: NullBufferBuilder,
}

impl<T: Copy + Default> Prim<T> {
    fn new() -> Prim<T> {
        Prim { values: Vec::new(), nulls: NullBufferBuilder::new(0) }
    }

    #[inline(always)]
    fn push(&mut self, v: T) {
        self.values.push(v);
        self.nulls.append_non_null();
    }

    /// `v` as the value at `row`, after nulls up to it.
    #[inline(always)]
    pub(crate) fn put(&mut self, row: usize, v: T) {
        if self.values.len() < row {
            self.push_nulls(row - self.values.len());
        }
        self.push(v);
    }

    fn push_nulls(&mut self, n: usize) {
        self.values.resize(self.values.len() + n, T::default());
        self.nulls.append_n_nulls(n);
    }

    fn truncate(&mut self, len: usize) {
        self.values.truncate(len);
        self.nulls.truncate(len);
    }

    /// The values as an array of `A`, leaving room for as many in the
    /// next batch.
    fn finish<A>(&mut self) -> Result<PrimitiveArray<A>, ArrowError>
    where
        T: arrow_buffer::ArrowNativeType,
        A: ArrowPrimitiveType<Native = T>,
    {
        // The capacity, not the length: a short batch (the last of a
        // payload) must not leave the next full one to grow again.
        let cap = self.values.capacity();
        let values =
            std::mem::replace(&mut self.values, Vec::with_capacity(cap));
        PrimitiveArray::try_new(
            ScalarBuffer::from(values),
            finish_nulls(&mut self.nulls),
        )
    }
}

impl Prim<i64> {
    /// [`Prim::finish`] of nanoseconds as UTC timestamps.
    fn finish_timestamps(
        &mut self,
    ) -> Result<PrimitiveArray<TimestampNanosecondType>, ArrowError> {
        Ok(self.finish()?.with_timezone(UTC))
    }
}

/// The offsets and bytes of a Utf8 or Binary column so far.
#[derive(Debug)]
pub(crate) struct Bytes {
    offsets: Vec<i32>,
    pub(crate) values: Vec<u8>,
    nulls: NullBufferBuilder,
}

impl Bytes {
    pub(crate) fn new() -> Bytes {
        Bytes {
            offsets: vec![0],
            values: Vec::new(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    /// Ends a value whose bytes were appended to `values`.
    #[inline(always)]
    pub(crate) fn end_value(&mut self) {
        // Never saturates: the decoder cuts a batch before its text
        // reaches `i32::MAX` bytes (see `decoder::MAX_WEIGHT`).
        self.offsets
            .push(i32::try_from(self.values.len()).unwrap_or(i32::MAX));
        self.nulls.append_non_null();
    }

    #[inline(always)]
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.values.extend_from_slice(bytes);
        self.end_value();
    }

    #[inline]
    pub(crate) fn push_null(&mut self) {
        let end = self.offsets.last().copied().unwrap_or(0);
        self.offsets.push(end);
        self.nulls.append_null();
    }

    fn push_nulls(&mut self, n: usize) {
        push_empty(&mut self.offsets, n);
        self.nulls.append_n_nulls(n);
    }

    /// Pads the column with nulls to `row` values.
    #[inline(always)]
    pub(crate) fn pad_to(&mut self, row: usize) {
        if self.len() < row {
            self.push_nulls(row - self.len());
        }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn truncate(&mut self, len: usize) {
        if self.offsets.len() > len + 1 {
            self.offsets.truncate(len + 1);
            self.nulls.truncate(len);
        }
        let end = self.offsets.last().copied().unwrap_or(0);
        self.values.truncate(usize::try_from(end).unwrap_or(0));
    }

    /// Offsets, bytes and nulls, leaving room for as many in the next
    /// batch.
    pub(crate) fn take(
        &mut self,
    ) -> (OffsetBuffer<i32>, Buffer, Option<arrow_buffer::NullBuffer>) {
        // Capacities, as in `Prim::finish`.
        let mut offsets = Vec::with_capacity(self.offsets.capacity());
        offsets.push(0);
        let offsets = std::mem::replace(&mut self.offsets, offsets);
        let cap = self.values.capacity();
        let values =
            std::mem::replace(&mut self.values, Vec::with_capacity(cap));
        (
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            Buffer::from(values),
            finish_nulls(&mut self.nulls),
        )
    }

    pub(crate) fn finish_utf8(&mut self) -> Result<StringArray, ArrowError> {
        let (offsets, values, nulls) = self.take();
        StringArray::try_new(offsets, values, nulls)
    }
}

/// An object's field: its column id and the node of its builder.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    pub(crate) column: u32,
    pub(crate) node: usize,
}

/// The builder of one column, shaped like its Arrow type. A log type's
/// builders are the nodes of one arena ([`Builders::nodes`]): a Struct's
/// fields and a List's elements are other nodes, by index, so the sink
/// keeps where it writes as plain indices.
///
/// A Struct's field may hold fewer values than the Struct: an absent
/// field costs nothing while it is absent, and is padded with nulls in
/// one run when it next gets a value or when the batch is finished (a
/// schema of many optional fields, most absent from each record, would
/// otherwise spend more on nulls than on values).
#[derive(Debug)]
pub(crate) enum Column {
    Boolean {
        values: BooleanBufferBuilder,
        nulls: NullBufferBuilder,
    },
    Int16(Prim<i16>),
    Int32(Prim<i32>),
    Int64(Prim<i64>),
    Float64(Prim<f64>),
    Timestamp(Prim<i64>),
    /// `string` and `json` (JSON text).
    Utf8(Bytes),
    /// An `object`: its fields, in schema order.
    Struct {
        fields: Box<[Slot]>,
        nulls: NullBufferBuilder,
        len: usize,
    },
    /// An `array`: the node of its elements.
    List {
        offsets: Vec<i32>,
        nulls: NullBufferBuilder,
        values: usize,
    },
}

/// Adds the builders of `value` (and of its fields or elements) to
/// `nodes`; returns its node. Recursion follows the schema, whose depth
/// is bounded when it is compiled.
fn add(nodes: &mut Vec<Column>, value: &ValuePlan) -> usize {
    let node = nodes.len();
    nodes.push(Column::Int16(Prim::new()));
    let column = match &value.kind {
        Kind::String(_) | Kind::Json => Column::Utf8(Bytes::new()),
        Kind::Int(IntKind::Small) => Column::Int16(Prim::new()),
        Kind::Int(IntKind::Int) => Column::Int32(Prim::new()),
        Kind::Int(IntKind::Big) => Column::Int64(Prim::new()),
        Kind::Float => Column::Float64(Prim::new()),
        Kind::Boolean => Column::Boolean {
            values: BooleanBufferBuilder::new(0),
            nulls: NullBufferBuilder::new(0),
        },
        Kind::Timestamp(_) => Column::Timestamp(Prim::new()),
        Kind::Object(object) => Column::Struct {
            fields: add_fields(nodes, object),
            nulls: NullBufferBuilder::new(0),
            len: 0,
        },
        Kind::Array(element) => Column::List {
            offsets: vec![0],
            nulls: NullBufferBuilder::new(0),
            values: add(nodes, element),
        },
    };
    if let Some(slot) = nodes.get_mut(node) {
        *slot = column;
    }
    node
}

/// Adds the builders of an object's fields to `nodes`.
fn add_fields(nodes: &mut Vec<Column>, object: &ObjectPlan) -> Box<[Slot]> {
    object
        .fields
        .iter()
        .map(|f| Slot { column: f.column, node: add(nodes, &f.value) })
        .collect()
}

impl Column {
    /// The values so far, nulls included.
    pub(crate) fn len(&self) -> usize {
        match self {
            Column::Boolean { values, .. } => values.len(),
            Column::Int16(p) => p.values.len(),
            Column::Int32(p) => p.values.len(),
            Column::Int64(p) | Column::Timestamp(p) => p.values.len(),
            Column::Float64(p) => p.values.len(),
            Column::Utf8(b) => b.len(),
            Column::Struct { len, .. } => *len,
            Column::List { offsets, .. } => offsets.len() - 1,
        }
    }

    /// Appends `n` nulls (a Struct's fields are padded later, see
    /// [`Column`]).
    fn push_nulls(&mut self, n: usize) {
        match self {
            Column::Boolean { values, nulls } => {
                values.append_n(n, false);
                nulls.append_n_nulls(n);
            }
            Column::Int16(p) => p.push_nulls(n),
            Column::Int32(p) => p.push_nulls(n),
            Column::Int64(p) | Column::Timestamp(p) => p.push_nulls(n),
            Column::Float64(p) => p.push_nulls(n),
            Column::Utf8(b) => b.push_nulls(n),
            Column::Struct { nulls, len, .. } => {
                nulls.append_n_nulls(n);
                *len += n;
            }
            Column::List { offsets, nulls, .. } => {
                push_empty(offsets, n);
                nulls.append_n_nulls(n);
            }
        }
    }

    /// Pads the column with nulls to `len` values.
    #[inline]
    pub(crate) fn pad_to(&mut self, len: usize) {
        let have = self.len();
        if have < len {
            self.push_nulls(len - have);
        }
    }

    /// A null as the value at `row`: a value that does not fit the
    /// column (a masked number, SPEC §10), or a JSON null.
    #[cold]
    pub(crate) fn null_at(&mut self, row: usize) {
        self.pad_to(row);
        self.push_nulls(1);
    }
}

/// The array of node `node`'s `len` values (padded with nulls), of
/// `field`'s type; its builders are empty again, sized for as many.
fn finish(
    nodes: &mut [Column],
    node: usize,
    field: &Field,
    len: usize,
) -> Result<ArrayRef, ArrowError> {
    let Some(column) = nodes.get_mut(node) else {
        return Err(mismatch(field));
    };
    column.pad_to(len);
    Ok(match column {
        Column::Boolean { values, nulls } => {
            let n = values.len();
            let mut b =
                std::mem::replace(values, BooleanBufferBuilder::new(n));
            Arc::new(BooleanArray::new(b.finish(), finish_nulls(nulls)))
        }
        Column::Int16(p) => Arc::new(p.finish::<Int16Type>()?),
        Column::Int32(p) => Arc::new(p.finish::<Int32Type>()?),
        Column::Int64(p) => Arc::new(p.finish::<Int64Type>()?),
        Column::Float64(p) => Arc::new(p.finish::<Float64Type>()?),
        Column::Timestamp(p) => Arc::new(p.finish_timestamps()?),
        Column::Utf8(b) => Arc::new(b.finish_utf8()?),
        Column::Struct { nulls, len, .. } => {
            let DataType::Struct(types) = field.data_type() else {
                return Err(mismatch(field));
            };
            let n = std::mem::take(len);
            let nulls = finish_nulls(nulls);
            let arrays = with_fields(nodes, node, |nodes, fields| {
                finish_fields(nodes, fields, types, n)
            });
            Arc::new(StructArray::try_new_with_length(
                types.clone(),
                arrays?,
                nulls,
                n,
            )?)
        }
        Column::List { offsets, nulls, values } => {
            let DataType::List(item) = field.data_type() else {
                return Err(mismatch(field));
            };
            let values = *values;
            let mut next = Vec::with_capacity(offsets.capacity());
            next.push(0);
            let offsets = std::mem::replace(offsets, next);
            let nulls = finish_nulls(nulls);
            let elements = nodes.get(values).map_or(0, Column::len);
            let array = finish(nodes, values, item, elements)?;
            Arc::new(ListArray::try_new(
                item.clone(),
                OffsetBuffer::new(ScalarBuffer::from(offsets)),
                array,
                nulls,
            )?)
        }
    })
}

/// Takes node `node` (and the nodes of its fields or elements) back to
/// at most `len` values: what a record that failed wrote is undone.
pub(crate) fn truncate(nodes: &mut [Column], node: usize, len: usize) {
    let Some(column) = nodes.get_mut(node) else {
        return;
    };
    match column {
        Column::Boolean { values, nulls } => {
            values.truncate(len);
            nulls.truncate(len);
        }
        Column::Int16(p) => p.truncate(len),
        Column::Int32(p) => p.truncate(len),
        Column::Int64(p) | Column::Timestamp(p) => p.truncate(len),
        Column::Float64(p) => p.truncate(len),
        Column::Utf8(b) => b.truncate(len),
        Column::Struct { nulls, len: have, .. } => {
            if *have > len {
                *have = len;
                nulls.truncate(len);
            }
            let n = *have;
            with_fields(nodes, node, |nodes, fields| {
                for slot in fields {
                    truncate(nodes, slot.node, n);
                }
            });
        }
        Column::List { offsets, nulls, values } => {
            if offsets.len() > len + 1 {
                offsets.truncate(len + 1);
                nulls.truncate(len);
            }
            let end = offsets.last().copied().unwrap_or(0);
            let values = *values;
            truncate(nodes, values, usize::try_from(end).unwrap_or(0));
        }
    }
}

/// The nulls so far; the builder starts again with room for as many.
fn finish_nulls(
    nulls: &mut NullBufferBuilder,
) -> Option<arrow_buffer::NullBuffer> {
    let n = nulls.len();
    std::mem::replace(nulls, NullBufferBuilder::new(n)).finish()
}

#[cold]
fn mismatch(field: &Field) -> ArrowError {
    ArrowError::SchemaError(format!(
        "column `{}`: expected the type lognorm derived, found {}",
        field.name(),
        field.data_type()
    ))
}

/// Appends `n` empty values to a Utf8 or List column's offsets.
fn push_empty(offsets: &mut Vec<i32>, n: usize) {
    let end = offsets.last().copied().unwrap_or(0);
    offsets.resize(offsets.len() + n, end);
}

/// Pads a List column with nulls to `len` values.
#[inline]
pub(crate) fn pad_list(
    offsets: &mut Vec<i32>,
    nulls: &mut NullBufferBuilder,
    len: usize,
) {
    let have = offsets.len() - 1;
    if have < len {
        push_empty(offsets, len - have);
        nulls.append_n_nulls(len - have);
    }
}

/// Runs `f` over the fields of the Struct at `node` with the arena free
/// to borrow: the fields are taken out meanwhile (the borrow checker's
/// price for children by index) and put back after.
fn with_fields<R>(
    nodes: &mut [Column],
    node: usize,
    f: impl FnOnce(&mut [Column], &[Slot]) -> R,
) -> R {
    let fields = match nodes.get_mut(node) {
        Some(Column::Struct { fields, .. }) => std::mem::take(fields),
        _ => Box::default(),
    };
    let result = f(nodes, &fields);
    if let Some(Column::Struct { fields: back, .. }) = nodes.get_mut(node) {
        *back = fields;
    }
    result
}

/// The arrays of a Struct's `fields`, of `types`, `len` values each.
fn finish_fields(
    nodes: &mut [Column],
    fields: &[Slot],
    types: &[arrow_schema::FieldRef],
    len: usize,
) -> Result<Vec<ArrayRef>, ArrowError> {
    fields
        .iter()
        .zip(types.iter())
        .map(|(slot, field)| finish(nodes, slot.node, field, len))
        .collect()
}

/// The values of a record's `p_*` columns, apart from the row id.
#[derive(Debug)]
pub(crate) struct PFields<'a> {
    pub event_time: i64,
    pub parse_time: i64,
    pub source_id: Option<&'a str>,
    pub source_label: Option<&'a str>,
    pub indicators: &'a Collector,
}

/// The builders of every column of a log type's batches.
#[derive(Debug)]
pub(crate) struct Builders {
    /// The declared columns' builders; node 0 is the record, a Struct of
    /// the root fields whose length is the rows so far.
    pub(crate) nodes: Vec<Column>,
    /// The node of each column id (`FieldPlan::column`).
    pub(crate) by_column: Box<[usize]>,
    /// `p_row_id`: its values are written by the row-id generator.
    pub(crate) row_id: Bytes,
    event_time: Prim<i64>,
    parse_time: Prim<i64>,
    source_id: Bytes,
    source_label: Bytes,
    /// `p_any_*`, by [`IndicatorSet::index`].
    any: Box<[(Vec<i32>, NullBufferBuilder, Bytes)]>,
}

impl Builders {
    /// Empty builders for the columns of `plan`.
    pub(crate) fn new(plan: &Plan) -> Builders {
        let mut nodes = vec![Column::Int16(Prim::new())];
        let fields = add_fields(&mut nodes, &plan.root);
        if let Some(root) = nodes.first_mut() {
            *root = Column::Struct {
                fields,
                nulls: NullBufferBuilder::new(0),
                len: 0,
            };
        }
        let mut by_column = Vec::new();
        for column in &nodes {
            if let Column::Struct { fields, .. } = column {
                for slot in fields {
                    let id = slot.column as usize;
                    if by_column.len() <= id {
                        by_column.resize(id + 1, usize::MAX);
                    }
                    if let Some(node) = by_column.get_mut(id) {
                        *node = slot.node;
                    }
                }
            }
        }
        Builders {
            nodes,
            by_column: by_column.into(),
            row_id: Bytes::new(),
            event_time: Prim::new(),
            parse_time: Prim::new(),
            source_id: Bytes::new(),
            source_label: Bytes::new(),
            any: IndicatorSet::ALL
                .iter()
                .map(|_| (vec![0], NullBufferBuilder::new(0), Bytes::new()))
                .collect(),
        }
    }

    /// The rows so far.
    pub(crate) fn rows(&self) -> usize {
        self.nodes.first().map_or(0, Column::len)
    }

    /// Undoes what a record that failed wrote to the declared columns.
    pub(crate) fn undo(&mut self) {
        let rows = self.rows();
        truncate(&mut self.nodes, 0, rows);
    }

    /// Ends the row the sink wrote to the declared columns with `p` (the
    /// row id must have been appended to `row_id` by the caller, then
    /// this ends it).
    pub(crate) fn end_row(&mut self, p: &PFields<'_>) {
        let row = self.rows();
        self.row_id.end_value();
        self.event_time.push(p.event_time);
        self.parse_time.push(p.parse_time);
        for (b, v) in [
            (&mut self.source_id, p.source_id),
            (&mut self.source_label, p.source_label),
        ] {
            match v {
                Some(v) => b.push(v.as_bytes()),
                None => b.push_null(),
            }
        }
        // Empty sets (most of them, in most records) are nulls padded in
        // runs, as absent fields are.
        for set in p.indicators.non_empty() {
            let Some((offsets, nulls, values)) = self.any.get_mut(set.index())
            else {
                continue;
            };
            pad_list(offsets, nulls, row);
            let end = offsets.last().copied().unwrap_or(0);
            let mut n = 0i32;
            for v in p.indicators.values(set) {
                values.push(v.as_bytes());
                n = n.saturating_add(1);
            }
            offsets.push(end.saturating_add(n));
            nulls.append_non_null();
        }
        if let Some(Column::Struct { len, .. }) = self.nodes.first_mut() {
            *len += 1;
        }
    }

    /// The columns of the rows so far, of `schema`'s types, and empty
    /// builders (sized for as many rows) for the next batch.
    pub(crate) fn finish(
        &mut self,
        schema: &Schema,
        log_type: &str,
    ) -> Result<Vec<ArrayRef>, ArrowError> {
        let rows = self.rows();
        if let Some(Column::Struct { len, .. }) = self.nodes.first_mut() {
            *len = 0;
        }
        // The declared columns come first in the schema, in field order.
        let mut columns = with_fields(&mut self.nodes, 0, |nodes, fields| {
            let declared = schema.fields().get(..fields.len());
            finish_fields(nodes, fields, declared.unwrap_or_default(), rows)
        })?;
        columns.reserve(schema.fields().len().saturating_sub(columns.len()));
        let keys = PrimitiveArray::<Int32Type>::from(vec![0; rows]);
        let names = Arc::new(StringArray::from(vec![log_type]));
        columns.push(Arc::new(DictionaryArray::try_new(keys, names)?));
        columns.push(Arc::new(self.row_id.finish_utf8()?));
        for p in [&mut self.event_time, &mut self.parse_time] {
            columns.push(Arc::new(p.finish_timestamps()?));
        }
        columns.push(Arc::new(self.source_id.finish_utf8()?));
        columns.push(Arc::new(self.source_label.finish_utf8()?));
        let item = item(DataType::Utf8);
        for (offsets, nulls, values) in self.any.iter_mut() {
            pad_list(offsets, nulls, rows);
            let mut next = Vec::with_capacity(offsets.capacity());
            next.push(0);
            let offsets = std::mem::replace(offsets, next);
            columns.push(Arc::new(ListArray::try_new(
                item.clone(),
                OffsetBuffer::new(ScalarBuffer::from(offsets)),
                Arc::new(values.finish_utf8()?),
                finish_nulls(nulls),
            )?));
        }
        Ok(columns)
    }
}
