//! The absolute value.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `|x|` elementwise. Backward: `dL/dx = dL/dy ⊙ sign(x)`, with 0 at `x = 0`.
    #[track_caller]
    pub fn abs(self) -> Var<'t> {
        Var::apply(Abs, [self])
    }
}

/// `y = |x|`.
#[derive(Clone)]
pub(crate) struct Abs;

impl Primitive for Abs {
    const NAME: &'static str = "abs";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = dL/dy ⊙ sign(x)  (0 at x = 0)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(f64::abs)
    }

    /// For `y = |x|`: `dL/dx = dL/dy ⊙ sign(x)`, with the subgradient 0 chosen at `x = 0` (the
    /// middle of the subdifferential `[−1, 1]`, as PyTorch and JAX choose). The sign is a
    /// constant: its derivative is 0 wherever it is defined.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || {
            let sign = c.constant_from(&saved.input(0), |x| x.map(sign_or_zero));
            c.mul(g, &sign)
        });
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::AwayFromZero, |v| v[0].abs())
    }
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
