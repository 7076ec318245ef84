//! `Layer`: one step of a [`Sequential`](crate::Sequential) model, its settings and its
//! parameters' names; the text form is in [`parse`], shape inference in [`shapes`].
//!
//! | text | layer | parameters (layer at position `i` of the list, from 1) |
//! |---|---|---|
//! | `conv 8 3x3 [stride 1] [pad 0] [dilation 1]` | 2-d convolution, 8 output channels | `conv{i}.weight [C_out, C_in, kH, kW]`, `conv{i}.bias [C_out]` |
//! | `maxpool 2 [stride K] [pad 0]` | max pooling, stride defaulting to the kernel | none |
//! | `avgpool 2 [stride K] [pad 0]` | average pooling (padding counts as 0) | none |
//! | `flatten` | `[N, C, H, W]` to `[N, C·H·W]` | none |
//! | `dense 10` | `x·W + b`, 10 outputs | `dense{i}.W [in, out]`, `dense{i}.b [out]` |
//! | `relu`, `tanh`, `sigmoid` | activation | none |
//! | `dropout 0.5` | zeroes each value with probability p while training, scaling the rest by `1/(1−p)` | none |
//! | `batchnorm` | per-channel (or per-feature) normalisation | `bn{i}.gamma [C]`, `bn{i}.beta [C]`; running statistics `bn{i}.running_mean`, `bn{i}.running_var` are kept beside the parameters |
//!
//! Dense weights are stored `[in, out]` as the MLP's `W1`, so that the layer is `x·W + b`;
//! convolution weights in the `[C_out, C_in, kH, kW]` layout of PyTorch and JAX.

mod error;
pub(crate) mod forward;
pub mod parse;
pub mod shapes;

pub use error::ArchError;
pub use forward::{BATCH_NORM_EPSILON, Mode, RunningStats};

use crate::activation::Activation;
use autograd::Window;

/// One layer of a sequential model: what it computes, with its settings (the shapes of its
/// inputs come from the layers before it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Layer {
    /// 2-d convolution of `[N, C_in, H, W]` to `[N, out_channels, OH, OW]`, with a bias.
    Conv2d {
        /// Output channels.
        out_channels: usize,
        /// `[kH, kW]`.
        kernel: [usize; 2],
        /// The window moves this many cells per output (both axes).
        stride: usize,
        /// Zero cells added on every side.
        padding: usize,
        /// Cells between neighbouring kernel taps.
        dilation: usize,
    },
    /// Max pooling over `kernel × kernel` windows.
    MaxPool2d {
        /// Window size.
        kernel: usize,
        /// Step between windows.
        stride: usize,
        /// Padding cells (never the maximum), at most half the kernel.
        padding: usize,
    },
    /// Average pooling over `kernel × kernel` windows, padding cells counted as 0.
    AvgPool2d {
        /// Window size.
        kernel: usize,
        /// Step between windows.
        stride: usize,
        /// Padding cells, at most half the kernel.
        padding: usize,
    },
    /// `[N, C, H, W]` to `[N, C·H·W]`.
    Flatten,
    /// `x·W + b` on `[N, in]`, giving `[N, out_features]`.
    Dense {
        /// Outputs per example.
        out_features: usize,
    },
    /// An elementwise nonlinearity.
    Activation(Activation),
    /// Inverted dropout with drop probability `p` in `[0, 1)`; the identity when evaluating.
    Dropout {
        /// The probability that a value is zeroed while training.
        p: f64,
    },
    /// Batch normalisation over the channels of `[N, C, H, W]` or the features of `[N, F]`.
    BatchNorm,
}

impl Layer {
    /// The layer's keyword in the text form (`conv`, `maxpool`, `dense`, ...).
    pub fn keyword(&self) -> &'static str {
        match self {
            Layer::Conv2d { .. } => "conv",
            Layer::MaxPool2d { .. } => "maxpool",
            Layer::AvgPool2d { .. } => "avgpool",
            Layer::Flatten => "flatten",
            Layer::Dense { .. } => "dense",
            Layer::Activation(activation) => activation.name(),
            Layer::Dropout { .. } => "dropout",
            Layer::BatchNorm => "batchnorm",
        }
    }

    /// The names of the layer's parameters when it stands at `position` (from 1) in the list,
    /// in store order: weight, then bias (or scale, then shift).
    pub fn param_names(&self, position: usize) -> Vec<String> {
        match self {
            Layer::Conv2d { .. } => vec![
                format!("conv{position}.weight"),
                format!("conv{position}.bias"),
            ],
            Layer::Dense { .. } => vec![format!("dense{position}.W"), format!("dense{position}.b")],
            Layer::BatchNorm => vec![format!("bn{position}.gamma"), format!("bn{position}.beta")],
            _ => Vec::new(),
        }
    }

    /// The sliding window of a convolution or pooling layer.
    pub fn window(&self) -> Option<Window> {
        match *self {
            Layer::Conv2d {
                kernel,
                stride,
                padding,
                dilation,
                ..
            } => Some(
                Window::new(kernel[0], kernel[1])
                    .with_stride(stride)
                    .with_padding(padding)
                    .with_dilation(dilation),
            ),
            Layer::MaxPool2d {
                kernel,
                stride,
                padding,
            }
            | Layer::AvgPool2d {
                kernel,
                stride,
                padding,
            } => Some(
                Window::square(kernel)
                    .with_stride(stride)
                    .with_padding(padding),
            ),
            _ => None,
        }
    }
}
