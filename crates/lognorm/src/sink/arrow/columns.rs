//! The Arrow schema of a log type and the column builders a staged
//! record is committed to.
//!
//! Both are laid out from the compiled plan (`crate::schema`): a field
//! is a column, an `object` a Struct of its fields, an `array` a List of
//! its element, then the `p_*` columns. Recursion follows the schema,
//! whose depth is bounded when it is compiled, never the input.

use std::sync::Arc;

use arrow_array::types::{
    Float64Type, Int16Type, Int32Type, Int64Type, TimestampNanosecondType,
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

use super::{Stage, Token};

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

    #[inline]
    fn push(&mut self, v: T) {
        self.values.push(v);
        self.nulls.append_non_null();
    }

    #[inline]
    fn push_null(&mut self) {
        self.values.push(T::default());
        self.nulls.append_null();
    }

    fn push_nulls(&mut self, n: usize) {
        self.values.resize(self.values.len() + n, T::default());
        self.nulls.append_n_nulls(n);
    }

    /// The values, leaving room for as many in the next batch.
    fn take(&mut self) -> (ScalarBuffer<T>, Option<arrow_buffer::NullBuffer>)
    where
        T: arrow_buffer::ArrowNativeType,
    {
        // The capacity, not the length: a short batch (the last of a
        // payload) must not leave the next full one to grow again.
        let cap = self.values.capacity();
        let values =
            std::mem::replace(&mut self.values, Vec::with_capacity(cap));
        (ScalarBuffer::from(values), finish_nulls(&mut self.nulls))
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

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Offsets, bytes and nulls, leaving room for as many in the next
    /// batch.
    pub(crate) fn take(
        &mut self,
    ) -> (OffsetBuffer<i32>, Buffer, Option<arrow_buffer::NullBuffer>) {
        // Capacities, as in `Prim::take`.
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

/// Where a staged record's strings are: the stage's text, and the
/// record's own (see [`Token::Raw`]).
#[derive(Clone, Copy)]
pub(crate) struct Texts<'t> {
    staged: &'t [u8],
    record: &'t [u8],
}

/// An object's field: its column id and builder, and the values the
/// builder has (what [`Column::len`] would say, without its dispatch on
/// the column's type: the field's object pads it with nulls to its own
/// row before each value).
#[derive(Debug)]
pub(crate) struct Slot {
    column: u32,
    filled: usize,
    builder: Column,
}

/// The builder of one column, shaped like its Arrow type.
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
    /// An `object`: its fields' column ids and builders.
    Struct {
        fields: Box<[Slot]>,
        nulls: NullBufferBuilder,
        len: usize,
    },
    /// An `array`.
    List {
        offsets: Vec<i32>,
        nulls: NullBufferBuilder,
        values: Box<Column>,
    },
}

impl Column {
    /// The builders of an object's fields.
    fn fields(object: &ObjectPlan) -> Box<[Slot]> {
        object
            .fields
            .iter()
            .map(|f| Slot {
                column: f.column,
                filled: 0,
                builder: Column::new(&f.value),
            })
            .collect()
    }

    fn new(value: &ValuePlan) -> Column {
        match &value.kind {
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
                fields: Column::fields(object),
                nulls: NullBufferBuilder::new(0),
                len: 0,
            },
            Kind::Array(element) => Column::List {
                offsets: vec![0],
                nulls: NullBufferBuilder::new(0),
                values: Box::new(Column::new(element)),
            },
        }
    }

    /// The values so far, nulls included.
    fn len(&self) -> usize {
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

    /// Appends `n` nulls. A Struct's fields are not touched: each is
    /// padded with nulls to the Struct's length when it next gets a
    /// value (`push_fields`) or is finished ([`Column::pad_to`]).
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

    fn push_null(&mut self) {
        self.push_nulls(1);
    }

    /// Pads the column with nulls to `len` values. An absent field costs
    /// nothing while it is absent: its nulls are appended as one run
    /// when it next has a value, or when the batch is finished (a schema
    /// of many optional fields, most absent from each record, would
    /// otherwise spend more on nulls than on values).
    #[inline]
    fn pad_to(&mut self, len: usize) {
        let have = self.len();
        if have < len {
            self.push_nulls(len - have);
        }
    }

    /// Appends the value staged at `tokens[*at]` (moving `at` past it).
    /// A value that does not fit the column (a masked number, SPEC §10)
    /// is a null.
    fn push(&mut self, tokens: &[Token], at: &mut usize, text: Texts<'_>) {
        let Some(&token) = tokens.get(*at) else {
            return self.push_null();
        };
        *at += 1;
        match (self, token) {
            (Column::Boolean { values, nulls }, Token::Bool(b)) => {
                values.append(b);
                nulls.append_non_null();
            }
            (Column::Int16(p), Token::Int(n)) => match i16::try_from(n) {
                Ok(n) => p.push(n),
                Err(_) => p.push_null(),
            },
            (Column::Int32(p), Token::Int(n)) => match i32::try_from(n) {
                Ok(n) => p.push(n),
                Err(_) => p.push_null(),
            },
            (Column::Int64(p), Token::Int(n)) => p.push(n),
            (Column::Float64(p), Token::Float(f)) => p.push(f),
            // A `float` field's integers, as the row's reader reads them.
            (Column::Float64(p), Token::Int(n)) => p.push(n as f64),
            (Column::Float64(p), Token::UInt(n)) => p.push(n as f64),
            (Column::Timestamp(p), Token::Time(ns)) => p.push(ns),
            (
                Column::Utf8(b),
                Token::Str(start, end) | Token::Json(start, end),
            ) => b.push(text.staged.get(start..end).unwrap_or_default()),
            (Column::Utf8(b), Token::Raw(start, end)) => {
                b.push(text.record.get(start..end).unwrap_or_default());
            }
            (Column::Struct { fields, nulls, len }, Token::BeginObject) => {
                push_fields(fields, tokens, at, text, *len);
                skip_to_end(tokens, at);
                nulls.append_non_null();
                *len += 1;
            }
            (Column::List { offsets, nulls, values }, Token::BeginArray) => {
                let mut n = 0usize;
                while let Some(&t) = tokens.get(*at) {
                    if t == Token::EndArray {
                        break;
                    }
                    values.push(tokens, at, text);
                    n += 1;
                }
                *at += 1;
                let end = offsets.last().copied().unwrap_or(0);
                let n = i32::try_from(n).unwrap_or(i32::MAX);
                offsets.push(end.saturating_add(n));
                nulls.append_non_null();
            }
            (column, token) => {
                if matches!(token, Token::BeginObject | Token::BeginArray) {
                    skip_to_end(tokens, at);
                }
                column.push_null();
            }
        }
    }

    /// The column's array of `len` values (padded with nulls), of
    /// `field`'s type; the builder is empty again.
    fn finish(
        &mut self,
        field: &Field,
        len: usize,
    ) -> Result<ArrayRef, ArrowError> {
        self.pad_to(len);
        Ok(match self {
            Column::Boolean { values, nulls } => {
                let n = values.len();
                let mut b =
                    std::mem::replace(values, BooleanBufferBuilder::new(n));
                Arc::new(BooleanArray::new(b.finish(), finish_nulls(nulls)))
            }
            Column::Int16(p) => {
                let (v, n) = p.take();
                Arc::new(PrimitiveArray::<Int16Type>::try_new(v, n)?)
            }
            Column::Int32(p) => {
                let (v, n) = p.take();
                Arc::new(PrimitiveArray::<Int32Type>::try_new(v, n)?)
            }
            Column::Int64(p) => {
                let (v, n) = p.take();
                Arc::new(PrimitiveArray::<Int64Type>::try_new(v, n)?)
            }
            Column::Float64(p) => {
                let (v, n) = p.take();
                Arc::new(PrimitiveArray::<Float64Type>::try_new(v, n)?)
            }
            Column::Timestamp(p) => {
                let (v, n) = p.take();
                Arc::new(
                    PrimitiveArray::<TimestampNanosecondType>::try_new(v, n)?
                        .with_timezone(UTC),
                )
            }
            Column::Utf8(b) => Arc::new(b.finish_utf8()?),
            Column::Struct { fields, nulls, len } => {
                let DataType::Struct(types) = field.data_type() else {
                    return Err(mismatch(field));
                };
                let n = std::mem::take(len);
                let arrays = finish_fields(fields, types, n)?;
                Arc::new(StructArray::try_new_with_length(
                    types.clone(),
                    arrays,
                    finish_nulls(nulls),
                    n,
                )?)
            }
            Column::List { offsets, nulls, values } => {
                let DataType::List(item) = field.data_type() else {
                    return Err(mismatch(field));
                };
                let elements = values.len();
                let array = values.finish(item, elements)?;
                let mut next = Vec::with_capacity(offsets.capacity());
                next.push(0);
                let offsets = std::mem::replace(offsets, next);
                Arc::new(ListArray::try_new(
                    item.clone(),
                    OffsetBuffer::new(ScalarBuffer::from(offsets)),
                    array,
                    finish_nulls(nulls),
                )?)
            }
        })
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

/// Appends an object's staged fields (`Key(column) value` pairs in
/// schema order, absent ones left out) to `fields` as the values at
/// `row`; the absent ones are left to be padded with nulls.
fn push_fields(
    fields: &mut [Slot],
    tokens: &[Token],
    at: &mut usize,
    text: Texts<'_>,
    row: usize,
) {
    for slot in fields.iter_mut() {
        if tokens.get(*at) == Some(&Token::Key(slot.column)) {
            *at += 1;
            if slot.filled < row {
                slot.builder.push_nulls(row - slot.filled);
            }
            debug_assert_eq!(slot.builder.len(), row);
            slot.builder.push(tokens, at, text);
            slot.filled = row + 1;
        }
    }
}

/// Pads a List column with nulls to `len` values.
fn pad_list(
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

/// Appends `n` empty values to a Utf8 or List column's offsets.
fn push_empty(offsets: &mut Vec<i32>, n: usize) {
    let end = offsets.last().copied().unwrap_or(0);
    offsets.resize(offsets.len() + n, end);
}

/// Moves `at` past the end of the object or array whose begin token was
/// just read.
fn skip_to_end(tokens: &[Token], at: &mut usize) {
    let mut depth = 1usize;
    while let Some(&t) = tokens.get(*at) {
        *at += 1;
        match t {
            Token::BeginObject | Token::BeginArray => depth += 1,
            Token::EndObject | Token::EndArray => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

fn finish_fields(
    fields: &mut [Slot],
    types: &Fields,
    len: usize,
) -> Result<Vec<ArrayRef>, ArrowError> {
    fields
        .iter_mut()
        .zip(types.iter())
        .map(|(slot, field)| {
            slot.filled = 0;
            slot.builder.finish(field, len)
        })
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
    fields: Box<[Slot]>,
    rows: usize,
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
        Builders {
            fields: Column::fields(&plan.root),
            rows: 0,
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
        self.rows
    }

    /// Appends the staged record's declared fields and `p` (the row id
    /// must have been appended to `row_id` by the caller, then this
    /// ends it).
    pub(crate) fn push(
        &mut self,
        stage: &Stage,
        record: &[u8],
        p: &PFields<'_>,
    ) {
        let mut at = 0;
        let row = self.rows;
        let text = Texts { staged: &stage.text, record };
        push_fields(&mut self.fields, &stage.tokens, &mut at, text, row);
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
        self.rows += 1;
    }

    /// The columns of the rows so far, of `schema`'s types, and empty
    /// builders (sized for as many rows) for the next batch.
    pub(crate) fn finish(
        &mut self,
        schema: &Schema,
        log_type: &str,
    ) -> Result<Vec<ArrayRef>, ArrowError> {
        let n = self.fields.len();
        let declared = schema.fields().get(..n).unwrap_or_default();
        let mut columns = Vec::with_capacity(schema.fields().len());
        let rows = std::mem::take(&mut self.rows);
        for (slot, field) in self.fields.iter_mut().zip(declared) {
            slot.filled = 0;
            columns.push(slot.builder.finish(field, rows)?);
        }
        let keys = PrimitiveArray::<Int32Type>::from(vec![0; rows]);
        let names = Arc::new(StringArray::from(vec![log_type]));
        columns.push(Arc::new(DictionaryArray::try_new(keys, names)?));
        columns.push(Arc::new(self.row_id.finish_utf8()?));
        for p in [&mut self.event_time, &mut self.parse_time] {
            let (v, nulls) = p.take();
            columns.push(Arc::new(
                PrimitiveArray::<TimestampNanosecondType>::try_new(v, nulls)?
                    .with_timezone(UTC),
            ));
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
