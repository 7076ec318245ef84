//! `Eager`: backward rules evaluated directly on tensors, borrowing the tape's values.

use super::Calc;
use crate::ops::{CustomOp, Primitive, Slope};
use crate::shape::Shape;
use crate::tape::{Node, NodeId};
use crate::tensor::{Tensor, sums_columns_as_sum_to};
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
    fn apply<P: Primitive, const N: usize>(&self, op: P, operands: [&Value<'a>; N]) -> Value<'a> {
        owned(op.forward(&operands.map(|operand| operand.as_ref())))
    }
    fn concat(&self, parts: &[Value<'a>], axis: usize) -> Value<'a> {
        let parts: Vec<&Tensor> = parts.iter().map(|part| part.as_ref()).collect();
        owned(Tensor::concat(&parts, axis))
    }
    fn slope_and_sum<P: Slope>(
        &self,
        op: P,
        at: &Value<'a>,
        grad: &Value<'a>,
        sum_shape: Option<Shape>,
    ) -> (Value<'a>, Option<Value<'a>>) {
        match sum_shape {
            Some(sum) if grad.shape() == at.shape() && sums_columns_as_sum_to(at.shape(), sum) => {
                let (result, sums) = at.zip_map_and_sum_columns(grad, P::slope);
                (owned(result), Some(owned(sums)))
            }
            _ => {
                let result = self.apply(op, [at, grad]);
                let sum = sum_shape.map(|shape| self.sum_to(&result, shape));
                (result, sum)
            }
        }
    }
    fn constant_from(&self, a: &Value<'a>, make: impl FnOnce(&Tensor) -> Tensor) -> Value<'a> {
        owned(make(a))
    }
    fn constant(&self, value: Tensor) -> Value<'a> {
        owned(value)
    }
    fn kept(&self, output: NodeId) -> Option<Value<'a>> {
        self.nodes[output.0].op.kept_tensor().map(Cow::Borrowed)
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

    // Performance only: the same numbers as the shorthand's default, without a copy.

    fn reshape(&self, a: &Value<'a>, shape: Shape) -> Value<'a> {
        owned(a.clone().into_owned().reshape(shape))
    }
}
