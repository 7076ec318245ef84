//! Checkpoints of any model that is a parameter store plus a description of its architecture:
//! the form in which `demo names` keeps its language models (an RNN, a GRU, a transformer...).

use super::CheckpointError;
use super::read::{as_object, field, read_params, read_text, syntax_error, wrong_type};
use super::write::{save_text, write_params};
use crate::params::Params;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// The parameters as checkpoint JSON, under a description of the model they belong to:
///
/// ```json
/// {
///   "model": "gru: vocab 27, embedding 16, hidden 64",
///   "params": {
///     "emb": { "shape": [27, 16], "data": [...] },
///     ...
///   }
/// }
/// ```
///
/// Parameters are written as in an MLP's checkpoint (shape, then row-major numbers in their
/// shortest round-trip form, so that loading gives back the same bits).
pub fn named_to_json(model: &str, params: &Params) -> String {
    let mut json = String::from("{\n");
    // Writing to a String cannot fail.
    let _ = writeln!(json, "  \"model\": {},", Value::from(model));
    write_params(&mut json, "params", params);
    json.push_str("\n}\n");
    json
}

/// Saves `params` under the description `model` to `path` atomically, as
/// [`save`](super::save) does for an MLP; refuses parameters holding NaN or infinity without
/// writing.
pub fn save_named(model: &str, params: &Params, path: &Path) -> Result<(), CheckpointError> {
    save_text(&[params], &named_to_json(model, params), path)
}

/// Loads the checkpoint at `path` (see [`named_from_json`]).
pub fn load_named(path: &Path, model: &str, like: &Params) -> Result<Params, CheckpointError> {
    let text = read_text(path)?;
    named_from_json(&text, model, like)
}

/// The parameters of the checkpoint in `text`, which must describe the model `model` and hold
/// exactly the parameters of `like` (same names, same shapes; their values are not used).
///
/// Never panics. A checkpoint of another model (another description, an MLP's or a sequential
/// model's checkpoint) is [`CheckpointError::OtherModel`]; a missing, extra or misshapen
/// parameter is named.
///
/// ```
/// use autograd::Tensor;
/// use nn::Params;
/// use nn::checkpoint::{named_from_json, named_to_json};
///
/// let mut params = Params::new();
/// params.insert("W", Tensor::from_rows(&[[0.5, -1.0]]));
/// let text = named_to_json("bigram: vocab 2", &params);
/// let back = named_from_json(&text, "bigram: vocab 2", &params).unwrap();
/// assert_eq!(back.get("W"), params.get("W"));
/// let wrong = named_from_json(&text, "gru: hidden 64", &params).unwrap_err();
/// assert!(wrong.to_string().contains("another model"));
/// ```
pub fn named_from_json(text: &str, model: &str, like: &Params) -> Result<Params, CheckpointError> {
    let root: Value = serde_json::from_str(text).map_err(syntax_error)?;
    let root = as_object(&root, "checkpoint")?;
    let found = match root.get("model") {
        Some(Value::String(found)) => found.clone(),
        Some(other) => return Err(wrong_type("model", "a model description in text", other)),
        None if root.contains_key("layers") => "a sequential model (`layers`)".to_string(),
        None if root.contains_key("sizes") => "a multilayer perceptron (`sizes`)".to_string(),
        None => {
            return Err(CheckpointError::MissingField {
                field: "model".into(),
            });
        }
    };
    if found != model {
        return Err(CheckpointError::OtherModel {
            found,
            expected: model.to_string(),
        });
    }
    let expected = like
        .iter()
        .map(|(name, tensor)| (name.to_string(), tensor.dims().to_vec()))
        .collect();
    read_params(
        as_object(field(root, "params", "")?, "params")?,
        "params",
        expected,
    )
}
