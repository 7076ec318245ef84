//! The forward pass of a list of layers on a tape, in training or evaluation mode.

use super::Layer;
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};
use rand::RngExt;
use rand::rngs::StdRng;

/// Whether layers that behave differently while learning (dropout, batch normalisation) train or
/// evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Dropout draws masks; batch normalisation uses the batch's statistics and reports them.
    Train,
    /// Dropout is the identity; batch normalisation uses the running statistics.
    Eval,
}

/// `ε` in batch normalisation's `(x − μ) / √(σ² + ε)` (PyTorch's default).
pub const BATCH_NORM_EPSILON: f64 = 1e-5;

/// A batch normalisation layer's statistics over one training batch: per channel (or feature),
/// the mean and the unbiased variance, for the running averages.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningStats {
    /// The layer's position in the list, from 1.
    pub position: usize,
    /// The batch mean per channel, `[C]`.
    pub mean: Tensor,
    /// The batch variance per channel with Bessel's correction (`m/(m − 1)`, `m` values per
    /// channel), `[C]`, as PyTorch keeps it.
    pub variance: Tensor,
}

/// Runs `layers` on `x` `[N, ...]` with the parameters `vars`. In [`Mode::Train`], dropout masks
/// come from `rng` and the batch statistics of each batch normalisation are returned; in
/// [`Mode::Eval`], batch normalisation reads `buffers` (`bn{i}.running_mean`,
/// `bn{i}.running_var`).
///
/// A dense layer followed by an activation is recorded as one fused `dense` node.
#[track_caller]
pub(crate) fn run<'t>(
    layers: &[Layer],
    vars: &ParamVars<'t>,
    buffers: &Params,
    x: Var<'t>,
    mode: Mode,
    rng: &mut StdRng,
) -> (Var<'t>, Vec<RunningStats>) {
    let mut stats = Vec::new();
    let mut hidden = x;
    let mut index = 0;
    while index < layers.len() {
        let position = index + 1;
        let names = layers[index].param_names(position);
        let param = |i: usize| vars.get(&names[i]);
        hidden = match layers[index] {
            Layer::Conv2d {
                stride,
                padding,
                dilation,
                ..
            } => hidden.conv2d(param(0), Some(param(1)), stride, padding, dilation),
            Layer::MaxPool2d {
                kernel,
                stride,
                padding,
            } => hidden.max_pool2d(kernel, stride, padding),
            Layer::AvgPool2d {
                kernel,
                stride,
                padding,
            } => hidden.avg_pool2d(kernel, stride, padding),
            Layer::Flatten => hidden.flatten(),
            Layer::Dense { .. } => match layers.get(index + 1) {
                Some(Layer::Activation(activation)) => {
                    index += 1;
                    hidden.dense(param(0), param(1), activation.kind())
                }
                _ => hidden.affine(param(0), param(1)),
            },
            Layer::Activation(activation) => activation.apply(hidden),
            Layer::Dropout { p } => match mode {
                Mode::Train if p > 0.0 => dropout(hidden, p, rng),
                _ => hidden,
            },
            Layer::BatchNorm => {
                let (normalised, batch) =
                    batch_norm(hidden, param(0), param(1), buffers, position, mode);
                stats.extend(batch);
                normalised
            }
        };
        index += 1;
    }
    (hidden, stats)
}

/// Inverted dropout: `x ⊙ m` with `m = 1/(1 − p)` where a uniform draw is at least `p`, else 0,
/// so that each value keeps its expectation. The mask is a constant: the gradient flows through
/// the kept values, scaled the same way.
fn dropout<'t>(x: Var<'t>, p: f64, rng: &mut StdRng) -> Var<'t> {
    let scale = 1.0 / (1.0 - p);
    let shape = x.shape();
    let mask: Vec<f64> = (0..shape.numel())
        .map(|_| if rng.random::<f64>() < p { 0.0 } else { scale })
        .collect();
    x * x.tape().constant(Tensor::from_vec(mask, shape))
}

/// Batch normalisation `γ ⊙ (x − μ) / √(σ² + ε) + β` per channel (axis 1), statistics over every
/// other axis: the batch's own (biased variance) when training, the running ones when
/// evaluating. Composed of means, broadcasting arithmetic and a square root, so its gradient,
/// including through `μ` and `σ²`, is derived by the tape.
#[track_caller]
fn batch_norm<'t>(
    x: Var<'t>,
    gamma: Var<'t>,
    beta: Var<'t>,
    buffers: &Params,
    position: usize,
    mode: Mode,
) -> (Var<'t>, Option<RunningStats>) {
    let shape = x.shape();
    let dims = shape.dims();
    let channels = dims[1];
    // Per-channel values broadcast as [1, C] or [1, C, 1, 1].
    let mut per_channel = vec![1; dims.len()];
    per_channel[1] = channels;
    let tape = x.tape();
    let (mean, variance, stats) = match mode {
        Mode::Train => {
            let mean = channel_mean(x);
            let centered = x - mean.reshape(&per_channel[..]);
            let variance = channel_mean(centered.square());
            let count = (shape.numel() / channels) as f64;
            let bessel = if count > 1.0 {
                count / (count - 1.0)
            } else {
                1.0
            };
            let stats = RunningStats {
                position,
                mean: mean.value().clone(),
                variance: variance.value().map(|v| v * bessel),
            };
            (mean, variance, Some(stats))
        }
        Mode::Eval => {
            let buffer = |suffix: &str| {
                let name = format!("bn{position}.{suffix}");
                let value = buffers.get(&name).unwrap_or_else(|| {
                    panic!(
                        "batch_norm: no buffer {name:?} (at {})",
                        std::panic::Location::caller()
                    )
                });
                tape.constant(value.clone())
            };
            (buffer("running_mean"), buffer("running_var"), None)
        }
    };
    let mean = mean.reshape(&per_channel[..]);
    let deviation = (variance.reshape(&per_channel[..]) + BATCH_NORM_EPSILON).sqrt();
    let normalised = (x - mean) / deviation;
    let output = normalised * gamma.reshape(&per_channel[..]) + beta.reshape(&per_channel[..]);
    (output, stats)
}

/// The mean of each channel (axis 1) of `x` over every other axis, `[C]`.
fn channel_mean(x: Var<'_>) -> Var<'_> {
    let dims = x.shape().dims().to_vec();
    let channels = dims[1];
    let by_channel = if dims.len() == 2 {
        x.transpose()
    } else {
        x.permute(&[1, 0, 2, 3])
            .reshape([channels, dims[0] * dims[2] * dims[3]])
    };
    by_channel.mean_axis(1, false)
}
