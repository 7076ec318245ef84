//! Elementwise kernels on tensors: maps, broadcasting zips, and broadcasting's inverse (`sum_to`).

use super::Tensor;
use crate::kernels::lanes::{RUNTIME_WIDTH, by_lane_width, lane_width};
use crate::kernels::parallel::{self, for_row_blocks};
use crate::kernels::storage;
use crate::shape::{MAX_RANK, Shape};
use std::mem::MaybeUninit;

impl Tensor {
    /// A tensor of the same shape with `f` applied to every element (split across threads
    /// when the tensor is large).
    pub fn map(&self, f: impl Fn(f64) -> f64 + Sync) -> Tensor {
        // SAFETY: the blocks lie inside `0..len`, so `inputs` is as long as `cells`, and the
        // loop writes one cell per input.
        let data = unsafe {
            fill_in_blocks(self.len(), |first, cells| {
                let inputs = &self.data[first..first + cells.len()];
                for (cell, &x) in cells.iter_mut().zip(inputs) {
                    cell.write(f(x));
                }
            })
        };
        Tensor::from_vec(data, self.shape)
    }

    /// Applies `f` to every element in place (into storage of its own, in the same pass, when
    /// other tensors share this one's values).
    pub fn map_in_place(&mut self, f: impl Fn(f64) -> f64) {
        if !self.data.is_unique() {
            let mut data = storage::with_capacity(self.len());
            data.extend(self.data.iter().map(|&x| f(x)));
            *self = Tensor::from_vec(data, self.shape);
            return;
        }
        for x in self.data.make_mut() {
            *x = f(*x);
        }
    }

    /// `f(a, b)` elementwise over the broadcast of `self` and `other` (numpy's rules).
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    #[track_caller]
    pub fn zip_map(&self, other: &Tensor, f: impl Fn(f64, f64) -> f64 + Sync) -> Tensor {
        if self.shape == other.shape {
            // SAFETY: the blocks lie inside `0..len`, the length of both operands (one shape),
            // so `a` and `b` are as long as `cells`, and the loop writes one cell per pair.
            let data = unsafe {
                fill_in_blocks(self.len(), |first, cells| {
                    let a = &self.data[first..first + cells.len()];
                    let b = &other.data[first..first + cells.len()];
                    for ((cell, &x), &y) in cells.iter_mut().zip(a).zip(b) {
                        cell.write(f(x, y));
                    }
                })
            };
            return Tensor::from_vec(data, self.shape);
        }
        let Some(shape) = Shape::broadcast(self.shape, other.shape) else {
            panic!(
                "zip_map: shapes {} and {} do not broadcast",
                self.shape, other.shape
            )
        };
        if other.len() == 1 && shape == self.shape {
            let b = other.data[0];
            return self.map(|a| f(a, b));
        }
        if self.len() == 1 && shape == other.shape {
            let a = self.data[0];
            return other.map(|b| f(a, b));
        }
        if let Some(data) = zip_rows(self, other, shape, &f) {
            return Tensor::from_vec(data, shape);
        }
        let dims = padded_dims(shape);
        let strides_a = broadcast_strides(self.shape, shape);
        let strides_b = broadcast_strides(other.shape, shape);
        let mut data = storage::with_capacity(shape.numel());
        for_each_row(dims, strides_a, strides_b, |base_a, base_b| {
            for i in 0..dims[3] {
                data.push(f(
                    self.data[base_a + i * strides_a[3]],
                    other.data[base_b + i * strides_b[3]],
                ));
            }
        });
        Tensor::from_vec(data, shape)
    }

    /// Adds `other` (of the same shape) into `self` elementwise.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn add_assign(&mut self, other: &Tensor) {
        self.update_with("add_assign", other, |a, b| a + b);
    }

    /// Sets `self ← self + alpha·other` elementwise (an axpy), for optimisers and gradient steps.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn add_scaled(&mut self, alpha: f64, other: &Tensor) {
        self.update_with("add_scaled", other, |a, b| a + alpha * b);
    }

    /// `self[i] ← f(self[i], other[i])` for `other` of the same shape: in place, or into storage
    /// of its own in the same pass when other tensors share this one's values (rather than a
    /// copy, then the update).
    #[track_caller]
    fn update_with(&mut self, op: &str, other: &Tensor, f: impl Fn(f64, f64) -> f64 + Sync) {
        assert_eq!(
            self.shape, other.shape,
            "{op}: shapes {} and {} differ",
            self.shape, other.shape
        );
        if !self.data.is_unique() {
            *self = self.zip_map(other, f);
            return;
        }
        for (a, &b) in self.data.make_mut().iter_mut().zip(other.data.iter()) {
            *a = f(*a, b);
        }
    }

    /// This tensor repeated along broadcast dimensions to fill `shape` (numpy's `broadcast_to`).
    ///
    /// # Panics
    /// If `self` does not broadcast to `shape`.
    #[track_caller]
    pub fn broadcast_to(&self, shape: Shape) -> Tensor {
        assert!(
            self.shape.broadcasts_to(shape),
            "broadcast_to: {} does not broadcast to {shape}",
            self.shape
        );
        if self.shape == shape {
            return self.clone();
        }
        if self.len() == 1 {
            return Tensor::full(shape, self.data[0]);
        }
        let dims = padded_dims(shape);
        let strides = broadcast_strides(self.shape, shape);
        let mut data = storage::with_capacity(shape.numel());
        for_each_row(dims, strides, strides, |base, _| {
            for i in 0..dims[3] {
                data.push(self.data[base + i * strides[3]]);
            }
        });
        Tensor::from_vec(data, shape)
    }

    /// `f(self, other)` elementwise, for two tensors of one shape, and the sums of the result
    /// over every axis but the last (shape `[n]` for a last axis of `n`), in one pass: a layer's
    /// backward gets the gradient of its pre-activation `dL/dZ = dL/dY ⊙ act'` and of its bias
    /// `Σᵢ dL/dZ[i, :]` without reading the full-size result a second time. For a tensor of rank
    /// 2 or more whose last axis is longer than 1 (a batch of layer outputs), the sums equal,
    /// bit for bit, those of [`sum_to`](Tensor::sum_to) `[n]` on the result: the rows are cut
    /// into the same blocks and added in the same order. (`sum_to` returns a rank-1 tensor
    /// itself, and sums a last axis of 1 in one run; a zero here is then `+0.0` where `sum_to`
    /// may give `−0.0`, and the rounding of a split sum may differ.)
    ///
    /// ```
    /// use autograd::Tensor;
    /// let y = Tensor::from_rows(&[[0.5, 0.0], [-0.5, 1.0]]);
    /// let g = Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
    /// let (slope, sums) = y.zip_map_and_sum_columns(&g, |y, g| g * (1.0 - y * y));
    /// assert_eq!(slope.data(), &[0.75, 2.0, 2.25, 0.0]);
    /// assert_eq!(sums.data(), &[3.0, 2.0]);
    /// ```
    ///
    /// # Panics
    /// If the shapes differ, or the tensors are scalars.
    #[track_caller]
    pub fn zip_map_and_sum_columns(
        &self,
        other: &Tensor,
        f: impl Fn(f64, f64) -> f64 + Sync,
    ) -> (Tensor, Tensor) {
        assert!(
            self.shape == other.shape && self.rank() > 0,
            "zip_map_and_sum_columns: shapes {} and {} (two tensors of one shape, of rank 1 or more)",
            self.shape,
            other.shape
        );
        let width = self.dims()[self.rank() - 1];
        let mut sums = storage::zeroed(width);
        let mut data = storage::with_capacity(self.len());
        let cells = &mut data.spare_capacity_mut()[..self.len()];
        parallel::for_row_blocks_summing(cells, &mut sums, |first_row, block, partial| {
            if block.is_empty() {
                return; // (rows of no values, which `chunks_exact` cannot cut)
            }
            let first = first_row * width;
            let a = &self.data[first..first + block.len()];
            let b = &other.data[first..first + block.len()];
            by_lane_width!(width, zip_map_summing_rows(a, b, block, partial, &f));
        });
        // SAFETY: the blocks tile the cells, and each row of each block was written.
        unsafe { data.set_len(self.len()) };
        let sums = Tensor::from_vec(sums, Shape::new(&[width]));
        (Tensor::from_vec(data, self.shape), sums)
    }

    /// Sums over the dimensions that broadcasting expanded, so that the result has shape `shape`:
    /// the inverse of [`broadcast_to`](Tensor::broadcast_to), and how a broadcast operand's gradient
    /// is brought back to its own shape.
    ///
    /// # Panics
    /// If `shape` does not broadcast to this tensor's shape.
    #[track_caller]
    pub fn sum_to(&self, shape: Shape) -> Tensor {
        assert!(
            shape.broadcasts_to(self.shape),
            "sum_to: {} cannot be reduced to {shape} ({shape} does not broadcast to it)",
            self.shape
        );
        if self.shape == shape {
            return self.clone();
        }
        if shape.numel() == 1 {
            return Tensor::full(shape, self.data.iter().sum());
        }
        if self.data.len().is_multiple_of(shape.numel()) && self.dims().ends_with(shape.dims()) {
            let mut out = storage::zeroed(shape.numel());
            parallel::sum_row_blocks(&self.data, &mut out, sum_rows_narrow);
            return Tensor::from_vec(out, shape);
        }
        // Each broadcast axis summed in turn (the axis kept, with size 1), then the leading
        // axes that `shape` lacks dropped.
        let lead = self.rank() - shape.rank();
        let mut sums: Option<Tensor> = None;
        for axis in 0..self.rank() {
            let target = axis.checked_sub(lead).map_or(1, |axis| shape.dims()[axis]);
            if target == 1 && self.dims()[axis] != 1 {
                let from = sums.as_ref().unwrap_or(self);
                sums = Some(from.sum_axis(axis, true));
            }
        }
        sums.unwrap_or_else(|| self.clone()).reshape(shape)
    }
}

/// A vector of `len` elements, each written by `fill(first, cells)`, called on consecutive
/// blocks of cells starting at element `first` (one block per thread when `len` is large).
///
/// # Safety
/// `fill` must write every cell of the block it is given.
unsafe fn fill_in_blocks(
    len: usize,
    fill: impl Fn(usize, &mut [MaybeUninit<f64>]) + Sync,
) -> Vec<f64> {
    let mut data = storage::with_capacity(len);
    for_row_blocks(&mut data.spare_capacity_mut()[..len], 1, len, fill);
    // SAFETY: the blocks tile the `len` cells and `fill` writes every cell of its block (the
    // caller's promise).
    unsafe { data.set_len(len) };
    data
}

/// `cells[i] = f(a[i], b[i])` over rows of `sums.len()` values, each row added into `sums`
/// (in row order, as [`sum_rows`] adds). `WIDTH` as for [`sum_rows`].
#[inline(always)]
fn zip_map_summing_rows<const WIDTH: usize>(
    a: &[f64],
    b: &[f64],
    cells: &mut [MaybeUninit<f64>],
    sums: &mut [f64],
    f: &impl Fn(f64, f64) -> f64,
) {
    let width = lane_width::<WIDTH>(sums.len());
    let rows = cells.chunks_exact_mut(width).zip(a.chunks_exact(width));
    for ((cells, a), b) in rows.zip(b.chunks_exact(width)) {
        for j in 0..width {
            let value = f(a[j], b[j]);
            cells[j].write(value);
            sums[j] += value;
        }
    }
}

/// Whether [`Tensor::zip_map_and_sum_columns`] on a tensor of `shape` gives, bit for bit, the
/// sums [`Tensor::sum_to`] gives for `sum`: `sum` is `[n]` for a last axis of `n > 1`, and the
/// rank is 2 or more (see the method).
pub(crate) fn sums_columns_as_sum_to(shape: Shape, sum: Shape) -> bool {
    let dims = shape.dims();
    dims.len() > 1 && sum.dims() == [dims[dims.len() - 1]] && sum.numel() != 1
}

/// [`sum_rows`] with the width known at compile time for rows of 1 to 4 values.
fn sum_rows_narrow(rows: &[f64], out: &mut [f64]) {
    by_lane_width!(out.len(), sum_rows(rows, out))
}

/// `out[j] = Σᵢ rows[i·w + j]`, the column sums of `rows` read as rows of `w = out.len()` values
/// (how a bias's gradient is reduced). Rows of a width known at compile time (see
/// [`lane_width`]) are summed in registers; either way each column is
/// summed from zero in row order, so the rounding is the same.
#[inline(always)]
fn sum_rows<const WIDTH: usize>(rows: &[f64], out: &mut [f64]) {
    if WIDTH == RUNTIME_WIDTH {
        for row in rows.chunks_exact(out.len()) {
            for (o, x) in out.iter_mut().zip(row) {
                *o += x;
            }
        }
        return;
    }
    let mut sums = [0.0; WIDTH];
    for row in rows.chunks_exact(WIDTH) {
        for j in 0..WIDTH {
            sums[j] += row[j];
        }
    }
    out.copy_from_slice(&sums);
}

/// The common cases of broadcasting, zipped chunk by chunk: a row (a bias, say) repeated over the
/// rows of a full operand (its shape is a suffix of the result's), or a column (a per-row
/// reduction kept with size 1) repeated along the last axis. `None` for any other form.
fn zip_rows(
    a: &Tensor,
    b: &Tensor,
    shape: Shape,
    f: &impl Fn(f64, f64) -> f64,
) -> Option<Vec<f64>> {
    let is_row_of = |small: &Tensor, full: &Tensor| {
        full.shape == shape && !small.is_empty() && shape.dims().ends_with(small.dims())
    };
    let mut data = storage::with_capacity(shape.numel());
    if is_row_of(b, a) {
        for row in a.data.chunks_exact(b.len()) {
            data.extend(row.iter().zip(b.data.iter()).map(|(&x, &y)| f(x, y)));
        }
    } else if is_row_of(a, b) {
        for row in b.data.chunks_exact(a.len()) {
            data.extend(a.data.iter().zip(row).map(|(&x, &y)| f(x, y)));
        }
    } else if is_column_of(b, a) {
        let width = a.dims().last().copied().unwrap_or(1).max(1);
        for (row, &y) in a.data.chunks_exact(width).zip(b.data.iter()) {
            data.extend(row.iter().map(|&x| f(x, y)));
        }
    } else if is_column_of(a, b) {
        let width = b.dims().last().copied().unwrap_or(1).max(1);
        for (row, &x) in b.data.chunks_exact(width).zip(a.data.iter()) {
            data.extend(row.iter().map(|&y| f(x, y)));
        }
    } else {
        storage::recycle(data); // (taken from the pool before the form was known)
        return None;
    }
    Some(data)
}

/// Whether `small` is `full` with its last dimension reduced to 1 (a `keepdim` reduction along
/// the last axis, broadcast back over it).
fn is_column_of(small: &Tensor, full: &Tensor) -> bool {
    let (small_dims, full_dims) = (small.dims(), full.dims());
    small_dims.len() == full_dims.len()
        && small_dims.last() == Some(&1)
        && small_dims[..small_dims.len() - 1] == full_dims[..full_dims.len() - 1]
}

/// The dimensions of `shape` padded on the left with 1s to [`MAX_RANK`].
fn padded_dims(shape: Shape) -> [usize; MAX_RANK] {
    let mut dims = [1; MAX_RANK];
    dims[MAX_RANK - shape.rank()..].copy_from_slice(shape.dims());
    dims
}

/// Strides into the data of `from` for each padded axis of `to`, 0 where `from` is broadcast.
fn broadcast_strides(from: Shape, to: Shape) -> [usize; MAX_RANK] {
    let from_dims = padded_dims(from);
    let to_dims = padded_dims(to);
    let mut strides = [0; MAX_RANK];
    let mut step = 1;
    for axis in (0..MAX_RANK).rev() {
        if from_dims[axis] == to_dims[axis] && from_dims[axis] != 1 {
            strides[axis] = step;
        }
        step *= from_dims[axis];
    }
    strides
}

/// Calls `row(base_a, base_b)` for each position of the three outer padded axes, in row-major order,
/// with the offsets that the two stride sets give; the caller walks the innermost axis.
fn for_each_row(
    dims: [usize; MAX_RANK],
    strides_a: [usize; MAX_RANK],
    strides_b: [usize; MAX_RANK],
    mut row: impl FnMut(usize, usize),
) {
    for i0 in 0..dims[0] {
        for i1 in 0..dims[1] {
            for i2 in 0..dims[2] {
                let base_a = i0 * strides_a[0] + i1 * strides_a[1] + i2 * strides_a[2];
                let base_b = i0 * strides_b[0] + i1 * strides_b[1] + i2 * strides_b[2];
                row(base_a, base_b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values spread over several magnitudes, so that the order of a sum shows in its rounding.
    fn uneven(dims: &[usize], seed: usize) -> Tensor {
        let len = dims.iter().product();
        let data = (0..len)
            .map(|i| {
                let k = (i * 7919 + seed * 104_729) % 1009;
                (k as f64 - 504.0) * 10f64.powi((k % 7) as i32 - 3)
            })
            .collect();
        Tensor::from_vec(data, Shape::new(dims))
    }

    #[test]
    fn zip_map_and_sum_columns_equals_zip_map_then_sum_to() {
        // [700, 256] is summed in parallel parts on a machine with several cores; [7] and
        // [200_000, 1] lie outside the bit-for-bit promise (see the method) and are held to
        // equal numbers only.
        let shapes: [&[usize]; 9] = [
            &[3, 4],
            &[2, 3, 5],
            &[1000, 3],
            &[700, 256],
            &[5, 0],
            &[0, 4],
            &[1, 2],
            &[7],
            &[200_000, 1],
        ];
        let bits = |t: &Tensor| t.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        let slope = |y: f64, g: f64| g * (1.0 - y * y);
        for dims in shapes {
            let (y, g) = (uneven(dims, 1), uneven(dims, 2));
            let (values, sums) = y.zip_map_and_sum_columns(&g, slope);
            let expected = y.zip_map(&g, slope);
            let width = dims[dims.len() - 1];
            let expected_sums = expected.sum_to(Shape::new(&[width]));
            assert_eq!(bits(&values), bits(&expected), "{dims:?}: values");
            assert_eq!(sums.dims(), &[width], "{dims:?}: the sums' shape");
            if dims.len() > 1 && width > 1 {
                assert_eq!(bits(&sums), bits(&expected_sums), "{dims:?}: sums");
            } else {
                let scale: f64 = expected.data().iter().map(|v| v.abs()).sum();
                for (sum, expected) in sums.data().iter().zip(expected_sums.data()) {
                    assert!((sum - expected).abs() <= 1e-14 * scale, "{dims:?}: sums");
                }
            }
            // And against the definition, summed here in plain row order.
            for (column, &sum) in sums.data().iter().enumerate() {
                let column_values = expected.data().iter().skip(column).step_by(width);
                let plain: f64 = column_values.clone().sum();
                let scale: f64 = column_values.map(|v| v.abs()).sum();
                assert!(
                    (sum - plain).abs() <= 1e-14 * scale,
                    "{dims:?}: column {column}"
                );
            }
        }
    }

    /// Reductions over inner, middle and missing leading axes (and several at once) sum
    /// each output's copies, as the definition does.
    #[test]
    fn sum_to_sums_every_broadcast_axis() {
        let x = Tensor::from_vec(
            (0..120).map(|i| f64::from(i % 17) - 8.0).collect(),
            [2, 3, 4, 5],
        );
        let cases: [&[usize]; 6] = [
            &[2, 3, 4, 1],
            &[2, 1, 4, 5],
            &[3, 1, 1],
            &[1, 3, 1, 5],
            &[4, 1],
            &[1],
        ];
        for dims in cases {
            let shape = Shape::new(dims);
            let got = x.sum_to(shape);
            assert_eq!(got.shape(), shape);
            // Each element of x adds into the cell of `shape` that broadcasting reads it from.
            let lead = 4 - dims.len();
            let mut expected = vec![0.0; shape.numel()];
            for (flat, &value) in x.data().iter().enumerate() {
                let index = [flat / 60, flat / 20 % 3, flat / 5 % 4, flat % 5];
                let target = (0..dims.len()).fold(0, |at, axis| {
                    let i = if dims[axis] == 1 {
                        0
                    } else {
                        index[lead + axis]
                    };
                    at * dims[axis] + i
                });
                expected[target] += value;
            }
            assert_eq!(got.data(), expected.as_slice(), "to {dims:?}");
        }
    }

    #[test]
    fn sum_to_of_rows_of_no_values_is_empty() {
        let sums = Tensor::zeros([5, 0]).sum_to(Shape::new(&[0]));
        assert_eq!(sums.dims(), &[0]);
    }

    #[test]
    #[should_panic(expected = "zip_map_and_sum_columns: shapes [2, 3] and [3, 2]")]
    fn zip_map_and_sum_columns_rejects_two_shapes() {
        let (a, b) = (Tensor::zeros([2, 3]), Tensor::zeros([3, 2]));
        let _ = a.zip_map_and_sum_columns(&b, |x, y| x + y);
    }

    #[test]
    fn zip_map_broadcasts_rows_and_columns() {
        let column = Tensor::from_vec(vec![10.0, 20.0], [2, 1]);
        let row = Tensor::from_vec(vec![1.0, 2.0, 3.0], [3]);
        let sum = column.zip_map(&row, |a, b| a + b);
        assert_eq!(sum.dims(), &[2, 3]);
        assert_eq!(sum.data(), &[11.0, 12.0, 13.0, 21.0, 22.0, 23.0]);
    }

    #[test]
    fn broadcast_to_then_sum_to_counts_the_copies() {
        let row = Tensor::from_vec(vec![1.0, 2.0, 3.0], [1, 3]);
        let tiled = row.broadcast_to(Shape::new(&[4, 3]));
        assert_eq!(tiled.row(3), &[1.0, 2.0, 3.0]);
        assert_eq!(tiled.sum_to(Shape::new(&[1, 3])).data(), &[4.0, 8.0, 12.0]);
        assert_eq!(tiled.sum_to(Shape::new(&[3])).data(), &[4.0, 8.0, 12.0]);
        assert_eq!(tiled.sum_to(Shape::scalar()).item(), 24.0);
        let column = Tensor::from_vec(vec![1.0, 2.0], [2, 1]);
        let wide = column.broadcast_to(Shape::new(&[2, 3]));
        assert_eq!(wide.data(), &[1.0, 1.0, 1.0, 2.0, 2.0, 2.0]);
        assert_eq!(wide.sum_to(Shape::new(&[2, 1])).data(), &[3.0, 6.0]);
    }

    #[test]
    fn large_column_sums_split_across_threads_match_a_sequential_sum() {
        // 70 000 × 3 is above the threshold for threads; values chosen so the exact sums are known.
        for width in [3, 7] {
            let rows = 70_000;
            let data = (0..rows * width)
                .map(|i| (i % width) as f64 + 0.5)
                .collect();
            let sums = Tensor::from_vec(data, [rows, width]).sum_to(Shape::new(&[width]));
            for (j, total) in sums.data().iter().enumerate() {
                assert_eq!(
                    *total,
                    rows as f64 * (j as f64 + 0.5),
                    "column {j} of {width}"
                );
            }
        }
    }

    #[test]
    #[should_panic(expected = "sum_to: [2, 3] cannot be reduced to [2]")]
    fn sum_to_rejects_a_shape_that_does_not_broadcast() {
        let _ = Tensor::zeros([2, 3]).sum_to(Shape::new(&[2]));
    }
}
