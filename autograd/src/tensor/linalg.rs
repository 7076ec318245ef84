//! Matrix products and transposition of rank-2 tensors.

use super::{Activation, Tensor};
use crate::kernels::gemm::{self, StridedMatrix};
use crate::kernels::lanes::{RUNTIME_WIDTH, by_lane_width};
use crate::kernels::parallel::for_row_blocks;
use crate::kernels::storage::{self, assume_written};
use std::mem::MaybeUninit;

/// Below this many multiply-adds a plain triple loop beats the packing cost of a blocked GEMM.
pub(super) const SMALL_PRODUCT: usize = 16 * 1024;
/// Products with an output this narrow, or an inner dimension this short, reuse too little of
/// each operand for a blocked GEMM to pay off (the tutorial's two classes, its two features).
const NARROW: usize = 4;
const SHORT_INNER: usize = 8;

/// Whether the plain loops beat the blocked GEMM for a product of these dimensions: for small
/// products, and for those too narrow or too short to reuse what the GEMM packs.
fn uses_plain_loops(layout_a: Layout, [m, k, n]: [usize; 3]) -> bool {
    let narrow = n <= NARROW || (layout_a == Layout::Transposed && m <= NARROW);
    m * k * n <= SMALL_PRODUCT || narrow || (layout_a == Layout::AsIs && k <= SHORT_INNER)
}

/// Whether a bias of dimensions `bias` is a row of `n` values (`[n]` or `[1, n]`), which
/// broadcasts over the rows of an `[m, n]` output.
pub(crate) fn is_bias_row(bias: &[usize], n: usize) -> bool {
    match bias {
        [len] | [1, len] => *len == n,
        _ => false,
    }
}

/// What a layer adds to its product: a bias row on every row, then an activation.
#[derive(Clone, Copy)]
pub(super) struct Epilogue<'a> {
    bias: Option<&'a [f64]>,
    activation: Option<Activation>,
}

impl Epilogue<'_> {
    /// A plain product.
    pub(super) const NONE: Epilogue<'static> = Epilogue {
        bias: None,
        activation: None,
    };

    fn is_none(&self) -> bool {
        self.bias.is_none() && self.activation.is_none()
    }
}

/// Rows of plain-loop output finished (written, then activated) at a time: about this many
/// values, so that a block is still in cache when its activation is applied.
const ACTIVATION_CHUNK: usize = 4096;

/// Runs `rows(first_row, cells)` over `block` (whole rows of `n` values, the first being row
/// `first_row` of the output) a chunk of rows at a time, applying `activation` to each chunk
/// once `rows` has written it.
///
/// # Safety
/// With an activation, `rows` must write every cell it is given (the activation then reads
/// them as numbers).
unsafe fn activated_in_chunks(
    block: &mut [MaybeUninit<f64>],
    n: usize,
    first_row: usize,
    activation: Option<Activation>,
    rows: impl Fn(usize, &mut [MaybeUninit<f64>]),
) {
    let Some(activation) = activation else {
        rows(first_row, block);
        return;
    };
    let chunk_rows = (ACTIVATION_CHUNK / n.max(1)).max(1);
    for (index, chunk) in block.chunks_mut(chunk_rows * n).enumerate() {
        rows(first_row + index * chunk_rows, chunk);
        // SAFETY: `rows` wrote every cell of the chunk (the caller's promise).
        activation.apply_in_place(unsafe { assume_written(chunk) });
    }
}

/// How a rank-2 operand is read by [`Tensor::matmul_with`]: as stored, or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The matrix as stored.
    AsIs,
    /// The transpose of the stored matrix, read through swapped strides (no copy).
    Transposed,
}

impl Tensor {
    /// The matrix product of two rank-2 tensors: `[m, k] · [k, n] → [m, n]`.
    ///
    /// # Panics
    /// If either operand is not rank 2 or the inner dimensions differ.
    #[track_caller]
    pub fn matmul(&self, other: &Tensor) -> Tensor {
        self.matmul_with(Layout::AsIs, other, Layout::AsIs)
    }

    /// `op(self) · op(other)` where each `op` reads its matrix as stored or transposed, without
    /// copying: `a.matmul_with(AsIs, b, Transposed)` is `a · bᵀ`.
    ///
    /// # Panics
    /// If either operand is not rank 2 or the inner dimensions differ.
    #[track_caller]
    pub fn matmul_with(&self, layout_a: Layout, other: &Tensor, layout_b: Layout) -> Tensor {
        self.product(layout_a, other, layout_b, Epilogue::NONE, "matmul")
    }

    /// The affine map of a dense layer, `self · weights + bias` with the bias row added to every
    /// row: `[m, k] · [k, n] + [n] → [m, n]` (the bias may also be shaped `[1, n]`).
    ///
    /// One pass over the output instead of two: small products add the bias to each row as it
    /// is finished (so the rounding is exactly that of the product followed by the sum); the
    /// blocked GEMM starts from the bias rows instead of zeros.
    ///
    /// # Panics
    /// If `self` or `weights` is not rank 2, the inner dimensions differ, or `bias` is not a
    /// row of `n` values.
    #[track_caller]
    pub fn affine(&self, weights: &Tensor, bias: &Tensor) -> Tensor {
        self.layer(weights, bias, None, "affine")
    }

    /// A dense layer, `activation(self · weights + bias)`: [`affine`](Tensor::affine) with the
    /// activation applied to each block of rows as soon as it is written, while it is still in
    /// cache (by the plain loops, and by the engine's GEMMs where the CPU has AVX-512 or AVX2; the
    /// fallback GEMM applies it in a second pass). The same numbers as the affine map followed
    /// by [`tanh`](Tensor::tanh), [`sigmoid`](Tensor::sigmoid) or `max(z, 0)`. Other activations
    /// are applied after the product, as [`Activation::evaluate`] computes them.
    ///
    /// # Panics
    /// As [`affine`](Tensor::affine).
    #[track_caller]
    pub fn dense(&self, weights: &Tensor, bias: &Tensor, activation: Activation) -> Tensor {
        if !activation.is_fused() {
            return activation.evaluate(&self.affine(weights, bias));
        }
        self.layer(weights, bias, Some(activation), "dense")
    }

    /// [`affine`](Tensor::affine), then `activation` when given, for the op named `op`.
    #[track_caller]
    fn layer(
        &self,
        weights: &Tensor,
        bias: &Tensor,
        activation: Option<Activation>,
        op: &str,
    ) -> Tensor {
        let n = weights.dims().get(1).copied().unwrap_or(0);
        assert!(
            is_bias_row(bias.dims(), n) && weights.rank() == 2,
            "{op}: {} · {} + {}: the bias must be a row of {n} values, [{n}] or [1, {n}]",
            self.shape,
            weights.shape,
            bias.shape
        );
        let epilogue = Epilogue {
            bias: Some(bias.data()),
            activation,
        };
        self.product(Layout::AsIs, weights, Layout::AsIs, epilogue, op)
    }

    /// `op(self) · op(other)`, finished by `epilogue` (only with `layout_a` as stored, a
    /// layer's case).
    #[track_caller]
    fn product(
        &self,
        layout_a: Layout,
        other: &Tensor,
        layout_b: Layout,
        epilogue: Epilogue,
        op: &str,
    ) -> Tensor {
        assert!(
            self.rank() == 2 && other.rank() == 2,
            "{op}: {} · {}: both operands must be rank 2",
            self.shape,
            other.shape
        );
        let a = strided(self.data(), [self.dims()[0], self.dims()[1]], layout_a);
        let b = strided(other.data(), [other.dims()[0], other.dims()[1]], layout_b);
        assert_eq!(
            a.cols(),
            b.rows(),
            "{op}: {} · {}: inner dimensions {} and {} differ",
            self.shape,
            other.shape,
            a.cols(),
            b.rows()
        );
        assert!(
            epilogue.is_none() || layout_a == Layout::AsIs,
            "{op}: a bias or activation needs the input as stored"
        );
        let (m, n) = (a.rows(), b.cols());
        // Every path writes each output element, so the storage starts uninitialised (on a
        // large layer, zeroing it first would be one more pass over memory).
        let mut out = storage::with_capacity(m * n);
        let cells = &mut out.spare_capacity_mut()[..m * n];
        product_into(&a, layout_a, &b, layout_b, epilogue, cells, op);
        // SAFETY: `product_into` wrote all `m·n` elements.
        unsafe { out.set_len(m * n) };
        Tensor::from_vec(out, [m, n])
    }

    /// The transpose of a rank-2 tensor (a rank-0 or rank-1 tensor is returned unchanged, as numpy does).
    ///
    /// # Panics
    /// If the rank is above 2.
    #[track_caller]
    pub fn transpose(&self) -> Tensor {
        match self.rank() {
            0 | 1 => self.clone(),
            2 => transposed(&self.data, [self.dims()[0], self.dims()[1]]),
            _ => panic!(
                "transpose: shape {} has rank {}; only ranks 0 to 2 transpose",
                self.shape,
                self.rank()
            ),
        }
    }
}

/// `cells ← op(a)·op(b)`, finished by `epilogue` (only with `a` as stored), every cell written:
/// by plain loops or the GEMM, as [`uses_plain_loops`] decides. `a` and `b` are the operands as
/// read (`layout_a` and `layout_b` say whether that is their stored transpose), with matching
/// inner dimensions; `cells` holds the `[a.rows, b.cols]` output.
pub(super) fn product_into(
    a: &StridedMatrix,
    layout_a: Layout,
    b: &StridedMatrix,
    layout_b: Layout,
    epilogue: Epilogue,
    cells: &mut [MaybeUninit<f64>],
    op: &str,
) {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    if uses_plain_loops(layout_a, [m, k, n]) {
        plain_product(
            a.stored(),
            layout_a,
            b.stored(),
            layout_b,
            epilogue,
            cells,
            [m, k, n],
        );
        return;
    }
    // The GEMM adds the product to the bias rows, or writes it without reading the
    // uninitialised cells. (The rows are written on the threads the GEMM uses.)
    let output = match epilogue.bias {
        Some(bias) => {
            assert_eq!(
                bias.len(),
                n,
                "{op}: a bias of {} values for {n} columns",
                bias.len()
            );
            for_row_blocks(cells, n, m * n, |_, rows| {
                rows.chunks_exact_mut(n)
                    .for_each(|row| write_row(row, bias))
            });
            // SAFETY: `bias` holds `n` values (asserted above), so each of the `m` rows of `n`
            // cells was written just above.
            gemm::Output::AddTo(unsafe { assume_written(cells) })
        }
        None => gemm::Output::Fresh(cells),
    };
    let activation = epilogue.activation.map(Activation::in_place);
    gemm::product(a, b, output, activation);
}

/// The transpose `[cols, rows]` of the row-major `[rows, cols]` matrix `data`.
fn transposed(data: &[f64], [rows, cols]: [usize; 2]) -> Tensor {
    let mut out = storage::with_capacity(rows * cols);
    append_transposed(&mut out, data, [rows, cols]);
    Tensor::from_vec(out, [cols, rows])
}

/// Appends the transpose of the row-major `[rows, cols]` matrix `data` to `out`, row by row.
pub(super) fn append_transposed(out: &mut Vec<f64>, data: &[f64], [rows, cols]: [usize; 2]) {
    for c in 0..cols {
        out.extend((0..rows).map(|r| data[r * cols + c]));
    }
}

/// The `[rows, cols]` matrix stored row by row in `data`, read as stored or transposed, as the
/// GEMM takes its operands.
pub(super) fn strided(data: &[f64], stored: [usize; 2], layout: Layout) -> StridedMatrix<'_> {
    let stored = StridedMatrix::row_major(data, stored);
    match layout {
        Layout::AsIs => stored,
        Layout::Transposed => stored.transposed(),
    }
}

/// `out = op(a) · op(b) (+ bias on every row)` by plain loops that read every operand along
/// contiguous rows (see [`uses_plain_loops`] for when), writing every element of `out`. A
/// transposed `b` is copied into row order first: in the products a network makes it is a
/// weight matrix, the smallest operand. Large products are split by rows of the output across
/// threads.
fn plain_product(
    a: &[f64],
    layout_a: Layout,
    b: &[f64],
    layout_b: Layout,
    epilogue: Epilogue,
    out: &mut [MaybeUninit<f64>],
    [m, k, n]: [usize; 3],
) {
    if m == 0 || n == 0 {
        return;
    }
    let Epilogue { bias, activation } = epilogue;
    if let Some(bias) = bias {
        assert_eq!(
            bias.len(),
            n,
            "plain_product: a bias of {} values for {n} columns",
            bias.len()
        );
    }
    if k == 0 {
        // An empty sum: each row is the bias alone, or zero.
        // SAFETY: the chunks are whole rows of `n` cells, and each row is written whole: by
        // `write_row` from a bias of `n` values (asserted above), or with zeros.
        unsafe {
            activated_in_chunks(out, n, 0, activation, |_, rows| {
                for row in rows.chunks_exact_mut(n) {
                    match bias {
                        Some(bias) => write_row(row, bias),
                        None => row.iter_mut().for_each(|cell| _ = cell.write(0.0)),
                    }
                }
            })
        };
        return;
    }
    let shape = [m, k, n];
    // A narrow output with a long inner dimension: each entry is one long dot product, with the
    // columns of `b` made contiguous.
    if layout_a == Layout::AsIs && n <= NARROW && k > SHORT_INNER {
        let b_columns;
        let columns = match layout_b {
            Layout::Transposed => b,
            Layout::AsIs => {
                b_columns = transposed(b, [k, n]);
                b_columns.data()
            }
        };
        for_row_blocks(out, n, m * k * n, |first_row, block| {
            // SAFETY: each chunk is whole rows of `n` cells, rows of the output whose rows of
            // `a` (`k` values each) exist; each cell of a row is written, one per column of
            // `b`, of which `columns` holds `n`.
            unsafe {
                activated_in_chunks(block, n, first_row, activation, |first_row, chunk| {
                    let rows = &a[first_row * k..];
                    for (out_row, a_row) in chunk.chunks_exact_mut(n).zip(rows.chunks_exact(k)) {
                        for (j, (cell, column)) in
                            out_row.iter_mut().zip(columns.chunks_exact(k)).enumerate()
                        {
                            let bias = bias.map_or(0.0, |bias| bias[j]);
                            cell.write(dot(a_row, column) + bias);
                        }
                    }
                })
            };
        });
        return;
    }
    let b_rows;
    let b = match layout_b {
        Layout::AsIs => b,
        Layout::Transposed => {
            b_rows = transposed(b, [n, k]);
            b_rows.data()
        }
    };
    // Rows of the output as narrow as the tutorial's (2 or 3 columns) get a copy of the kernel
    // unrolled for their exact width.
    match layout_a {
        Layout::AsIs => for_row_blocks(out, n, m * k * n, |first_row, block| {
            // SAFETY: each chunk is whole rows of `n` cells, rows of the output whose rows of
            // `a` exist, and `rows_times_rows` writes every cell of each such row.
            unsafe {
                activated_in_chunks(block, n, first_row, activation, |first_row, chunk| {
                    let a = &a[first_row * k..];
                    by_lane_width!(n, rows_times_rows(a, b, bias, chunk, shape))
                })
            }
        }),
        Layout::Transposed => by_lane_width!(n, columns_times_rows(a, b, out, shape)),
    }
}

/// Writes `values` into a row of output cells.
#[inline(always)]
fn write_row(row: &mut [MaybeUninit<f64>], values: &[f64]) {
    for (cell, &value) in row.iter_mut().zip(values) {
        cell.write(value);
    }
}

/// `y[j] ← alpha·x[j]` into output cells, after which they hold numbers.
#[inline(always)]
fn write_scaled<'a>(y: &'a mut [MaybeUninit<f64>], alpha: f64, x: &[f64]) -> &'a mut [f64] {
    assert_eq!(y.len(), x.len(), "write_scaled: rows of different lengths");
    for (cell, x) in y.iter_mut().zip(x) {
        cell.write(alpha * x);
    }
    // SAFETY: `y` and `x` have one length, so every cell was written just above.
    unsafe { assume_written(y) }
}

/// `⟨x, y⟩` with four running sums, so that the compiler can keep them in one vector register.
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (x_blocks, y_blocks) = (x.chunks_exact(4), y.chunks_exact(4));
    let tail: f64 = x_blocks
        .remainder()
        .iter()
        .zip(y_blocks.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (x, y) in x_blocks.zip(y_blocks) {
        for lane in 0..4 {
            sums[lane] += x[lane] * y[lane];
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// `out[i, :] = Σₚ a[i, p] · b[p, :] (+ bias)` with `a` stored `[m, k]` and `b` stored `[k, n]`.
/// `WIDTH` is `n`, or [`RUNTIME_WIDTH`] when `n` is known only at run time.
#[inline(always)]
fn rows_times_rows<const WIDTH: usize>(
    a: &[f64],
    b: &[f64],
    bias: Option<&[f64]>,
    out: &mut [MaybeUninit<f64>],
    [_, k, n]: [usize; 3],
) {
    if WIDTH == RUNTIME_WIDTH {
        for (out_row, a_row) in out.chunks_exact_mut(n).zip(a.chunks_exact(k)) {
            // The first term is written (0 + x is x), the rest accumulated.
            let mut b_rows = b.chunks_exact(n);
            let row = write_scaled(out_row, a_row[0], b_rows.next().unwrap_or_default());
            for (&a_ip, b_row) in a_row[1..].iter().zip(b_rows) {
                axpy::<RUNTIME_WIDTH>(row, a_ip, b_row);
            }
            add_bias(row, bias);
        }
        return;
    }
    // A row this narrow is summed in registers and stored once: accumulating in memory would
    // wait on each store before the next add. The sums start at zero and run over p in order,
    // and the bias comes last, so the rounding is the same as the loop above.
    match bias {
        Some(bias) => {
            let bias: [f64; WIDTH] = std::array::from_fn(|j| bias[j]);
            narrow_rows::<WIDTH>(a, b, out, k, |sums| {
                for j in 0..WIDTH {
                    sums[j] += bias[j];
                }
            });
        }
        None => narrow_rows::<WIDTH>(a, b, out, k, |_| {}),
    }
}

/// `out[i, :] = finish(Σₚ a[i, p] · b[p, :])` for rows of a known `WIDTH`, summed in registers.
#[inline(always)]
fn narrow_rows<const WIDTH: usize>(
    a: &[f64],
    b: &[f64],
    out: &mut [MaybeUninit<f64>],
    k: usize,
    finish: impl Fn(&mut [f64; WIDTH]),
) {
    let b = &b[..k * WIDTH];
    for (out_row, a_row) in out.chunks_exact_mut(WIDTH).zip(a.chunks_exact(k)) {
        let mut sums = [0.0; WIDTH];
        for (&a_ip, b_row) in a_row.iter().zip(b.chunks_exact(WIDTH)) {
            for j in 0..WIDTH {
                sums[j] += a_ip * b_row[j];
            }
        }
        finish(&mut sums);
        write_row(out_row, &sums);
    }
}

/// Adds the bias row, when there is one, to a finished row of the output.
#[inline(always)]
fn add_bias(out_row: &mut [f64], bias: Option<&[f64]>) {
    if let Some(bias) = bias {
        for (o, b) in out_row.iter_mut().zip(bias) {
            *o += b;
        }
    }
}

/// `out[q, :] = Σᵢ a[i, q] · b[i, :]` with `a` stored `[k, m]` (read transposed) and `b` stored
/// `[k, n]`: one outer product per shared row `i`, all reads contiguous.
#[inline(always)]
fn columns_times_rows<const WIDTH: usize>(
    a: &[f64],
    b: &[f64],
    out: &mut [MaybeUninit<f64>],
    [m, _, n]: [usize; 3],
) {
    if WIDTH != RUNTIME_WIDTH && m <= NARROW {
        // The whole output (at most 4×4) is summed in registers and stored once.
        let mut sums = [[0.0; WIDTH]; NARROW];
        for (a_row, b_row) in a.chunks_exact(m).zip(b.chunks_exact(WIDTH)) {
            for (row_sums, &a_iq) in sums.iter_mut().zip(a_row) {
                for j in 0..WIDTH {
                    row_sums[j] += a_iq * b_row[j];
                }
            }
        }
        for (out_row, row_sums) in out.chunks_exact_mut(WIDTH).zip(&sums) {
            write_row(out_row, row_sums);
        }
        return;
    }
    // The first shared row is written (0 + x is x), the rest accumulated.
    let (mut a_rows, mut b_rows) = (a.chunks_exact(m), b.chunks_exact(n));
    let (first_a, first_b) = (
        a_rows.next().unwrap_or_default(),
        b_rows.next().unwrap_or_default(),
    );
    for (out_row, &a_0q) in out.chunks_exact_mut(n).zip(first_a) {
        write_scaled(out_row, a_0q, first_b);
    }
    assert_eq!(
        out.len(),
        first_a.len() * n,
        "columns_times_rows: output size"
    );
    // SAFETY: `first_a` has one value per row of `out`, so every row was written above.
    let out = unsafe { assume_written(out) };
    for (a_row, b_row) in a_rows.zip(b_rows) {
        for (out_row, &a_iq) in out.chunks_exact_mut(n).zip(a_row) {
            axpy::<WIDTH>(out_row, a_iq, b_row);
        }
    }
}

/// `y ← y + alpha·x` over two slices of one length, unrolled when `WIDTH` (that length) is
/// known at compile time, a plain loop when it is [`RUNTIME_WIDTH`].
#[inline(always)]
fn axpy<const WIDTH: usize>(y: &mut [f64], alpha: f64, x: &[f64]) {
    if WIDTH == RUNTIME_WIDTH {
        for (y, x) in y.iter_mut().zip(x) {
            *y += alpha * x;
        }
        return;
    }
    let (y, x) = (&mut y[..WIDTH], &x[..WIDTH]);
    for i in 0..WIDTH {
        y[i] += alpha * x[i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &Tensor, b: &Tensor) -> Tensor {
        let (m, k, n) = (a.dims()[0], a.dims()[1], b.dims()[1]);
        let mut out = Tensor::zeros([m, n]);
        for i in 0..m {
            for j in 0..n {
                out[[i, j]] = (0..k).map(|p| a[[i, p]] * b[[p, j]]).sum();
            }
        }
        out
    }

    fn counting(rows: usize, cols: usize, offset: f64) -> Tensor {
        let data = (0..rows * cols)
            .map(|i| (i as f64 * 0.37 + offset).sin())
            .collect();
        Tensor::from_vec(data, [rows, cols])
    }

    #[test]
    fn small_matmul_matches_the_definition() {
        let a = Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
        let b = Tensor::from_rows(&[[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]]);
        assert_eq!(a.matmul(&b), naive(&a, &b));
    }

    #[test]
    fn large_matmul_matches_the_definition() {
        let a = counting(70, 40, 0.1);
        let b = counting(40, 90, 0.7);
        let fast = a.matmul(&b);
        let slow = naive(&a, &b);
        for (x, y) in fast.data().iter().zip(slow.data()) {
            assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{x} vs {y}");
        }
    }

    #[test]
    fn transposed_layouts_equal_explicit_transposes() {
        for (m, k, n) in [(3, 4, 5), (60, 50, 40)] {
            let a = counting(k, m, 0.3);
            let b = counting(n, k, 0.9);
            let direct = a.matmul_with(Layout::Transposed, &b, Layout::Transposed);
            let explicit = naive(&a.transpose(), &b.transpose());
            for (x, y) in direct.data().iter().zip(explicit.data()) {
                assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()));
            }
        }
    }

    #[test]
    fn every_kernel_and_layout_matches_the_definition() {
        // Shapes that take each path: small loops, narrow dots (split across threads when
        // large), short-inner rows, narrow transposed columns, and the blocked GEMM.
        let shapes = [
            (3, 4, 5),
            (5000, 64, 2),
            (40000, 9, 3),
            (3000, 2, 64),
            (2, 3000, 64),
            (64, 3000, 2),
            (70, 40, 90),
        ];
        let layouts = [Layout::AsIs, Layout::Transposed];
        for (m, k, n) in shapes {
            for layout_a in layouts {
                for layout_b in layouts {
                    let stored = |layout, rows, cols, offset| match layout {
                        Layout::AsIs => counting(rows, cols, offset),
                        Layout::Transposed => counting(cols, rows, offset),
                    };
                    let a = stored(layout_a, m, k, 0.3);
                    let b = stored(layout_b, k, n, 0.8);
                    let logical = |t: &Tensor, layout| match layout {
                        Layout::AsIs => t.clone(),
                        Layout::Transposed => t.transpose(),
                    };
                    let expected = naive(&logical(&a, layout_a), &logical(&b, layout_b));
                    let got = a.matmul_with(layout_a, &b, layout_b);
                    let scale = k as f64;
                    for (x, y) in got.data().iter().zip(expected.data()) {
                        assert!(
                            (x - y).abs() <= 1e-13 * scale,
                            "({m}, {k}, {n}) {layout_a:?}·{layout_b:?}: {x} vs {y}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn affine_equals_the_product_plus_the_bias_on_every_kernel() {
        // The plain loops add the bias to each finished row, so they round exactly as the
        // product followed by the sum does; the blocked GEMM ([70, 40]·[40, 90]) starts from
        // the bias, which rounds differently but no worse.
        let shapes = [
            (3, 4, 5),
            (5000, 64, 2),
            (40000, 9, 3),
            (3000, 2, 64),
            (200, 2, 3),
            (70, 40, 90),
            (4, 0, 3),
        ];
        for (m, k, n) in shapes {
            let (a, w) = (counting(m, k, 0.2), counting(k, n, 0.6));
            let bias = counting(1, n, 0.4);
            let definition = naive(&a, &w).zip_map(&bias, |z, b| z + b);
            let product_then_sum = a.matmul(&w).zip_map(&bias, |z, b| z + b);
            let exact = uses_plain_loops(Layout::AsIs, [m, k, n]);
            for bias in [bias.clone(), Tensor::from_vec(bias.data().to_vec(), [n])] {
                let got = a.affine(&w, &bias);
                assert_eq!(got.dims(), &[m, n]);
                for ((x, y), z) in got
                    .data()
                    .iter()
                    .zip(definition.data())
                    .zip(product_then_sum.data())
                {
                    assert!(
                        (x - y).abs() <= 1e-13 * (k as f64 + 1.0),
                        "({m}, {k}, {n}): {x} vs {y}"
                    );
                    if exact {
                        assert_eq!(
                            x, z,
                            "({m}, {k}, {n}): rounds unlike the product then the sum"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn dense_with_an_empty_inner_dimension_is_the_activated_bias() {
        let (x, w) = (Tensor::zeros([3, 0]), Tensor::zeros([0, 2]));
        let bias = Tensor::from_vec(vec![-0.5, 0.75], [2]);
        let rows = Tensor::from_rows(&[[-0.5, 0.75], [-0.5, 0.75], [-0.5, 0.75]]);
        assert_eq!(x.dense(&w, &bias, Activation::Tanh), rows.tanh());
        assert_eq!(x.dense(&w, &bias, Activation::Sigmoid), rows.sigmoid());
        let relu = Tensor::from_rows(&[[0.0, 0.75], [0.0, 0.75], [0.0, 0.75]]);
        assert_eq!(x.dense(&w, &bias, Activation::Relu), relu);
    }

    #[test]
    #[should_panic(expected = "affine: [4, 2] · [2, 3] + [2, 3]: the bias must be a row of 3")]
    fn affine_rejects_a_bias_that_is_not_one_row() {
        let _ = Tensor::zeros([4, 2]).affine(&Tensor::zeros([2, 3]), &Tensor::zeros([2, 3]));
    }

    #[test]
    #[should_panic(expected = "matmul: [200, 2] · [3, 4]: inner dimensions 2 and 3 differ")]
    fn matmul_names_both_shapes_when_inner_dimensions_differ() {
        let _ = Tensor::zeros([200, 2]).matmul(&Tensor::zeros([3, 4]));
    }
}
