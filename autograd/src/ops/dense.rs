//! A dense layer, `activation(x · W + b)`, as one op.

use super::{affine, sigmoid, tanh_relu};
use crate::calc::Calc;
use crate::tensor::Activation;
use crate::var::Var;

impl<'t> Var<'t> {
    /// A dense layer: `activation(self · weights + bias)`, the affine map of
    /// [`affine`](Var::affine) followed by [`tanh`](Var::tanh), [`relu`](Var::relu) or
    /// [`sigmoid`](Var::sigmoid). Shapes as for `affine`. Any other activation is recorded as
    /// `activation.apply(self.affine(weights, bias))` (see [`Activation::apply`]).
    ///
    /// It equals `self.affine(weights, bias).tanh()` (and so on) exactly, in value and
    /// gradients, but it is one node instead of two: the layer's pre-activation is not kept on
    /// the tape (on a 100,000-example batch with 64 hidden units, 51 MB less per step), and the
    /// product applies the activation to each block of its output while it is still in cache
    /// (see [`Tensor::dense`](crate::Tensor::dense)) instead of in a second pass.
    ///
    /// ```
    /// use autograd::{Activation, Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.constant(Tensor::from_rows(&[[1.0, -2.0]]));
    /// let w = tape.var(Tensor::from_rows(&[[0.5, 1.0], [0.25, 1.0]]));
    /// let b = tape.var(Tensor::from_vec(vec![0.0, 0.5], [2]));
    /// let h = x.dense(w, b, Activation::Relu); // relu([0.0, -0.5])
    /// assert_eq!(h.value().data(), &[0.0, 0.0]);
    /// let composed = x.affine(w, b).tanh();
    /// let h = x.dense(w, b, Activation::Tanh);
    /// assert_eq!(*h.value(), *composed.value());
    /// ```
    ///
    /// # Panics
    /// As [`affine`](Var::affine), with `dense` in the message.
    #[track_caller]
    pub fn dense(self, weights: Var<'t>, bias: Var<'t>, activation: Activation) -> Var<'t> {
        if !activation.is_fused() {
            // Composed activations have no fused rule: the affine node, then their ops.
            return activation.apply(self.affine(weights, bias));
        }
        self.layer(weights, bias, Some(activation))
    }
}

/// For `Y = act(Z)`, `Z = X · W + b`: first `dL/dZ = dL/dY ⊙ act'(Z)`, from the saved output
/// `Y` as the activation's own rule takes it (`1 − Y²` for tanh, `Y ⊙ (1 − Y)` for the
/// sigmoid, `[Y > 0]` for relu, which is `[Z > 0]`), then the affine map's rule with `dL/dZ`:
/// `dL/dX = dL/dZ · Wᵀ`, `dL/dW = Xᵀ · dL/dZ`, `dL/db = Σᵢ dL/dZ[i, :]`. In the tutorial,
/// `dL/dZ` of the hidden layer is `delta2`. For a bias of shape `[n]`, `n > 1`, eager mode sums
/// `dL/db` while it writes `dL/dZ` (see [`Calc::fused_slope`]).
pub(crate) fn backward<C: Calc>(
    c: &C,
    [x, w, b]: [&C::V; 3],
    y: &C::V,
    grad_y: &C::V,
    activation: Activation,
    needs: [bool; 3],
) -> [Option<C::V>; 3] {
    let bias_shape = needs[2].then(|| c.shape(b));
    let (grad_z, grad_b) = match activation {
        Activation::Tanh => tanh_relu::tanh_backward(c, y, grad_y, bias_shape),
        Activation::Sigmoid => sigmoid::backward(c, y, grad_y, bias_shape),
        // relu's rule masks by its input's sign; the output has the same sign pattern.
        Activation::Relu => tanh_relu::relu_backward(c, y, grad_y, bias_shape),
        composed => unreachable!("dense records only fused activations, not {composed}"),
    };
    let [grad_x, grad_w, _] = affine::backward(c, x, w, b, &grad_z, [needs[0], needs[1], false]);
    [grad_x, grad_w, grad_b]
}
