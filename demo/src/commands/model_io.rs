//! Checkpoints on disk, and checking that a model fits a data set.

use std::path::Path;

use crate::atomic;
use crate::data::LabeledData;
use crate::error::{Error, Result};

/// Whether `path` names a safetensors file (by its `.safetensors` extension) rather than an nn
/// JSON checkpoint.
pub fn is_safetensors(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("safetensors"))
}

/// Loads a model from a checkpoint: safetensors when the name ends in `.safetensors`, the nn JSON
/// format otherwise.
pub fn load(path: &Path) -> Result<nn::Mlp> {
    let checkpoint_error = |source| Error::Checkpoint {
        path: path.to_path_buf(),
        source,
    };
    if is_safetensors(path) {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        return nn::checkpoint::from_safetensors(&bytes).map_err(checkpoint_error);
    }
    nn::checkpoint::load(path).map_err(checkpoint_error)
}

/// Writes `model` to `path`, atomically: safetensors when the name ends in `.safetensors`, an nn
/// JSON checkpoint otherwise.
pub fn save(model: &nn::Mlp, path: &Path) -> Result<()> {
    if is_safetensors(path) {
        return atomic::write_bytes(path, &nn::checkpoint::to_safetensors(model));
    }
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
