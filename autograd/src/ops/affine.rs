//! The affine map of a dense layer, `x · W + b`, as one op.

use super::Op;
use crate::calc::Calc;
use crate::tape::Inputs;
use crate::tensor::{Activation, is_bias_row};
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
        let (x, w, b) = (self.value(), weights.value(), bias.value());
        let (op, value) = match activation {
            None => (Op::Affine, x.affine(&w, &b)),
            Some(activation) => (Op::Dense { activation }, x.dense(&w, &b, activation)),
        };
        drop((x, w, b));
        self.tape
            .record(op, Inputs::Three([self.id, weights.id, bias.id]), value)
    }
}

/// For `Y = X · W + b` (the row `b` added to every row of `X · W`):
/// `dL/dX = dL/dY · Wᵀ`, `dL/dW = Xᵀ · dL/dY` and `dL/db = Σᵢ dL/dY[i, :]`.
///
/// The first two are the matrix product's rule; `b[j]` feeds every entry of column `j` with
/// slope 1, so its gradient sums that column (`sum_to` brings it to b's shape, `[n]` or
/// `[1, n]`). In the tutorial these are `delta2`'s first factor, `dW1 = Xᵀ · delta2` and
/// `db1 = Σ delta2`.
pub(crate) fn backward<C: Calc>(
    c: &C,
    x: &C::V,
    w: &C::V,
    b: &C::V,
    grad_y: &C::V,
    needs: [bool; 3],
) -> [Option<C::V>; 3] {
    [
        needs[0].then(|| c.matmul_nt(grad_y, w)),
        needs[1].then(|| c.matmul_tn(x, grad_y)),
        needs[2].then(|| c.sum_to(grad_y, c.shape(b))),
    ]
}
