//! The maximum along an axis.

use super::Op;
use super::sum::restore_axis;
use crate::calc::Calc;
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// The maximum along `axis`, keeping the axis with size 1 when `keepdim`.
    ///
    /// # Panics
    /// If `axis` is not below the rank, or the axis is empty.
    #[track_caller]
    pub fn max_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("max_axis", axis);
        self.record_with(Op::MaxAxis { axis, keepdim }, |x| x.max_axis(axis, keepdim))
    }
}

/// For `y = max_axis(x)`: `dL/dx = broadcast(dL/dy) ⊙ onehot(argmax)`: the gradient goes to the
/// position of the maximum. On ties the first maximal position takes it all (a valid subgradient;
/// it keeps `Σ dL/dx = Σ dL/dy`).
pub(crate) fn backward<C: Calc>(
    c: &C,
    x: &C::V,
    grad_y: &C::V,
    axis: usize,
    keepdim: bool,
) -> C::V {
    let x_shape = c.shape(x);
    let mask = c.constant_from(x, |x| argmax_mask(x, axis));
    let kept = restore_axis(c, grad_y, x_shape, axis, keepdim);
    c.mul(&c.broadcast_to(&kept, x_shape), &mask)
}

/// 1 at the first maximum of each lane along `axis`, 0 elsewhere.
fn argmax_mask(x: &Tensor, axis: usize) -> Tensor {
    let (_, len, inner) = x.shape().split_at_axis(axis);
    let mut mask = Tensor::zeros(x.shape());
    for (lane, best) in x.argmax_axis(axis).into_iter().enumerate() {
        let (o, i) = (lane / inner, lane % inner);
        mask.data_mut()[o * len * inner + best * inner + i] = 1.0;
    }
    mask
}
