//! Sums and means, over all elements or along one axis.

use super::Op;
use crate::calc::Calc;
use crate::shape::Shape;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The sum of all elements, as a rank-0 var.
    #[track_caller]
    pub fn sum(self) -> Var<'t> {
        self.sum_to(Shape::scalar())
    }

    /// The mean of all elements, as a rank-0 var.
    #[track_caller]
    pub fn mean(self) -> Var<'t> {
        let count = self.shape().numel() as f64;
        self.sum() / count
    }

    /// The sum along `axis`; with `keepdim` the axis stays with size 1 (`[N, C] → [N, 1]`),
    /// otherwise it is removed (`[N, C] → [N]`).
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn sum_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("sum_axis", axis);
        self.record_with(Op::SumAxis { axis, keepdim }, |x| x.sum_axis(axis, keepdim))
    }

    /// The mean along `axis`, keeping the axis with size 1 when `keepdim`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn mean_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("mean_axis", axis);
        let count = self.shape().dim(axis) as f64;
        self.sum_axis(axis, keepdim) / count
    }

    /// Panics with the op's name, the shape and the caller's line unless `axis` is below the rank.
    #[track_caller]
    pub(crate) fn check_axis(&self, op: &str, axis: usize) {
        let shape = self.shape();
        if axis >= shape.rank() {
            panic!(
                "{op}: axis {axis} is out of range for {shape} (rank {}) (at {})",
                shape.rank(),
                Location::caller()
            );
        }
    }
}

/// For `y = Σ_axis x`: `dL/dx = broadcast(dL/dy)` back along `axis` (each summand has slope 1);
/// without `keepdim` the removed axis is first restored with size 1.
pub(crate) fn sum_axis_backward<C: Calc>(
    c: &C,
    x: &C::V,
    grad_y: &C::V,
    axis: usize,
    keepdim: bool,
) -> C::V {
    let x_shape = c.shape(x);
    let kept = restore_axis(c, grad_y, x_shape, axis, keepdim);
    c.broadcast_to(&kept, x_shape)
}

/// `v` reshaped to `full` with `axis` of size 1, unless it was reduced with `keepdim` already.
pub(crate) fn restore_axis<C: Calc>(
    c: &C,
    v: &C::V,
    full: Shape,
    axis: usize,
    keepdim: bool,
) -> C::V {
    if keepdim {
        v.clone()
    } else {
        c.reshape(v, full.with_axis_kept(axis))
    }
}
