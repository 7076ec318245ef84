//! `a + b`, elementwise with numpy's broadcasting.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> std::ops::Add for Var<'t> {
    type Output = Var<'t>;

    /// `a + b` elementwise, broadcasting by numpy's rules.
    ///
    /// Backward: `dL/da = sum_to(dL/dy, shape a)`, `dL/db = sum_to(dL/dy, shape b)`.
    ///
    /// # Panics
    /// If the vars are on different tapes or their shapes do not broadcast.
    #[track_caller]
    fn add(self, other: Var<'t>) -> Var<'t> {
        self.check_broadcast(&other, Add::NAME);
        Var::apply(Add, [self, other])
    }
}

/// `y = a + b`.
#[derive(Clone)]
pub(crate) struct Add;

impl Primitive for Add {
    const NAME: &'static str = "add";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/da = sum_to(dL/dy, shape a);  dL/db = sum_to(dL/dy, shape b)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], |a, b| a + b)
    }

    /// For `y = a + b` (broadcast): `dL/da = sum_to(dL/dy, shape a)` and
    /// `dL/db = sum_to(dL/dy, shape b)`: each element of `a` feeds every output element it was
    /// broadcast to, with slope 1, so it collects all their gradients.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.sum_to(g, saved.shape(0)));
        grads.set(1, || c.sum_to(g, saved.shape(1)));
    }

    fn cases() -> Vec<OpCase> {
        cases::broadcasting(Self::NAME, (Domain::Normal, Domain::Normal), |v| v[0] + v[1])
    }
}
