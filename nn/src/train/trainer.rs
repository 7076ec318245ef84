//! `Trainer`: the training loop's state between passes, so that a caller can run it pass by pass.

use super::{PassHook, Progress, TrainConfig, TrainError};
use crate::dataset::{Dataset, holdout_count};
use crate::loss::Reduction;
use crate::metrics::accuracy;
use crate::model::Model;
use crate::optim::Optimizer;
use crate::params::Params;
use autograd::Tape;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// A training run in progress: the split data, the optimiser's state, the shuffle and the pass
/// counter. [`train`](super::train) is a loop over [`pass`](Trainer::pass) and
/// [`report`](Trainer::report); a caller that trains a few passes at a time (an interactive
/// front end) drives the same two methods and gets the same numbers.
///
/// ```
/// use autograd::Tensor;
/// use nn::train::Trainer;
/// use nn::{Dataset, Init, Mlp, TrainConfig};
///
/// let data = Dataset::new(Tensor::from_rows(&[[0.0, 1.0], [1.0, 0.0]]), vec![0, 1]);
/// let mut model = Mlp::new(&[2, 3, 2], nn::Activation::Tanh, Init::Tutorial, 0);
/// let config = TrainConfig { passes: 10, ..TrainConfig::default() };
/// let mut trainer = Trainer::new(&model, &data, &config).unwrap();
/// let before = trainer.report(&mut model).unwrap().loss;
/// for _ in 0..10 {
///     trainer.pass(&mut model, &mut nn::train::AfterPass(|_, _: &Mlp| {})).unwrap();
/// }
/// assert_eq!(trainer.passes_done(), 10);
/// assert!(trainer.report(&mut model).unwrap().loss < before);
/// ```
pub struct Trainer {
    config: TrainConfig,
    train_set: Dataset,
    holdout: Option<Dataset>,
    batch_size: Option<usize>,
    shuffle_rng: StdRng,
    order: Vec<usize>,
    optimizer: Box<dyn Optimizer>,
    tape: Tape,
    passes_done: usize,
    updates: usize,
    last_finite: Params,
}

impl Trainer {
    /// A run of `config` on `data` for `model`, before its first pass; an error when the
    /// configuration or the data do not fit the model.
    pub fn new<M: Model>(
        model: &M,
        data: &Dataset,
        config: &TrainConfig,
    ) -> Result<Trainer, TrainError> {
        check(model, data, config)?;
        let (train_set, holdout) = match config.holdout {
            Some(fraction) => {
                let (train_set, holdout) = data.split_holdout(fraction, config.seed);
                (train_set, Some(holdout))
            }
            None => (data.clone(), None),
        };
        let batch_size = config.batch_size.filter(|&size| size < train_set.len());
        let tape = Tape::new();
        tape.set_detect_anomaly(config.detect_anomaly);
        Ok(Trainer {
            config: config.clone(),
            order: (0..train_set.len()).collect(),
            train_set,
            holdout,
            batch_size,
            shuffle_rng: StdRng::seed_from_u64(config.seed.wrapping_add(1)),
            optimizer: config.optimizer.build(config.learning_rate),
            tape,
            passes_done: 0,
            updates: 0,
            last_finite: model.params().clone(),
        })
    }

    /// The passes completed.
    pub fn passes_done(&self) -> usize {
        self.passes_done
    }

    /// The examples trained on (the data less any held-out rows).
    pub fn train_set(&self) -> &Dataset {
        &self.train_set
    }

    /// The held-out examples, when some are held out.
    pub fn holdout(&self) -> Option<&Dataset> {
        self.holdout.as_ref()
    }

    /// The learning rate the next pass will use before any hook changes it: the configuration's
    /// schedule at the passes done, of `config.passes`.
    pub fn scheduled_learning_rate(&self) -> f64 {
        self.config.schedule.rate(
            self.config.learning_rate,
            self.passes_done,
            self.config.passes,
        )
    }

    /// One pass over the training set (one update full-batch, one per batch otherwise), with
    /// `hook` run before it (with the scheduled rate) and after it (with the updated model).
    ///
    /// On a NaN or infinite objective the model is rolled back to the parameters before the
    /// step that broke it, and [`TrainError::Diverged`] (or the anomaly found) is returned.
    pub fn pass<M: Model>(
        &mut self,
        model: &mut M,
        hook: &mut impl PassHook<M>,
    ) -> Result<(), TrainError> {
        let pass = self.passes_done + 1;
        let mut learning_rate = self.scheduled_learning_rate();
        hook.before_pass(pass, &mut learning_rate);
        self.optimizer.set_learning_rate(learning_rate);
        match self.batch_size {
            None => self.step(model, None, pass - 1)?,
            Some(size) => {
                self.order.shuffle(&mut self.shuffle_rng);
                let order = std::mem::take(&mut self.order);
                let stepped = order
                    .chunks(size)
                    .try_for_each(|chunk| self.step(model, Some(chunk), pass - 1));
                self.order = order;
                stepped?;
            }
        }
        self.passes_done = pass;
        hook.after_pass(pass, model);
        Ok(())
    }

    /// One update from the gradients on the rows `batch` of the training set (all of it when
    /// `None`), during pass `pass + 1`.
    fn step<M: Model>(
        &mut self,
        model: &mut M,
        batch: Option<&[usize]>,
        pass: usize,
    ) -> Result<(), TrainError> {
        let subset;
        let examples = match batch {
            None => &self.train_set,
            Some(rows) => {
                subset = self.train_set.subset(rows);
                &subset
            }
        };
        let config = &self.config;
        let (objective, grads) = model.gradients(
            &mut self.tape,
            &examples.features,
            &examples.labels,
            config.reduction,
            config.reg,
        );
        check_step(
            &self.tape,
            objective,
            examples.len(),
            config.reduction,
            pass,
        )
        .inspect_err(|_| model.params_mut().copy_values_from(&self.last_finite))?;
        self.last_finite.copy_values_from(model.params());
        self.optimizer.step(model.params_mut(), &grads);
        self.updates += 1;
        Ok(())
    }

    /// The loss and accuracy of the model as it is now, on the training set and on the held-out
    /// set (see [`Progress`]); [`TrainError::Diverged`] when the loss is not finite, after which
    /// the model holds the last parameters whose loss was.
    pub fn report<M: Model>(&mut self, model: &mut M) -> Result<Progress, TrainError> {
        let (loss, train_accuracy) = evaluate(model, &mut self.tape, &self.train_set, &self.config);
        check_finite(loss, 1, Reduction::Mean, self.passes_done)
            .inspect_err(|_| model.params_mut().copy_values_from(&self.last_finite))?;
        let held = self
            .holdout
            .as_ref()
            .map(|holdout| evaluate(model, &mut self.tape, holdout, &self.config));
        Ok(Progress {
            pass: self.passes_done,
            updates: self.updates,
            loss,
            train_accuracy,
            holdout_loss: held.map(|(loss, _)| loss),
            holdout_accuracy: held.map(|(_, accuracy)| accuracy),
        })
    }
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
    if let Some(reason) = config.schedule.invalid() {
        return Err(TrainError::Schedule { reason });
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
