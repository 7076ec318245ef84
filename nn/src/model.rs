//! `Model`: what the training loop needs of a classifier, so that one loop trains every kind.

use crate::loss::Reduction;
use crate::mlp::Mlp;
use crate::params::{ParamGrads, ParamVars, Params};
use crate::sequential::Sequential;
use autograd::{Tape, Tensor, Var};

/// A classifier with named parameters that the [training loop](crate::train::train) can step:
/// [`Mlp`] and [`Sequential`].
pub trait Model {
    /// The parameters, in store order.
    fn params(&self) -> &Params;
    /// The parameters, for the optimiser to update.
    fn params_mut(&mut self) -> &mut Params;
    /// Values per example (columns of the features).
    fn in_features(&self) -> usize;
    /// The number of classes (labels must be below it).
    fn classes(&self) -> usize;
    /// The training objective (data loss plus `reg/2·Σ‖W‖²`, with `reg` divided by the batch
    /// size under `Reduction::Mean`: see
    /// [`Reduction::penalty_strength`](crate::Reduction::penalty_strength)) on one batch, in
    /// training mode, and its gradient for every parameter, recorded on `tape` (cleared first).
    fn gradients(
        &mut self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, ParamGrads);
    /// The same objective in evaluation mode, without gradients, and the predicted class of
    /// each row.
    fn evaluate(
        &self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, Vec<usize>);
}

/// Evaluation mode's one forward pass, shared by every model: clears `tape`, places `params` on
/// it as constants (no gradients) and `features` as a constant, and runs `run`, which gives the
/// logits and the objective; returns the objective's value and `classify` of the logits (read
/// in place).
fn evaluate_once(
    tape: &mut Tape,
    params: &Params,
    features: &Tensor,
    run: impl for<'t> FnOnce(&ParamVars<'t>, Var<'t>) -> (Var<'t>, Var<'t>),
    classify: impl FnOnce(&Tensor) -> Vec<usize>,
) -> (f64, Vec<usize>) {
    tape.clear();
    let tape = &*tape;
    let vars = params.constants_on(tape);
    let (logits, objective) = run(&vars, tape.constant(features.clone()));
    (objective.item(), classify(&logits.value()))
}

impl Model for Mlp {
    fn params(&self) -> &Params {
        Mlp::params(self)
    }
    fn params_mut(&mut self) -> &mut Params {
        Mlp::params_mut(self)
    }
    fn in_features(&self) -> usize {
        Mlp::in_features(self)
    }
    fn classes(&self) -> usize {
        Mlp::classes(self)
    }
    fn gradients(
        &mut self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, ParamGrads) {
        Mlp::gradients(self, tape, features, labels, reduction, reg)
    }
    fn evaluate(
        &self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, Vec<usize>) {
        evaluate_once(
            tape,
            self.params(),
            features,
            |vars, x| {
                let logits = self.forward(vars, x);
                (
                    logits,
                    self.objective_of(vars, logits, labels, reduction, reg),
                )
            },
            |logits| self.classes_from_logits(logits),
        )
    }
}

impl Model for Sequential {
    fn params(&self) -> &Params {
        Sequential::params(self)
    }
    fn params_mut(&mut self) -> &mut Params {
        Sequential::params_mut(self)
    }
    fn in_features(&self) -> usize {
        Sequential::in_features(self)
    }
    fn classes(&self) -> usize {
        Sequential::classes(self)
    }
    fn gradients(
        &mut self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, ParamGrads) {
        Sequential::gradients(self, tape, features, labels, reduction, reg)
    }
    fn evaluate(
        &self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, Vec<usize>) {
        evaluate_once(
            tape,
            self.params(),
            features,
            |vars, x| {
                let logits = self.forward(vars, x);
                (
                    logits,
                    self.objective_of(vars, logits, labels, reduction, reg),
                )
            },
            |logits| logits.argmax_axis(1),
        )
    }
}
