//! Checkpoints on disk, and checking that a model fits a data set.

use std::path::Path;

use crate::atomic;
use crate::data::LabeledData;
use crate::error::{Error, Result};
use crate::params_file;
use crate::standardize::Standardize;

/// Whether `path` names a safetensors file (by its `.safetensors` extension) rather than an nn
/// JSON checkpoint.
pub fn is_safetensors(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("safetensors"))
}

/// Loads a model, and the input standardisation it was trained with if any, from a checkpoint:
/// safetensors when the name ends in `.safetensors` (which keeps no standardisation), the nn
/// JSON format otherwise.
pub fn load(path: &Path) -> Result<(nn::Mlp, Option<Standardize>)> {
    let checkpoint_error = |source| Error::Checkpoint {
        path: path.to_path_buf(),
        source,
    };
    if is_safetensors(path) {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let model = nn::checkpoint::from_safetensors(&bytes).map_err(checkpoint_error)?;
        return Ok((model, None));
    }
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let model = nn::checkpoint::from_json(&text).map_err(checkpoint_error)?;
    let standardize =
        Standardize::from_checkpoint(&text, model.in_features()).map_err(|problem| {
            Error::ParamsFile {
                path: path.to_path_buf(),
                problem,
            }
        })?;
    Ok((model, standardize))
}

/// The starting model of `--init`: a checkpoint (safetensors, or JSON with `sizes`), or a plain
/// parameters file whose hidden layers get `activation` (`--activation`, tanh by default).
pub fn load_init(
    path: &Path,
    activation: Option<nn::Activation>,
) -> Result<(nn::Mlp, Option<Standardize>)> {
    if !is_safetensors(path) {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let is_checkpoint = serde_json::from_str::<serde_json::Value>(&text)
            .map(|value| value.get("sizes").is_some())
            .unwrap_or(true);
        if !is_checkpoint {
            let activation = activation.unwrap_or(nn::Activation::Tanh);
            return Ok((params_file::model(path, &text, activation)?, None));
        }
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
    load(path)
}

/// Refuses to save a model trained on standardised features to a safetensors file, which has no
/// place for the transform (checked before training, so that no run is lost to it).
pub fn check_save_format(path: &Path, standardize: bool) -> Result<()> {
    if standardize && is_safetensors(path) {
        return Err(Error::InvalidFlag {
            flag: "--save",
            reason: format!(
                "{} is a safetensors file, which cannot keep --standardize's transform: save to a \
                 .json checkpoint",
                path.display()
            ),
        });
    }
    Ok(())
}

/// Writes `model` to `path`, atomically: safetensors when the name ends in `.safetensors`, an nn
/// JSON checkpoint otherwise, with the input standardisation it was trained with (if any).
pub fn save(model: &nn::Mlp, standardize: Option<&Standardize>, path: &Path) -> Result<()> {
    if is_safetensors(path) {
        check_save_format(path, standardize.is_some())?;
        return atomic::write_bytes(path, &nn::checkpoint::to_safetensors(model));
    }
    let mut text = nn::checkpoint::to_json(model);
    if let Some(standardize) = standardize {
        text = standardize.add_to_checkpoint(&text);
    }
    atomic::write_bytes(path, text.as_bytes())
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
