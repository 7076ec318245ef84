//! `Recording`: backward rules evaluated as ordinary ops on the tape, so gradients are `Var`s.

use super::Calc;
use crate::ops::{CustomOp, Window};
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
    fn sub(&self, a: &Var<'t>, b: &Var<'t>) -> Var<'t> {
        *a - *b
    }
    fn mul(&self, a: &Var<'t>, b: &Var<'t>) -> Var<'t> {
        *a * *b
    }
    fn div(&self, a: &Var<'t>, b: &Var<'t>) -> Var<'t> {
        *a / *b
    }
    fn neg(&self, a: &Var<'t>) -> Var<'t> {
        -*a
    }
    fn scale(&self, a: &Var<'t>, factor: f64) -> Var<'t> {
        *a * factor
    }
    fn add_scalar(&self, a: &Var<'t>, term: f64) -> Var<'t> {
        *a + term
    }
    fn powf(&self, a: &Var<'t>, exponent: f64) -> Var<'t> {
        a.powf(exponent)
    }
    fn exp(&self, a: &Var<'t>) -> Var<'t> {
        a.exp()
    }
    fn matmul(&self, a: &Var<'t>, b: &Var<'t>) -> Var<'t> {
        a.matmul(*b)
    }
    fn transpose(&self, a: &Var<'t>) -> Var<'t> {
        a.transpose()
    }
    fn reshape(&self, a: &Var<'t>, shape: Shape) -> Var<'t> {
        a.reshape(shape)
    }
    fn broadcast_to(&self, a: &Var<'t>, shape: Shape) -> Var<'t> {
        if a.shape() == shape {
            return *a;
        }
        a.broadcast_to(shape)
    }
    fn sum_to(&self, a: &Var<'t>, shape: Shape) -> Var<'t> {
        if a.shape() == shape {
            return *a;
        }
        a.sum_to(shape)
    }
    fn sum_axis(&self, a: &Var<'t>, axis: usize, keepdim: bool) -> Var<'t> {
        a.sum_axis(axis, keepdim)
    }
    fn pick(&self, a: &Var<'t>, indices: &Arc<[usize]>) -> Var<'t> {
        a.pick_shared(indices.clone())
    }
    fn scatter(&self, a: &Var<'t>, indices: &Arc<[usize]>, columns: usize) -> Var<'t> {
        a.scatter_shared(indices.clone(), columns)
    }
    fn concat(&self, parts: &[Var<'t>], axis: usize) -> Var<'t> {
        Var::concat(parts, axis)
    }
    fn slice(&self, a: &Var<'t>, axis: usize, start: usize, len: usize) -> Var<'t> {
        a.slice(axis, start, len)
    }
    fn unfold(&self, a: &Var<'t>, window: Window) -> Var<'t> {
        a.unfold(window, 0.0)
    }
    fn fold(&self, a: &Var<'t>, window: Window, size: [usize; 2]) -> Var<'t> {
        a.fold(window, size)
    }
    fn permute(&self, a: &Var<'t>, axes: &[usize]) -> Var<'t> {
        a.permute(axes)
    }
    fn fused_slope(
        &self,
        a: &Var<'t>,
        grad: &Var<'t>,
        _fused: impl Fn(f64, f64) -> f64 + Sync,
        composed: impl FnOnce(&Self, &Var<'t>, &Var<'t>) -> Var<'t>,
        sum_shape: Option<Shape>,
    ) -> (Var<'t>, Option<Var<'t>>) {
        let result = composed(self, a, grad);
        (result, sum_shape.map(|shape| self.sum_to(&result, shape)))
    }
    fn fused<const N: usize>(
        &self,
        operands: [&Var<'t>; N],
        _kernel: impl FnOnce([&Tensor; N]) -> Tensor,
        composed: impl FnOnce(&Self, [&Var<'t>; N]) -> Var<'t>,
    ) -> Var<'t> {
        composed(self, operands)
    }
    fn softmax(&self, a: &Var<'t>, axis: usize) -> Var<'t> {
        a.softmax(axis)
    }
    fn constant_from(&self, a: &Var<'t>, make: impl FnOnce(&Tensor) -> Tensor) -> Var<'t> {
        let value = make(&a.value());
        self.tape.constant(value)
    }
    fn constant(&self, value: Tensor) -> Var<'t> {
        self.tape.constant(value)
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
