//! `x + c` for a constant number `c` (and `x − c`, `c + x`).

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> std::ops::Add<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x + c` elementwise. Backward: `dL/dx = dL/dy`.
    #[track_caller]
    fn add(self, term: f64) -> Var<'t> {
        Var::apply(AddScalar(term), [self])
    }
}

impl<'t> std::ops::Add<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c + x` elementwise. Backward: `dL/dx = dL/dy`.
    #[track_caller]
    fn add(self, x: Var<'t>) -> Var<'t> {
        Var::apply(AddScalar(self), [x])
    }
}

impl<'t> std::ops::Sub<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x − c` elementwise (as `x + (−c)`, the same number). Backward: `dL/dx = dL/dy`.
    #[track_caller]
    fn sub(self, term: f64) -> Var<'t> {
        Var::apply(AddScalar(-term), [self])
    }
}

/// `y = x + c`.
#[derive(Clone)]
pub(crate) struct AddScalar(pub(crate) f64);

impl Primitive for AddScalar {
    const NAME: &'static str = "add_scalar";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = dL/dy";

    fn parameters(&self) -> String {
        format!("c={}", self.0)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        let term = self.0;
        inputs[0].map(|x| x + term)
    }

    /// For `y = x + c`: `dL/dx = dL/dy`.
    fn backward<C: Calc>(&self, _: &C, _: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || g.clone());
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0] + 1.5)
    }
}
