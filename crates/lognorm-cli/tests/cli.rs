//! The `lognorm` binary run as a user runs it, from the repository root,
//! with exact expected outputs and exit statuses.

#![allow(
    clippy::unwrap_used,
    reason = "tests unwrap what they built themselves; a panic is a failure"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PARSE_TIME: &str = "2024-01-01T00:00:00Z";

/// The repository root: paths in arguments and messages are relative to
/// it, as in the README.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh directory of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn lognorm(args: &[&str]) -> Output {
    lognorm_with_stdin(args, b"")
}

fn lognorm_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lognorm"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// Asserts status, standard output and standard error all at once, so a
/// failure shows all three.
#[track_caller]
fn assert_output(out: &Output, status: i32, stdout: &str, stderr: &str) {
    assert_eq!(
        (out.status.code(), text(&out.stdout), text(&out.stderr)),
        (Some(status), stdout, stderr)
    );
}

#[test]
fn normalize_the_wiz_audit_corpus_gives_the_golden_rows() {
    let golden = std::fs::read_to_string(
        root().join("testdata/logs/Wiz.Audit/corpus.expected.jsonl"),
    )
    .unwrap();
    let out = lognorm(&[
        "normalize",
        "--log-type",
        "Wiz.Audit",
        "--parse-time",
        PARSE_TIME,
        "testdata/logs/Wiz.Audit/corpus.jsonl",
    ]);
    assert_output(&out, 0, &golden, "");
}

#[test]
fn normalize_writes_rows_to_o_file_and_reads_standard_input() {
    let dir = scratch("o-file");
    let rows = dir.join("rows.jsonl");
    let payload =
        std::fs::read(root().join("testdata/logs/Wiz.Audit/corpus.jsonl"))
            .unwrap();
    let out = lognorm_with_stdin(
        &[
            "normalize",
            "--log-type",
            "Wiz.Audit",
            "--parse-time",
            PARSE_TIME,
            "-o",
            rows.to_str().unwrap(),
        ],
        &payload,
    );
    assert_output(&out, 0, "", "");
    assert_eq!(
        std::fs::read_to_string(&rows).unwrap(),
        std::fs::read_to_string(
            root().join("testdata/logs/Wiz.Audit/corpus.expected.jsonl")
        )
        .unwrap()
    );
}

#[test]
fn a_record_that_is_not_utf8_is_a_dead_letter_with_its_bytes_in_base64() {
    let dir = scratch("not-utf8");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        b"{\"id\":\"\xff\"}\n\
          {\"id\":\"a\",\"action\":\"x\",\"status\":\"y\",\
          \"timestamp\":\"2024-01-01T00:00:00Z\"}\n",
    )
    .unwrap();
    let input = input.to_str().unwrap();
    let out = lognorm(&[
        "normalize",
        "--log-type",
        "Wiz.Audit",
        "--parse-time",
        PARSE_TIME,
        input,
    ]);
    let row = concat!(
        r#"{"id":"a","action":"x","status":"y","#,
        r#""timestamp":"2024-01-01 00:00:00.000000000","#,
        r#""p_log_type":"Wiz.Audit","p_row_id":"6c6f676e6f7280e8c792cc3100","#,
        r#""p_event_time":"2024-01-01 00:00:00.000000000","#,
        r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#,
        "\n"
    );
    // {"id":"\xff"} is eyJpZCI6Iv8ifQ== in base64.
    let dead = format!(
        concat!(
            r#"{{"input":"{}","record":1,"offset":0,"log_type":"Wiz.Audit","#,
            r#""error":"record 1 (byte 0): expected valid JSON, found "#,
            r#"invalid UTF-8 at byte 7","raw_base64":"eyJpZCI6Iv8ifQ=="}}"#,
            "\n"
        ),
        input
    );
    assert_output(&out, 1, row, &dead);
}

#[test]
fn several_inputs_share_row_ids_and_dead_letters_name_their_input() {
    let dir = scratch("several");
    let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    let good = |id: &str| {
        format!(
            r#"{{"id":"{id}","action":"x","status":"y","timestamp":"2024-01-01T00:00:00Z"}}"#
        )
    };
    std::fs::write(&a, format!("{}\n{{\"id\":\"a2\"}}\n", good("a1")))
        .unwrap();
    std::fs::write(&b, format!("[{{\"id\":\"b1\"}}, {}]", good("b2")))
        .unwrap();
    let errors = dir.join("errors.jsonl");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let out = lognorm(&[
        "normalize",
        "--log-type",
        "Wiz.Audit",
        "--parse-time",
        PARSE_TIME,
        "--errors",
        errors.to_str().unwrap(),
        a,
        b,
    ]);
    let row = |id: &str, row_id: &str| {
        format!(
            "{{\"id\":\"{id}\",\"action\":\"x\",\"status\":\"y\",\
             \"timestamp\":\"2024-01-01 00:00:00.000000000\",\
             \"p_log_type\":\"Wiz.Audit\",\"p_row_id\":\"{row_id}\",\
             \"p_event_time\":\"2024-01-01 00:00:00.000000000\",\
             \"p_parse_time\":\"2024-01-01 00:00:00.000000000\"}}\n"
        )
    };
    let rows = row("a1", "6c6f676e6f7280e8c792cc3100")
        + &row("b2", "6c6f676e6f7280e8c792cc3101");
    assert_output(&out, 1, &rows, "");
    let dead = |input: &str, n: u32, offset: usize, id: &str| {
        format!(
            "{{\"input\":\"{input}\",\"record\":{n},\"offset\":{offset},\
             \"log_type\":\"Wiz.Audit\",\"error\":\"record {n} (byte \
             {offset}): field `action`: expected a value (required), found \
             nothing\",\"raw\":\"{{\\\"id\\\":\\\"{id}\\\"}}\"}}\n"
        )
    };
    assert_eq!(
        std::fs::read_to_string(&errors).unwrap(),
        dead(a, 2, good("a1").len() + 1, "a2") + &dead(b, 1, 1, "b1")
    );
}

#[test]
fn help_exits_0_with_the_commands_described() {
    let out = lognorm(&["--help"]);
    let help = "\
Normalize security and audit logs with Panther-format YAML schemas

Each record becomes one row of JSON: its declared fields coerced to
their types, timestamps in UTC, and the `p_*` fields Panther's data
lake stores. The shipped log types are always loaded; add your own
with `--schema`. `lognorm help COMMAND` tells more.

Exit status: 0 when everything went well, 1 when some records could
not be normalized (every good row is still written), 2 for usage,
schema and I/O errors.

Usage: lognorm <COMMAND>

Commands:
  normalize  Normalize log files of one log type into JSON rows
  check      Load and compile schemas; print every error
  test       Run Panther schema test files against schemas
  infer      Infer a first draft of a schema from sample logs
  help       Print this message or the help of the given subcommand(s)

Options:
  -h, --help
          Print help (see a summary with '-h')

  -V, --version
          Print version
";
    assert_output(&out, 0, help, "");
}

#[test]
fn every_subcommand_has_help_that_exits_0() {
    for command in ["normalize", "check", "test", "infer"] {
        let flag = lognorm(&[command, "--help"]);
        let word = lognorm(&["help", command]);
        assert_eq!(flag.status.code(), Some(0), "{command}");
        assert_eq!(text(&flag.stderr), "", "{command}");
        assert_eq!(text(&word.stdout), text(&flag.stdout), "{command}");
        assert_eq!(word.status.code(), Some(0), "{command}");
        let usage = format!("\nUsage: lognorm {command} ");
        assert!(text(&flag.stdout).contains(&usage), "{command}");
    }
    let normalize = lognorm(&["normalize", "--help"]);
    for option in [
        "--log-type <NAME[,NAME...]>",
        "--schema <FILE_OR_DIR>",
        "--parse-time <RFC3339>",
        "--framing <FRAMING>",
        "--source-id <ID>",
        "--source-label <LABEL>",
        "-o <FILE>",
        "--errors <FILE>",
        "--threads <N>",
        "[INPUT]...",
    ] {
        assert!(text(&normalize.stdout).contains(option), "{option}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = lognorm(&["normalize", "x.jsonl"]);
    assert_output(
        &out,
        2,
        "",
        "error: the following required arguments were not provided:
  --log-type <NAME[,NAME...]>

Usage: lognorm normalize --log-type <NAME[,NAME...]> <INPUT>...

For more information, try '--help'.
",
    );
    let out = lognorm(&["normalize", "--log-type", "Nope.Audit"]);
    assert_output(
        &out,
        2,
        "",
        "lognorm: unknown log type `Nope.Audit`; known: Databricks.Audit, \
         Heroku.Runtime, Hex.Audit, OpenAI.Audit, Wiz.Audit, Wiz.Issues, \
         Wiz.VulnerabilityFinding\n",
    );
}

#[test]
fn a_missing_input_is_an_error_naming_the_file() {
    let out = lognorm(&[
        "normalize",
        "--log-type",
        "Wiz.Audit",
        "testdata/logs/Wiz.Audit/no-such-file.jsonl",
    ]);
    assert_output(
        &out,
        2,
        "",
        "lognorm: reading `testdata/logs/Wiz.Audit/no-such-file.jsonl`: \
         No such file or directory (os error 2)\n",
    );
}

#[test]
fn an_output_that_is_also_an_input_is_refused_before_it_is_truncated() {
    let dir = scratch("output-is-input");
    let input = dir.join("in.jsonl");
    std::fs::write(&input, "{}\n").unwrap();
    let input = input.to_str().unwrap();
    for option in ["-o", "--errors"] {
        let out = lognorm(&[
            "normalize",
            "--log-type",
            "Wiz.Audit",
            option,
            input,
            "testdata/logs/Wiz.Audit/corpus.jsonl",
            input,
        ]);
        assert_output(
            &out,
            2,
            "",
            &format!(
                "lognorm: {option}: expected a file that is not an input, \
                 found `{input}`\n"
            ),
        );
        assert_eq!(std::fs::read_to_string(input).unwrap(), "{}\n");
    }
}

#[test]
fn a_schema_directory_without_schemas_is_an_error() {
    let dir = scratch("no-schemas");
    std::fs::write(dir.join("notes.txt"), "not a schema").unwrap();
    let dir = dir.to_str().unwrap();
    let out = lognorm(&[
        "normalize",
        "--log-type",
        "Wiz.Audit",
        "--schema",
        dir,
        "testdata/logs/Wiz.Audit/corpus.jsonl",
    ]);
    let message = format!(
        "schema directory `{dir}`: expected `*.yml` or `*.yaml` files, \
         found none\n"
    );
    assert_output(&out, 2, "", &format!("lognorm: {message}"));
    let out = lognorm(&["check", dir]);
    assert_output(
        &out,
        2,
        "",
        &format!("{message}lognorm: 1 error in 0 schema files\n"),
    );
}

#[test]
fn normalize_loads_a_schema_directory() {
    let dir = scratch("schema-dir");
    std::fs::write(
        dir.join("login.yml"),
        "schema: Custom.Login\nfields:\n  - name: user\n    type: string\n",
    )
    .unwrap();
    let out = lognorm_with_stdin(
        &[
            "normalize",
            "--log-type",
            "Custom.Login",
            "--parse-time",
            PARSE_TIME,
            "--schema",
            dir.to_str().unwrap(),
        ],
        b"{\"user\":\"ana\"}",
    );
    assert_output(
        &out,
        0,
        concat!(
            r#"{"user":"ana","p_log_type":"Custom.Login","#,
            r#""p_row_id":"6c6f676e6f7280e8c792cc3100","#,
            r#""p_event_time":"2024-01-01 00:00:00.000000000","#,
            r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#,
            "\n"
        ),
        "",
    );
}

#[test]
fn check_lists_the_log_types_of_good_schemas() {
    let out = lognorm(&["check", "crates/lognorm/schemas"]);
    assert_output(
        &out,
        0,
        "7 schema files ok: Databricks.Audit, Heroku.Runtime, Hex.Audit, \
         OpenAI.Audit, Wiz.Audit, Wiz.Issues, Wiz.VulnerabilityFinding\n",
        "",
    );
}

#[test]
fn check_prints_every_error_with_file_line_and_column() {
    let out = lognorm(&[
        "check",
        "testdata/schemas-invalid/unknown-type.yml",
        "crates/lognorm/schemas/Wiz.Audit.yml",
        "testdata/schemas-invalid/unknown-indicator.yml",
        "testdata/schemas-invalid/no-such-schema.yml",
    ]);
    assert_output(
        &out,
        2,
        "",
        "testdata/schemas-invalid/unknown-type.yml:5:11: fields[0].type: \
         unknown type `strin`, expected one of `string`, `int`, \
         `smallint`, `bigint`, `float`, `boolean`, `timestamp`, `array`, \
         `object`, `json`
testdata/schemas-invalid/unknown-indicator.yml:8:9: \
         fields[0].indicators[1]: unknown indicator `ipaddress`, expected \
         one of `ip`, `domain`, `hostname`, `url`, `net_addr`, `email`, \
         `username`, `actor_id`, `trace_id`, `serial_number`, `md5`, \
         `sha1`, `sha256`, `mac`, `aws_arn`, `aws_arn_only`, \
         `aws_account_id`, `aws_instance_id`, `aws_tag`
reading `testdata/schemas-invalid/no-such-schema.yml`: No such file or \
         directory (os error 2)
lognorm: 3 errors in 4 schema files
",
    );
}

/// Inputs are streamed: a record over `--max-record-bytes` is one dead
/// letter (its first bytes as `raw`), read past without keeping it, and
/// the records around it normalize.
#[test]
fn an_oversize_record_is_one_dead_letter_between_good_rows() {
    let dir = scratch("oversize");
    let input = dir.join("stream.jsonl");
    let big = format!(r#"{{"id":"big","action":"{}"}}"#, "x".repeat(300));
    std::fs::write(
        &input,
        format!(
            "{}\n{big}\n{}\n",
            r#"{"id":"a","action":"Login","timestamp":"2024-01-01T00:00:00Z"}"#,
            r#"{"id":"c","action":"Logout","timestamp":"2024-01-01T00:00:01Z"}"#
        ),
    )
    .unwrap();
    let out = lognorm(&[
        "normalize",
        "--log-type",
        "Wiz.Audit",
        "--parse-time",
        PARSE_TIME,
        "--max-record-bytes",
        "100",
        input.to_str().unwrap(),
    ]);
    let rows = concat!(
        r#"{"id":"a","action":"Login","timestamp":"2024-01-01 00:00:00.000000000","#,
        r#""p_log_type":"Wiz.Audit","p_row_id":"6c6f676e6f7280e8c792cc3100","#,
        r#""p_event_time":"2024-01-01 00:00:00.000000000","#,
        r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#,
        "\n",
        r#"{"id":"c","action":"Logout","timestamp":"2024-01-01 00:00:01.000000000","#,
        r#""p_log_type":"Wiz.Audit","p_row_id":"6c6f676e6f7280e8c792cc3101","#,
        r#""p_event_time":"2024-01-01 00:00:01.000000000","#,
        r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#,
        "\n",
    );
    let dead = format!(
        "{{\"input\":\"{}\",\"record\":2,\"offset\":63,\"log_type\":\
         \"Wiz.Audit\",\"error\":\"record 2 (byte 63): expected a record of \
         at most 100 bytes, found 324 bytes\",\"raw\":\"{}\"}}\n",
        input.display(),
        big[..100].replace('"', "\\\"")
    );
    assert_output(&out, 1, rows, &dead);
}

/// A user's schema of a shipped log type's name replaces the shipped one
/// (issue: a new user's first hour, 11).
#[test]
fn a_schema_of_a_shipped_name_replaces_it() {
    let dir = scratch("replace");
    let schema = dir.join("wiz.yml");
    std::fs::write(
        &schema,
        "schema: Wiz.Audit\nfields:\n  - name: id\n    type: string\n",
    )
    .unwrap();
    let out = lognorm_with_stdin(
        &[
            "normalize",
            "--log-type",
            "Wiz.Audit",
            "--parse-time",
            PARSE_TIME,
            "--schema",
            schema.to_str().unwrap(),
        ],
        br#"{"id":"x","action":"Login"}"#,
    );
    assert_output(
        &out,
        0,
        concat!(
            r#"{"id":"x","p_log_type":"Wiz.Audit","#,
            r#""p_row_id":"6c6f676e6f7280e8c792cc3100","#,
            r#""p_event_time":"2024-01-01 00:00:00.000000000","#,
            r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#,
            "\n"
        ),
        "",
    );
}

/// A csv log type's input is split whole: its header names the columns
/// and a quoted field may hold a line break.
#[test]
fn a_csv_input_is_split_by_its_header() {
    let dir = scratch("csv");
    let schema = dir.join("csv.yml");
    std::fs::write(
        &schema,
        "schema: Custom.Export\nparser:\n  csv:\n    delimiter: ','\n    \
         hasHeader: true\nfields:\n  - name: user\n    type: string\n  \
         - name: note\n    type: string\n",
    )
    .unwrap();
    let out = lognorm_with_stdin(
        &[
            "normalize",
            "--log-type",
            "Custom.Export",
            "--parse-time",
            PARSE_TIME,
            "--schema",
            schema.to_str().unwrap(),
        ],
        b"note,user\n\"two\nlines\",ana\nplain,bob\n",
    );
    assert_output(
        &out,
        0,
        concat!(
            r#"{"user":"ana","note":"two\nlines","p_log_type":"Custom.Export","#,
            r#""p_row_id":"6c6f676e6f7280e8c792cc3100","#,
            r#""p_event_time":"2024-01-01 00:00:00.000000000","#,
            r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#,
            "\n",
            r#"{"user":"bob","note":"plain","p_log_type":"Custom.Export","#,
            r#""p_row_id":"6c6f676e6f7280e8c792cc3101","#,
            r#""p_event_time":"2024-01-01 00:00:00.000000000","#,
            r#""p_parse_time":"2024-01-01 00:00:00.000000000"}"#,
            "\n"
        ),
        "",
    );
}

#[test]
fn test_runs_the_shipped_test_files_against_the_shipped_schemas() {
    let out = lognorm(&["test", "crates/lognorm/schemas", "testdata/tests"]);
    assert_output(
        &out,
        0,
        "15 cases in 7 test files: 15 passed, 0 failed\n",
        "",
    );
    // One file named, and a directory holding schemas and tests at once:
    // the test files are found beside the schemas and not read as ones.
    let dir = scratch("test-beside");
    for (from, to) in [
        ("crates/lognorm/schemas/Hex.Audit.yml", "Hex.Audit.yml"),
        ("testdata/tests/Hex.Audit.tests.yml", "Hex.Audit.tests.yml"),
    ] {
        std::fs::copy(root().join(from), dir.join(to)).unwrap();
    }
    let out = lognorm(&["test", dir.to_str().unwrap()]);
    assert_output(&out, 0, "2 cases in 1 test file: 2 passed, 0 failed\n", "");
    let out = lognorm(&["check", dir.to_str().unwrap()]);
    assert_output(&out, 0, "1 schema file ok: Hex.Audit\n", "");
}

#[test]
fn test_prints_each_failing_case_with_expected_and_found_fields() {
    let file = "testdata/tests-failing/Wiz.Audit.failing.tests.yml";
    let out = lognorm(&["test", "crates/lognorm/schemas", file]);
    let expected = format!(
        "\
FAIL {file}:14:7: test `wrong values` (Wiz.Audit)
  - id: \"a2\"
  + id: \"a1\"
  - p_any_ip_addresses: [\"10.0.0.2\"]
  + p_any_ip_addresses: [\"10.0.0.1\"]
  - status: \"FAILED\"
  + status: \"SUCCESS\"
FAIL {file}:24:7: test `a record that fails` (Wiz.Audit)
  - (row): an event
  + (row): error: record 1 (byte 0): field `action`: expected a value (required), found nothing
FAIL {file}:30:7: test `one row fewer than expected` (Wiz.Audit)
  - results[1]: {{\"id\":\"a2\",\"p_log_type\":\"Wiz.Audit\"}}
  + results[1]: nothing
4 cases in 1 test file: 1 passed, 3 failed
"
    );
    assert_output(&out, 1, &expected, "");
}

#[test]
fn test_errors_exit_2() {
    let out = lognorm(&["test", "crates/lognorm/schemas"]);
    assert_output(
        &out,
        2,
        "",
        "lognorm: no TESTS given: expected `*.tests.yml` files in \
         `crates/lognorm/schemas`, found none\n",
    );
    // A test file that does not read is reported; the others still run.
    let dir = scratch("test-unreadable");
    let bad = dir.join("bad.tests.yml");
    std::fs::write(&bad, "name: a\nlogType: Wiz.Audit\ninput: '{}'\n")
        .unwrap();
    let bad = bad.to_str().unwrap();
    let out = lognorm(&[
        "test",
        "crates/lognorm/schemas",
        bad,
        "testdata/tests/Hex.Audit.tests.yml",
    ]);
    assert_output(
        &out,
        2,
        "2 cases in 1 test file: 2 passed, 0 failed\n",
        &format!(
            "{bad}:1:7: missing `result` (the expected row) or `results` \
             (a list of rows)\nlognorm: 1 test file could not be read\n"
        ),
    );
}

/// `row` with its `p_row_id` value replaced by `*`.
fn mask_row_id(row: &str) -> String {
    let key = "\"p_row_id\":\"";
    let Some(at) = row.find(key) else { return row.to_owned() };
    let start = at + key.len();
    let end = start + row[start..].find('"').unwrap();
    format!("{}*{}", &row[..start], &row[end..])
}

/// An input of many chunks (3.4 MB, 17,900 records, failures among
/// them) normalized with 1, 2 and 3 threads gives the same rows and dead
/// letters, byte for byte: in input order, with row ids that do not
/// depend on the thread count, all distinct.
#[test]
fn normalize_with_1_2_and_3_threads_writes_the_same_bytes() {
    let dir = scratch("threads");
    let logs = root().join("testdata/logs/Databricks.Audit");
    let corpus = std::fs::read_to_string(logs.join("corpus.jsonl")).unwrap();
    let errors = std::fs::read_to_string(logs.join("errors.jsonl")).unwrap();
    let input = dir.join("in.jsonl");
    std::fs::write(&input, (corpus + &errors).repeat(100)).unwrap();
    let run = |threads: &str| {
        let dead = dir.join(format!("dead-{threads}.jsonl"));
        let out = lognorm(&[
            "normalize",
            "--log-type",
            "Databricks.Audit",
            "--parse-time",
            PARSE_TIME,
            "--threads",
            threads,
            "--errors",
            dead.to_str().unwrap(),
            input.to_str().unwrap(),
        ]);
        assert_eq!((out.status.code(), text(&out.stderr)), (Some(1), ""));
        (
            String::from_utf8(out.stdout).unwrap(),
            std::fs::read_to_string(dead).unwrap(),
        )
    };
    let (rows, dead) = run("1");
    assert_eq!(run("2"), (rows.clone(), dead.clone()));
    assert_eq!(run("3"), (rows.clone(), dead.clone()));

    // In input order: the golden rows, 100 times over; the first chunk's
    // ids are those of one context.
    let golden = |name: &str| {
        std::fs::read_to_string(logs.join(name))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("error: "))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    let corpus_rows = golden("corpus.expected.jsonl");
    let once = corpus_rows.clone() + &golden("errors.expected.jsonl");
    assert!(rows.starts_with(&corpus_rows));
    let masked: String = rows.lines().map(|l| mask_row_id(l) + "\n").collect();
    let expected: String =
        once.lines().map(|l| mask_row_id(l) + "\n").collect();
    assert_eq!(masked, expected.repeat(100));
    let ids: std::collections::HashSet<&str> = rows
        .lines()
        .map(|l| l.split("\"p_row_id\":\"").nth(1).unwrap())
        .collect();
    assert_eq!(ids.len(), rows.lines().count());

    // Dead letters in input order: record numbers grow.
    let numbers: Vec<u64> = dead
        .lines()
        .map(|l| {
            let n = l.split("\"record\":").nth(1).unwrap();
            n[..n.find(',').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(numbers.len(), 4100);
    assert!(numbers.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn threads_must_be_at_least_one() {
    let out =
        lognorm(&["normalize", "--log-type", "Wiz.Audit", "--threads", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(
            "error: invalid value '0' for '--threads <N>': number would be \
             zero for non-zero type"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn infer_drafts_a_schema_that_normalizes_its_samples() {
    let golden = std::fs::read_to_string(
        root().join("testdata/infer/Databricks.Audit.realistic.yml"),
    )
    .unwrap();
    let out = lognorm(&[
        "infer",
        "--name",
        "Custom.DatabricksAudit",
        "testdata/logs/Databricks.Audit/realistic.jsonl",
    ]);
    assert_output(&out, 0, &golden, "");
    // The draft is a schema `normalize` takes, and `check` passes.
    let dir = scratch("infer");
    let schema = dir.join("inferred.yml");
    std::fs::write(&schema, &golden).unwrap();
    let out = lognorm(&["check", schema.to_str().unwrap()]);
    assert_output(&out, 0, "1 schema file ok: Custom.DatabricksAudit\n", "");
    let out = lognorm(&[
        "normalize",
        "--log-type",
        "Custom.DatabricksAudit",
        "--schema",
        schema.to_str().unwrap(),
        "--parse-time",
        PARSE_TIME,
        "testdata/logs/Databricks.Audit/realistic.jsonl",
    ]);
    assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), ""));
    assert_eq!(text(&out.stdout).lines().count(), 9);
}

#[test]
fn infer_reads_lines_and_csv_from_standard_input() {
    let out = lognorm_with_stdin(
        &["infer", "--format", "lines", "--name", "Custom.App"],
        b"2024-01-01T00:00:00Z started\n2024-01-01T00:00:02Z stopped\n",
    );
    assert_output(
        &out,
        0,
        "# Inferred by lognorm from 2 samples: review the types, `required` and
# the indicators before use.
schema: Custom.App
parser:
  fastmatch:
    match:
      - '%{timestamp} %{message}'
fields:
  - name: timestamp
    required: true
    type: timestamp
    timeFormats:
      - rfc3339
    isEventTime: true
  - name: message
    required: true
    type: string
",
        "",
    );
    let out = lognorm_with_stdin(
        &["infer", "--format", "csv", "--name", "Custom.Csv"],
        b"user;n\nana;1\nbob;\n",
    );
    assert_output(
        &out,
        0,
        "# Inferred by lognorm from 2 samples: review the types, `required` and
# the indicators before use.
schema: Custom.Csv
parser:
  csv:
    delimiter: ';'
    hasHeader: true
    emptyValues: ['']
fields:
  - name: \"user\"
    required: true
    type: string
  - name: \"n\"
    type: bigint
",
        "",
    );
}

#[test]
fn infer_errors_exit_2_and_print_no_schema() {
    let out = lognorm(&["infer", "testdata/logs/Wiz.Audit/array.json"]);
    assert_output(
        &out,
        2,
        "",
        "lognorm: `testdata/logs/Wiz.Audit/array.json`: sample 2 (byte \
         586): expected a JSON object, found `17`\n",
    );
    let out = lognorm(&[
        "infer",
        "--name",
        "bad",
        "testdata/logs/Wiz.Audit/corpus.jsonl",
    ]);
    assert_output(
        &out,
        2,
        "",
        "lognorm: the inferred schema does not load: inferred.yml:3:9: \
         schema: invalid log type name `bad`: Panther requires \
         `^[A-Z][A-Za-z0-9]+(\\.[A-Z][A-Za-z0-9]+)*$`, words of two or more \
         letters and digits, each starting with an uppercase letter, joined \
         by dots (`Custom.MyLogs`)\n",
    );
    let out = lognorm_with_stdin(&["infer"], b"");
    assert_output(
        &out,
        2,
        "",
        "lognorm: expected samples to infer a schema from, found none\n",
    );
}

/// csv inputs are split whole (rows refer to the header) and normalized
/// by the reader in chunks of their own: two inputs of many chunks give
/// the same bytes with 1 and 3 threads, rows in order, ids distinct.
#[test]
fn csv_inputs_of_many_chunks_give_the_same_bytes_with_any_thread_count() {
    let dir = scratch("csv-threads");
    let schema = dir.join("csv.yml");
    std::fs::write(
        &schema,
        "schema: Custom.Export\nparser:\n  csv:\n    delimiter: ','\n    \
         hasHeader: true\nfields:\n  - name: user\n    type: string\n  \
         - name: n\n    type: int\n    required: true\n",
    )
    .unwrap();
    let mut inputs = Vec::new();
    for name in ["a.csv", "b.csv"] {
        let mut text = "user,n\n".to_owned();
        for i in 0..20_000 {
            // Every 1000th row fails (`n` is required).
            let n =
                if i % 1000 == 999 { String::new() } else { i.to_string() };
            text += &format!("u{i},{n}\n");
        }
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        inputs.push(path.to_str().unwrap().to_owned());
    }
    let run = |threads: &str| {
        let dead = dir.join(format!("dead-{threads}.jsonl"));
        let mut args = vec![
            "normalize",
            "--log-type",
            "Custom.Export",
            "--schema",
            schema.to_str().unwrap(),
            "--parse-time",
            PARSE_TIME,
            "--threads",
            threads,
            "--errors",
            dead.to_str().unwrap(),
        ];
        args.extend(inputs.iter().map(String::as_str));
        let out = lognorm(&args);
        assert_eq!((out.status.code(), text(&out.stderr)), (Some(1), ""));
        (
            String::from_utf8(out.stdout).unwrap(),
            std::fs::read_to_string(dead).unwrap(),
        )
    };
    let (rows, dead) = run("1");
    assert_eq!(run("3"), (rows.clone(), dead.clone()));
    assert_eq!(rows.lines().count(), 2 * 19_980);
    assert_eq!(dead.lines().count(), 2 * 20);
    let users: Vec<&str> =
        rows.lines().map(|l| l.split('"').nth(3).unwrap()).collect();
    let expected: Vec<String> = (0..2)
        .flat_map(|_| (0..20_000).filter(|i| i % 1000 != 999))
        .map(|i| format!("u{i}"))
        .collect();
    assert_eq!(users, expected);
    let ids: std::collections::HashSet<&str> = rows
        .lines()
        .map(|l| l.split("\"p_row_id\":\"").nth(1).unwrap())
        .collect();
    assert_eq!(ids.len(), rows.lines().count());
}

/// `--log-type A,B,C`: each record gets the candidate that fits it best
/// (Wiz.VulnerabilityFinding also accepts the OpenAI.Audit and Wiz.Audit
/// records, and gets neither) and its row names it; a record none
/// accepts is one dead letter with every candidate's error.
#[test]
fn a_log_type_list_classifies_each_record() {
    let first = |path: &str| {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        text.lines().next().unwrap().to_owned()
    };
    let input = format!(
        "{}\n{}\n{}\n{{\"x\":1}}\n",
        first("testdata/logs/OpenAI.Audit/corpus.jsonl"),
        first("testdata/logs/Wiz.Audit/corpus.jsonl"),
        first("testdata/logs/Wiz.VulnerabilityFinding/realistic.jsonl"),
    );
    let out = lognorm_with_stdin(
        &[
            "normalize",
            "--log-type",
            "Wiz.VulnerabilityFinding,OpenAI.Audit,Wiz.Audit",
            "--parse-time",
            PARSE_TIME,
        ],
        input.as_bytes(),
    );
    let types: Vec<&str> = text(&out.stdout)
        .lines()
        .map(|row| {
            let at = row.find(r#""p_log_type":""#).unwrap() + 14;
            let rest = &row[at..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        types,
        ["OpenAI.Audit", "Wiz.Audit", "Wiz.VulnerabilityFinding"]
    );
    let offset = input.len() - "{\"x\":1}\n".len();
    assert_eq!(
        text(&out.stderr),
        format!(
            "{{\"input\":\"-\",\"record\":4,\"offset\":{offset},\
             \"log_type\":\"Wiz.VulnerabilityFinding,OpenAI.Audit,Wiz.Audit\",\
             \"error\":\"record 4 (byte {offset}): no candidate log type \
             accepts it: `Wiz.VulnerabilityFinding`: field `id`: expected a \
             value (required), found nothing; `OpenAI.Audit`: field `id`: \
             expected a value (required), found nothing; `Wiz.Audit`: field \
             `id`: expected a value (required), found nothing\",\
             \"raw\":\"{{\\\"x\\\":1}}\"}}\n"
        )
    );
    assert_eq!(out.status.code(), Some(1));
    let out = lognorm(&["normalize", "--log-type", "Wiz.Audit,Nope.Audit"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(
            "lognorm: --log-type: unknown log type `Nope.Audit`: expected \
             one of `Databricks.Audit`, "
        ),
        "{}",
        text(&out.stderr)
    );
}
