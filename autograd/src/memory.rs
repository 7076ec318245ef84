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

/// Frees the memory the engine keeps on the calling thread for reuse: the pool of tensor
/// buffers (up to 1 GiB per thread), the spare gradient table and the matrix product's packing
/// buffers. Returns how many bytes that was.
///
/// A training loop gets its speed from this memory: after warm-up its steps allocate nothing.
/// Call this when a long run is over and the program goes on to other work; the next ops
/// allocate afresh. (Other threads keep theirs: the pool's threads hold only their packing
/// buffers, about a megabyte each.)
pub fn release_pooled_storage() -> usize {
    crate::tensor::storage::release()
        + crate::gradients::release_spare_table()
        + crate::tensor::gemm::release_packed()
}

#[cfg(test)]
mod tests {
    #[test]
    fn releasing_pooled_storage_frees_what_a_step_left_and_the_next_step_still_works() {
        use crate::{Tape, Tensor};
        let step = || {
            let tape = Tape::new();
            let x = tape.var(Tensor::from_vec(
                (0..600).map(f64::from).collect(),
                [20, 30],
            ));
            let w = tape.var(Tensor::from_vec(vec![0.01; 30 * 40], [30, 40]));
            let loss = x.matmul(w).tanh().sum();
            loss.backward()[w].sum()
        };
        let first = step();
        assert!(
            super::release_pooled_storage() > 0,
            "a step left nothing pooled"
        );
        assert_eq!(
            super::release_pooled_storage(),
            0,
            "a second release found more"
        );
        assert_eq!(step(), first);
    }

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
