//! Splitting large kernels across the machine's cores with scoped threads.

use std::sync::OnceLock;

/// Below this many elements of work, starting threads costs more than it saves.
pub(crate) const PARALLEL_THRESHOLD: usize = 1 << 17;

/// How many threads large kernels use: the available parallelism, at most 8.
pub(crate) fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |count| count.get())
            .min(8)
    })
}

/// Runs `work(first_row, rows)` over `output` cut into one contiguous block of whole rows (of
/// `width` elements) per thread, or over all of it on this thread when `cost` (elements of work)
/// is small or there is one core.
pub(crate) fn for_row_blocks(
    output: &mut [f64],
    width: usize,
    cost: usize,
    work: impl Fn(usize, &mut [f64]) + Sync,
) {
    let rows = output.len().checked_div(width).unwrap_or(0);
    let threads = threads().min(rows.max(1));
    if cost < PARALLEL_THRESHOLD || threads == 1 {
        work(0, output);
        return;
    }
    let rows_per_block = rows.div_ceil(threads);
    std::thread::scope(|scope| {
        for (block, chunk) in output.chunks_mut(rows_per_block * width).enumerate() {
            let work = &work;
            scope.spawn(move || work(block * rows_per_block, chunk));
        }
    });
}

/// Runs `work(input_block, output_block)` over matching blocks of two slices of one length, one
/// block per thread when the slices are long.
pub(crate) fn for_blocks<T: Send>(
    input: &[f64],
    output: &mut [T],
    work: impl Fn(&[f64], &mut [T]) + Sync,
) {
    let threads = threads();
    if input.len() < PARALLEL_THRESHOLD || threads == 1 {
        work(input, output);
        return;
    }
    let block = input.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for (input, output) in input.chunks(block).zip(output.chunks_mut(block)) {
            let work = &work;
            scope.spawn(move || work(input, output));
        }
    });
}
