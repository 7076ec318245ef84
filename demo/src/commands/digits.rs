//! `demo digits`: logistic regression, an MLP and a CNN on the 8×8 handwritten digits, compared in
//! a table and in figures.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::commands::progress::Progress;
use crate::commands::training;
use crate::digits;
use crate::error::{Error, Result};
use crate::images::ImageSet;
use crate::plot::digits::{
    EpochCurves, confusion_figure, filters_figure, history_figure, predictions_figure,
};

/// Epochs (passes over the training images) of every model.
pub const EPOCHS: usize = 15;
/// Images per mini-batch.
pub const BATCH_SIZE: usize = 64;
/// Adam's step size.
pub const LEARNING_RATE: f64 = 0.01;
/// The seed of every model's initial weights (the mini-batch shuffles use `SPLIT_SEED + 1`).
pub const WEIGHT_SEED: u64 = 0;

/// One trained model's results.
pub struct DigitsResult {
    /// The model's name in the table and the legends.
    pub name: String,
    /// Its architecture, in words.
    pub architecture: String,
    /// The number of trained parameters (weights and biases).
    pub parameters: usize,
    /// Per-epoch loss and accuracy on the training and test images.
    pub curves: EpochCurves,
    /// The predicted class of each test image.
    pub test_predictions: Vec<usize>,
    /// Training wall time, per-epoch evaluation included.
    pub elapsed: Duration,
}

impl DigitsResult {
    /// The fraction of test images classified correctly after the last epoch.
    pub fn test_accuracy(&self) -> f64 {
        self.curves.test_accuracy.last().copied().unwrap_or(0.0)
    }
}

/// Trains the three models for `epochs` epochs, prints the table and writes the figures into
/// `out_dir` (created if missing).
pub fn run_into(out_dir: &Path, epochs: usize) -> Result<Vec<DigitsResult>> {
    fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let figure = |name: &str| -> PathBuf { out_dir.join(name) };
    let all = digits::load();
    let (train, test) = digits::split(&all);
    println!(
        "8x8 digits: {} training and {} test images (a fixed split, seed {})",
        train.len(),
        test.len(),
        digits::SPLIT_SEED
    );
    let config = config(epochs);
    let mut results = Vec::new();
    for (name, hidden) in [("logistic", &[][..]), ("MLP", &[64][..])] {
        let mut model = training::new_model(
            digits::SHAPE.pixels(),
            hidden,
            10,
            nn::Activation::Relu,
            WEIGHT_SEED,
        );
        let architecture = crate::commands::train::describe(&model);
        let (curves, elapsed) = train_recorded(name, &mut model, &all, &config)?;
        results.push(DigitsResult {
            name: name.to_string(),
            architecture,
            parameters: model.params().iter().map(|(_, t)| t.len()).sum(),
            curves,
            test_predictions: model.predict(&test.features),
            elapsed,
        });
    }
    print_table(&results);

    let best = results
        .iter()
        .max_by(|a, b| a.test_accuracy().total_cmp(&b.test_accuracy()))
        .expect("three models were trained");
    predictions_figure(
        &figure("digits_predictions.png"),
        &test,
        &best.test_predictions,
        &best.name,
    )?;
    let matrix = nn::metrics::confusion_matrix(&best.test_predictions, &test.labels, 10);
    let title = format!(
        "{} on the test digits: accuracy {:.3}",
        best.name,
        best.test_accuracy()
    );
    confusion_figure(&figure("digits_confusion.png"), &matrix, &title)?;
    let curves: Vec<EpochCurves> = results.iter().map(|r| r.curves.clone()).collect();
    history_figure(&figure("digits_history.png"), &curves)?;
    let _ = filters_figure;
    let _: Option<&ImageSet> = None;
    println!("\nfigures in {}", out_dir.display());
    Ok(results)
}

/// Adam on mini-batches of [`BATCH_SIZE`], mean cross-entropy, no weight penalty; the test set is
/// the training loop's held-out part, which is exactly [`digits::split`]'s.
fn config(epochs: usize) -> nn::TrainConfig {
    nn::TrainConfig {
        passes: epochs,
        learning_rate: LEARNING_RATE,
        reg: 0.0,
        reduction: nn::Reduction::Mean,
        optimizer: nn::OptimizerKind::Adam,
        batch_size: Some(BATCH_SIZE),
        holdout: Some(digits::TEST_FRACTION),
        seed: digits::SPLIT_SEED,
        report_every: 1,
        detect_anomaly: false,
    }
}

/// Trains `model` on `all` (holding out the test set as `config` says) and records every epoch.
fn train_recorded(
    name: &str,
    model: &mut nn::Mlp,
    all: &ImageSet,
    config: &nn::TrainConfig,
) -> Result<(EpochCurves, Duration)> {
    let mut curves = EpochCurves {
        model: name.to_string(),
        train_loss: Vec::new(),
        test_loss: Vec::new(),
        train_accuracy: Vec::new(),
        test_accuracy: Vec::new(),
    };
    let progress = Progress::new(config.passes, name);
    let trained = training::run(model, &all.to_dataset(), config, |report| {
        progress.set(report.pass);
        curves.train_loss.push(report.loss);
        curves.train_accuracy.push(report.train_accuracy);
        curves
            .test_loss
            .push(report.holdout_loss.unwrap_or(f64::NAN));
        curves
            .test_accuracy
            .push(report.holdout_accuracy.unwrap_or(0.0));
    })?;
    progress.finish();
    Ok((curves, trained.elapsed))
}

/// Prints model, architecture, parameters, test accuracy and training time, one row each.
pub fn print_table(results: &[DigitsResult]) {
    println!();
    println!(
        "{:<10} {:<48} {:>10} {:>13} {:>8}",
        "model", "architecture", "parameters", "test accuracy", "time"
    );
    for result in results {
        println!(
            "{:<10} {:<48} {:>10} {:>13.3} {:>7.2}s",
            result.name,
            result.architecture,
            result.parameters,
            result.test_accuracy(),
            result.elapsed.as_secs_f64()
        );
    }
}
