//! Joining vars along an axis (`concat`, and `stack` built on it).

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The vars joined along `axis`; all must have the same rank and agree on every other axis.
    ///
    /// Backward: `dL/dxᵢ` is the slice of `dL/dy` where `xᵢ` was placed.
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
        Var::apply_all(Concat { axis }, parts)
    }

    /// The vars, of one shape, stacked along a new axis `axis` (numpy's `stack`): each is
    /// reshaped with a unit axis there, then they are concatenated.
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
}

/// `y = concat(x₁, …, xₙ)` along `axis`.
#[derive(Clone)]
pub(crate) struct Concat {
    pub(crate) axis: usize,
}

impl Primitive for Concat {
    const NAME: &'static str = "concat";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dxᵢ = the slice of dL/dy where xᵢ was placed";

    fn parameters(&self) -> String {
        format!("axis={}", self.axis)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        Tensor::concat(inputs, self.axis)
    }

    /// For `y = concat(x₁, …, xₙ)` along an axis: `dL/dxᵢ` is the slice of `dL/dy` where `xᵢ`
    /// was placed.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let mut offset = 0;
        for i in 0..saved.count() {
            let len = saved.shape(i).dims()[self.axis];
            grads.set(i, || c.slice(g, self.axis, offset, len));
            offset += len;
        }
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[2, 3] and [1, 3] on axis 0", &[(&[2, 3], n), (&[1, 3], n)], |v| {
                Var::concat(v, 0)
            }),
            OpCase::new(
                Self::NAME,
                "[2, 1], [2, 3] and [2, 2] on axis 1",
                &[(&[2, 1], n), (&[2, 3], n), (&[2, 2], n)],
                |v| Var::concat(v, 1),
            ),
            OpCase::new(Self::NAME, "stack of two [3] on axis 1", &[(&[3], n), (&[3], n)], |v| {
                Var::stack(v, 1)
            }),
        ]
    }
}
