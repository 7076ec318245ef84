//! The long short-term memory cell.

use super::recurrent::Cell;
use super::{key, scaled_randn};
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};
use rand::Rng;

/// An LSTM cell, state `(h, c)`:
///
/// ```text
/// i  = σ(x·W_ii + h·W_hi + b_i)    input gate
/// f  = σ(x·W_if + h·W_hf + b_f)    forget gate
/// g  = tanh(x·W_ig + h·W_hg + b_g) candidate
/// o  = σ(x·W_io + h·W_ho + b_o)    output gate
/// c' = f ⊙ c + i ⊙ g
/// h' = o ⊙ tanh(c')
/// ```
///
/// Stored as `prefix.W_x` `[input, 4·hidden]`, `prefix.W_h` `[hidden, 4·hidden]` and
/// `prefix.b` `[4·hidden]`, columns in the order i, f, g, o.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LstmCell {
    /// The store prefix.
    pub prefix: String,
    /// The input width.
    pub input: usize,
    /// The hidden width.
    pub hidden: usize,
}

impl Cell for LstmCell {
    fn hidden(&self) -> usize {
        self.hidden
    }

    fn state_parts(&self) -> usize {
        2
    }

    fn init(&self, params: &mut Params, rng: &mut impl Rng) {
        let (i, h) = (self.input, self.hidden);
        params.insert(key(&self.prefix, "W_x"), scaled_randn(&[i, 4 * h], i, rng));
        params.insert(key(&self.prefix, "W_h"), scaled_randn(&[h, 4 * h], h, rng));
        params.insert(key(&self.prefix, "b"), Tensor::zeros([4 * h]));
    }

    fn step<'t>(&self, p: &ParamVars<'t>, x: Var<'t>, state: &[Var<'t>]) -> Vec<Var<'t>> {
        let w = |name| p.get_in(&self.prefix, name);
        let (h, c) = (state[0], state[1]);
        let hid = self.hidden;
        let pre = x.affine(w("W_x"), w("b")) + h.matmul(w("W_h"));
        let gate = |k: usize| pre.slice(1, k * hid, hid);
        let (i, f, g, o) = (
            gate(0).sigmoid(),
            gate(1).sigmoid(),
            gate(2).tanh(),
            gate(3).sigmoid(),
        );
        let c = f * c + i * g;
        vec![o * c.tanh(), c]
    }
}
