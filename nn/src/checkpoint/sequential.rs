//! Checkpoints of [`Sequential`] models: the input shape, the layer list in text, and every
//! parameter (and batch normalisation's running statistics) with its shape.
//!
//! ```json
//! {
//!   "input": [1, 8, 8],
//!   "layers": "conv 4 3x3 pad 1, relu, maxpool 2, flatten, dense 10",
//!   "params": {
//!     "conv1.weight": { "shape": [4, 1, 3, 3], "data": [...] },
//!     "conv1.bias": { "shape": [4], "data": [...] },
//!     "dense5.W": { "shape": [64, 10], "data": [...] },
//!     "dense5.b": { "shape": [10], "data": [...] }
//!   },
//!   "buffers": {}
//! }
//! ```
//!
//! `params` has the same form as an [`Mlp`](crate::Mlp) checkpoint's; `buffers` holds
//! `bn{i}.running_mean` and `bn{i}.running_var` for each batch normalisation (empty without one).

use super::CheckpointError;
use super::read::{as_object, field, read_params, syntax_error, whole_numbers};
use super::write::tensors_json;
use crate::layers::parse::parse_layers;
use crate::layers::shapes::param_shapes;
use crate::model_error::ModelError;
use crate::params::Params;
use crate::sequential::Sequential;
use serde_json::Value;
use std::fmt::Write as _;

/// The model as checkpoint JSON (see the [module docs](self)); numbers in shortest round-trip
/// form, so that [`sequential_from_json`] gives back the same bits.
pub fn sequential_to_json(model: &Sequential) -> String {
    let input: Vec<String> = model.input_shape().iter().map(usize::to_string).collect();
    let mut json = String::from("{\n");
    // Writing to a String cannot fail.
    let _ = writeln!(json, "  \"input\": [{}],", input.join(", "));
    let _ = writeln!(
        json,
        "  \"layers\": {},",
        Value::String(model.description())
    );
    let _ = writeln!(json, "  \"params\": {},", tensors_json(model.params()));
    let _ = writeln!(json, "  \"buffers\": {}", tensors_json(model.buffers()));
    json.push_str("}\n");
    json
}

/// Whether checkpoint JSON describes a [`Sequential`] model (it has a `layers` field) rather
/// than an [`Mlp`](crate::Mlp) (`sizes`); `false` for text that is not a JSON object.
pub fn is_sequential_json(text: &str) -> bool {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|root| root.as_object().map(|root| root.contains_key("layers")))
        .unwrap_or(false)
}

/// The model described by checkpoint JSON, bit for bit as saved.
///
/// Never panics: text that is not JSON, lacks a field, holds a layer list that does not parse
/// or does not fit the input, or parameters that do not fit the layers (missing, unexpected,
/// wrongly shaped, too few or too many numbers) gives a [`CheckpointError`] naming what is wrong.
/// A missing `buffers` field leaves the running statistics at mean 0, variance 1.
pub fn sequential_from_json(text: &str) -> Result<Sequential, CheckpointError> {
    let root: Value = serde_json::from_str(text).map_err(syntax_error)?;
    let root = as_object(&root, "checkpoint")?;
    let input = whole_numbers(field(root, "input", "")?, "input")?;
    let layers_value = field(root, "layers", "")?;
    let Some(layers_text) = layers_value.as_str() else {
        return Err(CheckpointError::WrongType {
            field: "layers".to_string(),
            expected: "a string such as \"flatten, dense 10\"",
            found: super::read::describe(layers_value),
        });
    };
    let architecture = |error| CheckpointError::Model(ModelError::Architecture(error));
    let layers = parse_layers(layers_text).map_err(architecture)?;
    let expected = param_shapes(&input, &layers).map_err(architecture)?;
    let params = read_params(
        as_object(field(root, "params", "")?, "params")?,
        expected,
        "params",
    )?;
    // A model with default statistics tells which buffers the layers keep, and their shapes.
    let plain = Sequential::from_params(&input, &layers, params.clone(), Params::new())?;
    let buffers = match root.get("buffers") {
        None => Params::new(),
        Some(value) => {
            let expected = plain
                .buffers()
                .iter()
                .map(|(name, tensor)| (name.to_string(), tensor.dims().to_vec()))
                .collect();
            read_params(as_object(value, "buffers")?, expected, "buffers")?
        }
    };
    Ok(Sequential::from_params(&input, &layers, params, buffers)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Init;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn model(layers: &str) -> Sequential {
        let mut rng = StdRng::seed_from_u64(3);
        Sequential::from_text("1x6x6", layers, Init::He, &mut rng).unwrap()
    }

    #[test]
    fn a_saved_model_loads_back_bit_for_bit_with_its_running_statistics() {
        let mut original = model("conv 3 3x3 pad 1, batchnorm, relu, maxpool 2, flatten, dense 4");
        // Training-mode passes move the running statistics away from their start.
        let mut tape = autograd::Tape::new();
        let features = autograd::Tensor::from_vec(
            (0..72).map(|i| ((i * 7) % 11) as f64 / 11.0).collect(),
            [2, 36],
        );
        original.gradients(&mut tape, &features, &[1, 3], crate::Reduction::Mean, 0.0);
        let json = sequential_to_json(&original);
        assert!(is_sequential_json(&json));
        let loaded = sequential_from_json(&json).unwrap();
        assert_eq!(loaded.input_shape(), original.input_shape());
        assert_eq!(loaded.layers(), original.layers());
        for (store, back) in [
            (original.params(), loaded.params()),
            (original.buffers(), loaded.buffers()),
        ] {
            let names: Vec<&str> = store.names().collect();
            assert_eq!(names, back.names().collect::<Vec<_>>());
            for name in names {
                let bits = |params: &Params| -> Vec<u64> {
                    params
                        .get(name)
                        .unwrap()
                        .data()
                        .iter()
                        .map(|v| v.to_bits())
                        .collect()
                };
                assert_eq!(bits(store), bits(back), "{name}");
            }
        }
        assert!(
            original
                .buffers()
                .get("bn2.running_mean")
                .unwrap()
                .data()
                .iter()
                .any(|&mean| mean != 0.0)
        );
        assert_eq!(loaded.logits(&features), original.logits(&features));
    }

    #[test]
    fn a_checkpoint_of_another_architecture_names_the_parameter_that_does_not_fit() {
        let json = sequential_to_json(&model("conv 3 3x3, relu, flatten, dense 4"));
        let edited = json.replace("conv 3 3x3", "conv 5 3x3");
        let message = sequential_from_json(&edited).unwrap_err().to_string();
        assert!(
            message.contains("conv1.weight") && message.contains("[3, 1, 3, 3]"),
            "{message}"
        );
        let broken = json.replace("conv 3 3x3", "conv 3 9x9");
        let message = sequential_from_json(&broken).unwrap_err().to_string();
        assert!(message.contains("layer 1"), "{message}");
    }

    #[test]
    fn mlp_checkpoints_are_told_apart() {
        assert!(!is_sequential_json(
            "{\"sizes\": [2, 2], \"activations\": []}"
        ));
        assert!(!is_sequential_json("not json"));
        let message = sequential_from_json("{\"input\": [4]}")
            .unwrap_err()
            .to_string();
        assert!(message.contains("layers"), "{message}");
    }
}
