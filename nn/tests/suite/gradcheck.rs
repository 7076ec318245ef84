//! The whole MLP objective, L2 term included, against finite differences for several shapes.

use autograd::{GradcheckOptions, Tensor, gradcheck};
use nn::{Activation, Init, Mlp, Reduction};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Checks the gradient of `data loss + reg/2·Σ‖W‖²` with respect to every parameter of a model
/// with these sizes and activations, on random inputs and labels.
fn check_objective(sizes: &[usize], activations: &[Activation], reduction: Reduction, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let model = Mlp::with_activations(sizes, activations, Init::Xavier, seed);
    let mut params = model.params().clone();
    // Non-zero biases, so that their gradients are exercised away from the initial point.
    for (_, tensor) in params.iter_mut().filter(|(name, _)| name.starts_with('b')) {
        *tensor = Tensor::randn(tensor.shape(), &mut rng).map(|x| 0.3 * x);
    }
    let model = Mlp::from_params(sizes, activations, params).unwrap();
    let examples = 7;
    let features = Tensor::randn([examples, sizes[0]], &mut rng);
    let labels: Vec<usize> = (0..examples)
        .map(|i| (i * 5 + 1) % model.classes())
        .collect();
    let inputs: Vec<Tensor> = model.params().iter().map(|(_, t)| t.clone()).collect();
    let report = gradcheck(
        |vars| {
            let tape = vars[0].tape();
            let param_vars = model.params().with_vars(vars);
            let x = tape.constant(features.clone());
            model.objective(&param_vars, x, &labels, reduction, 0.05)
        },
        &inputs,
        &GradcheckOptions::default(),
    );
    assert!(
        report.passed,
        "sizes {sizes:?}, activations {activations:?}: {report}"
    );
    assert_eq!(report.checked, model.params().numel());
}

#[test]
fn the_tutorial_network_objective_matches_finite_differences() {
    check_objective(&[2, 3, 2], &[Activation::Tanh], Reduction::Sum, 1);
}

#[test]
fn a_relu_network_with_two_hidden_layers_matches_finite_differences() {
    check_objective(
        &[2, 5, 4, 3],
        &[Activation::Relu, Activation::Relu],
        Reduction::Mean,
        2,
    );
}

#[test]
fn a_sigmoid_network_matches_finite_differences() {
    check_objective(&[3, 4, 2], &[Activation::Sigmoid], Reduction::Sum, 3);
}

#[test]
fn three_hidden_layers_of_mixed_activations_match_finite_differences() {
    check_objective(
        &[2, 4, 3, 5, 3],
        &[Activation::Tanh, Activation::Sigmoid, Activation::Relu],
        Reduction::Mean,
        4,
    );
}

#[test]
fn logistic_regression_matches_finite_differences() {
    check_objective(&[2, 2], &[], Reduction::Sum, 5);
}

#[test]
fn the_binary_sigmoid_form_matches_finite_differences() {
    check_objective(&[2, 1], &[], Reduction::Mean, 6);
    check_objective(&[2, 3, 1], &[Activation::Tanh], Reduction::Sum, 7);
}

#[test]
fn gradients_agree_with_the_objectives_finite_differences_through_the_training_helper() {
    // Mlp::gradients (used by the training loop) against a central difference of the objective.
    let mut rng = StdRng::seed_from_u64(8);
    let model = Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, 8);
    let features = Tensor::randn([5, 2], &mut rng);
    let labels = [0, 1, 1, 0, 1];
    let mut tape = autograd::Tape::new();
    let (objective, grads) = model.gradients(&mut tape, &features, &labels, Reduction::Sum, 0.01);
    let value_at = |model: &Mlp, tape: &mut autograd::Tape| {
        model
            .gradients(tape, &features, &labels, Reduction::Sum, 0.01)
            .0
    };
    assert_eq!(objective, value_at(&model, &mut tape));
    let step = 1e-6;
    for name in ["W1", "b1", "W2", "b2"] {
        for index in 0..model.params().get(name).unwrap().len() {
            let mut plus = model.clone();
            plus.params_mut().get_mut(name).unwrap().data_mut()[index] += step;
            let mut minus = model.clone();
            minus.params_mut().get_mut(name).unwrap().data_mut()[index] -= step;
            let numeric = (value_at(&plus, &mut tape) - value_at(&minus, &mut tape)) / (2.0 * step);
            let analytic = grads.get(name).unwrap().data()[index];
            assert!(
                (numeric - analytic).abs() < 1e-6,
                "{name}[{index}]: {analytic} vs {numeric}"
            );
        }
    }
}
