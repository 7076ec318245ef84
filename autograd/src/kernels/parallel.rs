//! Splitting large kernels across the machine's cores, on rayon's pool of threads.

use super::storage;
use std::mem::MaybeUninit;
use std::ops::Range;

/// Below this many elements of work, starting threads costs more than it saves.
pub(crate) const PARALLEL_THRESHOLD: usize = 1 << 17;

/// Makes the calling thread one of the threads that large kernels are split across. Call it
/// first thing in `main`, from the thread that will run the training loop.
///
/// A kernel started on a thread outside the pool hands all its work to the pool and sleeps
/// until the pool's threads have done it, which costs a wake-up of both on every large kernel
/// (on the benchmarks' 100,000-example workload, about a tenth of the time). Started on a
/// thread of the pool, it does its own share and gives the rest to the others directly.
///
/// It sets up the process-wide pool, so it is for programs (the demo and the benchmarks call
/// it), not for libraries; the calling thread must outlive every kernel. Returns whether the
/// pool was set up: `false` when it was already running (a kernel had started it, or this was
/// called before) or could not be started, and kernels then work as before.
pub fn enlist_this_thread_for_kernels() -> bool {
    rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global()
        .is_ok()
}

/// How many threads large kernels use: those of rayon's pool (one per core by default), which
/// is started once and kept, so that a kernel neither spawns threads nor allocates to use them.
fn threads() -> usize {
    rayon::current_num_threads()
}

/// Runs `work(first_row, rows)` over `output` cut into one contiguous block of whole rows (of
/// `width` elements) per thread, or over all of it on this thread when `cost` (elements of work)
/// is small or there is one core.
pub(crate) fn for_row_blocks<T: Send>(
    output: &mut [T],
    width: usize,
    cost: usize,
    work: impl Fn(usize, &mut [T]) + Sync,
) {
    // The cost decides first: asking rayon for its pool takes longer than a small kernel.
    if cost < PARALLEL_THRESHOLD {
        work(0, output);
        return;
    }
    let rows = output.len().checked_div(width).unwrap_or(0);
    let threads = threads().min(rows.max(1));
    if threads == 1 {
        work(0, output);
        return;
    }
    split_in_parts(
        0..rows,
        (output, width),
        &mut [],
        threads,
        &|range, block, _| work(range.start, block),
    );
}

/// Runs `work(input_block, output_block)` over matching blocks of two slices of one length, one
/// block per thread when the slices are long.
pub(super) fn for_blocks<T: Send>(
    input: &[f64],
    output: &mut [T],
    work: impl Fn(&[f64], &mut [T]) + Sync,
) {
    for_row_blocks(output, 1, input.len(), |first, block| {
        work(&input[first..first + block.len()], block)
    });
}

/// `reduce(rows_block, partial)` for one block of whole rows (of `width`) per thread, each
/// writing its own `width` partial results, then added into `out` (which holds `width` zeros)
/// in block order; all on this thread when `rows` is short.
pub(crate) fn sum_row_blocks(rows: &[f64], out: &mut [f64], reduce: fn(&[f64], &mut [f64])) {
    let width = out.len();
    if width == 0 {
        return; // (no columns to sum; rows of no values cannot be cut into chunks)
    }
    let count = rows.len() / width;
    let parts = sum_parts(rows.len(), width);
    split_in_parts(
        0..count,
        (&mut [0.0; 0], 0),
        out,
        parts,
        &|range: Range<usize>, _, partial| {
            reduce(&rows[range.start * width..range.end * width], partial)
        },
    );
}

/// Runs `work(first_row, block, partial)` over `output` (`sums.len()` values per row, `sums`
/// holding zeros) cut into blocks of whole rows as [`sum_row_blocks`] cuts its rows, each block
/// adding its own rows into `partial`; the partial sums are added into `sums` in the same order.
/// A kernel that writes values and sums them as it goes thus gets sums equal, bit for bit, to
/// `sum_row_blocks` run on what it wrote.
pub(crate) fn for_row_blocks_summing(
    output: &mut [MaybeUninit<f64>],
    sums: &mut [f64],
    work: impl Fn(usize, &mut [MaybeUninit<f64>], &mut [f64]) + Sync,
) {
    let width = sums.len();
    let rows = output.len().checked_div(width).unwrap_or(0);
    let parts = sum_parts(output.len(), width);
    split_in_parts(
        0..rows,
        (output, width),
        sums,
        parts,
        &|range: Range<usize>, block, partial| work(range.start, block, partial),
    );
}

/// How many blocks a sum over `len` values in rows of `width` is cut into.
fn sum_parts(len: usize, width: usize) -> usize {
    if len < PARALLEL_THRESHOLD || width == 0 {
        1
    } else {
        threads()
    }
}

/// The rows `range` (with `output`'s cells for them, `per_row` per row, or none at all) cut into `parts` blocks of about equal size, halving recursively with `rayon::join`:
/// `work(rows, block, partial)` on each, the right half's partial sums (`sums.len()` of them,
/// none for work that sums nothing) added into the left's. Every kernel that splits its work
/// across threads comes here, so that all cut at the same rows.
fn split_in_parts<T: Send>(
    range: Range<usize>,
    (output, per_row): (&mut [T], usize),
    sums: &mut [f64],
    parts: usize,
    work: &(impl Fn(Range<usize>, &mut [T], &mut [f64]) + Sync),
) {
    if parts <= 1 {
        work(range, output, sums);
        return;
    }
    let left_parts = parts / 2;
    let middle = range.start + range.len() * left_parts / parts;
    let (left, right) = output.split_at_mut((middle - range.start) * per_row);
    let mut right_sums = storage::zeroed(sums.len());
    rayon::join(
        || split_in_parts(range.start..middle, (left, per_row), sums, left_parts, work),
        || {
            split_in_parts(
                middle..range.end,
                (right, per_row),
                &mut right_sums,
                parts - left_parts,
                work,
            )
        },
    );
    for (sum, right) in sums.iter_mut().zip(&right_sums) {
        *sum += right;
    }
    storage::recycle(right_sums);
}

/// Runs `work(range)` over `0..count` cut into one contiguous range per thread, or over all of
/// it on this thread when `cost` (elements of work) is small, there is one core, or one item.
pub(crate) fn for_ranges(count: usize, cost: usize, work: impl Fn(Range<usize>) + Sync) {
    let parts = if cost < PARALLEL_THRESHOLD {
        1
    } else {
        threads().min(count)
    };
    if parts <= 1 {
        work(0..count);
        return;
    }
    split_in_parts(
        0..count,
        (&mut [(); 0], 0),
        &mut [],
        parts,
        &|range, _, _| work(range),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference;

    /// Runs `check` on a pool of three threads (so that work is split on any machine) and on
    /// the machine's own.
    fn on_three_threads_and_the_default(check: impl Fn() + Send + Sync) {
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        three.install(&check);
        check();
    }

    /// Row counts that make the work just below, at and above the splitting threshold for rows
    /// of `width`, and a single row.
    fn awkward_rows(width: usize) -> [usize; 5] {
        let at = PARALLEL_THRESHOLD.div_ceil(width);
        [1, 7, at - 1, at, at + 1]
    }

    #[test]
    fn row_blocks_cover_every_row_once_at_its_own_index() {
        on_three_threads_and_the_default(|| {
            for width in [1, 3, 8] {
                for rows in awkward_rows(width) {
                    let mut output = vec![usize::MAX; rows * width];
                    for_row_blocks(&mut output, width, rows * width, |first_row, block| {
                        for (i, cell) in block.iter_mut().enumerate() {
                            assert_eq!(*cell, usize::MAX, "a cell given twice");
                            *cell = first_row * width + i;
                        }
                    });
                    let expected: Vec<usize> = (0..rows * width).collect();
                    assert!(output == expected, "{rows} rows of {width}");
                }
            }
        });
    }

    #[test]
    fn ranges_cover_every_index_once() {
        on_three_threads_and_the_default(|| {
            for count in [0, 1, 2, 3, 7, 100] {
                let seen = std::sync::Mutex::new(vec![0; count]);
                for_ranges(count, PARALLEL_THRESHOLD, |range| {
                    let mut seen = seen.lock().unwrap();
                    range.for_each(|i| seen[i] += 1);
                });
                assert_eq!(seen.into_inner().unwrap(), vec![1; count], "{count} items");
            }
        });
    }

    /// Column sums split across threads equal the reference's on values whose sums are exact
    /// (small integers), whatever the split.
    #[test]
    fn column_sums_in_blocks_match_the_reference() {
        on_three_threads_and_the_default(|| {
            for width in [1, 2, 3, 5, 8] {
                for rows in awkward_rows(width) {
                    let values: Vec<f64> =
                        (0..rows * width).map(|i| (i % 13) as f64 - 6.0).collect();
                    let mut sums = vec![0.0; width];
                    sum_row_blocks(&values, &mut sums, |rows, out| {
                        for (i, value) in rows.iter().enumerate() {
                            out[i % out.len()] += value;
                        }
                    });
                    let expected = reference::column_sums(&values, width);
                    let difference = reference::first_difference(&sums, &expected);
                    assert_eq!(difference, None, "{rows} rows of {width}");
                }
            }
        });
    }

    /// A kernel that sums as it writes gets, bit for bit, the sums that `sum_row_blocks` gives
    /// on what it wrote, on values whose sums do round.
    #[test]
    fn sums_taken_while_writing_equal_the_sums_of_what_was_written() {
        let value = |i: usize| (i as f64 * 0.377).sin() * 1e3;
        fn add_rows(rows: &[f64], out: &mut [f64]) {
            for row in rows.chunks_exact(out.len()) {
                for (sum, value) in out.iter_mut().zip(row) {
                    *sum += value;
                }
            }
        }
        on_three_threads_and_the_default(|| {
            for width in [1, 3, 8] {
                for rows in awkward_rows(width) {
                    let mut cells = vec![MaybeUninit::uninit(); rows * width];
                    let mut sums = vec![0.0; width];
                    for_row_blocks_summing(&mut cells, &mut sums, |first_row, block, partial| {
                        for (i, cell) in block.iter_mut().enumerate() {
                            let written = value(first_row * width + i);
                            cell.write(written);
                            partial[i % width] += written;
                        }
                    });
                    // SAFETY: the blocks tile the cells, and the kernel wrote each of its own.
                    let written = unsafe { storage::assume_written(&mut cells) };
                    let mut expected = vec![0.0; width];
                    sum_row_blocks(written, &mut expected, add_rows);
                    let difference = reference::first_difference(&sums, &expected);
                    assert_eq!(difference, None, "{rows} rows of {width}");
                }
            }
        });
    }
}
