//! `c · x` for a constant number `c`.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> std::ops::Mul<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x · c` elementwise. Backward: `dL/dx = c · dL/dy`.
    #[track_caller]
    fn mul(self, factor: f64) -> Var<'t> {
        Var::apply(MulScalar(factor), [self])
    }
}

impl<'t> std::ops::Mul<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c · x` elementwise. Backward: `dL/dx = c · dL/dy`.
    #[track_caller]
    fn mul(self, x: Var<'t>) -> Var<'t> {
        Var::apply(MulScalar(self), [x])
    }
}

/// `y = c · x`.
#[derive(Clone)]
pub(crate) struct MulScalar(pub(crate) f64);

impl Primitive for MulScalar {
    const NAME: &'static str = "mul_scalar";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = c · dL/dy";

    fn parameters(&self) -> String {
        format!("c={}", self.0)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        let factor = self.0;
        inputs[0].map(|x| x * factor)
    }

    /// For `y = c · x`: `dL/dx = c · dL/dy`.
    fn backward<C: Calc>(&self, c: &C, _: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.scale(g, self.0));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0] * -2.5)
    }
}
