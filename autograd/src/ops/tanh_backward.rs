//! `tanh_backward(y, g) = g ⊙ (1 − y²)`: tanh's slope times the upstream gradient, one pass.

use super::{Grads, Primitive, Saved, Saves, Slope};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

/// `out = g ⊙ (1 − y²)` for `y = tanh x`: the derivative op of [`Var::tanh`], inputs `[y, g]`.
#[derive(Clone)]
pub(crate) struct TanhBackward;

impl Slope for TanhBackward {
    fn slope(y: f64, g: f64) -> f64 {
        g * (1.0 - y * y)
    }
}

impl Primitive for TanhBackward {
    const NAME: &'static str = "tanh_backward";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dg = dL/dout ⊙ (1 − y²);  dL/dy = dL/dout ⊙ g ⊙ (−2y)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], Self::slope)
    }

    /// For `out = g ⊙ (1 − y²)`: `dL/dg = dL/dout ⊙ (1 − y²)` (this op again) and
    /// `dL/dy = dL/dout ⊙ g ⊙ (−2y)`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, u: &C::V, grads: &mut Grads<'_, C::V>) {
        let y = saved.input(0);
        grads.set(0, || c.scale(&c.mul(&c.mul(u, &saved.input(1)), &y), -2.0));
        grads.set(1, || c.apply(TanhBackward, [&y, u]));
    }

    fn cases() -> Vec<OpCase> {
        cases::slope(Self::NAME, Domain::Normal, |v| Var::apply(TanhBackward, [v[0], v[1]]))
    }
}
