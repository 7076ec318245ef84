//! Matrix products over a leading batch axis: `[B, m, k] · [B, k, n] → [B, m, n]`.

use super::linalg::{Epilogue, SMALL_PRODUCT, append_transposed, product_into, strided};
use super::{Layout, Tensor};
use crate::kernels::gemm::StridedMatrix;
use crate::kernels::parallel::for_row_blocks;
use crate::kernels::small_product;
use crate::kernels::storage;

impl Tensor {
    /// `op(self[i]) · op(other[i])` for every matrix `i` of two rank-3 tensors, each `op`
    /// reading its matrices as stored or transposed without copying them (numpy's
    /// `a @ b`, `a @ b.swapaxes(1, 2)`, ...). A batch of 1 on either side is broadcast to the
    /// other's.
    ///
    /// Small products (as many multiply-adds as [`matmul_with`](Tensor::matmul_with) does in
    /// plain loops) sum each cell in order from `+0`, its row in registers; larger ones are
    /// the products `matmul_with` computes for that pair of matrices, to the last bit. The
    /// batch is split across threads when it is large.
    ///
    /// # Panics
    /// If an operand is not rank 3, the inner dimensions (as read) differ, or the batch sizes
    /// differ and neither is 1.
    #[track_caller]
    pub fn batch_matmul_with(&self, layout_a: Layout, other: &Tensor, layout_b: Layout) -> Tensor {
        let fail = |why: &str| -> ! {
            panic!(
                "batch_matmul: {} · {} ({layout_a:?}, {layout_b:?}): {why}",
                self.shape, other.shape
            )
        };
        let [batch, m, k, n] =
            batch_product_dims([self.dims(), other.dims()], [layout_a, layout_b])
                .unwrap_or_else(|why| fail(why));
        let small = m * k * n <= SMALL_PRODUCT;
        // Small products read `B` by rows: a transposed `B` is copied into row order once.
        let b_rows;
        let (other, layout_b) = if small && layout_b == Layout::Transposed {
            b_rows = transposed_matrices(other);
            (&b_rows, Layout::AsIs)
        } else {
            (other, layout_b)
        };
        let (size_a, size_b, size_out) = (m * k, k * n, m * n);
        let mut out = storage::with_capacity(batch * size_out);
        if size_out > 0 {
            let cells = &mut out.spare_capacity_mut()[..batch * size_out];
            // One "row" of the split is one output matrix.
            for_row_blocks(cells, size_out, batch * m * k * n, |first, block| {
                for (offset, cells) in block.chunks_exact_mut(size_out).enumerate() {
                    let index = first + offset;
                    let a = matrix_of(self, index, size_a, layout_a);
                    let b = matrix_of(other, index, size_b, layout_b);
                    if small {
                        small_product::product(&a, b.stored(), n, cells);
                    } else {
                        let product = "batch_matmul";
                        product_into(&a, layout_a, &b, layout_b, Epilogue::NONE, cells, product);
                    }
                }
            });
        }
        // SAFETY: `small_product::product` or `product_into` wrote every cell of each of the
        // `batch` output matrices (and there are none to write when they are empty).
        unsafe { out.set_len(batch * size_out) };
        Tensor::from_vec(out, [batch, m, n])
    }
}

/// `[batch, m, k, n]` of the batched product `op_a(A[b]) · op_b(B[b])` of operands with dimensions
/// `[a, b]`, each read as its layout says; or why there is no such product (an operand not rank
/// 3, the inner dimensions as read differing, batch sizes differing with neither 1). Shared by
/// the tensor kernel and [`Var::batch_matmul`](crate::Var::batch_matmul), which name the shapes.
pub(crate) fn batch_product_dims(
    [a, b]: [&[usize]; 2],
    [layout_a, layout_b]: [Layout; 2],
) -> Result<[usize; 4], &'static str> {
    let ([batch_a, rows_a, cols_a], [batch_b, rows_b, cols_b]) = (a, b) else {
        return Err("both operands must be rank 3 [batch, rows, columns]");
    };
    let read = |rows: usize, cols: usize, layout| match layout {
        Layout::AsIs => [rows, cols],
        Layout::Transposed => [cols, rows],
    };
    let ([m, k], [k_b, n]) = (
        read(*rows_a, *cols_a, layout_a),
        read(*rows_b, *cols_b, layout_b),
    );
    if k != k_b {
        return Err("the inner dimensions differ");
    }
    if batch_a != batch_b && *batch_a != 1 && *batch_b != 1 {
        return Err("the batch sizes differ and neither is 1");
    }
    Ok([*batch_a.max(batch_b), m, k, n])
}

/// Each matrix of the rank-3 `t` transposed: `[batch, rows, cols]` to `[batch, cols, rows]`.
fn transposed_matrices(t: &Tensor) -> Tensor {
    let [batch, rows, cols] = [t.dims()[0], t.dims()[1], t.dims()[2]];
    let mut out = storage::with_capacity(t.len());
    if rows * cols > 0 {
        for matrix in t.data().chunks_exact(rows * cols) {
            append_transposed(&mut out, matrix, [rows, cols]);
        }
    }
    Tensor::from_vec(out, [batch, cols, rows])
}

/// Matrix `index` of the rank-3 `t` (matrix 0 when its batch is 1, broadcast), `size` values,
/// read as `layout` says.
fn matrix_of(t: &Tensor, index: usize, size: usize, layout: Layout) -> StridedMatrix<'_> {
    let start = if t.dims()[0] == 1 { 0 } else { index * size };
    strided(
        &t.data()[start..start + size],
        [t.dims()[1], t.dims()[2]],
        layout,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference;

    fn counting(dims: [usize; 3], offset: f64) -> Tensor {
        let len = dims.iter().product::<usize>();
        let data = (0..len).map(|i| (i as f64 * 0.37 + offset).sin()).collect();
        Tensor::from_vec(data, dims)
    }

    fn matrix(t: &Tensor, index: usize) -> Tensor {
        let [rows, cols] = [t.dims()[1], t.dims()[2]];
        let index = if t.dims()[0] == 1 { 0 } else { index };
        let data = t.data()[index * rows * cols..][..rows * cols].to_vec();
        Tensor::from_vec(data, [rows, cols])
    }

    /// Every layout pair, broadcast on either side, small (bit for bit the reference's in-order
    /// sums) and large (the general kernels: bit for bit the rank-2 product of the
    /// pair), split across threads or not.
    #[test]
    fn each_matrix_is_the_product_of_its_pair() {
        let layouts = [Layout::AsIs, Layout::Transposed];
        let stored = |layout, [rows, cols]: [usize; 2]| match layout {
            Layout::AsIs => [rows, cols],
            Layout::Transposed => [cols, rows],
        };
        for (batch_a, batch_b, m, k, n) in [
            (3, 3, 2, 4, 5),
            (1, 4, 3, 2, 3),
            (4, 1, 5, 3, 1),
            (2, 2, 3, 20, 2),
            (128, 128, 12, 8, 12),
            (2, 2, 70, 40, 90),
            (3, 3, 0, 2, 4),
            (2, 2, 3, 0, 2),
        ] {
            for la in layouts {
                for lb in layouts {
                    let [ra, ca] = stored(la, [m, k]);
                    let [rb, cb] = stored(lb, [k, n]);
                    let a = counting([batch_a, ra, ca], 0.3);
                    let b = counting([batch_b, rb, cb], 0.8);
                    let got = a.batch_matmul_with(la, &b, lb);
                    let batch = batch_a.max(batch_b);
                    assert_eq!(got.dims(), &[batch, m, n]);
                    for i in 0..batch {
                        let got = &got.data()[i * m * n..][..m * n];
                        let what = format!(
                            "[{batch_a}, {m}, {k}]·[{batch_b}, {k}, {n}] {la:?}·{lb:?}, matrix {i}"
                        );
                        if m * k * n <= SMALL_PRODUCT {
                            let (a_i, b_i) =
                                (matrix_of(&a, i, m * k, la), matrix_of(&b, i, k * n, lb));
                            let expected = reference::product(&a_i, &b_i, None);
                            assert_eq!(reference::first_difference(got, &expected), None, "{what}");
                        } else {
                            let expected = matrix(&a, i).matmul_with(la, &matrix(&b, i), lb);
                            assert_eq!(got, expected.data(), "{what}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    #[should_panic(
        expected = "batch_matmul: [2, 3, 4] · [3, 4, 2] (AsIs, AsIs): the batch sizes differ"
    )]
    fn unequal_batches_panic_with_both_shapes() {
        let _ = Tensor::zeros([2, 3, 4]).batch_matmul_with(
            Layout::AsIs,
            &Tensor::zeros([3, 4, 2]),
            Layout::AsIs,
        );
    }
}
