//! Reducing an output of any shape to a scalar with fixed random weights.

use autograd::{Tensor, Var};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// `Σ w ⊙ y` for weights `w` uniform in `[-1, 1)` drawn from `seed`, the same on every call.
///
/// A plain `y.sum()` seeds backward with ones, under which some wrong rules still pass (the
/// softmax's gradient of a sum is zero whatever the rule); distinct weights per element do not
/// allow that.
#[track_caller]
pub fn weighted_sum<'t>(y: Var<'t>, seed: u64) -> Var<'t> {
    let weights = weights(y.shape().dims(), seed);
    (y * y.tape().constant(weights)).sum()
}

/// The weights [`weighted_sum`] uses for an output of dimensions `dims`.
pub fn weights(dims: &[usize], seed: u64) -> Tensor {
    let mut rng = StdRng::seed_from_u64(seed);
    Tensor::rand_uniform(dims, -1.0, 1.0, &mut rng)
}
