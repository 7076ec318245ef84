//! Checkpoints on disk, and checking that a model fits a data set.

use std::path::Path;

use crate::atomic;
use crate::data::LabeledData;
use crate::error::{Error, Result};

/// Loads a model from a checkpoint in the nn JSON format.
pub fn load(path: &Path) -> Result<nn::Mlp> {
    nn::checkpoint::load(path).map_err(|source| Error::Checkpoint {
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
