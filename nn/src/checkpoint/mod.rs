//! Checkpoints: a model saved to and loaded from JSON.
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
//! list in place of `sizes` and `activations`: see [`sequential_to_json`].

mod error;
mod read;
mod sequential;
mod write;

pub use error::CheckpointError;
pub use read::{from_json, load};
pub use sequential::{load_sequential, save_sequential, sequential_from_json, sequential_to_json};
pub use write::{save, to_json};
