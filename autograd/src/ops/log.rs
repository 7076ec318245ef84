//! The natural logarithm.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// The natural logarithm elementwise (`-inf` at 0, NaN below). Backward: `dL/dx = dL/dy / x`.
    #[track_caller]
    pub fn log(self) -> Var<'t> {
        Var::apply(Log, [self])
    }
}

/// `y = ln x`.
#[derive(Clone)]
pub(crate) struct Log;

impl Primitive for Log {
    const NAME: &'static str = "log";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = dL/dy / x";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].ln()
    }

    /// For `y = ln x`: `dL/dx = dL/dy / x`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.div(g, &saved.input(0)));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Positive, |v| v[0].log())
    }
}
