//! Softplus as a user-defined op with a recorded backward, exact or with a planted second-order error.

use autograd::{CustomOp, Tensor, Var};
use std::sync::Arc;

/// What [`RecordedSoftplus::backward_recorded`](CustomOp::backward_recorded) gets wrong; its
/// plain `backward` is exact in every case.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Planted {
    /// Nothing: the recorded rule is `dL/dx = dL/dy ⊙ σ(x)`, written with `Var` ops.
    Nothing,
    /// The saved `σ(x)` is recorded as a constant (the classic double-backward bug): the recorded
    /// gradient has the right value, but its own derivative lacks `dL/dy ⊙ σ′(x)`.
    DetachedSigmoid,
    /// The recorded rule is `dL/dy ⊙ (σ(x) + error)`: its derivative is right but its value is
    /// off by `error · dL/dy`.
    ValueError(f64),
}

/// `softplus(x) = ln(1 + eˣ)` elementwise, with plain backward `dL/dx = dL/dy ⊙ σ(x)` and a
/// recorded backward that is exact or carries a [`Planted`] error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecordedSoftplus {
    /// The error in the recorded rule, if any.
    pub planted: Planted,
}

impl RecordedSoftplus {
    /// Softplus whose recorded rule is exact.
    pub fn exact() -> RecordedSoftplus {
        RecordedSoftplus {
            planted: Planted::Nothing,
        }
    }

    /// Softplus whose recorded rule carries `planted`.
    pub fn with(planted: Planted) -> RecordedSoftplus {
        RecordedSoftplus { planted }
    }

    /// Records this op applied to `x`.
    #[track_caller]
    pub fn apply<'t>(self, x: Var<'t>) -> Var<'t> {
        Var::custom(Arc::new(self), &[x])
    }
}

impl CustomOp for RecordedSoftplus {
    fn name(&self) -> &str {
        "recorded_softplus"
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(|x| x.max(0.0) + (-x.abs()).exp().ln_1p())
    }

    fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![grad_output.zip_map(inputs[0], |grad_y, x| grad_y / (1.0 + (-x).exp()))]
    }

    fn backward_recorded<'t>(
        &self,
        inputs: &[Var<'t>],
        _output: Var<'t>,
        grad_output: Var<'t>,
    ) -> Option<Vec<Var<'t>>> {
        let x = inputs[0];
        let slope = match self.planted {
            Planted::Nothing => x.sigmoid(),
            Planted::DetachedSigmoid => x.sigmoid().detach(),
            Planted::ValueError(error) => x.sigmoid() + error,
        };
        Some(vec![grad_output * slope])
    }
}
