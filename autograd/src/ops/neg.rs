//! `−x`, elementwise.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> std::ops::Neg for Var<'t> {
    type Output = Var<'t>;

    /// `−x` elementwise. Backward: `dL/dx = −dL/dy`.
    #[track_caller]
    fn neg(self) -> Var<'t> {
        Var::apply(Neg, [self])
    }
}

/// `y = −x`.
#[derive(Clone)]
pub(crate) struct Neg;

impl Primitive for Neg {
    const NAME: &'static str = "neg";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = −dL/dy";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(|x| -x)
    }

    /// For `y = −x`: `dL/dx = −dL/dy`.
    fn backward<C: Calc>(&self, c: &C, _: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.neg(g));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| -v[0])
    }
}
