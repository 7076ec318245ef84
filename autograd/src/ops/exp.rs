//! `eˣ`.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `eˣ` elementwise. Backward: `dL/dx = dL/dy ⊙ y`.
    #[track_caller]
    pub fn exp(self) -> Var<'t> {
        Var::apply(Exp, [self])
    }
}

/// `y = eˣ`.
#[derive(Clone)]
pub(crate) struct Exp;

impl Primitive for Exp {
    const NAME: &'static str = "exp";
    const SAVES: Saves = Saves::OUTPUT;
    const RULE: &'static str = "dL/dx = dL/dy ⊙ y";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].exp()
    }

    /// For `y = eˣ`: `dL/dx = dL/dy ⊙ y`, reusing the saved output.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.mul(g, &saved.output()));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].exp())
    }
}
