//! Large matrix products: a blocked GEMM around a register-tiled AVX-512 micro-kernel where the
//! CPU has AVX-512; where it has AVX2 and FMA instead, the AVX2 product (`avx2_product.rs`) around a
//! `6 × 8` AVX2 micro-kernel (the classic loops, each thread on its own block of the output);
//! and matrixmultiply's GEMM on other CPUs. The two engine GEMMs keep their packing buffers on
//! each thread, so that a training step allocates nothing for its products after the first.
//!
//! What follows describes the blocked (AVX-512) product.
//!
//! The blocked product follows the usual scheme of packed blocks. The output is cut into tiles
//! of `MR × NR` (8 × 24) cells, and each thread takes a share of them (once per product, or per
//! block of `NC` columns on wider outputs). For each block of up to `KC` steps of the inner
//! dimension, a thread packs the panels of `B` its tiles need and the rows of `A` a block of
//! eight panels at a time, so that the micro-kernel reads both operands contiguously and from
//! cache; the micro-kernel then keeps a whole tile's sums in registers while it streams through
//! the two panels. Blocks after the first along the inner dimension add to the output.
//!
//! Where a packed copy would not pay for itself, an operand is read in place: a row-major `B`
//! when the output has at most 512 rows (a weight gradient `Xᵀ·G`, where each value of `B`
//! serves few tiles), and a row-major `A` when the output is at most two panels (48 columns)
//! wide (a transposed `A` is packed even then: read in place it would take 64 bytes from each of
//! thousands of rows, where a packed block of panels reads runs of 512).
//!
//! The operands of a training step's weight gradients come from main memory in patterns the
//! hardware's prefetcher follows poorly (short runs from thousands of rows): between tiles, a
//! thread asks for the next block of a transposed `A` a few cache lines at a time, and for the
//! next panel of a `B` read in place all at once, so that they arrive while the current tiles
//! are multiplied.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx2_product;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(target_arch = "x86_64")]
mod blocked;
#[cfg(target_arch = "x86_64")]
mod pack;
#[cfg(target_arch = "x86_64")]
mod prefetch;

use super::parallel::{for_ranges, for_row_blocks};
use super::storage;
use std::mem::MaybeUninit;
use std::ops::Range;

/// An operation on finished output cells, applied in place: a dense layer's activation, run on
/// each part of the output while it is still in cache.
pub(crate) type InPlace = fn(&mut [f64]);

/// A matrix read through row and column strides from a row-major buffer, so that a transpose
/// costs nothing. Its fields are private to the GEMM and set only by the constructors below,
/// which check that every element lies inside the buffer: the kernels read it by raw pointer.
#[derive(Clone, Copy)]
pub(crate) struct StridedMatrix<'a> {
    data: &'a [f64],
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

impl<'a> StridedMatrix<'a> {
    /// The `[rows, cols]` matrix stored row by row in `data`.
    ///
    /// # Panics
    /// If `data` does not hold exactly `rows·cols` values.
    #[track_caller]
    pub(crate) fn row_major(data: &'a [f64], [rows, cols]: [usize; 2]) -> StridedMatrix<'a> {
        assert_eq!(
            data.len(),
            rows * cols,
            "gemm: {} values cannot be a [{rows}, {cols}] matrix",
            data.len()
        );
        StridedMatrix {
            data,
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose, read from the same values.
    pub(crate) fn transposed(self) -> StridedMatrix<'a> {
        StridedMatrix {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }

    /// The row-major buffer the matrix is read from (its values as stored, whatever the strides).
    pub(crate) fn stored(&self) -> &'a [f64] {
        self.data
    }

    /// Rows, as read.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Columns, as read.
    pub(crate) fn cols(&self) -> usize {
        self.cols
    }

    /// The value at row `row` and column `col`, as read.
    ///
    /// # Panics
    /// If the place lies outside the buffer (it cannot, for `row < rows` and `col < cols`).
    #[inline]
    pub(crate) fn get(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.row_stride + col * self.col_stride]
    }
}

/// Where a product goes: the `[m, n]` row-major output, overwritten, or added to. The variant
/// carries what the product may read, so that no cell it adds to can be uninitialised.
pub(crate) enum Output<'c> {
    /// Cells to overwrite; what they hold (if anything) is never read.
    Fresh(&'c mut [MaybeUninit<f64>]),
    /// Numbers the product is added to (a bias on every row, or an earlier block's sums).
    AddTo(&'c mut [f64]),
}

impl<'c> Output<'c> {
    /// The cells, and whether the product adds to them.
    fn into_cells(self) -> (&'c mut [MaybeUninit<f64>], bool) {
        match self {
            Output::Fresh(cells) => (cells, false),
            Output::AddTo(values) => {
                let len = values.len();
                // SAFETY: `MaybeUninit<f64>` has the layout of `f64`. The cells hold numbers
                // on entry, and the kernels below only ever write numbers into them, so they
                // still hold numbers when the borrow of `values` ends.
                let cells =
                    unsafe { std::slice::from_raw_parts_mut(values.as_mut_ptr().cast(), len) };
                (cells, true)
            }
        }
    }

    fn len(&self) -> usize {
        match self {
            Output::Fresh(cells) => cells.len(),
            Output::AddTo(values) => values.len(),
        }
    }
}

/// The cells of `C` one tile writes: `rows` rows of `cols` values (at most a micro-kernel's
/// tile), the first at `cells` and each `row_stride` after the last; with `accumulate` the
/// product is added to what they hold instead of replacing it.
#[cfg(target_arch = "x86_64")]
struct Tile {
    cells: *mut f64,
    row_stride: usize,
    rows: usize,
    cols: usize,
    accumulate: bool,
}

#[cfg(target_arch = "x86_64")]
thread_local! {
    /// Each thread's packed panels of `A` and `B`, kept between products (by whichever of the
    /// engine's GEMMs this CPU runs), so that a product allocates nothing once they have grown.
    static PACKED: std::cell::RefCell<Packed> = const {
        std::cell::RefCell::new(Packed { a: Vec::new(), b: Vec::new() })
    };
}

/// Buffers for packed panels.
#[cfg(target_arch = "x86_64")]
struct Packed {
    a: Vec<f64>,
    b: Vec<f64>,
}

/// Frees the packing buffers the engine's GEMMs keep on this thread; returns how many bytes they
/// held.
pub(super) fn release_packed() -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        PACKED
            .try_with(|packed| {
                let mut packed = packed.borrow_mut();
                let bytes = (packed.a.capacity() + packed.b.capacity()) * size_of::<f64>();
                *packed = Packed {
                    a: Vec::new(),
                    b: Vec::new(),
                };
                bytes
            })
            .unwrap_or(0)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        0
    }
}

/// `C ← op(A)·op(B)` into [`Output::Fresh`] cells, or `C ← C + op(A)·op(B)` onto
/// [`Output::AddTo`] numbers, where `C` is the row-major `[a.rows, b.cols]` output; then
/// `C ← activation(C)` when given. Every cell is written.
///
/// # Panics
/// If the inner dimensions differ or the output does not hold `a.rows·b.cols` cells.
#[track_caller]
pub(crate) fn product(
    a: &StridedMatrix,
    b: &StridedMatrix,
    c: Output,
    activation: Option<InPlace>,
) {
    check_dimensions(a, b, &c);
    #[cfg(target_arch = "x86_64")]
    if let Some(cpu) = avx512::Avx512::detect() {
        blocked::product(cpu, a, b, c, activation);
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if let Some(cpu) = avx2::Avx2::detect() {
        avx2_product::product(cpu, a, b, c, activation);
        return;
    }
    portable_layer(a, b, c, activation);
}

/// Panics unless `a·b` is defined and `c` holds its cells.
#[track_caller]
fn check_dimensions(a: &StridedMatrix, b: &StridedMatrix, c: &Output) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    assert_eq!(
        k, b.rows,
        "gemm: [{m}, {k}] · [{}, {n}]: inner dimensions differ",
        b.rows
    );
    assert_eq!(
        c.len(),
        m * n,
        "gemm: {} cells for a [{m}, {n}] output",
        c.len()
    );
}

/// Finishes a product of the engine's GEMMs that has nothing to multiply, and says whether it
/// did: an empty output, or an empty inner dimension, whose cells become zeros (or keep the
/// numbers they are added to) before the activation.
#[cfg(target_arch = "x86_64")]
fn nothing_to_multiply(
    c: &mut [MaybeUninit<f64>],
    accumulate: bool,
    [m, k, n]: [usize; 3],
    activation: Option<InPlace>,
) -> bool {
    if m > 0 && n > 0 && k > 0 {
        return false;
    }
    if k == 0 && !accumulate {
        c.iter_mut().for_each(|cell| _ = cell.write(0.0));
    }
    if let Some(activation) = activation {
        // SAFETY: every cell holds a number: the caller's (an `Output::AddTo`), or the zero
        // just written (an empty output has no cells).
        activation(unsafe { storage::assume_written(c) });
    }
    true
}

/// [`product`] by matrixmultiply's GEMM, then the activation in a second pass.
fn portable_layer(a: &StridedMatrix, b: &StridedMatrix, c: Output, activation: Option<InPlace>) {
    let c = portable(a, b, c);
    if let Some(activation) = activation {
        let cost = c.len();
        for_row_blocks(c, b.cols.max(1), cost, |_, rows| activation(rows));
    }
}

/// [`product`] by matrixmultiply's GEMM, on any CPU; returns the output's cells, all written.
///
/// Large products are cut into blocks, one per thread of the kernels' pool, each a
/// single-threaded GEMM (matrixmultiply's own threads are not used: a second pool beside
/// rayon's would have the two take turns on the same cores). Each block packs its own share of
/// the operand that is cut and all of the other, so the larger operand is the one cut: `A` by
/// blocks of output rows, or `B` (a weight gradient's `G` of thousands of rows) by blocks of
/// output columns. Each cell's sum runs over the inner dimension in the same order whatever the
/// cut, so the result does not depend on the number of threads.
#[track_caller]
fn portable<'c>(a: &StridedMatrix, b: &StridedMatrix, c: Output<'c>) -> &'c mut [f64] {
    check_dimensions(a, b, &c);
    let (m, k, n) = (a.rows, a.cols, b.cols);
    let (c, accumulate) = c.into_cells();
    if m > 0 && n > 0 {
        let output = SharedOutput(c.as_mut_ptr().cast::<f64>());
        let block = |rows: Range<usize>, cols: Range<usize>| {
            // SAFETY: the constructors of `StridedMatrix` keep every `(i, p)` with `i < m`,
            // `p < k` (and every `(p, j)`, `j < n`) inside its buffer, and the block's rows and
            // columns lie inside `0..m` and `0..n`, so its rows of `a`, columns of `b` and
            // cells of the `m·n` output (checked above) are inside their buffers. The buffers
            // are live; each thread writes only its own block's cells, which neither operand
            // overlaps (the output is borrowed mutably). With beta 0 the GEMM writes C without
            // reading it; with beta 1 (an `Output::AddTo`) every cell holds a number.
            unsafe {
                matrixmultiply::dgemm(
                    rows.len(),
                    k,
                    cols.len(),
                    1.0,
                    a.data.as_ptr().add(rows.start * a.row_stride),
                    a.row_stride as isize,
                    a.col_stride as isize,
                    b.data.as_ptr().add(cols.start * b.col_stride),
                    b.row_stride as isize,
                    b.col_stride as isize,
                    if accumulate { 1.0 } else { 0.0 },
                    output.cell(rows.start * n + cols.start),
                    n as isize,
                    1,
                );
            }
        };
        // Cut the larger operand: A (`m·k` values) when `m ≥ n`, else B (`k·n`).
        if m >= n {
            for_ranges(m, m * k * n, |rows| block(rows, 0..n));
        } else {
            for_ranges(n, m * k * n, |cols| block(0..m, cols));
        }
    }
    // SAFETY: the GEMM wrote every one of the `m·n` cells (or, with `k = 0`, zeroed them or
    // kept the numbers they held).
    unsafe { storage::assume_written(c) }
}

/// The output's cells, shared by the threads that each write their own block (or tiles) of
/// them: the portable, blocked and AVX2 products'.
#[derive(Clone, Copy)]
struct SharedOutput(*mut f64);
// SAFETY: the threads write disjoint blocks, and the product waits for all of them.
unsafe impl Sync for SharedOutput {}
// SAFETY: as for `Sync`: the pointer is only a place to write each thread's own block.
unsafe impl Send for SharedOutput {}

impl SharedOutput {
    /// The cell `offset` places from the first (a method, so that closures capture the whole
    /// `SharedOutput` and not its bare pointer).
    ///
    /// # Safety
    /// The cell must lie inside the output.
    unsafe fn cell(self, offset: usize) -> *mut f64 {
        // SAFETY: the caller's promise.
        unsafe { self.0.add(offset) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference;

    /// A matrix of small integers (with `specials` mixed in at some places), so that every sum
    /// of products is exact in any order and the kernels can be held to the definition bit
    /// for bit.
    fn integers(len: usize, seed: usize, specials: &[f64]) -> Vec<f64> {
        (0..len)
            .map(|i| match specials {
                [] => ((i * 7 + seed * 13) % 11) as f64 - 5.0,
                _ if (i * 5 + seed).is_multiple_of(17) => specials[(i / 17) % specials.len()],
                _ => ((i * 7 + seed * 13) % 11) as f64 - 5.0,
            })
            .collect()
    }

    /// `[rows, cols]` as read from `data`, stored as such or transposed.
    fn matrix(data: &[f64], [rows, cols]: [usize; 2], transposed: bool) -> StridedMatrix<'_> {
        if transposed {
            StridedMatrix::row_major(data, [cols, rows]).transposed()
        } else {
            StridedMatrix::row_major(data, [rows, cols])
        }
    }

    /// The values of cells a kernel has written.
    fn numbers(cells: Vec<MaybeUninit<f64>>) -> Vec<f64> {
        // SAFETY: the tests pass only cells that a kernel has written.
        cells
            .into_iter()
            .map(|cell| unsafe { cell.assume_init() })
            .collect()
    }

    /// A product kernel.
    type Gemm = fn(&StridedMatrix, &StridedMatrix, Output);

    /// [`product`] without an activation.
    fn product_alone(a: &StridedMatrix, b: &StridedMatrix, c: Output) {
        product(a, b, c, None)
    }

    /// [`portable`], its result dropped.
    fn portable_alone(a: &StridedMatrix, b: &StridedMatrix, c: Output) {
        portable(a, b, c);
    }

    /// The blocked product without an activation, where the CPU runs it.
    #[cfg(target_arch = "x86_64")]
    fn blocked_alone(a: &StridedMatrix, b: &StridedMatrix, c: Output) {
        let cpu = avx512::Avx512::detect().expect("only listed on an AVX-512 CPU");
        blocked::product(cpu, a, b, c, None)
    }

    /// The packed product without an activation, where the CPU runs it.
    #[cfg(target_arch = "x86_64")]
    fn packed_alone(a: &StridedMatrix, b: &StridedMatrix, c: Output) {
        let cpu = avx2::Avx2::detect().expect("only listed on an AVX2 CPU");
        avx2_product::product(cpu, a, b, c, None)
    }

    /// Every product kernel this CPU runs, by name.
    fn gemms() -> Vec<(&'static str, Gemm)> {
        let mut gemms: Vec<(&str, Gemm)> =
            vec![("product", product_alone), ("portable", portable_alone)];
        #[cfg(target_arch = "x86_64")]
        if avx512::Avx512::detect().is_some() {
            gemms.push(("blocked", blocked_alone));
        } else {
            eprintln!("this CPU has no AVX-512F: the blocked product is not tested");
        }
        #[cfg(target_arch = "x86_64")]
        if avx2::Avx2::detect().is_some() {
            gemms.push(("packed", packed_alone));
        } else {
            eprintln!("this CPU has no AVX2 and FMA: the packed product is not tested");
        }
        gemms
    }

    /// Runs `gemm` on `op_a(a)·op_b(b)` (integers, with `specials` mixed in), into fresh cells
    /// and onto a start, and checks both against the reference bit for bit.
    fn check(
        (name, gemm): (&str, Gemm),
        [m, k, n]: [usize; 3],
        [a_transposed, b_transposed]: [bool; 2],
        specials: &[f64],
    ) {
        let (a, b) = (integers(m * k, 1, specials), integers(k * n, 2, specials));
        let (a, b) = (
            matrix(&a, [m, k], a_transposed),
            matrix(&b, [k, n], b_transposed),
        );
        let what = format!(
            "{name}: [{m}, {k}] · [{k}, {n}], transposed {a_transposed}, {b_transposed}, specials {specials:?}"
        );

        let mut out = vec![MaybeUninit::new(f64::NAN); m * n];
        gemm(&a, &b, Output::Fresh(&mut out));
        let difference =
            reference::first_difference(&numbers(out), &reference::product(&a, &b, None));
        assert_eq!(difference, None, "{what}: (cell, got, expected)");

        let mut out = integers(m * n, 3, specials);
        let expected = reference::product(&a, &b, Some(&out));
        gemm(&a, &b, Output::AddTo(&mut out));
        let difference = reference::first_difference(&out, &expected);
        assert_eq!(
            difference, None,
            "{what}, added to a start: (cell, got, expected)"
        );
    }

    /// Shapes at the edges of the blocked product's paths, each side just below, at and just
    /// above: tiles (`MR` = 8 rows, `NR` = 24 columns, vectors of 8), an `A` read in place
    /// (outputs up to 48 columns), blocks of packed `A` (64 rows), a `B` read in place (outputs
    /// up to 512 rows), blocks along the inner dimension (`KC` = 256) and across the output
    /// (`NC` = 264 columns); and single rows, columns and steps. Then the packed product's
    /// edges: tiles (6 × 8, vectors of 4), blocks of packed `A` (72 rows), blocks of packed `B`
    /// (1024 columns, on one thread: the cost stays below the threshold for threads), and
    /// outputs cut between threads by panels of rows and of columns.
    const SHAPES: [[usize; 3]; 36] = [
        [1, 1, 1],
        [1, 5, 1],
        [1, 1, 30],
        [30, 1, 1],
        [7, 3, 23],
        [8, 3, 24],
        [9, 3, 25],
        [13, 5, 10],
        [17, 40, 47],
        [17, 40, 48],
        [17, 40, 49],
        [63, 20, 30],
        [64, 20, 31],
        [65, 21, 17],
        [33, 255, 50],
        [33, 256, 50],
        [33, 257, 50],
        [64, 300, 7],
        [70, 513, 71],
        [9, 20, 263],
        [9, 20, 264],
        [9, 20, 265],
        [511, 30, 40],
        [512, 30, 40],
        [513, 30, 41],
        [130, 260, 270],
        [5, 3, 7],
        [6, 3, 8],
        [7, 3, 9],
        [71, 20, 30],
        [72, 20, 30],
        [73, 20, 31],
        [3, 5, 1023],
        [3, 5, 1025],
        [301, 9, 70],
        [40, 11, 333],
    ];
    const LAYOUTS: [[bool; 2]; 4] = [[false, false], [false, true], [true, false], [true, true]];

    #[test]
    fn every_product_kernel_matches_the_reference_on_awkward_shapes_and_layouts() {
        for gemm in gemms() {
            for shape in SHAPES {
                for layouts in LAYOUTS {
                    check(gemm, shape, layouts, &[]);
                }
            }
        }
    }

    /// ±0, NaN and ±∞ among the operands and in the start: a NaN spreads to its row or column,
    /// `∞·0` and `∞ − ∞` give NaN, and products of zeros keep the sign the reference gives.
    #[test]
    fn every_product_kernel_matches_the_reference_on_special_values() {
        let specials = [0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        for gemm in gemms() {
            for shape in [
                [1, 1, 1],
                [9, 3, 25],
                [17, 40, 49],
                [33, 257, 50],
                [65, 21, 17],
            ] {
                for layouts in LAYOUTS {
                    for special in [&specials[..2], &specials[2..3], &specials[3..], &specials] {
                        check(gemm, shape, layouts, special);
                    }
                }
            }
        }
    }

    #[test]
    fn an_empty_inner_dimension_gives_zeros_or_leaves_the_start() {
        let (a, b) = (
            StridedMatrix::row_major(&[], [3, 0]),
            StridedMatrix::row_major(&[], [0, 2]),
        );
        for (name, gemm) in gemms() {
            let mut out = vec![MaybeUninit::new(f64::NAN); 6];
            gemm(&a, &b, Output::Fresh(&mut out));
            assert_eq!(numbers(out), [0.0; 6], "{name}");
            let mut out = vec![4.0; 6];
            gemm(&a, &b, Output::AddTo(&mut out));
            assert_eq!(out, [4.0; 6], "{name}");
        }
    }

    #[test]
    #[should_panic(expected = "inner dimensions differ")]
    fn operands_whose_inner_dimensions_differ_are_refused() {
        let (a, b) = ([1.0; 6], [1.0; 6]);
        let mut out = vec![MaybeUninit::uninit(); 4];
        let (a, b) = (
            StridedMatrix::row_major(&a, [2, 3]),
            StridedMatrix::row_major(&b, [2, 3])
                .transposed()
                .transposed(),
        );
        product(&a, &b, Output::Fresh(&mut out), None);
    }

    #[test]
    #[should_panic(expected = "cannot be a [2, 3] matrix")]
    fn a_matrix_larger_than_its_buffer_is_refused() {
        StridedMatrix::row_major(&[1.0; 5], [2, 3]);
    }

    /// A layer kernel: the product, then the activation.
    type Layer = fn(&StridedMatrix, &StridedMatrix, Output, Option<InPlace>);

    /// The activations a layer fuses, as in-place functions.
    fn activations() -> [(&'static str, InPlace); 3] {
        use crate::kernels::fastmath;
        [
            ("tanh", fastmath::tanh_in_place),
            ("sigmoid", fastmath::sigmoid_in_place),
            ("relu", |values| {
                values
                    .iter_mut()
                    .for_each(|z| *z = if *z > 0.0 { *z } else { 0.0 })
            }),
        ]
    }

    /// Every path with an activation gives its product followed by the activation on the whole
    /// output, bit for bit (the fused paths apply it a part at a time, on several threads):
    /// shapes with one and several blocks along the inner dimension and across the output (and
    /// several blocks of rows after several blocks of steps), an empty inner dimension, tiles
    /// split between threads, narrow and wide outputs, every layout of the operands, on top of
    /// a start (the bias rows) or not.
    #[test]
    fn an_activated_product_equals_the_product_then_the_activation() {
        // Three threads as well as the machine's own, so that tiles split mid-row on any
        // machine; [40, 300, 300] has two blocks of columns.
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        three.install(activated_products_match);
        activated_products_match();
    }

    fn activated_products_match() {
        let shapes = [
            [8, 3, 24],
            [13, 5, 10],
            [33, 257, 50],
            [70, 513, 71],
            [600, 40, 50],
            [40, 300, 300],
            [9, 0, 30],
            [200, 300, 40],
        ];
        let mut layers: Vec<(&str, Layer)> =
            vec![("product", product), ("portable", portable_layer)];
        #[cfg(target_arch = "x86_64")]
        if avx2::Avx2::detect().is_some() {
            layers.push(("packed", |a, b, c, activation| {
                let cpu = avx2::Avx2::detect().expect("only listed on an AVX2 CPU");
                avx2_product::product(cpu, a, b, c, activation)
            }));
        }
        for ([m, k, n], [a_transposed, b_transposed]) in shapes
            .into_iter()
            .flat_map(|shape| LAYOUTS.map(|layouts| (shape, layouts)))
        {
            let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin() * 0.3).collect();
            let b: Vec<f64> = (0..k * n).map(|i| (i as f64 * 0.11).cos() * 0.3).collect();
            let (a, b) = (
                matrix(&a, [m, k], a_transposed),
                matrix(&b, [k, n], b_transposed),
            );
            let start: Vec<f64> = (0..m * n).map(|i| (i % 7) as f64 * 0.1 - 0.3).collect();
            for ((name, gemm), accumulate) in layers
                .iter()
                .copied()
                .flat_map(|layer| [(layer, false), (layer, true)])
            {
                let run = |activation| {
                    if accumulate {
                        let mut out = start.clone();
                        gemm(&a, &b, Output::AddTo(&mut out), activation);
                        out
                    } else {
                        let mut out = vec![MaybeUninit::uninit(); m * n];
                        gemm(&a, &b, Output::Fresh(&mut out), activation);
                        numbers(out)
                    }
                };
                let unactivated = run(None);
                for (activation, in_place) in activations() {
                    let mut expected = unactivated.clone();
                    in_place(&mut expected);
                    assert_eq!(
                        reference::first_difference(&run(Some(in_place)), &expected),
                        None,
                        "{name}: [{m}, {k}] · [{k}, {n}], transposed {a_transposed}, {b_transposed}, {activation}, accumulate {accumulate}"
                    );
                }
            }
        }
    }
}
