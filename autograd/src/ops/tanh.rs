//! The hyperbolic tangent, a hidden-layer activation.

use super::tanh_backward::TanhBackward;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `tanh x` elementwise.
    ///
    /// Backward: `dL/dx = dL/dy ⊙ (1 − y²)`, from the output `y` (the tutorial's
    /// `1 - np.power(a1, 2)`).
    #[track_caller]
    pub fn tanh(self) -> Var<'t> {
        Var::apply(Tanh, [self])
    }
}

/// `y = tanh x`.
#[derive(Clone)]
pub(crate) struct Tanh;

impl Primitive for Tanh {
    const NAME: &'static str = "tanh";
    const SAVES: Saves = Saves::OUTPUT;
    const RULE: &'static str = "dL/dx = dL/dy ⊙ (1 − y²)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].tanh()
    }

    /// For `y = tanh x`: `dL/dx = dL/dy ⊙ (1 − y²)`, from the saved output: the derivative op
    /// [`TanhBackward`] (one fused pass, with a rule of its own for higher orders).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.apply(TanhBackward, [&saved.output(), g]));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].tanh())
    }
}
