//! `x²`.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `x²` elementwise. Backward: `dL/dx = 2·x ⊙ dL/dy`.
    #[track_caller]
    pub fn square(self) -> Var<'t> {
        Var::apply(Square, [self])
    }
}

/// `y = x²`.
#[derive(Clone)]
pub(crate) struct Square;

impl Primitive for Square {
    const NAME: &'static str = "square";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = 2·x ⊙ dL/dy";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(|x| x * x)
    }

    /// For `y = x²`: `dL/dx = 2·x ⊙ dL/dy`, computed as `(dL/dy ⊙ x)·2`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.scale(&c.mul(g, &saved.input(0)), 2.0));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].square())
    }
}
