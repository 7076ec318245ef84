//! The losses stay finite and accurate for logits of ±1e4 and for rows of equal logits.

use autograd::{Tape, Tensor};
use nn::Reduction;
use nn::loss::{binary_cross_entropy_with_logits, softmax_cross_entropy};

const LN_2: f64 = std::f64::consts::LN_2;

#[track_caller]
fn assert_close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(
            g.is_finite() && (g - w).abs() <= 1e-12 * w.abs().max(1.0),
            "{got:?} vs {want:?}"
        );
    }
}

#[test]
fn softmax_cross_entropy_is_exact_for_huge_and_equal_logits() {
    let tape = Tape::new();
    let logits = tape.var(Tensor::from_rows(&[[1e4, -1e4], [-1e4, 1e4], [3.0, 3.0]]));
    let losses = softmax_cross_entropy(logits, &[0, 0, 1], Reduction::Sum);
    // −log softmax: 0 for a confident right answer, 2e4 for a confident wrong one, ln 2 for a tie.
    assert_close(&[losses.item()], &[2e4 + LN_2]);
    // d/dlogits = softmax − onehot, exactly representable here.
    let grads = losses.backward();
    assert_close(grads[logits].data(), &[0.0, 0.0, -1.0, 1.0, 0.5, -0.5]);
}

#[test]
fn binary_cross_entropy_from_logits_is_exact_for_huge_and_zero_logits() {
    let tape = Tape::new();
    let logits = tape.var(Tensor::from_vec(vec![1e4, -1e4, 0.0], [3]));
    let loss = binary_cross_entropy_with_logits(logits, &[1, 1, 0], Reduction::Sum);
    assert_close(&[loss.item()], &[1e4 + LN_2]);
    // d/dz = σ(z) − y.
    let grads = loss.backward();
    assert_close(grads[logits].data(), &[0.0, -1.0, 0.5]);
}

#[test]
fn the_mean_reduction_divides_the_same_stable_sum() {
    let tape = Tape::new();
    let logits = tape.var(Tensor::from_rows(&[[-1e4, 1e4], [0.0, 0.0]]));
    let loss = softmax_cross_entropy(logits, &[0, 1], Reduction::Mean);
    assert_close(&[loss.item()], &[(2e4 + LN_2) / 2.0]);
    assert!(loss.backward()[logits].all_finite());
}

#[test]
fn sigmoid_saturates_without_overflow() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![-1e4, -800.0, 0.0, 800.0, 1e4], [5]));
    let y = x.sigmoid();
    assert_close(y.value().data(), &[0.0, 0.0, 0.5, 1.0, 1.0]);
    let grads = y.sum().backward();
    assert_close(grads[x].data(), &[0.0, 0.0, 0.25, 0.0, 0.0]);
}
