//! Checkpoints on disk, and checking that a model fits a data set.

use std::path::Path;

use crate::atomic;
use crate::data::LabeledData;
use crate::error::{Error, Result};
use crate::params_file;

/// Loads a model from a checkpoint in the nn JSON format.
pub fn load(path: &Path) -> Result<nn::Mlp> {
    nn::checkpoint::load(path).map_err(|source| Error::Checkpoint {
        path: path.to_path_buf(),
        source,
    })
}

/// The starting model of `--init`: a checkpoint (it has `sizes`), or a plain parameters file
/// whose hidden layers get `activation` (`--activation`, tanh by default).
pub fn load_init(path: &Path, activation: Option<nn::Activation>) -> Result<nn::Mlp> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let is_checkpoint = serde_json::from_str::<serde_json::Value>(&text)
        .map(|value| value.get("sizes").is_some())
        .unwrap_or(true);
    if !is_checkpoint {
        return params_file::model(path, &text, activation.unwrap_or(nn::Activation::Tanh));
    }
    if activation.is_some() {
        return Err(Error::InvalidFlag {
            flag: "--activation",
            reason: format!(
                "{} is a checkpoint, which sets its own activations",
                path.display()
            ),
        });
    }
    nn::checkpoint::from_json(&text).map_err(|source| Error::Checkpoint {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `model` to `path` as an nn JSON checkpoint, atomically.
pub fn save(model: &nn::Mlp, path: &Path) -> Result<()> {
    atomic::write_bytes(path, nn::checkpoint::to_json(model).as_bytes())
}

/// Checks that `model` (from `model_path`) takes `data`'s features and has an output for every label.
pub fn check_fits(
    model: &nn::Mlp,
    model_path: &Path,
    data: &LabeledData,
    data_path: &Path,
) -> Result<()> {
    if model.in_features() != data.feature_count() {
        return Err(Error::FeatureMismatch {
            model: model_path.to_path_buf(),
            model_features: model.in_features(),
            data: data_path.to_path_buf(),
            data_features: data.feature_count(),
        });
    }
    let max_label = data.class_count() - 1;
    if max_label >= model.classes() {
        return Err(Error::ClassMismatch {
            model: model_path.to_path_buf(),
            model_classes: model.classes(),
            data: data_path.to_path_buf(),
            max_label,
        });
    }
    Ok(())
}
