//! Arithmetic between a `Var` and a plain number: `x + c`, `c · x`, `x / c`, `c − x`, ...

use super::Op;
use crate::calc::Calc;
use crate::tensor::Tensor;
use crate::var::Var;
use std::ops::{Add, Div, Mul, Sub};

impl<'t> Var<'t> {
    /// A scalar constant on this var's tape, to combine with it.
    #[track_caller]
    fn scalar_constant(self, value: f64) -> Var<'t> {
        self.tape.constant(Tensor::scalar(value))
    }
}

impl<'t> Add<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x + c` elementwise.
    #[track_caller]
    fn add(self, term: f64) -> Var<'t> {
        self.record_unary(Op::AddScalar(term), |x| x + term)
    }
}

impl<'t> Add<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c + x` elementwise.
    #[track_caller]
    fn add(self, x: Var<'t>) -> Var<'t> {
        x.record_unary(Op::AddScalar(self), |value| self + value)
    }
}

impl<'t> Sub<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x − c` elementwise.
    #[track_caller]
    fn sub(self, term: f64) -> Var<'t> {
        self.record_unary(Op::AddScalar(-term), |x| x - term)
    }
}

impl<'t> Sub<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c − x` elementwise.
    #[track_caller]
    fn sub(self, x: Var<'t>) -> Var<'t> {
        x.scalar_constant(self) - x
    }
}

impl<'t> Mul<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x · c` elementwise.
    #[track_caller]
    fn mul(self, factor: f64) -> Var<'t> {
        self.record_unary(Op::MulScalar(factor), |x| x * factor)
    }
}

impl<'t> Mul<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c · x` elementwise.
    #[track_caller]
    fn mul(self, x: Var<'t>) -> Var<'t> {
        x.record_unary(Op::MulScalar(self), |value| self * value)
    }
}

impl<'t> Div<f64> for Var<'t> {
    type Output = Var<'t>;

    /// `x / c` elementwise, rounded exactly as a division (not as `x · (1/c)`).
    #[track_caller]
    fn div(self, divisor: f64) -> Var<'t> {
        self / self.scalar_constant(divisor)
    }
}

impl<'t> Div<Var<'t>> for f64 {
    type Output = Var<'t>;

    /// `c / x` elementwise.
    #[track_caller]
    fn div(self, x: Var<'t>) -> Var<'t> {
        x.scalar_constant(self) / x
    }
}

/// For `y = c · x`: `dL/dx = c · dL/dy`. (For `y = x + c`, `dL/dx = dL/dy`, routed directly.)
pub(crate) fn mul_scalar_backward<C: Calc>(c: &C, grad_y: &C::V, factor: f64) -> C::V {
    c.scale(grad_y, factor)
}
