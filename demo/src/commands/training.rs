//! Training shared by the subcommands: flags to an nn configuration, a fresh model, a timed run.

use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::cli::{ActivationArg, LossArg, OptimizerArg, TrainingArgs};
use crate::error::{Error, Result};

/// The nn activation named by a flag.
pub fn activation(arg: ActivationArg) -> nn::Activation {
    match arg {
        ActivationArg::Tanh => nn::Activation::Tanh,
        ActivationArg::Relu => nn::Activation::Relu,
        ActivationArg::Sigmoid => nn::Activation::Sigmoid,
    }
}

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
        batch_size: args.batch_size,
        holdout,
        seed: args.seed,
        report_every,
        detect_anomaly: args.detect_anomaly,
    }
}

/// A fresh network `in_features → hidden... → classes` with the tutorial's initialisation, seeded.
///
/// No hidden layer gives logistic regression.
pub fn new_model(
    in_features: usize,
    hidden: &[usize],
    classes: usize,
    activation: nn::Activation,
    seed: u64,
) -> nn::Mlp {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut sizes = vec![in_features];
    sizes.extend_from_slice(hidden);
    sizes.push(classes);
    nn::Mlp::new(&sizes, activation, nn::Init::Tutorial, &mut rng)
}

/// A fresh sequential model of `layers` (the `--arch` syntax) over examples of shape `input`
/// (`F` or `CxHxW`), He-initialised from `seed`, checked to give a score for each of `classes`.
pub fn new_sequential(
    input: &str,
    layers: &str,
    classes: usize,
    seed: u64,
) -> Result<nn::Sequential> {
    let mut rng = StdRng::seed_from_u64(seed);
    let model =
        nn::Sequential::from_text(input, layers, nn::Init::He, &mut rng).map_err(|error| {
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

/// Trains `model` on `data`, turning the nn crate's refusals into the demo's errors.
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
    Ok(Trained {
        summary,
        elapsed: start.elapsed(),
    })
}

/// A model as a classifier of points, for the decision-boundary figures.
pub fn classifier(model: &nn::Mlp) -> impl Fn(&autograd::Tensor) -> Vec<usize> + '_ {
    |points| model.predict(points)
}
