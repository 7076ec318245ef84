//! The affine map of a dense layer, `x · W + b`, as one op.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::{Activation, Tensor, is_bias_row};
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The affine map `self · weights + bias` of a dense layer, the bias row added to every row:
    /// `[m, k] · [k, n] + [n] → [m, n]`. A rank-1 input is one example: `[k] · [k, n] + [n] → [n]`.
    /// The bias may be shaped `[n]` or `[1, n]`.
    ///
    /// It equals `self.matmul(weights) + bias` exactly, but it is one node and one pass over
    /// the output instead of two, and its backward rule reduces the gradient for the bias
    /// without first copying the gradient through an addition.
    ///
    /// Backward: `dL/dX = dL/dY · Wᵀ`, `dL/dW = Xᵀ · dL/dY`, `dL/db = Σᵢ dL/dY[i, :]`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.constant(Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]));
    /// let w = tape.var(Tensor::from_rows(&[[1.0, 0.0, -1.0], [0.5, 1.0, 2.0]]));
    /// let b = tape.var(Tensor::from_vec(vec![0.1, 0.2, 0.3], [3]));
    /// let z = x.affine(w, b);
    /// assert_eq!(z.value().row(0), &[2.1, 2.2, 3.3]);
    /// let grads = z.sum().backward();
    /// assert_eq!(grads[b].data(), &[2.0, 2.0, 2.0]); // one per row
    /// ```
    ///
    /// # Panics
    /// If the input is not rank 1 or 2, the weights are not rank 2, the inner dimensions
    /// differ, the bias is not a row of `n` values, or the vars are on different tapes; the
    /// message names the three shapes and the caller's line.
    #[track_caller]
    pub fn affine(self, weights: Var<'t>, bias: Var<'t>) -> Var<'t> {
        self.layer(weights, bias, None)
    }

    /// A layer's node: `activation(self · weights + bias)`, or the affine map alone without an
    /// activation, after the shape checks [`affine`](Var::affine) documents (the messages name
    /// the op, `affine` or `dense`).
    #[track_caller]
    pub(super) fn layer(
        self,
        weights: Var<'t>,
        bias: Var<'t>,
        activation: Option<Activation>,
    ) -> Var<'t> {
        let op = if activation.is_some() {
            "dense"
        } else {
            "affine"
        };
        self.assert_same_tape(&weights, op);
        self.assert_same_tape(&bias, op);
        let at = Location::caller();
        let (x, w, b) = (self.shape(), weights.shape(), bias.shape());
        let fail = |why: String| -> ! { panic!("{op}: {x} · {w} + {b}: {why} (at {at})") };
        if !(1..=2).contains(&x.rank()) || w.rank() != 2 {
            fail(format!(
                "the input must have rank 1 or 2 and the weights rank 2, not {} and {}",
                x.rank(),
                w.rank()
            ));
        }
        let (inner_x, inner_w, n) = (x.dims()[x.rank() - 1], w.dims()[0], w.dims()[1]);
        if inner_x != inner_w {
            fail(format!("inner dimensions {inner_x} and {inner_w} differ"));
        }
        if !is_bias_row(b.dims(), n) {
            fail(format!(
                "the bias must be a row of {n} values, [{n}] or [1, {n}]"
            ));
        }
        if x.rank() == 1 {
            return self
                .reshape([1, inner_x])
                .layer(weights, bias, activation)
                .reshape([n]);
        }
        match activation {
            None => Var::apply(Affine, [self, weights, bias]),
            Some(activation) => Var::apply(super::dense::Dense { activation }, [self, weights, bias]),
        }
    }
}

/// `Y = X · W + b`, inputs `[X, W, b]`.
#[derive(Clone)]
pub(crate) struct Affine;

impl Primitive for Affine {
    const NAME: &'static str = "affine";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dX = dL/dY · Wᵀ;  dL/dW = Xᵀ · dL/dY;  dL/db = Σᵢ dL/dY[i, :]";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].affine(inputs[1], inputs[2])
    }

    /// For `Y = X · W + b` (the row `b` added to every row of `X · W`):
    /// `dL/dX = dL/dY · Wᵀ`, `dL/dW = Xᵀ · dL/dY` and `dL/db = Σᵢ dL/dY[i, :]`.
    ///
    /// The first two are the matrix product's rule; `b[j]` feeds every entry of column `j` with
    /// slope 1, so its gradient sums that column (`sum_to` brings it to b's shape, `[n]` or
    /// `[1, n]`). In the tutorial these are `delta2`'s first factor, `dW1 = Xᵀ · delta2` and
    /// `db1 = Σ delta2`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.matmul_nt(g, &saved.input(1)));
        grads.set(1, || c.matmul_tn(&saved.input(0), g));
        grads.set(2, || c.sum_to(g, saved.shape(2)));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[3, 4]·[4, 2] + [2]", &[(&[3, 4], n), (&[4, 2], n), (&[2], n)], |v| {
                v[0].affine(v[1], v[2])
            }),
            OpCase::new(Self::NAME, "[3, 4]·[4, 2] + [1, 2]", &[(&[3, 4], n), (&[4, 2], n), (&[1, 2], n)], |v| {
                v[0].affine(v[1], v[2])
            }),
            OpCase::new(Self::NAME, "[4]·[4, 3] + [3]", &[(&[4], n), (&[4, 3], n), (&[3], n)], |v| {
                v[0].affine(v[1], v[2])
            }),
        ]
    }
}
