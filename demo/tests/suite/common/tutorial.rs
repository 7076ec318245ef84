//! The tutorial's backward pass by its hand-derived formulas: a reference for the gradients the
//! engine computes that does not use the engine.

use std::collections::HashMap;

/// The tutorial's backward pass by its own formulas, with plain loops over row-major arrays:
/// `delta3 = probs − onehot`, `dW2 = a1ᵀ·delta3 + reg·W2`, `db2 = Σ delta3`,
/// `delta2 = delta3·W2ᵀ ⊙ (1 − a1²)`, `dW1 = xᵀ·delta2 + reg·W1`, `db1 = Σ delta2`.
/// The hidden width is `b1`'s length.
pub fn tutorial_gradients(
    points: &[[f64; 3]],
    parameters: &nn::Params,
    reg: f64,
) -> HashMap<&'static str, Vec<f64>> {
    let values = |name: &str| {
        let tensor = parameters.get(name);
        tensor.unwrap_or_else(|| panic!("no {name}")).data()
    };
    let (w1, b1, w2, b2) = (values("W1"), values("b1"), values("W2"), values("b2"));
    let hidden = b1.len();
    let n = points.len();
    let mut a1 = vec![0.0; n * hidden];
    let mut delta3 = vec![0.0; n * 2];
    for (i, &[x, y, label]) in points.iter().enumerate() {
        for h in 0..hidden {
            a1[i * hidden + h] = (x * w1[h] + y * w1[hidden + h] + b1[h]).tanh();
        }
        let z2: Vec<f64> = (0..2)
            .map(|c| {
                (0..hidden)
                    .map(|h| a1[i * hidden + h] * w2[h * 2 + c])
                    .sum::<f64>()
                    + b2[c]
            })
            .collect();
        let total: f64 = z2.iter().map(|z| z.exp()).sum();
        for c in 0..2 {
            let onehot = if c == label as usize { 1.0 } else { 0.0 };
            delta3[i * 2 + c] = z2[c].exp() / total - onehot;
        }
    }
    let mut delta2 = vec![0.0; n * hidden];
    for i in 0..n {
        for h in 0..hidden {
            let back: f64 = (0..2).map(|c| delta3[i * 2 + c] * w2[h * 2 + c]).sum();
            delta2[i * hidden + h] = back * (1.0 - a1[i * hidden + h].powi(2));
        }
    }
    let mut dw1 = w1.iter().map(|w| reg * w).collect::<Vec<_>>();
    let mut dw2 = w2.iter().map(|w| reg * w).collect::<Vec<_>>();
    let (mut db1, mut db2) = (vec![0.0; hidden], vec![0.0; 2]);
    for (i, point) in points.iter().enumerate() {
        for h in 0..hidden {
            for k in 0..2 {
                dw1[k * hidden + h] += point[k] * delta2[i * hidden + h];
            }
            db1[h] += delta2[i * hidden + h];
            for c in 0..2 {
                dw2[h * 2 + c] += a1[i * hidden + h] * delta3[i * 2 + c];
            }
        }
        for c in 0..2 {
            db2[c] += delta3[i * 2 + c];
        }
    }
    HashMap::from([
        ("delta3", delta3),
        ("delta2", delta2),
        ("W1", dw1),
        ("b1", db1),
        ("W2", dw2),
        ("b2", db2),
    ])
}
