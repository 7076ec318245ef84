//! The softmax family along an axis (log-sum-exp, softmax, log-softmax) and softmax
//! cross-entropy, all shifted by each lane's maximum so that large logits do not overflow.

use super::Tensor;
use super::reduce::lane_max;
use crate::kernels::fastmath::{Vectorised, mapped};
use crate::kernels::lanes::{by_lane_width, lane_width};
use crate::kernels::storage;
use std::mem::MaybeUninit;

/// The lanes along the last axis, shifted for stability, with their exponentials and totals.
struct LastAxisLanes {
    /// The lane length.
    len: usize,
    /// `x − m`, with `m` the lane's maximum (0 when that is not finite).
    shifted: Vec<f64>,
    /// `exp(x − m)`.
    exps: Vec<f64>,
    /// `Σ exp(x − m)` per lane.
    totals: Vec<f64>,
}

impl Drop for LastAxisLanes {
    /// Gives the buffers not taken over by a result back for reuse.
    fn drop(&mut self) {
        for buffer in [&mut self.shifted, &mut self.exps, &mut self.totals] {
            storage::recycle(std::mem::take(buffer));
        }
    }
}

/// The lanes of `len` values in `data` (see [`lane_width`] for `WIDTH`).
#[inline(always)]
fn shifted_lanes<const WIDTH: usize>(data: &[f64], len: usize) -> LastAxisLanes {
    let len = lane_width::<WIDTH>(len);
    let mut shifted = storage::with_capacity(data.len());
    let outputs = shifted.spare_capacity_mut()[..data.len()].chunks_exact_mut(len);
    for (output, lane) in outputs.zip(data.chunks_exact(len)) {
        let shift = stabilising_shift(lane);
        for (out, x) in output.iter_mut().zip(lane) {
            out.write(x - shift);
        }
    }
    // SAFETY: the lanes tile `data`, so every one of its `data.len()` elements was written.
    unsafe { shifted.set_len(data.len()) };
    let exps = mapped(&shifted, Vectorised::Exp);
    let mut totals = storage::with_capacity(exps.len() / len);
    totals.extend(exps.chunks_exact(len).map(|lane| lane.iter().sum::<f64>()));
    LastAxisLanes {
        len,
        shifted,
        exps,
        totals,
    }
}

/// The maximum of a lane (NaN if it holds one), or 0 when that is not finite, so that
/// infinities propagate as numpy's would instead of turning into `inf − inf`.
#[inline(always)]
fn stabilising_shift(lane: &[f64]) -> f64 {
    let max = lane_max(lane);
    if max.is_finite() { max } else { 0.0 }
}

/// Divides each lane of `len` values of `exps` by its total (`totals` holds one per lane; see
/// [`lane_width`] for `WIDTH`).
#[inline(always)]
fn divide_lanes<const WIDTH: usize>(exps: &mut [f64], totals: &[f64], len: usize) {
    for (lane, total) in exps.chunks_exact_mut(lane_width::<WIDTH>(len)).zip(totals) {
        for e in lane {
            *e /= total;
        }
    }
}

/// `out[r, j] = (probs[r, j] − [j = labels[r]])·grad[r]` for rows of `columns` probabilities
/// (see [`lane_width`] for `WIDTH`), writing every cell of `out`.
#[inline(always)]
fn cross_entropy_slopes<const WIDTH: usize>(
    probs: &[f64],
    labels: &[usize],
    grad: &[f64],
    out: &mut [MaybeUninit<f64>],
    columns: usize,
) {
    let width = lane_width::<WIDTH>(columns);
    let rows = out.chunks_exact_mut(width).zip(probs.chunks_exact(width));
    for ((out_row, probs_row), (&label, &g)) in rows.zip(labels.iter().zip(grad)) {
        for (j, (cell, &p)) in out_row.iter_mut().zip(probs_row).enumerate() {
            let onehot = if j == label { 1.0 } else { 0.0 };
            cell.write((p - onehot) * g);
        }
    }
}

impl Tensor {
    /// `log Σ exp(x)` along `axis`, computed as `m + log Σ exp(x − m)` with `m` the lane's maximum so
    /// that large logits do not overflow.
    #[track_caller]
    pub fn logsumexp_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        let (shift, exps) = self.shifted_exponentials("logsumexp", axis);
        let mut totals = exps.sum_axis(axis, keepdim);
        let logs = totals.ln();
        for ((total, log), shift) in totals
            .data
            .make_mut()
            .iter_mut()
            .zip(logs.data.iter())
            .zip(shift.data.iter())
        {
            *total = shift + log;
        }
        totals
    }

    /// `exp(x) / Σ exp(x)` along `axis`, shifted by the lane's maximum for stability.
    #[track_caller]
    pub fn softmax_axis(&self, axis: usize) -> Tensor {
        if let Some(mut lanes) = self.last_axis_lanes("softmax", axis) {
            let mut exps = std::mem::take(&mut lanes.exps);
            by_lane_width!(lanes.len, divide_lanes(&mut exps, &lanes.totals, lanes.len));
            return Tensor::from_vec(exps, self.shape);
        }
        let (_, exps) = self.shifted_exponentials("softmax", axis);
        let totals = exps.sum_axis(axis, true);
        exps.zip_map(&totals, |e, total| e / total)
    }

    /// `x − log Σ exp(x)` along `axis`, stable for large logits.
    #[track_caller]
    pub fn log_softmax_axis(&self, axis: usize) -> Tensor {
        // (x − m) − log Σ exp(x − m): subtracting the shift first keeps small differences exact.
        if let Some(mut lanes) = self.last_axis_lanes("log_softmax", axis) {
            let log_totals = mapped(&lanes.totals, Vectorised::Ln);
            let mut shifted = std::mem::take(&mut lanes.shifted);
            for (lane, log_total) in shifted.chunks_exact_mut(lanes.len).zip(&log_totals) {
                lane.iter_mut().for_each(|d| *d -= log_total);
            }
            storage::recycle(log_totals);
            return Tensor::from_vec(shifted, self.shape);
        }
        let (shift, exps) = self.shifted_exponentials("log_softmax", axis);
        let log_totals = exps.sum_axis(axis, true).ln();
        let shifted = self.zip_map(&shift, |x, m| x - m);
        shifted.zip_map(&log_totals, |d, log_total| d - log_total)
    }

    /// For the last axis (each lane a contiguous run of the data, the common case): the lanes
    /// shifted by their stabilising shifts, their exponentials and the lanes' totals, in one
    /// pass per quantity and the same arithmetic as [`shifted_exponentials`](Self::shifted_exponentials)
    /// followed by a sum. `None` for any other axis, or lanes of length 0.
    #[track_caller]
    fn last_axis_lanes(&self, op: &str, axis: usize) -> Option<LastAxisLanes> {
        let (_, len, inner) = self.lanes_of(op, axis);
        if inner != 1 || len == 0 {
            return None;
        }
        // Lanes as narrow as the tutorial's two classes get loops unrolled for their width.
        Some(by_lane_width!(len, shifted_lanes(&self.data, len)))
    }

    /// The stabilising shift of each lane along `axis` (its maximum, or 0 when that is not finite,
    /// so that infinities propagate as numpy's would instead of turning into `inf − inf`), kept
    /// with size 1 on the axis, and `exp(x − shift)`.
    #[track_caller]
    fn shifted_exponentials(&self, op: &str, axis: usize) -> (Tensor, Tensor) {
        self.lanes_of(op, axis);
        let mut shift = self.max_axis(axis, true);
        shift.map_in_place(|m| if m.is_finite() { m } else { 0.0 });
        let exps = self.zip_map(&shift, |x, m| x - m).exp();
        (shift, exps)
    }

    /// The softmax cross-entropy of each row of `[m, C]` logits against its class:
    /// `−log softmax(x)[r, labels[r]] = log Σⱼ exp(x[r, j]) − x[r, labels[r]]`, a rank-1 tensor of
    /// `m` losses. Exactly the negated [`log_softmax_axis`](Tensor::log_softmax_axis)`(1)` picked at
    /// the labels, in one pass.
    ///
    /// # Panics
    /// If `self` is not rank 2, there is not one label per row, or a label is not below `C`.
    #[track_caller]
    pub fn softmax_cross_entropy(&self, labels: &[usize]) -> Tensor {
        self.rows_and_cols("softmax_cross_entropy", labels);
        self.softmax_cross_entropy_and_probs(labels).0
    }

    /// [`softmax_cross_entropy`](Tensor::softmax_cross_entropy) and the softmax of each row,
    /// `exp(x − m)/Σ exp(x − m)`, which the op keeps for its backward rule (so that the
    /// backward pass does not take the exponentials again). The shape and labels must have been
    /// checked already (rank 2, one label per row, each below `C`): the op checks them, naming
    /// its caller's line, and the public kernel above with `rows_and_cols`, so that a training
    /// step does not read every label twice.
    pub(crate) fn softmax_cross_entropy_and_probs(&self, labels: &[usize]) -> (Tensor, Tensor) {
        let (rows, columns) = (self.dims()[0], self.dims()[1]);
        debug_assert!(rows == labels.len() && labels.iter().all(|&label| label < columns));
        let Some(mut lanes) = self.last_axis_lanes("softmax_cross_entropy", 1) else {
            // No columns, hence no rows (every label would be out of range).
            return (Tensor::zeros([rows]), self.clone());
        };
        let log_totals = mapped(&lanes.totals, Vectorised::Ln);
        // −((x − m) − log Σ) is (log Σ − (x − m)) exactly: IEEE subtraction is antisymmetric.
        let mut losses = storage::with_capacity(rows);
        losses.extend(
            labels
                .iter()
                .zip(&log_totals)
                .enumerate()
                .map(|(row, (&label, log_total))| log_total - lanes.shifted[row * columns + label]),
        );
        storage::recycle(log_totals);
        let mut probs = std::mem::take(&mut lanes.exps);
        by_lane_width!(columns, divide_lanes(&mut probs, &lanes.totals, columns));
        (
            Tensor::from_vec(losses, [rows]),
            Tensor::from_vec(probs, self.shape),
        )
    }

    /// `grad[r]·(probs[r, :] − onehot(labels[r]))` for every row `r` of `[m, C]` softmax
    /// probabilities (this tensor) and an upstream gradient of `m` values: the backward kernel
    /// of [`Var::softmax_cross_entropy`](crate::Var::softmax_cross_entropy), in one pass.
    pub(crate) fn softmax_cross_entropy_slope(&self, labels: &[usize], grad: &Tensor) -> Tensor {
        let (rows, columns) = (self.dims()[0], self.dims()[1]);
        assert!(
            labels.len() == rows && grad.len() == rows,
            "softmax_cross_entropy: probabilities {} with {} labels and {} gradients",
            self.shape,
            labels.len(),
            grad.len()
        );
        if columns == 0 {
            return self.clone();
        }
        let mut slopes = storage::with_capacity(self.len());
        let cells = &mut slopes.spare_capacity_mut()[..self.len()];
        let (probs, grad) = (&self.data[..], grad.data());
        by_lane_width!(
            columns,
            cross_entropy_slopes(probs, labels, grad, cells, columns)
        );
        // SAFETY: a row of `columns` slopes was written for each of the `rows` rows (one label
        // and one gradient each, checked above), which tile the `len` cells.
        unsafe { slopes.set_len(self.len()) };
        Tensor::from_vec(slopes, self.shape)
    }

    /// `grad − exp(y)·Σ grad` along `axis`, where `y` (this tensor) is a log-softmax output: the
    /// backward kernel of [`Var::log_softmax`](crate::Var::log_softmax), in one pass per lane
    /// along the last axis.
    #[track_caller]
    pub(crate) fn log_softmax_slope(&self, grad: &Tensor, axis: usize) -> Tensor {
        let (_, len, inner) = self.lanes_of("log_softmax", axis);
        if inner != 1 || len == 0 {
            let total = grad.sum_axis(axis, true);
            return grad.zip_map(&self.exp().zip_map(&total, |p, t| p * t), |g, pt| g - pt);
        }
        let mut slopes = mapped(&self.data, Vectorised::Exp);
        let lanes = slopes
            .chunks_exact_mut(len)
            .zip(grad.data.chunks_exact(len));
        for (lane, grad_lane) in lanes {
            let total: f64 = grad_lane.iter().sum();
            for (p, &g) in lane.iter_mut().zip(grad_lane) {
                *p = g - *p * total;
            }
        }
        Tensor::from_vec(slopes, self.shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Tensor {
        Tensor::from_rows(&[[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    }

    #[test]
    fn softmax_family_is_stable_on_huge_logits() {
        let logits = Tensor::from_rows(&[[1e4, 0.0], [-1e4, -1e4]]);
        let soft = logits.softmax_axis(1);
        assert_eq!(soft.data(), &[1.0, 0.0, 0.5, 0.5]);
        let log_soft = logits.log_softmax_axis(1);
        assert_eq!(
            log_soft.data(),
            &[0.0, -1e4, -std::f64::consts::LN_2, -std::f64::consts::LN_2]
        );
        let lse = logits.logsumexp_axis(1, false);
        assert_eq!(lse.data(), &[1e4, -1e4 + std::f64::consts::LN_2]);
    }

    #[test]
    fn softmax_along_axis_zero_normalises_columns() {
        let soft = grid().softmax_axis(0);
        let column_sums = soft.sum_axis(0, false);
        for total in column_sums.data() {
            assert!((total - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn softmax_cross_entropy_is_the_negated_log_softmax_at_the_labels() {
        for logits in [
            grid(),
            Tensor::from_rows(&[[1e4, 0.0], [-1e4, -1e4], [0.3, -0.2]]),
        ] {
            let labels: Vec<usize> = (0..logits.dims()[0]).map(|r| r % 2).collect();
            let expected = logits.log_softmax_axis(1).pick_per_row(&labels).map(|x| -x);
            assert_eq!(logits.softmax_cross_entropy(&labels), expected);
        }
    }

    #[test]
    fn the_cross_entropy_slope_is_probabilities_minus_one_hot() {
        let logits = grid();
        let grad = Tensor::from_vec(vec![2.0, -0.5], [2]);
        let (_, kept) = logits.softmax_cross_entropy_and_probs(&[1, 2]);
        let slope = kept.softmax_cross_entropy_slope(&[1, 2], &grad);
        let probs = logits.softmax_axis(1);
        for (r, (label, g)) in [(1, 2.0), (2, -0.5)].into_iter().enumerate() {
            for j in 0..3 {
                let onehot = if j == label { 1.0 } else { 0.0 };
                let expected = g * (probs[[r, j]] - onehot);
                assert!((slope[[r, j]] - expected).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn the_cross_entropy_slope_matches_its_definition_for_every_lane_width() {
        for columns in 1..=6 {
            let rows = 3;
            let logits = Tensor::from_vec(
                (0..rows * columns)
                    .map(|i| (i as f64 * 0.7).sin() * 3.0)
                    .collect(),
                [rows, columns],
            );
            let labels: Vec<usize> = (0..rows).map(|r| (r * 2) % columns).collect();
            let grad = Tensor::from_vec(vec![1.0, -0.5, 2.5], [rows]);
            let (losses, probs) = logits.softmax_cross_entropy_and_probs(&labels);
            let slope = probs.softmax_cross_entropy_slope(&labels, &grad);
            for r in 0..rows {
                // The softmax of the row by the definition, with libm's exp.
                let total: f64 = (0..columns).map(|j| logits[[r, j]].exp()).sum();
                // And the loss: log Σ exp(x) − x[label].
                let loss = total.ln() - logits[[r, labels[r]]];
                let scale = total.ln().abs() + logits[[r, labels[r]]].abs();
                assert!(
                    (losses[[r]] - loss).abs() <= 1e-15 * scale,
                    "{columns} columns: loss"
                );
                for j in 0..columns {
                    let p = logits[[r, j]].exp() / total;
                    assert!((probs[[r, j]] - p).abs() < 1e-15, "{columns} columns");
                    let onehot = if j == labels[r] { 1.0 } else { 0.0 };
                    let expected = (p - onehot) * grad[[r]];
                    let error = (slope[[r, j]] - expected).abs();
                    assert!(
                        error < 1e-15,
                        "{columns} columns, [{r}, {j}]: off by {error:e}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_cross_entropy_of_an_empty_batch_is_empty_with_an_empty_slope() {
        for columns in [1, 2, 5] {
            let logits = Tensor::zeros([0, columns]);
            let (losses, probs) = logits.softmax_cross_entropy_and_probs(&[]);
            assert_eq!(losses.dims(), &[0]);
            let slope = probs.softmax_cross_entropy_slope(&[], &Tensor::zeros([0]));
            assert_eq!(slope.dims(), &[0, columns]);
        }
    }

    #[test]
    #[should_panic(
        expected = "softmax_cross_entropy: index 3 in row 1 is out of range for shape [2, 3]"
    )]
    fn softmax_cross_entropy_rejects_a_label_out_of_range() {
        let _ = grid().softmax_cross_entropy(&[0, 3]);
    }
}
