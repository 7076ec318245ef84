//! The sine.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `sin x` elementwise (x in radians). Backward: `dL/dx = dL/dy ⊙ cos x`.
    #[track_caller]
    pub fn sin(self) -> Var<'t> {
        Var::apply(Sin, [self])
    }
}

/// `y = sin x`.
#[derive(Clone)]
pub(crate) struct Sin;

impl Primitive for Sin {
    const NAME: &'static str = "sin";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = dL/dy ⊙ cos x";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(f64::sin)
    }

    /// For `y = sin x`: `dL/dx = dL/dy ⊙ cos x`. The slope is the `cos` op, so the second
    /// derivative comes from its rule.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.mul(g, &c.apply(super::cos::Cos, [&saved.input(0)])));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].sin())
    }
}
