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
    for command in ["normalize", "check"] {
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
        "--log-type <NAME>",
        "--schema <FILE_OR_DIR>",
        "--parse-time <RFC3339>",
        "--framing <FRAMING>",
        "--source-id <ID>",
        "--source-label <LABEL>",
        "-o <FILE>",
        "--errors <FILE>",
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
  --log-type <NAME>

Usage: lognorm normalize --log-type <NAME> <INPUT>...

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
         `username`, `actor_id`, `trace_id`, `md5`, `sha1`, `sha256`, \
         `aws_arn`, `aws_arn_only`, `aws_account_id`, `aws_instance_id`, \
         `aws_tag`
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
