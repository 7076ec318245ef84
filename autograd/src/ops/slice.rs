//! A range cut out of one axis.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The `len` entries from `start` along `axis` (numpy's `x[..., start:start+len, ...]`).
    ///
    /// Backward: `dL/dx` is `dL/dy` in that range and 0 elsewhere.
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
        Var::apply(Slice { axis, start, len }, [self])
    }
}

/// `y = x[start:start+len]` along `axis`.
#[derive(Clone)]
pub(crate) struct Slice {
    pub(crate) axis: usize,
    pub(crate) start: usize,
    pub(crate) len: usize,
}

impl Primitive for Slice {
    const NAME: &'static str = "slice";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = dL/dy in the sliced range, 0 elsewhere";

    fn parameters(&self) -> String {
        format!("axis={}, start={}, len={}", self.axis, self.start, self.len)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].slice_axis(self.axis, self.start, self.len)
    }

    /// For `y = x[start:start+len]` along an axis: `dL/dx` is `dL/dy` in that range and 0
    /// elsewhere, built as the concatenation `[0, dL/dy, 0]` (so that it, too, can be recorded
    /// and differentiated).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let Slice { axis, start, len } = *self;
        let x_shape = saved.shape(0);
        grads.set(0, || {
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
            parts.push(g.clone());
            if after > 0 {
                parts.push(zeros(after));
            }
            if parts.len() == 1 {
                return g.clone();
            }
            c.concat(&parts, axis)
        });
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[5, 3] rows 1..3", &[(&[5, 3], n)], |v| v[0].slice(0, 1, 2)),
            OpCase::new(Self::NAME, "[2, 4] columns 0..1", &[(&[2, 4], n)], |v| v[0].slice(1, 0, 1)),
            OpCase::new(Self::NAME, "[2, 4] columns 2..4", &[(&[2, 4], n)], |v| v[0].slice(1, 2, 2)),
        ]
    }
}
