//! `Calc`: the arithmetic that backward rules are written in, so each rule serves both backward modes.
//!
//! A rule written against `Calc` runs on plain tensors ([`Eager`], the fast everyday backward) or
//! records itself on the tape as ordinary ops ([`Recording`], whose gradients are `Var`s that can be
//! differentiated again). The rule's maths is written once.

mod eager;
mod recording;

pub(crate) use eager::Eager;
pub(crate) use recording::Recording;

use crate::ops::{CustomOp, Window};
use crate::shape::Shape;
use crate::tape::NodeId;
use crate::tensor::Tensor;
use std::sync::Arc;

/// The operations a backward rule may use, over values of type `Self::V`.
///
/// Values that a rule builds from data but never differentiates through (the 0/1 mask of relu, the
/// sign of abs, the one-hot position of a maximum) are made with [`Calc::constant_from`]; their
/// own derivative is zero almost everywhere, which is why they may be constants.
pub(crate) trait Calc {
    /// A value: a tensor in eager mode, a recorded var in recording mode.
    type V: Clone;

    /// The value of node `id` on the tape.
    fn value(&self, id: NodeId) -> Self::V;
    fn shape(&self, v: &Self::V) -> Shape;

    fn sub(&self, a: &Self::V, b: &Self::V) -> Self::V;
    fn mul(&self, a: &Self::V, b: &Self::V) -> Self::V;
    fn div(&self, a: &Self::V, b: &Self::V) -> Self::V;
    fn neg(&self, a: &Self::V) -> Self::V;
    fn scale(&self, a: &Self::V, factor: f64) -> Self::V;
    fn add_scalar(&self, a: &Self::V, term: f64) -> Self::V;
    fn powf(&self, a: &Self::V, exponent: f64) -> Self::V;
    fn exp(&self, a: &Self::V) -> Self::V;

    fn matmul(&self, a: &Self::V, b: &Self::V) -> Self::V;
    /// `a · bᵀ`; eager mode reads `b` transposed without copying it.
    fn matmul_nt(&self, a: &Self::V, b: &Self::V) -> Self::V {
        self.matmul(a, &self.transpose(b))
    }
    /// `aᵀ · b`; eager mode reads `a` transposed without copying it.
    fn matmul_tn(&self, a: &Self::V, b: &Self::V) -> Self::V {
        self.matmul(&self.transpose(a), b)
    }
    fn transpose(&self, a: &Self::V) -> Self::V;
    fn reshape(&self, a: &Self::V, shape: Shape) -> Self::V;
    fn broadcast_to(&self, a: &Self::V, shape: Shape) -> Self::V;
    fn sum_to(&self, a: &Self::V, shape: Shape) -> Self::V;
    fn sum_axis(&self, a: &Self::V, axis: usize, keepdim: bool) -> Self::V;
    fn pick(&self, a: &Self::V, indices: &Arc<[usize]>) -> Self::V;
    fn scatter(&self, a: &Self::V, indices: &Arc<[usize]>, columns: usize) -> Self::V;
    fn concat(&self, parts: &[Self::V], axis: usize) -> Self::V;
    fn slice(&self, a: &Self::V, axis: usize, start: usize, len: usize) -> Self::V;
    /// [`Var::unfold`](crate::Var::unfold) with zero padding.
    fn unfold(&self, a: &Self::V, window: Window) -> Self::V;
    fn fold(&self, a: &Self::V, window: Window, size: [usize; 2]) -> Self::V;
    fn permute(&self, a: &Self::V, axes: &[usize]) -> Self::V;

    /// `local(a, grad)` elementwise, where `a` and `grad` have one shape: a rule's "gradient times
    /// local slope" in one pass, and that result summed to `sum_shape` (as
    /// [`sum_to`](Calc::sum_to)) when one is given, for a layer's rule that needs both its
    /// pre-activation's gradient and its bias's. Eager mode evaluates `fused` on the numbers in a
    /// single loop (no temporaries: on a large hidden layer this saves several full-size
    /// tensors), adding up the values as it writes them where the sum runs over every axis but
    /// the last (with the rounding of `sum_to`); recording mode records `composed`, the same
    /// formula written with ops, so that it can be differentiated again, then `sum_to`. The two
    /// must compute the same thing; the rule that calls this states it once in its doc comment.
    fn fused_slope(
        &self,
        a: &Self::V,
        grad: &Self::V,
        fused: impl Fn(f64, f64) -> f64 + Sync,
        composed: impl FnOnce(&Self, &Self::V, &Self::V) -> Self::V,
        sum_shape: Option<Shape>,
    ) -> (Self::V, Option<Self::V>);

    /// A rule's whole result from its operands: eager mode runs `kernel` on the tensors (one
    /// pass where the formula would make several temporaries, e.g. a per-row reduction
    /// broadcast back); recording mode records `composed`, the same formula written with ops,
    /// so that it can be differentiated again. As with [`fused_slope`](Calc::fused_slope), the
    /// two must compute the same thing, and the rule that calls this states it once.
    fn fused<const N: usize>(
        &self,
        operands: [&Self::V; N],
        kernel: impl FnOnce([&Tensor; N]) -> Tensor,
        composed: impl FnOnce(&Self, [&Self::V; N]) -> Self::V,
    ) -> Self::V;

    /// `softmax(a)` along `axis`.
    fn softmax(&self, a: &Self::V, axis: usize) -> Self::V;

    /// A value computed from `a`'s numbers that takes no gradient (a mask or a sign).
    fn constant_from(&self, a: &Self::V, make: impl FnOnce(&Tensor) -> Tensor) -> Self::V;
    /// A constant tensor.
    fn constant(&self, value: Tensor) -> Self::V;

    /// The gradients of a user-defined op's inputs, one per input (`None` where not needed).
    fn custom_backward(
        &self,
        op: &Arc<dyn CustomOp>,
        inputs: &[NodeId],
        output: NodeId,
        grad_output: &Self::V,
    ) -> Vec<Option<Self::V>>;
}
