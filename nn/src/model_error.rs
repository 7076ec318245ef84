//! `ModelError`: why a set of layer sizes, activations and parameters does not make an MLP.

use crate::layers::ArchError;
use std::fmt;

/// What is wrong with an architecture or with the parameters offered for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// Fewer than two layer sizes (an input and an output) were given.
    TooFewSizes {
        /// How many sizes were given.
        count: usize,
    },
    /// A layer size is zero.
    ZeroSize {
        /// The position of the size in the list, counting from 0.
        index: usize,
    },
    /// The number of activations is not the number of hidden layers.
    ActivationCount {
        /// How many activations were given.
        found: usize,
        /// How many hidden layers the sizes describe.
        expected: usize,
    },
    /// A parameter the architecture needs is absent.
    MissingParameter {
        /// Its name (`W2`, `b1`, ...).
        name: String,
    },
    /// A parameter the architecture does not have was given.
    UnexpectedParameter {
        /// Its name.
        name: String,
    },
    /// A parameter's shape does not fit the layer sizes.
    WrongShape {
        /// Its name.
        name: String,
        /// The shape given.
        found: Vec<usize>,
        /// The shape the layer sizes call for.
        expected: Vec<usize>,
    },
    /// A layer list that does not fit its input (see [`ArchError`]).
    Architecture(ArchError),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::TooFewSizes { count } => write!(
                f,
                "an MLP needs at least 2 layer sizes (inputs and outputs), got {count}"
            ),
            ModelError::ZeroSize { index } => write!(f, "layer size {index} is 0"),
            ModelError::ActivationCount { found, expected } => {
                write!(f, "{found} activations given for {expected} hidden layers")
            }
            ModelError::MissingParameter { name } => write!(f, "parameter {name:?} is missing"),
            ModelError::UnexpectedParameter { name } => {
                write!(f, "unexpected parameter {name:?}")
            }
            ModelError::WrongShape {
                name,
                found,
                expected,
            } => write!(
                f,
                "parameter {name:?} has shape {found:?}, expected {expected:?}"
            ),
            ModelError::Architecture(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ModelError {}
