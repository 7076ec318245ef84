//! [`Activation::apply`]: each activation recorded on a tape, the composed ones as plain ops.

use crate::tape::Tape;
use crate::tensor::{Activation, Tensor};
use crate::var::Var;

/// `√(2/π)`, the scale inside the tanh approximation of GELU.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// The cubic term's coefficient in the tanh approximation of GELU.
const GELU_CUBIC: f64 = 0.044_715;

impl Activation {
    /// The activation of `z`, elementwise, recorded on `z`'s tape.
    ///
    /// Tanh, relu and sigmoid are one primitive op each. The others are compositions, so their
    /// derivatives (first and second order) are those of the ops below, by the chain rule, and
    /// none is written by hand:
    /// - leaky relu: `(1 − s)·relu(z) + s·z`; slope `s` at `z = 0` (relu's slope there is 0);
    /// - softplus: `relu(z) + ln(1 + e^u)` with `u = z − 2·relu(z) = −|z|`, so that `e^u ≤ 1`
    ///   never overflows, and the slope at 0 is `σ(0) = 1/2` (with `|z|` itself it would be 0).
    ///   Below `z ≈ −37` the result is 0 where `e^z` is below 1e-16;
    /// - elu: `relu(z) + α·(e^(z − relu(z)) − 1)`, where `z − relu(z) = min(z, 0)`, so the
    ///   exponential never sees a positive argument; slope `α` at 0;
    /// - gelu (tanh approximation): `z · ½ · (1 + tanh(√(2/π) · (z + 0.044715·z³)))`.
    ///
    /// ```
    /// use autograd::{Activation, Tape, Tensor};
    /// let tape = Tape::new();
    /// let z = tape.var(Tensor::from(vec![-2.0, 3.0]));
    /// let y = Activation::LeakyRelu { slope: 0.1 }.apply(z);
    /// assert_eq!(y.value().data(), &[-0.2, 3.0]);
    /// assert_eq!(y.sum().backward()[z].data(), &[0.1, 1.0]);
    /// ```
    #[track_caller]
    pub fn apply<'t>(self, z: Var<'t>) -> Var<'t> {
        match self {
            Activation::Tanh => z.tanh(),
            Activation::Relu => z.relu(),
            Activation::Sigmoid => z.sigmoid(),
            Activation::LeakyRelu { slope } => z.relu() * (1.0 - slope) + z * slope,
            Activation::Softplus => {
                let positive = z.relu();
                let minus_abs = z - positive * 2.0;
                positive + (minus_abs.exp() + 1.0).log()
            }
            Activation::Elu { alpha } => {
                let positive = z.relu();
                positive + ((z - positive).exp() - 1.0) * alpha
            }
            Activation::Gelu => {
                let inner = (z + z.square() * z * GELU_CUBIC) * SQRT_2_OVER_PI;
                z * 0.5 * (inner.tanh() + 1.0)
            }
        }
    }

    /// The activation of every value of `z`, as a tensor: the same numbers as
    /// [`apply`](Activation::apply), computed on a tape of its own.
    pub fn evaluate(self, z: &Tensor) -> Tensor {
        let tape = Tape::new();
        self.apply(tape.constant(z.clone())).value().clone()
    }
}
