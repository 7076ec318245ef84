//! Lesson: adding your own op — softplus, with its own forward and backward — checking its rule,
//! and training a network that uses it as its activation.
//!
//! Run with `cargo run --release -p nn --example custom_activation`.
//!
//! A custom op is a struct implementing `autograd::CustomOp`: a forward on tensors, the backward
//! rule `dL/dx = dL/dy · softplus′(x)`, and optionally the same rule written with `Var` ops so
//! that gradients of gradients work too. `gradcheck` tests the rule against finite differences
//! before we trust it; `check_nodes` would name it if it were wrong inside a larger graph.

mod support;

use autograd::{CustomOp, GradcheckOptions, Tape, Tensor, Var, check_nodes, gradcheck};
use nn::optim::{Optimizer, Sgd};
use nn::{Dataset, ParamVars, Params, Reduction};
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::sync::Arc;
use support::load_moons;

/// softplus(x) = ln(1 + eˣ), a smooth relu. Its derivative is the sigmoid σ(x).
struct Softplus;

impl CustomOp for Softplus {
    fn name(&self) -> &str {
        "softplus"
    }

    /// Computed as `max(x, 0) + ln(1 + e^(−|x|))`, which never overflows.
    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].map(|x| x.max(0.0) + (-x.abs()).exp().ln_1p())
    }

    /// `dL/dx = dL/dy · σ(x)`.
    fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
        vec![grad_output.zip_map(&inputs[0].sigmoid(), |g, s| g * s)]
    }

    /// The same rule with recorded ops, so that it can be differentiated again.
    fn backward_recorded<'t>(
        &self,
        inputs: &[Var<'t>],
        _output: Var<'t>,
        grad_output: Var<'t>,
    ) -> Option<Vec<Var<'t>>> {
        Some(vec![grad_output * inputs[0].sigmoid()])
    }
}

/// `Σ softplus(x)`, the scalar the checks differentiate.
fn softplus_sum<'t>(inputs: &[Var<'t>]) -> Var<'t> {
    Var::custom(Arc::new(Softplus), &[inputs[0]]).sum()
}

/// One hidden layer of softplus units: `softplus(x·W1 + b1)·W2 + b2`.
fn logits<'t>(params: &ParamVars<'t>, x: Var<'t>) -> Var<'t> {
    let hidden = x.matmul(params.get("W1")) + params.get("b1");
    let activated = Var::custom(Arc::new(Softplus), &[hidden]);
    activated.matmul(params.get("W2")) + params.get("b2")
}

/// A 2-`hidden`-2 network's parameters, initialised as the tutorial does.
fn initial_params(hidden: usize, seed: u64) -> Params {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut params = Params::new();
    params.insert(
        "W1",
        Tensor::randn([2, hidden], &mut rng).map(|w| w / 2f64.sqrt()),
    );
    params.insert("b1", Tensor::zeros([hidden]));
    params.insert(
        "W2",
        Tensor::randn([hidden, 2], &mut rng).map(|w| w / (hidden as f64).sqrt()),
    );
    params.insert("b2", Tensor::zeros([2]));
    params
}

/// Trains the softplus network by gradient descent on the mean cross-entropy; returns the final
/// training accuracy.
fn train(data: &Dataset, passes: usize) -> f64 {
    let mut params = initial_params(8, 3);
    let mut optimizer = Sgd::new(0.5);
    let mut tape = Tape::new();
    for _ in 0..passes {
        tape.clear();
        let grads = {
            let vars = params.on_tape(&tape);
            let x = tape.constant(data.features.clone());
            let loss =
                nn::loss::softmax_cross_entropy(logits(&vars, x), &data.labels, Reduction::Mean);
            let mut grads = loss.backward();
            vars.gradients(&mut grads)
        };
        optimizer.step(&mut params, &grads);
    }
    let tape = Tape::new();
    let vars = params.constants_on(&tape);
    let predicted = logits(&vars, tape.constant(data.features.clone()))
        .value()
        .argmax_axis(1);
    nn::metrics::accuracy(&predicted, &data.labels)
}

fn main() {
    let x = Tensor::linspace(-4.0, 4.0, 9);
    println!(
        "first order:  {}",
        gradcheck(
            softplus_sum,
            std::slice::from_ref(&x),
            &GradcheckOptions::default()
        )
    );
    let second =
        autograd::gradcheck::gradgradcheck(softplus_sum, &[x], 1, &GradcheckOptions::default());
    println!("second order: {second}");

    let data = load_moons();
    let tape = Tape::new();
    let vars = initial_params(8, 3).on_tape(&tape);
    let loss = nn::loss::softmax_cross_entropy(
        logits(&vars, tape.constant(data.features.clone())),
        &data.labels,
        Reduction::Mean,
    );
    println!(
        "every node of one step: {}",
        check_nodes(loss, &GradcheckOptions::default())
    );
    println!(
        "softplus network, 2000 passes: train accuracy {:.3}",
        train(&data, 2000)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softplus_passes_both_checks_and_learns_the_moons() {
        let x = Tensor::linspace(-4.0, 4.0, 9);
        assert!(
            gradcheck(
                softplus_sum,
                std::slice::from_ref(&x),
                &GradcheckOptions::default()
            )
            .passed
        );
        let second =
            autograd::gradcheck::gradgradcheck(softplus_sum, &[x], 1, &GradcheckOptions::default());
        assert!(second.passed, "{second}");
        assert!(train(&load_moons(), 1500) > 0.85);
    }
}
