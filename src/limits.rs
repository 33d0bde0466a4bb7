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
    record_bytes: usize,
    depth: usize,
    string_bytes: usize,
    indicator_values: usize,
    schema_depth: usize,
    schema_fields: usize,
}

impl Limits {
    /// The default limits:
    ///
    /// | limit | default |
    /// |---|---|
    /// | record size | 8 MiB |
    /// | JSON nesting depth | 128 |
    /// | one string value | 1 MiB |
    /// | indicator values per event | 10,000 |
    /// | schema nesting depth | 32 |
    /// | fields in one schema (all levels) | 10,000 |
    pub const fn new() -> Limits {
        Limits {
            record_bytes: 8 << 20,
            depth: 128,
            string_bytes: 1 << 20,
            indicator_values: 10_000,
            schema_depth: 32,
            schema_fields: 10_000,
        }
    }

    /// Sets the largest record, in bytes.
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
    pub const fn max_schema_depth(mut self, n: usize) -> Limits {
        self.schema_depth = n;
        self
    }

    /// Sets the most fields (at all levels) one schema may declare.
    pub const fn max_schema_fields(mut self, n: usize) -> Limits {
        self.schema_fields = n;
        self
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
