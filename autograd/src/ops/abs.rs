//! The absolute value.

use super::Op;
use crate::calc::Calc;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `|x|` elementwise.
    #[track_caller]
    pub fn abs(self) -> Var<'t> {
        self.record_unary(Op::Abs, f64::abs)
    }
}

/// For `y = |x|`: `dL/dx = dL/dy ⊙ sign(x)`, with the subgradient 0 chosen at `x = 0`
/// (the middle of the subdifferential `[−1, 1]`, as PyTorch and JAX choose).
pub(crate) fn backward<C: Calc>(c: &C, x: &C::V, grad_y: &C::V) -> C::V {
    let sign = c.constant_from(x, |x| x.map(sign_or_zero));
    c.mul(grad_y, &sign)
}

fn sign_or_zero(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}
