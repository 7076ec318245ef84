//! How many classes a new model gets: from the labels, or from `--classes` when some are absent.

use std::path::Path;

use crate::data::LabeledData;
use crate::error::{Error, Result};

/// Missing classes listed in a message before the rest are only counted.
const LISTED: usize = 8;

/// The number of output classes for a model trained on `data` (read from `path`).
///
/// Without `declared`, the labels must be exactly `0..=max`, each with an example: a gap would
/// give the model outputs that no example trains (a stray label of 9999 would build a
/// 10,000-class layer). With `declared` (`--classes N`), every label must be below it, and classes
/// without examples are allowed.
pub fn class_count(data: &LabeledData, path: &Path, declared: Option<usize>) -> Result<usize> {
    let needed = data.class_count();
    if let Some(classes) = declared {
        if classes < needed {
            return Err(Error::InvalidFlag {
                flag: "--classes",
                reason: format!(
                    "{classes} classes, but {} has label {}",
                    path.display(),
                    needed - 1
                ),
            });
        }
        return Ok(classes);
    }
    let mut seen = vec![false; needed];
    for &label in &data.labels {
        seen[label] = true;
    }
    let missing: Vec<usize> = (0..needed).filter(|&class| !seen[class]).collect();
    if missing.is_empty() {
        Ok(needed)
    } else {
        Err(Error::MissingClasses {
            path: path.to_path_buf(),
            missing,
            largest: needed - 1,
        })
    }
}

/// `3, 7, 8` or `1, 2, 3, 4, 5, 6, 7, 8 and 9990 more`.
pub fn list(classes: &[usize]) -> String {
    let shown: Vec<String> = classes.iter().take(LISTED).map(usize::to_string).collect();
    let mut text = shown.join(", ");
    if classes.len() > LISTED {
        text.push_str(&format!(" and {} more", classes.len() - LISTED));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::Tensor;

    fn labeled(labels: &[usize]) -> LabeledData {
        LabeledData {
            feature_names: vec!["x".to_string()],
            features: Tensor::zeros([labels.len(), 1]),
            labels: labels.to_vec(),
        }
    }

    #[test]
    fn labels_without_gaps_give_their_count() {
        let data = labeled(&[0, 2, 1, 2]);
        assert_eq!(class_count(&data, Path::new("d.csv"), None).unwrap(), 3);
    }

    #[test]
    fn a_gap_is_an_error_naming_the_missing_classes() {
        let data = labeled(&[0, 1, 9999]);
        let message = class_count(&data, Path::new("d.csv"), None)
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("d.csv: no example of class"),
            "{message}"
        );
        assert!(
            message.contains("2, 3, 4, 5, 6, 7, 8, 9 and 9989 more"),
            "{message}"
        );
        assert!(message.contains("--classes 10000"), "{message}");
    }

    #[test]
    fn declared_classes_allow_gaps_but_must_cover_every_label() {
        let data = labeled(&[0, 3]);
        assert_eq!(class_count(&data, Path::new("d.csv"), Some(5)).unwrap(), 5);
        let message = class_count(&data, Path::new("d.csv"), Some(3))
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("--classes: 3 classes, but d.csv has label 3"),
            "{message}"
        );
    }
}
