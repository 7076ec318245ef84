//! What the training loop reports: a progress row per report, and a summary at the end.

/// The state of training after some passes, as given to the progress callback.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// The passes over the training set completed (0 before any update). Full-batch, this is
    /// the number of updates made.
    pub pass: usize,
    /// The optimiser updates made so far.
    pub updates: usize,
    /// The training objective over the whole training set, per example: with
    /// `Reduction::Sum` it is `(1/N)·(Σ cross-entropy + reg/2·Σ‖W‖²)`, exactly the loss the
    /// tutorial prints; with `Reduction::Mean` it is the objective itself,
    /// `mean cross-entropy + (reg/N)/2·Σ‖W‖²`, which is the same number.
    pub loss: f64,
    /// The fraction of training examples classified correctly.
    pub train_accuracy: f64,
    /// The same per-example loss on the held-out examples, when some are held out.
    pub holdout_loss: Option<f64>,
    /// The fraction of held-out examples classified correctly, when some are held out.
    pub holdout_accuracy: Option<f64>,
}

/// The outcome of a completed training run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSummary {
    /// Every progress report, in order (pass 0 first, the last pass last).
    pub history: Vec<Progress>,
    /// The number of training examples (after any held-out split).
    pub train_examples: usize,
    /// The number of held-out examples (0 when none).
    pub holdout_examples: usize,
}

impl TrainSummary {
    /// The report after the last pass.
    pub fn last(&self) -> &Progress {
        self.history
            .last()
            .expect("a training summary holds at least the report of pass 0")
    }
}
