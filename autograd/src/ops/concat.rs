//! Joining vars along an axis (concat, stack) and cutting a range out of one (slice).

use super::Op;
use crate::calc::Calc;
use crate::shape::Shape;
use crate::tape::Inputs;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The vars joined along `axis`; all must have the same rank and agree on every other axis.
    ///
    /// # Panics
    /// If `parts` is empty, they are on different tapes, or their shapes do not fit together.
    #[track_caller]
    pub fn concat(parts: &[Var<'t>], axis: usize) -> Var<'t> {
        let at = Location::caller();
        let Some(first) = parts.first() else {
            panic!("concat: no vars to join (at {at})")
        };
        let shapes: Vec<Shape> = parts.iter().map(Var::shape).collect();
        for (part, shape) in parts.iter().zip(&shapes) {
            first.assert_same_tape(part, "concat");
            let fits = shape.rank() == shapes[0].rank()
                && axis < shape.rank()
                && (0..shape.rank()).all(|d| d == axis || shape.dims()[d] == shapes[0].dims()[d]);
            if !fits {
                panic!("concat: shapes {shapes:?} do not join along axis {axis} (at {at})");
            }
        }
        let value = {
            let values: Vec<_> = parts.iter().map(|part| part.value()).collect();
            let refs: Vec<&Tensor> = values.iter().map(|value| &**value).collect();
            Tensor::concat(&refs, axis)
        };
        let ids = parts.iter().map(|part| part.id).collect();
        first
            .tape
            .record(Op::Concat { axis }, Inputs::Many(ids), value)
    }

    /// The vars, of one shape, stacked along a new axis `axis` (numpy's `stack`).
    ///
    /// # Panics
    /// If `parts` is empty, their shapes differ, or `axis` is above their rank.
    #[track_caller]
    pub fn stack(parts: &[Var<'t>], axis: usize) -> Var<'t> {
        let at = Location::caller();
        let Some(first) = parts.first() else {
            panic!("stack: no vars to stack (at {at})")
        };
        let shape = first.shape();
        if axis > shape.rank() || parts.iter().any(|part| part.shape() != shape) {
            let shapes: Vec<Shape> = parts.iter().map(Var::shape).collect();
            panic!("stack: shapes {shapes:?} do not stack along axis {axis} (at {at})");
        }
        let mut dims = shape.dims().to_vec();
        dims.insert(axis, 1);
        let lifted: Vec<Var<'t>> = parts
            .iter()
            .map(|part| part.reshape(dims.clone()))
            .collect();
        Var::concat(&lifted, axis)
    }

    /// The `len` entries from `start` along `axis` (numpy's `x[..., start:start+len, ...]`).
    ///
    /// # Panics
    /// If `axis` is not below the rank or the range does not fit in the axis.
    #[track_caller]
    pub fn slice(self, axis: usize, start: usize, len: usize) -> Var<'t> {
        self.check_axis("slice", axis);
        let shape = self.shape();
        if start + len > shape.dims()[axis] {
            panic!(
                "slice: {start}..{} is out of range for axis {axis} of {shape} (at {})",
                start + len,
                Location::caller()
            );
        }
        self.record_with(Op::Slice { axis, start }, |x| {
            x.slice_axis(axis, start, len)
        })
    }
}

/// For `y = concat(x₁, …, xₙ)` along an axis: `dL/dxᵢ` is the slice of `dL/dy` where `xᵢ` was placed.
pub(crate) fn concat_backward<C: Calc>(
    c: &C,
    grad_y: &C::V,
    shapes: &[Shape],
    axis: usize,
    needs: &dyn Fn(usize) -> bool,
) -> Vec<(usize, C::V)> {
    let mut offset = 0;
    let mut grads = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        let len = shape.dims()[axis];
        if needs(i) {
            grads.push((i, c.slice(grad_y, axis, offset, len)));
        }
        offset += len;
    }
    grads
}

/// For `y = x[start:start+len]` along an axis: `dL/dx` is `dL/dy` in that range and 0 elsewhere,
/// built as the concatenation `[0, dL/dy, 0]` (so that it, too, can be recorded and differentiated).
pub(crate) fn slice_backward<C: Calc>(
    c: &C,
    x: &C::V,
    grad_y: &C::V,
    axis: usize,
    start: usize,
) -> C::V {
    let x_shape = c.shape(x);
    let len = c.shape(grad_y).dims()[axis];
    let after = x_shape.dims()[axis] - start - len;
    let zeros = |count: usize| {
        let mut dims = x_shape.dims().to_vec();
        dims[axis] = count;
        c.constant(Tensor::zeros(dims))
    };
    let mut parts = Vec::with_capacity(3);
    if start > 0 {
        parts.push(zeros(start));
    }
    parts.push(grad_y.clone());
    if after > 0 {
        parts.push(zeros(after));
    }
    if parts.len() == 1 {
        return grad_y.clone();
    }
    c.concat(&parts, axis)
}
