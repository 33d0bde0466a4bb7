//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use lognorm::{Context, LogType, Scratch, Timestamp};

/// The repository's `testdata/` (at the workspace root).
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// The shipped schemas, `crates/lognorm/schemas/`.
pub fn shipped_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// The pinned context of golden files: parse time 2024-01-01T00:00:00Z
/// and the node id the `lognorm` command uses (`lognor`), so golden files
/// equal `lognorm normalize --parse-time 2024-01-01T00:00:00Z`'s output.
pub fn context() -> Context {
    let t: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
    Context::new(t, *b"lognor")
}

/// Normalizes a payload; one line per record: the row, or `error: …`.
/// Also checks the promises every outcome keeps: an error hands back the
/// exact raw bytes of its record, and a row is valid JSON.
pub fn normalize_lines(log_type: &LogType, payload: &[u8]) -> Vec<String> {
    let mut ctx = context();
    let mut scratch = Scratch::new();
    let mut lines = Vec::new();
    for record in log_type.split(payload) {
        let start = record.offset();
        let raw = &payload[start..start + record.bytes().len()];
        assert_eq!(
            raw,
            record.bytes(),
            "record bytes are a slice of the payload at its offset"
        );
        match log_type.normalize(record, &mut ctx, &mut scratch) {
            Ok(event) => {
                let row = event.row().to_owned();
                let parsed: serde_json::Value = serde_json::from_str(&row)
                    .unwrap_or_else(|e| {
                        panic!("row is not JSON ({e}): {row}")
                    });
                assert!(parsed.is_object());
                lines.push(row);
            }
            Err(e) => {
                assert_eq!(
                    e.raw(),
                    record.bytes(),
                    "error carries the raw record"
                );
                assert_eq!(e.record_number(), record.number());
                assert_eq!(e.offset(), record.offset());
                assert_eq!(e.log_type(), log_type.name());
                lines.push(format!("error: {e}"));
            }
        }
    }
    lines
}

/// An `io::Read` that makes its bytes as they are read, never holding
/// more than one line: line `i` is `line(i)`, for `i` below `n`. Reads
/// return at most `most` bytes.
pub struct Made<F> {
    line: F,
    n: usize,
    next: usize,
    pub pending: Vec<u8>,
    at: usize,
    most: usize,
}

impl<F: FnMut(usize, &mut Vec<u8>)> std::io::Read for Made<F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.pending.len() {
            if self.next == self.n {
                return Ok(0);
            }
            self.pending.clear();
            (self.line)(self.next, &mut self.pending);
            self.next += 1;
            self.at = 0;
        }
        let k = buf.len().min(self.most).min(self.pending.len() - self.at);
        buf[..k].copy_from_slice(&self.pending[self.at..self.at + k]);
        self.at += k;
        Ok(k)
    }
}

pub fn made<F: FnMut(usize, &mut Vec<u8>)>(
    n: usize,
    most: usize,
    line: F,
) -> Made<F> {
    Made { line, n, next: 0, pending: Vec::new(), at: 0, most }
}
