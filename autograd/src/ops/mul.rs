//! Elementwise multiplication with broadcasting.

use super::Op;
use crate::calc::Calc;
use crate::var::Var;
use std::ops::Mul;

impl<'t> Mul for Var<'t> {
    type Output = Var<'t>;

    /// `a ⊙ b` elementwise (not the matrix product: see [`Var::matmul`]), broadcasting by numpy's rules.
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    #[track_caller]
    fn mul(self, other: Var<'t>) -> Var<'t> {
        self.record_binary(other, Op::Mul, |a, b| a * b)
    }
}

/// For `y = a ⊙ b` (broadcast): `dL/da = sum_to(dL/dy ⊙ b, shape a)` and
/// `dL/db = sum_to(dL/dy ⊙ a, shape b)` (the product rule, each factor's slope being the other).
pub(crate) fn backward<C: Calc>(
    c: &C,
    a: &C::V,
    b: &C::V,
    grad_y: &C::V,
    needs: [bool; 2],
) -> [Option<C::V>; 2] {
    [
        needs[0].then(|| c.sum_to(&c.mul(grad_y, b), c.shape(a))),
        needs[1].then(|| c.sum_to(&c.mul(grad_y, a), c.shape(b))),
    ]
}
