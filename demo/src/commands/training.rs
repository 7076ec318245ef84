//! Training shared by the subcommands: flags to an nn configuration, a fresh model, a timed run.

use std::time::{Duration, Instant};

use crate::budget;
use crate::cli::{LossArg, OptimizerArg, TrainingArgs};
use crate::error::{Error, Result};

/// A run whose last loss is above this multiple of its first has diverged (an error), even if
/// the loss stayed finite: for cross-entropy, starting near ln(classes), ending at twice that is
/// far worse than guessing.
pub const DIVERGED_ABOVE: f64 = 2.0;

/// The nn loss reduction named by a flag.
pub fn reduction(arg: LossArg) -> nn::Reduction {
    match arg {
        LossArg::Sum => nn::Reduction::Sum,
        LossArg::Mean => nn::Reduction::Mean,
    }
}

/// The nn optimiser named by a flag.
pub fn optimizer(arg: OptimizerArg) -> nn::OptimizerKind {
    match arg {
        OptimizerArg::Gd => nn::OptimizerKind::Gd,
        OptimizerArg::Momentum => nn::OptimizerKind::Momentum,
        OptimizerArg::Adam => nn::OptimizerKind::Adam,
    }
}

/// The training configuration the flags describe.
pub fn config(args: &TrainingArgs, holdout: Option<f64>, report_every: usize) -> nn::TrainConfig {
    nn::TrainConfig {
        passes: args.passes,
        learning_rate: args.learning_rate,
        reg: args.reg,
        reduction: reduction(args.loss),
        optimizer: optimizer(args.optimizer),
        schedule: args.schedule,
        batch_size: args.batch_size,
        holdout,
        seed: args.seed,
        report_every,
        detect_anomaly: args.detect_anomaly,
    }
}

/// A fresh network `in_features → hidden... → classes` with the tutorial's initialisation, seeded.
///
/// No hidden layer gives logistic regression. Sizes whose parameters cannot fit in memory are
/// refused before anything is allocated.
pub fn new_model(
    in_features: usize,
    hidden: &[usize],
    classes: usize,
    activation: nn::Activation,
    seed: u64,
) -> Result<nn::Mlp> {
    let mut sizes = vec![in_features];
    sizes.extend_from_slice(hidden);
    sizes.push(classes);
    let bytes = budget::parameter_count(&sizes).saturating_mul(8);
    budget::check("the model's parameters", bytes, "--hidden")?;
    Ok(nn::Mlp::new(&sizes, activation, nn::Init::Tutorial, seed))
}

/// Refuses to train `models` networks of layer sizes `sizes` at once on `rows` rows when they
/// would not fit in memory.
pub fn check_training_memory(
    sizes: &[&[usize]],
    rows: usize,
    config: &nn::TrainConfig,
) -> Result<()> {
    let batch_rows = config.batch_size.map_or(rows, |size| size.min(rows));
    let bytes = sizes
        .iter()
        .map(|sizes| budget::training_bytes(sizes, rows, batch_rows))
        .fold(0, u128::saturating_add);
    budget::check("training", bytes, "--hidden, --batch-size or the data")
}

/// A fresh sequential model of `layers` (the `--arch` syntax) over examples of shape `input`
/// (`F` or `CxHxW`), He-initialised from `seed`, checked to give a score for each of `classes`.
pub fn new_sequential(
    input: &str,
    layers: &str,
    classes: usize,
    seed: u64,
) -> Result<nn::Sequential> {
    let model = nn::Sequential::from_text(input, layers, nn::Init::He, seed).map_err(|error| {
        Error::InvalidFlag {
            flag: "--arch",
            reason: error.to_string(),
        }
    })?;
    if model.classes() < classes {
        return Err(Error::InvalidFlag {
            flag: "--arch",
            reason: format!(
                "the last layer gives {} scores, but the data has {} classes (labels up to {})",
                model.classes(),
                classes,
                classes - 1
            ),
        });
    }
    Ok(model)
}

/// A finished training run and how long it took.
pub struct Trained {
    /// The nn crate's record of the run.
    pub summary: nn::TrainSummary,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// Trains `model` on `data`, turning the nn crate's refusals into the demo's errors; a run whose
/// loss ends above [`DIVERGED_ABOVE`] times where it started is an [`Error::LossRose`].
pub fn run<M: nn::Model>(
    model: &mut M,
    data: &nn::Dataset,
    config: &nn::TrainConfig,
    callback: impl FnMut(&nn::Progress),
) -> Result<Trained> {
    run_observed(model, data, config, callback, |_, _| {})
}

/// [`run`], also lending the model to `after_pass` after every pass (for animations).
pub fn run_observed<M: nn::Model>(
    model: &mut M,
    data: &nn::Dataset,
    config: &nn::TrainConfig,
    callback: impl FnMut(&nn::Progress),
    after_pass: impl FnMut(usize, &M),
) -> Result<Trained> {
    let start = Instant::now();
    let summary =
        nn::train::train_observed(model, data, config, callback, after_pass).map_err(|error| {
            match error {
                nn::TrainError::Diverged { pass, loss } => Error::Diverged {
                    pass,
                    loss,
                    learning_rate: config.learning_rate,
                    saved_to: None,
                },
                nn::TrainError::Holdout { .. } => Error::InvalidFlag {
                    flag: "--holdout",
                    reason: error.to_string(),
                },
                other => Error::Training(other),
            }
        })?;
    let (first, last) = (&summary.history[0], summary.last());
    if last.loss > DIVERGED_ABOVE * first.loss {
        return Err(Error::LossRose {
            start: first.loss,
            end: last.loss,
            pass: last.pass,
            learning_rate: config.learning_rate,
            not_saved: None,
        });
    }
    Ok(Trained {
        summary,
        elapsed: start.elapsed(),
    })
}

/// Accuracies on the training rows and, when rows are held out, on those: each named by its set,
/// for figure titles (`training accuracy 0.907, held-out 0.860`).
pub fn accuracy_caption(train_accuracy: f64, holdout_accuracy: Option<f64>) -> String {
    match holdout_accuracy {
        Some(held) => format!("training accuracy {train_accuracy:.3}, held-out {held:.3}"),
        None => format!("training accuracy {train_accuracy:.3}"),
    }
}

/// The accuracy of `predictions` on the rows not in `held_out` (the training rows) and, when any
/// row is held out, on those rows.
pub fn split_accuracy(
    predictions: &[usize],
    labels: &[usize],
    held_out: &[usize],
) -> (f64, Option<f64>) {
    let mut is_held_out = vec![false; labels.len()];
    for &row in held_out {
        is_held_out[row] = true;
    }
    let mut correct = [0usize; 2];
    let mut total = [0usize; 2];
    for (row, (&predicted, &label)) in predictions.iter().zip(labels).enumerate() {
        let set = usize::from(is_held_out[row]);
        total[set] += 1;
        correct[set] += usize::from(predicted == label);
    }
    let ratio = |set: usize| correct[set] as f64 / total[set].max(1) as f64;
    (ratio(0), (total[1] > 0).then(|| ratio(1)))
}

/// A model as a classifier of points, for the decision-boundary figures.
pub fn classifier(model: &nn::Mlp) -> impl Fn(&autograd::Tensor) -> Vec<usize> + '_ {
    |points| model.predict(points)
}
