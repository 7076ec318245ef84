//! The hidden-layer activations `tanh` and `relu`.

use super::Op;
use crate::calc::Calc;
use crate::shape::Shape;
use crate::tensor::{Tensor, relu};
use crate::var::Var;

impl<'t> Var<'t> {
    /// `tanh x` elementwise.
    #[track_caller]
    pub fn tanh(self) -> Var<'t> {
        self.record_with(Op::Tanh, Tensor::tanh)
    }

    /// `max(x, 0)` elementwise.
    #[track_caller]
    pub fn relu(self) -> Var<'t> {
        self.record_unary(Op::Relu, relu)
    }
}

/// For `y = tanh x`: `dL/dx = dL/dy ⊙ (1 − y²)`, from the saved output (the tutorial's
/// `1 - np.power(a1, 2)`). Evaluated in one pass when eager (see [`Calc::fused_slope`]),
/// which also sums the result to `sum_shape` when one is given (a dense layer's bias gradient).
pub(crate) fn tanh_backward<C: Calc>(
    c: &C,
    y: &C::V,
    grad_y: &C::V,
    sum_shape: Option<Shape>,
) -> (C::V, Option<C::V>) {
    c.fused_slope(
        y,
        grad_y,
        |y, grad| grad * (1.0 - y * y),
        |c, y, grad| c.mul(grad, &c.add_scalar(&c.neg(&c.mul(y, y)), 1.0)),
        sum_shape,
    )
}

/// For `y = max(x, 0)`: `dL/dx = dL/dy ⊙ [x > 0]`, with the subgradient 0 chosen at `x = 0`.
/// The indicator is a constant (its derivative is 0 wherever it is defined). Summed as
/// [`tanh_backward`].
pub(crate) fn relu_backward<C: Calc>(
    c: &C,
    x: &C::V,
    grad_y: &C::V,
    sum_shape: Option<Shape>,
) -> (C::V, Option<C::V>) {
    c.fused_slope(
        x,
        grad_y,
        |x, grad| if x > 0.0 { grad } else { 0.0 },
        |c, x, grad| {
            let mask = c.constant_from(x, |x| x.map(|v| if v > 0.0 { 1.0 } else { 0.0 }));
            c.mul(grad, &mask)
        },
        sum_shape,
    )
}
