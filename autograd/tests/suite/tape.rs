//! The reverse walk as a whole: fan-out, repeat calls, constants, intermediates, seeds, reuse and stability.

use crate::common;

use autograd::{Tape, Tensor};
use common::{check, max_difference, normal, weighted};

#[test]
fn a_var_used_many_times_receives_the_sum_of_its_gradients() {
    // y = x·x·x + 3x + x = x³ + 4x uses x five times; the paths' slopes x², x², x² (from the two
    // products), 3 and 1 add up to dy/dx = 3x² + 4, which is 31 at x = 3 and 4.75 at x = −0.5.
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![3.0, -0.5], [2]));
    let y = (x * x * x + 3.0 * x + x).sum();
    assert_eq!(y.backward()[x].data(), &[31.0, 4.75]);
    check(
        "x·x·x + 3x + x",
        |v| (v[0] * v[0] * v[0] + 3.0 * v[0] + v[0]).sum(),
        &[Tensor::from_vec(vec![3.0, -0.5], [2])],
    );
}

#[test]
fn fan_out_through_broadcasting_sums_every_path() {
    // y = Σᵢⱼ xᵢ·xⱼ + Σᵢ xᵢ = (Σ x)² + Σ x, so dy/dxₖ = 2·Σ x + 1 for every k: 2·6 + 1 = 13.
    let values = Tensor::from_vec(vec![1.0, 2.0, 3.0], [3]);
    let tape = Tape::new();
    let x = tape.var(values.clone());
    let outer = x.reshape([3, 1]) * x.reshape([1, 3]);
    let y = outer.sum() + x.sum();
    assert_eq!(y.backward()[x].data(), &[13.0, 13.0, 13.0]);
    check(
        "outer product plus sum",
        |v| (v[0].reshape([3, 1]) * v[0].reshape([1, 3])).sum() + v[0].sum(),
        &[values],
    );
}

#[test]
fn a_matrix_multiplied_by_itself_sums_both_paths() {
    // L = Σᵢⱼ (X·X)ᵢⱼ = Σᵢⱼₖ Xᵢₖ·Xₖⱼ. X_ab appears as the first factor (i = a, k = b), with slope
    // Σⱼ X_bj (row sum b), and as the second (k = a, j = b), with slope Σᵢ X_ia (column sum a):
    // dL/dX_ab = rowsum_b + colsum_a. For X = [[1, 2], [3, 4]], row sums [3, 7], column sums
    // [4, 6], so dL/dX = [[3 + 4, 7 + 4], [3 + 6, 7 + 6]] = [[7, 11], [9, 13]].
    let values = Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
    let tape = Tape::new();
    let x = tape.var(values.clone());
    assert_eq!(
        x.matmul(x).sum().backward()[x].data(),
        &[7.0, 11.0, 9.0, 13.0]
    );
    check("x·x", |v| weighted(v[0].matmul(v[0])), &[values]);
}

#[test]
fn backward_twice_on_one_tape_gives_identical_gradients() {
    let tape = Tape::new();
    let w = tape.var(normal(&[3, 2], 1));
    let x = tape.constant(normal(&[4, 3], 2));
    let loss = weighted(x.matmul(w).tanh().softmax(1));
    let first = loss.backward();
    let second = loss.backward();
    assert_eq!(first[w], second[w]);
    assert!(first[w].data().iter().any(|&g| g != 0.0));
}

#[test]
fn constants_and_detached_vars_take_no_gradient() {
    // y = Σ x ⊙ detach(x): with the second factor held constant, dy/dx = x, not 2x.
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![1.5, -2.0], [2]));
    let scale = tape.constant(Tensor::scalar(4.0));
    let held = x.detach();
    assert!(x.requires_grad());
    assert!(!held.requires_grad());
    assert!(!scale.requires_grad());
    assert!(!(held * scale).requires_grad());
    let grads = (x * held * scale).sum().backward();
    assert_eq!(grads[x].data(), &[6.0, -8.0]);
    assert!(grads.get(held).is_none());
    assert!(grads.get(scale).is_none());
}

#[test]
fn a_leaf_the_output_does_not_depend_on_gets_a_zero_gradient() {
    let tape = Tape::new();
    let used = tape.var(Tensor::from_vec(vec![2.0], [1]));
    let unused = tape.var(Tensor::from_vec(vec![5.0, 6.0], [2]));
    let grads = used.square().sum().backward();
    assert_eq!(grads[used].data(), &[4.0]);
    assert_eq!(grads[unused].data(), &[0.0, 0.0]);
}

#[test]
fn the_gradient_at_the_logits_of_softmax_cross_entropy_is_softmax_minus_onehot() {
    // L = −Σᵣ log softmax(z)ᵣ,ᵧᵣ = Σᵣ (log Σⱼ exp zᵣⱼ − zᵣ,ᵧᵣ), so
    // ∂L/∂zᵣⱼ = exp zᵣⱼ / Σₖ exp zᵣₖ − [j = yᵣ] = pᵣⱼ − onehotᵣⱼ.
    let inputs = normal(&[4, 3], 3);
    let weights = normal(&[3, 3], 4);
    let labels = [2, 0, 1, 1];
    let tape = Tape::new();
    let x = tape.constant(inputs);
    let w = tape.var(weights);
    let logits = x.matmul(w);
    let loss = -logits.log_softmax(1).pick(&labels).sum();
    let grads = loss.backward();

    let z = logits.value().clone();
    let mut expected = Vec::new();
    for (row, &label) in labels.iter().enumerate() {
        let denominator: f64 = z.row(row).iter().map(|v| v.exp()).sum();
        for (column, v) in z.row(row).iter().enumerate() {
            let onehot = if column == label { 1.0 } else { 0.0 };
            expected.push(v.exp() / denominator - onehot);
        }
    }
    let expected = Tensor::from_vec(expected, [4, 3]);
    let difference = max_difference(&grads[logits], &expected);
    assert!(difference < 1e-12, "off by {difference}");
}

#[test]
fn a_cleared_tape_records_again_from_empty() {
    let mut tape = Tape::new();
    let first = {
        let x = tape.var(Tensor::from_vec(vec![0.5, -1.0], [2]));
        x.tanh().square().sum().backward()[x].clone()
    };
    assert!(tape.len() > 1);
    tape.clear();
    assert_eq!(tape.len(), 0);
    assert!(tape.is_empty());
    let x = tape.var(Tensor::from_vec(vec![0.5, -1.0], [2]));
    let y = x.tanh().square().sum();
    assert_eq!(x.id().index(), 0);
    // d/dx tanh²x = 2 tanh x (1 − tanh² x).
    let hand: Vec<f64> = [0.5f64, -1.0]
        .iter()
        .map(|v| 2.0 * v.tanh() * (1.0 - v.tanh().powi(2)))
        .collect();
    let second = y.backward()[x].clone();
    assert_eq!(first, second);
    assert!(max_difference(&second, &Tensor::from_vec(hand, [2])) < 1e-15);
}

#[test]
fn backward_with_is_linear_in_the_seed() {
    let tape = Tape::new();
    let w = tape.var(normal(&[3, 2], 5));
    let x = tape.constant(normal(&[4, 3], 6));
    let y = x.matmul(w).tanh();
    let seed_a = normal(&[4, 2], 7);
    let seed_b = normal(&[4, 2], 8);
    let combined = seed_a.zip_map(&seed_b, |a, b| 2.0 * a - 3.0 * b);
    let grad_a = y.backward_with(seed_a)[w].clone();
    let grad_b = y.backward_with(seed_b)[w].clone();
    let grad_combined = y.backward_with(combined)[w].clone();
    let expected = grad_a.zip_map(&grad_b, |a, b| 2.0 * a - 3.0 * b);
    let difference = max_difference(&grad_combined, &expected);
    assert!(difference < 1e-12, "off by {difference}");
}

#[test]
fn backward_with_a_seed_of_ones_equals_backward_of_the_sum() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![0.3, -1.2, 2.0], [3]));
    let y = x.exp();
    let seeded = y.backward_with(Tensor::ones([3]))[x].clone();
    // d/dx Σ eˣ = eˣ.
    assert_eq!(seeded, x.value().map(f64::exp));
}

/// Logits at ±1e4 (where a naive `exp` overflows) and a row of equal logits.
fn extreme_logits() -> Tensor {
    Tensor::from_rows(&[[1e4, -1e4, 0.0], [5.0, 5.0, 5.0], [-1e4, -1e4, -1e4]])
}

#[test]
fn softmax_is_finite_and_accurate_on_extreme_logits() {
    let tape = Tape::new();
    let z = tape.var(extreme_logits());
    let p = z.softmax(1);
    let third = 1.0 / 3.0;
    let expected = Tensor::from_rows(&[
        [1.0, 0.0, 0.0],
        [third, third, third],
        [third, third, third],
    ]);
    assert!(max_difference(&p.value(), &expected) < 1e-15);
    let grads = weighted(p).backward();
    assert!(grads[z].all_finite(), "{}", grads[z]);
}

#[test]
fn log_softmax_is_finite_and_accurate_on_extreme_logits() {
    let tape = Tape::new();
    let z = tape.var(extreme_logits());
    let log_p = z.log_softmax(1);
    let log_third = -(3f64.ln());
    let expected = Tensor::from_rows(&[
        [0.0, -2e4, -1e4],
        [log_third, log_third, log_third],
        [log_third, log_third, log_third],
    ]);
    assert!(max_difference(&log_p.value(), &expected) < 1e-12);
    let grads = weighted(log_p).backward();
    assert!(grads[z].all_finite(), "{}", grads[z]);
}

#[test]
fn logsumexp_is_finite_and_accurate_on_extreme_logits() {
    let tape = Tape::new();
    let z = tape.var(extreme_logits());
    let lse = z.logsumexp(1, false);
    let expected = Tensor::from_vec(vec![1e4, 5.0 + 3f64.ln(), -1e4 + 3f64.ln()], [3]);
    assert!(max_difference(&lse.value(), &expected) < 1e-12);
    let grads = weighted(lse).backward();
    assert!(grads[z].all_finite(), "{}", grads[z]);
    // The gradient of a row's logsumexp is its softmax: [1, 0, 0] and thirds, times the weight.
    assert!((grads[z].data()[0] - common::weights(&[3]).data()[0]).abs() < 1e-15);
}

#[test]
fn softmax_of_a_row_with_a_minus_infinity_logit_gives_it_zero_and_finite_gradients() {
    // softmax([−∞, 0, 1]) = [0, 1/(1 + e), e/(1 + e)]: a masked logit takes no probability.
    let tape = Tape::new();
    let z = tape.var(Tensor::from_rows(&[[f64::NEG_INFINITY, 0.0, 1.0]]));
    let p = z.softmax(1);
    let e = 1f64.exp();
    let expected = Tensor::from_rows(&[[0.0, 1.0 / (1.0 + e), e / (1.0 + e)]]);
    assert!(max_difference(&p.value(), &expected) < 1e-15);
    let grads = weighted(p).backward();
    assert!(grads[z].all_finite(), "{}", grads[z]);
    assert_eq!(grads[z].data()[0], 0.0);
}

#[test]
fn sigmoid_is_finite_at_large_magnitudes() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![-800.0, 800.0], [2]));
    let y = x.sigmoid();
    assert_eq!(y.value().data(), &[0.0, 1.0]);
    let grads = y.sum().backward();
    assert!(grads[x].all_finite(), "{}", grads[x]);
    assert_eq!(grads[x].data(), &[0.0, 0.0]);
}

#[test]
fn softmax_grad_matches_finite_differences_at_large_logits() {
    // Logits of ±30: softmax saturates but stays differentiable.
    check(
        "softmax of saturated rows",
        |v| weighted(v[0].softmax(1)),
        &[Tensor::from_rows(&[[30.0, -30.0, 0.0], [2.0, 2.0, 2.0]])],
    );
}

#[test]
fn a_gradient_table_reused_after_a_longer_pass_holds_only_this_pass_entries() {
    let mut tape = Tape::new();
    {
        let x = tape.var(normal(&[3, 4], 60));
        let mut y = x;
        for _ in 0..20 {
            y = y.tanh();
        }
        let grads = y.sum().backward();
        assert_eq!(grads.iter().count(), 22);
    }
    tape.clear();
    let x = tape.var(Tensor::from_vec(vec![1.0, -2.0], [2]));
    let grads = x.square().sum().backward();
    // x, x² and the sum: nothing left over from the longer pass's table.
    assert_eq!(grads.iter().count(), 3);
    assert_eq!(grads[x].data(), &[2.0, -4.0]);
}

#[test]
fn softmax_cross_entropy_on_one_tape_follows_each_call_labels() {
    // The tape shares a label list between calls with equal labels; different labels must
    // still give their own losses and gradients.
    let rows = [[2.0f64, 0.0], [0.0, 1.0]];
    let tape = Tape::new();
    let logits = tape.var(Tensor::from_rows(&rows));
    // By hand: loss log(e^a + e^b) − x[label] per row, gradient softmax − onehot.
    let by_hand = |labels: [usize; 2]| {
        let mut losses = Vec::new();
        let mut slopes = Vec::new();
        for (row, label) in rows.iter().zip(labels) {
            let total = row[0].exp() + row[1].exp();
            losses.push(total.ln() - row[label]);
            for (class, x) in row.iter().enumerate() {
                slopes.push(x.exp() / total - if class == label { 1.0 } else { 0.0 });
            }
        }
        (
            Tensor::from_vec(losses, [2]),
            Tensor::from_vec(slopes, [2, 2]),
        )
    };
    let mut values = Vec::new();
    for labels in [[0, 1], [0, 1], [1, 0]] {
        let losses = logits.softmax_cross_entropy(&labels);
        values.push(losses.value().clone());
        let (expected_losses, expected_grad) = by_hand(labels);
        assert!(
            max_difference(&losses.value(), &expected_losses) < 1e-15,
            "{labels:?}"
        );
        let grad = losses.sum().backward()[logits].clone();
        assert!(
            max_difference(&grad, &expected_grad) < 1e-15,
            "{labels:?}: gradient"
        );
    }
    assert_eq!(
        values[0], values[1],
        "equal labels, shared list: equal losses"
    );
}
