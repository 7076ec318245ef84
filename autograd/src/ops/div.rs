//! `a / b`, elementwise with numpy's broadcasting.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> std::ops::Div for Var<'t> {
    type Output = Var<'t>;

    /// `a / b` elementwise, broadcasting by numpy's rules (IEEE semantics: `1/0 = inf`).
    ///
    /// Backward: `dL/da = sum_to(dL/dy / b, shape a)`, `dL/db = sum_to(−dL/dy ⊙ y / b, shape b)`.
    ///
    /// # Panics
    /// If the vars are on different tapes or their shapes do not broadcast.
    #[track_caller]
    fn div(self, other: Var<'t>) -> Var<'t> {
        self.check_broadcast(&other, Div::NAME);
        Var::apply(Div, [self, other])
    }
}

impl<'t> std::ops::Div<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x / c` elementwise, rounded exactly as a division (not as `x · (1/c)`).
    #[track_caller]
    fn div(self, divisor: f64) -> Var<'t> {
        self / self.tape().constant(Tensor::scalar(divisor))
    }
}

impl<'t> std::ops::Div<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c / x` elementwise.
    #[track_caller]
    fn div(self, x: Var<'t>) -> Var<'t> {
        x.tape().constant(Tensor::scalar(self)) / x
    }
}

/// `y = a / b`.
#[derive(Clone)]
pub(crate) struct Div;

impl Primitive for Div {
    const NAME: &'static str = "div";
    const SAVES: Saves = Saves::INPUTS_AND_OUTPUT;
    const RULE: &'static str = "dL/da = sum_to(dL/dy / b, shape a);  dL/db = sum_to(−dL/dy ⊙ y / b, shape b)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], |a, b| a / b)
    }

    /// For `y = a / b` (broadcast): `dL/da = sum_to(dL/dy / b, shape a)` and
    /// `dL/db = sum_to(−dL/dy ⊙ a / b², shape b) = sum_to(−dL/dy ⊙ y / b, shape b)`, the second
    /// from the saved output `y`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let b = saved.input(1);
        grads.set(0, || c.sum_to(&c.div(g, &b), saved.shape(0)));
        grads.set(1, || {
            let y = saved.output();
            c.sum_to(&c.neg(&c.div(&c.mul(g, &y), &b)), saved.shape(1))
        });
    }

    fn cases() -> Vec<OpCase> {
        cases::broadcasting(Self::NAME, (Domain::Normal, Domain::AwayFromZero), |v| v[0] / v[1])
    }
}
