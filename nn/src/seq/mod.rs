//! Sequence models, each an ordinary graph of autograd ops (no derivative is written here):
//! recurrent cells unrolled over time on one tape (backpropagation through time is the tape's
//! ordinary backward pass), causal self-attention, and the language models built from them.
//!
//! Parameters live in a [`Params`](crate::Params) store under names with a prefix per part
//! (`gru.W_i`, `block0.attn.W_q`, ...), so that one store can hold a whole model and a
//! checkpoint of another architecture is recognised by its names.

mod attention;
mod block;
mod gru_cell;
mod layer_norm;
mod lstm_cell;
mod recurrent;
mod recurrent_lm;
mod rnn_cell;
mod transformer;

pub use attention::{Attention, causal_mask};
pub use block::Block;
pub use gru_cell::GruCell;
pub use layer_norm::{LayerNorm, layer_norm};
pub use lstm_cell::LstmCell;
pub use recurrent::{Cell, unroll};
pub use recurrent_lm::RecurrentLm;
pub use rnn_cell::RnnCell;
pub use transformer::{Transformer, TransformerConfig};

use autograd::Tensor;
use rand::Rng;

/// Standard normal numbers of `shape` scaled by `1/√fan_in`, the usual start for a weight
/// that multiplies `fan_in` inputs.
pub(crate) fn scaled_randn(dims: &[usize], fan_in: usize, rng: &mut impl Rng) -> Tensor {
    let mut t = Tensor::randn(dims, rng);
    let scale = (fan_in as f64).sqrt();
    t.map_in_place(|x| x / scale);
    t
}

/// `prefix.name`, the store name of a model part's parameter.
pub(crate) fn key(prefix: &str, name: &str) -> String {
    format!("{prefix}.{name}")
}
