//! `TrainError`: why training could not start or had to stop.

use std::fmt;

/// A training run that could not start (a configuration or data set that does not fit the
/// model) or that stopped because the loss stopped being a number.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// With anomaly detection on, a value or gradient of a step became NaN or infinite; training
    /// stopped at that step, with the model rolled back to the last finite parameters.
    Anomaly {
        /// The passes completed when it was seen.
        pass: usize,
        /// Where it appeared: the op, the node and the line that recorded it.
        anomaly: autograd::Anomaly,
    },
    /// The loss became NaN or infinite; training stopped there, with the model rolled back to the
    /// last parameters whose loss was finite.
    Diverged {
        /// The passes completed when it was seen.
        pass: usize,
        /// The offending loss (per example, as in the progress reports).
        loss: f64,
    },
    /// The data set holds no examples.
    EmptyDataset,
    /// The data set's examples do not have as many features as the model has inputs.
    FeatureCount {
        /// The model's inputs.
        model: usize,
        /// The data set's features.
        data: usize,
    },
    /// A label is not a class of the model.
    LabelOutOfRange {
        /// The example's row.
        row: usize,
        /// Its label.
        label: usize,
        /// The model's number of classes.
        classes: usize,
    },
    /// The learning rate is not a positive finite number.
    LearningRate {
        /// The value given.
        learning_rate: f64,
    },
    /// The L2 strength is negative or not finite.
    Reg {
        /// The value given.
        reg: f64,
    },
    /// A learning-rate schedule's parameter is out of its range.
    Schedule {
        /// What is wrong with it.
        reason: String,
    },
    /// A mini-batch size of zero was asked for.
    ZeroBatchSize,
    /// Reporting every zero passes was asked for.
    ZeroReportEvery,
    /// The held-out fraction is not strictly between 0 and 1, or leaves a part empty.
    Holdout {
        /// The fraction given.
        fraction: f64,
        /// The number of examples to split.
        examples: usize,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Anomaly { pass, anomaly } => {
                write!(f, "training stopped at pass {pass}: {anomaly}")
            }
            TrainError::Diverged { pass, loss } => write!(
                f,
                "training diverged at pass {pass}: the loss is {loss} (try a smaller learning rate)"
            ),
            TrainError::EmptyDataset => write!(f, "the data set holds no examples"),
            TrainError::FeatureCount { model, data } => write!(
                f,
                "the model takes {model} features per example but the data has {data}"
            ),
            TrainError::LabelOutOfRange {
                row,
                label,
                classes,
            } => write!(
                f,
                "label {label} in row {row} is not one of the model's {classes} classes"
            ),
            TrainError::LearningRate { learning_rate } => {
                write!(f, "learning rate {learning_rate} is not a positive number")
            }
            TrainError::Reg { reg } => {
                write!(
                    f,
                    "regularisation strength {reg} is not a non-negative number"
                )
            }
            TrainError::Schedule { reason } => write!(f, "learning-rate schedule: {reason}"),
            TrainError::ZeroBatchSize => write!(f, "batch size 0: a batch needs an example"),
            TrainError::ZeroReportEvery => write!(f, "report interval 0: it must be at least 1"),
            TrainError::Holdout { fraction, examples } => write!(
                f,
                "cannot hold out a fraction {fraction} of {examples} examples (it must be between 0 and 1 and leave both parts non-empty)"
            ),
        }
    }
}

impl std::error::Error for TrainError {}
