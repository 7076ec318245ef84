//! `a − b`, elementwise with numpy's broadcasting.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> std::ops::Sub for Var<'t> {
    type Output = Var<'t>;

    /// `a − b` elementwise, broadcasting by numpy's rules.
    ///
    /// Backward: `dL/da = sum_to(dL/dy, shape a)`, `dL/db = −sum_to(dL/dy, shape b)`.
    ///
    /// # Panics
    /// If the vars are on different tapes or their shapes do not broadcast.
    #[track_caller]
    fn sub(self, other: Var<'t>) -> Var<'t> {
        self.check_broadcast(&other, Sub::NAME);
        Var::apply(Sub, [self, other])
    }
}

impl<'t> std::ops::Sub<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c − x` elementwise: a scalar constant minus `x` (the `sub` op).
    #[track_caller]
    fn sub(self, x: Var<'t>) -> Var<'t> {
        x.tape().constant(Tensor::scalar(self)) - x
    }
}

/// `y = a − b`.
#[derive(Clone)]
pub(crate) struct Sub;

impl Primitive for Sub {
    const NAME: &'static str = "sub";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/da = sum_to(dL/dy, shape a);  dL/db = −sum_to(dL/dy, shape b)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], |a, b| a - b)
    }

    /// For `y = a − b` (broadcast): `dL/da = sum_to(dL/dy, shape a)` and
    /// `dL/db = −sum_to(dL/dy, shape b)`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.sum_to(g, saved.shape(0)));
        grads.set(1, || c.neg(&c.sum_to(g, saved.shape(1))));
    }

    fn cases() -> Vec<OpCase> {
        cases::broadcasting(Self::NAME, (Domain::Normal, Domain::Normal), |v| v[0] - v[1])
    }
}
