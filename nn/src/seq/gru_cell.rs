//! The gated recurrent unit, with the gate equations of PyTorch's `GRUCell`.

use super::recurrent::Cell;
use super::{key, scaled_randn};
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};
use rand::Rng;

/// A GRU cell. With `σ` the logistic sigmoid and `⊙` the elementwise product:
///
/// ```text
/// r  = σ(x·W_ir + b_ir + h·W_hr + b_hr)          reset gate
/// z  = σ(x·W_iz + b_iz + h·W_hz + b_hz)          update gate
/// n  = tanh(x·W_in + b_in + r ⊙ (h·W_hn + b_hn)) candidate
/// h' = (1 − z) ⊙ n + z ⊙ h
/// ```
///
/// The three input maps are stored side by side as `prefix.W_i` `[input, 3·hidden]` with bias
/// `prefix.b_i` `[3·hidden]`, columns in the order r, z, n (PyTorch's `weight_ih` transposed),
/// and likewise `prefix.W_h` `[hidden, 3·hidden]`, `prefix.b_h`. The reset gate scales
/// `h·W_hn + b_hn` *after* the product, as PyTorch does (the original paper resets `h` first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GruCell {
    /// The store prefix.
    pub prefix: String,
    /// The input width.
    pub input: usize,
    /// The hidden width.
    pub hidden: usize,
}

impl Cell for GruCell {
    fn hidden(&self) -> usize {
        self.hidden
    }

    fn init(&self, params: &mut Params, rng: &mut impl Rng) {
        let (i, h) = (self.input, self.hidden);
        params.insert(key(&self.prefix, "W_i"), scaled_randn(&[i, 3 * h], h, rng));
        params.insert(key(&self.prefix, "b_i"), Tensor::zeros([3 * h]));
        params.insert(key(&self.prefix, "W_h"), scaled_randn(&[h, 3 * h], h, rng));
        params.insert(key(&self.prefix, "b_h"), Tensor::zeros([3 * h]));
    }

    fn step<'t>(&self, p: &ParamVars<'t>, x: Var<'t>, state: &[Var<'t>]) -> Vec<Var<'t>> {
        let w = |name| p.get_in(&self.prefix, name);
        let h = state[0];
        let hid = self.hidden;
        let from_x = x.affine(w("W_i"), w("b_i"));
        let from_h = h.affine(w("W_h"), w("b_h"));
        let gate = |v: Var<'t>, k: usize| v.slice(1, k * hid, hid);
        let r = (gate(from_x, 0) + gate(from_h, 0)).sigmoid();
        let z = (gate(from_x, 1) + gate(from_h, 1)).sigmoid();
        let n = (gate(from_x, 2) + r * gate(from_h, 2)).tanh();
        vec![(1.0 - z) * n + z * h]
    }
}
