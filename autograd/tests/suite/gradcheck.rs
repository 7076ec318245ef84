//! Gradient checks the table of cases (`cases.rs`) does not make: bit-for-bit equalities between
//! fused ops and their compositions, chosen subgradients, large magnitudes, custom ops.

use crate::common;

use autograd::{Activation, Tape, Tensor, Var};
use common::{away_from_zero, check, normal, sine, weighted};

/// A tensor's numbers as bits, to compare them exactly (`−0` apart from `+0`, NaN equal to
/// itself).
fn bits(tensor: &Tensor) -> Vec<u64> {
    tensor.data().iter().map(|v| v.to_bits()).collect()
}
#[test]
fn scalar_arithmetic_grad_matches_finite_differences_on_both_sides() {
    let x = [away_from_zero(&[3, 4], 2)];
    check("x + c", |v| weighted(v[0] + 1.5), &x);
    check("c + x", |v| weighted(1.5 + v[0]), &x);
    check("x - c", |v| weighted(v[0] - 1.5), &x);
    check("c - x", |v| weighted(1.5 - v[0]), &x);
    check("x * c", |v| weighted(v[0] * -2.5), &x);
    check("c * x", |v| weighted(-2.5 * v[0]), &x);
    check("x / c", |v| weighted(v[0] / 3.0), &x);
    check("c / x", |v| weighted(3.0 / v[0]), &x);
    check(
        "c / rank 0",
        |v| weighted(3.0 / v[0]),
        &[Tensor::scalar(-0.75)],
    );
}

#[test]
fn sum_squares_equals_square_then_sum_in_value_and_gradient_bit_for_bit() {
    let tape = Tape::new();
    let x = tape.var(normal(&[7, 3], 41));
    let (fused, composed) = (x.sum_squares() * 1.5, x.square().sum() * 1.5);
    assert_eq!(fused.item().to_bits(), composed.item().to_bits());
    assert_eq!(bits(&fused.backward()[x]), bits(&composed.backward()[x]));
}

#[test]
fn abs_takes_the_subgradient_zero_at_zero() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![0.0, -2.0, 3.0, -0.0], [4]));
    let grads = x.abs().sum().backward();
    assert_eq!(grads[x].data(), &[0.0, -1.0, 1.0, 0.0]);
}

#[test]
fn sigmoid_grad_matches_finite_differences_including_large_magnitudes() {
    check(
        "sigmoid at chosen points",
        |v| weighted(v[0].sigmoid()),
        &[Tensor::from_vec(
            vec![-40.0, -30.0, -5.0, 0.0, 5.0, 30.0, 40.0],
            [7],
        )],
    );
    check(
        "sigmoid",
        |v| weighted(v[0].sigmoid()),
        &[normal(&[3, 4], 11)],
    );
}

#[test]
fn relu_takes_the_subgradient_zero_at_zero() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![0.0, -2.0, 3.0], [3]));
    let grads = x.relu().sum().backward();
    assert_eq!(grads[x].data(), &[0.0, 0.0, 1.0]);
}

#[test]
fn dense_equals_affine_then_the_activation_in_value_and_gradient_bit_for_bit() {
    // Small (plain loops), narrow-and-long (the dot kernel), large with two blocks of the
    // inner dimension (the blocked GEMM), and an output large enough that the bias gradient is
    // summed in parallel parts (by `dense` as it writes dL/dZ, by `affine` afterwards).
    let cases: &[(&[usize], &[usize])] = &[
        (&[200, 2], &[2, 3]),
        (&[30, 12], &[12, 2]),
        (&[70, 300], &[300, 50]),
        (&[600, 8], &[8, 256]),
    ];
    for activation in [Activation::Tanh, Activation::Relu, Activation::Sigmoid] {
        for (seed, &(x, w)) in cases.iter().enumerate() {
            let seed = seed as u64;
            let tape = Tape::new();
            let x = tape.var(normal(x, 20 + seed));
            let w = tape.var(normal(w, 30 + seed).map(|v| v * 0.1));
            let b = tape.var(normal(&[w.shape().dims()[1]], 40 + seed));
            let fused = x.dense(w, b, activation);
            let z = x.affine(w, b);
            let composed = activation.apply(z);
            let what = format!("{activation} on {:?}", x.shape());
            assert_eq!(
                bits(&fused.value()),
                bits(&composed.value()),
                "{what}: values"
            );
            let weights = normal(fused.shape().dims(), 50 + seed);
            let fused_grads = fused.backward_with(weights.clone());
            let composed_grads = composed.backward_with(weights);
            for (name, var) in [("x", x), ("W", w), ("b", b)] {
                let (fused, composed) = (&fused_grads[var], &composed_grads[var]);
                assert_eq!(bits(fused), bits(composed), "{what}: dL/d{name}");
            }
        }
    }
}

#[test]
fn dense_relu_equals_affine_then_relu_at_zero_signed_zero_nan_and_infinities() {
    // z = x·1 + 0 is x itself (−0 + 0 is +0): the values relu's kink and NaN rules are about.
    let column = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    for recorded in [false, true] {
        let tape = Tape::new();
        let x = tape.var(Tensor::from_vec(column.to_vec(), [7, 1]));
        let w = tape.var(Tensor::from_rows(&[[1.0]]));
        let b = tape.var(Tensor::from_vec(vec![0.0], [1]));
        let fused = x.dense(w, b, Activation::Relu);
        let composed = x.affine(w, b).relu();
        assert_eq!(bits(&fused.value()), bits(&composed.value()));
        let seed = tape.constant(Tensor::from_vec(
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            [7, 1],
        ));
        let (fused_loss, composed_loss) = ((fused * seed).sum(), (composed * seed).sum());
        // One backward pass of each loss, in the mode under test; the gradients as tensors.
        let gradients = |loss: Var| -> Vec<Tensor> {
            if recorded {
                let grads = loss.backward_graph();
                [x, w, b].map(|var| grads[var].value().clone()).to_vec()
            } else {
                let grads = loss.backward();
                [x, w, b].map(|var| grads[var].clone()).to_vec()
            }
        };
        let (fused_grads, composed_grads) = (gradients(fused_loss), gradients(composed_loss));
        let names = ["x", "W", "b"];
        for ((name, fused), composed) in names.iter().zip(&fused_grads).zip(&composed_grads) {
            assert_eq!(
                bits(fused),
                bits(composed),
                "recorded: {recorded}, dL/d{name}"
            );
        }
    }
}

#[test]
fn max_axis_gives_a_tied_maximum_gradient_to_its_first_position() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_rows(&[[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]));
    let grads = (x.max_axis(1, false) * tape.constant(Tensor::from_vec(vec![5.0, 7.0], [2])))
        .sum()
        .backward();
    assert_eq!(grads[x].data(), &[0.0, 5.0, 0.0, 7.0, 0.0, 0.0]);
}

#[test]
fn custom_op_grad_matches_finite_differences() {
    check(
        "custom sine",
        |v| weighted(sine(v[0])),
        &[normal(&[3, 4], 39)],
    );
}
