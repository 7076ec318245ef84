//! Process-wide runtime settings: the kernels' thread pool and the storage pool. None changes a
//! result; each changes only speed or memory use. A program calls them once, first thing in
//! `main` (see the README's section on speed).

pub use crate::kernels::{enlist_this_thread_for_kernels, retain_freed_memory};

/// Frees the memory the engine keeps on the calling thread for reuse: the pool of tensor
/// buffers (up to 1 GiB per thread), the spare gradient table and the matrix product's packing
/// buffers. Returns how many bytes that was.
///
/// A training loop gets its speed from this memory: after warm-up its steps allocate nothing.
/// Call this when a long run is over and the program goes on to other work; the next ops
/// allocate afresh. (Other threads keep theirs: the pool's threads hold only their packing
/// buffers, at most 2.5 MiB each.)
pub fn release_pooled_storage() -> usize {
    crate::kernels::release_kernel_buffers() + crate::gradients::release_spare_table()
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
}
