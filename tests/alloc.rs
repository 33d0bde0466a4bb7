//! Steady-state normalizing allocates nothing: after warm-up with the
//! same scratch, each record of every shipped JSON type costs zero heap
//! allocations. A counting global allocator (per thread, so parallel
//! tests do not disturb it) checks it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use lognorm::{Registry, Scratch};

use crate::util::{context, testdata};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(
        &self,
        ptr: *mut u8,
        layout: Layout,
        new: usize,
    ) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn steady_state_normalizing_does_not_allocate() {
    // The counter sees this thread's allocations.
    let before = allocations();
    let probe: Vec<u8> = Vec::with_capacity(8);
    assert_eq!(allocations() - before, 1);
    drop(probe);

    let registry = Registry::builtin();
    let mut checked = 0;
    for name in ["Databricks.Audit", "OpenAI.Audit", "Wiz.Audit", "Wiz.Issues"]
    {
        let log_type = registry.log_type(name).unwrap();
        let payload = std::fs::read(
            testdata().join("logs").join(name).join("corpus.jsonl"),
        )
        .unwrap();
        let mut ctx = context();
        let mut scratch = Scratch::new();
        // Warm-up: buffers grow to the largest record.
        for _ in 0..2 {
            for record in log_type.split(&payload) {
                let _ = log_type
                    .normalize(record, &mut ctx, &mut scratch)
                    .map(|e| e.row().len());
            }
        }
        for record in log_type.split(&payload) {
            let before = allocations();
            let ok =
                log_type.normalize(record, &mut ctx, &mut scratch).is_ok();
            let after = allocations();
            if ok {
                assert_eq!(
                    after - before,
                    0,
                    "{name} record {} allocated",
                    record.number()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 150, "checked {checked} events");
}
