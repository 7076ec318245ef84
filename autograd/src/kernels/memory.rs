//! Keeping freed memory for reuse, so that the large tensors of one step do not fault in anew.

/// Asks the C allocator to keep the memory that large tensors free and hand it out again,
/// instead of returning it to the operating system after every training step.
///
/// A step over 100,000 examples frees and reallocates tensors of tens of megabytes; glibc serves
/// blocks above 32 MiB with fresh `mmap`s, so every step pays a page fault per 4 KiB touched
/// (this halves the speed of such workloads). Called once at start-up, this makes glibc serve
/// large blocks from its heap and never trim it, so a step reuses the previous step's pages. The
/// cost is that the process keeps its peak heap until it exits.
///
/// It changes process-wide allocator settings, so it is for programs (the demo and the benchmarks
/// call it first thing), not for libraries. On targets other than Linux with glibc it does
/// nothing. Returns whether the settings were applied.
pub fn retain_freed_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes allocator parameters; it is safe to call at any time.
        unsafe {
            libc::mallopt(libc::M_MMAP_MAX, 0) == 1
                && libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX) == 1
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// Frees the buffers the kernels keep on the calling thread for reuse: the pool of tensor
/// storage (and of the shells that share it) and the matrix product's packing buffers. Returns how many bytes they held.
pub(crate) fn release_kernel_buffers() -> usize {
    super::storage::release() + super::buffer::release() + super::gemm::release_packed()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_settings_apply_on_glibc_and_large_blocks_still_allocate() {
        let applied = super::retain_freed_memory();
        assert_eq!(applied, cfg!(all(target_os = "linux", target_env = "gnu")));
        // A block above glibc's mmap ceiling now comes from the heap, and is usable.
        let mut block = vec![1.0f64; 8 << 20];
        block[(8 << 20) - 1] = 2.0;
        assert_eq!(block.iter().sum::<f64>(), (8 << 20) as f64 + 1.0);
    }
}
