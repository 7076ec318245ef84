//! Asking for operands' cache lines ahead of the packing or the micro-kernel that reads them.
//!
//! The large operands of a training step come from main memory. Where the hardware's own
//! prefetcher does not see the pattern coming (short runs from many rows), a thread waits for
//! each line in turn; asking for the lines a few at a time between tiles overlaps those waits
//! with the arithmetic of the tiles.

use super::super::linalg::StridedMatrix;
use std::arch::x86_64::{_MM_HINT_T1, _mm_prefetch};

/// Values of `f64` per 64-byte cache line.
const LINE: usize = 8;

/// The cache lines of `runs` runs of `run_len` contiguous values, `run_stride` apart, from
/// `data[start]`, asked for in equal shares over a number of calls to [`advance`](Self::advance).
pub(super) struct Prefetch<'a> {
    data: &'a [f64],
    start: usize,
    runs: usize,
    run_stride: usize,
    run_len: usize,
    /// Lines asked for per call.
    share: usize,
    /// The next line to ask for: run number, and offset into the run.
    run: usize,
    offset: usize,
}

impl<'a> Prefetch<'a> {
    /// No lines.
    pub(super) fn nothing() -> Self {
        Prefetch::runs(&[], 0, [0, 0, 0], 1)
    }

    /// The runs described, spread over `calls` calls.
    pub(super) fn runs(
        data: &'a [f64],
        start: usize,
        [runs, run_stride, run_len]: [usize; 3],
        calls: usize,
    ) -> Self {
        let runs = if run_len == 0 { 0 } else { runs };
        // A run's partial lines at either end count as whole.
        let lines = runs * (run_len.div_ceil(LINE) + 1);
        Prefetch {
            data,
            start,
            runs,
            run_stride,
            run_len,
            share: lines.div_ceil(calls.max(1)),
            run: 0,
            offset: 0,
        }
    }

    /// The block of `a` at rows `first_row..first_row + rows` and steps
    /// `first_step..first_step + depth`, spread over `calls` calls; no lines when neither
    /// stride is 1 (a layout the engine does not hand the product).
    pub(super) fn block(
        a: &'a StridedMatrix,
        first_row: usize,
        rows: usize,
        [first_step, depth]: [usize; 2],
        calls: usize,
    ) -> Self {
        let start = first_row * a.row_stride + first_step * a.col_stride;
        let shape = if a.col_stride == 1 {
            [rows, a.row_stride, depth]
        } else if a.row_stride == 1 {
            [depth, a.col_stride, rows]
        } else {
            [0, 0, 0]
        };
        Prefetch::runs(a.data, start, shape, calls)
    }

    /// Asks for the next share of lines (fewer once all are asked for).
    pub(super) fn advance(&mut self) {
        for _ in 0..self.share {
            if self.run == self.runs {
                return;
            }
            let run_start = self.start + self.run * self.run_stride;
            fetch(&self.data[run_start + self.offset]);
            self.offset += LINE;
            if self.offset >= self.run_len {
                // The run's last value may lie on a line of its own past the last one asked.
                fetch(&self.data[run_start + self.run_len - 1]);
                self.run += 1;
                self.offset = 0;
            }
        }
    }
}

/// A hint to bring the line holding `value` into the core's second-level cache.
fn fetch(value: &f64) {
    // SAFETY: SSE, which the instruction needs, is part of every x86-64 CPU; a prefetch only
    // hints, and the address is that of a live value.
    unsafe { _mm_prefetch::<_MM_HINT_T1>((value as *const f64).cast::<i8>()) };
}
