//! Shared recording steps for elementwise ops: shape checks with clear messages, then a node.

use super::Op;
use crate::shape::Shape;
use crate::tape::Inputs;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// Records `op` applied elementwise to this var's value with `f`.
    #[track_caller]
    pub(crate) fn record_unary(self, op: Op, f: impl Fn(f64) -> f64 + Sync) -> Var<'t> {
        let value = self.value().map(f);
        self.tape.record(op, Inputs::One([self.id]), value)
    }

    /// Records `op` on this var's value computed by `forward`.
    #[track_caller]
    pub(crate) fn record_with(self, op: Op, forward: impl FnOnce(&Tensor) -> Tensor) -> Var<'t> {
        let value = forward(&self.value());
        self.tape.record(op, Inputs::One([self.id]), value)
    }

    /// Records the binary elementwise `op` of `self` and `other`, broadcasting by numpy's rules.
    ///
    /// # Panics
    /// If the vars are on different tapes or their shapes do not broadcast.
    #[track_caller]
    pub(crate) fn record_binary(
        self,
        other: Var<'t>,
        op: Op,
        f: impl Fn(f64, f64) -> f64 + Sync,
    ) -> Var<'t> {
        self.assert_same_tape(&other, op.name());
        let value = {
            let (a, b) = (self.value(), other.value());
            if Shape::broadcast(a.shape(), b.shape()).is_none() {
                panic!(
                    "{}: {} and {}: shapes do not broadcast (at {})",
                    op.name(),
                    a.shape(),
                    b.shape(),
                    Location::caller()
                );
            }
            a.zip_map(&b, f)
        };
        self.tape
            .record(op, Inputs::Two([self.id, other.id]), value)
    }
}
