//! A transformer block: attention and an MLP, each behind a layer norm with a residual path.

use super::attention::Attention;
use super::layer_norm::LayerNorm;
use super::{key, scaled_randn};
use crate::params::{ParamVars, Params};
use autograd::{Activation, Tensor, Var};
use rand::Rng;

/// A pre-norm decoder block on `[B, T, width]`:
///
/// ```text
/// X ← X + Attention(LayerNorm₁(X))
/// X ← X + tanh(LayerNorm₂(X)·W_1 + b_1)·W_2 + b_2
/// ```
///
/// The MLP widens to `4·width`; it uses tanh (smooth, so the block's second derivatives are
/// defined everywhere, which the second-order checks rely on). Parts are stored under
/// `prefix.ln1`, `prefix.attn`, `prefix.ln2` and `prefix.W_1`, `prefix.b_1`, `prefix.W_2`,
/// `prefix.b_2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The store prefix.
    pub prefix: String,
    /// The model width.
    pub width: usize,
    /// The attention heads.
    pub heads: usize,
}

impl Block {
    fn attention(&self) -> Attention {
        Attention {
            prefix: key(&self.prefix, "attn"),
            width: self.width,
            heads: self.heads,
        }
    }

    fn norm(&self, name: &str) -> LayerNorm {
        LayerNorm {
            prefix: key(&self.prefix, name),
            width: self.width,
        }
    }

    /// Adds the block's parameters to `params`, drawn from `rng`.
    pub fn init(&self, params: &mut Params, rng: &mut impl Rng) {
        let (d, wide) = (self.width, 4 * self.width);
        self.norm("ln1").init(params);
        self.attention().init(params, rng);
        self.norm("ln2").init(params);
        params.insert(key(&self.prefix, "W_1"), scaled_randn(&[d, wide], d, rng));
        params.insert(key(&self.prefix, "b_1"), Tensor::zeros([wide]));
        params.insert(
            key(&self.prefix, "W_2"),
            scaled_randn(&[wide, d], wide, rng),
        );
        params.insert(key(&self.prefix, "b_2"), Tensor::zeros([d]));
    }

    /// The block's output `[B, T, width]` and its attention weights `[B, heads, T, T]`.
    #[track_caller]
    pub fn forward<'t>(&self, p: &ParamVars<'t>, x: Var<'t>) -> (Var<'t>, Var<'t>) {
        let (attended, weights) = self.attention().forward(p, self.norm("ln1").forward(p, x));
        let x = x + attended;
        let dims = x.shape();
        let (b, t, d) = (dims.dims()[0], dims.dims()[1], self.width);
        let w = |name| p.get_in(&self.prefix, name);
        let normed = self.norm("ln2").forward(p, x).reshape([b * t, d]);
        // `dense` is the affine map and tanh as one node (one pass over the hidden layer).
        let mlp = normed
            .dense(w("W_1"), w("b_1"), Activation::Tanh)
            .affine(w("W_2"), w("b_2"));
        (x + mlp.reshape([b, t, d]), weights)
    }
}
