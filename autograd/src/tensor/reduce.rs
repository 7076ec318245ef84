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
        self.reduce_lanes("sum_axis", axis, keepdim, |lane| lane.iter().sum())
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
            for o in 0..outer {
                for i in 0..inner {
                    let base = o * len * inner + i;
                    for (k, x) in lane.iter_mut().enumerate() {
                        *x = self.data[base + k * inner];
                    }
                    data.push(reduce(&lane));
                }
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
