//! `Network`: the model a command trains or loads, either the tutorial's MLP (`--hidden`) or a
//! list of layers (`--arch`), behind one interface.

use autograd::{Tape, Tensor, Var};
use nn::{ParamGrads, ParamVars, Params, Reduction};

/// A classifier the command line can train, save, load, check and predict with.
#[derive(Clone, Debug)]
pub enum Network {
    /// Layer sizes and activations (`--hidden`, `--activation`); checkpoints with `sizes`.
    Mlp(nn::Mlp),
    /// A sequence of layers of any kind (`--arch`); checkpoints with `input` and `layers`.
    Sequential(nn::Sequential),
}

impl Network {
    /// The model's architecture in words: `logistic regression`, `hidden layers [3] (tanh)`, or
    /// the layer list of a sequential model.
    pub fn describe(&self) -> String {
        match self {
            Network::Mlp(model) => {
                let sizes = model.sizes();
                if sizes.len() == 2 {
                    return "logistic regression".to_string();
                }
                let hidden = &sizes[1..sizes.len() - 1];
                let mut names: Vec<&str> = model.activations().iter().map(|a| a.name()).collect();
                names.dedup();
                format!("hidden layers {:?} ({})", hidden, names.join(", "))
            }
            Network::Sequential(model) => format!("layers \"{}\"", model.description()),
        }
    }

    /// The most probable class of each row of `features` `[N, in_features]`.
    ///
    /// # Panics
    /// If `features` does not have `in_features` columns.
    pub fn predict(&self, features: &Tensor) -> Vec<usize> {
        match self {
            Network::Mlp(model) => model.predict(features),
            Network::Sequential(model) => model.predict(features),
        }
    }

    /// The class probabilities `[N, classes]` of each row of `features`.
    ///
    /// # Panics
    /// If `features` does not have `in_features` columns.
    pub fn predict_proba(&self, features: &Tensor) -> Tensor {
        match self {
            Network::Mlp(model) => model.predict_proba(features),
            Network::Sequential(model) => model.predict_proba(features),
        }
    }

    /// The objective `data loss + reg/2·Σ‖W‖²` on `x` and `labels` (`reg` divided by the rows
    /// under the mean reduction, as in training), recorded with `vars`, in
    /// evaluation mode (dropout off, batch normalisation's running statistics): a deterministic
    /// function of the parameters, as a gradient check needs.
    ///
    /// # Panics
    /// If `x` does not have `in_features` columns or a label is not below the number of classes.
    pub fn objective<'t>(
        &self,
        vars: &ParamVars<'t>,
        x: Var<'t>,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> Var<'t> {
        match self {
            Network::Mlp(model) => model.objective(vars, x, labels, reduction, reg),
            Network::Sequential(model) => {
                model.objective_of(vars, model.forward(vars, x), labels, reduction, reg)
            }
        }
    }

    /// The model as checkpoint JSON, in the form its kind uses.
    pub fn to_json(&self) -> String {
        match self {
            Network::Mlp(model) => nn::checkpoint::to_json(model),
            Network::Sequential(model) => nn::checkpoint::sequential_to_json(model),
        }
    }

    /// The number of trained values (weights, biases, scales and shifts).
    pub fn parameter_count(&self) -> usize {
        self.model().params().numel()
    }
}

impl Network {
    /// The model inside, as the training loop sees it: every [`nn::Model`] method of `Network`
    /// goes through here, so that the two kinds are told apart in one place.
    fn model(&self) -> &dyn nn::Model {
        match self {
            Network::Mlp(model) => model,
            Network::Sequential(model) => model,
        }
    }

    /// [`Network::model`], mutable.
    fn model_mut(&mut self) -> &mut dyn nn::Model {
        match self {
            Network::Mlp(model) => model,
            Network::Sequential(model) => model,
        }
    }
}

impl nn::Model for Network {
    fn params(&self) -> &Params {
        self.model().params()
    }

    fn params_mut(&mut self) -> &mut Params {
        self.model_mut().params_mut()
    }

    fn in_features(&self) -> usize {
        self.model().in_features()
    }

    fn classes(&self) -> usize {
        self.model().classes()
    }

    fn gradients(
        &mut self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, ParamGrads) {
        self.model_mut()
            .gradients(tape, features, labels, reduction, reg)
    }

    fn evaluate(
        &self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, Vec<usize>) {
        self.model()
            .evaluate(tape, features, labels, reduction, reg)
    }
}
