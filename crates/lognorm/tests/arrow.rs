//! `lognorm::arrow` (feature `arrow`): for every shipped log type and
//! every golden input, the Arrow batches equal the JSON rows read into
//! the same schema by arrow-json, and the failures batches equal the
//! JSON path's errors; Parquet round trips (feature `parquet`).

use std::fs;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, TimestampNanosecondType, UInt64Type};
use arrow_array::{
    Array, ArrayRef, ListArray, RecordBatch, StringArray, StructArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use lognorm::arrow::{BatchDecoder, Batches, arrow_schema};
use lognorm::{LogType, Registry};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

use crate::util::{context, normalize_lines, testdata};

/// Whether `field` holds JSON text (a `json` field).
fn is_json(field: &Field) -> bool {
    field.metadata().get("lognorm.type").is_some_and(|t| t == "json")
}

/// `schema` as arrow-json can read it: `p_log_type` as plain Utf8 (its
/// reader has no dictionaries) and timestamps at offset `+00:00` (it
/// reads named zones only with chrono-tz); the same instants.
fn readable(schema: &Schema) -> SchemaRef {
    Arc::new(Schema::new(
        schema.fields().iter().map(|f| readable_field(f)).collect::<Vec<_>>(),
    ))
}

fn readable_field(f: &Field) -> Field {
    let data_type = match f.data_type() {
        DataType::Dictionary(..) => DataType::Utf8,
        DataType::Timestamp(unit, Some(_)) => {
            DataType::Timestamp(*unit, Some("+00:00".into()))
        }
        DataType::Struct(fields) => DataType::Struct(
            fields
                .iter()
                .map(|f| readable_field(f))
                .collect::<Vec<_>>()
                .into(),
        ),
        DataType::List(item) => DataType::List(Arc::new(readable_field(item))),
        other => other.clone(),
    };
    f.clone().with_data_type(data_type)
}

/// JSON text in a canonical form (keys sorted, numbers as serde_json
/// writes them), to compare `json` values whatever their key order.
fn canonical(text: &str) -> String {
    let value: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("json column is not JSON ({e}): {text}"));
    value.to_string()
}

/// The JSON text `raw` of a value of `field` with its `json` values
/// replaced by their canonical text as JSON strings, as arrow-json reads
/// a Utf8 column; everything else as written (serde_json's `Value` would
/// round some floats: it parses them not quite exactly).
fn stringify_json(raw: &RawValue, field: &Field) -> String {
    let text = raw.get();
    if text == "null" {
        return text.to_owned();
    }
    if is_json(field) {
        return Value::String(canonical(text)).to_string();
    }
    match field.data_type() {
        DataType::Struct(fields) => {
            let map: BTreeMap<String, Box<RawValue>> =
                serde_json::from_str(text).unwrap();
            let members: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let v = match fields.find(k) {
                        Some((_, f)) => stringify_json(v, f),
                        None => v.get().to_owned(),
                    };
                    format!("{}:{v}", Value::String(k.clone()))
                })
                .collect();
            format!("{{{}}}", members.join(","))
        }
        DataType::List(item) => {
            let items: Vec<Box<RawValue>> =
                serde_json::from_str(text).unwrap();
            let items: Vec<String> =
                items.iter().map(|v| stringify_json(v, item)).collect();
            format!("[{}]", items.join(","))
        }
        _ => text.to_owned(),
    }
}

/// An array of `field` as arrow-json reads it (of `readable_field`'s
/// type), its `json` strings in canonical form.
fn canonical_array(array: &ArrayRef, field: &Field) -> ArrayRef {
    if is_json(field) {
        let strings = array.as_string::<i32>();
        let canon: StringArray =
            strings.iter().map(|s| s.map(canonical)).collect();
        return Arc::new(canon);
    }
    let readable = readable_field(field);
    match (field.data_type(), readable.data_type()) {
        (DataType::Dictionary(..), _) => {
            let d = array.as_dictionary::<Int32Type>();
            let values = d.values().as_string::<i32>();
            let plain: StringArray = d
                .keys()
                .iter()
                .map(|k| k.map(|k| values.value(k as usize)))
                .collect();
            Arc::new(plain)
        }
        (DataType::Timestamp(..), _) => Arc::new(
            array
                .as_primitive::<TimestampNanosecondType>()
                .clone()
                .with_timezone("+00:00"),
        ),
        (DataType::Struct(fields), DataType::Struct(new)) => {
            let s = array.as_struct();
            let columns = s
                .columns()
                .iter()
                .zip(fields.iter())
                .map(|(c, f)| canonical_array(c, f))
                .collect();
            Arc::new(StructArray::new(
                new.clone(),
                columns,
                s.nulls().cloned(),
            ))
        }
        (DataType::List(item), DataType::List(new)) => {
            let l = array.as_list::<i32>();
            Arc::new(ListArray::new(
                new.clone(),
                l.offsets().clone(),
                canonical_array(l.values(), item),
                l.nulls().cloned(),
            ))
        }
        _ => array.clone(),
    }
}

/// An events batch as arrow-json would read its rows (see `readable`),
/// `json` text canonical.
fn comparable(batch: &RecordBatch) -> RecordBatch {
    let schema = readable(batch.schema_ref());
    let columns = batch
        .columns()
        .iter()
        .zip(batch.schema_ref().fields())
        .map(|(c, f)| canonical_array(c, f))
        .collect();
    RecordBatch::try_new(schema, columns).unwrap()
}

/// The JSON rows, read by arrow-json into batches of `size` rows.
fn rows_to_batches(
    schema: &Schema,
    rows: &[&str],
    size: usize,
) -> Vec<RecordBatch> {
    let schema = readable(schema);
    let mut text = Vec::new();
    let row_type = DataType::Struct(schema.fields().clone());
    let row_field = Field::new("row", row_type, false);
    for row in rows {
        let raw: Box<RawValue> = serde_json::from_str(row).unwrap();
        text.extend_from_slice(stringify_json(&raw, &row_field).as_bytes());
        text.push(b'\n');
    }
    let mut decoder = arrow_json::ReaderBuilder::new(schema)
        .with_batch_size(size)
        .with_strict_mode(false)
        .build_decoder()
        .unwrap();
    let mut batches = Vec::new();
    let mut at = 0;
    loop {
        let n = decoder.decode(&text[at..]).unwrap();
        at += n;
        match decoder.flush().unwrap() {
            Some(b) => batches.push(b),
            None if at == text.len() => break,
            None => {}
        }
    }
    batches
}

/// Every batch of a payload, decoded `size` events at a time.
fn decode(log_type: &LogType, payload: &[u8], size: usize) -> Vec<Batches> {
    let mut ctx = context();
    let mut decoder = BatchDecoder::new(log_type, size);
    decoder.decode(payload, &mut ctx).unwrap();
    let mut out = Vec::new();
    while let Some(b) = decoder.flush().unwrap() {
        assert_eq!(b.events.schema(), arrow_schema(log_type));
        out.push(b);
    }
    out
}

/// The log types of the golden files: the shipped ones and the regex and
/// csv test types of `testdata/schemas-text/`.
fn golden_registry() -> Registry {
    let mut b = Registry::builder();
    b.add_builtin().unwrap();
    b.add_dir(testdata().join("schemas-text")).unwrap();
    b.build()
}

/// The golden inputs: (log type, file name, payload).
fn golden_inputs(registry: &Registry) -> Vec<(&LogType, String, Vec<u8>)> {
    let mut inputs = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(testdata().join("logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let log_type = registry.log_type(&name).unwrap();
        let mut files: Vec<_> =
            fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let f = file.file_name().unwrap().to_str().unwrap().to_owned();
            if f.ends_with(".expected.jsonl") || f.starts_with('.') {
                continue;
            }
            inputs.push((
                log_type,
                format!("{name}/{f}"),
                fs::read(&file).unwrap(),
            ));
        }
    }
    inputs
}

#[test]
fn batches_equal_the_json_rows_read_by_arrow_json() {
    let registry = golden_registry();
    let (mut cases, mut events, mut failures) = (0, 0, 0);
    for (log_type, case, payload) in golden_inputs(&registry) {
        // Batches of 3 events: several per input, cut mid-payload.
        let (e, f) = check_payload(log_type, &case, &payload, 3);
        (cases, events, failures) = (cases + 1, events + e, failures + f);
    }
    println!("{cases} inputs, {events} events, {failures} failures");
    assert!(cases >= 20, "golden inputs: {cases}");
    assert!(
        events >= 300 && failures >= 100,
        "{events} events, {failures} failures"
    );
}

/// Checks one payload: the batches (of `size` events) equal the JSON
/// rows read by arrow-json, and the failures the JSON path's errors.
/// Returns (events, failures).
fn check_payload(
    log_type: &LogType,
    case: &str,
    payload: &[u8],
    size: usize,
) -> (usize, usize) {
    let lines = normalize_lines(log_type, payload);
    let rows: Vec<&str> = lines
        .iter()
        .filter(|l| !l.starts_with("error: "))
        .map(String::as_str)
        .collect();
    let got = decode(log_type, payload, size);
    let want = rows_to_batches(&arrow_schema(log_type), &rows, size);
    let got_events: Vec<RecordBatch> = got
        .iter()
        .map(|b| &b.events)
        .filter(|b| b.num_rows() > 0)
        .map(comparable)
        .collect();
    assert_eq!(got_events.len(), want.len(), "{case}: batches");
    for (i, (g, w)) in got_events.iter().zip(&want).enumerate() {
        assert_eq!(g.schema(), w.schema(), "{case}: batch {i}");
        for (k, f) in g.schema().fields().iter().enumerate() {
            let (gc, wc) = (g.column(k), w.column(k));
            assert!(
                gc == wc,
                "{case}: batch {i}, column `{}`:\n  arrow:      {gc:?}\n  \
                 arrow-json: {wc:?}\n  rows: {rows:?}",
                f.name()
            );
        }
    }
    // Failures: the JSON path's errors, with their records.
    let records: Vec<_> = log_type.split(payload).collect();
    let mut got_errors = Vec::new();
    for b in &got {
        let f = &b.failures;
        let numbers = f.column(0).as_primitive::<UInt64Type>();
        let offsets = f.column(1).as_primitive::<UInt64Type>();
        let names = f.column(2).as_string::<i32>();
        let messages = f.column(3).as_string::<i32>();
        let raw = f.column(4).as_binary::<i32>();
        for i in 0..f.num_rows() {
            let n = numbers.value(i);
            let record = records[n as usize - 1];
            assert_eq!(offsets.value(i), record.offset() as u64, "{case}");
            assert_eq!(names.value(i), log_type.name());
            assert_eq!(raw.value(i), record.bytes(), "{case}");
            got_errors.push(format!("{n}: {}", messages.value(i)));
        }
    }
    let want_errors: Vec<String> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            Some(format!("{}: {}", i + 1, l.strip_prefix("error: ")?))
        })
        .collect();
    assert_eq!(got_errors, want_errors, "{case}: failures");
    (rows.len(), want_errors.len())
}

/// Panther's schema tests (`../shared/realworld-schemas/`, skipped when
/// absent): every case's input through every schema of its log type
/// that loads, in batches of 2 events.
#[test]
fn realworld_batches_equal_the_json_rows() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realworld-schemas");
    let Ok(entries) = fs::read_dir(&dir) else {
        eprintln!("arrow: {} is absent; skipped", dir.display());
        return;
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut registries: Vec<Registry> = Vec::new();
    let mut tests = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.ends_with(".yml") {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        if name.ends_with(".tests.yml") {
            tests.push((name, text));
        } else if let Ok(b) = Registry::builder().add_yaml(&name, &text) {
            registries.push(b.build());
        }
    }
    let (mut cases, mut events, mut failures) = (0, 0, 0);
    for (file, text) in &tests {
        let Ok(parsed) = lognorm::schematest::parse(file, text) else {
            continue;
        };
        for case in &parsed {
            for registry in &registries {
                let Some(lt) = registry.log_type(case.log_type()) else {
                    continue;
                };
                let id = format!("{file} | {}", case.name());
                let (e, f) =
                    check_payload(lt, &id, case.input().as_bytes(), 2);
                (cases, events, failures) =
                    (cases + 1, events + e, failures + f);
            }
        }
    }
    eprintln!(
        "arrow: {cases} realworld cases, {events} events, {failures} failures"
    );
    assert!(cases >= 100 && events >= 100, "{cases} cases, {events} events");
}

/// A record that fails after some of its fields were staged leaves
/// nothing in any column: the next event's row is whole.
#[test]
fn a_failed_record_leaves_no_partial_row() {
    let yaml = r#"
schema: Test.Rollback
fields:
  - name: a
    type: string
  - name: o
    type: object
    fields:
      - name: x
        type: int
  - name: l
    type: array
    element:
      type: bigint
  - name: j
    type: json
  - name: n
    type: int
    required: true
"#;
    let registry =
        Registry::builder().add_yaml("r.yml", yaml).unwrap().build();
    let lt = registry.log_type("Test.Rollback").unwrap();
    let payload = br#"{"a":"1","o":{"x":1},"l":[1,2],"j":{"k":[1]},"n":"bad"}
{"a":"2","l":[null,3],"n":2,"j":"s"}
{"a":"3","o":{"x":"y"},"n":3}
"#;
    let batches = decode(lt, payload, 10);
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!(b.events.num_rows(), 1);
    assert_eq!(b.failures.num_rows(), 2);
    let lines = normalize_lines(lt, payload);
    let want = rows_to_batches(&arrow_schema(lt), &[lines[1].as_str()], 10);
    assert_eq!(comparable(&b.events), want[0]);
    let j = b.events.column(3).as_string::<i32>();
    assert_eq!(j.value(0), r#""s""#);
    let l = b.events.column(2).as_list::<i32>();
    assert_eq!(l.value(0).null_count(), 1);
    assert_eq!(
        b.failures.column(3).as_string::<i32>().value(1),
        "record 3 (byte 93): field `o.x`: expected int, found `\"y\"`"
    );
}

/// A timestamp that Arrow's nanoseconds cannot hold fails its record
/// (the JSON row can hold it); the year 1677 still fits.
#[test]
fn timestamps_outside_nanoseconds_fail_the_record() {
    let yaml = "schema: Test.Old\nfields:\n  - name: t\n    type: timestamp\n";
    let registry =
        Registry::builder().add_yaml("o.yml", yaml).unwrap().build();
    let lt = registry.log_type("Test.Old").unwrap();
    let payload =
        b"{\"t\":\"1500-01-01T00:00:00Z\"}\n{\"t\":\"1677-09-22T00:00:00Z\"}";
    let b = &decode(lt, payload, 10)[0];
    assert_eq!(b.events.num_rows(), 1);
    assert_eq!(
        b.failures.column(3).as_string::<i32>().value(0),
        "record 1 (byte 0): expected a timestamp within Arrow's \
         nanosecond range (1677-09-21 to 2262-04-11), found \
         `1500-01-01 00:00:00.000000000`"
    );
    assert!(
        normalize_lines(lt, payload)[0].starts_with("{\"t\":\"1500-01-01")
    );
}

/// `json` text is the JSON row's text, key order and number literals
/// as sent.
#[test]
fn json_columns_hold_the_rows_json_text() {
    let yaml = "schema: Test.Json\nfields:\n  - name: j\n    type: json\n";
    let registry =
        Registry::builder().add_yaml("j.yml", yaml).unwrap().build();
    let lt = registry.log_type("Test.Json").unwrap();
    let payload = br#"{"j":{"z":1.50,"a":[true,null,"\u00e9\n"],"e":{}}}"#;
    let b = &decode(lt, payload, 10)[0];
    let row = &normalize_lines(lt, payload)[0];
    let j = b.events.column(0).as_string::<i32>().value(0);
    assert_eq!(j, r#"{"z":1.50,"a":[true,null,"é\n"],"e":{}}"#);
    assert!(row.starts_with(&format!("{{\"j\":{j},")), "{row}");
}

/// Batches are cut at the caller's size; the failures of a batch are
/// those met while it filled; flush hands back the rest, then nothing.
#[test]
fn batches_are_cut_at_the_callers_size() {
    let yaml = "schema: Test.Size\nfields:\n  - name: n\n    type: int\n    required: true\n";
    let registry =
        Registry::builder().add_yaml("s.yml", yaml).unwrap().build();
    let lt = registry.log_type("Test.Size").unwrap();
    let mut ctx = context();
    let mut d = BatchDecoder::new(lt, 2);
    d.decode(b"{\"n\":1}\n{}\n{\"n\":2}\n{\"n\":3}\n", &mut ctx).unwrap();
    assert!(d.has_full_batch());
    assert_eq!(d.len(), 1);
    let first = d.flush().unwrap().unwrap();
    assert_eq!((first.events.num_rows(), first.failures.num_rows()), (2, 1));
    d.decode(b"x\n", &mut ctx).unwrap();
    let rest = d.flush().unwrap().unwrap();
    assert_eq!((rest.events.num_rows(), rest.failures.num_rows()), (1, 1));
    let n = rest.events.column(0).as_primitive::<Int32Type>();
    assert_eq!(n.values(), &[3]);
    assert!(d.flush().unwrap().is_none());
}

#[cfg(feature = "parquet")]
mod parquet_files {
    use super::*;
    use parquet::arrow::ArrowWriter;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::basic::Compression;

    /// Every shipped log type's golden batches, written to Parquet with
    /// lognorm's properties and read back, are the same batches; the
    /// file has zstd, the sorting column and bloom filters on `p_any_*`.
    #[test]
    fn parquet_round_trips_every_golden_batch() {
        let registry = golden_registry();
        let mut files = 0;
        for (log_type, case, payload) in golden_inputs(&registry) {
            let schema = arrow_schema(log_type);
            let props =
                lognorm::parquet::writer_properties(&schema, true).unwrap();
            let batches: Vec<RecordBatch> = decode(log_type, &payload, 1000)
                .into_iter()
                .map(|b| b.events)
                .filter(|b| b.num_rows() > 0)
                .collect();
            if batches.is_empty() {
                continue;
            }
            let mut file = Vec::new();
            let mut w =
                ArrowWriter::try_new(&mut file, schema.clone(), Some(props))
                    .unwrap();
            for b in &batches {
                w.write(b).unwrap();
            }
            w.close().unwrap();
            let reader = ParquetRecordBatchReaderBuilder::try_new(
                bytes::Bytes::from(file),
            )
            .unwrap();
            let meta = reader.metadata().clone();
            let read: Vec<RecordBatch> =
                reader.build().unwrap().map(Result::unwrap).collect();
            assert_eq!(read, batches, "{case}");
            let group = meta.row_group(0);
            let sorting = group.sorting_columns().unwrap();
            let event_time = &group.columns()[sorting[0].column_idx as usize];
            assert_eq!(event_time.column_path().string(), "p_event_time");
            for c in group.columns() {
                assert!(matches!(c.compression(), Compression::ZSTD(_)));
                let any = c.column_path().parts()[0].starts_with("p_any_");
                assert_eq!(
                    c.bloom_filter_offset().is_some(),
                    any,
                    "{case}: {}",
                    c.column_path()
                );
            }
            files += 1;
        }
        assert!(files >= 7, "{files}");
    }
}

/// A schema with every type, nesting (objects in arrays, arrays in
/// objects, arrays of arrays) and `json` at every level.
const PROP_YAML: &str = r#"
schema: Test.ArrowProp
fields:
  - name: s
    type: string
  - name: i
    type: int
  - name: b
    type: boolean
  - name: f
    type: float
  - name: t
    type: timestamp
    timeFormats: [rfc3339, unix]
    isEventTime: true
  - name: o
    type: object
    fields:
      - name: x
        type: smallint
      - name: l
        type: array
        element:
          type: string
      - name: r
        type: bigint
        required: true
  - name: a
    type: array
    element:
      type: object
      fields:
        - name: y
          type: string
          indicators: [ip]
        - name: j
          type: json
  - name: j
    type: json
  - name: aa
    type: array
    element:
      type: array
      element:
        type: int
"#;

static PROP: std::sync::LazyLock<Registry> = std::sync::LazyLock::new(|| {
    Registry::builder().add_yaml("prop.yml", PROP_YAML).unwrap().build()
});

mod props {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// A scalar: mostly fitting the field, sometimes not (the record
    /// then fails), sometimes null or `""`.
    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            Just(json!("")),
            Just(json!(true)),
            (-40_000i64..40_000).prop_map(|n| json!(n)),
            Just(json!(3_000_000_000i64)),
            (-1e6f64..1e6).prop_map(|f| json!(f)),
            "[a-c\"\\\\\n\u{e9}0-9.]{0,6}".prop_map(Value::String),
            Just(json!("10.0.0.1")),
            Just(json!("2024-02-03T04:05:06.7Z")),
            Just(json!(1_700_000_000)),
        ]
    }

    /// Any JSON value, a few levels deep.
    fn any_json() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3)
                    .prop_map(Value::Array),
                prop::collection::btree_map("[a-d]{1,2}", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn maybe(
        v: impl Strategy<Value = Value>,
    ) -> impl Strategy<Value = Option<Value>> {
        prop::option::weighted(0.7, v)
    }

    /// A value of the field's type (as SPEC §3 coerces), else now and
    /// then any scalar (which may fail the record).
    fn typed(kind: &'static str) -> impl Strategy<Value = Value> {
        let valid = match kind {
            "string" => prop_oneof![
                "[a-c\"\\\\\n\u{e9}0-9.]{0,6}".prop_map(Value::String),
                Just(json!("10.0.0.1")),
                (0i64..99).prop_map(|n| json!(n)),
            ]
            .boxed(),
            "int" => (-40_000i64..40_000).prop_map(|n| json!(n)).boxed(),
            "smallint" => prop_oneof![
                (-30_000i64..30_000).prop_map(|n| json!(n)),
                (-30_000i64..30_000).prop_map(|n| json!(n.to_string())),
            ]
            .boxed(),
            "boolean" => prop_oneof![
                any::<bool>().prop_map(|b| json!(b)),
                Just(json!("T")),
                Just(json!(0)),
            ]
            .boxed(),
            "float" => prop_oneof![
                (-1e9f64..1e9).prop_map(|f| json!(f)),
                (-99i64..99).prop_map(|n| json!(n)),
            ]
            .boxed(),
            _ => prop_oneof![
                Just(json!("2024-02-03T04:05:06.7Z")),
                Just(json!("1999-12-31T23:59:59+01:00")),
                (0i64..2_000_000_000).prop_map(|n| json!(n)),
            ]
            .boxed(),
        };
        prop_oneof![12 => valid, 1 => scalar()]
    }

    fn record() -> impl Strategy<Value = Value> {
        let strings = prop::collection::vec(typed("string"), 0..3);
        let o = (
            maybe(typed("smallint")),
            maybe(strings.prop_map(Value::Array)),
            prop::option::weighted(0.95, typed("int")),
        )
            .prop_map(|(x, l, r)| object([("x", x), ("l", l), ("r", r)]));
        let elem = (maybe(typed("string")), maybe(any_json()))
            .prop_map(|(y, j)| object([("y", y), ("j", j)]));
        let a = prop::collection::vec(
            prop_oneof![1 => Just(Value::Null), 6 => elem],
            0..3,
        )
        .prop_map(Value::Array);
        let ints = prop::collection::vec(typed("int"), 0..3);
        let aa = prop::collection::vec(
            prop_oneof![
                1 => Just(Value::Null),
                6 => ints.prop_map(Value::Array)
            ],
            0..3,
        )
        .prop_map(Value::Array);
        (
            (
                maybe(typed("string")),
                maybe(typed("int")),
                maybe(typed("boolean")),
                maybe(typed("float")),
                maybe(typed("timestamp")),
            ),
            (
                maybe(prop_oneof![12 => o, 1 => scalar()]),
                maybe(a),
                maybe(any_json()),
                maybe(aa),
            ),
        )
            .prop_map(|((s, i, b, f, t), (o, a, j, aa))| {
                object([
                    ("s", s),
                    ("i", i),
                    ("b", b),
                    ("f", f),
                    ("t", t),
                    ("o", o),
                    ("a", a),
                    ("j", j),
                    ("aa", aa),
                ])
            })
    }

    fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
        Value::Object(
            fields
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_owned(), v?)))
                .collect(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(64),
            ..ProptestConfig::default()
        })]

        /// Generated records (events and failures mixed) through the
        /// Arrow decoder equal their JSON rows read by arrow-json, in
        /// batches of 1 to 4 events.
        #[test]
        fn generated_records_equal_their_json_rows(
            records in prop::collection::vec(record(), 1..12),
            size in 1usize..5,
        ) {
            let lt = PROP.log_type("Test.ArrowProp").unwrap();
            let payload: Vec<u8> = records
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes();
            check_payload(lt, "generated", &payload, size);
        }
    }
}
