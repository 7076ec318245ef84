//! Elementwise `exp`, `ln`, `tanh` and the logistic sigmoid over whole tensors, vectorised.

use super::Tensor;
use crate::fastmath;

impl Tensor {
    /// `eˣ` elementwise (within 2 ulp of the C library's `exp`).
    pub fn exp(&self) -> Tensor {
        self.map_slice(fastmath::exp_slice)
    }

    /// The natural logarithm elementwise (within 2 ulp of the C library's `log`).
    pub fn ln(&self) -> Tensor {
        self.map_slice(fastmath::ln_slice)
    }

    /// `tanh x` elementwise (within 3 ulp of the C library's `tanh`).
    pub fn tanh(&self) -> Tensor {
        self.map_slice(fastmath::tanh_slice)
    }

    /// `σ(x) = 1/(1 + e^(−x))` elementwise, without overflow for any `x`.
    pub fn sigmoid(&self) -> Tensor {
        self.map_slice(fastmath::sigmoid_slice)
    }

    fn map_slice(&self, kernel: fn(&[f64], &mut [f64])) -> Tensor {
        let mut data = vec![0.0; self.len()];
        kernel(&self.data, &mut data);
        Tensor {
            shape: self.shape,
            data,
        }
    }
}
