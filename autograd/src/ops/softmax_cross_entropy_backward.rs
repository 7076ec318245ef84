//! `softmax_cross_entropy_backward(p, g) = g ⊙ (p − onehot(labels))` row by row: the
//! cross-entropy's gradient (the tutorial's `delta3`) in one pass.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;
use std::sync::Arc;

/// `out[r, j] = g[r] · (p[r, j] − [j = labels[r]])` for softmax probabilities `p` (`[m, C]`) and
/// per-row gradients `g` (`[m]`): the derivative op of
/// [`Var::softmax_cross_entropy`], inputs `[p, g]`.
#[derive(Clone)]
pub(crate) struct SoftmaxCrossEntropyBackward {
    pub(crate) labels: Arc<[usize]>,
}

impl Primitive for SoftmaxCrossEntropyBackward {
    const NAME: &'static str = "softmax_cross_entropy_backward";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dp[r, j] = dL/dout[r, j] · g[r];  dL/dg[r] = Σⱼ dL/dout[r, j] · (p[r, j] − onehot[r, j])";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].softmax_cross_entropy_slope(&self.labels, inputs[1])
    }

    /// For `out[r, j] = g[r]·(p[r, j] − onehot[r, j])`: `dL/dp[r, j] = dL/dout[r, j]·g[r]` and
    /// `dL/dg[r] = Σⱼ dL/dout[r, j]·(p[r, j] − onehot[r, j]) = Σⱼ (dL/dout ⊙ p)[r, j] −
    /// dL/dout[r, labels[r]]` (a sum and a pick).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, u: &C::V, grads: &mut Grads<'_, C::V>) {
        let rows = saved.shape(1).numel();
        grads.set(0, || c.mul(u, &c.reshape(&saved.input(1), [rows, 1].into())));
        grads.set(1, || {
            let total = c.sum_axis(&c.mul(u, &saved.input(0)), 1, false);
            c.sub(&total, &c.pick(u, &self.labels))
        });
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![OpCase::new(Self::NAME, "[3, 4]", &[(&[3, 4], n), (&[3], n)], |v| {
            let labels: Arc<[usize]> = Arc::from(&[2, 0, 3][..]);
            Var::apply(SoftmaxCrossEntropyBackward { labels }, [v[0], v[1]])
        })]
    }
}
