//! Elementwise division with broadcasting.

use super::Op;
use crate::calc::Calc;
use crate::var::Var;
use std::ops::Div;

impl<'t> Div for Var<'t> {
    type Output = Var<'t>;

    /// `a / b` elementwise, broadcasting by numpy's rules (IEEE semantics: `1/0 = inf`).
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    #[track_caller]
    fn div(self, other: Var<'t>) -> Var<'t> {
        self.record_binary(other, Op::Div, |a, b| a / b)
    }
}

/// For `y = a / b` (broadcast): `dL/da = sum_to(dL/dy / b, shape a)` and
/// `dL/db = sum_to(−dL/dy ⊙ a / b², shape b) = sum_to(−dL/dy ⊙ y / b, shape b)`,
/// the second computed from the saved output `y`.
pub(crate) fn backward<C: Calc>(
    c: &C,
    a: &C::V,
    b: &C::V,
    y: &C::V,
    grad_y: &C::V,
    needs: [bool; 2],
) -> [Option<C::V>; 2] {
    [
        needs[0].then(|| c.sum_to(&c.div(grad_y, b), c.shape(a))),
        needs[1].then(|| c.sum_to(&c.neg(&c.div(&c.mul(grad_y, y), b)), c.shape(b))),
    ]
}
