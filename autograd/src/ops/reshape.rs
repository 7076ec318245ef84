//! The same values under another shape.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The same values in row-major order under a new shape with as many elements.
    ///
    /// Backward: `dL/dx = reshape(dL/dy, shape x)`.
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
        Var::apply(Reshape { shape }, [self])
    }
}

/// `y = reshape(x, shape)`.
#[derive(Clone)]
pub(crate) struct Reshape {
    pub(crate) shape: Shape,
}

impl Primitive for Reshape {
    const NAME: &'static str = "reshape";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = reshape(dL/dy, shape x)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].clone().reshape(self.shape)
    }

    /// For `y = reshape(x)`: `dL/dx = reshape(dL/dy, shape x)`; the elements keep their order.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.reshape(g, saved.shape(0)));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[3, 4] to [2, 6]", &[(&[3, 4], n)], |v| v[0].reshape([2, 6])),
            OpCase::new(Self::NAME, "[1] to []", &[(&[1], n)], |v| v[0].reshape(Shape::scalar())),
            OpCase::new(Self::NAME, "[2, 3, 2] to [12]", &[(&[2, 3, 2], n)], |v| v[0].reshape([12])),
        ]
    }
}
