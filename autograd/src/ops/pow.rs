//! Powers: `x^p` for a constant `p`, the square, and the square root.

use super::Op;
use crate::calc::Calc;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `x^p` elementwise for a constant exponent (IEEE `powf`: a negative base with a
    /// non-integer exponent gives NaN).
    #[track_caller]
    pub fn powf(self, exponent: f64) -> Var<'t> {
        self.record_unary(Op::PowScalar(exponent), |x| x.powf(exponent))
    }

    /// `x²` elementwise.
    #[track_caller]
    pub fn square(self) -> Var<'t> {
        self.record_unary(Op::Square, |x| x * x)
    }

    /// `√x` elementwise (NaN below zero).
    #[track_caller]
    pub fn sqrt(self) -> Var<'t> {
        self.record_unary(Op::Sqrt, f64::sqrt)
    }
}

/// For `y = x^p`: `dL/dx = dL/dy ⊙ p·x^(p−1)`; for `p = 0` the slope is 0 everywhere.
pub(crate) fn powf_backward<C: Calc>(c: &C, x: &C::V, grad_y: &C::V, exponent: f64) -> C::V {
    if exponent == 0.0 {
        return c.scale(grad_y, 0.0);
    }
    let slope = c.scale(&c.powf(x, exponent - 1.0), exponent);
    c.mul(grad_y, &slope)
}

/// For `y = x²`: `dL/dx = 2·x ⊙ dL/dy`.
pub(crate) fn square_backward<C: Calc>(c: &C, x: &C::V, grad_y: &C::V) -> C::V {
    c.scale(&c.mul(grad_y, x), 2.0)
}

/// For `y = √x`: `dL/dx = dL/dy / (2·y)`, from the saved output (infinite at `x = 0`).
pub(crate) fn sqrt_backward<C: Calc>(c: &C, y: &C::V, grad_y: &C::V) -> C::V {
    c.div(&c.scale(grad_y, 0.5), y)
}
