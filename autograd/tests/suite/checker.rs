//! The gradient checker itself: it must reject a wrong rule, point at it, and accept a right one.

use crate::common;

use autograd::gradcheck::{CheckedAt, GradcheckMode};
use autograd::{CustomOp, GradcheckOptions, Tensor, Var, gradcheck};
use common::{normal, sine, weighted};
use std::sync::Arc;

/// `sin x` whose backward wrongly gives `2x` (the derivative of `x²`) instead of `cos x`.
struct SineWithWrongRule;

impl CustomOp for SineWithWrongRule {
    fn name(&self) -> &str {
        "sine_with_wrong_rule"
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(f64::sin)
    }

    fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![grad_output.zip_map(inputs[0], |grad, x| grad * 2.0 * x)]
    }
}

/// `a ⊙ b` whose backward is right for `a` but gives `dL/db = dL/dy ⊙ b` instead of `dL/dy ⊙ a`.
struct ProductWrongInSecondInput;

impl CustomOp for ProductWrongInSecondInput {
    fn name(&self) -> &str {
        "product_wrong_in_second_input"
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].zip_map(inputs[1], |a, b| a * b)
    }

    fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![
            grad_output.zip_map(inputs[1], |grad, b| grad * b),
            grad_output.zip_map(inputs[1], |grad, b| grad * b),
        ]
    }
}

#[test]
fn elementwise_mode_rejects_a_wrong_rule_and_points_at_the_worst_element() {
    // |2x − cos x| relative to the tolerance 1e-6 + 1e-5·|cos x| is largest at x = 3
    // (6.99 / 1.1e-5 ≈ 6.4e5, against 7.2e4 at x = 0.1, 1.2e4 at 0.2 and 3.4e4 at 0.3).
    let x = Tensor::from_vec(vec![0.1, 0.2, 3.0, 0.3], [4]);
    let report = gradcheck(
        |v| Var::custom(Arc::new(SineWithWrongRule), &[v[0]]).sum(),
        &[x],
        &GradcheckOptions::default(),
    );
    assert!(!report.passed, "{report}");
    assert_eq!(report.checked, 4);
    assert_eq!(report.failures, 4);
    let worst = report.worst.clone().expect("a comparison was made");
    assert_eq!(
        worst.at,
        CheckedAt::Element {
            input: 0,
            index: vec![2]
        }
    );
    assert!((worst.analytic - 6.0).abs() < 1e-12, "{report}");
    assert!((worst.numeric - 3f64.cos()).abs() < 1e-8, "{report}");
    assert!(report.to_string().contains("FAILED"), "{report}");
}

#[test]
fn elementwise_mode_names_the_input_whose_rule_is_wrong() {
    let a = normal(&[2, 3], 1);
    let b = normal(&[2, 3], 2);
    let report = gradcheck(
        |v| {
            weighted(Var::custom(
                Arc::new(ProductWrongInSecondInput),
                &[v[0], v[1]],
            ))
        },
        &[a, b],
        &GradcheckOptions::default(),
    );
    assert!(!report.passed, "{report}");
    assert_eq!(report.checked, 12);
    // Only b's six elements are wrong (a and b are random, so no element is right by chance).
    assert_eq!(report.failures, 6, "{report}");
    match report.worst {
        Some(comparison) => assert!(
            matches!(comparison.at, CheckedAt::Element { input: 1, .. }),
            "worst at {}",
            comparison.at
        ),
        None => panic!("no comparison was made"),
    }
}

#[test]
fn directions_mode_rejects_a_wrong_rule() {
    let x = normal(&[5, 4], 3);
    let count = 8;
    let report = gradcheck(
        |v| weighted(Var::custom(Arc::new(SineWithWrongRule), &[v[0]])),
        &[x],
        &GradcheckOptions::directions(count, 17),
    );
    assert!(!report.passed, "{report}");
    assert_eq!(report.checked, count);
    assert!(report.failures > count / 2, "{report}");
    let worst = report.worst.expect("a comparison was made");
    assert!(
        matches!(worst.at, CheckedAt::Direction { direction } if direction < count),
        "worst at {}",
        worst.at
    );
    assert!(worst.abs_error() > 1e-2, "{}", worst.abs_error());
}

#[test]
fn directions_mode_accepts_a_correct_rule_on_a_large_input() {
    let x = normal(&[200, 300], 4);
    let options = GradcheckOptions::directions(12, 5);
    assert_eq!(
        options.mode,
        GradcheckMode::Directions { count: 12, seed: 5 }
    );
    let report = gradcheck(|v| weighted(sine(v[0])), &[x], &options);
    assert!(report.passed, "{report}");
    assert_eq!(report.checked, 12);
}

#[test]
fn a_perturbed_rule_fails_even_when_slightly_off() {
    // A rule off by 1e-3 relative is far outside the 1e-5 relative tolerance.
    struct SlightlyOff;
    impl CustomOp for SlightlyOff {
        fn name(&self) -> &str {
            "slightly_off"
        }
        fn forward(&self, inputs: &[&Tensor]) -> Tensor {
            inputs[0].map(f64::exp)
        }
        fn backward(&self, _inputs: &[&Tensor], output: &Tensor, grad: &Tensor) -> Vec<Tensor> {
            vec![grad.zip_map(output, |grad, y| grad * y * 1.001)]
        }
    }
    let report = gradcheck(
        |v| weighted(Var::custom(Arc::new(SlightlyOff), &[v[0]])),
        &[normal(&[3], 6)],
        &GradcheckOptions::default(),
    );
    assert!(!report.passed, "{report}");
}
