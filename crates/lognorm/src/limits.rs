//! Bounds on what one schema, payload or record may cost.

/// Limits on untrusted input, set once per [`Registry`](crate::Registry).
///
/// Going past a limit while normalizing is an ordinary
/// [`RecordError`](crate::RecordError) of kind
/// [`Limit`](crate::RecordErrorKind::Limit); going past a schema limit is a
/// [`SchemaError`](crate::SchemaError). Nothing panics or aborts.
///
/// The setters are `const fn`, so a configuration can be a `const` item:
///
/// ```
/// use lognorm::Limits;
///
/// const STRICT: Limits = Limits::new()
///     .max_record_bytes(64 * 1024)
///     .max_depth(32);
/// assert_eq!(STRICT.record_bytes(), 64 * 1024);
/// assert_eq!(Limits::new().depth(), 128);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    payload_bytes: usize,
    record_bytes: usize,
    depth: usize,
    record_fields: usize,
    string_bytes: usize,
    indicator_values: usize,
    schema_bytes: usize,
    schema_depth: usize,
    schema_fields: usize,
    patterns: usize,
    pattern_bytes: usize,
}

impl Limits {
    /// The default limits:
    ///
    /// | limit | default | going past it |
    /// |---|---|---|
    /// | payload size | 256 MiB | the rest of the payload is one failing record |
    /// | record size | 8 MiB | the record fails |
    /// | JSON nesting depth | 128 | the record fails |
    /// | object members read in one record | 100,000 | the record fails |
    /// | one string value | 1 MiB | the record fails |
    /// | indicator values per event | 10,000 | the record fails |
    /// | schema size | 1 MiB | schema error |
    /// | schema nesting depth | 16 | schema error |
    /// | fields in one schema (all levels) | 10,000 | schema error |
    /// | fastmatch patterns in one schema | 64 | schema error |
    /// | one fastmatch pattern | 4 KiB | schema error |
    pub const fn new() -> Limits {
        Limits {
            payload_bytes: 256 << 20,
            record_bytes: 8 << 20,
            depth: 128,
            record_fields: 100_000,
            string_bytes: 1 << 20,
            indicator_values: 10_000,
            schema_bytes: 1 << 20,
            schema_depth: 16,
            schema_fields: 10_000,
            patterns: 64,
            pattern_bytes: 4 << 10,
        }
    }

    /// Sets the largest payload [`LogType::split`](crate::LogType::split)
    /// cuts into records, in bytes. A record that starts past it is not
    /// split out: the rest of the payload becomes one last record, which
    /// fails with a [`Limit`](crate::RecordErrorKind::Limit) error (and
    /// carries those bytes), so nothing is dropped unseen.
    /// Input read with [`LogType::split_reader`](crate::LogType::split_reader)
    /// has no payload limit: it is never held whole.
    pub const fn max_payload_bytes(mut self, n: usize) -> Limits {
        self.payload_bytes = n;
        self
    }

    /// Sets the most object members the normalizer reads in one record:
    /// the keys of every declared object it scans plus the keys of every
    /// `json` value it writes (members of undeclared subtrees are skipped
    /// without being read and do not count).
    pub const fn max_record_fields(mut self, n: usize) -> Limits {
        self.record_fields = n;
        self
    }

    /// Sets the largest schema document, in bytes.
    pub const fn max_schema_bytes(mut self, n: usize) -> Limits {
        self.schema_bytes = n;
        self
    }

    /// Sets the most `fastmatch` patterns (`match` entries) in one schema.
    pub const fn max_patterns(mut self, n: usize) -> Limits {
        self.patterns = n;
        self
    }

    /// Sets the longest `fastmatch` pattern, in bytes.
    pub const fn max_pattern_bytes(mut self, n: usize) -> Limits {
        self.pattern_bytes = n;
        self
    }

    /// Sets the largest record, in bytes. A
    /// [`SplitReader`](crate::SplitReader) made by
    /// [`LogType::split_reader`](crate::LogType::split_reader) holds no
    /// longer record: it hands it out oversize.
    pub const fn max_record_bytes(mut self, n: usize) -> Limits {
        self.record_bytes = n;
        self
    }

    /// Sets the deepest JSON nesting of a record (objects and arrays).
    pub const fn max_depth(mut self, n: usize) -> Limits {
        self.depth = n;
        self
    }

    /// Sets the longest single string value written to a row, in bytes.
    pub const fn max_string_bytes(mut self, n: usize) -> Limits {
        self.string_bytes = n;
        self
    }

    /// Sets the most indicator values one event may collect.
    pub const fn max_indicator_values(mut self, n: usize) -> Limits {
        self.indicator_values = n;
        self
    }

    /// Sets the deepest nesting of object and array fields in a schema.
    ///
    /// Reading a schema recurses with its nesting: at the default (16),
    /// a schema needs under 1 MiB of stack in a debug build and under
    /// 512 KiB in a release build (`tests/hostile.rs` checks a 2 MiB
    /// thread, Rust's default); raise it with a bigger stack in mind.
    /// Deeper YAML is refused before any recursion.
    pub const fn max_schema_depth(mut self, n: usize) -> Limits {
        self.schema_depth = n;
        self
    }

    /// Sets the most fields (at all levels) one schema may declare.
    pub const fn max_schema_fields(mut self, n: usize) -> Limits {
        self.schema_fields = n;
        self
    }

    /// The largest payload split into records, in bytes.
    pub const fn payload_bytes(&self) -> usize {
        self.payload_bytes
    }

    /// The most object members read in one record.
    pub const fn record_fields(&self) -> usize {
        self.record_fields
    }

    /// The largest schema document, in bytes.
    pub const fn schema_bytes(&self) -> usize {
        self.schema_bytes
    }

    /// The most `fastmatch` patterns in one schema.
    pub const fn patterns(&self) -> usize {
        self.patterns
    }

    /// The longest `fastmatch` pattern, in bytes.
    pub const fn pattern_bytes(&self) -> usize {
        self.pattern_bytes
    }

    /// The largest record, in bytes.
    pub const fn record_bytes(&self) -> usize {
        self.record_bytes
    }

    /// The deepest JSON nesting of a record.
    pub const fn depth(&self) -> usize {
        self.depth
    }

    /// The longest single string value, in bytes.
    pub const fn string_bytes(&self) -> usize {
        self.string_bytes
    }

    /// The most indicator values per event.
    pub const fn indicator_values(&self) -> usize {
        self.indicator_values
    }

    /// The deepest nesting of fields in a schema.
    pub const fn schema_depth(&self) -> usize {
        self.schema_depth
    }

    /// The most fields in one schema.
    pub const fn schema_fields(&self) -> usize {
        self.schema_fields
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new()
    }
}
