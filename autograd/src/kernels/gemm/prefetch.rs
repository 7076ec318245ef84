//! Asking for operands' cache lines ahead of the packing or the micro-kernel that reads them.
//!
//! The large operands of a training step come from main memory. Where the hardware's own
//! prefetcher does not see the pattern coming (short runs from many rows), a thread waits for
//! each line in turn; asking for the lines between tiles (a share at a time, or a panel at once)
//! overlaps those waits with the arithmetic of the tiles.

use super::StridedMatrix;
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
        self.advance_with(fetch);
    }

    /// [`advance`](Self::advance), handing one value on each line to `ask`.
    fn advance_with(&mut self, mut ask: impl FnMut(&f64)) {
        for _ in 0..self.share {
            if self.run == self.runs {
                return;
            }
            let run_start = self.start + self.run * self.run_stride;
            ask(&self.data[run_start + self.offset]);
            self.offset += LINE;
            if self.offset >= self.run_len {
                // The run's last value may lie on a line of its own past the last one asked.
                ask(&self.data[run_start + self.run_len - 1]);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The cache lines (addresses ÷ 64) of `values`.
    fn lines_of<'a>(values: impl IntoIterator<Item = &'a f64>) -> BTreeSet<usize> {
        values
            .into_iter()
            .map(|value| value as *const f64 as usize / 64)
            .collect()
    }

    #[test]
    fn the_calls_ask_for_every_line_of_the_runs_and_nothing_outside_them() {
        let data = vec![0.0; 2000];
        // Runs starting at every offset into a line (wherever the vector's lines begin, some
        // run's last value then lies on a line of its own), of lengths that end inside, on and
        // past a line's edge.
        let cases = (0..8).map(|start| (start, 7, 40, 13));
        let cases = cases.chain([(0, 5, 64, 16), (5, 1, 1, 1), (9, 30, 50, 50)]);
        for (start, runs, stride, len) in cases {
            let calls = 6;
            let mut prefetch = Prefetch::runs(&data, start, [runs, stride, len], calls);
            let mut asked = Vec::new();
            for _ in 0..calls {
                prefetch.advance_with(|value| asked.push(value as *const f64 as usize / 64));
            }
            let expected = lines_of((0..runs).flat_map(|run| &data[start + run * stride..][..len]));
            let asked: BTreeSet<usize> = asked.into_iter().collect();
            assert_eq!(
                asked, expected,
                "runs of {len} from {start}, {stride} apart"
            );
        }
    }

    #[test]
    fn a_block_of_either_layout_is_asked_for_whole() {
        let data = vec![0.0; 40 * 70];
        for transposed in [false, true] {
            let stored = StridedMatrix::row_major(&data, [40, 70]);
            let a = if transposed {
                stored.transposed()
            } else {
                stored
            };
            let (first_row, rows, first_step, depth) = (9, 17, 5, 23);
            let mut prefetch = Prefetch::block(&a, first_row, rows, [first_step, depth], 4);
            let mut asked = BTreeSet::new();
            for _ in 0..4 {
                prefetch.advance_with(|value| _ = asked.insert(value as *const f64 as usize / 64));
            }
            let at = |row: usize, step: usize| &a.data[row * a.row_stride + step * a.col_stride];
            let block = (first_row..first_row + rows)
                .flat_map(|row| (first_step..first_step + depth).map(move |step| (row, step)));
            let expected = lines_of(block.map(|(row, step)| at(row, step)));
            assert_eq!(asked, expected, "transposed {transposed}");
        }
    }

    #[test]
    fn nothing_asks_for_nothing() {
        let mut asked = 0;
        Prefetch::nothing().advance_with(|_| asked += 1);
        let data = [0.0; 8];
        Prefetch::runs(&data, 0, [3, 2, 0], 1).advance_with(|_| asked += 1);
        assert_eq!(asked, 0);
    }
}
