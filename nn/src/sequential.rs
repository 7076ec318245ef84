//! `Sequential`: a model that is a list of layers of any kind, described in text or in code.

use crate::init::Init;
use crate::layers::parse::{layers_text, parse_input_shape, parse_layers};
use crate::layers::shapes::{infer_shapes, param_shapes};
use crate::layers::{self, ArchError, Layer, Mode};
use crate::loss::{self, Reduction};
use crate::model_error::ModelError;
use crate::params::{ParamGrads, ParamVars, Params};
use autograd::{Tape, Tensor, Var};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// A classifier made of [`Layer`]s applied in order to examples of one shape (`[F]` features, or
/// `[C, H, W]` images given as rows of `C·H·W` values in channel, row, column order), ending in
/// one logit per class.
///
/// Parameters live in the ordered [`Params`] store under the names and layouts of the
/// [layer table](crate::layers) (`conv1.weight [C_out, C_in, kH, kW]`, `conv1.bias [C_out]`,
/// `dense5.W [in, out]`, `dense5.b [out]`, `bn2.gamma`, `bn2.beta`: the number is the layer's
/// position in the list). Batch normalisation's running statistics are kept apart, in
/// [`Sequential::buffers`], as they take no gradient.
///
/// [`forward`](Sequential::forward) evaluates (dropout off, running statistics);
/// [`forward_train`](Sequential::forward_train) trains (dropout masks drawn from the model's
/// own seeded generator, batch statistics, running averages updated).
///
/// ```
/// use nn::{Init, Sequential};
/// let model = Sequential::from_text("1x8x8", "conv 4 3x3 pad 1, relu, maxpool 2, flatten, dense 10",
///     Init::He, 0).unwrap();
/// let names: Vec<&str> = model.params().names().collect();
/// assert_eq!(names, ["conv1.weight", "conv1.bias", "dense5.W", "dense5.b"]);
/// assert_eq!(model.params().get("dense5.W").unwrap().dims(), &[64, 10]);
/// let error = Sequential::from_text("1x8x8", "conv 4 9x9, flatten, dense 10", Init::He, 0);
/// assert!(error.unwrap_err().to_string().starts_with("layer 1 (\"conv 4 9x9\") on input 1x8x8"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Sequential {
    input: Vec<usize>,
    layers: Vec<Layer>,
    params: Params,
    buffers: Params,
    dropout_seed: u64,
    training_steps: u64,
}

/// The momentum of batch normalisation's running averages: `running ← (1 − m)·running + m·batch`
/// (PyTorch's default 0.1).
pub const RUNNING_MOMENTUM: f64 = 0.1;

impl Sequential {
    /// A model from an input shape (`1x8x8`, `64`) and a layer list (`conv 8 3x3, relu, ...`),
    /// checked and built as [`Sequential::new`].
    pub fn from_text(
        input: &str,
        layers: &str,
        init: Init,
        seed: u64,
    ) -> Result<Sequential, ArchError> {
        Sequential::new(
            &parse_input_shape(input)?,
            &parse_layers(layers)?,
            init,
            seed,
        )
    }

    /// A model of `layers` over examples of shape `input`, checked first (see
    /// [`infer_shapes`]). Weights are drawn by `init` from one generator seeded with `seed`
    /// (rand's `StdRng`), layer by layer: a dense layer's
    /// `[in, out]` as [`Init::weights`] draws it; a convolution's as the weights of a dense layer with
    /// `C_in·kH·kW` inputs and `C_out` outputs, transposed to `[C_out, C_in·kH·kW]` and viewed as
    /// `[C_out, C_in, kH, kW]`. Biases and batch normalisation's shift start at 0, its scale at 1,
    /// its running mean at 0 and variance at 1. The dropout generator's seed is drawn last.
    pub fn new(
        input: &[usize],
        layers: &[Layer],
        init: Init,
        seed: u64,
    ) -> Result<Sequential, ArchError> {
        let rng = &mut StdRng::seed_from_u64(seed);
        let mut params = Params::new();
        for (name, dims) in param_shapes(input, layers)? {
            let tensor = if name.ends_with(".weight") {
                let fan_in = dims[1] * dims[2] * dims[3];
                init.draw(fan_in, dims[0], rng)
                    .transpose()
                    .reshape(&dims[..])
            } else if name.ends_with(".W") {
                init.draw(dims[0], dims[1], rng)
            } else if name.ends_with(".gamma") {
                Tensor::ones(&dims[..])
            } else {
                Tensor::zeros(&dims[..])
            };
            params.insert(name, tensor);
        }
        let buffers = initial_buffers(input, layers)?;
        Ok(Sequential {
            input: input.to_vec(),
            layers: layers.to_vec(),
            params,
            buffers,
            dropout_seed: rng.random(),
            training_steps: 0,
        })
    }

    /// A model from existing parameters (a checkpoint), which must be exactly those the layers
    /// call for, with their shapes; they are stored in the canonical order. `buffers` holds the
    /// running statistics of each batch normalisation; those it lacks start at mean 0, variance 1.
    /// Dropout masks are drawn from seed 0.
    pub fn from_params(
        input: &[usize],
        layers: &[Layer],
        mut params: Params,
        buffers: Params,
    ) -> Result<Sequential, ModelError> {
        let expected = param_shapes(input, layers)
            .map_err(|error| ModelError::Architecture(Box::new(error)))?;
        let mut ordered = Params::new();
        for (name, dims) in expected {
            let Some(tensor) = params.get_mut(&name) else {
                return Err(ModelError::MissingParameter { name });
            };
            if tensor.dims() != dims.as_slice() {
                return Err(ModelError::WrongShape {
                    name,
                    found: tensor.dims().to_vec(),
                    expected: dims,
                });
            }
            ordered.insert(name, std::mem::replace(tensor, Tensor::scalar(0.0)));
        }
        if let Some(name) = params.names().find(|name| !ordered.contains(name)) {
            return Err(ModelError::UnexpectedParameter {
                name: name.to_string(),
            });
        }
        let mut kept = initial_buffers(input, layers)
            .map_err(|error| ModelError::Architecture(Box::new(error)))?;
        for (name, tensor) in buffers.iter() {
            match kept.get_mut(name) {
                Some(slot) if slot.shape() == tensor.shape() => *slot = tensor.clone(),
                Some(slot) => {
                    return Err(ModelError::WrongShape {
                        name: name.to_string(),
                        found: tensor.dims().to_vec(),
                        expected: slot.dims().to_vec(),
                    });
                }
                None => {
                    return Err(ModelError::UnexpectedParameter {
                        name: name.to_string(),
                    });
                }
            }
        }
        Ok(Sequential {
            input: input.to_vec(),
            layers: layers.to_vec(),
            params: ordered,
            buffers: kept,
            dropout_seed: 0,
            training_steps: 0,
        })
    }

    /// The shape of one example (`[F]` or `[C, H, W]`).
    pub fn input_shape(&self) -> &[usize] {
        &self.input
    }

    /// The layers, in order.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The layer list in text, which [`Sequential::from_text`] reads back.
    pub fn description(&self) -> String {
        layers_text(&self.layers)
    }

    /// Each layer's output shape per example (checked when the model was built).
    pub fn shapes(&self) -> Vec<Vec<usize>> {
        infer_shapes(&self.input, &self.layers).expect("the architecture was checked when built")
    }

    /// The parameters, in layer order.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The parameters, to update them (an optimiser step).
    pub fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }

    /// Batch normalisation's running statistics (`bn{i}.running_mean`, `bn{i}.running_var`,
    /// each `[C]`), empty without such a layer.
    pub fn buffers(&self) -> &Params {
        &self.buffers
    }

    /// Values per example: the product of the input shape.
    pub fn in_features(&self) -> usize {
        self.input.iter().product()
    }

    /// The number of classes: the last layer's outputs.
    pub fn classes(&self) -> usize {
        self.shapes().last().map_or(0, |shape| shape[0])
    }

    /// The logits `[N, classes]` for `x` `[N, in_features]` in evaluation mode (dropout off,
    /// running statistics), recorded on `x`'s tape with the parameters `vars`.
    ///
    /// # Panics
    /// If `vars` lacks a parameter of this model or `x` does not have `in_features` columns.
    #[track_caller]
    pub fn forward<'t>(&self, vars: &ParamVars<'t>, x: Var<'t>) -> Var<'t> {
        self.forward_with(vars, x, Mode::Eval, 0)
    }

    /// The logits in either mode without changing the model: in [`Mode::Train`], batch
    /// normalisation uses the batch's statistics (the running averages do not move) and dropout
    /// draws its masks from `seed`, so that the same call gives the same function, as a
    /// gradient check of the training objective needs.
    ///
    /// # Panics
    /// As [`Sequential::forward`].
    #[track_caller]
    pub fn forward_with<'t>(
        &self,
        vars: &ParamVars<'t>,
        x: Var<'t>,
        mode: Mode,
        seed: u64,
    ) -> Var<'t> {
        let mut rng = StdRng::seed_from_u64(seed);
        let input = self.shaped_input(x);
        layers::forward::run(&self.layers, vars, &self.buffers, input, mode, &mut rng).0
    }

    /// The logits as [`forward`](Sequential::forward) in training mode: each dropout layer draws
    /// its mask from a generator seeded by the model's seed and its count of training passes,
    /// and each batch normalisation uses the batch's statistics and moves its running averages
    /// towards them by [`RUNNING_MOMENTUM`].
    ///
    /// # Panics
    /// As [`Sequential::forward`].
    #[track_caller]
    pub fn forward_train<'t>(&mut self, vars: &ParamVars<'t>, x: Var<'t>) -> Var<'t> {
        let seed = self.dropout_seed.wrapping_add(self.training_steps);
        self.training_steps += 1;
        let mut rng = StdRng::seed_from_u64(seed);
        let input = self.shaped_input(x);
        let (logits, stats) = layers::forward::run(
            &self.layers,
            vars,
            &self.buffers,
            input,
            Mode::Train,
            &mut rng,
        );
        for batch in stats {
            let m = RUNNING_MOMENTUM;
            for (suffix, value) in [
                ("running_mean", &batch.mean),
                ("running_var", &batch.variance),
            ] {
                let name = format!("bn{}.{suffix}", batch.position);
                let running = self
                    .buffers
                    .get_mut(&name)
                    .expect("every batch norm has buffers");
                *running = running.zip_map(value, |old, new| (1.0 - m) * old + m * new);
            }
        }
        logits
    }

    /// `x` `[N, in_features]` viewed as `[N, C, H, W]` for an image input.
    #[track_caller]
    fn shaped_input<'t>(&self, x: Var<'t>) -> Var<'t> {
        let shape = x.shape();
        if shape.rank() != 2 || shape.dim(1) != self.in_features() {
            panic!(
                "Sequential::forward: input {shape} is not [N, {}] (examples of {:?}) (at {})",
                self.in_features(),
                self.input,
                std::panic::Location::caller()
            );
        }
        match self.input[..] {
            [c, h, w] => x.reshape([shape.dim(0), c, h, w]),
            _ => x,
        }
    }

    /// `reg/2 · Σ‖W‖²` over the convolution and dense weights (not biases, not batch
    /// normalisation's scale and shift).
    pub fn weight_penalty<'t>(&self, vars: &ParamVars<'t>, reg: f64, tape: &'t Tape) -> Var<'t> {
        let squares = vars
            .iter()
            .filter(|(name, _)| name.ends_with(".weight") || name.ends_with(".W"))
            .map(|(_, weights)| weights.sum_squares())
            .reduce(|total, term| total + term);
        match squares {
            Some(total) => (reg / 2.0) * total,
            None => tape.constant(Tensor::scalar(0.0)),
        }
    }

    /// The training objective `softmax cross-entropy + reg/2·Σ‖W‖²` on `features` and `labels`
    /// in training mode, and its gradient for every parameter, from one forward and one backward
    /// pass on `tape` (cleared first).
    ///
    /// # Panics
    /// As [`Sequential::forward`], or if a label is not below the number of classes.
    #[track_caller]
    pub fn gradients(
        &mut self,
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
        let logits = self.forward_train(&vars, x);
        let objective = self.objective_of(&vars, logits, labels, reduction, reg);
        let value = objective.item();
        let mut grads = objective.backward();
        (value, vars.gradients(&mut grads))
    }

    /// The objective on `logits` (from [`Sequential::forward`] or
    /// [`forward_train`](Sequential::forward_train)): cross-entropy plus `reg/2 · Σ‖W‖²`, with
    /// `reg` divided by the rows under the mean reduction
    /// ([`Reduction::penalty_strength`](crate::Reduction::penalty_strength)), as for the MLP.
    ///
    /// # Panics
    /// If a label is not below the number of classes.
    #[track_caller]
    pub fn objective_of<'t>(
        &self,
        vars: &ParamVars<'t>,
        logits: Var<'t>,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> Var<'t> {
        let strength = reduction.penalty_strength(reg, labels.len());
        loss::softmax_cross_entropy(logits, labels, reduction)
            + self.weight_penalty(vars, strength, logits.tape())
    }

    /// The logits `[N, classes]` for `features` `[N, in_features]`, in evaluation mode, without
    /// gradients.
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

    /// The most probable class of each row of `features` (the first on ties).
    ///
    /// # Panics
    /// If `features` is not `[N, in_features]`.
    #[track_caller]
    pub fn predict(&self, features: &Tensor) -> Vec<usize> {
        self.logits(features).argmax_axis(1)
    }

    /// The class probabilities `[N, classes]` (the softmax of the logits); rows sum to one.
    ///
    /// # Panics
    /// If `features` is not `[N, in_features]`.
    #[track_caller]
    pub fn predict_proba(&self, features: &Tensor) -> Tensor {
        self.logits(features).softmax_axis(1)
    }
}

/// Running mean 0 and variance 1 for each batch normalisation, sized by its input's channels.
pub(crate) fn initial_buffers(input: &[usize], layers: &[Layer]) -> Result<Params, ArchError> {
    let shapes = infer_shapes(input, layers)?;
    let mut buffers = Params::new();
    for (index, layer) in layers.iter().enumerate() {
        if *layer == Layer::BatchNorm {
            let channels = if index == 0 {
                input[0]
            } else {
                shapes[index - 1][0]
            };
            let position = index + 1;
            buffers.insert(
                format!("bn{position}.running_mean"),
                Tensor::zeros([channels]),
            );
            buffers.insert(
                format!("bn{position}.running_var"),
                Tensor::ones([channels]),
            );
        }
    }
    Ok(buffers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::gradcheck::{gradgradcheck, scalar_function};
    use autograd::{GradcheckOptions, gradcheck};

    const SEED: u64 = 11;

    fn rng() -> StdRng {
        StdRng::seed_from_u64(SEED)
    }

    /// Every layer kind in one model, its gradient for every parameter against central
    /// differences, in training mode (batch statistics, a fixed dropout mask).
    #[test]
    fn gradients_through_every_layer_kind_match_finite_differences() {
        let layers = "conv 3 3x3 pad 1, batchnorm, relu, maxpool 2 stride 1, conv 2 2x2 dilation 2, \
                      tanh, avgpool 2 pad 1, flatten, dropout 0.3, dense 4, sigmoid, batchnorm, dense 3";
        let model = Sequential::from_text("2x5x5", layers, Init::He, SEED).unwrap();
        let features = Tensor::randn([4, 50], &mut rng());
        let labels = [0, 2, 1, 2];
        let params: Vec<Tensor> = model.params().iter().map(|(_, t)| t.clone()).collect();
        let objective = scalar_function(|vars| {
            let named = model.params().with_vars(&vars[1..]);
            let logits = model.forward_with(&named, vars[0], Mode::Train, 5);
            loss::softmax_cross_entropy(logits, &labels, Reduction::Mean)
                + model.weight_penalty(&named, 0.1, vars[0].tape())
        });
        let mut inputs = vec![features];
        inputs.extend(params);
        let report = gradcheck(objective, &inputs, &GradcheckOptions::default());
        assert!(report.passed && report.checked > 300, "{report}");
    }

    /// Batch normalisation's derived gradient differentiated again, through a smooth model.
    #[test]
    fn second_derivatives_through_batch_norm_match_finite_differences() {
        let layers = "conv 2 2x2, batchnorm, tanh, avgpool 2, flatten, batchnorm, dense 3";
        let model = Sequential::from_text("1x4x4", layers, Init::Xavier, SEED).unwrap();
        let features = Tensor::randn([3, 16], &mut rng());
        let params: Vec<Tensor> = model.params().iter().map(|(_, t)| t.clone()).collect();
        let objective = scalar_function(|vars| {
            let named = model.params().with_vars(&vars[1..]);
            let logits = model.forward_with(&named, vars[0], Mode::Train, 0);
            loss::softmax_cross_entropy(logits, &[2, 0, 1], Reduction::Mean)
        });
        let mut inputs = vec![features];
        inputs.extend(params);
        let report = gradgradcheck(objective, &inputs, 3, &GradcheckOptions::default());
        assert!(report.passed && report.checked > 0, "{report}");
    }

    #[test]
    fn training_moves_the_running_statistics_and_evaluation_uses_them() {
        let mut model = Sequential::from_text("3", "batchnorm, dense 2", Init::He, SEED).unwrap();
        let features = Tensor::from_rows(&[[1.0, 2.0, -1.0], [3.0, 2.0, 1.0]]);
        let mut tape = Tape::new();
        model.gradients(&mut tape, &features, &[0, 1], Reduction::Mean, 0.0);
        // Batch means [2, 2, 0]; unbiased variances [2, 0, 2]: running = 0.9·initial + 0.1·batch.
        let mean = model
            .buffers()
            .get("bn1.running_mean")
            .unwrap()
            .data()
            .to_vec();
        let variance = model
            .buffers()
            .get("bn1.running_var")
            .unwrap()
            .data()
            .to_vec();
        assert_eq!(mean, [0.2, 0.2, 0.0]);
        assert_eq!(variance, [0.9 + 0.2, 0.9, 0.9 + 0.2]);
        // Evaluation: (x − running mean) / √(running var + ε) · γ + β, then the dense layer.
        let w = model.params().get("dense2.W").unwrap().clone();
        let normalised: Vec<f64> = (0..3)
            .map(|j| (features[[0, j]] - mean[j]) / (variance[j] + 1e-5).sqrt())
            .collect();
        let logits = model.logits(&features);
        for k in 0..2 {
            let expected: f64 = (0..3).map(|j| normalised[j] * w[[j, k]]).sum();
            assert!((logits[[0, k]] - expected).abs() < 1e-12);
        }
    }

    #[test]
    fn dropout_is_seeded_while_training_and_off_when_evaluating() {
        let text = "dropout 0.5, dense 2";
        let mut a = Sequential::from_text("6", text, Init::He, SEED).unwrap();
        let mut b = a.clone();
        let x = Tensor::ones([8, 6]);
        let mut tape = Tape::new();
        let (first, _) = a.gradients(&mut tape, &x, &[0; 8], Reduction::Mean, 0.0);
        let (again, _) = b.gradients(&mut tape, &x, &[0; 8], Reduction::Mean, 0.0);
        let (second, _) = a.gradients(&mut tape, &x, &[0; 8], Reduction::Mean, 0.0);
        assert_eq!(first, again, "one seed, one mask");
        assert_ne!(first, second, "a new mask each step");
        let tape = Tape::new();
        let vars = a.params().constants_on(&tape);
        let kept = a.forward(&vars, tape.constant(x.clone())).value().clone();
        let direct = x.matmul(a.params().get("dense2.W").unwrap());
        assert_eq!(kept, direct, "evaluation keeps every value unscaled");
    }
}
