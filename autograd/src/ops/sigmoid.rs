//! The logistic sigmoid, a primitive so that it is evaluated stably for large |x|.

use super::Op;
use crate::calc::Calc;
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `σ(x) = 1 / (1 + e^(−x))` elementwise, evaluated without overflow for any x.
    #[track_caller]
    pub fn sigmoid(self) -> Var<'t> {
        self.record_with(Op::Sigmoid, Tensor::sigmoid)
    }
}

/// For `y = σ(x)`: `dL/dx = dL/dy ⊙ y ⊙ (1 − y)`, from the saved output. Evaluated in one pass
/// when eager (see [`Calc::fused_slope`]), which also sums the result to `sum_shape` when
/// one is given (a dense layer's bias gradient).
pub(crate) fn backward<C: Calc>(
    c: &C,
    y: &C::V,
    grad_y: &C::V,
    sum_shape: Option<Shape>,
) -> (C::V, Option<C::V>) {
    c.fused_slope(
        y,
        grad_y,
        |y, grad| grad * y * (1.0 - y),
        |c, y, grad| c.mul(&c.mul(grad, y), &c.add_scalar(&c.neg(y), 1.0)),
        sum_shape,
    )
}
