//! Lesson: the tutorial's whole network in about 30 lines, with no derivative written anywhere.
//!
//! Run with `cargo run --release -p nn --example tutorial_in_30_lines`.
//!
//! The tutorial's `build_model` computes `delta3`, `delta2`, `dW2`, ... by hand. Here the step is:
//! put the parameters on a tape, write the forward pass and the loss, call `backward`, and move
//! each weight against its gradient. Compare the printed losses with the tutorial's.

mod support;

use autograd::{Tape, Tensor};

const INIT: &str = include_str!("../tests/golden/init_h3.json");

fn main() {
    let nn::Dataset {
        features: x,
        labels: y,
    } = support::load_moons();
    let mut weights = load_initial_weights(); // W1 [2,3], b1 [3], W2 [3,2], b2 [2]
    let (epsilon, reg_lambda, n) = (0.01, 0.01, y.len() as f64);
    let mut tape = Tape::new();
    for pass in 0..=20000 {
        tape.clear();
        let (loss, grads) = {
            let [w1, b1, w2, b2] = weights.clone().map(|w| tape.var(w));
            let a1 = (tape.constant(x.clone()).matmul(w1) + b1).tanh();
            let z2 = a1.matmul(w2) + b2;
            let data_loss = -z2.log_softmax(1).pick(&y).sum();
            let loss = data_loss + (w1.square().sum() + w2.square().sum()) * (reg_lambda / 2.0);
            let grads = loss.backward();
            (loss.item(), [w1, b1, w2, b2].map(|w| grads[w].clone()))
        };
        if pass % 1000 == 0 {
            println!("Loss after iteration {pass}: {:.6}", loss / n);
        }
        for (w, dw) in weights.iter_mut().zip(&grads) {
            w.add_scaled(-epsilon, dw); // W += -epsilon * dW
        }
    }
}

/// The tutorial's initial weights for hidden size 3, as the nn crate's checkpoint loader would
/// see them: parsed from the golden JSON by name.
fn load_initial_weights() -> [Tensor; 4] {
    let root: serde_json::Value = serde_json::from_str(INIT).expect("valid JSON");
    ["W1", "b1", "W2", "b2"].map(|name| {
        let rows: Vec<Vec<f64>> = match root[name].as_array().expect("an array") {
            items if items[0].is_array() => items
                .iter()
                .map(|row| {
                    row.as_array()
                        .expect("a row")
                        .iter()
                        .map(|v| v.as_f64().expect("a number"))
                        .collect()
                })
                .collect(),
            items => vec![
                items
                    .iter()
                    .map(|v| v.as_f64().expect("a number"))
                    .collect(),
            ],
        };
        let tensor = Tensor::from_rows(&rows);
        if rows.len() == 1 {
            tensor.reshape([rows[0].len()])
        } else {
            tensor
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_update_gives_the_tutorials_second_loss() {
        // numpy_losses_h3_lr0.01.csv: passes 0 → 0.6937740738981145, passes 1 → 0.6419283429945843.
        let nn::Dataset {
            features: x,
            labels: y,
        } = support::load_moons();
        let weights = load_initial_weights();
        let tape = Tape::new();
        let [w1, b1, w2, b2] = weights.clone().map(|w| tape.var(w));
        let a1 = (tape.constant(x.clone()).matmul(w1) + b1).tanh();
        let loss = -(a1.matmul(w2) + b2).log_softmax(1).pick(&y).sum()
            + (w1.square().sum() + w2.square().sum()) * 0.005;
        assert!((loss.item() / 200.0 - 0.6937740738981145).abs() < 1e-12);
        let grads = loss.backward();
        let stepped: Vec<Tensor> = weights
            .iter()
            .zip([w1, b1, w2, b2])
            .map(|(w, var)| {
                let mut w = w.clone();
                w.add_scaled(-0.01, &grads[var]);
                w
            })
            .collect();
        let tape = Tape::new();
        let [w1, b1, w2, b2] = [0, 1, 2, 3].map(|i| tape.var(stepped[i].clone()));
        let a1 = (tape.constant(x).matmul(w1) + b1).tanh();
        let loss = -(a1.matmul(w2) + b2).log_softmax(1).pick(&y).sum()
            + (w1.square().sum() + w2.square().sum()) * 0.005;
        assert!((loss.item() / 200.0 - 0.6419283429945843).abs() < 1e-12);
    }
}
