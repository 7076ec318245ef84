//! The fast kernels: everything that is about speed and not about differentiation, behind one
//! boundary. The rest of the crate (tensors, ops, tapes) calls only the items of the modules
//! below that are visible to the crate (`pub(crate)`, listed here); everything else in them is
//! private to this module.
//!
//! # What is in here, and what the crate may call
//! - [`gemm`]: large matrix products, `C (+)= op(A)·op(B)` with an optional activation applied
//!   to the finished cells: a blocked product around an AVX-512 micro-kernel where the CPU has
//!   it, a packed product around an AVX2 micro-kernel where it has AVX2 and FMA but not AVX-512,
//!   matrixmultiply's GEMM elsewhere. Operands are [`gemm::StridedMatrix`] views (a transpose
//!   costs nothing) and the output a [`gemm::Output`], fresh cells or numbers to add to. The crate
//!   calls [`gemm::product`].
//! - [`small_product`]: products of small matrices (attention's per-head products), each output
//!   row summed in registers ([`small_product::product`]).
//! - [`fastmath`]: `exp`, `ln`, `tanh` and the logistic sigmoid, vectorised over slices into
//!   fresh storage ([`fastmath::mapped`]) and in place ([`fastmath::tanh_in_place`],
//!   [`fastmath::sigmoid_in_place`]), within a few ulp of the C library's.
//! - [`parallel`]: splitting a kernel's rows ([`parallel::for_row_blocks`], with column sums
//!   [`parallel::sum_row_blocks`] and [`parallel::for_row_blocks_summing`]) or ranges
//!   ([`parallel::for_ranges`]) across rayon's threads, always at the same rows for a given
//!   size, so that sums come out the same on every run.
//! - [`buffer`]: [`buffer::Buffer`], a tensor's values shared between the tensors that hold the
//!   same values (reshapes, clones, gradients passed on unchanged) and copied on the first write
//!   while shared.
//! - [`storage`]: the per-thread pool of tensor buffers that makes a training step allocate
//!   nothing after warm-up ([`storage::with_capacity`], [`storage::recycle`] and the
//!   constructors beside them), and [`storage::assume_written`] for cells a kernel has filled.
//! - [`lanes`]: dispatching row kernels on narrow rows (1 to 4 values) to copies unrolled for
//!   that width (`by_lane_width!`, [`lanes::lane_width`]).
//! - `memory`: the allocator settings and buffer release behind [`crate::runtime`]
//!   ([`retain_freed_memory`], [`release_kernel_buffers`], [`enlist_this_thread_for_kernels`]).
//! - `reference` (tests only): a naive version of each fast path, plain loops on one thread,
//!   that the tests here hold the fast paths against on awkward sizes (1, odd, at and either
//!   side of each block and lane width, both layouts) and special values. Where the algorithm
//!   must give the same bits (the products on exactly summable values, the vectorised loops
//!   against their scalar function, the threaded splits) the tests compare bits, any NaN
//!   matching any NaN; the approximations of `fastmath` are held within stated ulp of the C
//!   library.
//!
//! # Unsafe code
//! Most of the crate's unsafe code lives here: raw-pointer reads in the micro-kernel,
//! uninitialised output cells, target-feature calls. No function leaves a precondition to its
//! caller silently: each either checks it (the matrix views check their buffers, a
//! [`gemm::Output::AddTo`] carries numbers by type, each micro-kernel asks for a proof that
//! the CPU runs it, a vectorised map takes only kernels known to write every cell) or is an
//! `unsafe fn` with a `# Safety` section.

pub(crate) mod buffer;
pub(crate) mod fastmath;
pub(crate) mod gemm;
pub(crate) mod lanes;
mod memory;
pub(crate) mod parallel;
#[cfg(test)]
pub(crate) mod reference;
pub(crate) mod small_product;
pub(crate) mod storage;

pub(crate) use memory::release_kernel_buffers;
pub use memory::retain_freed_memory;
pub use parallel::enlist_this_thread_for_kernels;
