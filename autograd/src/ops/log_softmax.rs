//! Log-softmax along an axis, computed without forming the softmax.

use super::log_softmax_backward::LogSoftmaxBackward;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `x − log Σ exp(x)` along `axis`: the log of [`softmax`](Var::softmax), computed without
    /// forming the softmax, so it is finite wherever the logits are.
    ///
    /// Backward: `dL/dx = dL/dy − exp(y) ⊙ Σ_axis dL/dy`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn log_softmax(self, axis: usize) -> Var<'t> {
        self.check_axis("log_softmax", axis);
        Var::apply(LogSoftmax { axis }, [self])
    }
}

/// `y = log_softmax(x)` along `axis`.
#[derive(Clone)]
pub(crate) struct LogSoftmax {
    pub(crate) axis: usize,
}

impl Primitive for LogSoftmax {
    const NAME: &'static str = "log_softmax";
    const SAVES: Saves = Saves::OUTPUT;
    const RULE: &'static str = "dL/dx = dL/dy − exp(y) ⊙ Σ_axis dL/dy";

    fn parameters(&self) -> String {
        format!("axis={}", self.axis)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].log_softmax_axis(self.axis)
    }

    /// For `y = log_softmax(x)` along an axis: `dL/dx = dL/dy − exp(y) ⊙ Σ_axis dL/dy`, from
    /// `∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ` with `softmax(x) = exp(y)`: the derivative op
    /// [`LogSoftmaxBackward`] (one pass per lane). With the cross-entropy's one-hot upstream
    /// gradient this is the tutorial's `delta3 = probs − onehot(y)`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let op = LogSoftmaxBackward { axis: self.axis };
        grads.set(0, || c.apply(op, [&saved.output(), g]));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[5] axis 0", &[(&[5], n)], |v| v[0].log_softmax(0)),
            OpCase::new(Self::NAME, "[3, 4] axis 1", &[(&[3, 4], n)], |v| v[0].log_softmax(1)),
            OpCase::new(Self::NAME, "[3, 4] axis 0", &[(&[3, 4], n)], |v| v[0].log_softmax(0)),
            OpCase::new(Self::NAME, "[2, 3, 4] axis 1", &[(&[2, 3, 4], n)], |v| v[0].log_softmax(1)),
        ]
    }
}
