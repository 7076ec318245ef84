//! A small decoder-only transformer language model.

use super::block::Block;
use super::layer_norm::LayerNorm;
use super::scaled_randn;
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};
use rand::Rng;

/// The sizes of a [`Transformer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransformerConfig {
    /// The number of tokens.
    pub vocab: usize,
    /// The longest sequence it reads (the positions it has embeddings for).
    pub context: usize,
    /// The model width.
    pub width: usize,
    /// The attention heads per block.
    pub heads: usize,
    /// The number of blocks.
    pub layers: usize,
}

/// Token and position embeddings, `layers` [`Block`]s, a final layer norm and a linear map to
/// the vocabulary's logits:
///
/// ```text
/// X₀ = tok[ids] + pos[0..T]
/// Xₗ = Blockₗ(Xₗ₋₁)
/// logits = LayerNorm(X_L)·W_out + b_out
/// ```
///
/// Parameters `tok` `[vocab, width]`, `pos` `[context, width]`, `block{l}.*`, `ln_f.*`,
/// `W_out` `[width, vocab]`, `b_out` `[vocab]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transformer {
    /// The sizes.
    pub config: TransformerConfig,
}

impl Transformer {
    fn blocks(&self) -> impl Iterator<Item = Block> + '_ {
        (0..self.config.layers).map(|l| Block {
            prefix: format!("block{l}"),
            width: self.config.width,
            heads: self.config.heads,
        })
    }

    fn final_norm(&self) -> LayerNorm {
        LayerNorm {
            prefix: "ln_f".into(),
            width: self.config.width,
        }
    }

    /// A store with every parameter, drawn from `rng`.
    pub fn init(&self, rng: &mut impl Rng) -> Params {
        let TransformerConfig {
            vocab,
            context,
            width,
            ..
        } = self.config;
        let mut params = Params::new();
        params.insert("tok", scaled_randn(&[vocab, width], width, rng));
        params.insert("pos", scaled_randn(&[context, width], width, rng));
        for block in self.blocks() {
            block.init(&mut params, rng);
        }
        self.final_norm().init(&mut params);
        params.insert("W_out", scaled_randn(&[width, vocab], width, rng));
        params.insert("b_out", Tensor::zeros([vocab]));
        params
    }

    /// The logits `[batch·time, vocab]` (row `b·time + t` predicts the token after position
    /// `t` of sequence `b`) for `ids`, `batch` sequences of `time` tokens one after another,
    /// and the attention weights of every block, `[batch, heads, time, time]` each (see
    /// [`Attention::forward`](super::Attention::forward)).
    ///
    /// # Panics
    /// If `ids` is not `batch·time` long, `time` exceeds the context, or an id is out of the
    /// vocabulary (callers check user input first).
    #[track_caller]
    pub fn forward<'t>(
        &self,
        p: &ParamVars<'t>,
        ids: &[usize],
        batch: usize,
        time: usize,
    ) -> (Var<'t>, Vec<Var<'t>>) {
        let TransformerConfig { context, width, .. } = self.config;
        assert!(
            ids.len() == batch * time && time <= context,
            "Transformer::forward: {} ids for {batch} sequences of {time} steps with a context of {context}",
            ids.len()
        );
        let tokens = p.get("tok").embedding(ids).reshape([batch, time, width]);
        let mut x = tokens + p.get("pos").slice(0, 0, time);
        let mut weights = Vec::new();
        for block in self.blocks() {
            let (y, w) = block.forward(p, x);
            x = y;
            weights.push(w);
        }
        let normed = self
            .final_norm()
            .forward(p, x)
            .reshape([batch * time, width]);
        (normed.affine(p.get("W_out"), p.get("b_out")), weights)
    }
}
