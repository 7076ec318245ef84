//! Summing back to a shape (the transpose of broadcasting), and the whole sum and mean.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The sum over the dimensions that broadcasting to this var's shape would expand, leaving
    /// `shape`: `x.sum_to([3])` on a `[200, 3]` var sums its rows.
    ///
    /// Backward: `dL/dx = broadcast_to(dL/dy, shape x)`.
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
        Var::apply(SumTo { shape }, [self])
    }

    /// The sum of all elements, as a rank-0 var (`sum_to` the scalar shape).
    ///
    /// Backward: `dL/dx = broadcast(dL/dy)`: every element has slope 1.
    #[track_caller]
    pub fn sum(self) -> Var<'t> {
        self.sum_to(Shape::scalar())
    }

    /// The mean of all elements, as a rank-0 var (the sum divided by the count).
    #[track_caller]
    pub fn mean(self) -> Var<'t> {
        let count = self.shape().numel() as f64;
        self.sum() / count
    }
}

/// `y = sum_to(x, shape)`.
#[derive(Clone)]
pub(crate) struct SumTo {
    pub(crate) shape: Shape,
}

impl Primitive for SumTo {
    const NAME: &'static str = "sum_to";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = broadcast_to(dL/dy, shape x)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].sum_to(self.shape)
    }

    /// For `y = sum_to(x, s)`: `dL/dx = broadcast_to(dL/dy, shape x)`: every summed element
    /// has slope 1.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.broadcast_to(g, saved.shape(0)));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[3, 4] to [4]", &[(&[3, 4], n)], |v| v[0].sum_to([4])),
            OpCase::new(Self::NAME, "[2, 3, 4] to [3, 1]", &[(&[2, 3, 4], n)], |v| v[0].sum_to([3, 1])),
            OpCase::new(Self::NAME, "[3, 4] to []", &[(&[3, 4], n)], |v| v[0].sum()),
        ]
    }
}
