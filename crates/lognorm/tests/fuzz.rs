//! Replays the fuzz regression inputs: every file under
//! `testdata/fuzz/<target>/` runs through the same property checks as the
//! fuzz target `<target>` (the code in `fuzz/src/lib.rs`, included here),
//! so a crash the fuzzers found stays a failing test until it is fixed.
//!
//! Every file is listed in [`CASES`] with what it is; the test fails on a
//! file that is not listed (say what a new input is when you add one).
//! See `fuzz/README.md` for how to run the fuzzers and add an input.

use std::fs;

use crate::util::testdata;

#[allow(
    dead_code,
    reason = "the fuzz crate's library; the replay uses only its targets"
)]
#[path = "../../../fuzz/src/lib.rs"]
mod props;

/// `(target/file, what it is)`. Files named `crash-<sha1>` made a target
/// fail before the fix named here; `input-<sha1>` files are inputs the
/// fuzzers found that reach deep paths, kept so the replay covers them.
const CASES: &[(&str, &str)] = &[
    // ---- crashes (each failed its target before the fix named) ----
    (
        // `x\r=`: the line `x\r=` is also an `expandFields` entry whose
        // name `x\r` holds a carriage return; the ParserError message
        // quoted it raw and spanned two lines. Fixed by escaping control
        // characters in fastmatch messages (src/fastmatch/mod.rs, `Clip`).
        "fastmatch_compile/crash-79d2ca47bd3f3510538df51e355ae8fdeb685209",
        "control character in an expandFields name broke the message",
    ),
    (
        // `x\r`: a text line whose lone `\r` at the end of the payload is
        // kept (SPEC §2); the no-match error quoted the line raw, so the
        // message ended in a carriage return. Fixed by escaping control
        // characters in `error::quote`.
        "normalize_text/crash-663ed576109e209c80444f885c811ee1736693bd",
        "control character in a found value broke the message",
    ),
    (
        // `\n? t\n\n t`: a YAML complex key whose text is "t\nt"; the
        // SchemaError path held the newline raw, so the message spanned
        // two lines. Fixed by escaping control characters in the path
        // and message when displaying (src/error.rs, `write_one_line`).
        "schema_yaml/crash-daffa557c6c26463e7aa2a3e4263c9345f51be69",
        "line break in a YAML key broke the schema error message",
    ),
    (
        // A schema whose time format is `"%Y\n"`: normalizing the fixed
        // records fails on `t`, and the error's `expected` quoted the
        // format raw, so the message spanned two lines. Written by hand
        // while reviewing the fix above (the fuzzers had not reached it);
        // fixed by escaping `expected` and `found` too.
        "schema_yaml/crash-0f1dc537c776f9e8b9a945357c1b20a07ec7874d",
        "line break in a time format broke the record error message",
    ),
    (
        // A Wiz.Audit payload (batches of 1) whose second record has a
        // timestamp in the year 9436: a row as JSON, a failure in Arrow
        // (outside nanoseconds). The property first took the next
        // record's row for it; fixed in the property (a failure of that
        // record is looked up by its number).
        "arrow_decode/crash-a6fa900a7ed9b0e44f632fffedaf2e094fdf702e",
        "a timestamp outside Arrow's nanoseconds fails that record only",
    ),
    // ---- inputs the fuzzers found that reach deep paths ----
    (
        // `0` Databricks.Audit: two rows with many columns, and a record
        // that fails as invalid JSON.
        "normalize_json/input-5b26c9a81c1fd059fc7ae4c8d03db771b3bc21c1",
        "Databricks.Audit rows with nested objects",
    ),
    (
        // `0` Databricks.Audit: missing required fields, a bad
        // timestamp, a record that is not an object, invalid JSON.
        "normalize_json/input-5df2117071fb62e36455b706f4b54a8e40c9579a",
        "Databricks.Audit errors of four kinds",
    ),
    (
        // `1` Hex.Audit: a deep `event.*` row whose `p_event_time` comes
        // from the nested `event.occurred_at`; an invalid record.
        "normalize_json/input-68cf61701c59e3fe0fe9525875045c265e75d318",
        "Hex.Audit nested event time",
    ),
    (
        // `2` OpenAI.Audit: actor/user/api_key objects, unix event time.
        "normalize_json/input-41971cacf39623e9c14aa5e072da19703bf9eab4",
        "OpenAI.Audit rows with actor objects",
    ),
    (
        // `3` Wiz.Audit: rows and errors of five kinds in one payload.
        "normalize_json/input-78477813a2dfc67a86c9cfd9ab2454e6b2d36bfb",
        "Wiz.Audit rows and five error kinds",
    ),
    (
        // `4` Wiz.Issues: several timestamp columns, arrays of objects.
        "normalize_json/input-a97d16e9ef76a38ffc4ac30e16a1b9ba5ce41ae0",
        "Wiz.Issues rows with timestamps and arrays",
    ),
    (
        // `5` Wiz.VulnerabilityFinding: the widest rows.
        "normalize_json/input-4a76511de98605cd17ea65b13807e53e4f6a4e0e",
        "Wiz.VulnerabilityFinding rows",
    ),
    (
        // Generated pattern `%{}'%{ b }''%{ c }''%{ a }''%{ e }'%{ e }`:
        // single-quoted fields with spaced names and a repeated name, a
        // line with escaped quotes (unescaped into the buffer), trimSpace
        // and an empty `emptyValues` entry.
        "fastmatch_match/input-440c30ae1c7f85af0d60a5442554255a815ae2a2",
        "quoted fields, escapes, trimSpace, emptyValues",
    ),
    (
        // `'%{ e }'}\r` on a line with long runs of backslashes: the
        // quoted-field scan must count each run once (odd run = escaped
        // quote).
        "fastmatch_match/input-3131f55b0550888f2e988b7d1be01510f2aa1932",
        "backslash runs before quotes",
    ),
    (
        // `%{ e }` on an empty line with six empty `emptyValues` and two
        // `expandFields` entries that render empty (dropped).
        "fastmatch_match/input-569893e42128e1e97cbe78ed0dc6d8e20ff0c22c",
        "expandFields rendering to nothing",
    ),
    (
        // Octet-counted Heroku frames with right and wrong counts: rows
        // (a fraction with nine digits and a +02:00 zone, a padded
        // message) next to invalid-UTF-8, no-match, bad-timestamp and
        // bad-int errors.
        "normalize_text/input-2dc9a607d75bbc3a99a0b3935f7a6167b0df386d",
        "Heroku frames: rows and four error kinds",
    ),
    (
        // Damaged frames (invalid UTF-8, NUL runs, a count of 2147483647
        // with nothing after it): errors only, under every framing.
        "normalize_text/input-7d3a31d0a719cb2fef2b098e075e9966ba8e2244",
        "Heroku damaged frames, errors only",
    ),
    (
        // `'\r\r\nn\x03`: an error at line 3 column 2 after a `\r` and a
        // `\r\n` line break; the location property counts YAML line
        // breaks (`\r\n`, `\r`, `\n`).
        "schema_yaml/input-9cb1060ddfcad500fc2026b8b73b13f1cb023798",
        "error location after CR and CRLF line breaks",
    ),
    (
        // Heroku frames with wrong counts, frames holding newlines and
        // control bytes, and a damaged JSON array tail: exercises every
        // framing's gap rule and the octet frame-start rule.
        "split_payload/input-e0ef053a9f53a5fce55b4a0e57c15cc9c7b14f31",
        "octet frames with wrong counts and multi-line messages",
    ),
    (
        // Two octet frames followed by a pretty-printed OpenAI array cut
        // up: malformed-array tail records under JSON framing.
        "split_payload/input-eef6463df09e71fb24d3bd3ab107a99d5c097dbd",
        "malformed JSON array and octet frames",
    ),
    (
        // `2123-12-18T01:02:04.1766666666600001z`: more than nine fraction
        // digits (truncated) and a lowercase `z` zone.
        "time_parse/input-01d6daab534e90eb095e053239af02bfd039d0ea",
        "rfc3339 long fraction, lowercase z",
    ),
    (
        // `0.000…0046`: a `unix` fraction far below a nanosecond
        // (truncated to zero); also a JSON number (ryu prints `4.6e-54`).
        "time_parse/input-0527c290a3657250865ac3046a939c1d7af58d3f",
        "unix tiny fraction, text and number",
    ),
    (
        // `-000…04800174800123`: a negative integer with many leading
        // zeros for the integer formats.
        "time_parse/input-2f8007ec4a0dc456d3ec5d96304479506c1326ed",
        "negative integer with leading zeros",
    ),
    (
        // `00009500093512`: `%s` with leading zeros (chrono reads them).
        "time_parse/input-4876ef8262d34e5f19a0a43897018db9083df232",
        "%s with leading zeros",
    ),
    (
        // `2023-12-18 \r1:12:03`: a strftime space next to a `\r`. It
        // matched while strftime followed chrono; in Panther's dialect a
        // space matches one space, so the value fails.
        "time_parse/input-76d2ac1ef4dd0c5d11d63a248df00e7bf38c2978",
        "strftime space next to a carriage return",
    ),
    (
        // `1/Oct/2000:13:55:36 -1400`: one-digit day and a -14:00 offset.
        "time_parse/input-a1a3fb4c4389bdd99c0c786ab5a402639b973eee",
        "strftime %z with -1400",
    ),
    (
        // `2024-01-02 03:04:05.123456`: `%f` reads six digits as
        // microseconds (issue 15), against the fraction-split oracle.
        "time_parse/input-948f336287b8f5fcba603be059d8f27020aa68a9",
        "strftime %f with six digits",
    ),
    (
        // `05/24/2020 23:50:06,1234567891`: Go's `.999` takes a comma and
        // ten digits (nine kept).
        "time_parse/input-3d92a39379f5897485ffb3d45d051789c34fdfe9",
        "layout fraction with a comma and ten digits",
    ),
    (
        // `2020-04-09  18:37:33.5 GMT+3`: Go's layout space takes two,
        // a fraction the layout does not show, and a `GMT+3` zone name
        // that leaves the instant alone.
        "time_parse/input-65547a48a35b1cc8ac68bbb51e187cd831794367",
        "layout spaces, unannounced fraction, GMT+3",
    ),
    (
        // `1600368586194526741`: Cloudflare nanoseconds (Panther's
        // Cloudflare.Spectrum test value), as text and as a number.
        "time_parse/input-569c011674f0d05f93919ebfeaef80040f0c699c",
        "cloudflare nanoseconds",
    ),
    (
        // Written by hand with the target (issue 19): all seven types,
        // best fit, JSON framing: an OpenAI.Audit and a Wiz.Issues
        // record (both also accepted by Wiz.VulnerabilityFinding), a
        // Heroku drain line, a line nothing reads, a record every JSON
        // type rejects.
        "classify/input-7603d953b572cc4eb6d9a14a193bdb5038978b0d",
        "classify: seven types, mixed JSON and text lines",
    ),
    (
        // By hand: Wiz.VulnerabilityFinding then OpenAI.Audit (reversed
        // pick), first success: Wiz.Audit records (which neither reads
        // whole) and a vulnerability finding.
        "classify/input-4f8e495f4a83d116d033c6828caaee095d687b86",
        "classify: first success over two JSON types",
    ),
    (
        // By hand: Heroku.Runtime and Hex.Audit, best fit, a payload that
        // starts with text (auto framing) and ends with a JSON record.
        "classify/input-b61e88eaaf80d8d580ecaa2e723dcf3dab7f4ea5",
        "classify: a text type and a JSON type",
    ),
];

/// A fuzz target's body: panics when a property breaks.
type Check = fn(&[u8]);

/// The fuzz targets and their property checks (`arrow_decode` with the
/// feature `arrow`: its inputs are skipped without it).
const TARGETS: &[(&str, Check)] = &[
    #[cfg(feature = "arrow")]
    ("arrow_decode", props::arrow_decode),
    ("schema_yaml", props::schema_yaml),
    ("fastmatch_compile", props::fastmatch_compile),
    ("fastmatch_match", props::fastmatch_match),
    ("split_payload", props::split_payload),
    ("normalize_json", props::normalize_json),
    ("normalize_text", props::normalize_text),
    ("time_parse", props::time_parse),
    ("text_parsers", props::text_parsers),
    ("classify", props::classify),
];

#[test]
fn fuzz_regressions_replay() {
    let root = testdata().join("fuzz");
    let mut seen = Vec::new();
    for &(target, check) in TARGETS {
        let Ok(dir) = fs::read_dir(root.join(target)) else { continue };
        let mut files: Vec<_> = dir.map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_str().unwrap();
            let case = format!("{target}/{name}");
            assert!(
                CASES.iter().any(|(c, _)| *c == case),
                "testdata/fuzz/{case} is not listed in tests/fuzz.rs CASES"
            );
            let data = fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "testdata/fuzz/{case} fails its target");
            seen.push(case);
        }
    }
    for (case, _) in CASES {
        let target = case.split('/').next().unwrap_or_default();
        if TARGETS.iter().any(|(t, _)| *t == target) {
            assert!(seen.iter().any(|s| s == case), "{case}: no such file");
        }
    }
}

/// The replay is not vacuous: the checks fail when a property breaks.
/// Here a schema error is checked against a text it did not come from,
/// so its location (line 4) is outside that text.
#[test]
#[should_panic(expected = "line past the end")]
fn fuzz_properties_fail_when_broken() {
    let yaml = "schema: X\nfields:\n  - name: a\n    type: strin\n";
    let err =
        lognorm::Registry::builder().add_yaml("fuzz.yml", yaml).unwrap_err();
    props::check_schema_error(&err, yaml);
    props::check_schema_error(&err, "schema: X");
}

/// The `text_parsers` properties over inputs made from fixed seeds
/// (cargo-fuzz explores further; this keeps the target's checks exercised
/// in every `cargo test`): regex and csv schemas from pieces that compile
/// and pieces that do not, with payloads of their kind.
#[test]
fn text_parsers_hold_on_generated_inputs() {
    const PATTERNS: [&str; 8] = [
        "%{IP:a} %{WORD:b}",
        "(?P<a>[^,]*),(?P<b>.*)",
        "%{COMMONAPACHELOG}",
        "%{MINE:c}",
        "(?P<a>\\d+",
        "%{NOPE}",
        "(?P<a>x)(?P<a>y)",
        "^(?P<c>.*)$",
    ];
    const PAYLOADS: [&[u8]; 6] = [
        b"1.2.3.4 GET\n5.6.7.8 POST\n",
        b"a,b,c\nx,\"y\n,z\",w\n\"unclosed",
        b"a,b\n1,2,3\n\n4\n",
        b"127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2\n",
        b"\xff\xfe,\n,,,\n",
        b"",
    ];
    let mut n = 0;
    for (i, pattern) in PATTERNS.iter().enumerate() {
        for (j, payload) in PAYLOADS.iter().enumerate() {
            for csv in [false, true] {
                let input = props::TextParserInput {
                    csv,
                    pattern,
                    definition: (i % 2 == 0).then_some(("MINE", "[a-z]+")),
                    delimiter: [',', '\t', ';', '"'][j % 4],
                    header: (i + j) % 2 == 0,
                    skip_prefix: (j == 3).then_some("127."),
                    payload,
                };
                props::text_parsers_input(&input);
                n += 1;
            }
        }
    }
    assert_eq!(n, 96);
}

/// The `text_parsers` csv oracle (the rows the `csv` crate reads from the
/// whole payload) on payloads of every path a row can take: unquoted,
/// quoted by the rules (doubled quotes, quoted delimiters and line
/// breaks, rows longer than a 16-byte block), and not (a quote inside a
/// field, text after a closing quote, a lone carriage return, an open
/// quote), each with `,` and `;`.
#[test]
fn text_parsers_csv_oracle_holds_on_quoted_rows() {
    const PAYLOADS: [&str; 6] = [
        "x,\"a \"\"q\"\" b\",z\n\"1\",\"2\",\"3\"\r\n\"\",,\"\n\"\n",
        "0123456789abcdefgh,\"0123456789,abcdef\"\"\",z\nlast,row,\"end\"",
        "a\"b,c,d\n\"a\"b,c,d\ne,f\rg,h,i\n",
        "p,q,r\n\"open,s,t\nu,v,w\n",
        "1,2\n1,2,3,4\n,,\n",
        "\"\"\"\",\"\"\"\"\"\",\"\"\n",
    ];
    for payload in PAYLOADS {
        for delimiter in [',', ';'] {
            let payload = payload.replace(',', &delimiter.to_string());
            props::text_parsers_input(&props::TextParserInput {
                csv: true,
                pattern: "",
                definition: None,
                delimiter,
                header: false,
                skip_prefix: None,
                payload: payload.as_bytes(),
            });
        }
    }
}

/// The `classify` target's properties on every golden input of the seven
/// shipped types, under several candidate picks and both rules, so they
/// hold on every `cargo test` and not only under the fuzzer.
#[test]
fn classify_holds_on_the_goldens() {
    let mut n = 0;
    for name in props::SHIPPED_TYPES {
        let dir = testdata().join("logs").join(name);
        let mut files: Vec<_> =
            fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files {
            if path.to_str().unwrap().ends_with(".expected.jsonl") {
                continue;
            }
            let payload = fs::read(&path).unwrap();
            // All seven, all seven reversed, OpenAI.Audit and
            // Wiz.VulnerabilityFinding, Heroku.Runtime and Hex.Audit.
            for pick in [0x00u8, 0xff, 0x48, 0x06] {
                for rule in [0u8, 1] {
                    let mut data = vec![pick, rule];
                    data.extend_from_slice(&payload);
                    props::classify(&data);
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 8 * 27);
}

/// The `arrow_decode` target's properties on every golden input of the
/// seven shipped types (batches of 1 and of 32 events) and on every
/// `normalize_json` regression input under each type, on every
/// `cargo test --features arrow`.
#[cfg(feature = "arrow")]
#[test]
fn arrow_decode_holds_on_the_goldens() {
    let mut n = 0;
    for (i, name) in props::SHIPPED_TYPES.iter().enumerate() {
        let dir = testdata().join("logs").join(name);
        let mut files: Vec<_> =
            fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let type_bits = u8::try_from(i).unwrap();
        for path in files {
            if path.to_str().unwrap().ends_with(".expected.jsonl") {
                continue;
            }
            let payload = fs::read(&path).unwrap();
            for size_bits in [0u8, 31] {
                let mut data = vec![type_bits | size_bits << 3];
                data.extend_from_slice(&payload);
                props::arrow_decode(&data);
                n += 1;
            }
        }
        let fuzz = testdata().join("fuzz").join("normalize_json");
        for entry in fs::read_dir(fuzz).unwrap() {
            let data = fs::read(entry.unwrap().path()).unwrap();
            let mut mine = vec![type_bits | 2 << 3];
            mine.extend_from_slice(data.get(1..).unwrap_or_default());
            props::arrow_decode(&mine);
        }
    }
    assert_eq!(n, 2 * 27);
}
