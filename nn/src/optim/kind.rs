//! `OptimizerKind`: the choice of optimiser by name, and building one.

use super::{Adam, Momentum, Optimizer, Sgd};
use std::fmt;
use std::str::FromStr;

/// Which optimiser to train with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OptimizerKind {
    /// Plain gradient descent ([`Sgd`]), the tutorial's.
    #[default]
    Gd,
    /// Gradient descent with momentum 0.9 ([`Momentum`]).
    Momentum,
    /// [`Adam`] with its usual coefficients.
    Adam,
}

impl OptimizerKind {
    /// Every kind, in a fixed order.
    pub const ALL: [OptimizerKind; 3] = [
        OptimizerKind::Gd,
        OptimizerKind::Momentum,
        OptimizerKind::Adam,
    ];

    /// A fresh optimiser of this kind with step size `learning_rate`.
    pub fn build(self, learning_rate: f64) -> Box<dyn Optimizer> {
        match self {
            OptimizerKind::Gd => Box::new(Sgd::new(learning_rate)),
            OptimizerKind::Momentum => Box::new(Momentum::new(learning_rate, 0.9)),
            OptimizerKind::Adam => Box::new(Adam::new(learning_rate)),
        }
    }

    /// The name as written in flags (`gd`, `momentum`, `adam`).
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Gd => "gd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Adam => "adam",
        }
    }
}

impl fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an optimiser name that is not one of `gd`, `momentum`, `adam`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownOptimizer {
    /// The text that was given.
    pub name: String,
}

impl fmt::Display for UnknownOptimizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown optimizer {:?} (expected gd, momentum or adam)",
            self.name
        )
    }
}

impl std::error::Error for UnknownOptimizer {}

impl FromStr for OptimizerKind {
    type Err = UnknownOptimizer;

    /// Parses `gd` (or `sgd`), `momentum` or `adam`.
    fn from_str(name: &str) -> Result<OptimizerKind, UnknownOptimizer> {
        if name == "sgd" {
            return Ok(OptimizerKind::Gd);
        }
        OptimizerKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| UnknownOptimizer {
                name: name.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_to_the_same_kind_and_build_with_the_learning_rate() {
        for kind in OptimizerKind::ALL {
            assert_eq!(kind.to_string().parse(), Ok(kind));
            assert_eq!(kind.build(0.25).learning_rate(), 0.25);
        }
        assert_eq!(
            "rmsprop".parse::<OptimizerKind>().unwrap_err().to_string(),
            "unknown optimizer \"rmsprop\" (expected gd, momentum or adam)"
        );
    }
}
