//! The hidden-layer activations an MLP can use, by name.

use autograd::Var;
use std::fmt;
use std::str::FromStr;

/// A hidden layer's nonlinearity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Activation {
    /// `tanh(z)`, the tutorial's choice.
    #[default]
    Tanh,
    /// `max(z, 0)`.
    Relu,
    /// `1 / (1 + e^(−z))`.
    Sigmoid,
}

impl Activation {
    /// Every activation, in a fixed order.
    pub const ALL: [Activation; 3] = [Activation::Tanh, Activation::Relu, Activation::Sigmoid];

    /// The activation applied elementwise to `z`, recorded on `z`'s tape.
    #[track_caller]
    pub fn apply<'t>(self, z: Var<'t>) -> Var<'t> {
        match self {
            Activation::Tanh => z.tanh(),
            Activation::Relu => z.relu(),
            Activation::Sigmoid => z.sigmoid(),
        }
    }

    /// The engine's activation of the same name, for [`Var::dense`].
    pub fn kind(self) -> autograd::Activation {
        match self {
            Activation::Tanh => autograd::Activation::Tanh,
            Activation::Relu => autograd::Activation::Relu,
            Activation::Sigmoid => autograd::Activation::Sigmoid,
        }
    }

    /// The name as written in flags and checkpoints (`tanh`, `relu`, `sigmoid`).
    pub fn name(self) -> &'static str {
        self.kind().name()
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an activation name that is not one of `tanh`, `relu`, `sigmoid`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownActivation {
    /// The text that was given.
    pub name: String,
}

impl fmt::Display for UnknownActivation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown activation {:?} (expected tanh, relu or sigmoid)",
            self.name
        )
    }
}

impl std::error::Error for UnknownActivation {}

impl FromStr for Activation {
    type Err = UnknownActivation;

    /// Parses `tanh`, `relu` or `sigmoid` (exactly, lowercase).
    fn from_str(name: &str) -> Result<Activation, UnknownActivation> {
        Activation::ALL
            .into_iter()
            .find(|activation| activation.name() == name)
            .ok_or_else(|| UnknownActivation {
                name: name.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::{Tape, Tensor};

    #[test]
    fn names_parse_back_to_the_same_activation() {
        for activation in Activation::ALL {
            assert_eq!(activation.to_string().parse(), Ok(activation));
        }
        let error = "softplus".parse::<Activation>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown activation \"softplus\" (expected tanh, relu or sigmoid)"
        );
    }

    #[test]
    fn each_activation_computes_its_function() {
        let tape = Tape::new();
        let z = tape.constant(Tensor::from_vec(vec![-1.0, 0.0, 2.0], [3]));
        let tanh = Activation::Tanh.apply(z).value().clone();
        let relu = Activation::Relu.apply(z).value().clone();
        let sigmoid = Activation::Sigmoid.apply(z).value().clone();
        // The engine's vectorised tanh is within a few ulp of the C library's.
        for (got, want) in tanh
            .data()
            .iter()
            .zip([(-1.0f64).tanh(), 0.0, 2.0f64.tanh()])
        {
            assert!(
                (got - want).abs() <= 4.0 * f64::EPSILON * want.abs(),
                "{got} vs {want}"
            );
        }
        assert_eq!(relu.data(), &[0.0, 0.0, 2.0]);
        let expected = [
            1.0 / (1.0 + 1.0f64.exp()),
            0.5,
            1.0 / (1.0 + (-2.0f64).exp()),
        ];
        for (got, want) in sigmoid.data().iter().zip(expected) {
            assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        }
    }
}
