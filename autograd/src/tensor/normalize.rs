//! Standardising lanes along an axis, `(x − μ)/√(σ² + eps)` (a layer norm before its gain and
//! bias), and the kernel of its backward rule: each lane read from memory once, its sums taken
//! while it is in cache.

use super::Tensor;
use super::reduce::lane_starts;
use crate::kernels::storage;

/// `Σ f(i)` over `0..len`, in four interleaved partial sums (`i mod 4`) added at the end: four
/// independent chains of additions instead of one, which the CPU runs side by side. (A lane of
/// a transformer's width, 32 values, is summed in a quarter of the time.)
#[inline(always)]
fn sum_by_fours(len: usize, f: impl Fn(usize) -> f64) -> f64 {
    let mut partial = [0.0; 4];
    let whole = len - len % 4;
    for first in (0..whole).step_by(4) {
        for (lane, sum) in partial.iter_mut().enumerate() {
            *sum += f(first + lane);
        }
    }
    for (lane, i) in (whole..len).enumerate() {
        partial[lane] += f(i);
    }
    (partial[0] + partial[1]) + (partial[2] + partial[3])
}

/// A lane's mean `μ` and `1/σ` with `σ = √(variance + eps)`, the variance biased (divided by
/// the lane's length) and summed about the mean, as a layer norm defines them.
#[inline(always)]
fn lane_statistics(lane: &[f64], eps: f64) -> (f64, f64) {
    let n = lane.len() as f64;
    let mean = sum_by_fours(lane.len(), |i| lane[i]) / n;
    let variance = sum_by_fours(lane.len(), |i| (lane[i] - mean) * (lane[i] - mean)) / n;
    (mean, 1.0 / (variance + eps).sqrt())
}

/// Appends `(x − μ)/σ` for one lane to `out`.
fn standardise(x: &[f64], eps: f64, out: &mut Vec<f64>) {
    let (mean, inverse_sigma) = lane_statistics(x, eps);
    out.extend(x.iter().map(|x| (x - mean) * inverse_sigma));
}

/// Appends `(g − mean(g) − x̂·mean(g ⊙ x̂))/σ` for one lane to `out`, with `x̂ = (x − μ)/σ`.
fn standardise_slope(x: &[f64], g: &[f64], eps: f64, out: &mut Vec<f64>) {
    let (mean, inverse_sigma) = lane_statistics(x, eps);
    let n = x.len() as f64;
    let g = &g[..x.len()];
    let g_mean = sum_by_fours(x.len(), |i| g[i]) / n;
    let gx_mean = sum_by_fours(x.len(), |i| g[i] * ((x[i] - mean) * inverse_sigma)) / n;
    out.extend(
        x.iter()
            .zip(g)
            .map(|(x, g)| (g - g_mean - (x - mean) * inverse_sigma * gx_mean) * inverse_sigma),
    );
}

impl Tensor {
    /// `(x − μ)/√(σ² + eps)` along `axis`, with `μ` and `σ²` each lane's mean and biased
    /// variance: the forward kernel of [`Var::normalize`](crate::Var::normalize).
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub(crate) fn normalize_axis(&self, axis: usize, eps: f64) -> Tensor {
        self.map_lanes("normalize", axis, self, |x, _, out| {
            standardise(x, eps, out)
        })
    }

    /// `(g − mean(g) − x̂·mean(g ⊙ x̂))/σ` along `axis`, where `x` (this tensor) is what was
    /// standardised and `g` the gradient of the standardised values: the backward kernel of
    /// [`Var::normalize`](crate::Var::normalize).
    ///
    /// # Panics
    /// If `axis` is not below the rank, or `grad`'s shape differs from this tensor's.
    #[track_caller]
    pub(crate) fn normalize_slope(&self, grad: &Tensor, axis: usize, eps: f64) -> Tensor {
        assert_eq!(
            self.shape, grad.shape,
            "normalize_backward: a gradient of shape {} for an input of shape {}",
            grad.shape, self.shape
        );
        self.map_lanes("normalize_backward", axis, grad, |x, g, out| {
            standardise_slope(x, g, eps, out)
        })
    }

    /// A tensor of this one's shape whose every lane along `axis` is what `lane(x, y, out)`
    /// appends to `out` (as many values as the lane holds), for the same lanes of this tensor
    /// (`x`) and of `other` (`y`, of the same shape).
    #[track_caller]
    fn map_lanes(
        &self,
        op: &str,
        axis: usize,
        other: &Tensor,
        lane: impl Fn(&[f64], &[f64], &mut Vec<f64>),
    ) -> Tensor {
        let (outer, len, inner) = self.lanes_of(op, axis);
        if inner == 1 || len == 0 {
            // The last axis: each lane is a contiguous run of the data, and the lanes' values
            // follow each other in the output.
            let mut out = storage::with_capacity(self.data.len());
            let lanes = self
                .data
                .chunks(len.max(1))
                .zip(other.data.chunks(len.max(1)));
            for (x, y) in lanes {
                lane(x, y, &mut out);
            }
            return Tensor::from_vec(out, self.shape);
        }
        // Another axis: each lane is gathered from every `inner`-th value, and scattered back.
        let mut out = storage::zeroed(self.data.len());
        let (mut x, mut y) = (vec![0.0; len], vec![0.0; len]);
        let mut result = Vec::with_capacity(len);
        for first in lane_starts(outer, len, inner) {
            let at = |step: usize| first + step * inner;
            for step in 0..len {
                (x[step], y[step]) = (self.data[at(step)], other.data[at(step)]);
            }
            result.clear();
            lane(&x, &y, &mut result);
            for (step, value) in result.iter().enumerate() {
                out[at(step)] = *value;
            }
        }
        Tensor::from_vec(out, self.shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, from the tensor's elementwise and reduction kernels: `(x − μ)/√(σ² + eps)`.
    fn composed(x: &Tensor, axis: usize, eps: f64) -> Tensor {
        let n = x.dims()[axis] as f64;
        let mean = x.sum_axis(axis, true).map(|s| s / n);
        let centred = x.zip_map(&mean, |x, m| x - m);
        let variance = centred.map(|c| c * c).sum_axis(axis, true).map(|s| s / n);
        centred.zip_map(&variance, |c, v| c / (v + eps).sqrt())
    }

    fn sample(dims: &[usize]) -> Tensor {
        let len = dims.iter().product::<usize>();
        let values = (0..len).map(|i| ((i * 37 % 17) as f64 - 8.0) * 0.3 + (i as f64).sin());
        Tensor::from_vec(values.collect(), dims)
    }

    #[test]
    fn every_lane_along_any_axis_is_standardised_as_defined() {
        for (dims, axis) in [
            (&[5][..], 0),
            (&[3, 4], 1),
            (&[3, 4], 0),
            (&[2, 3, 4], 1),
            (&[2, 3, 1], 2),
        ] {
            let x = sample(dims);
            let (got, expected) = (x.normalize_axis(axis, 1e-5), composed(&x, axis, 1e-5));
            for (g, e) in got.data().iter().zip(expected.data()) {
                assert!(
                    (g - e).abs() <= 1e-14 * e.abs().max(1.0),
                    "{dims:?} axis {axis}: {g} against {e}"
                );
            }
            let (mean, spread) = (
                got.sum_axis(axis, false),
                got.map(|v| v * v).sum_axis(axis, false),
            );
            let n = dims[axis] as f64;
            assert!(
                mean.data().iter().all(|m| m.abs() < 1e-12),
                "{dims:?}: means {mean:?}"
            );
            if n > 1.0 {
                assert!(
                    spread.data().iter().all(|s| (s / n - 1.0).abs() < 1e-3),
                    "{dims:?}: {spread:?}"
                );
            }
        }
    }

    /// The slope kernel against its definition: `(g − mean(g) − x̂·mean(g ⊙ x̂))/σ`, from the
    /// tensor's own kernels.
    #[test]
    fn the_slope_is_the_vector_jacobian_product_as_defined() {
        for (dims, axis) in [(&[3, 4][..], 1), (&[3, 4], 0), (&[2, 3, 4], 1)] {
            let (x, g) = (sample(dims), sample(dims).map(|v| v.cos()));
            let eps = 1e-5;
            let n = dims[axis] as f64;
            let x_hat = composed(&x, axis, eps);
            let mean = x.sum_axis(axis, true).map(|s| s / n);
            let sigma = x
                .zip_map(&mean, |x, m| (x - m) * (x - m))
                .sum_axis(axis, true)
                .map(|s| (s / n + eps).sqrt());
            let g_mean = g.sum_axis(axis, true).map(|s| s / n);
            let gx_mean = g
                .zip_map(&x_hat, |g, h| g * h)
                .sum_axis(axis, true)
                .map(|s| s / n);
            let expected = g
                .zip_map(&g_mean, |g, a| g - a)
                .zip_map(&x_hat.zip_map(&gx_mean, |h, b| h * b), |d, hb| d - hb)
                .zip_map(&sigma, |d, s| d / s);
            let got = x.normalize_slope(&g, axis, eps);
            for (g, e) in got.data().iter().zip(expected.data()) {
                assert!(
                    (g - e).abs() <= 1e-13 * e.abs().max(1.0),
                    "{dims:?} axis {axis}: {g} against {e}"
                );
            }
        }
    }

    #[test]
    fn a_constant_lane_standardises_to_zeros_and_an_empty_one_to_nothing() {
        let x = Tensor::from_rows(&[[2.0, 2.0, 2.0]]);
        assert_eq!(x.normalize_axis(1, 1e-5).data(), &[0.0; 3]);
        let empty = Tensor::zeros([2, 0]);
        assert_eq!(empty.normalize_axis(1, 1e-5).dims(), &[2, 0]);
    }

    #[test]
    #[should_panic(expected = "normalize: axis 2 is out of range")]
    fn an_axis_past_the_rank_is_refused() {
        Tensor::zeros([2, 3]).normalize_axis(2, 1e-5);
    }
}
