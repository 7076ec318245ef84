//! Writing a model as a JSON checkpoint, and saving it atomically.

use super::CheckpointError;
use crate::mlp::Mlp;
use crate::params::Params;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The model as checkpoint JSON (see the [module docs](super)). Numbers are written in Rust's
/// shortest round-trip form; a NaN or infinity, which JSON cannot hold, is written as `null`
/// (which [`from_json`](super::from_json) rejects; [`save`] refuses such a model instead).
pub fn to_json(model: &Mlp) -> String {
    let mut json = String::from("{\n");
    let sizes: Vec<String> = model.sizes().iter().map(usize::to_string).collect();
    let activations: Vec<String> = model
        .activations()
        .iter()
        .map(|activation| format!("\"{activation}\""))
        .collect();
    // Writing to a String cannot fail.
    let _ = writeln!(json, "  \"sizes\": [{}],", sizes.join(", "));
    let _ = writeln!(json, "  \"activations\": [{}],", activations.join(", "));
    write_params(&mut json, "params", model.params());
    json.push_str("\n}\n");
    json
}

/// `  "key": { "name": { "shape": [...], "data": [...] }, ... }` for every tensor of `params`,
/// in store order, with no line break after the closing brace.
pub(super) fn write_params(json: &mut String, key: &str, params: &Params) {
    let _ = write!(json, "  \"{key}\": {{");
    for (position, (name, tensor)) in params.iter().enumerate() {
        let separator = if position == 0 { "\n" } else { ",\n" };
        let shape: Vec<String> = tensor.dims().iter().map(usize::to_string).collect();
        let data: Vec<String> = tensor.data().iter().map(|&x| number(x)).collect();
        // Writing to a String cannot fail.
        let _ = write!(
            json,
            "{separator}    \"{name}\": {{ \"shape\": [{}], \"data\": [{}] }}",
            shape.join(", "),
            data.join(", ")
        );
    }
    json.push_str("\n  }");
}

/// `x` in the shortest form that parses back to the same bits (`{:?}` never loses digits and
/// writes JSON-compatible text: `0.5`, `-0.0`, `1e-7`, `1e300`), or `null` when not finite.
fn number(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        "null".to_string()
    }
}

/// Saves the model to `path` as checkpoint JSON, atomically: the text goes to a temporary file
/// beside `path`, which is flushed to disk and then renamed over `path`. A failure at any point
/// leaves whatever was at `path` before untouched (and removes the temporary file).
///
/// Refuses a model holding NaN or infinity ([`CheckpointError::NotFinite`]) without writing.
pub fn save(model: &Mlp, path: &Path) -> Result<(), CheckpointError> {
    save_text(&[model.params()], &to_json(model), path)
}

/// Writes `text` to `path` atomically (see [`save`]), unless a tensor of `stores` holds NaN or
/// infinity.
pub(super) fn save_text(
    stores: &[&Params],
    text: &str,
    path: &Path,
) -> Result<(), CheckpointError> {
    for (name, tensor) in stores.iter().flat_map(|store| store.iter()) {
        if let Some((index, &value)) = tensor
            .data()
            .iter()
            .enumerate()
            .find(|(_, value)| !value.is_finite())
        {
            return Err(CheckpointError::NotFinite {
                name: name.to_string(),
                index,
                value,
            });
        }
    }
    let temporary = temporary_path(path);
    let written = write_synced(&temporary, text.as_bytes()).map_err(|source| CheckpointError::Io {
        path: temporary.clone(),
        action: "write",
        source,
    });
    let renamed = written.and_then(|()| {
        fs::rename(&temporary, path).map_err(|source| CheckpointError::Io {
            path: path.to_path_buf(),
            action: "rename a temporary file onto",
            source,
        })
    });
    if renamed.is_err() {
        // The temporary file may not exist (creation failed); nothing else is to be done then.
        let _ = fs::remove_file(&temporary);
    }
    renamed
}

/// The temporary file that [`save`] writes before renaming: a hidden name beside `path`, unique
/// to this process.
pub(crate) fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "checkpoint".to_string());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activation, Init};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn model() -> Mlp {
        Mlp::new(
            &[2, 3, 2],
            Activation::Tanh,
            Init::Tutorial,
            &mut StdRng::seed_from_u64(1),
        )
    }

    fn scratch_dir(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nn-write-{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_save_that_cannot_write_its_temporary_file_leaves_the_old_checkpoint() {
        let dir = scratch_dir("blocked");
        let path = dir.join("model.json");
        fs::write(&path, "previous contents").unwrap();
        // A directory where the temporary file should go makes its creation fail.
        fs::create_dir(temporary_path(&path)).unwrap();
        let error = save(&model(), &path).unwrap_err();
        assert!(
            matches!(
                error,
                CheckpointError::Io {
                    action: "write",
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "previous contents");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_save_that_cannot_rename_removes_its_temporary_file() {
        let dir = scratch_dir("rename");
        // Renaming a file onto a non-empty directory fails.
        let path = dir.join("occupied");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), "x").unwrap();
        let error = save(&model(), &path).unwrap_err();
        assert!(
            error.to_string().starts_with("checkpoint: cannot rename"),
            "{error}"
        );
        assert!(!temporary_path(&path).exists());
        assert_eq!(fs::read_to_string(path.join("keep")).unwrap(), "x");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn numbers_are_written_in_shortest_round_trip_form() {
        for x in [
            0.1,
            -0.0,
            1e-7,
            1e300,
            5e-324,
            f64::MAX,
            0.08890469193522228,
        ] {
            let text = number(x);
            assert_eq!(
                text.parse::<f64>().unwrap().to_bits(),
                x.to_bits(),
                "{text}"
            );
        }
        assert_eq!(number(f64::NAN), "null");
    }
}
