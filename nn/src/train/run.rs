//! `train`: the loop of gradient steps, progress reports and divergence checks.

use super::{Progress, TrainConfig, TrainError, TrainSummary};
use crate::dataset::{Dataset, holdout_count};
use crate::loss::Reduction;
use crate::metrics::accuracy;
use crate::model::Model;
use autograd::Tape;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::borrow::Cow;

/// Trains `model` on `data` as `config` says, calling `callback` with a [`Progress`] report at
/// pass 0 (before any update), every `config.report_every` passes, and after the last pass.
///
/// Each step records the objective `data loss + reg/2·Σ‖W‖²` on one tape (cleared and reused),
/// takes its gradients by a backward pass and hands them to the optimiser. Reports evaluate the
/// whole training set (and the held-out set) with the current parameters; see
/// [`Progress::loss`] for what the loss is.
///
/// Returns an error before training when the configuration or data do not fit the model, and
/// [`TrainError::Diverged`] as soon as a loss is NaN or infinite; the model is then rolled back
/// to the last parameters whose loss was finite (the ones before the step that broke it), so
/// that a caller can still save something usable.
pub fn train<M: Model>(
    model: &mut M,
    data: &Dataset,
    config: &TrainConfig,
    callback: impl FnMut(&Progress),
) -> Result<TrainSummary, TrainError> {
    train_observed(model, data, config, callback, |_, _| {})
}

/// [`train`], also calling `after_pass(pass, model)` after every pass (1 to `config.passes`)
/// with the updated model: to draw it as it learns, say. Nothing is evaluated for it, so it
/// costs nothing when it does nothing.
pub fn train_observed<M: Model>(
    model: &mut M,
    data: &Dataset,
    config: &TrainConfig,
    mut callback: impl FnMut(&Progress),
    mut after_pass: impl FnMut(usize, &M),
) -> Result<TrainSummary, TrainError> {
    check(model, data, config)?;
    let (train_set, holdout) = match config.holdout {
        Some(fraction) => {
            let (train_set, holdout) = data.split_holdout(fraction, config.seed);
            (Cow::Owned(train_set), Some(holdout))
        }
        None => (Cow::Borrowed(data), None),
    };
    let batch_size = config.batch_size.filter(|&size| size < train_set.len());
    let mut shuffle_rng = StdRng::seed_from_u64(config.seed.wrapping_add(1));
    let mut order: Vec<usize> = (0..train_set.len()).collect();
    let mut optimizer = config.optimizer.build(config.learning_rate);
    let mut tape = Tape::new();
    tape.set_detect_anomaly(config.detect_anomaly);
    let mut history = Vec::new();
    let mut updates = 0;
    let mut last_finite = model.params().clone();

    for pass in 0..=config.passes {
        if pass > 0 {
            match batch_size {
                None => {
                    let (objective, grads) = model.gradients(
                        &mut tape,
                        &train_set.features,
                        &train_set.labels,
                        config.reduction,
                        config.reg,
                    );
                    check_step(
                        &tape,
                        objective,
                        train_set.len(),
                        config.reduction,
                        pass - 1,
                    )
                    .inspect_err(|_| model.params_mut().copy_values_from(&last_finite))?;
                    last_finite.copy_values_from(model.params());
                    optimizer.step(model.params_mut(), &grads);
                    updates += 1;
                }
                Some(size) => {
                    order.shuffle(&mut shuffle_rng);
                    for chunk in order.chunks(size) {
                        let batch = train_set.subset(chunk);
                        let (objective, grads) = model.gradients(
                            &mut tape,
                            &batch.features,
                            &batch.labels,
                            config.reduction,
                            config.reg,
                        );
                        check_step(&tape, objective, batch.len(), config.reduction, pass - 1)
                            .inspect_err(|_| model.params_mut().copy_values_from(&last_finite))?;
                        last_finite.copy_values_from(model.params());
                        optimizer.step(model.params_mut(), &grads);
                        updates += 1;
                    }
                }
            }
        }
        if pass > 0 {
            after_pass(pass, model);
        }
        if pass % config.report_every == 0 || pass == config.passes {
            let (loss, train_accuracy) = evaluate(model, &mut tape, &train_set, config);
            check_finite(loss, 1, Reduction::Mean, pass)
                .inspect_err(|_| model.params_mut().copy_values_from(&last_finite))?;
            let held = holdout
                .as_ref()
                .map(|holdout| evaluate(model, &mut tape, holdout, config));
            let progress = Progress {
                pass,
                updates,
                loss,
                train_accuracy,
                holdout_loss: held.map(|(loss, _)| loss),
                holdout_accuracy: held.map(|(_, accuracy)| accuracy),
            };
            callback(&progress);
            history.push(progress);
        }
    }
    Ok(TrainSummary {
        history,
        train_examples: train_set.len(),
        holdout_examples: holdout.as_ref().map_or(0, Dataset::len),
    })
}

/// The objective over `data` per example (see [`Progress::loss`]) and the accuracy, with the
/// model's current parameters, recorded without gradients on `tape`.
fn evaluate(
    model: &impl Model,
    tape: &mut Tape,
    data: &Dataset,
    config: &TrainConfig,
) -> (f64, f64) {
    let (objective, predicted) = model.evaluate(
        tape,
        &data.features,
        &data.labels,
        config.reduction,
        config.reg,
    );
    let per_example = per_example(objective, data.len(), config.reduction);
    (per_example, accuracy(&predicted, &data.labels))
}

/// The objective per example: under `Sum` multiplied by `1/N` (the tutorial's
/// `1./num_examples * data_loss`), under `Mean` as it is.
fn per_example(objective: f64, examples: usize, reduction: Reduction) -> f64 {
    match reduction {
        Reduction::Sum => 1.0 / examples as f64 * objective,
        Reduction::Mean => objective,
    }
}

/// The step's anomaly, if detection found one, else whether its objective is finite.
fn check_step(
    tape: &Tape,
    objective: f64,
    examples: usize,
    reduction: Reduction,
    pass: usize,
) -> Result<(), TrainError> {
    match tape.anomaly() {
        Some(anomaly) => Err(TrainError::Anomaly { pass, anomaly }),
        None => check_finite(objective, examples, reduction, pass),
    }
}

fn check_finite(
    objective: f64,
    examples: usize,
    reduction: Reduction,
    pass: usize,
) -> Result<(), TrainError> {
    if objective.is_finite() {
        Ok(())
    } else {
        Err(TrainError::Diverged {
            pass,
            loss: per_example(objective, examples, reduction),
        })
    }
}

fn check(model: &impl Model, data: &Dataset, config: &TrainConfig) -> Result<(), TrainError> {
    if data.is_empty() {
        return Err(TrainError::EmptyDataset);
    }
    if data.feature_count() != model.in_features() {
        return Err(TrainError::FeatureCount {
            model: model.in_features(),
            data: data.feature_count(),
        });
    }
    if let Some((row, &label)) = data
        .labels
        .iter()
        .enumerate()
        .find(|&(_, &label)| label >= model.classes())
    {
        return Err(TrainError::LabelOutOfRange {
            row,
            label,
            classes: model.classes(),
        });
    }
    if !(config.learning_rate.is_finite() && config.learning_rate > 0.0) {
        return Err(TrainError::LearningRate {
            learning_rate: config.learning_rate,
        });
    }
    if !(config.reg.is_finite() && config.reg >= 0.0) {
        return Err(TrainError::Reg { reg: config.reg });
    }
    if config.batch_size == Some(0) {
        return Err(TrainError::ZeroBatchSize);
    }
    if config.report_every == 0 {
        return Err(TrainError::ZeroReportEvery);
    }
    if let Some(fraction) = config.holdout
        && holdout_count(data.len(), fraction).is_none()
    {
        return Err(TrainError::Holdout {
            fraction,
            examples: data.len(),
        });
    }
    Ok(())
}
