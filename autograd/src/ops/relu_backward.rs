//! `relu_backward(x, g) = [x > 0] ? g : 0`: relu's mask applied to the upstream gradient.

use super::{Grads, Primitive, Saved, Saves, Slope};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

/// `out = g` where `x > 0`, `+0` elsewhere: the derivative op of [`Var::relu`], inputs `[x, g]`.
///
/// A selection, not a product with a 0/1 mask: where `x ≤ 0` (or is NaN) the result is `+0`
/// even when `g` is NaN or infinite, and `−0` upstream at `x > 0` stays `−0`. Both backward
/// modes run this one function, so they agree bit for bit. (`x` may also be relu's output,
/// which is positive exactly where its input is.)
#[derive(Clone)]
pub(crate) struct ReluBackward;

impl Slope for ReluBackward {
    fn slope(x: f64, g: f64) -> f64 {
        if x > 0.0 { g } else { 0.0 }
    }
}

impl Primitive for ReluBackward {
    const NAME: &'static str = "relu_backward";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dg = dL/dout ⊙ [x > 0];  x takes none";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], Self::slope)
    }

    /// For `out = [x > 0] ? g : 0`: `dL/dg = [x > 0] ? dL/dout : 0` (this op again); the
    /// output is flat in `x` wherever it is defined, so `x` takes no gradient.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, u: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(1, || c.apply(ReluBackward, [&saved.input(0), u]));
    }

    fn cases() -> Vec<OpCase> {
        cases::slope(Self::NAME, Domain::AwayFromZero, |v| Var::apply(ReluBackward, [v[0], v[1]]))
    }
}
