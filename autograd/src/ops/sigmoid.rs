//! The logistic sigmoid, a primitive so that it is evaluated stably for large |x|.

use super::sigmoid_backward::SigmoidBackward;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `σ(x) = 1 / (1 + e^(−x))` elementwise, evaluated without overflow for any x.
    ///
    /// Backward: `dL/dx = dL/dy ⊙ y ⊙ (1 − y)`, from the output `y`.
    #[track_caller]
    pub fn sigmoid(self) -> Var<'t> {
        Var::apply(Sigmoid, [self])
    }
}

/// `y = σ(x)`.
#[derive(Clone)]
pub(crate) struct Sigmoid;

impl Primitive for Sigmoid {
    const NAME: &'static str = "sigmoid";
    const SAVES: Saves = Saves::OUTPUT;
    const RULE: &'static str = "dL/dx = dL/dy ⊙ y ⊙ (1 − y)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].sigmoid()
    }

    /// For `y = σ(x)`: `dL/dx = dL/dy ⊙ y ⊙ (1 − y)`, from the saved output: the derivative op
    /// [`SigmoidBackward`].
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.apply(SigmoidBackward, [&saved.output(), g]));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].sigmoid())
    }
}
