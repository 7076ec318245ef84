//! The transpose of a matrix.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The transpose of a rank-2 var (ranks 0 and 1 are returned as they are, as numpy does).
    ///
    /// Backward: `dL/dX = (dL/dY)ᵀ`.
    ///
    /// # Panics
    /// If the rank is above 2.
    #[track_caller]
    pub fn transpose(self) -> Var<'t> {
        let shape = self.shape();
        if shape.rank() > 2 {
            panic!(
                "transpose: {shape} has rank {}; only ranks 0 to 2 transpose (at {})",
                shape.rank(),
                Location::caller()
            );
        }
        Var::apply(Transpose, [self])
    }
}

/// `Y = Xᵀ`.
#[derive(Clone)]
pub(crate) struct Transpose;

impl Primitive for Transpose {
    const NAME: &'static str = "transpose";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dX = (dL/dY)ᵀ";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].transpose()
    }

    /// For `Y = Xᵀ`: `dL/dX = (dL/dY)ᵀ`.
    fn backward<C: Calc>(&self, c: &C, _: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.transpose(g));
    }

    fn cases() -> Vec<OpCase> {
        [&[3, 4][..], &[5], &[]]
            .iter()
            .map(|&dims| {
                OpCase::new(Self::NAME, format!("{dims:?}"), &[(dims, Domain::Normal)], |v| {
                    v[0].transpose()
                })
            })
            .collect()
    }
}
