//! The activations a hidden layer can apply: the enum, its names, and the in-place kernels of the
//! three that a dense layer fuses into its product.

use crate::kernels::fastmath;
use std::fmt;
use std::str::FromStr;

/// A hidden layer's nonlinearity, applied elementwise.
///
/// `Tanh`, `Relu` and `Sigmoid` are primitive ops ([`Var::tanh`](crate::Var::tanh),
/// [`Var::relu`](crate::Var::relu), [`Var::sigmoid`](crate::Var::sigmoid)), which
/// [`Var::dense`](crate::Var::dense) and [`Tensor::dense`](crate::Tensor::dense) fuse into the
/// layer's product. The others are compositions of primitive ops, with no derivative of their
/// own: their gradients (of every order) come from the ops they are made of (see
/// [`Activation::apply`]).
///
/// Names, as [`Display`](fmt::Display) writes and [`FromStr`] reads them: `tanh`, `relu`,
/// `sigmoid`, `leaky_relu` (slope 0.01) or `leaky_relu:SLOPE`, `softplus`, `elu` (α = 1) or
/// `elu:ALPHA`, `gelu`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Activation {
    /// `tanh z`, the tutorial's choice.
    #[default]
    Tanh,
    /// `max(z, 0)`.
    Relu,
    /// `σ(z) = 1 / (1 + e^(−z))`.
    Sigmoid,
    /// `z` for `z > 0`, `slope · z` otherwise.
    LeakyRelu {
        /// The slope for negative `z` (0.01 by default).
        slope: f64,
    },
    /// `ln(1 + e^z)`, a smooth relu.
    Softplus,
    /// `z` for `z > 0`, `α · (e^z − 1)` otherwise.
    Elu {
        /// The value approached as `z → −∞` is `−α` (α = 1 by default).
        alpha: f64,
    },
    /// The Gaussian error linear unit, by its tanh approximation (not by `erf`):
    /// `z/2 · (1 + tanh(√(2/π) · (z + 0.044715 z³)))`.
    Gelu,
}

/// The slope of `leaky_relu` when the name gives none.
pub const DEFAULT_LEAKY_SLOPE: f64 = 0.01;
/// The α of `elu` when the name gives none.
pub const DEFAULT_ELU_ALPHA: f64 = 1.0;

impl Activation {
    /// Every kind of activation, with the default parameters, in a fixed order.
    pub const ALL: [Activation; 7] = [
        Activation::Tanh,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::LeakyRelu {
            slope: DEFAULT_LEAKY_SLOPE,
        },
        Activation::Softplus,
        Activation::Elu {
            alpha: DEFAULT_ELU_ALPHA,
        },
        Activation::Gelu,
    ];

    /// The kind's name, without its parameter: `tanh`, `relu`, `sigmoid`, `leaky_relu`,
    /// `softplus`, `elu` or `gelu`. [`Display`](fmt::Display) adds the parameter.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Softplus => "softplus",
            Activation::Elu { .. } => "elu",
            Activation::Gelu => "gelu",
        }
    }

    /// Whether a dense layer computes this activation in its product's kernel (tanh, relu and
    /// sigmoid); the others are applied to the affine map as compositions of ops.
    pub fn is_fused(self) -> bool {
        matches!(
            self,
            Activation::Tanh | Activation::Relu | Activation::Sigmoid
        )
    }

    /// Replaces each value `z` by the activation of `z` (one thread).
    ///
    /// # Panics
    /// For an activation that is not [fused](Activation::is_fused): those are never handed to a
    /// kernel.
    pub(crate) fn apply_in_place(self, values: &mut [f64]) {
        self.in_place()(values)
    }

    /// The fused kernel [`apply_in_place`](Self::apply_in_place) runs, as a function a product
    /// applies to its finished cells.
    pub(crate) fn in_place(self) -> fn(&mut [f64]) {
        match self {
            Activation::Tanh => fastmath::tanh_in_place,
            Activation::Relu => relu_in_place,
            Activation::Sigmoid => fastmath::sigmoid_in_place,
            composed => unreachable!("{composed} has no fused kernel; it is composed from ops"),
        }
    }
}

/// [`relu`] in place.
fn relu_in_place(values: &mut [f64]) {
    values.iter_mut().for_each(|z| *z = relu(*z))
}

/// `max(z, 0)`, with `0` for `z = 0`, `−0` and NaN: the number both the `relu` op and a dense
/// layer's relu write.
pub(crate) fn relu(z: f64) -> f64 {
    if z > 0.0 { z } else { 0.0 }
}

impl fmt::Display for Activation {
    /// The name, with the parameter after a colon where there is one (`leaky_relu:0.2`); the
    /// number is written exactly, so the text parses back to the same activation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activation::LeakyRelu { slope } => write!(f, "leaky_relu:{slope}"),
            Activation::Elu { alpha } => write!(f, "elu:{alpha}"),
            other => f.write_str(other.name()),
        }
    }
}

/// The error of parsing a text that names no activation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownActivation {
    /// The text that was given.
    pub name: String,
}

impl fmt::Display for UnknownActivation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown activation {:?} (expected tanh, relu, sigmoid, leaky_relu[:SLOPE], \
             softplus, elu[:ALPHA] or gelu)",
            self.name
        )
    }
}

impl std::error::Error for UnknownActivation {}

impl FromStr for Activation {
    type Err = UnknownActivation;

    /// Parses a name as [`Display`](fmt::Display) writes it (exactly, lowercase); the
    /// parameter of `leaky_relu` and `elu` is optional and must be a finite number.
    fn from_str(text: &str) -> Result<Activation, UnknownActivation> {
        let unknown = || UnknownActivation {
            name: text.to_string(),
        };
        let (name, parameter) = match text.split_once(':') {
            Some((name, parameter)) => {
                let value: f64 = parameter.parse().map_err(|_| unknown())?;
                if !value.is_finite() {
                    return Err(unknown());
                }
                (name, Some(value))
            }
            None => (text, None),
        };
        let kind = Activation::ALL
            .into_iter()
            .find(|activation| activation.name() == name)
            .ok_or_else(unknown)?;
        match (kind, parameter) {
            (_, None) => Ok(kind),
            (Activation::LeakyRelu { .. }, Some(slope)) => Ok(Activation::LeakyRelu { slope }),
            (Activation::Elu { .. }, Some(alpha)) => Ok(Activation::Elu { alpha }),
            (_, Some(_)) => Err(unknown()),
        }
    }
}
