//! Explicit broadcasting: a var repeated along new or unit axes.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// This var repeated along broadcast dimensions to fill `shape` (numpy's `broadcast_to`).
    ///
    /// Backward: `dL/dx = sum_to(dL/dy, shape x)`.
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
        Var::apply(BroadcastTo { shape }, [self])
    }
}

/// `y = broadcast_to(x, shape)`.
#[derive(Clone)]
pub(crate) struct BroadcastTo {
    pub(crate) shape: Shape,
}

impl Primitive for BroadcastTo {
    const NAME: &'static str = "broadcast_to";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = sum_to(dL/dy, shape x)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].broadcast_to(self.shape)
    }

    /// For `y = broadcast_to(x, s)`: `dL/dx = sum_to(dL/dy, shape x)`: each element of `x` was
    /// copied to several outputs, so it collects all their gradients. This is the one place
    /// where broadcasting is undone (the binary ops' rules call it through `sum_to`).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.sum_to(g, saved.shape(0)));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[4] to [3, 4]", &[(&[4], n)], |v| v[0].broadcast_to([3, 4])),
            OpCase::new(Self::NAME, "[3, 1] to [2, 3, 4]", &[(&[3, 1], n)], |v| {
                v[0].broadcast_to([2, 3, 4])
            }),
            OpCase::new(Self::NAME, "[] to [2, 3]", &[(&[], n)], |v| v[0].broadcast_to([2, 3])),
        ]
    }
}
