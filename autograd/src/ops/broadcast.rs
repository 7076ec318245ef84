//! Explicit broadcasting and its transpose, summing back to a shape.

use super::Op;
use crate::calc::Calc;
use crate::shape::Shape;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// This var repeated along broadcast dimensions to fill `shape` (numpy's `broadcast_to`).
    ///
    /// # Panics
    /// If the shape does not broadcast to `shape`.
    #[track_caller]
    pub fn broadcast_to(self, shape: impl Into<Shape>) -> Var<'t> {
        let shape = shape.into();
        let from = self.shape();
        if !from.broadcasts_to(shape) {
            panic!(
                "broadcast_to: {from} does not broadcast to {shape} (at {})",
                Location::caller()
            );
        }
        self.record_with(Op::BroadcastTo, |x| x.broadcast_to(shape))
    }

    /// The sum over the dimensions that broadcasting to this var's shape would expand, leaving
    /// `shape`: `x.sum_to([3])` on a `[200, 3]` var sums its rows.
    ///
    /// # Panics
    /// If `shape` does not broadcast to this var's shape.
    #[track_caller]
    pub fn sum_to(self, shape: impl Into<Shape>) -> Var<'t> {
        let shape = shape.into();
        let from = self.shape();
        if !shape.broadcasts_to(from) {
            panic!(
                "sum_to: {from} cannot be reduced to {shape} (at {})",
                Location::caller()
            );
        }
        self.record_with(Op::SumTo, |x| x.sum_to(shape))
    }
}

/// For `y = broadcast_to(x, s)`: `dL/dx = sum_to(dL/dy, shape x)`: each element of `x` was copied
/// to several outputs, so it collects all their gradients. This is the one place where
/// broadcasting is undone.
pub(crate) fn broadcast_to_backward<C: Calc>(c: &C, x: &C::V, grad_y: &C::V) -> C::V {
    c.sum_to(grad_y, c.shape(x))
}

/// For `y = sum_to(x, s)`: `dL/dx = broadcast_to(dL/dy, shape x)`: every summed element has slope 1.
pub(crate) fn sum_to_backward<C: Calc>(c: &C, x: &C::V, grad_y: &C::V) -> C::V {
    c.broadcast_to(grad_y, c.shape(x))
}
