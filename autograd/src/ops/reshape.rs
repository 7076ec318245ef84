//! Shape changes that move no numbers between positions' meanings: reshape and transpose.

use super::Op;
use crate::calc::Calc;
use crate::shape::Shape;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The same values in row-major order under a new shape with as many elements.
    ///
    /// # Panics
    /// If the element counts differ.
    #[track_caller]
    pub fn reshape(self, shape: impl Into<Shape>) -> Var<'t> {
        let shape = shape.into();
        let from = self.shape();
        if from.numel() != shape.numel() {
            panic!(
                "reshape: {from} ({} values) cannot be viewed as {shape} ({} values) (at {})",
                from.numel(),
                shape.numel(),
                Location::caller()
            );
        }
        self.record_with(Op::Reshape, |x| x.clone().reshape(shape))
    }

    /// The transpose of a rank-2 var (ranks 0 and 1 are returned as they are, as numpy does).
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
        self.record_with(Op::Transpose, |x| x.transpose())
    }
}

/// For `y = reshape(x)`: `dL/dx = reshape(dL/dy, shape x)`; the elements keep their order.
pub(crate) fn reshape_backward<C: Calc>(c: &C, x: &C::V, grad_y: &C::V) -> C::V {
    c.reshape(grad_y, c.shape(x))
}

/// For `Y = Xᵀ`: `dL/dX = (dL/dY)ᵀ`.
pub(crate) fn transpose_backward<C: Calc>(c: &C, grad_y: &C::V) -> C::V {
    c.transpose(grad_y)
}
