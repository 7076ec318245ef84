//! Whole models: random MLPs on random data, every parameter's gradient of the regularised loss
//! against finite differences.

use autograd::{Tensor, gradcheck};
use proptest::prelude::*;
use tests::check::tolerances;
use tests::config::config;
use tests::models::{ModelCase, ModelLimits, model_case};

/// Random MLPs: 1 to 3 hidden layers of width 1 to 5, up to 4 outputs and 6 examples.
fn case() -> impl Strategy<Value = ModelCase> {
    model_case(ModelLimits {
        inputs: 1..=4,
        hidden_layers: 1..=3,
        width: 1..=5,
        outputs: 1..=4,
        examples: 1..=6,
        reg: 0.0..0.1,
    })
}

proptest! {
    #![proptest_config(config("models", 128))]

    #[test]
    fn every_parameter_of_a_random_mlp_has_loss_grads_matching_finite_differences(case in case()) {
        // A relu input within 1e-4 of its kink would let the finite difference straddle it.
        prop_assume!(case.relu_margin() > 1e-4);
        let model = case.model();
        let options = tolerances(1e-6, 1e-5);
        let report = gradcheck(
            |v| {
                let tape = v[0].tape();
                let params = model.params().with_vars(v);
                let x = tape.constant(case.features.clone());
                model.objective(&params, x, &case.labels, case.reduction, case.reg)
            },
            &case.parameters,
            &options,
        );
        let parameter_count: usize = case.parameters.iter().map(Tensor::len).sum();
        prop_assert!(report.passed, "{}", report);
        prop_assert_eq!(report.checked, parameter_count, "not every parameter was checked");
    }
}
