//! Neural-network pieces built purely from autograd ops: every gradient comes from the tape.
//!
//! - [`Params`]: the named, ordered parameter store (`W1`, `b1`, `W2`, `b2`, ...), placed on a
//!   tape each step as [`ParamVars`].
//! - [`Mlp`]: layer sizes, one [`Activation`] per hidden layer, logits out; logistic regression
//!   is the same model with no hidden layer. Weights are drawn by an [`Init`] scheme.
//! - [`Sequential`]: a list of [`layers`] of any kind (convolution, pooling, flatten, dense,
//!   activations, dropout, batch normalisation), described in text such as
//!   `"conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10"` and checked against its input
//!   shape before it is built.
//! - [`loss`]: softmax and binary cross-entropy, squared error and the L2 weight penalty.
//! - [`optim`]: gradient descent, momentum and Adam over the store.
//! - [`train`]: the training loop with progress reports; [`metrics`]: accuracy and the
//!   confusion matrix; [`checkpoint`]: models to and from JSON; [`data`]: CSV text to examples.
//!
//! The tutorial's network — 2 inputs, 3 tanh hidden units, 2 softmax outputs, trained on the sum
//! of cross-entropy plus `reg/2·Σ‖W‖²` by full-batch gradient descent — is
//! [`TrainConfig::default`](train::TrainConfig) on `Mlp::new(&[2, 3, 2], Activation::Tanh, ...)`:
//!
//! ```
//! use autograd::Tensor;
//! use nn::train::{TrainConfig, train};
//! use nn::{Activation, Dataset, Init, Mlp};
//!
//! let data = Dataset::new(Tensor::from_rows(&[[0.0, 1.0], [1.0, 0.0], [0.9, 0.2]]), vec![0, 1, 1]);
//! let seed = 0;
//! let mut model = Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, seed);
//! let config = TrainConfig { passes: 200, report_every: 100, ..TrainConfig::default() };
//! let summary = train(&mut model, &data, &config, |progress| {
//!     println!("{},{},{}", progress.pass, progress.loss, progress.train_accuracy);
//! })
//! .unwrap();
//! assert!(summary.last().loss < summary.history[0].loss);
//! ```

pub mod checkpoint;
pub mod data;
mod dataset;
mod explained;
mod init;
pub mod layers;
pub mod loss;
pub mod metrics;
mod mlp;
mod model;
mod model_error;
pub mod optim;
mod params;
pub mod seq;
mod sequential;
pub mod train;

/// The hidden-layer activations are the engine's own type, re-exported.
pub use autograd::{Activation, UnknownActivation};
pub use checkpoint::CheckpointError;
pub use dataset::{Dataset, holdout_count};
pub use explained::Explained;
pub use init::{Init, UnknownInit};
pub use layers::{ArchError, Layer, Mode};
pub use loss::Reduction;
pub use mlp::{Mlp, bias_name, check_architecture, expected_shapes, weight_name};
pub use model::Model;
pub use model_error::ModelError;
pub use optim::{Optimizer, OptimizerKind};
pub use params::{ParamGrads, ParamVars, Params};
pub use sequential::{RUNNING_MOMENTUM, Sequential};
pub use train::{Progress, TrainConfig, TrainError, TrainSummary};
