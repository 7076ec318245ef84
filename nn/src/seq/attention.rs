//! Causal multi-head self-attention.

use super::{key, scaled_randn};
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};
use rand::Rng;

/// The additive causal mask of `time` steps: `[time, time]`, 0 where the key's step is at or
/// before the query's (`j ≤ i`) and `−∞` after it.
///
/// Added to attention scores before a softmax over the keys, the `−∞` entries become exact
/// zeros (`exp(−∞ − max) = 0`; every row keeps its finite diagonal, so the maximum is finite),
/// and the softmax's rule `y ⊙ (g − Σ g ⊙ y)` gives them an exact zero gradient too (`y = 0`,
/// every factor finite): no NaN anywhere.
pub fn causal_mask(time: usize) -> Tensor {
    let data = (0..time * time)
        .map(|k| {
            if k % time <= k / time {
                0.0
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect();
    Tensor::from_vec(data, [time, time])
}

/// Causal self-attention with `heads` heads over inputs `[B, T, width]`:
///
/// ```text
/// Q = X·W_q, K = X·W_k, V = X·W_v                 (each [B, T, width])
/// headₕ = softmax(Qₕ·Kₕᵀ/√d + M) · Vₕ            (Qₕ the h-th slice of d = width/heads columns,
///                                                 M the causal mask, softmax over the keys)
/// Y = concat(head₁ … head_H)·W_o + b_o
/// ```
///
/// Parameters `prefix.W_q`, `prefix.W_k`, `prefix.W_v`, `prefix.W_o` `[width, width]` and
/// `prefix.b_o` `[width]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attention {
    /// The store prefix.
    pub prefix: String,
    /// The model width (a multiple of `heads`).
    pub width: usize,
    /// The number of heads.
    pub heads: usize,
}

impl Attention {
    /// Adds the projections to `params`, drawn from `rng`.
    ///
    /// # Panics
    /// If `width` is not a positive multiple of `heads`.
    #[track_caller]
    pub fn init(&self, params: &mut Params, rng: &mut impl Rng) {
        assert!(
            self.heads > 0 && self.width.is_multiple_of(self.heads),
            "Attention: width {} is not a multiple of {} heads",
            self.width,
            self.heads
        );
        let d = self.width;
        for name in ["W_q", "W_k", "W_v", "W_o"] {
            params.insert(key(&self.prefix, name), scaled_randn(&[d, d], d, rng));
        }
        params.insert(key(&self.prefix, "b_o"), Tensor::zeros([d]));
    }

    /// The attention output `[B, T, width]` for `x` `[B, T, width]`, and each head's weights
    /// `[B, T, T]` (row `i`: how much step `i` attends to each step `j ≤ i`).
    ///
    /// # Panics
    /// If `x` is not `[B, T, width]`.
    #[track_caller]
    pub fn forward<'t>(&self, p: &ParamVars<'t>, x: Var<'t>) -> (Var<'t>, Vec<Var<'t>>) {
        let shape = x.shape();
        if shape.rank() != 3 || shape.dims()[2] != self.width {
            panic!(
                "attention: input {shape} is not [batch, time, {}] (at {})",
                self.width,
                std::panic::Location::caller()
            );
        }
        let (b, t, width) = (shape.dims()[0], shape.dims()[1], self.width);
        let w = |name| p.get(&key(&self.prefix, name));
        let rows = x.reshape([b * t, width]);
        let project = |name| rows.matmul(w(name)).reshape([b, t, width]);
        let (q, k, v) = (project("W_q"), project("W_k"), project("W_v"));
        let d = width / self.heads;
        let mask = x.tape().constant(causal_mask(t));
        let mut outputs = Vec::with_capacity(self.heads);
        let mut weights = Vec::with_capacity(self.heads);
        for h in 0..self.heads {
            let head = |m: Var<'t>| m.slice(2, h * d, d);
            let scores = head(q).batch_matmul(head(k).swap_axes(1, 2)) / (d as f64).sqrt() + mask;
            let attention = scores.softmax(2);
            outputs.push(attention.batch_matmul(head(v)));
            weights.push(attention);
        }
        let joined = if self.heads == 1 {
            outputs[0]
        } else {
            Var::concat(&outputs, 2)
        };
        let y = joined.reshape([b * t, width]).affine(w("W_o"), w("b_o"));
        (y.reshape([b, t, width]), weights)
    }
}
