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

    /// The attention output `[B, T, width]` for `x` `[B, T, width]`, and the attention weights
    /// `[B, heads, T, T]` (`[b, h, i, j]`: how much step `i` of sequence `b` attends to step
    /// `j ≤ i` in head `h`).
    ///
    /// All heads are computed at once: each projection `[B·T, width]` is seen as
    /// `[B, T, heads, d]` and its axes permuted so that the heads join the batch, `Q` and `V`
    /// as `[B·heads, T, d]` and `K` already transposed as `[B·heads, d, T]`; one batched
    /// product then gives every head's scores, and the heads' outputs are permuted back into
    /// their columns (the `concat` of the formula).
    ///
    /// # Panics
    /// If `x` is not `[B, T, width]`.
    #[track_caller]
    pub fn forward<'t>(&self, p: &ParamVars<'t>, x: Var<'t>) -> (Var<'t>, Var<'t>) {
        let shape = x.shape();
        if shape.rank() != 3 || shape.dims()[2] != self.width {
            panic!(
                "attention: input {shape} is not [batch, time, {}] (at {})",
                self.width,
                std::panic::Location::caller()
            );
        }
        let (b, t, width, heads) = (shape.dims()[0], shape.dims()[1], self.width, self.heads);
        let d = width / heads;
        let w = |name| p.get_in(&self.prefix, name);
        let rows = x.reshape([b * t, width]);
        // [B·T, width] → [B, T, heads, d] → the axes `order` → [B·heads, …]
        let by_head = |name, order: &[usize], last: [usize; 2]| {
            rows.matmul(w(name))
                .reshape([b, t, heads, d])
                .permute(order)
                .reshape([b * heads, last[0], last[1]])
        };
        let q = by_head("W_q", &[0, 2, 1, 3], [t, d]);
        let k_transposed = by_head("W_k", &[0, 2, 3, 1], [d, t]);
        let v = by_head("W_v", &[0, 2, 1, 3], [t, d]);
        let mask = x.tape().constant(causal_mask(t));
        let scores = q.batch_matmul(k_transposed) / (d as f64).sqrt() + mask;
        let attention = scores.softmax(2);
        let joined = attention
            .batch_matmul(v)
            .reshape([b, heads, t, d])
            .permute(&[0, 2, 1, 3])
            .reshape([b * t, width]);
        let y = joined.affine(w("W_o"), w("b_o"));
        (
            y.reshape([b, t, width]),
            attention.reshape([b, heads, t, t]),
        )
    }
}
