//! The tutorial's hand-derived gradients, computed by its own formulas, against the engine's.
//!
//! The tutorial writes, for the summed cross-entropy of `softmax(tanh(X·W1 + b1)·W2 + b2)` plus
//! `reg/2·(‖W1‖² + ‖W2‖²)`:
//!
//! ```text
//! delta3 = probs;  delta3[range(N), y] -= 1
//! dW2 = a1ᵀ·delta3 + reg·W2         db2 = Σ_rows delta3
//! delta2 = delta3·W2ᵀ ⊙ (1 − a1²)
//! dW1 = Xᵀ·delta2 + reg·W1          db1 = Σ_rows delta2
//! ```
//!
//! These tests evaluate those formulas with plain loops and compare them with the gradients
//! that backward derives from nn's forward pass alone (docs/BACKPROP.md maps one onto the other).

use crate::common;

use autograd::{Tape, Tensor};
use common::{INIT, golden_params, moons};
use nn::{Activation, Dataset, Mlp, Params, Reduction};

const REG: f64 = 0.01;

/// Everything the tutorial's backward pass computes.
struct HandGradients {
    delta3: Tensor,
    delta2: Tensor,
    dw1: Tensor,
    db1: Tensor,
    dw2: Tensor,
    db2: Tensor,
}

/// The tutorial's formulas, element by element, with the C library's `tanh` and `exp`, on the
/// data set and the parameters `W1`, `b1`, `W2`, `b2`.
fn tutorial_backprop(data: &Dataset, params: &Params) -> HandGradients {
    let (x, y) = (&data.features, &data.labels[..]);
    let [w1, b1, w2, b2] = ["W1", "b1", "W2", "b2"].map(|name| params.get(name).unwrap());
    let (n, inputs) = (x.dims()[0], x.dims()[1]);
    let (hidden, classes) = (w1.dims()[1], w2.dims()[1]);
    let mut a1 = Tensor::zeros([n, hidden]);
    let mut delta3 = Tensor::zeros([n, classes]);
    for i in 0..n {
        for h in 0..hidden {
            let z1: f64 = (0..inputs).map(|k| x[[i, k]] * w1[[k, h]]).sum::<f64>() + b1[[h]];
            a1[[i, h]] = z1.tanh();
        }
        let z2: Vec<f64> = (0..classes)
            .map(|c| (0..hidden).map(|h| a1[[i, h]] * w2[[h, c]]).sum::<f64>() + b2[[c]])
            .collect();
        let exp_scores: Vec<f64> = z2.iter().map(|z| z.exp()).collect();
        let total: f64 = exp_scores.iter().sum();
        for c in 0..classes {
            delta3[[i, c]] = exp_scores[c] / total - if c == y[i] { 1.0 } else { 0.0 };
        }
    }
    let mut delta2 = Tensor::zeros([n, hidden]);
    for i in 0..n {
        for h in 0..hidden {
            let back: f64 = (0..classes).map(|c| delta3[[i, c]] * w2[[h, c]]).sum();
            delta2[[i, h]] = back * (1.0 - a1[[i, h]].powi(2));
        }
    }
    let mut dw2 = Tensor::zeros([hidden, classes]);
    let mut db2 = Tensor::zeros([classes]);
    let mut dw1 = Tensor::zeros([inputs, hidden]);
    let mut db1 = Tensor::zeros([hidden]);
    for c in 0..classes {
        for h in 0..hidden {
            dw2[[h, c]] =
                (0..n).map(|i| a1[[i, h]] * delta3[[i, c]]).sum::<f64>() + REG * w2[[h, c]];
        }
        db2[[c]] = (0..n).map(|i| delta3[[i, c]]).sum();
    }
    for h in 0..hidden {
        for k in 0..inputs {
            dw1[[k, h]] =
                (0..n).map(|i| x[[i, k]] * delta2[[i, h]]).sum::<f64>() + REG * w1[[k, h]];
        }
        db1[[h]] = (0..n).map(|i| delta2[[i, h]]).sum();
    }
    HandGradients {
        delta3,
        delta2,
        dw1,
        db1,
        dw2,
        db2,
    }
}

/// Asserts `got` equals `want` to 1e-12 relative to the largest entry of `want`.
#[track_caller]
fn assert_matches(name: &str, got: &Tensor, want: &Tensor) {
    assert_eq!(got.dims(), want.dims(), "{name}: shapes differ");
    let scale = want.data().iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    for (index, (g, w)) in got.data().iter().zip(want.data()).enumerate() {
        assert!(
            (g - w).abs() <= 1e-12 * scale,
            "{name}[{index}]: engine {g}, tutorial formula {w}"
        );
    }
}

#[test]
fn the_engines_gradients_equal_the_tutorials_hand_formulas() {
    let data = moons();
    let params = golden_params(INIT);
    let model = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], params.clone()).unwrap();
    let tape = Tape::new();
    let vars = model.params().on_tape(&tape);
    let x = tape.constant(data.features.clone());
    // The same steps as `Mlp::objective`, kept apart so that the logits node can be named.
    let logits = model.forward(&vars, x);
    let objective =
        model.data_loss(logits, &data.labels, Reduction::Sum) + nn::loss::l2_penalty(&vars, REG);
    let grads = objective.backward();

    let hand = tutorial_backprop(&data, &params);
    assert_matches(
        "delta3 (gradient of the logits)",
        &grads[logits],
        &hand.delta3,
    );
    assert_matches("dW2", &grads[vars.get("W2")], &hand.dw2);
    assert_matches("db2", &grads[vars.get("b2")], &hand.db2);
    assert_matches("dW1", &grads[vars.get("W1")], &hand.dw1);
    assert_matches("db1", &grads[vars.get("b1")], &hand.db1);
}

#[test]
fn delta2_is_the_gradient_of_the_hidden_pre_activations() {
    let data = moons();
    let params = golden_params(INIT);
    let tape = Tape::new();
    let [w1, b1, w2, b2] =
        ["W1", "b1", "W2", "b2"].map(|name| tape.var(params.get(name).unwrap().clone()));
    let x = tape.constant(data.features.clone());
    // The tutorial's forward pass written out, so that z1 is a node we can ask about.
    let z1 = x.matmul(w1) + b1;
    let z2 = z1.tanh().matmul(w2) + b2;
    let cross_entropy = -z2.log_softmax(1).pick(&data.labels).sum();
    let objective = cross_entropy + (w1.square().sum() + w2.square().sum()) * (REG / 2.0);
    let grads = objective.backward();

    let hand = tutorial_backprop(&data, &params);
    assert_matches("delta2 (gradient of z1)", &grads[z1], &hand.delta2);
    assert_matches("delta3 (gradient of z2)", &grads[z2], &hand.delta3);
}

#[test]
fn the_explained_recordings_named_nodes_carry_the_tutorials_quantities() {
    let data = moons();
    let params = golden_params(INIT);
    let model = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], params.clone()).unwrap();
    let tape = Tape::new();
    let vars = model.params().on_tape(&tape);
    let x = tape.constant(data.features.clone());
    let explained = model.record_explained(&vars, x, &data.labels, Reduction::Sum, REG);
    // The gradients as the observed walk's steps deliver them, summed per node.
    let mut received: Vec<Option<Tensor>> = vec![None; tape.len()];
    let grads = explained
        .objective
        .backward_observed(Tensor::scalar(1.0), &mut |step| {
            for (input, share) in step.contributions {
                let slot = &mut received[input.index()];
                match slot {
                    Some(total) => total.add_assign(share),
                    None => *slot = Some(share.clone()),
                }
            }
        });
    let named = |name: &str| {
        let (id, _) = explained
            .gradient_names
            .iter()
            .find(|(_, n)| n == name)
            .unwrap_or_else(|| panic!("no node is named {name}"));
        (
            grads.get_node(*id).unwrap().clone(),
            received[id.index()].clone().unwrap(),
        )
    };
    let hand = tutorial_backprop(&data, &params);
    for (name, want) in [
        ("delta3", &hand.delta3),
        ("delta2", &hand.delta2),
        ("dW1", &hand.dw1),
        ("db1", &hand.db1),
        ("dW2", &hand.dw2),
        ("db2", &hand.db2),
    ] {
        let (engine, from_steps) = named(name);
        assert_matches(name, &engine, want);
        assert_matches(&format!("{name} summed from the steps"), &from_steps, want);
    }
    // The values named z1 and a1 are the tutorial's forward quantities.
    let value = |name: &str| {
        let (id, _) = explained
            .value_names
            .iter()
            .find(|(_, n)| n == name)
            .unwrap();
        tape.nodes_view()[id.index()].value.clone()
    };
    let [w1, b1] = ["W1", "b1"].map(|name| params.get(name).unwrap());
    let z1 = value("z1");
    for i in [0, 57, 199] {
        for h in 0..3 {
            let want = (0..2)
                .map(|k| data.features[[i, k]] * w1[[k, h]])
                .sum::<f64>()
                + b1[[h]];
            assert!((z1[[i, h]] - want).abs() < 1e-12);
            assert!((value("a1")[[i, h]] - want.tanh()).abs() < 1e-12);
        }
    }
    // The objective is the training loop's to rounding.
    let fused = model
        .objective(&vars, x, &data.labels, Reduction::Sum, REG)
        .item();
    assert!((explained.objective.item() - fused).abs() < 1e-9 * fused.abs());
}
