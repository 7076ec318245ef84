//! `Eager`: backward rules evaluated directly on tensors, borrowing the tape's values.

use super::Calc;
use crate::ops::{CustomOp, Window};
use crate::shape::Shape;
use crate::tape::{Node, NodeId};
use crate::tensor::{Layout, Tensor, sums_columns_as_sum_to};
use std::borrow::Cow;
use std::sync::Arc;

/// Evaluates rules on tensors; node values are borrowed, never copied.
pub(crate) struct Eager<'a> {
    nodes: &'a [Node],
}

impl<'a> Eager<'a> {
    pub(crate) fn new(nodes: &'a [Node]) -> Eager<'a> {
        Eager { nodes }
    }
}

type Value<'a> = Cow<'a, Tensor>;

fn owned<'a>(tensor: Tensor) -> Value<'a> {
    Cow::Owned(tensor)
}

impl<'a> Calc for Eager<'a> {
    type V = Value<'a>;

    fn value(&self, id: NodeId) -> Value<'a> {
        Cow::Borrowed(&self.nodes[id.0].value)
    }
    fn shape(&self, v: &Value<'a>) -> Shape {
        v.shape()
    }
    fn sub(&self, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
        owned(a.zip_map(b, |x, y| x - y))
    }
    fn mul(&self, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
        owned(a.zip_map(b, |x, y| x * y))
    }
    fn div(&self, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
        owned(a.zip_map(b, |x, y| x / y))
    }
    fn neg(&self, a: &Value<'a>) -> Value<'a> {
        owned(a.map(|x| -x))
    }
    fn scale(&self, a: &Value<'a>, factor: f64) -> Value<'a> {
        owned(a.map(|x| x * factor))
    }
    fn add_scalar(&self, a: &Value<'a>, term: f64) -> Value<'a> {
        owned(a.map(|x| x + term))
    }
    fn powf(&self, a: &Value<'a>, exponent: f64) -> Value<'a> {
        owned(a.map(|x| x.powf(exponent)))
    }
    fn exp(&self, a: &Value<'a>) -> Value<'a> {
        owned(a.exp())
    }
    fn matmul(&self, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
        owned(a.matmul(b))
    }
    fn matmul_nt(&self, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
        owned(a.matmul_with(Layout::AsIs, b, Layout::Transposed))
    }
    fn matmul_tn(&self, a: &Value<'a>, b: &Value<'a>) -> Value<'a> {
        owned(a.matmul_with(Layout::Transposed, b, Layout::AsIs))
    }
    fn transpose(&self, a: &Value<'a>) -> Value<'a> {
        owned(a.transpose())
    }
    fn reshape(&self, a: &Value<'a>, shape: Shape) -> Value<'a> {
        owned(a.clone().into_owned().reshape(shape))
    }
    fn broadcast_to(&self, a: &Value<'a>, shape: Shape) -> Value<'a> {
        if a.shape() == shape {
            return a.clone();
        }
        owned(a.broadcast_to(shape))
    }
    fn sum_to(&self, a: &Value<'a>, shape: Shape) -> Value<'a> {
        if a.shape() == shape {
            return a.clone();
        }
        owned(a.sum_to(shape))
    }
    fn sum_axis(&self, a: &Value<'a>, axis: usize, keepdim: bool) -> Value<'a> {
        owned(a.sum_axis(axis, keepdim))
    }
    fn pick(&self, a: &Value<'a>, indices: &Arc<[usize]>) -> Value<'a> {
        owned(a.pick_per_row(indices))
    }
    fn scatter(&self, a: &Value<'a>, indices: &Arc<[usize]>, columns: usize) -> Value<'a> {
        owned(a.scatter_per_row(indices, columns))
    }
    fn concat(&self, parts: &[Value<'a>], axis: usize) -> Value<'a> {
        let parts: Vec<&Tensor> = parts.iter().map(|part| part.as_ref()).collect();
        owned(Tensor::concat(&parts, axis))
    }
    fn slice(&self, a: &Value<'a>, axis: usize, start: usize, len: usize) -> Value<'a> {
        owned(a.slice_axis(axis, start, len))
    }
    fn unfold(&self, a: &Value<'a>, window: Window) -> Value<'a> {
        owned(crate::ops::unfold_tensor(a, &window))
    }
    fn fold(&self, a: &Value<'a>, window: Window, size: [usize; 2]) -> Value<'a> {
        owned(crate::ops::fold_tensor(a, &window, size))
    }
    fn permute(&self, a: &Value<'a>, axes: &[usize]) -> Value<'a> {
        owned(crate::ops::permute_tensor(a, axes))
    }
    fn fused_slope(
        &self,
        a: &Value<'a>,
        grad: &Value<'a>,
        fused: impl Fn(f64, f64) -> f64 + Sync,
        _composed: impl FnOnce(&Self, &Value<'a>, &Value<'a>) -> Value<'a>,
        sum_shape: Option<Shape>,
    ) -> (Value<'a>, Option<Value<'a>>) {
        match sum_shape {
            Some(sum) if grad.shape() == a.shape() && sums_columns_as_sum_to(a.shape(), sum) => {
                let (result, sums) = a.zip_map_and_sum_columns(grad, fused);
                (owned(result), Some(owned(sums)))
            }
            _ => {
                let result = owned(a.zip_map(grad, fused));
                let sum = sum_shape.map(|shape| self.sum_to(&result, shape));
                (result, sum)
            }
        }
    }
    fn fused<const N: usize>(
        &self,
        operands: [&Value<'a>; N],
        kernel: impl FnOnce([&Tensor; N]) -> Tensor,
        _composed: impl FnOnce(&Self, [&Value<'a>; N]) -> Value<'a>,
    ) -> Value<'a> {
        owned(kernel(operands.map(|operand| operand.as_ref())))
    }
    fn softmax(&self, a: &Value<'a>, axis: usize) -> Value<'a> {
        owned(a.softmax_axis(axis))
    }
    fn constant_from(&self, a: &Value<'a>, make: impl FnOnce(&Tensor) -> Tensor) -> Value<'a> {
        owned(make(a))
    }
    fn constant(&self, value: Tensor) -> Value<'a> {
        owned(value)
    }
    fn custom_backward(
        &self,
        op: &Arc<dyn CustomOp>,
        inputs: &[NodeId],
        output: NodeId,
        grad_output: &Value<'a>,
    ) -> Vec<Option<Value<'a>>> {
        let values: Vec<&Tensor> = inputs.iter().map(|id| &self.nodes[id.0].value).collect();
        let grads = op.backward(&values, &self.nodes[output.0].value, grad_output);
        crate::ops::custom::check_grads(op.as_ref(), &values, &grads);
        grads.into_iter().map(|grad| Some(owned(grad))).collect()
    }
}
