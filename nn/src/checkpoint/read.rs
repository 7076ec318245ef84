//! Reading a JSON checkpoint back into a model, checking every field on the way.

use super::CheckpointError;
use crate::mlp::{Mlp, check_architecture, expected_shapes};
use crate::model_error::ModelError;
use crate::params::Params;
use autograd::Activation;
use autograd::Tensor;
use serde_json::{Map, Value};
use std::path::Path;

/// The text of the checkpoint file at `path`, or an I/O error naming it.
pub(super) fn read_text(path: &Path) -> Result<String, CheckpointError> {
    std::fs::read_to_string(path).map_err(|source| CheckpointError::Io {
        path: path.to_path_buf(),
        action: "read",
        source,
    })
}

/// Loads the checkpoint at `path` (see [`from_json`]).
pub fn load(path: &Path) -> Result<Mlp, CheckpointError> {
    let text = read_text(path)?;
    from_json(&text)
}

/// The model described by checkpoint JSON (see the [module docs](super)), bit for bit as saved.
///
/// Never panics: text that is not JSON, is cut short, lacks a field, holds the wrong kind of
/// value, names an unknown activation, or whose parameters do not fit the layer sizes (missing,
/// unexpected, wrongly shaped, too few or too many numbers) gives a [`CheckpointError`] naming
/// the field or parameter.
pub fn from_json(text: &str) -> Result<Mlp, CheckpointError> {
    let root: Value = serde_json::from_str(text).map_err(syntax_error)?;
    let root = as_object(&root, "checkpoint")?;
    let sizes = whole_numbers(field(root, "sizes", "")?, "sizes")?;
    let activations = read_activations(field(root, "activations", "")?)?;
    check_architecture(&sizes, &activations)?;
    let entries = as_object(field(root, "params", "")?, "params")?;
    let params = read_params(entries, "params", expected_shapes(&sizes))?;
    Ok(Mlp::from_params(&sizes, &activations, params)?)
}

pub(super) fn syntax_error(error: serde_json::Error) -> CheckpointError {
    let message = if error.is_eof() {
        "the text ends too early (is the file truncated?)".to_string()
    } else {
        let full = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        full.strip_suffix(&suffix).unwrap_or(&full).to_string()
    };
    CheckpointError::Syntax {
        line: error.line(),
        column: error.column(),
        message,
    }
}

fn read_activations(value: &Value) -> Result<Vec<Activation>, CheckpointError> {
    let items = as_array(value, "activations")?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let field = format!("activations[{index}]");
            let Some(name) = item.as_str() else {
                return Err(wrong_type(&field, "an activation name", item));
            };
            name.parse()
                .map_err(|_| CheckpointError::UnknownActivation {
                    field,
                    name: name.to_string(),
                })
        })
        .collect()
}

/// The tensors of `entries` (the object at `key`), exactly those `expected` names, each checked
/// against its expected shape before its data is read, so that no tensor of an absurd shape is ever built.
pub(super) fn read_params(
    entries: &Map<String, Value>,
    key: &str,
    expected: Vec<(String, Vec<usize>)>,
) -> Result<Params, CheckpointError> {
    if let Some(name) = entries
        .keys()
        .find(|name| !expected.iter().any(|(known, _)| known == *name))
    {
        return Err(ModelError::UnexpectedParameter { name: name.clone() }.into());
    }
    let mut params = Params::new();
    for (name, expected_shape) in expected {
        let Some(entry) = entries.get(&name) else {
            return Err(ModelError::MissingParameter { name }.into());
        };
        let prefix = format!("{key}.{name}");
        let entry = as_object(entry, &prefix)?;
        let shape_field = format!("{prefix}.shape");
        let shape = whole_numbers(field(entry, "shape", &prefix)?, &shape_field)?;
        if shape != expected_shape {
            return Err(ModelError::WrongShape {
                name,
                found: shape,
                expected: expected_shape,
            }
            .into());
        }
        // Layer sizes are only bounded by JSON, so their product may not fit in a usize.
        let Some(numel) = shape
            .iter()
            .try_fold(1usize, |count, &size| count.checked_mul(size))
        else {
            return Err(CheckpointError::ShapeTooLarge { name, shape });
        };
        let data_field = format!("{prefix}.data");
        let data = numbers(field(entry, "data", &prefix)?, &data_field)?;
        if data.len() != numel {
            return Err(CheckpointError::DataLength {
                name,
                found: data.len(),
                expected: numel,
            });
        }
        params.insert(name, Tensor::from_vec(data, shape.as_slice()));
    }
    Ok(params)
}

pub(super) fn field<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    prefix: &str,
) -> Result<&'a Value, CheckpointError> {
    object
        .get(name)
        .ok_or_else(|| CheckpointError::MissingField {
            field: if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            },
        })
}

pub(super) fn as_object<'a>(
    value: &'a Value,
    field: &str,
) -> Result<&'a Map<String, Value>, CheckpointError> {
    value
        .as_object()
        .ok_or_else(|| wrong_type(field, "an object", value))
}

fn as_array<'a>(value: &'a Value, field: &str) -> Result<&'a Vec<Value>, CheckpointError> {
    value
        .as_array()
        .ok_or_else(|| wrong_type(field, "an array", value))
}

pub(super) fn whole_numbers(value: &Value, field: &str) -> Result<Vec<usize>, CheckpointError> {
    as_array(value, field)?
        .iter()
        .enumerate()
        .map(|(index, item)| {
            item.as_u64()
                .and_then(|number| usize::try_from(number).ok())
                .ok_or_else(|| wrong_type(&format!("{field}[{index}]"), "a whole number", item))
        })
        .collect()
}

fn numbers(value: &Value, field: &str) -> Result<Vec<f64>, CheckpointError> {
    as_array(value, field)?
        .iter()
        .enumerate()
        .map(|(index, item)| {
            item.as_f64()
                .ok_or_else(|| wrong_type(&format!("{field}[{index}]"), "a number", item))
        })
        .collect()
}

pub(super) fn wrong_type(field: &str, expected: &'static str, value: &Value) -> CheckpointError {
    CheckpointError::WrongType {
        field: field.to_string(),
        expected,
        found: describe(value),
    }
}

/// A short description of a JSON value for messages: its kind, and its text when short.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(flag) => format!("the boolean {flag}"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) if text.chars().count() <= 40 => format!("the string {text:?}"),
        Value::String(_) => "a string".to_string(),
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::Object(_) => "an object".to_string(),
    }
}
