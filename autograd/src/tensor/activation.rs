//! The activations a dense layer can apply to its affine map, as in-place kernels.

use crate::fastmath;
use std::fmt;

/// The activation of a dense layer, [`Var::dense`](crate::Var::dense) and
/// [`Tensor::dense`](crate::Tensor::dense): applied elementwise, with the same numbers as the ops
/// [`Var::tanh`](crate::Var::tanh), [`Var::relu`](crate::Var::relu) and
/// [`Var::sigmoid`](crate::Var::sigmoid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Activation {
    /// `tanh z`.
    Tanh,
    /// `max(z, 0)`.
    Relu,
    /// `σ(z) = 1 / (1 + e^(−z))`.
    Sigmoid,
}

impl Activation {
    /// The op's name: `tanh`, `relu` or `sigmoid`.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
        }
    }

    /// Replaces each value `z` by the activation of `z` (one thread).
    pub(crate) fn apply_in_place(self, values: &mut [f64]) {
        match self {
            Activation::Tanh => fastmath::tanh_in_place(values),
            Activation::Relu => values.iter_mut().for_each(|z| *z = relu(*z)),
            Activation::Sigmoid => fastmath::sigmoid_in_place(values),
        }
    }
}

/// `max(z, 0)`, with `0` for `z = 0`, `−0` and NaN: the number both the `relu` op and a dense
/// layer's relu write.
pub(crate) fn relu(z: f64) -> f64 {
    if z > 0.0 { z } else { 0.0 }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
