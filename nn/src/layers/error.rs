//! `ArchError`: why an architecture string does not describe a model for its input.

use std::fmt;

/// What is wrong with an architecture, naming the layer (its position in the list, from 1, and
/// its text) where the description fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchError {
    /// The description lists no layer.
    Empty,
    /// The input shape is not `F` or `CxHxW` of positive whole numbers.
    Input {
        /// The text given.
        text: String,
    },
    /// A layer's text does not parse.
    Syntax {
        /// The layer's position in the list, from 1.
        position: usize,
        /// The layer's text.
        layer: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A layer cannot take the shape the layers before it give.
    Shape {
        /// The layer's position in the list, from 1.
        position: usize,
        /// The layer's text.
        layer: String,
        /// The shape it receives (per example).
        input: Vec<usize>,
        /// Why it cannot take it.
        problem: String,
    },
    /// The last layer does not give one score per class (a flat output of at least 2).
    Output {
        /// The shape of the last layer's output (per example).
        shape: Vec<usize>,
    },
}

/// `1x8x8` for `[1, 8, 8]`.
pub(crate) fn shape_text(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(usize::to_string).collect();
    parts.join("x")
}

impl fmt::Display for ArchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchError::Empty => write!(f, "the architecture lists no layer"),
            ArchError::Input { text } => write!(
                f,
                "input shape {text:?} is not F or CxHxW (positive whole numbers, e.g. 1x8x8)"
            ),
            ArchError::Syntax {
                position,
                layer,
                problem,
            } => write!(f, "layer {position} ({layer:?}): {problem}"),
            ArchError::Shape {
                position,
                layer,
                input,
                problem,
            } => write!(
                f,
                "layer {position} ({layer:?}) on input {}: {problem}",
                shape_text(input)
            ),
            ArchError::Output { shape } => write!(
                f,
                "the last layer gives {} per example; a classifier needs one score per class \
                 (end with e.g. `flatten, dense 10`)",
                shape_text(shape)
            ),
        }
    }
}

impl std::error::Error for ArchError {}
