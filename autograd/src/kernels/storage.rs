//! Recycled storage for tensor data, so that a training loop stops allocating after warm-up.
//!
//! A step records the same ops on tensors of the same sizes every time; when a tape is cleared,
//! its tensors' buffers come back here and the next step's ops take them again instead of asking
//! the allocator (for the tutorial's small tensors, allocation would otherwise cost as much as
//! the arithmetic). Each thread keeps its own pool, bounded in buffer count and bytes.
//!
//! Buffers are kept in classes by capacity: class `k` holds buffers of at least `2ᵏ` elements,
//! and a request for `len` elements takes from class `⌈log₂ len⌉`, so any buffer it gets is
//! large enough. New buffers are made with a power-of-two capacity, so that they return to the
//! class they serve.

use std::cell::RefCell;
use std::mem::MaybeUninit;

/// Capacity classes: up to 2⁴⁷ elements, beyond any real tensor.
const CLASSES: usize = 48;
/// The most buffers kept per class: enough for every tensor of one size that a long tape and
/// its gradients hold at once (a deep stack of equal layers).
const PER_CLASS: usize = 1024;
/// The most bytes kept per thread (larger leftovers go back to the allocator).
const MAX_POOLED_BYTES: usize = 1 << 30;

struct Pool {
    free: [Vec<Vec<f64>>; CLASSES],
    bytes: usize,
}

thread_local! {
    static POOL: RefCell<Pool> = const {
        RefCell::new(Pool {
            free: [const { Vec::new() }; CLASSES],
            bytes: 0,
        })
    };
}

/// An empty vector with room for at least `len` elements, recycled when one is free.
pub(crate) fn with_capacity(len: usize) -> Vec<f64> {
    if len == 0 {
        return Vec::new();
    }
    let class = len.next_power_of_two().trailing_zeros() as usize;
    let recycled = POOL
        .try_with(|pool| {
            let mut pool = pool.borrow_mut();
            let buffer = pool.free[class].pop()?;
            pool.bytes -= buffer.capacity() * size_of::<f64>();
            Some(buffer)
        })
        .ok()
        .flatten();
    recycled.unwrap_or_else(|| Vec::with_capacity(1 << class))
}

/// `len` zeros in recycled storage.
pub(crate) fn zeroed(len: usize) -> Vec<f64> {
    filled(len, 0.0)
}

/// `len` copies of `value` in recycled storage.
pub(crate) fn filled(len: usize, value: f64) -> Vec<f64> {
    let mut data = with_capacity(len);
    data.resize(len, value);
    data
}

/// A copy of `values` in recycled storage.
pub(crate) fn copied(values: &[f64]) -> Vec<f64> {
    let mut data = with_capacity(values.len());
    data.extend_from_slice(values);
    data
}

/// Takes back a tensor's buffer for reuse, or frees it when the pool is full.
pub(crate) fn recycle(mut buffer: Vec<f64>) {
    let capacity = buffer.capacity();
    if capacity == 0 {
        return;
    }
    buffer.clear();
    let class = capacity.ilog2() as usize;
    let bytes = capacity * size_of::<f64>();
    // On a thread being torn down the pool is gone; the buffer is then simply freed.
    let _ = POOL.try_with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.free[class].len() < PER_CLASS && pool.bytes + bytes <= MAX_POOLED_BYTES {
            pool.bytes += bytes;
            pool.free[class].push(buffer);
        }
    });
}

/// Frees every buffer this thread's pool keeps; returns how many bytes they held.
pub(super) fn release() -> usize {
    POOL.try_with(|pool| {
        let mut pool = pool.borrow_mut();
        let bytes = pool.bytes;
        pool.free.iter_mut().for_each(Vec::clear);
        pool.bytes = 0;
        bytes
    })
    .unwrap_or(0)
}

/// Output cells set to zero, as numbers.
pub(crate) fn zeros_in(cells: &mut [MaybeUninit<f64>]) -> &mut [f64] {
    cells.iter_mut().for_each(|cell| _ = cell.write(0.0));
    // SAFETY: every cell was written just above.
    unsafe { assume_written(cells) }
}

/// Cells of output storage as numbers, once a kernel has written them.
///
/// # Safety
/// Every cell must have been written.
#[inline(always)]
pub(crate) unsafe fn assume_written(cells: &mut [MaybeUninit<f64>]) -> &mut [f64] {
    // SAFETY: `MaybeUninit<f64>` has the layout of `f64`, and the caller guarantees that each
    // cell holds a written value.
    unsafe { &mut *(cells as *mut [MaybeUninit<f64>] as *mut [f64]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recycled_buffer_serves_the_next_request_of_its_class() {
        let buffer = with_capacity(600);
        assert!(buffer.capacity() >= 600);
        let address = buffer.as_ptr();
        recycle(buffer);
        let again = with_capacity(513);
        assert_eq!(again.as_ptr(), address, "the freed buffer was not reused");
        assert!(again.is_empty() && again.capacity() >= 513);
    }

    /// Lengths at and either side of each power of two up to 2¹⁶ (the edges of the capacity
    /// classes), asked for twice (the second time from the pool), get room for every value,
    /// and the pool's constructors fill exactly that length.
    #[test]
    fn every_length_gets_a_buffer_large_enough_fresh_or_recycled() {
        let lengths = (0..=16).flat_map(|k| [(1usize << k) - 1, 1 << k, (1 << k) + 1]);
        for len in lengths {
            for _ in 0..2 {
                let buffer = with_capacity(len);
                assert!(buffer.is_empty() && buffer.capacity() >= len, "{len}");
                recycle(buffer);
            }
            assert_eq!(filled(len, -0.5), vec![-0.5; len]);
            assert_eq!(zeroed(len).len(), len);
            let values: Vec<f64> = (0..len).map(|i| i as f64).collect();
            assert_eq!(copied(&values), values);
        }
        release();
    }

    #[test]
    fn a_buffer_of_any_capacity_serves_only_requests_it_can_hold() {
        recycle(Vec::with_capacity(700)); // class 9: serves up to 512
        let taken = with_capacity(700);
        assert!(taken.capacity() >= 700);
        assert_eq!(filled(3, 2.5), vec![2.5; 3]);
        assert_eq!(copied(&[1.0, 2.0]), vec![1.0, 2.0]);
        assert!(zeroed(0).is_empty());
    }
}
