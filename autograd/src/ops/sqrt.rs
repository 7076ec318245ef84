//! `√x`.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `√x` elementwise (NaN below zero). Backward: `dL/dx = dL/dy / (2·y)`.
    #[track_caller]
    pub fn sqrt(self) -> Var<'t> {
        Var::apply(Sqrt, [self])
    }
}

/// `y = √x`.
#[derive(Clone)]
pub(crate) struct Sqrt;

impl Primitive for Sqrt {
    const NAME: &'static str = "sqrt";
    const SAVES: Saves = Saves::OUTPUT;
    const RULE: &'static str = "dL/dx = dL/dy / (2·y)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(f64::sqrt)
    }

    /// For `y = √x`: `dL/dx = dL/dy / (2·y)`, from the saved output (infinite at `x = 0`),
    /// computed as `(0.5·dL/dy) / y`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.div(&c.scale(g, 0.5), &saved.output()));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Positive, |v| v[0].sqrt())
    }
}
