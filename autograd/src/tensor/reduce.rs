//! Reductions along an axis (sum, max, argmax), and picking one element per row.

use super::Tensor;
use crate::kernels::storage;

/// The maximum of a lane, NaN if it holds one, −∞ if it is empty.
#[inline(always)]
pub(super) fn lane_max(lane: &[f64]) -> f64 {
    lane.iter().fold(
        f64::NEG_INFINITY,
        |m, &x| if x > m || x.is_nan() { x } else { m },
    )
}

/// `sums[l] += Σ lanes[l]` for the consecutive lanes of `len > 0` values in `values`, each in
/// order; four lanes go through the loop together, as four independent chains of additions.
fn sum_contiguous_lanes(values: &[f64], len: usize, sums: &mut [f64]) {
    let mut quads = values.chunks_exact(4 * len);
    let mut quad_sums = sums.chunks_exact_mut(4);
    for (quad, sums) in (&mut quads).zip(&mut quad_sums) {
        let (l0, rest) = quad.split_at(len);
        let (l1, rest) = rest.split_at(len);
        let (l2, l3) = rest.split_at(len);
        let mut acc = [sums[0], sums[1], sums[2], sums[3]];
        for k in 0..len {
            acc[0] += l0[k];
            acc[1] += l1[k];
            acc[2] += l2[k];
            acc[3] += l3[k];
        }
        sums.copy_from_slice(&acc);
    }
    let rest = quads.remainder().chunks_exact(len);
    for (sum, lane) in quad_sums.into_remainder().iter_mut().zip(rest) {
        *sum = lane.iter().fold(*sum, |total, &x| total + x);
    }
}

impl Tensor {
    /// The sum of all elements.
    pub fn sum(&self) -> f64 {
        self.data.iter().sum()
    }

    /// `Σ x²` over all elements (the squared Euclidean norm).
    pub fn sum_squares(&self) -> f64 {
        self.data.iter().map(|x| x * x).sum()
    }

    /// The sum along `axis`; the axis is kept with size 1 when `keepdim`, removed otherwise.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn sum_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        let (outer, len, inner) = self.lanes_of("sum_axis", axis);
        // Each lane is summed in order from −0 (as `Iterator::sum` does), several lanes at a
        // time so that their additions overlap instead of each waiting on the one before.
        let mut data = storage::filled(outer * inner, -0.0);
        if len == 0 || inner == 0 {
            // No lanes, or only empty ones (each sums to −0).
        } else if inner == 1 {
            sum_contiguous_lanes(&self.data, len, &mut data);
        } else {
            // Lanes across the inner axis: add whole rows of `inner` values, in order of the
            // summed axis.
            for (sums, block) in data
                .chunks_exact_mut(inner)
                .zip(self.data.chunks_exact(len * inner))
            {
                for row in block.chunks_exact(inner) {
                    for (sum, &x) in sums.iter_mut().zip(row) {
                        *sum += x;
                    }
                }
            }
        }
        let shape = if keepdim {
            self.shape.with_axis_kept(axis)
        } else {
            self.shape.with_axis_removed(axis)
        };
        Tensor::from_vec(data, shape)
    }

    /// The maximum along `axis` (NaN if the lane holds one).
    ///
    /// # Panics
    /// If `axis` is not below the rank, or the axis has size 0.
    #[track_caller]
    pub fn max_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.reduce_lanes("max_axis", axis, keepdim, lane_max)
    }

    /// The index of the maximum along `axis` (the first one on ties), for each lane in row-major order.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn argmax_axis(&self, axis: usize) -> Vec<usize> {
        let (outer, len, inner) = self.lanes_of("argmax_axis", axis);
        let mut indices = Vec::with_capacity(outer * inner);
        for o in 0..outer {
            for i in 0..inner {
                let base = o * len * inner + i;
                let mut best = 0;
                for k in 1..len {
                    if self.data[base + k * inner] > self.data[base + best * inner] {
                        best = k;
                    }
                }
                indices.push(best);
            }
        }
        indices
    }

    #[track_caller]
    pub(super) fn lanes_of(&self, op: &str, axis: usize) -> (usize, usize, usize) {
        assert!(
            axis < self.rank(),
            "{op}: axis {axis} is out of range for shape {}",
            self.shape
        );
        self.shape.split_at_axis(axis)
    }

    /// Reduces each lane along `axis` to one number with `reduce`.
    #[track_caller]
    fn reduce_lanes(
        &self,
        op: &str,
        axis: usize,
        keepdim: bool,
        reduce: impl Fn(&[f64]) -> f64,
    ) -> Tensor {
        let (outer, len, inner) = self.lanes_of(op, axis);
        let data = if inner == 1 && len > 0 {
            // The last axis: each lane is a contiguous run of the data.
            let mut data = storage::with_capacity(outer);
            data.extend(self.data.chunks_exact(len).map(&reduce));
            data
        } else {
            let mut lane = vec![0.0; len];
            let mut data = storage::with_capacity(outer * inner);
            for base in lane_starts(outer, len, inner) {
                for (k, x) in lane.iter_mut().enumerate() {
                    *x = self.data[base + k * inner];
                }
                data.push(reduce(&lane));
            }
            data
        };
        let shape = if keepdim {
            self.shape.with_axis_kept(axis)
        } else {
            self.shape.with_axis_removed(axis)
        };
        Tensor::from_vec(data, shape)
    }

    /// Rank-1 tensor of `self[r, indices[r]]` for each row `r` of a rank-2 tensor.
    ///
    /// # Panics
    /// If `self` is not rank 2, the index count differs from the row count, or an index is out of range.
    #[track_caller]
    pub fn pick_per_row(&self, indices: &[usize]) -> Tensor {
        let (rows, cols) = self.rows_and_cols("pick", indices);
        let mut data = storage::with_capacity(rows);
        data.extend(
            indices
                .iter()
                .enumerate()
                .map(|(r, &i)| self.data[r * cols + i]),
        );
        Tensor::from_vec(data, [rows])
    }

    /// The rank-2 tensor of `columns` columns that holds `self[r]` at `[r, indices[r]]` and zeros elsewhere:
    /// the transpose of [`pick_per_row`](Tensor::pick_per_row).
    ///
    /// # Panics
    /// If `self` is not rank 1 with one value per index, or an index is not below `columns`.
    #[track_caller]
    pub fn scatter_per_row(&self, indices: &[usize], columns: usize) -> Tensor {
        assert!(
            self.rank() == 1 && self.len() == indices.len(),
            "scatter: values of shape {} do not match {} indices",
            self.shape,
            indices.len()
        );
        let mut out = Tensor::zeros([indices.len(), columns]);
        let cells = out.data_mut();
        for (r, (&index, &value)) in indices.iter().zip(self.data.iter()).enumerate() {
            assert!(
                index < columns,
                "scatter: index {index} in row {r} is out of range for {columns} columns"
            );
            cells[r * columns + index] = value;
        }
        out
    }

    #[track_caller]
    pub(super) fn rows_and_cols(&self, op: &str, indices: &[usize]) -> (usize, usize) {
        assert!(
            self.rank() == 2 && self.dims()[0] == indices.len(),
            "{op}: shape {} does not have one row per index ({} indices)",
            self.shape,
            indices.len()
        );
        let cols = self.dims()[1];
        if let Some((row, &index)) = indices.iter().enumerate().find(|&(_, &i)| i >= cols) {
            panic!(
                "{op}: index {index} in row {row} is out of range for shape {}",
                self.shape
            );
        }
        (indices.len(), cols)
    }
}

/// Where each lane along the middle axis of an `[outer, len, inner]` view starts (its values
/// lie `inner` apart from there), lane by lane in the row-major order of the other two axes:
/// the order of the lanes' results in a reduction along that axis.
pub(super) fn lane_starts(outer: usize, len: usize, inner: usize) -> impl Iterator<Item = usize> {
    (0..outer).flat_map(move |o| (0..inner).map(move |i| o * len * inner + i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Tensor {
        Tensor::from_rows(&[[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    }

    #[test]
    fn sums_along_each_axis() {
        assert_eq!(grid().sum_axis(0, false).data(), &[5.0, 7.0, 9.0]);
        assert_eq!(grid().sum_axis(1, true).dims(), &[2, 1]);
        assert_eq!(grid().sum_axis(1, true).data(), &[9.0, 12.0]);
        assert_eq!(grid().sum(), 21.0);
    }

    /// Every axis of ranks 1 to 4, lane counts either side of the four lanes summed together,
    /// empty axes: each sum is bit for bit its lane summed in order from −0.
    #[test]
    fn each_lane_sums_in_order_from_negative_zero() {
        let shapes: [&[usize]; 8] = [
            &[7],
            &[0],
            &[5, 3],
            &[3, 0],
            &[9, 13],
            &[2, 3, 4],
            &[4, 1, 5],
            &[3, 2, 5, 7],
        ];
        for dims in shapes {
            let shape = crate::shape::Shape::new(dims);
            let data = (0..shape.numel())
                .map(|i| (i as f64 * 0.61).sin() * 1e3)
                .collect();
            let x = Tensor::from_vec(data, shape);
            for axis in 0..dims.len() {
                let sums = x.sum_axis(axis, true);
                let (outer, len, inner) = shape.split_at_axis(axis);
                for o in 0..outer {
                    for i in 0..inner {
                        let lane = (0..len).map(|k| x.data()[(o * len + k) * inner + i]);
                        let expected: f64 = lane.sum();
                        let got = sums.data()[o * inner + i];
                        assert_eq!(
                            got.to_bits(),
                            expected.to_bits(),
                            "{dims:?} axis {axis}: {got} vs {expected}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn max_and_argmax_along_each_axis() {
        assert_eq!(grid().max_axis(0, false).data(), &[4.0, 5.0, 6.0]);
        assert_eq!(grid().max_axis(1, false).data(), &[5.0, 6.0]);
        assert_eq!(grid().argmax_axis(1), vec![1, 2]);
        assert_eq!(grid().argmax_axis(0), vec![1, 0, 1]);
    }

    #[test]
    fn pick_and_scatter_are_transposes() {
        let picked = grid().pick_per_row(&[2, 0]);
        assert_eq!(picked.data(), &[3.0, 4.0]);
        let scattered = picked.scatter_per_row(&[2, 0], 3);
        assert_eq!(scattered.data(), &[0.0, 0.0, 3.0, 4.0, 0.0, 0.0]);
    }
}
