//! Elementwise `exp`, `ln`, `tanh` and the logistic sigmoid over whole tensors, vectorised.

use super::Tensor;
use super::storage;
use crate::fastmath;
use std::mem::MaybeUninit;

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

    /// Applies a slice kernel into fresh storage.
    fn map_slice(&self, kernel: fn(&[f64], &mut [MaybeUninit<f64>])) -> Tensor {
        Tensor {
            shape: self.shape,
            data: map_vec(&self.data, kernel),
        }
    }
}

/// `kernel` applied to `input` into fresh storage, without zeroing it first (these tensors can
/// hold millions of elements).
pub(super) fn map_vec(input: &[f64], kernel: fn(&[f64], &mut [MaybeUninit<f64>])) -> Vec<f64> {
    let len = input.len();
    let mut output = storage::with_capacity(len);
    kernel(input, &mut output.spare_capacity_mut()[..len]);
    // SAFETY: every fastmath slice kernel writes each element of its output, and the first
    // `len` elements of the capacity are that output.
    unsafe { output.set_len(len) };
    output
}
