//! The rectifier `max(x, 0)`, a hidden-layer activation.

use super::relu_backward::ReluBackward;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::{Tensor, relu};
use crate::var::Var;

impl<'t> Var<'t> {
    /// `max(x, 0)` elementwise (0 for `x = ±0` and NaN).
    ///
    /// Backward: `dL/dx = dL/dy` where `x > 0` and `+0` elsewhere (at 0, at NaN, and whatever
    /// the upstream gradient, even NaN or infinite).
    #[track_caller]
    pub fn relu(self) -> Var<'t> {
        Var::apply(Relu, [self])
    }
}

/// `y = max(x, 0)`.
#[derive(Clone)]
pub(crate) struct Relu;

impl Primitive for Relu {
    const NAME: &'static str = "relu";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = dL/dy ⊙ [x > 0]";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(relu)
    }

    /// For `y = max(x, 0)`: `dL/dx = [x > 0] ? dL/dy : 0`, the derivative op [`ReluBackward`]
    /// (the subgradient 0 is chosen at `x = 0`).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.apply(ReluBackward, [&saved.input(0), g]));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::AwayFromZero, |v| v[0].relu())
    }
}
