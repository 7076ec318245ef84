//! The exponential and the natural logarithm.

use super::Op;
use crate::calc::Calc;
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `eˣ` elementwise.
    #[track_caller]
    pub fn exp(self) -> Var<'t> {
        self.record_with(Op::Exp, Tensor::exp)
    }

    /// The natural logarithm elementwise (`-inf` at 0, NaN below).
    #[track_caller]
    pub fn log(self) -> Var<'t> {
        self.record_with(Op::Log, Tensor::ln)
    }
}

/// For `y = eˣ`: `dL/dx = dL/dy ⊙ y`, reusing the saved output.
pub(crate) fn exp_backward<C: Calc>(c: &C, y: &C::V, grad_y: &C::V) -> C::V {
    c.mul(grad_y, y)
}

/// For `y = ln x`: `dL/dx = dL/dy / x`.
pub(crate) fn log_backward<C: Calc>(c: &C, x: &C::V, grad_y: &C::V) -> C::V {
    c.div(grad_y, x)
}
