//! `TrainConfig`: every choice the training loop makes, defaulting to the tutorial's.

use crate::loss::Reduction;
use crate::optim::{OptimizerKind, Schedule};

/// How [`train`](super::train) trains.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training examples. Full-batch, each pass is one update (the tutorial's
    /// `num_passes`); with mini-batches, each pass makes one update per batch.
    pub passes: usize,
    /// The optimiser's step size (the tutorial's `epsilon`).
    pub learning_rate: f64,
    /// The L2 strength `reg` in the penalty `reg/2 · Σ‖W‖²` (the tutorial's `reg_lambda`), added
    /// to the summed data loss; under `Reduction::Mean` the penalty is divided by the batch's
    /// size too (see [`Reduction::penalty_strength`](crate::Reduction::penalty_strength)).
    pub reg: f64,
    /// Whether the data loss sums (the tutorial) or averages over a batch.
    pub reduction: Reduction,
    /// The optimiser.
    pub optimizer: OptimizerKind,
    /// How the learning rate changes from pass to pass, starting at `learning_rate`.
    pub schedule: Schedule,
    /// `None` for full-batch steps; `Some(size)` for mini-batches of `size` examples drawn, each
    /// pass, from a shuffle seeded by `seed` (a size at or above the training set's is full-batch).
    pub batch_size: Option<usize>,
    /// `Some(fraction)` holds out that fraction of the examples (chosen by a shuffle seeded by
    /// `seed`) from training, and reports accuracy on them.
    pub holdout: Option<f64>,
    /// The seed of the held-out split and of the mini-batch shuffles.
    pub seed: u64,
    /// Report progress every this many passes (and at pass 0 and at the last pass).
    pub report_every: usize,
    /// Check every value and gradient of every step for NaN and infinity, and stop at the first
    /// with [`TrainError::Anomaly`](super::TrainError::Anomaly) naming the op and the line that
    /// made it. Off by default: it costs a pass over every tensor.
    pub detect_anomaly: bool,
}

impl Default for TrainConfig {
    /// The tutorial: 20000 full-batch passes of gradient descent at learning rate 0.01 on the
    /// summed cross-entropy with `reg = 0.01`, reporting every 1000 passes.
    fn default() -> TrainConfig {
        TrainConfig {
            passes: 20000,
            learning_rate: 0.01,
            reg: 0.01,
            reduction: Reduction::Sum,
            optimizer: OptimizerKind::Gd,
            schedule: Schedule::Constant,
            batch_size: None,
            holdout: None,
            seed: 0,
            report_every: 1000,
            detect_anomaly: false,
        }
    }
}
