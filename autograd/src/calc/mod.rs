//! `Calc`: the arithmetic that backward rules are written in, so each rule serves both backward modes.
//!
//! A rule written against `Calc` runs on plain tensors ([`Eager`], the fast everyday backward) or
//! records itself on the tape as ordinary ops ([`Recording`], whose gradients are `Var`s that can be
//! differentiated again). Either way every value is made by a primitive's own `forward`
//! ([`Calc::apply`]), so the two modes compute the same numbers, and the rule's maths is
//! written once.

mod eager;
mod recording;

pub(crate) use eager::Eager;
pub(crate) use recording::Recording;

use crate::ops::add_scalar::AddScalar;
use crate::ops::broadcast_to::BroadcastTo;
use crate::ops::div::Div;
use crate::ops::exp::Exp;
use crate::ops::matmul::MatMul;
use crate::ops::mul::Mul;
use crate::ops::mul_scalar::MulScalar;
use crate::ops::neg::Neg;
use crate::ops::pick::Pick;
use crate::ops::powf::PowScalar;
use crate::ops::reshape::Reshape;
use crate::ops::scatter::Scatter;
use crate::ops::slice::Slice;
use crate::ops::softmax::Softmax;
use crate::ops::sub::Sub;
use crate::ops::sum_axis::SumAxis;
use crate::ops::sum_to::SumTo;
use crate::ops::transpose::Transpose;
use crate::ops::{CustomOp, Primitive, Slope};
use crate::shape::Shape;
use crate::tape::NodeId;
use crate::tensor::{Layout, Tensor};
use std::sync::Arc;

/// The operations a backward rule may use, over values of type `Self::V`.
///
/// Values that a rule builds from data but never differentiates through (the 0/1 mask of a
/// maximum, the sign of abs) are made with [`Calc::constant_from`]; their own derivative is zero
/// almost everywhere, which is why they may be constants.
pub(crate) trait Calc: Sized {
    /// A value: a tensor in eager mode, a recorded var in recording mode.
    type V: Clone;

    /// The value of node `id` on the tape.
    fn value(&self, id: NodeId) -> Self::V;
    fn shape(&self, v: &Self::V) -> Shape;

    /// The primitive `op` applied to `operands`: its forward on the tensors when eager, a
    /// recorded node (so differentiable again) when recording.
    fn apply<P: Primitive, const N: usize>(&self, op: P, operands: [&Self::V; N]) -> Self::V;

    /// The parts joined along `axis` (any number of operands).
    fn concat(&self, parts: &[Self::V], axis: usize) -> Self::V;

    /// The value of the derivative op `op` at `(at, grad)` (a slope kernel such as
    /// `tanh_backward`), and, when `sum_shape` is given, that value summed to it as
    /// [`sum_to`](Calc::sum_to) does: a dense layer's pre-activation gradient and its bias
    /// gradient. Eager mode writes both in one pass where the sum runs over every axis but the
    /// last (with the rounding of `sum_to`); this is performance only, the numbers are those of
    /// `apply` then `sum_to`.
    fn slope_and_sum<P: Slope>(
        &self,
        op: P,
        at: &Self::V,
        grad: &Self::V,
        sum_shape: Option<Shape>,
    ) -> (Self::V, Option<Self::V>) {
        let value = self.apply(op, [at, grad]);
        let sum = sum_shape.map(|shape| self.sum_to(&value, shape));
        (value, sum)
    }

    /// A value computed from `a`'s numbers that takes no gradient (a mask or a sign).
    fn constant_from(&self, a: &Self::V, make: impl FnOnce(&Tensor) -> Tensor) -> Self::V;
    /// A constant tensor.
    fn constant(&self, value: Tensor) -> Self::V;
    /// The tensor node `output`'s op kept for its rule, when this mode reads it as it is.
    fn kept(&self, output: NodeId) -> Option<Self::V>;

    /// The gradients of a user-defined op's inputs, one per input (`None` where not needed).
    fn custom_backward(
        &self,
        op: &Arc<dyn CustomOp>,
        inputs: &[NodeId],
        output: NodeId,
        grad_output: &Self::V,
    ) -> Vec<Option<Self::V>>;

    // Shorthands for the primitives rules use most, each `apply` of that op.

    fn sub(&self, a: &Self::V, b: &Self::V) -> Self::V {
        self.apply(Sub, [a, b])
    }
    fn mul(&self, a: &Self::V, b: &Self::V) -> Self::V {
        self.apply(Mul, [a, b])
    }
    fn div(&self, a: &Self::V, b: &Self::V) -> Self::V {
        self.apply(Div, [a, b])
    }
    fn neg(&self, a: &Self::V) -> Self::V {
        self.apply(Neg, [a])
    }
    fn scale(&self, a: &Self::V, factor: f64) -> Self::V {
        self.apply(MulScalar(factor), [a])
    }
    fn add_scalar(&self, a: &Self::V, term: f64) -> Self::V {
        self.apply(AddScalar(term), [a])
    }
    fn powf(&self, a: &Self::V, exponent: f64) -> Self::V {
        self.apply(PowScalar(exponent), [a])
    }
    fn exp(&self, a: &Self::V) -> Self::V {
        self.apply(Exp, [a])
    }
    /// `a · bᵀ` (the product reads `b` transposed, without copying it).
    fn matmul_nt(&self, a: &Self::V, b: &Self::V) -> Self::V {
        let op = MatMul {
            a: Layout::AsIs,
            b: Layout::Transposed,
        };
        self.apply(op, [a, b])
    }
    /// `aᵀ · b` (the product reads `a` transposed, without copying it).
    fn matmul_tn(&self, a: &Self::V, b: &Self::V) -> Self::V {
        let op = MatMul {
            a: Layout::Transposed,
            b: Layout::AsIs,
        };
        self.apply(op, [a, b])
    }
    fn transpose(&self, a: &Self::V) -> Self::V {
        self.apply(Transpose, [a])
    }
    fn reshape(&self, a: &Self::V, shape: Shape) -> Self::V {
        self.apply(Reshape { shape }, [a])
    }
    /// `a` broadcast to `shape` (`a` itself when it has that shape already).
    fn broadcast_to(&self, a: &Self::V, shape: Shape) -> Self::V {
        if self.shape(a) == shape {
            return a.clone();
        }
        self.apply(BroadcastTo { shape }, [a])
    }
    /// `a` summed to `shape` (`a` itself when it has that shape already).
    fn sum_to(&self, a: &Self::V, shape: Shape) -> Self::V {
        if self.shape(a) == shape {
            return a.clone();
        }
        self.apply(SumTo { shape }, [a])
    }
    fn sum_axis(&self, a: &Self::V, axis: usize, keepdim: bool) -> Self::V {
        self.apply(SumAxis { axis, keepdim }, [a])
    }
    fn pick(&self, a: &Self::V, indices: &Arc<[usize]>) -> Self::V {
        self.apply(
            Pick {
                indices: indices.clone(),
            },
            [a],
        )
    }
    fn scatter(&self, a: &Self::V, indices: &Arc<[usize]>, columns: usize) -> Self::V {
        let indices = indices.clone();
        self.apply(Scatter { indices, columns }, [a])
    }
    fn slice(&self, a: &Self::V, axis: usize, start: usize, len: usize) -> Self::V {
        self.apply(Slice { axis, start, len }, [a])
    }
    fn softmax(&self, a: &Self::V, axis: usize) -> Self::V {
        self.apply(Softmax { axis }, [a])
    }
}
