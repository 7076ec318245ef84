//! `sigmoid_backward(y, g) = g ⊙ y ⊙ (1 − y)`: the sigmoid's slope times the upstream gradient.

use super::{Grads, Primitive, Saved, Saves, Slope};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

/// `out = g ⊙ y ⊙ (1 − y)` for `y = σ(x)`: the derivative op of [`Var::sigmoid`], inputs `[y, g]`.
#[derive(Clone)]
pub(crate) struct SigmoidBackward;

impl Slope for SigmoidBackward {
    fn slope(y: f64, g: f64) -> f64 {
        g * y * (1.0 - y)
    }
}

impl Primitive for SigmoidBackward {
    const NAME: &'static str = "sigmoid_backward";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dg = dL/dout ⊙ y ⊙ (1 − y);  dL/dy = dL/dout ⊙ g ⊙ (1 − 2y)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], Self::slope)
    }

    /// For `out = g ⊙ y ⊙ (1 − y)`: `dL/dg = dL/dout ⊙ y ⊙ (1 − y)` (this op again) and
    /// `dL/dy = dL/dout ⊙ g ⊙ (1 − 2y)`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, u: &C::V, grads: &mut Grads<'_, C::V>) {
        let y = saved.input(0);
        grads.set(0, || {
            let slope = c.add_scalar(&c.scale(&y, -2.0), 1.0);
            c.mul(&c.mul(u, &saved.input(1)), &slope)
        });
        grads.set(1, || c.apply(SigmoidBackward, [&y, u]));
    }

    fn cases() -> Vec<OpCase> {
        cases::slope(Self::NAME, Domain::Normal, |v| Var::apply(SigmoidBackward, [v[0], v[1]]))
    }
}
