//! `log_softmax_backward(y, g) = g − exp(y) ⊙ Σ_axis g`: log-softmax's rule in one pass per lane.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

/// `out = g − exp(y) ⊙ Σ_axis g` for `y = log_softmax(x)`: the derivative op of
/// [`Var::log_softmax`], inputs `[y, g]`.
#[derive(Clone)]
pub(crate) struct LogSoftmaxBackward {
    pub(crate) axis: usize,
}

impl Primitive for LogSoftmaxBackward {
    const NAME: &'static str = "log_softmax_backward";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dg = dL/dout − Σ_axis(dL/dout ⊙ p);  dL/dy = −dL/dout ⊙ p ⊙ Σ_axis g  (p = exp(y))";

    fn parameters(&self) -> String {
        format!("axis={}", self.axis)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].log_softmax_slope(inputs[1], self.axis)
    }

    /// For `outᵢ = gᵢ − pᵢ·S` with `p = exp(y)` and `S = Σ_axis g` (lane by lane):
    /// `∂outᵢ/∂gⱼ = δᵢⱼ − pᵢ`, so `dL/dg = dL/dout − Σ_axis(dL/dout ⊙ p)`; and
    /// `∂outᵢ/∂yᵢ = −pᵢ·S`, so `dL/dy = −dL/dout ⊙ p ⊙ S`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, u: &C::V, grads: &mut Grads<'_, C::V>) {
        let axis = self.axis;
        let p = c.exp(&saved.input(0));
        grads.set(0, || {
            let total = c.sum_axis(&saved.input(1), axis, true);
            c.neg(&c.mul(&c.mul(u, &p), &total))
        });
        grads.set(1, || c.sub(u, &c.sum_axis(&c.mul(u, &p), axis, true)));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[3, 4] axis 1", &[(&[3, 4], n), (&[3, 4], n)], |v| {
                Var::apply(LogSoftmaxBackward { axis: 1 }, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[3, 4] axis 0", &[(&[3, 4], n), (&[3, 4], n)], |v| {
                Var::apply(LogSoftmaxBackward { axis: 0 }, [v[0], v[1]])
            }),
        ]
    }
}
