//! Running the second-order checks inside a property: the recorded gradient's value and its own gradient, each against finite differences.
//!
//! `gradgradcheck` differentiates `g(x) = Σᵢ ⟨vᵢ, Gᵢ(x)⟩`, with `G` the gradient that the
//! recording backward produces, and compares with finite differences of `g`. That proves the
//! recorded graph's derivative consistent with its own values, but not that those values are
//! `∇f`: a recorded rule off by a term that does not depend on the inputs passes. So
//! [`second_order_matches`] first compares `G` itself with finite differences of `f`.

use crate::check::exact;
use autograd::gradcheck::gradgradcheck;
use autograd::higher::grad;
use autograd::{GradcheckOptions, Tensor, Var, gradcheck};
use proptest::test_runner::TestCaseError;

/// `f(x)`, with the recording backward's gradient of `f` as its plain gradient.
///
/// The result is `detach(f(x)) + Σᵢ sum(detach(Gᵢ(x)) ⊙ (xᵢ − detach(xᵢ)))`: its value is `f(x)`
/// (each difference is exactly zero) and its plain backward reaches `xᵢ` only through the last
/// factor, with `Gᵢ(x)` as the gradient. Handing it to `gradcheck` therefore compares the
/// recorded gradient with finite differences of `f`.
pub fn with_recorded_gradient<'t, F>(f: &F, inputs: &[Var<'t>]) -> Var<'t>
where
    F: for<'s> Fn(&[Var<'s>]) -> Var<'s>,
{
    let output = f(inputs);
    let recorded = grad(output, inputs);
    inputs
        .iter()
        .zip(recorded)
        .map(|(&x, gradient)| (gradient.detach() * (x - x.detach())).sum())
        .fold(output.detach(), |total, term| total + term)
}

/// Fails the current case, with the failing report and the inputs, unless the recorded gradient
/// of `f` agrees with finite differences of `f`, and `gradgradcheck` (weights drawn from `seed`)
/// passes, both under `options` and both having made at least one comparison.
pub fn second_order_matches<F>(
    f: F,
    inputs: &[Tensor],
    seed: u64,
    options: &GradcheckOptions,
) -> Result<(), TestCaseError>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let first = gradcheck(|v| with_recorded_gradient(&f, v), inputs, options);
    if !first.passed || first.checked == 0 {
        return Err(TestCaseError::fail(format!(
            "the recorded gradient disagrees with finite differences of the function: \
             {first}\n{}",
            exact(inputs)
        )));
    }
    let second = gradgradcheck(&f, inputs, seed, options);
    if !second.passed || second.checked == 0 {
        return Err(TestCaseError::fail(format!(
            "gradgradcheck (seed {seed}): {second}\n{}",
            exact(inputs)
        )));
    }
    Ok(())
}
