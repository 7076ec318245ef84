//! `a ⊙ b`, elementwise with numpy's broadcasting.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> std::ops::Mul for Var<'t> {
    type Output = Var<'t>;

    /// `a ⊙ b` elementwise (not the matrix product: see [`Var::matmul`]), broadcasting by
    /// numpy's rules.
    ///
    /// Backward: `dL/da = sum_to(dL/dy ⊙ b, shape a)`, `dL/db = sum_to(dL/dy ⊙ a, shape b)`.
    ///
    /// # Panics
    /// If the vars are on different tapes or their shapes do not broadcast.
    #[track_caller]
    fn mul(self, other: Var<'t>) -> Var<'t> {
        self.check_broadcast(&other, Mul::NAME);
        Var::apply(Mul, [self, other])
    }
}

/// `y = a ⊙ b`.
#[derive(Clone)]
pub(crate) struct Mul;

impl Primitive for Mul {
    const NAME: &'static str = "mul";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/da = sum_to(dL/dy ⊙ b, shape a);  dL/db = sum_to(dL/dy ⊙ a, shape b)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], |a, b| a * b)
    }

    /// For `y = a ⊙ b` (broadcast): `dL/da = sum_to(dL/dy ⊙ b, shape a)` and
    /// `dL/db = sum_to(dL/dy ⊙ a, shape b)` (the product rule: each factor's slope is the other).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.sum_to(&c.mul(g, &saved.input(1)), saved.shape(0)));
        grads.set(1, || c.sum_to(&c.mul(g, &saved.input(0)), saved.shape(1)));
    }

    fn cases() -> Vec<OpCase> {
        cases::broadcasting(Self::NAME, (Domain::Normal, Domain::Normal), |v| v[0] * v[1])
    }
}
