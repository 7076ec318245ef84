//! The cosine.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `cos x` elementwise (x in radians). Backward: `dL/dx = −dL/dy ⊙ sin x`.
    #[track_caller]
    pub fn cos(self) -> Var<'t> {
        Var::apply(Cos, [self])
    }
}

/// `y = cos x`.
#[derive(Clone)]
pub(crate) struct Cos;

impl Primitive for Cos {
    const NAME: &'static str = "cos";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = −dL/dy ⊙ sin x";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(f64::cos)
    }

    /// For `y = cos x`: `dL/dx = −dL/dy ⊙ sin x`, computed as `dL/dy ⊙ (−sin x)`. The slope is
    /// the `sin` op, so the second derivative comes from its rule.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.mul(g, &c.neg(&c.apply(super::sin::Sin, [&saved.input(0)]))));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].cos())
    }
}
