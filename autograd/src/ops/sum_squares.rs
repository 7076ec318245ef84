//! The sum of squares `Σ x²` of all elements (the squared Euclidean norm), one node.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `Σ x²` over all elements, as a rank-0 var: the squared norm `‖x‖²` that an L2 weight
    /// penalty adds up.
    ///
    /// The same value as `self.square().sum()`, as one node instead of two, for speed: the
    /// backward pass is one elementwise kernel, where the pair broadcasts the gradient back to
    /// `x`'s shape first.
    ///
    /// Backward: `dL/dx = 2·x·dL/dy`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let w = tape.var(Tensor::from_rows(&[[1.0, -2.0], [3.0, 0.5]]));
    /// let norm_squared = w.sum_squares();
    /// assert_eq!(norm_squared.item(), 14.25);
    /// let grads = norm_squared.backward();
    /// assert_eq!(grads[w].data(), &[2.0, -4.0, 6.0, 1.0]); // 2·w
    /// ```
    #[track_caller]
    pub fn sum_squares(self) -> Var<'t> {
        Var::apply(SumSquares, [self])
    }
}

/// `y = Σ x²`.
#[derive(Clone)]
pub(crate) struct SumSquares;

impl Primitive for SumSquares {
    const NAME: &'static str = "sum_squares";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = 2·x · dL/dy";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        Tensor::scalar(inputs[0].sum_squares())
    }

    /// For `y = Σᵢ xᵢ²`: `dL/dxᵢ = 2·xᵢ·dL/dy`, with `dL/dy` a scalar (computed as
    /// `(dL/dy·xᵢ)·2`, as the `square` rule does after `sum`'s broadcast, so both give the same
    /// bits).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.scale(&c.mul(g, &saved.input(0)), 2.0));
    }

    fn cases() -> Vec<OpCase> {
        cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].sum_squares())
    }
}
