//! Checkpoints on disk, and checking that a model fits a data set.

use std::path::Path;

use crate::atomic;
use crate::commands::network::Network;
use crate::data::LabeledData;
use crate::error::{Error, Result};
use crate::images::ImageShape;

/// Loads a model from a checkpoint in the nn JSON format: an MLP (with `sizes`) or a sequential
/// model (with `input` and `layers`).
pub fn load(path: &Path) -> Result<Network> {
    let checkpoint_error = |source| Error::Checkpoint {
        path: path.to_path_buf(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(|source| {
        checkpoint_error(nn::CheckpointError::Io {
            path: path.to_path_buf(),
            action: "read",
            source,
        })
    })?;
    // An MLP checkpoint starts with its `sizes`; one without them may be a sequential model's.
    match nn::checkpoint::from_json(&text) {
        Err(nn::CheckpointError::MissingField { field }) if field == "sizes" => {
            match nn::checkpoint::sequential_from_json(&text) {
                Ok(model) => Ok(Network::Sequential(model)),
                // Neither kind's first field: report the MLP's, the older form.
                Err(nn::CheckpointError::MissingField { field }) if field == "input" => {
                    Err(checkpoint_error(nn::CheckpointError::MissingField {
                        field: "sizes".to_string(),
                    }))
                }
                Err(error) => Err(checkpoint_error(error)),
            }
        }
        loaded => loaded.map(Network::Mlp).map_err(checkpoint_error),
    }
}

/// Writes `model` to `path` as an nn JSON checkpoint, atomically.
pub fn save(model: &Network, path: &Path) -> Result<()> {
    atomic::write_bytes(path, model.to_json().as_bytes())
}

/// Checks that images of size `image` (`--image`, when given) are what `model` (from
/// `model_path`) takes: a model over `CxHxW` images needs exactly that size, not only as many
/// values.
pub fn check_image(model: &Network, model_path: &Path, image: Option<ImageShape>) -> Result<()> {
    let (Some(image), Network::Sequential(model)) = (image, model) else {
        return Ok(());
    };
    match model.input_shape() {
        [channels, height, width] if [*channels, *height, *width] != image.dims() => {
            Err(Error::InvalidFlag {
                flag: "--image",
                reason: format!(
                    "model {} takes images of {}x{}x{}, not {}",
                    model_path.display(),
                    channels,
                    height,
                    width,
                    image
                ),
            })
        }
        _ => Ok(()),
    }
}

/// Checks that `model` (from `model_path`) takes `data`'s features and has an output for every label.
pub fn check_fits(
    model: &Network,
    model_path: &Path,
    data: &LabeledData,
    data_path: &Path,
) -> Result<()> {
    let (in_features, classes) = (nn::Model::in_features(model), nn::Model::classes(model));
    if in_features != data.feature_count() {
        return Err(Error::FeatureMismatch {
            model: model_path.to_path_buf(),
            model_features: in_features,
            data: data_path.to_path_buf(),
            data_features: data.feature_count(),
        });
    }
    let max_label = data.class_count() - 1;
    if max_label >= classes {
        return Err(Error::ClassMismatch {
            model: model_path.to_path_buf(),
            model_classes: classes,
            data: data_path.to_path_buf(),
            max_label,
        });
    }
    Ok(())
}
