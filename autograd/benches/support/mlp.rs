//! The benchmarked MLP training step, twice: through the tape, and hand-derived on the same kernels.
//!
//! The model is the tutorial's, generalised to any depth: `tanh` hidden layers, a softmax output,
//! and the loss `Σₙ −log softmax(zₙ)[yₙ] + reg/2·Σ‖W‖²` (summed over the batch, weights only),
//! trained by full-batch gradient descent. Parameters are `[W1, b1, W2, b2, ...]`, weights stored
//! input×output so that a layer is `x·W + b`.

use autograd::{Activation, Layout, Tape, Tensor};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// A labelled batch: one row of features per example, one class index per row.
pub struct Batch {
    /// Features, `[examples, in_features]`.
    pub features: Tensor,
    /// The class of each example.
    pub labels: Vec<usize>,
}

impl Batch {
    /// The number of examples.
    pub fn examples(&self) -> usize {
        self.labels.len()
    }
}

/// The mean loss (the summed loss over N) and the gradient of the SUMMED loss for each parameter,
/// through the tape: the forward pass records, `backward` derives.
pub fn tape_gradients(
    tape: &mut Tape,
    params: &[Tensor],
    batch: &Batch,
    reg: f64,
) -> (f64, Vec<Tensor>) {
    tape.clear();
    let tape = &*tape;
    let vars: Vec<_> = params.iter().map(|p| tape.var(p.clone())).collect();
    let layers = vars.len() / 2;
    let mut activation = tape.constant(batch.features.clone());
    for layer in 0..layers {
        let (weights, bias) = (vars[2 * layer], vars[2 * layer + 1]);
        activation = if layer + 1 < layers {
            activation.dense(weights, bias, Activation::Tanh)
        } else {
            activation.affine(weights, bias)
        };
    }
    let data_loss = activation.softmax_cross_entropy(&batch.labels).sum();
    let mut penalty = vars[0].sum_squares();
    for layer in 1..layers {
        penalty = penalty + vars[2 * layer].sum_squares();
    }
    let loss = data_loss + reg / 2.0 * penalty;
    let mean_loss = loss.item() / batch.examples() as f64;
    let mut grads = loss.backward();
    let grads = vars
        .iter()
        .map(|&v| grads.take(v).expect("every parameter takes a gradient"))
        .collect();
    (mean_loss, grads)
}

/// The same mean loss and gradients, derived by hand as in the tutorial
/// (`delta = probs − onehot(y)`, `dW = aᵀ·delta + reg·W`, `db = Σₙ delta`,
/// `delta ← (delta·Wᵀ) ⊙ (1 − a²)`), with the same `Tensor` kernels the engine uses. It fuses what
/// a careful hand-written step would: each hidden layer's `tanh` applied as its product is
/// written (`Tensor::dense`, the tape's kernel too), `probs − onehot` in place, the tanh slope
/// in one pass that also sums the bias gradient (`Tensor::zip_map_and_sum_columns`, as the
/// tape's `dense` backward), and the penalty read straight from the weights; `tanh` and `exp`
/// go through the engine's vectorised kernels, as the tape's ops do.
pub fn hand_gradients(params: &[Tensor], batch: &Batch, reg: f64) -> (f64, Vec<Tensor>) {
    let layers = params.len() / 2;
    let mut hidden: Vec<Tensor> = Vec::with_capacity(layers - 1);
    for layer in 0..layers - 1 {
        let input = hidden.last().unwrap_or(&batch.features);
        hidden.push(input.dense(&params[2 * layer], &params[2 * layer + 1], Activation::Tanh));
    }
    let last_input = hidden.last().unwrap_or(&batch.features);
    let logits = last_input.affine(&params[2 * layers - 2], &params[2 * layers - 1]);
    let log_probs = logits.log_softmax_axis(1);
    let classes = log_probs.dims()[1];
    let mut data_loss = 0.0;
    for (row, &label) in batch.labels.iter().enumerate() {
        data_loss -= log_probs.data()[row * classes + label];
    }
    let penalty: f64 = (0..layers)
        .map(|layer| params[2 * layer].data().iter().map(|w| w * w).sum::<f64>())
        .sum();
    let mean_loss = (data_loss + reg / 2.0 * penalty) / batch.examples() as f64;

    let mut delta = log_probs.exp();
    for (row, &label) in batch.labels.iter().enumerate() {
        delta.data_mut()[row * classes + label] -= 1.0;
    }
    let mut grads = vec![Tensor::scalar(0.0); params.len()];
    let mut grad_bias = delta.sum_to(params[2 * layers - 1].shape());
    for layer in (0..layers).rev() {
        let weights = &params[2 * layer];
        let input = if layer == 0 {
            &batch.features
        } else {
            &hidden[layer - 1]
        };
        let mut grad_weights = input.matmul_with(Layout::Transposed, &delta, Layout::AsIs);
        grad_weights.add_scaled(reg, weights);
        grads[2 * layer] = grad_weights;
        grads[2 * layer + 1] = grad_bias;
        if layer == 0 {
            break;
        }
        let back = delta.matmul_with(Layout::AsIs, weights, Layout::Transposed);
        (delta, grad_bias) = back.zip_map_and_sum_columns(input, |grad, a| grad * (1.0 - a * a));
    }
    (mean_loss, grads)
}

/// One gradient-descent update `p ← p − learning_rate·grad` of every parameter.
pub fn descend(params: &mut [Tensor], grads: &[Tensor], learning_rate: f64) {
    for (param, grad) in params.iter_mut().zip(grads) {
        param.add_scaled(-learning_rate, grad);
    }
}

/// One benchmark workload's shape: examples, layer sizes and learning rate.
pub struct Workload {
    /// The name used in reports (`small`, `large`, `deep`).
    pub name: &'static str,
    /// The number of examples in the batch.
    pub examples: usize,
    /// Layer widths from input to output, e.g. `[2, 3, 2]`.
    pub sizes: &'static [usize],
    /// The gradient-descent step size.
    pub learning_rate: f64,
}

/// The three workloads of issue #6.
pub const WORKLOADS: [Workload; 3] = [
    Workload {
        name: "small",
        examples: 200,
        sizes: &[2, 3, 2],
        learning_rate: 0.01,
    },
    Workload {
        name: "large",
        examples: 100_000,
        sizes: &[2, 64, 2],
        learning_rate: 2e-5,
    },
    Workload {
        name: "deep",
        examples: 8192,
        sizes: &[64, 256, 256, 10],
        learning_rate: 1e-4,
    },
];

impl Workload {
    /// A seeded random batch and initial parameters of this workload's shape (standard normal
    /// features, uniform labels, weights randn/√fan_in, zero biases): the same sizes as the real
    /// data, for timing.
    pub fn synthetic(&self, seed: u64) -> (Batch, Vec<Tensor>) {
        let mut rng = StdRng::seed_from_u64(seed);
        let in_features = self.sizes[0];
        let classes = *self.sizes.last().expect("a workload has layers");
        let features = Tensor::randn([self.examples, in_features], &mut rng);
        let labels = Tensor::rand_uniform([self.examples], 0.0, classes as f64, &mut rng)
            .data()
            .iter()
            .map(|&u| (u as usize).min(classes - 1))
            .collect();
        let mut params = Vec::new();
        for pair in self.sizes.windows(2) {
            let scale = 1.0 / (pair[0] as f64).sqrt();
            params.push(Tensor::randn([pair[0], pair[1]], &mut rng).map(|w| w * scale));
            params.push(Tensor::zeros([pair[1]]));
        }
        (Batch { features, labels }, params)
    }
}

/// The largest relative difference between two gradient lists, entry by entry, relative to the
/// largest magnitude in each tensor (so that entries near zero do not dominate).
pub fn worst_relative_difference(a: &[Tensor], b: &[Tensor]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let scale = x
                .data()
                .iter()
                .fold(f64::MIN_POSITIVE, |m, v| m.max(v.abs()));
            x.data()
                .iter()
                .zip(y.data())
                .fold(0.0f64, |worst, (p, q)| worst.max((p - q).abs() / scale))
        })
        .fold(0.0, f64::max)
}
