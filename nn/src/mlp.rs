//! `Mlp`: a multilayer perceptron (logistic regression when it has no hidden layer) as a graph.

use crate::init::Init;
use crate::loss::{self, Reduction};
use crate::model_error::ModelError;
use crate::params::{ParamGrads, ParamVars, Params};
use autograd::{Activation, Tape, Tensor, Var};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// A fully connected network: layer sizes `[in_features, hidden..., outputs]`, one activation per
/// hidden layer, and parameters `W1, b1, W2, b2, ...` with `W_l` of shape `[sizes[l−1], sizes[l]]`
/// and `b_l` of shape `[sizes[l]]`.
///
/// The forward pass is `h_l = act_l(h_{l−1}·W_l + b_l)` for the hidden layers and `h·W + b` for
/// the last, whose outputs are logits. With `C ≥ 2` outputs the model is a softmax classifier over
/// `C` classes; with one output it is a binary classifier whose logit `z` gives `P(class 1) = σ(z)`.
/// With no hidden layer it is (multinomial or binary) logistic regression.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    sizes: Vec<usize>,
    activations: Vec<Activation>,
    params: Params,
}

/// The name of layer `layer`'s weights (`W1` for the first layer).
pub fn weight_name(layer: usize) -> String {
    format!("W{layer}")
}

/// The name of layer `layer`'s bias (`b1` for the first layer).
pub fn bias_name(layer: usize) -> String {
    format!("b{layer}")
}

impl Mlp {
    /// A network with the given layer sizes and `activation` on every hidden layer, its weights
    /// drawn by `init` from one generator seeded with `seed` (rand's `StdRng`, layer by layer,
    /// weights only) and its biases zero. The same seed gives the same model on every machine.
    ///
    /// # Panics
    /// If there are fewer than two sizes or a size is zero.
    #[track_caller]
    pub fn new(sizes: &[usize], activation: Activation, init: Init, seed: u64) -> Mlp {
        let hidden = sizes.len().saturating_sub(2);
        Mlp::with_activations(sizes, &vec![activation; hidden], init, seed)
    }

    /// A network with one activation per hidden layer (`sizes.len() − 2` of them), drawn as
    /// [`Mlp::new`] draws it.
    ///
    /// # Panics
    /// If there are fewer than two sizes, a size is zero, or the activations do not match the
    /// hidden layers.
    #[track_caller]
    pub fn with_activations(
        sizes: &[usize],
        activations: &[Activation],
        init: Init,
        seed: u64,
    ) -> Mlp {
        if let Err(error) = check_architecture(sizes, activations) {
            panic!(
                "Mlp::new: {error} (sizes {sizes:?}) (at {})",
                std::panic::Location::caller()
            );
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let mut params = Params::new();
        for (layer, pair) in sizes.windows(2).enumerate() {
            let (in_features, out_features) = (pair[0], pair[1]);
            params.insert(
                weight_name(layer + 1),
                init.draw(in_features, out_features, &mut rng),
            );
            params.insert(bias_name(layer + 1), Tensor::zeros([out_features]));
        }
        Mlp {
            sizes: sizes.to_vec(),
            activations: activations.to_vec(),
            params,
        }
    }

    /// Multinomial logistic regression: `in_features` inputs straight to `classes` softmax
    /// outputs, weights drawn as the tutorial does (from `seed`, as [`Mlp::new`]).
    ///
    /// # Panics
    /// If `in_features` is zero or `classes` is below 2 (see [`Mlp::binary_logistic`]).
    #[track_caller]
    pub fn logistic(in_features: usize, classes: usize, seed: u64) -> Mlp {
        assert!(
            classes >= 2,
            "Mlp::logistic: {classes} classes; use Mlp::binary_logistic for one sigmoid output (at {})",
            std::panic::Location::caller()
        );
        Mlp::new(
            &[in_features, classes],
            Activation::Tanh,
            Init::Tutorial,
            seed,
        )
    }

    /// Binary logistic regression: `in_features` inputs to one logit `z`, `P(class 1) = σ(z)`,
    /// weights drawn from `seed`.
    ///
    /// # Panics
    /// If `in_features` is zero.
    #[track_caller]
    pub fn binary_logistic(in_features: usize, seed: u64) -> Mlp {
        Mlp::new(&[in_features, 1], Activation::Tanh, Init::Tutorial, seed)
    }

    /// A network from existing parameters (a checkpoint, the tutorial's initial weights), which
    /// must be exactly those the sizes call for, with their shapes. They are stored in the
    /// canonical order `W1, b1, W2, b2, ...` whatever their order in `params`.
    pub fn from_params(
        sizes: &[usize],
        activations: &[Activation],
        mut params: Params,
    ) -> Result<Mlp, ModelError> {
        check_architecture(sizes, activations)?;
        let mut ordered = Params::new();
        for (name, expected) in expected_shapes(sizes) {
            let Some(tensor) = params.get_mut(&name) else {
                return Err(ModelError::MissingParameter { name });
            };
            if tensor.dims() != expected.as_slice() {
                return Err(ModelError::WrongShape {
                    name,
                    found: tensor.dims().to_vec(),
                    expected,
                });
            }
            let tensor = std::mem::replace(tensor, Tensor::scalar(0.0));
            ordered.insert(name, tensor);
        }
        if let Some(name) = params.names().find(|name| !ordered.contains(name)) {
            return Err(ModelError::UnexpectedParameter {
                name: name.to_string(),
            });
        }
        Ok(Mlp {
            sizes: sizes.to_vec(),
            activations: activations.to_vec(),
            params: ordered,
        })
    }

    /// The layer sizes, inputs first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The activation of each hidden layer.
    pub fn activations(&self) -> &[Activation] {
        &self.activations
    }

    /// The parameters, `W1, b1, W2, b2, ...`.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The parameters, to update them (an optimiser step). Replacing a tensor by one of another
    /// shape breaks the model; later calls then panic.
    pub fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }

    /// The number of inputs per example.
    pub fn in_features(&self) -> usize {
        self.sizes[0]
    }

    /// The number of outputs (logits) per example.
    pub fn out_features(&self) -> usize {
        self.sizes[self.sizes.len() - 1]
    }

    /// The number of classes: the outputs, or 2 for the one-output binary form.
    pub fn classes(&self) -> usize {
        self.out_features().max(2)
    }

    /// Whether this is the binary form (one sigmoid logit).
    pub fn is_binary(&self) -> bool {
        self.out_features() == 1
    }

    /// The number of layers with parameters (hidden layers plus the output layer).
    pub fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// The logits `[N, outputs]` for the inputs `x` `[N, in_features]`, recorded on `x`'s tape
    /// with the parameters `vars` (from [`Params::on_tape`] of this model's parameters).
    ///
    /// # Panics
    /// If `vars` lacks a parameter of this model or `x` does not have `in_features` columns.
    #[track_caller]
    pub fn forward<'t>(&self, vars: &ParamVars<'t>, x: Var<'t>) -> Var<'t> {
        let mut hidden = x;
        for layer in 1..=self.layers() {
            let weights = vars.get(&weight_name(layer));
            let bias = vars.get(&bias_name(layer));
            // Hidden layers are one `dense` node each (the affine map and the activation);
            // the output layer is the affine map alone.
            hidden = match self.activations.get(layer - 1) {
                Some(activation) => hidden.dense(weights, bias, *activation),
                None => hidden.affine(weights, bias),
            };
        }
        hidden
    }

    /// The data loss of `logits` against `labels`: softmax cross-entropy, or binary
    /// cross-entropy for the one-output form.
    ///
    /// # Panics
    /// If there is not one label per row or a label is not below [`Mlp::classes`].
    #[track_caller]
    pub fn data_loss<'t>(
        &self,
        logits: Var<'t>,
        labels: &[usize],
        reduction: Reduction,
    ) -> Var<'t> {
        if self.is_binary() {
            loss::binary_cross_entropy_with_logits(logits, labels, reduction)
        } else {
            loss::softmax_cross_entropy(logits, labels, reduction)
        }
    }

    /// The training objective `data_loss(forward(x), labels) + reg/2 · Σ‖W‖²` (biases not
    /// penalised): with `Reduction::Sum` and `reg = 0.01` it is exactly the quantity whose
    /// gradient the tutorial descends. With `Reduction::Mean` the penalty's `reg` is divided by
    /// the number of rows ([`Reduction::penalty_strength`]), which makes the objective the
    /// sum's divided by `N`: the same minimiser for the same `reg`.
    ///
    /// # Panics
    /// As [`Mlp::forward`] and [`Mlp::data_loss`].
    #[track_caller]
    pub fn objective<'t>(
        &self,
        vars: &ParamVars<'t>,
        x: Var<'t>,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> Var<'t> {
        self.objective_of(vars, self.forward(vars, x), labels, reduction, reg)
    }

    /// The [`objective`](Mlp::objective) on logits already computed by [`Mlp::forward`] (so that
    /// a caller that also needs the logits runs the forward pass once).
    ///
    /// # Panics
    /// As [`Mlp::data_loss`].
    #[track_caller]
    pub fn objective_of<'t>(
        &self,
        vars: &ParamVars<'t>,
        logits: Var<'t>,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> Var<'t> {
        let data_loss = self.data_loss(logits, labels, reduction);
        data_loss + loss::l2_penalty(vars, reduction.penalty_strength(reg, labels.len()))
    }

    /// The [`objective`](Mlp::objective) on `features` `[N, in_features]` and `labels`, and its
    /// gradient with respect to every parameter, from one forward and one backward pass recorded
    /// on `tape` (cleared first, so that its storage is reused across steps).
    ///
    /// # Panics
    /// As [`Mlp::objective`].
    #[track_caller]
    pub fn gradients(
        &self,
        tape: &mut Tape,
        features: &Tensor,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> (f64, ParamGrads) {
        tape.clear();
        let tape = &*tape;
        let vars = self.params.on_tape(tape);
        let x = tape.constant(features.clone());
        let objective = self.objective(&vars, x, labels, reduction, reg);
        let value = objective.item();
        let mut grads = objective.backward();
        (value, vars.gradients(&mut grads))
    }

    /// The logits `[N, outputs]` for `features` `[N, in_features]`, computed without gradients.
    ///
    /// # Panics
    /// If `features` is not `[N, in_features]`.
    #[track_caller]
    pub fn logits(&self, features: &Tensor) -> Tensor {
        let tape = Tape::new();
        let vars = self.params.constants_on(&tape);
        let logits = self.forward(&vars, tape.constant(features.clone()));
        logits.value().clone()
    }

    /// The most probable class of each row of `features` (the first on ties; for the binary form,
    /// class 1 when the logit is positive).
    ///
    /// # Panics
    /// If `features` is not `[N, in_features]`.
    #[track_caller]
    pub fn predict(&self, features: &Tensor) -> Vec<usize> {
        self.classes_from_logits(&self.logits(features))
    }

    /// The most probable class for each row of `logits` `[N, outputs]` (see [`Mlp::predict`]).
    pub fn classes_from_logits(&self, logits: &Tensor) -> Vec<usize> {
        if self.is_binary() {
            logits
                .data()
                .iter()
                .map(|&z| usize::from(z > 0.0))
                .collect()
        } else {
            logits.argmax_axis(1)
        }
    }

    /// The class probabilities `[N, classes]` of each row of `features`: the softmax of the logits,
    /// or `[1 − σ(z), σ(z)]` for the binary form. Rows sum to one.
    ///
    /// # Panics
    /// If `features` is not `[N, in_features]`.
    #[track_caller]
    pub fn predict_proba(&self, features: &Tensor) -> Tensor {
        let logits = self.logits(features);
        if self.is_binary() {
            let zeros = Tensor::zeros(logits.shape());
            Tensor::concat(&[&zeros, &logits], 1).softmax_axis(1)
        } else {
            logits.softmax_axis(1)
        }
    }
}

/// Checks that `sizes` and `activations` describe an MLP.
pub fn check_architecture(sizes: &[usize], activations: &[Activation]) -> Result<(), ModelError> {
    if sizes.len() < 2 {
        return Err(ModelError::TooFewSizes { count: sizes.len() });
    }
    if let Some(index) = sizes.iter().position(|&size| size == 0) {
        return Err(ModelError::ZeroSize { index });
    }
    let hidden = sizes.len() - 2;
    if activations.len() != hidden {
        return Err(ModelError::ActivationCount {
            found: activations.len(),
            expected: hidden,
        });
    }
    Ok(())
}

/// Each parameter's name and shape for the layer sizes, in store order.
pub fn expected_shapes(sizes: &[usize]) -> Vec<(String, Vec<usize>)> {
    sizes
        .windows(2)
        .enumerate()
        .flat_map(|(layer, pair)| {
            [
                (weight_name(layer + 1), vec![pair[0], pair[1]]),
                (bias_name(layer + 1), vec![pair[1]]),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: u64 = 42;

    #[test]
    fn parameters_are_named_and_shaped_layer_by_layer() {
        let model = Mlp::new(&[2, 5, 4, 3], Activation::Relu, Init::He, SEED);
        let shapes: Vec<(String, Vec<usize>)> = model
            .params()
            .iter()
            .map(|(name, tensor)| (name.to_string(), tensor.dims().to_vec()))
            .collect();
        assert_eq!(shapes, expected_shapes(&[2, 5, 4, 3]));
        assert_eq!(
            model.params().names().collect::<Vec<_>>(),
            ["W1", "b1", "W2", "b2", "W3", "b3"]
        );
        assert!(
            model
                .params()
                .get("b2")
                .unwrap()
                .data()
                .iter()
                .all(|&b| b == 0.0)
        );
        assert_eq!(model.activations(), &[Activation::Relu, Activation::Relu]);
    }

    #[test]
    fn a_seed_gives_the_same_model_and_the_tutorial_scaling() {
        let a = Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, SEED);
        let b = Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, SEED);
        assert_eq!(a, b);
        // W1 holds the first 6 normal draws over sqrt(2); W2 the next 6 over sqrt(3).
        let draws = Tensor::randn([12], &mut StdRng::seed_from_u64(SEED));
        let w1 = a.params().get("W1").unwrap().data();
        let w2 = a.params().get("W2").unwrap().data();
        for i in 0..6 {
            assert_eq!(w1[i], draws.data()[i] / 2.0f64.sqrt());
            assert_eq!(w2[i], draws.data()[6 + i] / 3.0f64.sqrt());
        }
    }

    #[test]
    fn the_forward_pass_is_x_w_plus_b_through_the_activation() {
        let mut params = Params::new();
        params.insert("W1", Tensor::from_rows(&[[1.0, -1.0], [0.5, 2.0]]));
        params.insert("b1", Tensor::from_vec(vec![0.1, -0.2], [2]));
        params.insert("W2", Tensor::from_rows(&[[2.0], [3.0]]));
        params.insert("b2", Tensor::from_vec(vec![0.5], [1]));
        let model = Mlp::from_params(&[2, 2, 1], &[Activation::Tanh], params).unwrap();
        let x = Tensor::from_rows(&[[1.0, 2.0]]);
        // z1 = [1 + 1 + 0.1, −1 + 4 − 0.2] = [2.1, 2.8]
        let expected = 2.0 * 2.1f64.tanh() + 3.0 * 2.8f64.tanh() + 0.5;
        let logit = model.logits(&x).item();
        assert!((logit - expected).abs() < 1e-14, "{logit} vs {expected}");
        assert_eq!(model.predict(&x), vec![1]);
        let proba = model.predict_proba(&x);
        let p1 = 1.0 / (1.0 + (-expected).exp());
        assert!((proba[[0, 1]] - p1).abs() < 1e-15 && (proba[[0, 0]] - (1.0 - p1)).abs() < 1e-15);
    }

    #[test]
    fn predictions_take_the_largest_logit_and_probabilities_sum_to_one() {
        let model = Mlp::new(&[2, 4, 3], Activation::Sigmoid, Init::Xavier, SEED);
        let x = Tensor::randn([6, 2], &mut StdRng::seed_from_u64(3));
        let logits = model.logits(&x);
        let proba = model.predict_proba(&x);
        assert_eq!(model.predict(&x), logits.argmax_axis(1));
        assert_eq!(proba.argmax_axis(1), logits.argmax_axis(1));
        for row in 0..6 {
            let total: f64 = proba.row(row).iter().sum();
            assert!((total - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn logistic_regression_is_the_model_without_a_hidden_layer() {
        let softmax = Mlp::logistic(2, 2, SEED);
        assert_eq!(softmax.sizes(), &[2, 2]);
        assert!(softmax.activations().is_empty());
        assert_eq!(softmax.params().names().collect::<Vec<_>>(), ["W1", "b1"]);
        let binary = Mlp::binary_logistic(2, SEED);
        assert!(binary.is_binary());
        assert_eq!(binary.classes(), 2);
    }

    #[test]
    fn from_params_names_what_does_not_fit() {
        let model = Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, SEED);
        let mut missing = model.params().clone();
        let mut rebuilt = Params::new();
        for (name, tensor) in missing.iter().filter(|(name, _)| *name != "b2") {
            rebuilt.insert(name, tensor.clone());
        }
        let error = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], rebuilt).unwrap_err();
        assert_eq!(error, ModelError::MissingParameter { name: "b2".into() });

        missing.insert("W2", Tensor::zeros([3, 4]));
        let error = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], missing.clone()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "parameter \"W2\" has shape [3, 4], expected [3, 2]"
        );

        let mut extra = model.params().clone();
        extra.insert("W3", Tensor::zeros([2, 2]));
        let error = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], extra).unwrap_err();
        assert_eq!(error, ModelError::UnexpectedParameter { name: "W3".into() });

        let error = Mlp::from_params(&[2, 3, 2], &[], model.params().clone()).unwrap_err();
        assert_eq!(error.to_string(), "0 activations given for 1 hidden layers");
        assert_eq!(
            check_architecture(&[2], &[]),
            Err(ModelError::TooFewSizes { count: 1 })
        );
        assert_eq!(
            check_architecture(&[2, 0, 2], &[Activation::Tanh]),
            Err(ModelError::ZeroSize { index: 1 })
        );
    }

    #[test]
    fn from_params_restores_the_canonical_order() {
        let model = Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, SEED);
        let mut shuffled = Params::new();
        for name in ["b2", "W1", "W2", "b1"] {
            shuffled.insert(name, model.params().get(name).unwrap().clone());
        }
        let rebuilt = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], shuffled).unwrap();
        assert_eq!(rebuilt, model);
    }
}
