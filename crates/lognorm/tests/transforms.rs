//! Field transformations and field discovery (SPEC §10): exact rows.

use lognorm::{DiscoveredType, Registry, Scratch};

use crate::util::context;

/// The declared and discovered fields of each record (the row up to the
/// `p_*` fields), or `error: …`.
fn rows(yaml: &str, payload: &str) -> Vec<String> {
    let registry =
        Registry::builder().add_yaml("t.yml", yaml).unwrap().build();
    let log_type = registry.log_types().next().unwrap();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    for record in log_type.split(payload.as_bytes()) {
        out.push(match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(e) => e
                .row()
                .split("\"p_log_type")
                .next()
                .unwrap()
                .trim_end_matches(',')
                .to_owned(),
            Err(e) => format!("error: {e}"),
        });
    }
    out
}

fn schema_error(yaml: &str) -> String {
    match Registry::builder().add_yaml("t.yml", yaml) {
        Ok(_) => "compiled".to_owned(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn rename_reads_the_field_from_another_key() {
    let yaml = "schema: Test.Rename\nfields:\n  - name: userId\n    type: string\n    \
                required: true\n    rename:\n      from: PIN\n";
    assert_eq!(
        rows(
            yaml,
            "{\"PIN\":\"1234\",\"userId\":\"x\"}\n{\"userId\":\"x\"}\n"
        ),
        [
            "{\"userId\":\"1234\"",
            "error: record 2 (byte 28): field `userId`: expected a value (required), found nothing"
        ]
    );
}

#[test]
fn copy_reads_a_path() {
    let yaml = "schema: Test.Copy\nfields:\n  - name: user\n    type: object\n    fields:\n      \
                - name: id\n        type: bigint\n  - name: userId\n    type: bigint\n    copy:\n      \
                from: user.id\n  - name: same\n    type: json\n    copy:\n      from: user\n";
    assert_eq!(
        rows(
            yaml,
            "{\"user\":{\"id\":7,\"x\":1}}\n{\"user\":{}}\n{\"user\":null}\n"
        ),
        [
            "{\"user\":{\"id\":7},\"userId\":7,\"same\":{\"id\":7,\"x\":1}",
            "{\"user\":{},\"same\":{}",
            "{"
        ]
    );
}

#[test]
fn concat_joins_scalars_and_skips_absent_ones() {
    let yaml = "schema: Test.Concat\nfields:\n  - name: full\n    type: string\n    \
                indicators: [ip]\n    concat:\n      separator: \":\"\n      paths: [host, port, \
                tls.on]\n";
    assert_eq!(
        rows(
            yaml,
            "{\"host\":\"10.0.0.1\",\"port\":443,\"tls\":{\"on\":true}}\n{\"port\":1.50}\n{}\n\
             {\"host\":[1]}\n"
        ),
        [
            "{\"full\":\"10.0.0.1:443:true\"",
            "{\"full\":\"1.50\"",
            "{",
            "error: record 4 (byte 66): field `full`: expected a string, number or boolean to \
             concatenate, found an array"
        ]
    );
}

#[test]
fn split_takes_one_piece() {
    let yaml = "schema: Test.Split\nfields:\n  - name: port\n    type: int\n    split:\n      \
                from: addr\n      separator: \":\"\n      index: 1\n  - name: host\n    \
                type: string\n    split:\n      from: addr\n      separator: \":\"\n";
    assert_eq!(
        rows(
            yaml,
            "{\"addr\":\"h:80\"}\n{\"addr\":\"h\"}\n{\"addr\":\"h:x\"}\n{\"addr\":5}\n"
        ),
        [
            "{\"port\":80,\"host\":\"h\"",
            "{\"host\":\"h\"",
            "error: record 3 (byte 29): field `port`: expected int, found `\"x\"`",
            "error: record 4 (byte 44): field `port`: expected a string to split, found `5`"
        ]
    );
}

#[test]
fn mask_redacts_after_rename() {
    let yaml = "schema: Test.Mask\nfields:\n  - name: userId\n    type: string\n    rename:\n      \
                from: PIN\n    mask:\n      type: redact\n      to: \"****\"\n    validate:\n      \
                deny: [\"0000\"]\n  - name: n\n    type: string\n    mask: {type: redact, to: x}\n";
    assert_eq!(
        rows(
            yaml,
            "{\"PIN\":\"1234\",\"n\":{\"a\":1}}\n{\"PIN\":null}\n{\"PIN\":\"0000\"}\n"
        ),
        [
            "{\"userId\":\"****\",\"n\":\"x\"",
            "{",
            "error: record 3 (byte 40): field `userId`: expected a value other than `0000`, found \
             `\"0000\"`"
        ]
    );
}

#[test]
fn mask_on_a_text_log_type() {
    let yaml = "schema: Test.MaskText\nparser:\n  fastmatch:\n    match: ['%{user} %{pin}']\n\
                fields:\n  - name: user\n    type: string\n  - name: secret\n    type: string\n    \
                rename: {from: pin}\n    mask: {type: redact, to: \"-\"}\n";
    assert_eq!(
        rows(yaml, "ana 1234\n"),
        ["{\"user\":\"ana\",\"secret\":\"-\""]
    );
}

#[test]
fn transformation_schema_errors() {
    let head = "schema: Test.Bad\nfields:\n  - name: a\n    type: ";
    let cases = [
        (
            "int\n    mask: {type: redact, to: x}\n",
            "t.yml:5:11: fields[0].mask: `mask` writes text, so it needs a field of type \
             `string`, found `int`",
        ),
        (
            "string\n    mask: {type: sha256}\n",
            "t.yml:5:18: fields[0].mask.type: unsupported mask type `sha256`, expected `redact`",
        ),
        (
            "string\n    mask: {type: redact}\n",
            "t.yml:5:11: fields[0].mask: missing `to`, the text that replaces the value \
             (`to: \"****\"`)",
        ),
        (
            "string\n    rename: {from: b}\n    copy: {from: c}\n",
            "t.yml:6:11: fields[0].copy: `copy` and `rename` on one field: a field's value comes \
             from at most one of `rename`, `copy`, `concat`, `split`",
        ),
        (
            "int\n    concat: {paths: [b]}\n",
            "t.yml:5:13: fields[0].concat: `concat` gives text, so it needs a field of type \
             `string`, found `int`",
        ),
        (
            "string\n    split: {from: b, separator: \"\"}\n",
            "t.yml:5:33: fields[0].split.separator: expected a separator to split at, found an \
             empty string",
        ),
        (
            "string\n    copy: {from: a..b}\n",
            "t.yml:5:18: fields[0].copy.from: expected a key or a path of keys joined by `.` \
             (`user.id`), found `a..b`",
        ),
        (
            "string\n  - name: b\n    type: string\n    rename: {from: a}\n",
            "t.yml:5:11: fields[1].name: duplicate input key `a` (first at 3:11)",
        ),
    ];
    let found: Vec<String> = cases
        .iter()
        .map(|(tail, _)| schema_error(&format!("{head}{tail}")))
        .collect();
    let expected: Vec<&str> = cases.iter().map(|(_, e)| *e).collect();
    assert_eq!(found, expected);
    let text = "schema: Test.Bad\nparser:\n  fastmatch:\n    match: ['%{a}']\nfields:\n  - name: a\n    \
                type: string\n    copy: {from: b}\n";
    assert_eq!(
        schema_error(text),
        "t.yml:8:11: fields[0].copy: the `copy` transformation reads a JSON record's keys; a \
         text log type's fields come from its parser (use `rename` or `mask`)"
    );
}

const DISCOVER: &str = "schema: Test.Discover\nfieldDiscoveryEnabled: true\nfields:\n  - name: \
                        a-b\n    type: string\n  - name: obj\n    type: object\n    fields:\n      \
                        - name: x\n        type: int\n";

#[test]
fn discovery_keeps_undeclared_root_keys_typed() {
    let payload = concat!(
        r#"{"a-b":"x","s":"t","n":-3,"big":18446744073709551615,"f":1.50,"b":false,"#,
        r#""t":"2024-01-02T03:04:05+01:00","o":{"k":[1]},"arr":[1,"2"],"e":{},"z":null,"#,
        r#""obj":{"x":1,"y":2}}"#,
        "\n",
        r#"{"only":1}"#,
        "\n"
    );
    assert_eq!(
        rows(DISCOVER, payload),
        [
            concat!(
                r#"{"a_b":"x","obj":{"x":1},"s":"t","n":-3,"big":18446744073709551615,"#,
                r#""f":1.5,"b":false,"t":"2024-01-02 02:04:05.000000000","o":{"k":[1]},"#,
                r#""arr":[1,"2"],"e":{}"#
            ),
            r#"{"only":1"#,
        ]
    );
    let registry =
        Registry::builder().add_yaml("t.yml", DISCOVER).unwrap().build();
    let log_type = registry.log_types().next().unwrap();
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let record = log_type.split(payload.as_bytes()).next().unwrap();
    let event = log_type.normalize(record, &mut ctx, &mut scratch).unwrap();
    let found: Vec<(&str, &str)> =
        event.discovered().map(|(c, t)| (c, t.name())).collect();
    assert_eq!(
        found,
        [
            ("s", "string"),
            ("n", "bigint"),
            ("big", "float"),
            ("f", "float"),
            ("b", "boolean"),
            ("t", "timestamp"),
            ("o", "object"),
            ("arr", "array"),
            ("e", "json"),
        ]
    );
    assert_eq!(event.discovered().next(), Some(("s", DiscoveredType::String)));
}

#[test]
fn discovery_sanitizes_and_skips_colliding_columns() {
    // `a_b` is declared (as `a-b`), `p_x` is reserved, `c.d` and `c-d`
    // share a column: the last one wins; `@t` becomes `at_sign_t`.
    let payload = r#"{"a_b":1,"p_x":2,"c.d":3,"@t":"u","c-d":4,"a-b":"k"}"#;
    assert_eq!(
        rows(DISCOVER, payload),
        [r#"{"a_b":"k","at_sign_t":"u","c_d":4"#]
    );
}

#[test]
fn discovery_is_off_by_default_and_reports_nothing() {
    let yaml = DISCOVER.replace("fieldDiscoveryEnabled: true\n", "");
    assert_eq!(rows(&yaml, r#"{"s":"t","a-b":"x"}"#), [r#"{"a_b":"x""#]);
}
