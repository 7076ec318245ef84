//! `Recording`: backward rules evaluated as ordinary ops on the tape, so gradients are `Var`s.

use super::Calc;
use crate::ops::{CustomOp, Primitive};
use crate::shape::Shape;
use crate::tape::{NodeId, Tape};
use crate::tensor::Tensor;
use crate::var::Var;
use std::sync::Arc;

/// Evaluates rules by recording them, which makes the backward pass itself differentiable.
pub(crate) struct Recording<'t> {
    tape: &'t Tape,
}

impl<'t> Recording<'t> {
    pub(crate) fn new(tape: &'t Tape) -> Recording<'t> {
        Recording { tape }
    }
}

impl<'t> Calc for Recording<'t> {
    type V = Var<'t>;

    fn value(&self, id: NodeId) -> Var<'t> {
        Var::new(self.tape, id)
    }
    fn shape(&self, v: &Var<'t>) -> Shape {
        v.shape()
    }
    fn apply<P: Primitive, const N: usize>(&self, op: P, operands: [&Var<'t>; N]) -> Var<'t> {
        Var::apply(op, operands.map(|operand| *operand))
    }
    fn concat(&self, parts: &[Var<'t>], axis: usize) -> Var<'t> {
        Var::concat(parts, axis)
    }
    fn constant_from(&self, a: &Var<'t>, make: impl FnOnce(&Tensor) -> Tensor) -> Var<'t> {
        let value = make(&a.value());
        self.tape.constant(value)
    }
    fn constant(&self, value: Tensor) -> Var<'t> {
        self.tape.constant(value)
    }
    fn kept(&self, _output: NodeId) -> Option<Var<'t>> {
        None
    }
    fn custom_backward(
        &self,
        op: &Arc<dyn CustomOp>,
        inputs: &[NodeId],
        output: NodeId,
        grad_output: &Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let inputs: Vec<Var<'t>> = inputs.iter().map(|&id| Var::new(self.tape, id)).collect();
        match op.backward_recorded(&inputs, Var::new(self.tape, output), *grad_output) {
            Some(grads) => grads.into_iter().map(Some).collect(),
            None => panic!(
                "backward_graph: custom op `{}` (recorded at {}) has no recorded backward \
                 (implement CustomOp::backward_recorded to take gradients of its gradients)",
                op.name(),
                self.tape.node(output).location
            ),
        }
    }
}
