//! Inputs, weights and custom ops shared by the autograd integration tests.

// Each test binary includes this module and uses its own subset of the helpers.
#![allow(dead_code)]

use autograd::gradcheck::gradgradcheck;
use autograd::{CustomOp, GradcheckOptions, Tensor, Var, gradcheck};
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::sync::Arc;

/// Standard-normal values of shape `dims`, the same on every run for a given `seed`.
pub fn normal(dims: &[usize], seed: u64) -> Tensor {
    Tensor::randn(dims, &mut StdRng::seed_from_u64(seed))
}

/// Values drawn uniformly from `[0.5, 2.5)`, for ops defined only on positive numbers.
pub fn positive(dims: &[usize], seed: u64) -> Tensor {
    Tensor::rand_uniform(dims, 0.5, 2.5, &mut StdRng::seed_from_u64(seed))
}

/// Values of either sign whose magnitude is at least 0.5, for ops with a kink or a pole at 0.
pub fn away_from_zero(dims: &[usize], seed: u64) -> Tensor {
    let mut rng = StdRng::seed_from_u64(seed);
    let magnitude = Tensor::rand_uniform(dims, 0.5, 2.0, &mut rng);
    let sign = Tensor::rand_uniform(dims, -1.0, 1.0, &mut rng);
    magnitude.zip_map(&sign, |m, s| if s < 0.0 { -m } else { m })
}

/// Distinct values (a scrambled ramp with gaps of 0.37), so that a maximum has no near-ties.
pub fn distinct(dims: &[usize]) -> Tensor {
    let count: usize = dims.iter().product();
    let data = (0..count)
        .map(|i| ((i * 7 + 3) % count) as f64 * 0.37 - 1.5)
        .collect();
    Tensor::from_vec(data, dims)
}

/// Fixed, non-uniform weights in `[0.5, 1.5]` for a var of `dims`, so that a weighted sum has a
/// different slope for every element (a plain sum of a softmax would be the constant 1).
pub fn weights(dims: &[usize]) -> Tensor {
    let count: usize = dims.iter().product();
    let data = (0..count)
        .map(|i| 1.0 + 0.5 * (1.7 * i as f64 + 0.3).sin())
        .collect();
    Tensor::from_vec(data, dims)
}

/// `Σ w ⊙ y` with the fixed [`weights`]: a scalar whose gradient with respect to `y` is `w`.
pub fn weighted<'t>(y: Var<'t>) -> Var<'t> {
    let w = y.tape().constant(weights(y.shape().dims()));
    (y * w).sum()
}

/// Asserts that `f`'s gradients at `inputs` match central differences; `what` names the case.
#[track_caller]
pub fn check<F>(what: &str, f: F, inputs: &[Tensor])
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let report = gradcheck(f, inputs, &GradcheckOptions::default());
    assert!(report.passed, "{what}: {report}");
    assert!(report.checked > 0, "{what}: nothing was compared");
}

/// Asserts that the recorded gradients of `f` at `inputs` differentiate correctly again.
#[track_caller]
pub fn check_second_order<F>(what: &str, f: F, inputs: &[Tensor])
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let report = gradgradcheck(f, inputs, 11, &GradcheckOptions::default());
    assert!(report.passed, "{what}: {report}");
    assert!(report.checked > 0, "{what}: nothing was compared");
}

/// The largest `|a − b|` over two tensors of one shape.
#[track_caller]
pub fn max_difference(a: &Tensor, b: &Tensor) -> f64 {
    assert_eq!(a.shape(), b.shape(), "max_difference: shapes differ");
    a.data()
        .iter()
        .zip(b.data())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// `sin x` as a user-defined op with the correct rules: `cos x` as tensors and, recorded, through
/// [`Cosine`], so that it can be differentiated twice.
pub struct Sine;

impl CustomOp for Sine {
    fn name(&self) -> &str {
        "sine"
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(f64::sin)
    }

    fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![grad_output.zip_map(inputs[0], |grad, x| grad * x.cos())]
    }

    fn backward_recorded<'t>(
        &self,
        inputs: &[Var<'t>],
        _output: Var<'t>,
        grad_output: Var<'t>,
    ) -> Option<Vec<Var<'t>>> {
        Some(vec![grad_output * Var::custom(Arc::new(Cosine), inputs)])
    }
}

/// `cos x` as a user-defined op, the derivative of [`Sine`]; its own derivative is `−sin x`.
pub struct Cosine;

impl CustomOp for Cosine {
    fn name(&self) -> &str {
        "cosine"
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(f64::cos)
    }

    fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![grad_output.zip_map(inputs[0], |grad, x| -grad * x.sin())]
    }

    fn backward_recorded<'t>(
        &self,
        inputs: &[Var<'t>],
        _output: Var<'t>,
        grad_output: Var<'t>,
    ) -> Option<Vec<Var<'t>>> {
        Some(vec![-(grad_output * Var::custom(Arc::new(Sine), inputs))])
    }
}

/// `sin x` applied through the [`Sine`] custom op.
pub fn sine(x: Var<'_>) -> Var<'_> {
    Var::custom(Arc::new(Sine), &[x])
}
