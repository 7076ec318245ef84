//! Log-sum-exp along an axis, a primitive so that it is evaluated stably.

use super::Op;
use super::sum::restore_axis;
use crate::calc::Calc;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `log Σ exp(x)` along `axis`, stable for large values (the maximum is factored out), keeping
    /// the axis with size 1 when `keepdim`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn logsumexp(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("logsumexp", axis);
        self.record_with(Op::LogSumExp { axis, keepdim }, |x| {
            x.logsumexp_axis(axis, keepdim)
        })
    }
}

/// For `y = log Σ_axis exp(x)`: `dL/dx = broadcast(dL/dy) ⊙ exp(x − y)`, i.e. the upstream
/// gradient times `softmax(x)` along the axis; `x − y ≤ 0`, so the exponential cannot overflow.
pub(crate) fn backward<C: Calc>(
    c: &C,
    x: &C::V,
    y: &C::V,
    grad_y: &C::V,
    axis: usize,
    keepdim: bool,
) -> C::V {
    let x_shape = c.shape(x);
    let y_kept = restore_axis(c, y, x_shape, axis, keepdim);
    let grad_kept = restore_axis(c, grad_y, x_shape, axis, keepdim);
    let softmax = c.exp(&c.sub(x, &y_kept));
    c.mul(&grad_kept, &softmax)
}
