//! Input standardisation (`--standardize`): each feature shifted by its mean and scaled by its
//! standard deviation, both measured on the training rows, and kept in the checkpoint.

use autograd::Tensor;
use serde_json::{Value, json};

use crate::data::LabeledData;

/// The checkpoint field that holds the transform (nn's reader ignores fields it does not know).
const FIELD: &str = "standardize";

/// `x ↦ (x − mean) / std`, feature by feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardize {
    /// Each feature's mean over the rows it was fitted on.
    pub mean: Vec<f64>,
    /// Each feature's standard deviation (population, dividing by N) over those rows; a
    /// constant feature gets 1, so that it is shifted to 0 rather than divided by 0.
    pub std: Vec<f64>,
}

impl Standardize {
    /// The transform that gives the rows of `features` `[N, F]` mean 0 and standard deviation 1.
    ///
    /// # Panics
    /// If `features` is not rank 2 with at least one row.
    pub fn fit(features: &Tensor) -> Standardize {
        let [rows, columns] = features.dims() else {
            panic!(
                "Standardize::fit: features of shape {:?} are not [rows, features]",
                features.dims()
            )
        };
        assert!(*rows > 0, "Standardize::fit: no rows to measure");
        let data = features.data();
        let column = |c: usize| (0..*rows).map(move |r| data[r * columns + c]);
        let mean: Vec<f64> = (0..*columns)
            .map(|c| column(c).sum::<f64>() / *rows as f64)
            .collect();
        let std = (0..*columns)
            .map(|c| {
                let variance = column(c).map(|x| (x - mean[c]).powi(2)).sum::<f64>() / *rows as f64;
                if variance > 0.0 { variance.sqrt() } else { 1.0 }
            })
            .collect();
        Standardize { mean, std }
    }

    /// The transform fitted on the rows of `data` that training will train on: all of them, or,
    /// with a held-out fraction, those nn's split (same fraction, same seed) leaves for training,
    /// so that nothing about the held-out rows leaks into the model.
    pub fn fit_training_rows(data: &LabeledData, config: &nn::TrainConfig) -> Standardize {
        match config.holdout {
            Some(fraction) if nn::holdout_count(data.labels.len(), fraction).is_some() => {
                let (train, _) = data.to_dataset().split_holdout(fraction, config.seed);
                Standardize::fit(&train.features)
            }
            _ => Standardize::fit(&data.features),
        }
    }

    /// `features` `[N, F]` standardised.
    ///
    /// # Panics
    /// If `features` does not have this transform's number of columns.
    pub fn apply(&self, features: &Tensor) -> Tensor {
        let columns = self.mean.len();
        assert_eq!(
            features.dims().get(1),
            Some(&columns),
            "Standardize::apply: features {:?} for a transform of {columns} features",
            features.dims()
        );
        let mut out = features.clone();
        for (index, value) in out.data_mut().iter_mut().enumerate() {
            let c = index % columns;
            *value = (*value - self.mean[c]) / self.std[c];
        }
        out
    }

    /// `data` with its features standardised.
    pub fn applied(&self, data: &LabeledData) -> LabeledData {
        LabeledData {
            features: self.apply(&data.features),
            ..data.clone()
        }
    }

    /// Checkpoint JSON `text` with this transform added as its `standardize` field.
    pub fn add_to_checkpoint(&self, text: &str) -> String {
        let field = json!({ "mean": self.mean, "std": self.std });
        // nn writes one object ending in `}`: the field goes in before that brace.
        let body = text.trim_end().strip_suffix('}').unwrap_or(text).trim_end();
        format!("{body},\n  \"{FIELD}\": {field}\n}}\n")
    }

    /// The transform stored in checkpoint JSON `text`, if any; `Err` names what is malformed.
    pub fn from_checkpoint(text: &str, features: usize) -> Result<Option<Standardize>, String> {
        let Ok(root) = serde_json::from_str::<Value>(text) else {
            return Ok(None);
        };
        let Some(field) = root.get(FIELD) else {
            return Ok(None);
        };
        let numbers = |name: &str| -> Result<Vec<f64>, String> {
            field
                .get(name)
                .and_then(Value::as_array)
                .and_then(|items| items.iter().map(Value::as_f64).collect::<Option<Vec<_>>>())
                .filter(|values| values.len() == features)
                .ok_or_else(|| format!("{FIELD}.{name} is not a list of {features} numbers"))
        };
        let (mean, std) = (numbers("mean")?, numbers("std")?);
        if std.iter().any(|&s| !(s.is_finite() && s > 0.0)) {
            return Err(format!(
                "{FIELD}.std holds a value that is not a positive number"
            ));
        }
        Ok(Some(Standardize { mean, std }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_rows_get_mean_zero_and_standard_deviation_one() {
        let features = Tensor::from_rows(&[[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]]);
        let transform = Standardize::fit(&features);
        assert_eq!(transform.mean, [3.0, 5.0]);
        assert_eq!(transform.std, [(8.0f64 / 3.0).sqrt(), 1.0]);
        let out = transform.apply(&features);
        let first: Vec<f64> = (0..3).map(|r| out.data()[2 * r]).collect();
        assert!((first.iter().sum::<f64>()).abs() < 1e-15);
        assert!((first.iter().map(|x| x * x).sum::<f64>() / 3.0 - 1.0).abs() < 1e-15);
        assert_eq!(
            out.data()[1],
            0.0,
            "a constant feature is shifted, not divided by 0"
        );
    }

    #[test]
    fn the_transform_round_trips_through_a_checkpoint_that_nn_still_reads() {
        let transform = Standardize {
            mean: vec![0.1, -2.0],
            std: vec![0.3, 1e-7],
        };
        let model = nn::Mlp::logistic(2, 2, 0);
        let text = transform.add_to_checkpoint(&nn::checkpoint::to_json(&model));
        assert_eq!(nn::checkpoint::from_json(&text).unwrap(), model);
        assert_eq!(
            Standardize::from_checkpoint(&text, 2).unwrap(),
            Some(transform)
        );
        let plain = nn::checkpoint::to_json(&model);
        assert_eq!(Standardize::from_checkpoint(&plain, 2).unwrap(), None);
        assert!(
            Standardize::from_checkpoint(&text, 3)
                .unwrap_err()
                .contains("3 numbers")
        );
    }
}
