//! Per-thread buffers reused across records.

use simd_json::{Buffers, Tape};

use crate::indicators::Collector;
use crate::input::text::TextCaptures;
use crate::walk::Frame;

/// Buffers one thread reuses for every record it normalizes.
///
/// Everything that changes per record lives here; everything derived
/// from a schema lives in the shared, immutable
/// [`Registry`](crate::Registry). Keep one `Scratch` per thread and pass
/// it to every [`LogType::normalize`](crate::LogType::normalize) call:
/// after the first few records it stops growing, and normalizing
/// allocates nothing (see `tests/alloc.rs`).
///
/// ```
/// let mut scratch = lognorm::Scratch::new();
/// # let _ = &mut scratch;
/// ```
pub struct Scratch {
    /// The record, copied and padded for simd-json (which unescapes
    /// strings in place).
    pub(crate) input: Vec<u8>,
    pub(crate) buffers: Buffers,
    /// The depth limit `buffers` was made with.
    pub(crate) buffers_depth: usize,
    /// The tape, kept empty between records so its allocation is reused.
    pub(crate) tape: Tape<'static>,
    /// The walk's value slots (see `Walker::slots`), all zero between
    /// records.
    pub(crate) slots: Vec<usize>,
    /// Key-order hints, beside the slots: for each declared object, cell
    /// `slot_base + k` holds the field whose key followed field `k`'s (at
    /// `slot_base + n`: came first, or followed an undeclared key) the
    /// last time an object of that plan was read (see
    /// `KeyIndex::get_hinted`). Only ever a hint, so a scratch shared by
    /// several log types stays correct.
    pub(crate) hints: Vec<u32>,
    pub(crate) stack: Vec<Frame>,
    /// Tape node -> byte offset of number literals (see `input::json::Literals`).
    pub(crate) literals: Vec<u32>,
    pub(crate) out: Vec<u8>,
    pub(crate) indicators: Collector,
    pub(crate) text: TextCaptures,
    /// The date of the last timestamp written (see `DayCache`).
    pub(crate) day: crate::time::DayCache,
    /// Transformed and discovered fields (SPEC §10).
    pub(crate) derived: crate::walk::derive::Derived,
}

impl Scratch {
    /// Empty buffers; they grow to fit the records they see.
    pub fn new() -> Scratch {
        Scratch {
            input: Vec::new(),
            buffers: Buffers::new(0),
            buffers_depth: simd_json::DEFAULT_MAX_DEPTH,
            tape: Tape(Vec::new()),
            slots: Vec::new(),
            hints: Vec::new(),
            stack: Vec::new(),
            literals: Vec::new(),
            out: Vec::new(),
            indicators: Collector::new(),
            text: TextCaptures::default(),
            day: crate::time::DayCache::new(),
            derived: crate::walk::derive::Derived::default(),
        }
    }

    /// Makes the buffers ready for a record of a schema with `slots`
    /// slots, under `limits`.
    pub(crate) fn prepare(
        &mut self,
        slots: usize,
        limits: &crate::limits::Limits,
    ) {
        if self.slots.len() < slots {
            self.slots.resize(slots, 0);
            self.hints.resize(slots, u32::MAX);
        }
        if self.buffers_depth != limits.depth() {
            self.buffers =
                Buffers::with_max_depth(self.input.capacity(), limits.depth());
            self.buffers_depth = limits.depth();
        }
        self.indicators.clear();
        self.derived.clear();
        self.indicators.set_max_values(limits.indicator_values());
    }
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch::new()
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scratch")
            .field("input_capacity", &self.input.capacity())
            .field("out_capacity", &self.out.capacity())
            .field("tape_capacity", &self.tape.0.capacity())
            .finish_non_exhaustive()
    }
}
