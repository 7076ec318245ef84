//! A user-defined op for the tests: softplus with its true derivative, or with a planted error.

use autograd::{CustomOp, Tensor, Var};
use std::sync::Arc;

/// `softplus(x) = ln(1 + eˣ)` elementwise, with backward `dL/dx = dL/dy ⊙ σ(x)`; when
/// `planted_error` is set to `(flat_index, error)`, backward adds `error` to that element of the
/// gradient (modulo the input's length), so that the gradient checker has a bug to find.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Softplus {
    /// Where to add an error to the gradient, and how much; `None` for the true derivative.
    pub planted_error: Option<(usize, f64)>,
}

impl Softplus {
    /// Softplus with its true derivative.
    pub fn exact() -> Softplus {
        Softplus::default()
    }

    /// Softplus whose backward adds `error` at flat position `index` (modulo the input's length).
    pub fn with_error(index: usize, error: f64) -> Softplus {
        Softplus {
            planted_error: Some((index, error)),
        }
    }

    /// Records this op applied to `x`.
    #[track_caller]
    pub fn apply<'t>(self, x: Var<'t>) -> Var<'t> {
        Var::custom(Arc::new(self), &[x])
    }
}

impl CustomOp for Softplus {
    fn name(&self) -> &str {
        "softplus"
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(|x| x.max(0.0) + (-x.abs()).exp().ln_1p())
    }

    fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        let mut grad_x = grad_output.zip_map(inputs[0], |grad_y, x| grad_y / (1.0 + (-x).exp()));
        if let Some((index, error)) = self.planted_error {
            let length = grad_x.len();
            grad_x.data_mut()[index % length] += error;
        }
        vec![grad_x]
    }
}
