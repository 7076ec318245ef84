//! The vanilla (Elman) recurrent cell.

use super::recurrent::Cell;
use super::{key, scaled_randn};
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};
use rand::Rng;

/// `h' = tanh(x·W_x + h·W_h + b)`, parameters `prefix.W_x` `[input, hidden]`, `prefix.W_h`
/// `[hidden, hidden]` and `prefix.b` `[hidden]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RnnCell {
    /// The store prefix.
    pub prefix: String,
    /// The input width.
    pub input: usize,
    /// The hidden width.
    pub hidden: usize,
}

impl Cell for RnnCell {
    fn hidden(&self) -> usize {
        self.hidden
    }

    fn init(&self, params: &mut Params, rng: &mut impl Rng) {
        let (i, h) = (self.input, self.hidden);
        params.insert(key(&self.prefix, "W_x"), scaled_randn(&[i, h], i, rng));
        params.insert(key(&self.prefix, "W_h"), scaled_randn(&[h, h], h, rng));
        params.insert(key(&self.prefix, "b"), Tensor::zeros([h]));
    }

    fn step<'t>(&self, p: &ParamVars<'t>, x: Var<'t>, state: &[Var<'t>]) -> Vec<Var<'t>> {
        let w = |name| p.get_in(&self.prefix, name);
        let pre = x.affine(w("W_x"), w("b")) + state[0].matmul(w("W_h"));
        vec![pre.tanh()]
    }
}
