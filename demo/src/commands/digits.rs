//! `demo digits`: logistic regression, an MLP and a CNN on the 8×8 handwritten digits, compared in
//! a table and in figures.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::commands::progress::Progress;
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

/// The three models: name and architecture over `1x8x8` images, in the `--arch` syntax.
pub const MODELS: [(&str, &str); 3] = [
    ("logistic", "flatten, dense 10"),
    ("MLP", "flatten, dense 64, relu, dense 10"),
    (
        "CNN",
        "conv 8 3x3 pad 1, relu, maxpool 2, conv 16 3x3 pad 1, relu, maxpool 2, flatten, dense 10",
    ),
];

/// Trains the three [`MODELS`] for `epochs` epochs, prints the table and writes the figures into
/// `out_dir` (created if missing).
pub fn run_into(out_dir: &Path, epochs: usize) -> Result<Vec<DigitsResult>> {
    fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let figure = |name: &str| -> PathBuf { out_dir.join(name) };
    let all = digits::load();
    let (_, test) = digits::split(&all);
    println!(
        "8x8 digits: {} training and {} test images (a fixed split, seed {})",
        all.len() - test.len(),
        test.len(),
        digits::SPLIT_SEED
    );
    let config = config(epochs);
    let mut results = Vec::new();
    let mut cnn = None;
    for (name, architecture) in MODELS {
        let mut model = nn::Sequential::from_text(
            &digits::SHAPE.to_string(),
            architecture,
            nn::Init::He,
            WEIGHT_SEED,
        )
        .unwrap_or_else(|error| panic!("digits: the {name} architecture is wrong: {error}"));
        let (curves, elapsed) = train_recorded(name, &mut model, &all, &config)?;
        results.push(DigitsResult {
            name: name.to_string(),
            architecture: architecture.to_string(),
            parameters: model.params().numel(),
            curves,
            test_predictions: model.predict(&test.features),
            elapsed,
        });
        cnn = Some(model);
    }
    print_table(&results);

    let cnn = cnn.expect("the CNN is the last model trained");
    let cnn_result = results.last().expect("three models were trained");
    predictions_figure(
        &figure("digits_predictions.png"),
        &test,
        &cnn_result.test_predictions,
        &cnn_result.name,
    )?;
    let matrix = nn::metrics::confusion_matrix(&cnn_result.test_predictions, &test.labels, 10);
    let title = format!(
        "CNN on the {} test digits: accuracy {:.3}",
        test.len(),
        cnn_result.test_accuracy()
    );
    confusion_figure(&figure("digits_confusion.png"), &matrix, &title)?;
    let filters = cnn
        .params()
        .get("conv1.weight")
        .expect("the CNN starts with a convolution");
    filters_figure(
        &figure("digits_filters.png"),
        filters,
        "the CNN's first-layer filters (3x3; red positive, blue negative)",
    )?;
    let curves: Vec<EpochCurves> = results.iter().map(|r| r.curves.clone()).collect();
    history_figure(&figure("digits_history.png"), &curves)?;
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
        schedule: nn::optim::Schedule::Constant,
    }
}

/// Trains `model` on `all` (holding out the test set as `config` says) and records every epoch.
fn train_recorded(
    name: &str,
    model: &mut nn::Sequential,
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
    let start = Instant::now();
    let summary = nn::train::train(model, &all.to_dataset(), config, |report| {
        progress.set(report.pass);
        curves.train_loss.push(report.loss);
        curves.train_accuracy.push(report.train_accuracy);
        curves
            .test_loss
            .push(report.holdout_loss.unwrap_or(f64::NAN));
        curves
            .test_accuracy
            .push(report.holdout_accuracy.unwrap_or(0.0));
    })
    .map_err(Error::Training)?;
    progress.finish();
    debug_assert_eq!(summary.history.len(), config.passes + 1);
    Ok((curves, start.elapsed()))
}

/// Prints model, parameters, test accuracy, training time and architecture, one row each.
pub fn print_table(results: &[DigitsResult]) {
    println!();
    println!(
        "{:<9} {:>10} {:>13} {:>8}  architecture",
        "model", "parameters", "test accuracy", "time"
    );
    for result in results {
        println!(
            "{:<9} {:>10} {:>13.3} {:>7.2}s  {}",
            result.name,
            result.parameters,
            result.test_accuracy(),
            result.elapsed.as_secs_f64(),
            result.architecture
        );
    }
}
