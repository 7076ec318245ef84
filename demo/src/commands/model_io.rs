//! Checkpoints on disk, and checking that a model fits a data set.

use std::path::Path;

use crate::atomic;
use crate::commands::network::Network;
use crate::data::LabeledData;
use crate::error::{Error, Result};
use crate::images::ImageShape;
use crate::params_file;
use crate::standardize::Standardize;

/// Whether `path` names a safetensors file (by its `.safetensors` extension) rather than an nn
/// JSON checkpoint.
pub fn is_safetensors(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("safetensors"))
}

/// Loads a model, and the input standardisation it was trained with if any, from a checkpoint:
/// safetensors when the name ends in `.safetensors` (an MLP, without standardisation), the nn
/// JSON format otherwise (an MLP with `sizes`, or a sequential model with `input` and `layers`).
pub fn load(path: &Path) -> Result<(Network, Option<Standardize>)> {
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
        return Ok((Network::Mlp(model), None));
    }
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // An MLP checkpoint starts with its `sizes`; one without them may be a sequential model's.
    let model = match nn::checkpoint::from_json(&text) {
        Err(nn::CheckpointError::MissingField { field }) if field == "sizes" => {
            match nn::checkpoint::sequential_from_json(&text) {
                Ok(model) => Network::Sequential(model),
                // Neither kind's first field: report the MLP's, the older form.
                Err(nn::CheckpointError::MissingField { field }) if field == "input" => {
                    return Err(checkpoint_error(nn::CheckpointError::MissingField {
                        field: "sizes".to_string(),
                    }));
                }
                Err(error) => return Err(checkpoint_error(error)),
            }
        }
        loaded => Network::Mlp(loaded.map_err(checkpoint_error)?),
    };
    let in_features = nn::Model::in_features(&model);
    let standardize =
        Standardize::from_checkpoint(&text, in_features).map_err(|problem| Error::ParamsFile {
            path: path.to_path_buf(),
            problem,
        })?;
    Ok((model, standardize))
}

/// The starting model of `--init`: a checkpoint (safetensors, or JSON), or a plain parameters
/// file whose hidden layers get `activation` (`--activation`, tanh by default).
pub fn load_init(
    path: &Path,
    activation: Option<nn::Activation>,
) -> Result<(Network, Option<Standardize>)> {
    if !is_safetensors(path) {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let is_checkpoint = serde_json::from_str::<serde_json::Value>(&text)
            .map(|value| value.get("sizes").is_some() || value.get("layers").is_some())
            .unwrap_or(true);
        if !is_checkpoint {
            let activation = activation.unwrap_or(nn::Activation::Tanh);
            let model = params_file::model(path, &text, activation)?;
            return Ok((Network::Mlp(model), None));
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

/// Refuses, before training, a `--save` to a safetensors file of what it cannot hold: the
/// transform of `--standardize`, or a model described by `--arch` (safetensors keeps an MLP's
/// weights and sizes only).
pub fn check_save_format(path: &Path, standardize: bool, arch: bool) -> Result<()> {
    if !is_safetensors(path) {
        return Ok(());
    }
    let what = if standardize {
        "--standardize's transform"
    } else if arch {
        "an --arch model's layer list"
    } else {
        return Ok(());
    };
    Err(Error::InvalidFlag {
        flag: "--save",
        reason: format!(
            "{} is a safetensors file, which cannot keep {what}: save to a .json checkpoint",
            path.display()
        ),
    })
}

/// Writes `model` to `path`, atomically: safetensors when the name ends in `.safetensors` (an
/// MLP), an nn JSON checkpoint otherwise, with the input standardisation it was trained with (if
/// any).
pub fn save(model: &Network, standardize: Option<&Standardize>, path: &Path) -> Result<()> {
    if is_safetensors(path) {
        let is_arch = matches!(model, Network::Sequential(_));
        check_save_format(path, standardize.is_some(), is_arch)?;
        if let Network::Mlp(model) = model {
            return atomic::write_bytes(path, &nn::checkpoint::to_safetensors(model));
        }
    }
    let mut text = model.to_json();
    if let Some(standardize) = standardize {
        text = standardize.add_to_checkpoint(&text);
    }
    atomic::write_bytes(path, text.as_bytes())
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
