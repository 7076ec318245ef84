//! `CheckpointError`: why a checkpoint could not be written or read, naming what is wrong.

use super::safetensors::SafetensorsError;
use crate::model_error::ModelError;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// What went wrong with a checkpoint. Displays as `checkpoint: ...`, the facts first.
#[derive(Debug)]
pub enum CheckpointError {
    /// The file could not be read, written or renamed.
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done (`read`, `write`, `rename`).
        action: &'static str,
        /// The system's error.
        source: io::Error,
    },
    /// The text is not JSON (or is cut short).
    Syntax {
        /// The line of the error, from 1.
        line: usize,
        /// The column of the error, from 1.
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// A required field is absent.
    MissingField {
        /// Where, as a path (`sizes`, `params.W1.shape`).
        field: String,
    },
    /// A field holds the wrong kind of JSON value.
    WrongType {
        /// Where, as a path (`sizes[1]`, `params.W1.data[4]`).
        field: String,
        /// What it should hold.
        expected: &'static str,
        /// What it holds.
        found: String,
    },
    /// An activation name is not known.
    UnknownActivation {
        /// Where, as a path (`activations[0]`).
        field: String,
        /// The name found.
        name: String,
    },
    /// A parameter's data does not hold as many numbers as its shape says.
    DataLength {
        /// The parameter.
        name: String,
        /// How many numbers the data holds.
        found: usize,
        /// How many its shape calls for.
        expected: usize,
    },
    /// A parameter's shape holds more numbers than a `usize` can count (from absurd layer sizes).
    ShapeTooLarge {
        /// The parameter.
        name: String,
        /// Its shape.
        shape: Vec<usize>,
    },
    /// A parameter holds a NaN or an infinity, which JSON cannot represent (when saving).
    NotFinite {
        /// The parameter.
        name: String,
        /// The position of the first such number, row-major.
        index: usize,
        /// The number.
        value: f64,
    },
    /// The architecture and parameters do not make a model (a missing parameter, a wrong shape).
    Model(ModelError),
    /// Safetensors bytes are damaged or hold what a model cannot.
    Safetensors(SafetensorsError),
    /// The checkpoint holds another model than the one asked for.
    OtherModel {
        /// The model the checkpoint describes.
        found: String,
        /// The model it should describe.
        expected: String,
    },
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "checkpoint: ")?;
        match self {
            CheckpointError::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
            CheckpointError::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "not valid JSON at line {line} column {column}: {message}"
            ),
            CheckpointError::MissingField { field } => write!(f, "missing field {field:?}"),
            CheckpointError::WrongType {
                field,
                expected,
                found,
            } => write!(f, "{field:?} should be {expected}, found {found}"),
            CheckpointError::UnknownActivation { field, name } => write!(
                f,
                "{field:?} is {name:?}, not an activation (tanh, relu, sigmoid, leaky_relu[:SLOPE], softplus, elu[:ALPHA] or gelu)"
            ),
            CheckpointError::DataLength {
                name,
                found,
                expected,
            } => write!(
                f,
                "parameter {name:?} holds {found} numbers, its shape calls for {expected}"
            ),
            CheckpointError::ShapeTooLarge { name, shape } => write!(
                f,
                "parameter {name:?} has shape {shape:?}, more numbers than can be held"
            ),
            CheckpointError::NotFinite { name, index, value } => write!(
                f,
                "parameter {name:?} element {index} is {value}, which JSON cannot hold"
            ),
            CheckpointError::Model(error) => write!(f, "{error}"),
            CheckpointError::Safetensors(error) => write!(f, "safetensors: {error}"),
            CheckpointError::OtherModel { found, expected } => write!(
                f,
                "holds another model, {found:?}, not the {expected:?} asked for"
            ),
        }
    }
}

impl std::error::Error for CheckpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CheckpointError::Io { source, .. } => Some(source),
            CheckpointError::Model(error) => Some(error),
            CheckpointError::Safetensors(error) => Some(error),
            _ => None,
        }
    }
}

impl From<SafetensorsError> for CheckpointError {
    fn from(error: SafetensorsError) -> CheckpointError {
        CheckpointError::Safetensors(error)
    }
}

impl From<ModelError> for CheckpointError {
    fn from(error: ModelError) -> CheckpointError {
        CheckpointError::Model(error)
    }
}
