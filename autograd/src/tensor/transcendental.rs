//! Elementwise `exp`, `ln`, `tanh` and the logistic sigmoid over whole tensors, vectorised.

use super::Tensor;
use crate::kernels::fastmath::{self, Vectorised};

impl Tensor {
    /// `eˣ` elementwise (within 2 ulp of the C library's `exp`).
    pub fn exp(&self) -> Tensor {
        self.mapped(Vectorised::Exp)
    }

    /// The natural logarithm elementwise (within 2 ulp of the C library's `log`).
    pub fn ln(&self) -> Tensor {
        self.mapped(Vectorised::Ln)
    }

    /// `tanh x` elementwise (within 3 ulp of the C library's `tanh`).
    pub fn tanh(&self) -> Tensor {
        self.mapped(Vectorised::Tanh)
    }

    /// `σ(x) = 1/(1 + e^(−x))` elementwise, without overflow for any `x`.
    pub fn sigmoid(&self) -> Tensor {
        self.mapped(Vectorised::Sigmoid)
    }

    /// A vectorised kernel applied into fresh storage.
    fn mapped(&self, function: Vectorised) -> Tensor {
        Tensor::from_vec(fastmath::mapped(&self.data, function), self.shape)
    }
}
