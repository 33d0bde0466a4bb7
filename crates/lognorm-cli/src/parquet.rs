//! `normalize --output parquet` (feature `parquet`): each worker encodes
//! its chunk's records into an Arrow record batch, and the writer
//! appends the batches, in chunk order, to one Parquet file.
//!
//! Dead letters stay JSON lines, the same bytes as with `--output json`:
//! the decoder turns each failed record into a row of its failures batch
//! (record number, offset, log type, error, raw bytes: what a dead letter
//! holds), and [`Encoder::finish`] writes them between the chunk's
//! records that failed as they were read, naming each one's input.

use std::io::{BufWriter, Write};

use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use arrow_array::{Array, RecordBatch};
use lognorm::arrow::{BatchDecoder, Batches, arrow_schema};
use lognorm::{Context, LogType, Record};
use parquet::arrow::ArrowWriter;

use crate::chunks::{Item, Normalized};
use crate::dead_letter;

/// A worker's encoder: the decoder's builders are kept from chunk to
/// chunk.
#[derive(Debug)]
pub(crate) struct Encoder<'r> {
    /// Never cuts a batch by its row count (only before its text passes
    /// Arrow's 2 GiB), so a chunk is one batch: [`Encoder::finish`]
    /// flushes it.
    decoder: BatchDecoder<'r>,
    /// Batches the decoder cut within the chunk.
    batches: Vec<Batches>,
    /// The chunk's dead letters so far, in record order.
    dead: Vec<Dead>,
    /// The first error of the decoder (a bug).
    error: Option<String>,
}

/// Where a dead letter of a chunk comes from.
#[derive(Clone, Copy, Debug)]
enum Dead {
    /// The next row of the failures batches; the input's index.
    Decoded(usize),
    /// `Item::Failed` at this index of the chunk's items.
    Read(usize),
}

impl<'r> Encoder<'r> {
    pub(crate) fn new(log_type: &'r LogType) -> Encoder<'r> {
        Encoder {
            decoder: BatchDecoder::new(log_type, usize::MAX),
            batches: Vec::new(),
            dead: Vec::new(),
            error: None,
        }
    }

    /// Normalizes `record` of input `input` into the batch. `false` when
    /// it failed: its dead letter is written by [`Encoder::finish`].
    pub(crate) fn record(
        &mut self,
        record: Record<'_>,
        input: usize,
        ctx: &mut Context,
    ) -> bool {
        let before = self.decoder.len();
        if let Err(e) = self.decoder.decode_record(record, ctx) {
            self.error.get_or_insert_with(|| e.to_string());
            return true;
        }
        // The decoder adds the record's row to the batch, or its
        // failure to the failures batch; before either, it may cut the
        // batch so far (as the text nears 2 GiB), which leaves the row
        // alone in the new one.
        let cut = self.decoder.has_full_batch();
        let ok = if cut {
            self.decoder.len() == 1
        } else {
            self.decoder.len() > before
        };
        if cut {
            self.drain();
        }
        if !ok {
            self.dead.push(Dead::Decoded(input));
        }
        ok
    }

    /// A record of the chunk's `items[index]` failed as it was read.
    pub(crate) fn read_failed(&mut self, index: usize) {
        self.dead.push(Dead::Read(index));
    }

    /// Moves the cut batches to `batches`.
    fn drain(&mut self) {
        while self.decoder.has_full_batch() {
            if !self.flush() {
                break;
            }
        }
    }

    /// Moves the next batch to `batches`: `false` when there was none.
    fn flush(&mut self) -> bool {
        match self.decoder.flush() {
            Ok(Some(b)) => {
                self.batches.push(b);
                true
            }
            Ok(None) => false,
            Err(e) => {
                self.error.get_or_insert_with(|| e.to_string());
                false
            }
        }
    }

    /// Ends the chunk: its event batches go to `out.batches`, and its
    /// dead letters, in record order, to `out.dead` (`items` are the
    /// chunk's, `names` the inputs').
    pub(crate) fn finish(
        &mut self,
        out: &mut Normalized,
        items: &[Item],
        names: &[String],
    ) {
        while self.flush() {}
        if let Err(e) = self.dead_letters(out, items, names) {
            self.error.get_or_insert(e);
        }
        self.dead.clear();
        for b in self.batches.drain(..) {
            if b.events.num_rows() > 0 {
                out.batches.push(b.events);
            }
        }
        if let Some(e) = self.error.take() {
            out.error = Some(format!(
                "encoding rows for Parquet: {e} (a bug in lognorm)"
            ));
        }
    }

    fn dead_letters(
        &self,
        out: &mut Normalized,
        items: &[Item],
        names: &[String],
    ) -> Result<(), String> {
        let name = |input: usize| names.get(input).map_or("-", String::as_str);
        let mut rows = self.batches.iter().flat_map(|b| {
            (0..b.failures.num_rows()).map(|i| (&b.failures, i))
        });
        for dead in &self.dead {
            match *dead {
                Dead::Decoded(input) => {
                    let Some((failures, i)) = rows.next() else {
                        return Err("a failure row is missing".to_owned());
                    };
                    failure_row(&mut out.dead, name(input), failures, i)?;
                }
                Dead::Read(index) => {
                    if let Some(Item::Failed { input, error }) =
                        items.get(index)
                    {
                        dead_letter::to_vec(
                            &mut out.dead,
                            name(*input),
                            error,
                        );
                    }
                }
            }
        }
        match rows.next() {
            Some(_) => Err("a failure row has no record".to_owned()),
            None => Ok(()),
        }
    }
}

/// Appends the dead letter of row `i` of a failures batch
/// (`lognorm::arrow::failures_schema`).
fn failure_row(
    out: &mut Vec<u8>,
    input: &str,
    failures: &RecordBatch,
    i: usize,
) -> Result<(), String> {
    let column = |c: usize| {
        failures
            .columns()
            .get(c)
            .filter(|a| i < a.len())
            .ok_or_else(|| format!("the failures batch has no column {c}"))
    };
    let wrong = || "a failures batch of another schema".to_owned();
    let number =
        column(0)?.as_primitive_opt::<UInt64Type>().ok_or_else(wrong)?;
    let offset =
        column(1)?.as_primitive_opt::<UInt64Type>().ok_or_else(wrong)?;
    let log_type = column(2)?.as_string_opt::<i32>().ok_or_else(wrong)?;
    let error = column(3)?.as_string_opt::<i32>().ok_or_else(wrong)?;
    let raw = column(4)?.as_binary_opt::<i32>().ok_or_else(wrong)?;
    dead_letter::to_vec_parts(
        out,
        input,
        (number.value(i), offset.value(i)),
        log_type.value(i),
        error.value(i),
        raw.value(i),
    );
    Ok(())
}

/// The Parquet file of `--output parquet`, written batch by batch.
pub(crate) struct File {
    /// How errors name it.
    name: String,
    writer: ArrowWriter<BufWriter<Box<dyn Write + Send>>>,
}

impl File {
    /// A Parquet file of `log_type`'s rows, written to `out`.
    pub(crate) fn new(
        name: String,
        out: BufWriter<Box<dyn Write + Send>>,
        log_type: &LogType,
    ) -> Result<File, String> {
        let schema = arrow_schema(log_type);
        let no_parquet = |e: parquet::errors::ParquetError| {
            format!(
                "--output parquet: log type `{}` has no Parquet form: {e}",
                log_type.name()
            )
        };
        let props = lognorm::parquet::writer_properties(&schema, false)
            .map_err(no_parquet)?;
        let writer = ArrowWriter::try_new(out, schema, Some(props))
            .map_err(no_parquet)?;
        Ok(File { name, writer })
    }

    /// Appends `batches`.
    pub(crate) fn write(
        &mut self,
        batches: &[RecordBatch],
    ) -> Result<(), String> {
        for b in batches {
            self.writer.write(b).map_err(|e| self.error(&e))?;
        }
        Ok(())
    }

    /// Writes the last row group and the footer.
    pub(crate) fn close(self) -> Result<(), String> {
        let File { name, writer } = self;
        let error = |e: &dyn std::fmt::Display| format!("writing {name}: {e}");
        let mut out = writer.into_inner().map_err(|e| error(&e))?;
        out.flush().map_err(|e| error(&e))
    }

    fn error(&self, e: &parquet::errors::ParquetError) -> String {
        format!("writing {}: {e}", self.name)
    }
}
