//! What a user of the library meets at its edges: conversions into tensors, and the checkers'
//! reports on custom ops.

use autograd::gradcheck::{check_custom_op, gradgradcheck};
use autograd::{CustomOp, GradcheckOptions, Tensor, Var};
use std::sync::Arc;

#[test]
fn a_vec_becomes_a_rank_one_tensor_of_its_values() {
    let tensor = Tensor::from(vec![1.5, -2.0, 0.25]);
    assert_eq!(tensor.dims(), &[3]);
    assert_eq!(tensor.data(), &[1.5, -2.0, 0.25]);
    let empty: Tensor = Vec::new().into();
    assert_eq!(empty.dims(), &[0]);
}

#[test]
fn a_slice_becomes_a_rank_one_tensor_of_a_copy() {
    let values = [4.0, 5.0, 6.0, 7.0];
    let tensor: Tensor = values[1..].into();
    assert_eq!(tensor.dims(), &[3]);
    assert_eq!(tensor.data(), &[5.0, 6.0, 7.0]);
}

/// `x ↦ x³` with a right first-order rule and no recorded one.
struct CubeWithoutRecordedRule;

impl CustomOp for CubeWithoutRecordedRule {
    fn name(&self) -> &str {
        "plain_cube"
    }
    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(|x| x * x * x)
    }
    fn backward(&self, inputs: &[&Tensor], _: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![grad_output.zip_map(inputs[0], |grad, x| 3.0 * x * x * grad)]
    }
}

#[test]
fn gradgradcheck_reports_a_custom_op_without_a_recorded_rule_by_name() {
    let x = Tensor::from(vec![-1.0, 0.5, 2.0]);
    let first = check_custom_op(
        Arc::new(CubeWithoutRecordedRule),
        std::slice::from_ref(&x),
        &GradcheckOptions::default(),
    );
    assert!(first.passed, "{first}");
    let report = gradgradcheck(
        |vars| {
            Var::custom(Arc::new(CubeWithoutRecordedRule), vars)
                .tanh()
                .sum()
        },
        &[x],
        5,
        &GradcheckOptions::default(),
    );
    assert!(!report.passed);
    assert_eq!(report.missing_recorded_rule.as_deref(), Some("plain_cube"));
    assert_eq!(report.checked, 0);
    let message = report.to_string();
    assert!(message.contains("`plain_cube`"), "{message}");
    assert!(message.contains("CustomOp::backward_recorded"), "{message}");
}

#[test]
fn gradgradcheck_ignores_a_custom_op_that_no_gradient_reaches() {
    // The op acts on a constant, so no backward (recorded or not) passes through it.
    let report = gradgradcheck(
        |vars| {
            let constant = vars[0].tape().constant(Tensor::from(vec![1.0, 2.0]));
            let shift = Var::custom(Arc::new(CubeWithoutRecordedRule), &[constant]);
            (vars[0].tanh() * shift).sum()
        },
        &[Tensor::from(vec![0.3, -0.7])],
        5,
        &GradcheckOptions::default(),
    );
    assert!(report.passed, "{report}");
    assert_eq!(report.missing_recorded_rule, None);
}
