//! Addition, subtraction and negation (with broadcasting), and their operators.

use super::Op;
use crate::calc::Calc;
use crate::var::Var;
use std::ops::{Add, Neg, Sub};

impl<'t> Add for Var<'t> {
    type Output = Var<'t>;

    /// `a + b` elementwise, broadcasting by numpy's rules.
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    #[track_caller]
    fn add(self, other: Var<'t>) -> Var<'t> {
        self.record_binary(other, Op::Add, |a, b| a + b)
    }
}

impl<'t> Sub for Var<'t> {
    type Output = Var<'t>;

    /// `a − b` elementwise, broadcasting by numpy's rules.
    ///
    /// # Panics
    /// If the shapes do not broadcast.
    #[track_caller]
    fn sub(self, other: Var<'t>) -> Var<'t> {
        self.record_binary(other, Op::Sub, |a, b| a - b)
    }
}

impl<'t> Neg for Var<'t> {
    type Output = Var<'t>;

    /// `−x` elementwise.
    #[track_caller]
    fn neg(self) -> Var<'t> {
        self.record_unary(Op::Neg, |x| -x)
    }
}

/// For `y = a + b` (broadcast): `dL/da = sum_to(dL/dy, shape a)` and `dL/db = sum_to(dL/dy, shape b)`,
/// since each element of `a` feeds every output element it was broadcast to, with slope 1.
pub(crate) fn add_backward<C: Calc>(
    c: &C,
    a: &C::V,
    b: &C::V,
    grad_y: &C::V,
    needs: [bool; 2],
) -> [Option<C::V>; 2] {
    [
        needs[0].then(|| c.sum_to(grad_y, c.shape(a))),
        needs[1].then(|| c.sum_to(grad_y, c.shape(b))),
    ]
}

/// For `y = a − b` (broadcast): `dL/da = sum_to(dL/dy, shape a)` and `dL/db = −sum_to(dL/dy, shape b)`.
pub(crate) fn sub_backward<C: Calc>(
    c: &C,
    a: &C::V,
    b: &C::V,
    grad_y: &C::V,
    needs: [bool; 2],
) -> [Option<C::V>; 2] {
    [
        needs[0].then(|| c.sum_to(grad_y, c.shape(a))),
        needs[1].then(|| c.neg(&c.sum_to(grad_y, c.shape(b)))),
    ]
}

/// For `y = −x`: `dL/dx = −dL/dy`.
pub(crate) fn neg_backward<C: Calc>(c: &C, grad_y: &C::V) -> C::V {
    c.neg(grad_y)
}
