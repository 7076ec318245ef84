//! Checkpoints: a model saved to and loaded from JSON (or, for other frameworks, as
//! [`safetensors`]).
//!
//! The format is one object:
//!
//! ```json
//! {
//!   "sizes": [2, 3, 2],
//!   "activations": ["tanh"],
//!   "params": {
//!     "W1": { "shape": [2, 3], "data": [0.1, -0.2, 0.3, 0.4, 0.5, -0.6] },
//!     "b1": { "shape": [3], "data": [0.0, 0.0, 0.0] },
//!     "W2": { "shape": [3, 2], "data": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] },
//!     "b2": { "shape": [2], "data": [0.0, 0.0] }
//!   }
//! }
//! ```
//!
//! `params` maps each parameter name, in store order, to its shape (`[rows, cols]` for weights,
//! `[out_features]` for biases) and its numbers in row-major order. Numbers are written in their
//! shortest round-trip form, so loading gives back the very same bits.
//!
//! A [`Sequential`](crate::Sequential) model has its own form, with its input shape and layer
//! list in place of `sizes` and `activations`: see [`sequential_to_json`]. Any other model (the
//! language models of `demo names`, say) can be kept as a description and its parameters: see
//! [`named_to_json`].

mod error;
mod named;
mod read;
pub mod safetensors;
mod sequential;
mod write;

pub use error::CheckpointError;
pub use named::{load_named, named_from_json, named_to_json, save_named};
pub use read::{from_json, load};
pub use safetensors::{SafetensorsError, from_safetensors, to_safetensors};
pub use sequential::{load_sequential, save_sequential, sequential_from_json, sequential_to_json};
pub use write::{save, to_json};
