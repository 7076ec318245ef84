//! Softmax and log-softmax along an axis, primitives for stability on large logits.

use super::Op;
use crate::calc::Calc;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `exp(x) / Σ exp(x)` along `axis` (each lane sums to 1), shifted by the lane's maximum so
    /// that logits of ±1e4 stay finite.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn softmax(self, axis: usize) -> Var<'t> {
        self.check_axis("softmax", axis);
        self.record_with(Op::Softmax { axis }, |x| x.softmax_axis(axis))
    }

    /// `x − log Σ exp(x)` along `axis`: the log of [`softmax`](Var::softmax), computed without
    /// forming the softmax, so it is finite wherever the logits are.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn log_softmax(self, axis: usize) -> Var<'t> {
        self.check_axis("log_softmax", axis);
        self.record_with(Op::LogSoftmax { axis }, |x| x.log_softmax_axis(axis))
    }
}

/// For `y = softmax(x)` along an axis: `dL/dx = y ⊙ (dL/dy − Σ_axis(dL/dy ⊙ y))`, from the
/// Jacobian `∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ)`.
pub(crate) fn softmax_backward<C: Calc>(c: &C, y: &C::V, grad_y: &C::V, axis: usize) -> C::V {
    let projection = c.sum_axis(&c.mul(grad_y, y), axis, true);
    c.mul(y, &c.sub(grad_y, &projection))
}

/// For `y = log_softmax(x)` along an axis: `dL/dx = dL/dy − exp(y) ⊙ Σ_axis dL/dy`, from
/// `∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ` with `softmax(x) = exp(y)`. With the cross-entropy's one-hot
/// upstream gradient this is the tutorial's `delta3 = probs − onehot(y)`.
///
/// Eager mode computes it lane by lane in one kernel; recording mode records the formula.
pub(crate) fn log_softmax_backward<C: Calc>(c: &C, y: &C::V, grad_y: &C::V, axis: usize) -> C::V {
    c.fused(
        [y, grad_y],
        |[y, grad_y]| y.log_softmax_slope(grad_y, axis),
        |c, [y, grad_y]| {
            let total = c.sum_axis(grad_y, axis, true);
            c.sub(grad_y, &c.mul(&c.exp(y), &total))
        },
    )
}
