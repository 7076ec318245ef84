//! Process-wide runtime settings: the kernels' thread pool and the storage pool. None changes a
//! result; each changes only speed or memory use. A program calls them once, first thing in
//! `main` (see the README's section on speed).

pub use crate::memory::{release_pooled_storage, retain_freed_memory};
pub use crate::parallel::enlist_this_thread_for_kernels;
