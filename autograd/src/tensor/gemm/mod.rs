//! Large matrix products: a blocked GEMM around a register-tiled AVX-512 micro-kernel where the
//! CPU has AVX-512, and matrixmultiply's GEMM where it does not.
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
mod avx512;
#[cfg(target_arch = "x86_64")]
mod blocked;
#[cfg(target_arch = "x86_64")]
mod pack;
#[cfg(target_arch = "x86_64")]
mod prefetch;

use super::Activation;
use super::linalg::StridedMatrix;
use super::storage;
use crate::parallel::for_row_blocks;
use std::mem::MaybeUninit;

/// Frees the packing buffers the blocked product keeps on this thread; returns their bytes.
pub(crate) fn release_packed() -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        blocked::release_packed()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        0
    }
}

/// `C ← op(A)·op(B)`, or `C ← C + op(A)·op(B)` with `accumulate`, where `C` is the row-major
/// `[a.rows, b.cols]` output (holding numbers when `accumulate`), then `C ← activation(C)` when
/// given. Every cell is written.
pub(super) fn product(
    a: &StridedMatrix,
    b: &StridedMatrix,
    c: &mut [MaybeUninit<f64>],
    accumulate: bool,
    activation: Option<Activation>,
) {
    let (m, n) = (a.rows, b.cols);
    assert_eq!(
        c.len(),
        m * n,
        "gemm: {} cells for a [{m}, {n}] output",
        c.len()
    );
    #[cfg(target_arch = "x86_64")]
    if avx512::available() {
        blocked::product(a, b, c, accumulate, activation);
        return;
    }
    portable_layer(a, b, c, accumulate, activation);
}

/// [`product`] by matrixmultiply's GEMM, then the activation in a second pass.
fn portable_layer(
    a: &StridedMatrix,
    b: &StridedMatrix,
    c: &mut [MaybeUninit<f64>],
    accumulate: bool,
    activation: Option<Activation>,
) {
    portable(a, b, c, accumulate);
    if let Some(activation) = activation {
        // SAFETY: the GEMM wrote every cell.
        let c = unsafe { storage::assume_written(c) };
        let cost = c.len();
        for_row_blocks(c, b.cols.max(1), cost, |_, rows| {
            activation.apply_in_place(rows)
        });
    }
}

/// [`product`] by matrixmultiply's GEMM, on any CPU.
pub(super) fn portable(
    a: &StridedMatrix,
    b: &StridedMatrix,
    c: &mut [MaybeUninit<f64>],
    accumulate: bool,
) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    assert_eq!(
        c.len(),
        m * n,
        "gemm: output of {} cells for [{m}, {n}]",
        c.len()
    );
    // SAFETY: the pointers cover `m·k`, `k·n` and `m·n` elements of live, non-overlapping
    // buffers, and the strides stay inside them for every index below (m, k, n). With beta 0
    // the GEMM writes C without reading it; with beta 1 the caller vouches that C holds numbers.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            a.data.as_ptr(),
            a.row_stride as isize,
            a.col_stride as isize,
            b.data.as_ptr(),
            b.row_stride as isize,
            b.col_stride as isize,
            if accumulate { 1.0 } else { 0.0 },
            c.as_mut_ptr().cast::<f64>(),
            n as isize,
            1,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{Layout, Tensor};

    /// A `[rows, cols]` matrix of small integers, so that every sum of products is exact in
    /// any order and the kernels can be held to the definition bit for bit.
    fn integers(rows: usize, cols: usize, seed: usize) -> Tensor {
        let values = (0..rows * cols).map(|i| ((i * 7 + seed * 13) % 11) as f64 - 5.0);
        Tensor::from_vec(values.collect(), [rows, cols])
    }

    /// `op(a)·op(b)`, plus `start` when given, by the definition.
    fn naive(a: &StridedMatrix, b: &StridedMatrix, start: Option<&[f64]>) -> Vec<f64> {
        let at =
            |m: &StridedMatrix, i: usize, j: usize| m.data[i * m.row_stride + j * m.col_stride];
        let mut out = start.map_or_else(|| vec![0.0; a.rows * b.cols], <[f64]>::to_vec);
        for i in 0..a.rows {
            for j in 0..b.cols {
                out[i * b.cols + j] += (0..a.cols).map(|p| at(a, i, p) * at(b, p, j)).sum::<f64>();
            }
        }
        out
    }

    /// The values of cells a kernel has written.
    fn numbers(cells: &[MaybeUninit<f64>]) -> Vec<f64> {
        // SAFETY: the tests pass only cells that hold numbers (written, or started with one).
        cells
            .iter()
            .map(|cell| unsafe { cell.assume_init() })
            .collect()
    }

    /// A product kernel: `gemm(a, b, c, accumulate)`.
    type Gemm = fn(&StridedMatrix, &StridedMatrix, &mut [MaybeUninit<f64>], bool);

    /// [`product`] without an activation.
    fn product_alone(a: &StridedMatrix, b: &StridedMatrix, c: &mut [MaybeUninit<f64>], add: bool) {
        product(a, b, c, add, None)
    }

    /// The blocked product without an activation.
    #[cfg(target_arch = "x86_64")]
    fn blocked_product(
        a: &StridedMatrix,
        b: &StridedMatrix,
        c: &mut [MaybeUninit<f64>],
        add: bool,
    ) {
        blocked::product(a, b, c, add, None)
    }

    /// Runs `gemm` on `op_a(a)·op_b(b)`, from zero and on top of a known start, and checks both
    /// against the definition.
    fn check(gemm: Gemm, [m, k, n]: [usize; 3], [layout_a, layout_b]: [Layout; 2]) {
        let stored = |rows, cols, layout| match layout {
            Layout::AsIs => [rows, cols],
            Layout::Transposed => [cols, rows],
        };
        let [a_rows, a_cols] = stored(m, k, layout_a);
        let [b_rows, b_cols] = stored(k, n, layout_b);
        let (a, b) = (integers(a_rows, a_cols, 1), integers(b_rows, b_cols, 2));
        let (a, b) = (
            StridedMatrix::new(&a, layout_a),
            StridedMatrix::new(&b, layout_b),
        );
        let what = format!("[{m}, {k}] · [{k}, {n}] with {layout_a:?} · {layout_b:?}");

        let mut out = vec![MaybeUninit::new(f64::NAN); m * n];
        gemm(&a, &b, &mut out, false);
        let out = numbers(&out);
        assert!(
            out == naive(&a, &b, None),
            "{what}: the product differs from the definition"
        );

        let start: Vec<f64> = (0..m * n).map(|i| (i % 5) as f64).collect();
        let mut out: Vec<_> = start.iter().map(|&value| MaybeUninit::new(value)).collect();
        gemm(&a, &b, &mut out, true);
        let out = numbers(&out);
        let expected = naive(&a, &b, Some(&start));
        assert!(
            out == expected,
            "{what}: the product added to a start differs"
        );
    }

    /// Shapes that reach every path: edges of tiles in both directions, a row-major `A` read in
    /// place (outputs up to 48 columns) and packed, a row-major `B` read in place (outputs up to 512
    /// rows; last panels 8, 16 and 24 wide) and packed, several blocks along the inner
    /// dimension (past 256) and across the output (past 264 columns), one thread and both.
    const SHAPES: [[usize; 3]; 12] = [
        [1, 1, 1],
        [8, 3, 24],
        [13, 5, 10],
        [17, 40, 48],
        [33, 257, 50],
        [64, 300, 7],
        [70, 513, 71],
        [9, 20, 530],
        [130, 260, 270],
        [600, 40, 50],
        [21, 30, 40],
        [300, 70, 56],
    ];
    const LAYOUTS: [[Layout; 2]; 4] = [
        [Layout::AsIs, Layout::AsIs],
        [Layout::AsIs, Layout::Transposed],
        [Layout::Transposed, Layout::AsIs],
        [Layout::Transposed, Layout::Transposed],
    ];

    #[test]
    fn the_product_matches_the_definition_for_every_shape_and_layout() {
        for shape in SHAPES {
            for layouts in LAYOUTS {
                check(product_alone, shape, layouts);
            }
        }
    }

    #[test]
    fn the_portable_product_matches_the_definition() {
        for shape in SHAPES {
            for layouts in LAYOUTS {
                check(portable, shape, layouts);
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_blocked_product_matches_the_definition_where_the_cpu_runs_it() {
        if !avx512::available() {
            eprintln!("skipped: this CPU has no AVX-512F");
            return;
        }
        for shape in SHAPES {
            for layouts in LAYOUTS {
                check(blocked_product, shape, layouts);
            }
        }
    }

    #[test]
    fn an_empty_inner_dimension_gives_zeros_or_leaves_the_start() {
        let mut gemms: Vec<(&str, Gemm)> = vec![("portable", portable)];
        #[cfg(target_arch = "x86_64")]
        if avx512::available() {
            gemms.push(("blocked", blocked_product));
        }
        let (a, b) = (Tensor::zeros([3, 0]), Tensor::zeros([0, 2]));
        let (a, b) = (
            StridedMatrix::new(&a, Layout::AsIs),
            StridedMatrix::new(&b, Layout::AsIs),
        );
        for (name, gemm) in gemms {
            let mut out = vec![MaybeUninit::new(f64::NAN); 6];
            gemm(&a, &b, &mut out, false);
            let out = numbers(&out);
            assert_eq!(out, [0.0; 6], "{name}");
            let mut out = vec![MaybeUninit::new(4.0); 6];
            gemm(&a, &b, &mut out, true);
            let out = numbers(&out);
            assert_eq!(out, [4.0; 6], "{name}");
        }
    }

    /// A layer kernel: `gemm(a, b, c, accumulate, activation)`.
    type Layer =
        fn(&StridedMatrix, &StridedMatrix, &mut [MaybeUninit<f64>], bool, Option<Activation>);

    /// `z` through `activation`'s own op.
    fn activated(z: &Tensor, activation: Activation) -> Tensor {
        match activation {
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => z.sigmoid(),
            Activation::Relu => z.map(|z| if z > 0.0 { z } else { 0.0 }),
            composed => unreachable!("{composed} is never fused"),
        }
    }

    /// Both paths with an activation give their product followed by the activation's own op,
    /// bit for bit: shapes with one and several blocks along the inner dimension and across
    /// the output, an empty inner dimension, tiles split between threads, narrow and wide
    /// outputs, on top of a start (the bias rows) or not.
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
        ];
        let layers: [(&str, Layer); 2] = [("product", product), ("portable", portable_layer)];
        for [m, k, n] in shapes {
            let a = (0..m * k).map(|i| (i as f64 * 0.37).sin() * 0.3).collect();
            let b = (0..k * n).map(|i| (i as f64 * 0.11).cos() * 0.3).collect();
            let (a, b) = (Tensor::from_vec(a, [m, k]), Tensor::from_vec(b, [k, n]));
            let (a, b) = (
                StridedMatrix::new(&a, Layout::AsIs),
                StridedMatrix::new(&b, Layout::AsIs),
            );
            let start: Vec<f64> = (0..m * n).map(|i| (i % 7) as f64 * 0.1 - 0.3).collect();
            for ((name, gemm), accumulate) in layers
                .into_iter()
                .flat_map(|layer| [(layer, false), (layer, true)])
            {
                let run = |activation| {
                    let mut out: Vec<_> = start.iter().map(|&v| MaybeUninit::new(v)).collect();
                    gemm(&a, &b, &mut out, accumulate, activation);
                    Tensor::from_vec(numbers(&out), [m, n])
                };
                let unactivated = run(None);
                for activation in [Activation::Tanh, Activation::Relu, Activation::Sigmoid] {
                    assert_eq!(
                        run(Some(activation)),
                        activated(&unactivated, activation),
                        "{name}: [{m}, {k}] · [{k}, {n}], {activation}, accumulate {accumulate}"
                    );
                }
            }
        }
    }
}
