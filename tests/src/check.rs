//! Running the public gradient checker inside a property, failing the case with its report.

use autograd::{GradcheckOptions, Tensor, Var, gradcheck};
use proptest::test_runner::TestCaseError;

/// Options with the given tolerances and gradcheck's default step (1e-6), element by element.
pub fn tolerances(abs_tolerance: f64, rel_tolerance: f64) -> GradcheckOptions {
    GradcheckOptions {
        abs_tolerance,
        rel_tolerance,
        ..GradcheckOptions::default()
    }
}

/// Fails the current case, with gradcheck's report and the inputs, unless the tape's gradients
/// of `f` at `inputs` agree with central finite differences under `options` (and at least one
/// comparison was made, so that a case cannot pass by checking nothing).
///
/// Central differences err by about `h²·f‴/6`, and a random composition can curve so sharply
/// (a power of a sine of a power) that at the usual step this error alone exceeds the tolerance
/// while the gradient is right: the differences then move towards the gradient as the step
/// shrinks. So a case that fails is checked once more at a tenth of the step, where that error
/// is a hundred times smaller (and rounding, `ε·|f|/h`, still far below the tolerance for the
/// values the generators draw), and fails only if it fails there too, with both reports. A
/// wrong gradient disagrees with the differences at every step, so it still fails.
pub fn gradients_match<F>(
    f: F,
    inputs: &[Tensor],
    options: &GradcheckOptions,
) -> Result<(), TestCaseError>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let report = gradcheck(&f, inputs, options);
    if report.passed && report.checked > 0 {
        return Ok(());
    }
    let finer = GradcheckOptions {
        step: options.step / 10.0,
        ..options.clone()
    };
    let again = gradcheck(&f, inputs, &finer);
    if report.checked > 0 && again.passed && again.checked > 0 {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "{report}\nat a tenth of the step:\n{again}\n{}",
            exact(inputs)
        )))
    }
}

/// The inputs' shapes and every value in full precision (a tensor's display rounds), so that a
/// failure can be reproduced exactly.
pub fn exact(inputs: &[Tensor]) -> String {
    inputs
        .iter()
        .enumerate()
        .map(|(i, x)| format!("input {i}: shape {}, data {:?}", x.shape(), x.data()))
        .collect::<Vec<_>>()
        .join("\n")
}
