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

/// Fields of generated csv rows: letters with the bytes csv must quote
/// (the delimiter, quotes, line breaks) and spaces, never blank (a row of
/// blank fields can print as a blank line, which is no record).
fn csv_field() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::string::string_regex("[a-z][a-z ,\"\n]{0,12}").unwrap()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// N rows in, N events out, each with the fields the `csv` crate
    /// reads from the whole payload: quoting, doubled quotes and quoted
    /// line breaks split and unquote as the `csv` crate does.
    #[test]
    fn csv_rows_split_as_the_csv_crate_reads_them(
        width in 1usize..5,
        rows in proptest::collection::vec(
            proptest::collection::vec(csv_field(), 4), 0..8
        ),
        crlf: bool,
    ) {
        let names: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
        let mut w = csv::WriterBuilder::new()
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(Vec::new());
        w.write_record(&names).unwrap();
        for row in &rows {
            w.write_record(&row[..width]).unwrap();
        }
        let payload = String::from_utf8(w.into_inner().unwrap()).unwrap();

        // The oracle: the csv crate reading the whole payload.
        let want: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .from_reader(payload.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        proptest::prop_assert_eq!(want.len(), rows.len());

        let mut yaml = "schema: Test.Csv\nparser:\n  csv:\n    delimiter: ','\n    \
                        hasHeader: true\nfields:\n".to_owned();
        for n in &names {
            yaml += &format!("  - name: {n}\n    type: string\n");
        }
        let mut b = Registry::builder();
        b.add_yaml("t.yml", &yaml).unwrap();
        let registry = b.build();
        let lt = registry.log_type("Test.Csv").unwrap();
        let mut ctx =
            Context::new("2024-01-01T00:00:00Z".parse().unwrap(), *b"tparse");
        let mut scratch = Scratch::new();
        let mut got = Vec::new();
        for record in lt.split(payload.as_bytes()) {
            let raw = record.bytes();
            let event = lt.normalize(record, &mut ctx, &mut scratch);
            let row = match event {
                Ok(e) => e.row().to_owned(),
                Err(e) => {
                    proptest::prop_assert_eq!(e.raw(), raw);
                    return Err(proptest::test_runner::TestCaseError::fail(
                        format!("{e}\n{payload:?}"),
                    ));
                }
            };
            let v: serde_json::Value = serde_json::from_str(&row).unwrap();
            got.push(
                names
                    .iter()
                    .map(|n| v[n].as_str().unwrap_or_default().to_owned())
                    .collect::<Vec<_>>(),
            );
        }
        proptest::prop_assert_eq!(got, want, "{:?}", payload);
    }
}

/// One scratch shared by two csv log types whose payloads have the same
/// header: each maps the header to its own fields (the header's column
/// map is cached by value, never taken from the other parser).
#[test]
fn csv_log_types_sharing_a_scratch_keep_their_own_columns() {
    let mut b = Registry::builder();
    for (name, field) in [("Test.CsvOne", "a"), ("Test.CsvTwo", "b")] {
        let yaml = format!(
            "schema: {name}\nparser:\n  csv:\n    delimiter: ','\n    \
             hasHeader: true\nfields:\n  - name: {field}\n    type: string\n"
        );
        b.add_yaml("t.yml", &yaml).unwrap();
    }
    let registry = b.build();
    let one = registry.log_type("Test.CsvOne").unwrap();
    let two = registry.log_type("Test.CsvTwo").unwrap();
    let payload = b"a,b\nx,y\n";
    let mut ctx =
        Context::new("2024-01-01T00:00:00Z".parse().unwrap(), *b"tparse");
    let mut scratch = Scratch::new();
    let mut rows = Vec::new();
    for lt in [one, two, one] {
        let record = lt.split(payload).next().unwrap();
        let event = lt.normalize(record, &mut ctx, &mut scratch).unwrap();
        rows.push(
            event.row().split(",\"p_log_type").next().unwrap().to_owned(),
        );
    }
    assert_eq!(rows, [r#"{"a":"x""#, r#"{"b":"y""#, r#"{"a":"x""#]);
}

/// One scratch shared by regex log types: each uses capture slots of its
/// own regex (two patterns with different group counts, alternating).
#[test]
fn regex_log_types_sharing_a_scratch_use_their_own_slots() {
    let mut b = Registry::builder();
    for (name, pattern) in [
        ("Test.ReOne", "(?P<a>[a-z]+)"),
        ("Test.ReTwo", "(?P<b>[0-9]+)-(?P<a>[a-z]+)"),
    ] {
        let yaml = format!(
            "schema: {name}\nparser:\n  regex:\n    match: ['{pattern}']\n\
             fields:\n  - name: a\n    type: string\n  - name: b\n    type: string\n"
        );
        b.add_yaml("t.yml", &yaml).unwrap();
    }
    let registry = b.build();
    let one = registry.log_type("Test.ReOne").unwrap();
    let two = registry.log_type("Test.ReTwo").unwrap();
    let mut ctx =
        Context::new("2024-01-01T00:00:00Z".parse().unwrap(), *b"tparse");
    let mut scratch = Scratch::new();
    let mut rows = Vec::new();
    for (lt, line) in [(one, "x 12-yz"), (two, "x 12-yz"), (one, "12-yz")] {
        let record = lt.split(line.as_bytes()).next().unwrap();
        let event = lt.normalize(record, &mut ctx, &mut scratch).unwrap();
        rows.push(
            event.row().split(",\"p_log_type").next().unwrap().to_owned(),
        );
    }
    assert_eq!(rows, [r#"{"a":"x""#, r#"{"a":"yz","b":"12""#, r#"{"a":"yz""#]);
}

/// One case of `testdata/textparsers.toml` (format in
/// `testdata/README.md`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// The `parser:` block, as YAML.
    parser: String,
    /// The declared root fields: `name` (a string) or `name:type`.
    fields: Vec<String>,
    #[serde(default)]
    input: String,
    /// Per record: its row's declared fields, or `error: …`.
    rows: Option<Vec<String>>,
    /// The exact schema error.
    error: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    test: Vec<Case>,
}

impl Case {
    fn yaml(&self) -> String {
        let mut y = "schema: Test.Case\nparser:\n".to_owned();
        for line in self.parser.lines() {
            y += &format!("  {line}\n");
        }
        y += "fields:\n";
        for f in &self.fields {
            let (name, ty) = f.split_once(':').unwrap_or((f, "string"));
            y += &format!("  - name: {name}\n    type: {ty}\n");
        }
        y
    }
}

/// The regex and csv case table: each case's rows (or schema error)
/// exactly as listed.
#[test]
fn regex_and_csv_case_table() {
    let text = std::fs::read_to_string(
        crate::util::testdata().join("textparsers.toml"),
    )
    .unwrap();
    let table: Table = toml::from_str(&text).unwrap();
    assert!(table.test.len() >= 20, "{} cases", table.test.len());
    let mut failures = Vec::new();
    for case in &table.test {
        let yaml = case.yaml();
        let (want, got) = match (&case.rows, &case.error) {
            (Some(rows), None) => {
                let got = match Registry::builder().add_yaml("t.yml", &yaml) {
                    Ok(_) => run(&yaml, "Test.Case", &case.input),
                    Err(e) => vec![format!("schema error: {e}")],
                };
                (rows.clone(), got)
            }
            (None, Some(error)) => {
                (vec![error.clone()], vec![load_error(&yaml)])
            }
            _ => panic!("{}: give `rows` or `error`", case.name),
        };
        if want != got {
            failures.push(format!(
                "{}:\n  expected: {want:#?}\n  got:      {got:#?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A compiled log type of `yaml` named `Test.Prop`.
fn prop_registry(yaml: &str) -> Registry {
    let mut b = Registry::builder();
    b.add_yaml("t.yml", yaml).unwrap();
    b.build()
}

/// Each record of `payload` through `name`: its declared string fields
/// (`None` when absent) or its error; checks that records are slices
/// of the payload at their offsets and that errors carry their bytes.
fn outcomes(
    registry: &Registry,
    payload: &[u8],
    fields: &[String],
) -> Vec<Result<Vec<Option<String>>, String>> {
    let lt = registry.log_type("Test.Prop").unwrap();
    let mut ctx =
        Context::new("2024-01-01T00:00:00Z".parse().unwrap(), *b"tparse");
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    for record in lt.split(payload) {
        let raw = record.bytes();
        let at = record.offset();
        assert_eq!(payload.get(at..at + raw.len()), Some(raw));
        out.push(match lt.normalize(record, &mut ctx, &mut scratch) {
            Ok(e) => {
                let v: serde_json::Value =
                    serde_json::from_str(e.row()).unwrap();
                Ok(fields
                    .iter()
                    .map(|f| v.get(f).map(|s| s.as_str().unwrap().to_owned()))
                    .collect())
            }
            Err(e) => {
                assert_eq!(e.raw(), raw);
                Err(e.to_string())
            }
        });
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any bytes of a csv alphabet (quotes where the csv writer would
    /// never put them, lone carriage returns, open quotes, ragged rows):
    /// the rows and their fields are those the `csv` crate reads from
    /// the whole payload, one outcome each; a row of another width is
    /// an error naming both counts. (No spaces: a line of spaces is no
    /// record here but one for the csv crate.)
    #[test]
    fn csv_of_any_bytes_reads_as_the_csv_crate_reads_it(
        payload in "[ab,\"\r\n]{0,48}",
        width in 1usize..4,
    ) {
        let names: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
        let mut yaml = format!(
            "schema: Test.Prop\nparser:\n  csv:\n    delimiter: ','\n    \
             columns: [{}]\nfields:\n",
            names.join(", ")
        );
        for n in &names {
            yaml += &format!("  - name: {n}\n    type: string\n");
        }
        let want: Vec<Result<Vec<Option<String>>, String>> =
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(payload.as_bytes())
                .records()
                .map(|r| {
                    let r = r.unwrap();
                    if r.len() == width {
                        Ok(r.iter().map(|f| Some(f.to_owned())).collect())
                    } else {
                        Err(format!(
                            "expected a csv row of {width} columns, found {} columns",
                            r.len()
                        ))
                    }
                })
                .collect();
        let got: Vec<_> =
            outcomes(&prop_registry(&yaml), payload.as_bytes(), &names)
                .into_iter()
                .map(|o| o.map_err(|e| {
                    e.split_once("): ").map_or(e.clone(), |(_, m)| m.to_owned())
                }))
                .collect();
        proptest::prop_assert_eq!(got, want, "{:?}", payload);
    }

    /// N lines in, N outcomes out, in order, each the `regex` crate's
    /// captures of the same pattern on that line (or no match), raw
    /// bytes kept.
    #[test]
    fn regex_lines_give_one_outcome_each(
        lines in proptest::collection::vec("[a-z0-9][a-z0-9 =-]{0,16}", 0..12),
    ) {
        let pattern = r"(?P<k>[a-z]+)=(?P<v>[0-9]+|-)(?: (?P<rest>.*))?";
        let yaml = format!(
            "schema: Test.Prop\nparser:\n  regex:\n    match: ['{pattern}']\n    \
             emptyValues: ['-']\nfields:\n  - name: k\n    type: string\n  \
             - name: v\n    type: string\n  - name: rest\n    type: string\n"
        );
        let re = regex::Regex::new(pattern).unwrap();
        let want: Vec<Result<Vec<Option<String>>, String>> = lines
            .iter()
            .map(|l| match re.captures(l) {
                Some(c) => Ok(["k", "v", "rest"]
                    .iter()
                    .map(|n| c.name(n).map(|m| m.as_str().to_owned()))
                    .map(|v| v.filter(|v| v != "-"))
                    .collect()),
                None => Err("no match".to_owned()),
            })
            .collect();
        let payload = lines.join("\n");
        let fields = ["k", "v", "rest"].map(String::from);
        let got: Vec<_> = outcomes(&prop_registry(&yaml), payload.as_bytes(), &fields)
            .into_iter()
            .map(|o| o.map_err(|e| {
                if e.contains("expected a line matching") { "no match".to_owned() } else { e }
            }))
            .collect();
        proptest::prop_assert_eq!(got, want, "{:?}", payload);
    }
}
