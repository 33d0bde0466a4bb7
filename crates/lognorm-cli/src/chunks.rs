//! `normalize` on every core: the inputs' records are cut into chunks of
//! whole records, normalized in parallel, and written in input order.
//!
//! One reader (the calling thread) splits the inputs and copies their
//! records into [`Chunk`]s; `--threads` minus one workers each take a
//! chunk, normalize it with a [`Scratch`] of their own into the chunk's
//! rows and dead letters, and when every worker is busy the reader
//! normalizes the chunk itself; one writer puts the chunks back in order
//! and writes them. A fixed pool of chunks goes round (reader → worker → writer →
//! reader), so memory holds a few chunks, not the input, and the buffers
//! are reused.
//!
//! # Row ids
//!
//! Each chunk normalizes with a context of its own whose row ids start at
//! the number of records before the chunk (over all inputs): the ids of
//! a chunk with `n` records lie in `[first, first + n)`, so no two
//! chunks share one, and as the chunks are cut by the reader alone
//! ([`Job::chunk_bytes`], [`Job::chunk_records`]), the ids, like all of the output, are
//! the same whatever the thread count. An input shorter than a chunk
//! gets the ids of one context used for every record.

use std::sync::Mutex;

use crossbeam_channel::{Receiver, Sender, TrySendError, bounded};
use std::collections::BTreeMap;
use std::io::Read;

use lognorm::{
    Classifier, ClassifyError, ClassifyState, Context, Event, Framing,
    LogType, Record, RecordError, RowIdGenerator, Scratch, SplitReader,
    Timestamp,
};

use crate::dead_letter;

/// A chunk is shipped once its records hold this many bytes ...
///
/// Small enough that a chunk, its rows and its dead letters stay in one
/// core's L2 cache from the reader's copy to the writer, and that the
/// last chunks of an input leave no core idle for long; large enough
/// that handing chunks round costs little. On 100 MB of Databricks.Audit
/// with 2 threads (2 cores, 2 MiB of L2 each; median of 30 runs of
/// `crates/lognorm-cli/benches/threads.sh`): 1 MiB chunks ran 1.37x as
/// fast as one thread (with the first hand-over design), 256 KiB 1.77x,
/// 128 KiB 1.80x, 64 KiB less.
pub(crate) const CHUNK_BYTES: usize = 128 << 10;
/// ... or it holds this many records.
pub(crate) const CHUNK_RECORDS: usize = 16 * 1024;

/// The row-id node of every row `normalize` writes (`lognor` in ASCII),
/// as the golden files under `testdata/logs/` expect.
pub(crate) const NODE_ID: [u8; 6] = *b"lognor";

/// The format rows are written in.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Output {
    /// One JSON object a line.
    Json,
    /// A Parquet file: each chunk's rows are encoded into an Arrow
    /// record batch in the workers ([`Worker`]), which the writer
    /// appends.
    #[cfg(feature = "parquet")]
    Parquet,
}

/// Appends `event`'s JSON row to `out` (`--output json`).
fn json_row(event: &Event<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(event.row_bytes());
    out.push(b'\n');
}

/// What every chunk is normalized with.
#[derive(Debug)]
pub(crate) struct Job<'r> {
    /// The log type of every record; with a classifier, its first
    /// candidate (which reads the records that fail before they are
    /// read: all candidates share the limits).
    pub log_type: &'r LogType,
    /// `--log-type A,B,C`: each record gets the candidate that fits it
    /// best. Best fit does not depend on the records before, so each
    /// chunk's own state gives the output of one state.
    pub classifier: Option<Classifier>,
    /// `--log-type` as given: the `log_type` of an unclassified record's
    /// dead letter.
    pub candidates: String,
    /// `--framing`, when given.
    pub framing: Option<Framing>,
    /// The longest record a reader keeps.
    pub max_record_bytes: usize,
    /// The parse time, source id and label; row ids are set per chunk.
    pub ctx: Context,
    pub parse_time: Timestamp,
    pub output: Output,
    /// The name dead letters give each input, by input index.
    pub input_names: Vec<String>,
    /// A chunk is shipped once its records hold this many bytes
    /// ([`CHUNK_BYTES`]) ...
    pub chunk_bytes: usize,
    /// ... or it holds this many records ([`CHUNK_RECORDS`]).
    pub chunk_records: usize,
}

/// What one thread normalizes with, kept from chunk to chunk.
#[derive(Debug)]
pub(crate) struct Worker<'r> {
    scratch: Scratch,
    /// `--output parquet`: the encoder of the thread's batches.
    #[cfg(feature = "parquet")]
    encoder: Option<crate::parquet::Encoder<'r>>,
    #[cfg(not(feature = "parquet"))]
    log_type: std::marker::PhantomData<&'r LogType>,
}

impl<'r> Job<'r> {
    /// A thread's worker state.
    pub(crate) fn worker(&self) -> Worker<'r> {
        // Without the feature, JSON is the only output.
        #[cfg(not(feature = "parquet"))]
        let Output::Json = self.output;
        Worker {
            scratch: Scratch::new(),
            #[cfg(feature = "parquet")]
            encoder: match self.output {
                Output::Json => None,
                Output::Parquet => {
                    Some(crate::parquet::Encoder::new(self.log_type))
                }
            },
            #[cfg(not(feature = "parquet"))]
            log_type: std::marker::PhantomData,
        }
    }

    /// The context of a chunk whose first record has `first` records
    /// before it.
    fn context(&self, first: u64) -> Context {
        let ids =
            RowIdGenerator::new(NODE_ID, self.parse_time).with_counter(first);
        self.ctx.clone().with_row_ids(ids)
    }

    /// Normalizes one record.
    fn normalize<'s>(
        &self,
        record: Record<'_>,
        ctx: &mut Context,
        scratch: &'s mut Scratch,
    ) -> Result<Event<'s>, RecordError> {
        self.log_type.normalize(record, ctx, scratch)
    }

    /// The classifier's per-caller state, for a run of records.
    fn state(&self) -> Option<ClassifyState> {
        self.classifier.as_ref().map(Classifier::state)
    }

    /// Writes `record`'s row or dead letter into `chunk`'s output.
    fn one(
        &self,
        chunk: &mut Normalized,
        input: usize,
        record: Record<'_>,
        ctx: &mut Context,
        worker: &mut Worker<'r>,
        state: &mut Option<ClassifyState>,
    ) {
        chunk.records += 1;
        #[cfg(feature = "parquet")]
        if let Some(encoder) = &mut worker.encoder {
            if !encoder.record(record, input, ctx) {
                chunk.failed += 1;
            }
            return;
        }
        let scratch = &mut worker.scratch;
        if let (Some(c), Some(state)) = (&self.classifier, state) {
            match c.classify(record, ctx, scratch, state) {
                Ok((_, event)) => json_row(&event, &mut chunk.rows),
                Err(e) => self.unclassified(chunk, input, &e),
            }
            return;
        }
        match self.normalize(record, ctx, scratch) {
            Ok(event) => json_row(&event, &mut chunk.rows),
            Err(e) => self.dead(chunk, input, &e),
        }
    }

    fn unclassified(
        &self,
        chunk: &mut Normalized,
        input: usize,
        e: &ClassifyError,
    ) {
        chunk.failed += 1;
        let name = self.input_names.get(input).map_or("-", String::as_str);
        dead_letter::write_unclassified(
            &mut chunk.dead,
            name,
            e,
            &self.candidates,
        );
    }

    /// The framing of an input: `--framing`, or with a classifier, what
    /// its first bytes call for (read from `reader` and put back).
    fn framing(
        &self,
        name: &str,
        reader: Box<dyn Read>,
    ) -> Result<(Option<Framing>, Box<dyn Read>), String> {
        let (Some(c), None) = (&self.classifier, self.framing) else {
            return Ok((self.framing, reader));
        };
        let mut head = Vec::new();
        let mut reader = reader;
        (&mut reader)
            .take(4096)
            .read_to_end(&mut head)
            .map_err(|e| format!("reading {name}: {e}"))?;
        let framing = c.framing(&head);
        Ok((Some(framing), Box::new(std::io::Cursor::new(head).chain(reader))))
    }

    fn dead(&self, chunk: &mut Normalized, input: usize, e: &RecordError) {
        chunk.failed += 1;
        let name = self.input_names.get(input).map_or("-", String::as_str);
        dead_letter::to_vec(&mut chunk.dead, name, e);
    }

    /// Normalizes the records of `chunk` into its output.
    pub(crate) fn run(&self, chunk: &mut Chunk, worker: &mut Worker<'r>) {
        if chunk.items.is_empty() {
            return;
        }
        let mut ctx = self.context(chunk.first);
        let mut state = self.state();
        let mut start = 0;
        for (index, item) in chunk.items.iter().enumerate() {
            match item {
                Item::Record { end, number, offset, input } => {
                    let bytes = chunk.bytes.get(start..*end).unwrap_or(&[]);
                    start = *end;
                    let record = Record::new(bytes, *number, *offset);
                    self.one(
                        &mut chunk.out,
                        *input,
                        record,
                        &mut ctx,
                        worker,
                        &mut state,
                    );
                }
                Item::Failed { input, error } => {
                    chunk.out.records += 1;
                    #[cfg(feature = "parquet")]
                    if let Some(encoder) = &mut worker.encoder {
                        chunk.out.failed += 1;
                        encoder.read_failed(index);
                        continue;
                    }
                    #[cfg(not(feature = "parquet"))]
                    let _ = index;
                    self.dead(&mut chunk.out, *input, error);
                }
            }
        }
        self.finish(chunk, worker);
    }

    /// Ends the normalizing of `chunk`: with `--output parquet`, its
    /// batch and its dead letters.
    fn finish(&self, chunk: &mut Chunk, worker: &mut Worker<'r>) {
        #[cfg(feature = "parquet")]
        if let Some(encoder) = &mut worker.encoder {
            encoder.finish(&mut chunk.out, &chunk.items, &self.input_names);
        }
        #[cfg(not(feature = "parquet"))]
        let _ = (chunk, worker);
    }
}

/// A chunk's output and counts.
#[derive(Debug, Default)]
pub(crate) struct Normalized {
    pub rows: Vec<u8>,
    /// `--output parquet`: the rows' batches.
    #[cfg(feature = "parquet")]
    pub batches: Vec<arrow_array::RecordBatch>,
    pub dead: Vec<u8>,
    pub records: u64,
    pub failed: u64,
    /// Encoding the rows failed (a bug): the writer stops there.
    pub error: Option<String>,
}

/// Whole records of the inputs, then their output.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    /// Its place in the output.
    seq: u64,
    /// The records before it, over all inputs: its row ids' start.
    first: u64,
    /// The records' bytes, one after the other.
    bytes: Vec<u8>,
    items: Vec<Item>,
    pub out: Normalized,
    /// How many input bytes the reader had split at the chunk's end (for
    /// the progress bar).
    pub read_to: u64,
    /// Normalizing it panicked (a bug): the writer stops there.
    panicked: bool,
}

impl Chunk {
    fn clear(&mut self) {
        self.bytes.clear();
        self.items.clear();
        self.out.rows.clear();
        #[cfg(feature = "parquet")]
        self.out.batches.clear();
        self.out.dead.clear();
        self.out.error = None;
        self.out.records = 0;
        self.out.failed = 0;
    }

    fn is_full(&self, job: &Job<'_>) -> bool {
        self.bytes.len() >= job.chunk_bytes
            || self.items.len()
                + usize::try_from(self.out.records).unwrap_or(0)
                >= job.chunk_records
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty() && self.out.records == 0
    }
}

/// A record of a chunk.
#[derive(Debug)]
pub(crate) enum Item {
    /// Its bytes end at `end` in the chunk's bytes and start where the
    /// previous record's end.
    Record { end: usize, number: u64, offset: usize, input: usize },
    /// A record that failed as it was read (longer than
    /// `--max-record-bytes`): its dead letter only.
    Failed { input: usize, error: Box<RecordError> },
}

/// Where the reader sends a full chunk, getting an empty one back.
pub(crate) trait Ship {
    fn ship(&mut self, chunk: Chunk) -> Result<Chunk, String>;
}

/// One opened input: its index (for its name) and its reader.
pub(crate) struct Input {
    pub index: usize,
    pub name: String,
    pub reader: Box<dyn Read>,
    /// Bytes of the inputs before this one (for the progress bar).
    pub before: u64,
}

/// The reader: cuts each input into records and chunks, ships every
/// full chunk (and the last one).
pub(crate) fn read(
    job: &Job<'_>,
    inputs: impl Iterator<Item = Result<Input, String>>,
    ship: &mut dyn Ship,
) -> Result<(), String> {
    let mut chunk = ship.ship(Chunk::default())?;
    let (mut seq, mut records) = (0u64, 0u64);
    // For records that fail as they are read, and csv inputs.
    let mut worker = job.worker();
    let mut start = |chunk: &mut Chunk, records: u64| {
        chunk.seq = seq;
        chunk.first = records;
        seq += 1;
    };
    start(&mut chunk, records);
    for input in inputs {
        let Input { index, name, reader, before } = input?;
        let (framing, mut reader) = job.framing(&name, reader)?;
        if framing.is_none() && job.log_type.splits_whole() {
            // csv: the header row names every row's columns, so the
            // input is split whole, and its records, which refer to the
            // header, are normalized here, in chunks of their own.
            let mut payload = Vec::new();
            reader
                .read_to_end(&mut payload)
                .map_err(|e| format!("reading {name}: {e}"))?;
            if !chunk.is_empty() {
                chunk = ship.ship(chunk)?;
                start(&mut chunk, records);
            }
            let mut ctx = job.context(records);
            let mut state = job.state();
            for record in job.log_type.split(&payload) {
                if chunk.is_full(job) {
                    chunk.read_to = before + offset_u64(record.offset());
                    job.finish(&mut chunk, &mut worker);
                    chunk = ship.ship(chunk)?;
                    start(&mut chunk, records);
                    ctx = job.context(records);
                }
                job.one(
                    &mut chunk.out,
                    index,
                    record,
                    &mut ctx,
                    &mut worker,
                    &mut state,
                );
                records += 1;
            }
            chunk.read_to = before + offset_u64(payload.len());
            if !chunk.is_empty() {
                job.finish(&mut chunk, &mut worker);
                chunk = ship.ship(chunk)?;
                start(&mut chunk, records);
            }
            continue;
        }
        let mut split = match framing {
            Some(f) => SplitReader::new(reader, f)
                .max_record_bytes(job.max_record_bytes),
            None => job.log_type.split_reader(reader),
        };
        while let Some(record) =
            split.next_record().map_err(|e| format!("reading {name}: {e}"))?
        {
            records += 1;
            chunk.read_to = before
                + offset_u64(record.offset())
                + offset_u64(record.full_len());
            let failed = record.is_oversize().then(|| {
                // Fails before it is read, and takes no row id.
                let mut ctx = job.context(0);
                job.normalize(record, &mut ctx, &mut worker.scratch).err()
            });
            match failed.flatten() {
                Some(error) => chunk.items.push(Item::Failed {
                    input: index,
                    error: Box::new(error),
                }),
                None => {
                    chunk.bytes.extend_from_slice(record.bytes());
                    chunk.items.push(Item::Record {
                        end: chunk.bytes.len(),
                        number: record.number(),
                        offset: record.offset(),
                        input: index,
                    });
                }
            }
            if chunk.is_full(job) {
                chunk = ship.ship(chunk)?;
                start(&mut chunk, records);
            }
        }
    }
    if !chunk.is_empty() {
        ship.ship(chunk)?;
    }
    Ok(())
}

fn offset_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Writes a normalized chunk.
pub(crate) trait WriteChunk {
    fn write(&mut self, chunk: &Chunk) -> Result<(), String>;
}

/// One thread: each chunk is normalized and written as soon as it is
/// full.
pub(crate) struct Inline<'a, 'r, W> {
    pub job: &'a Job<'r>,
    pub worker: Worker<'r>,
    pub writer: &'a mut W,
}

impl<W: WriteChunk> Ship for Inline<'_, '_, W> {
    fn ship(&mut self, mut chunk: Chunk) -> Result<Chunk, String> {
        if !chunk.is_empty() {
            self.job.run(&mut chunk, &mut self.worker);
            self.writer.write(&chunk)?;
        }
        chunk.clear();
        Ok(chunk)
    }
}

/// Several threads: chunks go to the workers, or when none has room,
/// the reader normalizes the chunk itself; empty ones come back from the
/// writer.
struct ToWorkers<'j, 'r, 'w, W> {
    job: &'j Job<'r>,
    /// The reader's own worker state, for the chunks it normalizes.
    worker: Worker<'r>,
    work: Option<Sender<Chunk>>,
    ordered: &'j Mutex<Ordered<'w, W>>,
    free: Receiver<Chunk>,
}

impl<W: WriteChunk> Ship for ToWorkers<'_, '_, '_, W> {
    fn ship(&mut self, chunk: Chunk) -> Result<Chunk, String> {
        // The first call is for an empty chunk to fill: none is sent.
        if !chunk.is_empty() {
            let Some(work) = &self.work else {
                return Err(STOPPED.to_owned());
            };
            match work.try_send(chunk) {
                Ok(()) => {}
                // The workers are busy: rather than wait, the reader
                // normalizes this chunk (still in its cache) itself. With
                // `--threads N` there are N - 1 workers, so N threads
                // normalize and none waits on another while there is
                // input (a reader and N workers on N cores spent 10% more
                // CPU, on hand-overs and chunks read on one core and
                // normalized on another).
                Err(TrySendError::Full(mut chunk)) => {
                    chunk.panicked =
                        run_caught(self.job, &mut chunk, &mut self.worker);
                    if !deliver(self.ordered, chunk) {
                        return Err(STOPPED.to_owned());
                    }
                }
                Err(TrySendError::Disconnected(_)) => {
                    return Err(STOPPED.to_owned());
                }
            }
        }
        self.free.recv().map_err(|_| STOPPED.to_owned())
    }
}

/// Normalizes `chunk`; whether that panicked. A panic (a bug: the
/// library does not panic) must stop the command, not leave the writer
/// waiting for this chunk forever.
fn run_caught<'r>(
    job: &Job<'r>,
    chunk: &mut Chunk,
    worker: &mut Worker<'r>,
) -> bool {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        job.run(chunk, worker);
    }))
    .is_err()
}

/// The reader's error when the writer stopped first (its own error is
/// the one reported).
const STOPPED: &str = "the writer stopped";

/// Normalizes `inputs` on `threads` threads (at least 2: the reader and
/// `threads - 1` workers) and writes the chunks in input order with
/// `writer`.
pub(crate) fn parallel<W: WriteChunk + Send>(
    job: &Job<'_>,
    threads: usize,
    inputs: impl Iterator<Item = Result<Input, String>>,
    writer: &mut W,
) -> Result<(), String> {
    // Chunks in flight: one being filled, one in each worker, some
    // waiting to be written.
    let pool = 2 * threads + 2;
    let (free_tx, free_rx) = bounded::<Chunk>(pool);
    for _ in 0..pool {
        free_tx.send(Chunk::default()).map_err(|_| STOPPED.to_owned())?;
    }
    let workers = threads.saturating_sub(1).max(1);
    let (work_tx, work_rx) = bounded::<Chunk>(workers);
    let ordered = Mutex::new(Ordered {
        waiting: BTreeMap::new(),
        next: 0,
        writer,
        free: Some(free_tx),
        result: Ok(()),
    });
    let read = std::thread::scope(|s| {
        for _ in 0..workers {
            let (work_rx, ordered) = (&work_rx, &ordered);
            s.spawn(move || {
                let mut worker = job.worker();
                while let Ok(mut chunk) = work_rx.recv() {
                    chunk.panicked = run_caught(job, &mut chunk, &mut worker);
                    if !deliver(ordered, chunk) {
                        return;
                    }
                }
            });
        }
        let mut ship = ToWorkers {
            job,
            worker: job.worker(),
            work: Some(work_tx),
            ordered: &ordered,
            free: free_rx,
        };
        let read = read(job, inputs, &mut ship);
        // No more chunks: the workers finish theirs and stop.
        ship.work = None;
        read
    });
    let written = match ordered.into_inner() {
        Ok(o) => o.result,
        Err(_) => {
            Err("writing the rows panicked (a bug in lognorm)".to_owned())
        }
    };
    written.and(read)
}

/// The chunks normalized and not yet written, and the writer: whoever
/// delivers the next chunk in input order writes it and the ones after
/// it that are waiting (no writer thread to wake for every chunk).
struct Ordered<'w, W> {
    waiting: BTreeMap<u64, Chunk>,
    /// The sequence number of the next chunk to write.
    next: u64,
    writer: &'w mut W,
    /// Written chunks go back to the reader; dropped when writing
    /// failed, which stops the reader.
    free: Option<Sender<Chunk>>,
    /// The first error; later chunks are dropped.
    result: Result<(), String>,
}

impl<W: WriteChunk> Ordered<'_, W> {
    fn deliver(&mut self, chunk: Chunk) {
        if self.result.is_err() {
            return;
        }
        self.waiting.insert(chunk.seq, chunk);
        while let Some(mut chunk) = self.waiting.remove(&self.next) {
            if chunk.panicked {
                return self.fail(format!(
                    "normalizing the records from record {} on panicked \
                     (a bug in lognorm)",
                    chunk.first + 1
                ));
            }
            if let Err(e) = self.writer.write(&chunk) {
                return self.fail(e);
            }
            self.next += 1;
            chunk.clear();
            // Never blocks: the channel holds the whole pool. The reader
            // may be done: the chunk is not needed then.
            if let Some(free) = &self.free {
                let _ = free.send(chunk);
            }
        }
    }

    fn fail(&mut self, e: String) {
        self.result = Err(e);
        self.free = None;
        self.waiting.clear();
    }
}

/// Hands a normalized chunk to the writing; false once writing stopped.
fn deliver<W: WriteChunk>(
    ordered: &Mutex<Ordered<'_, W>>,
    chunk: Chunk,
) -> bool {
    match ordered.lock() {
        Ok(mut o) => {
            o.deliver(chunk);
            o.result.is_ok()
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lognorm::Registry;

    /// Collects what a writer is given.
    #[derive(Default)]
    struct Collect {
        rows: Vec<u8>,
        dead: Vec<u8>,
        chunks: usize,
    }

    impl WriteChunk for Collect {
        fn write(&mut self, chunk: &Chunk) -> Result<(), String> {
            self.rows.extend_from_slice(&chunk.out.rows);
            self.dead.extend_from_slice(&chunk.out.dead);
            self.chunks += 1;
            Ok(())
        }
    }

    /// Three inputs of good and failing Wiz.Audit records.
    fn inputs() -> Vec<Vec<u8>> {
        (0..3)
            .map(|input| {
                let mut text = String::new();
                for i in 0..200 {
                    if i % 7 == 3 {
                        text += &format!("{{\"id\":\"bad{input}-{i}\"}}\n");
                    } else {
                        text += &format!(
                            "{{\"id\":\"{input}-{i}\",\"action\":\"a\",\
                             \"status\":\"s\",\
                             \"timestamp\":\"2024-01-01T00:00:00Z\"}}\n"
                        );
                    }
                }
                text.into_bytes()
            })
            .collect()
    }

    /// Wiz.Audit in chunks of 900 bytes or `chunk_records` records.
    fn job(registry: &Registry, chunk_records: usize) -> Job<'_> {
        let parse_time: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        Job {
            log_type: registry.log_type("Wiz.Audit").unwrap(),
            classifier: None,
            candidates: "Wiz.Audit".to_owned(),
            framing: None,
            max_record_bytes: 1 << 20,
            ctx: Context::new(parse_time, NODE_ID),
            parse_time,
            output: Output::Json,
            input_names: vec!["a".into(), "b".into(), "c".into()],
            chunk_bytes: 900,
            chunk_records,
        }
    }

    fn opened() -> impl Iterator<Item = Result<Input, String>> {
        inputs().into_iter().enumerate().map(|(index, bytes)| {
            Ok(Input {
                index,
                name: format!("input {index}"),
                reader: Box::new(std::io::Cursor::new(bytes)),
                before: 0,
            })
        })
    }

    fn run(
        registry: &Registry,
        threads: usize,
        chunk_records: usize,
    ) -> Collect {
        let job = job(registry, chunk_records);
        let opened = opened();
        let mut out = Collect::default();
        if threads > 1 {
            parallel(&job, threads, opened, &mut out).unwrap();
        } else {
            let mut inline =
                Inline { job: &job, worker: job.worker(), writer: &mut out };
            read(&job, opened, &mut inline).unwrap();
        }
        out
    }

    /// The rows of one context normalizing every record in order, with
    /// their row ids cut out.
    fn plain_rows(registry: &Registry) -> (Vec<String>, usize) {
        let log_type = registry.log_type("Wiz.Audit").unwrap();
        let parse_time: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let mut ctx = Context::new(parse_time, NODE_ID);
        let mut scratch = Scratch::new();
        let (mut rows, mut dead) = (Vec::new(), 0);
        for input in inputs() {
            for record in log_type.split(&input) {
                match log_type.normalize(record, &mut ctx, &mut scratch) {
                    Ok(event) => {
                        rows.push(event.row().replace(event.row_id(), "*"));
                    }
                    Err(_) => dead += 1,
                }
            }
        }
        (rows, dead)
    }

    fn without_ids(rows: &[u8]) -> (Vec<String>, usize) {
        let text = std::str::from_utf8(rows).unwrap();
        let mut ids = std::collections::HashSet::new();
        let rows = text
            .lines()
            .map(|l| {
                let id = l.split("\"p_row_id\":\"").nth(1).unwrap();
                let id = &id[..id.find('"').unwrap()];
                ids.insert(id.to_owned());
                l.replace(id, "*")
            })
            .collect();
        (rows, ids.len())
    }

    /// Many small chunks (900 bytes or a few records), a pool that runs
    /// dry, 1 to 4 threads: the same bytes every time, rows and dead
    /// letters in input order, every row id distinct.
    #[test]
    fn any_thread_count_writes_the_bytes_of_one_thread() {
        let registry = Registry::builtin();
        let (plain, plain_dead) = plain_rows(&registry);
        for chunk_records in [1, 3, 1000] {
            let one = run(&registry, 1, chunk_records);
            assert!(one.chunks > 10, "{chunk_records}: {}", one.chunks);
            let (rows, distinct) = without_ids(&one.rows);
            assert_eq!(rows, plain, "{chunk_records}");
            assert_eq!(distinct, plain.len(), "{chunk_records}");
            assert_eq!(
                one.dead.split(|&b| b == b'\n').count() - 1,
                plain_dead
            );
            // Dead letters name their input, in order.
            let dead = String::from_utf8(one.dead.clone()).unwrap();
            let inputs: Vec<&str> = dead.lines().map(|l| &l[10..11]).collect();
            assert!(inputs.is_sorted(), "{inputs:?}");
            for threads in 2..=4 {
                let many = run(&registry, threads, chunk_records);
                assert_eq!(many.rows, one.rows, "{threads} {chunk_records}");
                assert_eq!(many.dead, one.dead, "{threads} {chunk_records}");
                assert_eq!(many.chunks, one.chunks);
            }
        }
    }

    /// A writer that fails on its third chunk.
    #[derive(Default)]
    struct FailThird {
        written: usize,
    }

    impl WriteChunk for FailThird {
        fn write(&mut self, _: &Chunk) -> Result<(), String> {
            self.written += 1;
            match self.written {
                3 => Err("disk full".to_owned()),
                _ => Ok(()),
            }
        }
    }

    /// When writing fails, the reader and the workers stop (no hang), the
    /// writing error is the one reported and nothing more is written.
    #[test]
    fn a_failed_write_stops_every_thread() {
        let registry = Registry::builtin();
        for threads in 2..=4 {
            let mut out = FailThird::default();
            let result =
                parallel(&job(&registry, 3), threads, opened(), &mut out);
            assert_eq!(result, Err("disk full".to_owned()), "{threads}");
            assert_eq!(out.written, 3, "{threads}");
        }
    }
}
