//! regex and csv log types end to end: a payload split by the log type,
//! each record normalized, the rows (or errors) compared exactly.

use lognorm::{Context, Registry, Scratch};

/// The declared fields of each record's row (up to the `p_*` fields),
/// or its error.
fn run(yaml: &str, name: &str, payload: &str) -> Vec<String> {
    let mut b = Registry::builder();
    b.add_yaml("t.yml", yaml).unwrap();
    let registry = b.build();
    let lt = registry.log_type(name).unwrap();
    let mut ctx =
        Context::new("2024-01-01T00:00:00Z".parse().unwrap(), *b"tparse");
    let mut scratch = Scratch::new();
    lt.split(payload.as_bytes())
        .map(|r| match lt.normalize(r, &mut ctx, &mut scratch) {
            Ok(e) => e.row().split(",\"p_log_type").next().unwrap().to_owned(),
            Err(e) => format!("error: {e}"),
        })
        .collect()
}

fn load_error(yaml: &str) -> String {
    let mut b = Registry::builder();
    b.add_yaml("t.yml", yaml).unwrap_err().to_string()
}

const APACHE: &str = r#"schema: Test.Apache
parser:
  regex:
    match:
      - '%{COMMONAPACHELOG}'
      - '(?: %{QS:referrer} %{QS:agent})?'
    emptyValues: ['-']
fields:
  - name: clientip
    type: string
    indicators: [ip]
  - name: auth
    type: string
  - name: timestamp
    type: timestamp
    timeFormat: '%d/%b/%Y:%H:%M:%S %z'
    isEventTime: true
  - name: verb
    type: string
  - name: request
    type: string
  - name: response
    type: smallint
  - name: bytes
    type: bigint
  - name: agent
    type: string
"#;

#[test]
fn apache_access_log_through_regex() {
    let payload = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326\n\
        ::1 - - [01/Jan/2024:00:00:01 +0000] \"POST /x HTTP/1.1\" 404 - \"-\" \"curl/8.0\"\n\
        not a log line\n";
    assert_eq!(
        run(APACHE, "Test.Apache", payload),
        [
            r#"{"clientip":"127.0.0.1","auth":"frank","timestamp":"2000-10-10 20:55:36.000000000","verb":"GET","request":"/apache_pb.gif","response":200,"bytes":2326"#,
            r#"{"clientip":"::1","timestamp":"2024-01-01 00:00:01.000000000","verb":"POST","request":"/x","response":404,"agent":"\"curl/8.0\"""#,
            "error: record 3 (byte 163): expected a line matching one of the schema's patterns, found `not a log line`",
        ]
    );
}

const CSV: &str = r#"schema: Test.Export
parser:
  csv:
    delimiter: ','
    hasHeader: true
    emptyValues: ['']
    skipPrefix: '> '
fields:
  - name: user
    type: string
    required: true
  - name: note
    type: string
  - name: count
    type: int
"#;

#[test]
fn csv_export_with_header_quotes_and_newlines() {
    let payload = "count,user,ignored,note\r\n\
        1,ana,x,\"hello, \"\"world\"\"\"\r\n\
        2,bob,y,\"two\nlines\"\r\n\
        count,user,ignored,note\r\n\
        > 3,cy,z,\r\n\
        4,dee\r\n";
    assert_eq!(
        run(CSV, "Test.Export", payload),
        [
            r#"{"user":"ana","note":"hello, \"world\"","count":1"#,
            r#"{"user":"bob","note":"two\nlines","count":2"#,
            r#"{"user":"cy","count":3"#,
            "error: record 4 (byte 110): expected a csv row of 4 columns, found 2 columns",
        ]
    );
}

#[test]
fn tsv_without_header() {
    let yaml = "schema: Test.Tsv\nparser:\n  csv:\n    delimiter: '\\t'\n    \
                columns: [a, '', b]\n    trimSpace: true\nfields:\n  - name: a\n    \
                type: string\n  - name: b\n    type: string\n";
    assert_eq!(
        run(yaml, "Test.Tsv", "x\tdrop\t y \n\n1\t2\t3\n"),
        [r#"{"a":"x","b":"y""#, r#"{"a":"1","b":"3""#]
    );
}

#[test]
fn schema_errors_name_the_node() {
    assert_eq!(
        load_error(
            "schema: Test.Bad\nparser:\n  regex:\n    match:\n      - 'ok '\n      \
             - 'a(b'\nfields:\n  - name: a\n    type: string\n"
        ),
        "t.yml:6:9: parser.regex.match[1]: position 1: unclosed group: `(`"
    );
    assert_eq!(
        load_error(
            "schema: Test.Bad\nparser:\n  csv:\n    delimiter: ','\nfields:\n  - \
             name: a\n    type: string\n"
        ),
        "t.yml:4:5: parser.csv.columns: expected `columns` (the name of each \
         column) or `hasHeader: true`"
    );
}
