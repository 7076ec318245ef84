//! Layer normalisation over the last axis: autograd's `normalize`, a gain and a bias.

use super::key;
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};

/// `gain ⊙ (x − μ)/√(σ² + eps) + bias`, with `μ` and `σ²` the mean and the (biased) variance of
/// each lane of the last axis, `gain` and `bias` of the last axis's length.
///
/// [`Var::normalize`] (one op, whose rule autograd documents: both `μ` and `σ²` depend on every
/// entry of the lane), then the gain and the bias by broadcasting; no rule is written here. The
/// same numbers come from composing `mean_axis`, subtraction, `square`, `sqrt` and division
/// (`tests/suite/seq.rs` holds the two to each other); the one op takes one pass per lane each
/// way, where the composition takes about twenty.
///
/// # Panics
/// If `x` has rank 0 or `gain`/`bias` are not rank 1 of the last axis's length (the messages
/// come from the ops).
#[track_caller]
pub fn layer_norm<'t>(x: Var<'t>, gain: Var<'t>, bias: Var<'t>, eps: f64) -> Var<'t> {
    let axis = x.shape().rank().checked_sub(1).unwrap_or_else(|| {
        panic!(
            "layer_norm: {} has no axis to normalise (at {})",
            x.shape(),
            std::panic::Location::caller()
        )
    });
    x.normalize(axis, eps) * gain + bias
}

/// A layer norm's parameters: `prefix.gain` (ones) and `prefix.bias` (zeros) of width `width`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerNorm {
    /// The store prefix.
    pub prefix: String,
    /// The normalised axis's length.
    pub width: usize,
}

impl LayerNorm {
    /// The variance floor, as in the big frameworks.
    pub const EPS: f64 = 1e-5;

    /// Adds the gain (ones) and the bias (zeros) to `params`.
    pub fn init(&self, params: &mut Params) {
        params.insert(key(&self.prefix, "gain"), Tensor::ones([self.width]));
        params.insert(key(&self.prefix, "bias"), Tensor::zeros([self.width]));
    }

    /// The normalised `x`, with this layer's parameters from `p`.
    #[track_caller]
    pub fn forward<'t>(&self, p: &ParamVars<'t>, x: Var<'t>) -> Var<'t> {
        let gain = p.get_in(&self.prefix, "gain");
        let bias = p.get_in(&self.prefix, "bias");
        layer_norm(x, gain, bias, Self::EPS)
    }
}
