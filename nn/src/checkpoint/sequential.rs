//! Checkpoints of [`Sequential`] models: the input shape, the layer list in text, the parameters
//! and batch normalisation's running statistics.

use super::CheckpointError;
use super::read::{
    as_object, field, read_params, read_text, syntax_error, whole_numbers, wrong_type,
};
use super::write::{save_text, write_params};
use crate::layers::ArchError;
use crate::layers::parse::parse_layers;
use crate::layers::shapes::param_shapes;
use crate::model_error::ModelError;
use crate::sequential::{Sequential, initial_buffers};
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::path::Path;

/// The model as checkpoint JSON:
///
/// ```json
/// {
///   "input": [1, 8, 8],
///   "layers": "conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10",
///   "params": {
///     "conv1.weight": { "shape": [8, 1, 3, 3], "data": [...] },
///     "conv1.bias": { "shape": [8], "data": [...] },
///     "dense5.W": { "shape": [128, 10], "data": [...] },
///     "dense5.b": { "shape": [10], "data": [...] }
///   },
///   "buffers": {}
/// }
/// ```
///
/// Parameters are written as in an MLP's checkpoint (shape, then row-major numbers in shortest
/// round-trip form); their names and layouts are those of the [layer table](crate::layers).
/// `buffers` (`bn{i}.running_mean`, `bn{i}.running_var`) may be left out: the statistics then
/// start afresh (mean 0, variance 1).
pub fn sequential_to_json(model: &Sequential) -> String {
    let input: Vec<String> = model.input_shape().iter().map(usize::to_string).collect();
    let mut json = String::from("{\n");
    // Writing to a String cannot fail.
    let _ = writeln!(json, "  \"input\": [{}],", input.join(", "));
    let _ = writeln!(json, "  \"layers\": {:?},", model.description());
    write_params(&mut json, "params", model.params());
    json.push_str(",\n");
    write_params(&mut json, "buffers", model.buffers());
    json.push_str("\n}\n");
    json
}

/// Saves the model to `path` atomically, as [`save`](super::save) does for an MLP; refuses a
/// model holding NaN or infinity without writing.
pub fn save_sequential(model: &Sequential, path: &Path) -> Result<(), CheckpointError> {
    save_text(
        &[model.params(), model.buffers()],
        &sequential_to_json(model),
        path,
    )
}

/// Loads the checkpoint at `path` (see [`sequential_from_json`]).
pub fn load_sequential(path: &Path) -> Result<Sequential, CheckpointError> {
    let text = read_text(path)?;
    sequential_from_json(&text)
}

/// The model described by checkpoint JSON, bit for bit as saved. Never panics: besides the
/// errors of an MLP checkpoint, a layer list that does not parse or does not fit the input
/// shape, and parameters of another architecture, are errors naming what is wrong.
pub fn sequential_from_json(text: &str) -> Result<Sequential, CheckpointError> {
    let root: Value = serde_json::from_str(text).map_err(syntax_error)?;
    let root = as_object(&root, "checkpoint")?;
    let input = whole_numbers(field(root, "input", "")?, "input")?;
    if !(input.len() == 1 || input.len() == 3) || input.contains(&0) {
        let text = input
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join("x");
        return Err(architecture(ArchError::Input { text }));
    }
    let layers_field = field(root, "layers", "")?;
    let Some(layers_text) = layers_field.as_str() else {
        return Err(wrong_type("layers", "a layer list in text", layers_field));
    };
    let layers = parse_layers(layers_text).map_err(architecture)?;
    let expected = param_shapes(&input, &layers).map_err(architecture)?;
    let params = read_params(
        as_object(field(root, "params", "")?, "params")?,
        "params",
        expected,
    )?;
    let buffers = match root.get("buffers") {
        None => Map::new(),
        Some(value) => as_object(value, "buffers")?.clone(),
    };
    let expected_buffers: Vec<(String, Vec<usize>)> = initial_buffers(&input, &layers)
        .map_err(architecture)?
        .iter()
        .filter(|(name, _)| buffers.contains_key(*name))
        .map(|(name, tensor)| (name.to_string(), tensor.dims().to_vec()))
        .collect();
    let buffers = read_params(&buffers, "buffers", expected_buffers)?;
    Ok(Sequential::from_params(&input, &layers, params, buffers)?)
}

fn architecture(error: ArchError) -> CheckpointError {
    CheckpointError::Model(ModelError::Architecture(Box::new(error)))
}
