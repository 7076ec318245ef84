//! `train`: passes of a [`Trainer`] with progress reports between them.

use super::{AfterPass, PassHook, Progress, TrainConfig, TrainError, TrainSummary, Trainer};
use crate::dataset::Dataset;
use crate::model::Model;

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
    callback: impl FnMut(&Progress),
    after_pass: impl FnMut(usize, &M),
) -> Result<TrainSummary, TrainError> {
    train_with_hook(model, data, config, callback, &mut AfterPass(after_pass))
}

/// [`train`], also running `hook` around every pass: before it, with the learning rate that
/// `config.schedule` chose (which the hook may change); after it, with the updated model.
pub fn train_with_hook<M: Model>(
    model: &mut M,
    data: &Dataset,
    config: &TrainConfig,
    mut callback: impl FnMut(&Progress),
    hook: &mut impl PassHook<M>,
) -> Result<TrainSummary, TrainError> {
    let mut trainer = Trainer::new(model, data, config)?;
    let mut history = Vec::new();
    loop {
        let pass = trainer.passes_done();
        if pass % config.report_every == 0 || pass == config.passes {
            let progress = trainer.report(model)?;
            callback(&progress);
            history.push(progress);
        }
        if pass == config.passes {
            break;
        }
        trainer.pass(model, hook)?;
    }
    Ok(TrainSummary {
        history,
        train_examples: trainer.train_set().len(),
        holdout_examples: trainer.holdout().map_or(0, Dataset::len),
    })
}
