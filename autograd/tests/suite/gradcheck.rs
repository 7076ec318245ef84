//! Every primitive's backward rule against central finite differences, one op per test.

use crate::common;

use autograd::{Activation, Tape, Tensor, Var};
use common::{away_from_zero, check, distinct, normal, positive, sine, weighted};

/// Shape pairs for binary ops: equal shapes, a row broadcast either way, an outer product,
/// rank 0 with a matrix either way, two rank-0 values, and a rank-3 with a rank-2 operand.
const BROADCAST_PAIRS: &[(&[usize], &[usize])] = &[
    (&[3, 4], &[3, 4]),
    (&[3, 4], &[4]),
    (&[4], &[3, 4]),
    (&[3, 1], &[1, 4]),
    (&[], &[3, 4]),
    (&[3, 4], &[]),
    (&[], &[]),
    (&[2, 3, 4], &[3, 1]),
];

/// Ranks 1 to 3, for the reductions and the axis-wise ops.
const AXIS_SHAPES: &[&[usize]] = &[&[5], &[3, 4], &[2, 3, 4]];

/// A tensor's numbers as bits, to compare them exactly (`−0` apart from `+0`, NaN equal to
/// itself).
fn bits(tensor: &Tensor) -> Vec<u64> {
    tensor.data().iter().map(|v| v.to_bits()).collect()
}
#[test]
fn add_grad_matches_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        let inputs = [normal(a, seed as u64), normal(b, 100 + seed as u64)];
        check(
            &format!("{a:?} + {b:?}"),
            |v| weighted(v[0] + v[1]),
            &inputs,
        );
    }
}

#[test]
fn sub_grad_matches_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        let inputs = [normal(a, seed as u64), normal(b, 100 + seed as u64)];
        check(
            &format!("{a:?} - {b:?}"),
            |v| weighted(v[0] - v[1]),
            &inputs,
        );
    }
}

#[test]
fn mul_grad_matches_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        let inputs = [normal(a, seed as u64), normal(b, 100 + seed as u64)];
        check(
            &format!("{a:?} * {b:?}"),
            |v| weighted(v[0] * v[1]),
            &inputs,
        );
    }
}

#[test]
fn div_grad_matches_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        let inputs = [normal(a, seed as u64), away_from_zero(b, 100 + seed as u64)];
        check(
            &format!("{a:?} / {b:?}"),
            |v| weighted(v[0] / v[1]),
            &inputs,
        );
    }
}

#[test]
fn neg_grad_matches_finite_differences() {
    for dims in [&[][..], &[5], &[3, 4]] {
        check(
            &format!("-{dims:?}"),
            |v| weighted(-v[0]),
            &[normal(dims, 1)],
        );
    }
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
fn powf_grad_matches_finite_differences() {
    let x = [positive(&[3, 4], 3)];
    for exponent in [0.0, 1.0, 2.0, 3.0, 0.5, 1.5, -1.0, -2.5, -0.5] {
        check(
            &format!("x^{exponent} on positive x"),
            |v| weighted(v[0].powf(exponent)),
            &x,
        );
    }
    let signed = [away_from_zero(&[3, 4], 4)];
    for exponent in [2.0, 3.0, -1.0, -2.0] {
        check(
            &format!("x^{exponent} on signed x"),
            |v| weighted(v[0].powf(exponent)),
            &signed,
        );
    }
}

#[test]
fn sum_squares_grad_matches_finite_differences() {
    for (seed, &shape) in [&[][..], &[5], &[3, 4], &[2, 3, 4]].iter().enumerate() {
        let input = normal(shape, 40 + seed as u64);
        // Squared, so that the upstream gradient varies with the input.
        check(
            &format!("sum_squares of {shape:?}"),
            |v| v[0].sum_squares().square(),
            &[input],
        );
    }
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
fn square_grad_matches_finite_differences() {
    check(
        "square at chosen points",
        |v| weighted(v[0].square()),
        &[Tensor::from_vec(vec![-3.0, -0.5, 0.0, 0.5, 3.0], [5])],
    );
    check("square", |v| weighted(v[0].square()), &[normal(&[3, 4], 5)]);
}

#[test]
fn sqrt_grad_matches_finite_differences() {
    check(
        "sqrt at chosen points",
        |v| weighted(v[0].sqrt()),
        &[Tensor::from_vec(vec![0.01, 0.25, 1.0, 4.0, 100.0], [5])],
    );
    check("sqrt", |v| weighted(v[0].sqrt()), &[positive(&[3, 4], 6)]);
}

#[test]
fn exp_grad_matches_finite_differences() {
    check(
        "exp at chosen points",
        |v| weighted(v[0].exp()),
        &[Tensor::from_vec(vec![-20.0, -1.0, 0.0, 1.0, 5.0], [5])],
    );
    check("exp", |v| weighted(v[0].exp()), &[normal(&[3, 4], 7)]);
}

#[test]
fn log_grad_matches_finite_differences() {
    check(
        "log at chosen points",
        |v| weighted(v[0].log()),
        &[Tensor::from_vec(vec![0.01, 0.5, 1.0, 2.0, 1e3], [5])],
    );
    check("log", |v| weighted(v[0].log()), &[positive(&[3, 4], 8)]);
}

#[test]
fn abs_grad_matches_finite_differences_away_from_zero() {
    check(
        "abs",
        |v| weighted(v[0].abs()),
        &[away_from_zero(&[3, 4], 9)],
    );
}

#[test]
fn abs_takes_the_subgradient_zero_at_zero() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![0.0, -2.0, 3.0, -0.0], [4]));
    let grads = x.abs().sum().backward();
    assert_eq!(grads[x].data(), &[0.0, -1.0, 1.0, 0.0]);
}

#[test]
fn tanh_grad_matches_finite_differences() {
    check(
        "tanh at chosen points",
        |v| weighted(v[0].tanh()),
        &[Tensor::from_vec(vec![-3.0, -0.5, 0.0, 0.5, 3.0], [5])],
    );
    check("tanh", |v| weighted(v[0].tanh()), &[normal(&[3, 4], 10)]);
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
fn relu_grad_matches_finite_differences_away_from_zero() {
    check(
        "relu",
        |v| weighted(v[0].relu()),
        &[away_from_zero(&[3, 4], 12)],
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
fn matmul_grad_matches_finite_differences() {
    // [40, 30]·[30, 20] is 24 000 multiply-adds, above the threshold for the blocked GEMM.
    let cases: &[(&[usize], &[usize])] = &[
        (&[1, 1], &[1, 1]),
        (&[3, 4], &[4, 2]),
        (&[40, 30], &[30, 20]),
        (&[4], &[4, 3]),
        (&[3, 4], &[4]),
        (&[4], &[4]),
    ];
    for (seed, &(a, b)) in cases.iter().enumerate() {
        let inputs = [normal(a, seed as u64), normal(b, 50 + seed as u64)];
        check(
            &format!("{a:?} · {b:?}"),
            |v| weighted(v[0].matmul(v[1])),
            &inputs,
        );
    }
}

#[test]
fn affine_grad_matches_finite_differences() {
    // [40, 30]·[30, 20] takes the blocked GEMM (which starts from the bias rows); the others the
    // plain loops, including the narrow dot kernel ([3, 12]·[12, 2]).
    let cases: &[(&[usize], &[usize], &[usize])] = &[
        (&[1, 1], &[1, 1], &[1]),
        (&[3, 4], &[4, 2], &[2]),
        (&[3, 12], &[12, 2], &[1, 2]),
        (&[5, 2], &[2, 6], &[1, 6]),
        (&[40, 30], &[30, 20], &[20]),
        (&[4], &[4, 3], &[3]),
    ];
    for (seed, &(x, w, b)) in cases.iter().enumerate() {
        let seed = seed as u64;
        let inputs = [normal(x, seed), normal(w, 50 + seed), normal(b, 90 + seed)];
        check(
            &format!("{x:?} · {w:?} + {b:?}"),
            |v| weighted(v[0].affine(v[1], v[2])),
            &inputs,
        );
    }
}

#[test]
fn dense_grad_matches_finite_differences() {
    // As for affine: the blocked GEMM applies the activation tile by tile ([40, 300]·[300, 20]
    // takes two blocks of the inner dimension); the others the plain loops. relu's kink makes
    // finite differences unreliable near z = 0, so it is held to `affine` then `relu` below.
    let cases: &[(&[usize], &[usize], &[usize])] = &[
        (&[3, 4], &[4, 2], &[2]),
        (&[3, 12], &[12, 2], &[1, 2]),
        (&[40, 300], &[300, 20], &[20]),
        (&[4], &[4, 3], &[3]),
    ];
    for activation in [Activation::Tanh, Activation::Sigmoid] {
        for (seed, &(x, w, b)) in cases.iter().enumerate() {
            let seed = seed as u64;
            let scale = 1.0 / (w[0] as f64).sqrt();
            let w_values = normal(w, 60 + seed).map(|v| v * scale);
            let inputs = [normal(x, 10 + seed), w_values, normal(b, 95 + seed)];
            check(
                &format!("{activation}({x:?} · {w:?} + {b:?})"),
                |v| weighted(v[0].dense(v[1], v[2], activation)),
                &inputs,
            );
        }
    }
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
fn transpose_grad_matches_finite_differences() {
    for dims in [&[][..], &[5], &[1, 4], &[3, 4]] {
        check(
            &format!("transpose {dims:?}"),
            |v| weighted(v[0].transpose()),
            &[normal(dims, 13)],
        );
    }
}

#[test]
fn reshape_grad_matches_finite_differences() {
    let cases: &[(&[usize], &[usize])] = &[
        (&[3, 4], &[2, 6]),
        (&[12], &[3, 4]),
        (&[2, 3, 4], &[6, 4]),
        (&[1], &[]),
        (&[], &[1, 1]),
    ];
    for &(from, to) in cases {
        let to = to.to_vec();
        check(
            &format!("reshape {from:?} to {to:?}"),
            |v| weighted(v[0].reshape(to.clone())),
            &[normal(from, 14)],
        );
    }
}

#[test]
fn broadcast_to_grad_matches_finite_differences() {
    let cases: &[(&[usize], &[usize])] = &[
        (&[4], &[3, 4]),
        (&[3, 1], &[3, 4]),
        (&[], &[2, 3]),
        (&[1, 4], &[2, 3, 4]),
        (&[3, 4], &[3, 4]),
    ];
    for &(from, to) in cases {
        let to = to.to_vec();
        check(
            &format!("broadcast {from:?} to {to:?}"),
            |v| weighted(v[0].broadcast_to(to.clone())),
            &[normal(from, 15)],
        );
    }
}

#[test]
fn sum_to_grad_matches_finite_differences() {
    let cases: &[(&[usize], &[usize])] = &[
        (&[3, 4], &[4]),
        (&[3, 4], &[3, 1]),
        (&[3, 4], &[1, 4]),
        (&[2, 3, 4], &[3, 1]),
        (&[3, 4], &[]),
        (&[3, 4], &[3, 4]),
    ];
    for &(from, to) in cases {
        let to = to.to_vec();
        check(
            &format!("sum {from:?} to {to:?}"),
            |v| weighted(v[0].sum_to(to.clone())),
            &[normal(from, 16)],
        );
    }
}

#[test]
fn sum_grad_matches_finite_differences() {
    // Squaring the sum gives the sum's rule an upstream gradient other than 1.
    for dims in [&[][..], &[5], &[3, 4], &[2, 3, 4]] {
        check(
            &format!("sum {dims:?}"),
            |v| v[0].sum().square(),
            &[normal(dims, 17)],
        );
    }
}

#[test]
fn mean_grad_matches_finite_differences() {
    for dims in [&[][..], &[5], &[3, 4], &[2, 3, 4]] {
        check(
            &format!("mean {dims:?}"),
            |v| v[0].mean().square(),
            &[normal(dims, 18)],
        );
    }
}

#[test]
fn sum_axis_grad_matches_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            for keepdim in [false, true] {
                check(
                    &format!("sum_axis {dims:?} axis {axis} keepdim {keepdim}"),
                    |v| weighted(v[0].sum_axis(axis, keepdim)),
                    &[normal(dims, 19)],
                );
            }
        }
    }
}

#[test]
fn mean_axis_grad_matches_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            for keepdim in [false, true] {
                check(
                    &format!("mean_axis {dims:?} axis {axis} keepdim {keepdim}"),
                    |v| weighted(v[0].mean_axis(axis, keepdim)),
                    &[normal(dims, 20)],
                );
            }
        }
    }
}

#[test]
fn max_axis_grad_matches_finite_differences_on_distinct_values() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            for keepdim in [false, true] {
                check(
                    &format!("max_axis {dims:?} axis {axis} keepdim {keepdim}"),
                    |v| weighted(v[0].max_axis(axis, keepdim)),
                    &[distinct(dims)],
                );
            }
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
fn logsumexp_grad_matches_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            for keepdim in [false, true] {
                check(
                    &format!("logsumexp {dims:?} axis {axis} keepdim {keepdim}"),
                    |v| weighted(v[0].logsumexp(axis, keepdim)),
                    &[normal(dims, 21)],
                );
            }
        }
    }
}

#[test]
fn softmax_grad_matches_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            check(
                &format!("softmax {dims:?} axis {axis}"),
                |v| weighted(v[0].softmax(axis)),
                &[normal(dims, 22)],
            );
        }
    }
}

#[test]
fn log_softmax_grad_matches_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            check(
                &format!("log_softmax {dims:?} axis {axis}"),
                |v| weighted(v[0].log_softmax(axis)),
                &[normal(dims, 23)],
            );
        }
    }
}

#[test]
fn pick_grad_matches_finite_differences() {
    check(
        "pick [4, 3]",
        |v| weighted(v[0].pick(&[0, 2, 1, 2])),
        &[normal(&[4, 3], 24)],
    );
    check(
        "pick [1, 1]",
        |v| weighted(v[0].pick(&[0])),
        &[normal(&[1, 1], 25)],
    );
}

#[test]
fn softmax_cross_entropy_grad_matches_finite_differences() {
    check(
        "softmax_cross_entropy [4, 3]",
        |v| weighted(v[0].softmax_cross_entropy(&[0, 2, 1, 2])),
        &[normal(&[4, 3], 26)],
    );
    check(
        "softmax_cross_entropy [5, 2]",
        |v| v[0].softmax_cross_entropy(&[1, 0, 0, 1, 1]).sum(),
        &[normal(&[5, 2], 27)],
    );
}

#[test]
fn scatter_grad_matches_finite_differences() {
    check(
        "scatter [4] into 3 columns",
        |v| weighted(v[0].scatter(&[0, 2, 1, 2], 3)),
        &[normal(&[4], 26)],
    );
}

#[test]
fn concat_grad_matches_finite_differences() {
    check(
        "concat [2, 3] and [4, 3] on axis 0",
        |v| weighted(Var::concat(&[v[0], v[1]], 0)),
        &[normal(&[2, 3], 27), normal(&[4, 3], 28)],
    );
    check(
        "concat [2, 3], [2, 1] and [2, 2] on axis 1",
        |v| weighted(Var::concat(&[v[0], v[1], v[2]], 1)),
        &[
            normal(&[2, 3], 29),
            normal(&[2, 1], 30),
            normal(&[2, 2], 31),
        ],
    );
    check(
        "concat [3] and [2]",
        |v| weighted(Var::concat(&[v[0], v[1]], 0)),
        &[normal(&[3], 32), normal(&[2], 33)],
    );
    check(
        "concat a var with itself",
        |v| weighted(Var::concat(&[v[0], v[0]], 1)),
        &[normal(&[2, 3], 34)],
    );
}

#[test]
fn stack_grad_matches_finite_differences() {
    for axis in 0..3 {
        check(
            &format!("stack three [2, 3] on axis {axis}"),
            |v| weighted(Var::stack(&[v[0], v[1], v[2]], axis)),
            &[
                normal(&[2, 3], 35),
                normal(&[2, 3], 36),
                normal(&[2, 3], 37),
            ],
        );
    }
    check(
        "stack two rank-0 vars",
        |v| weighted(Var::stack(&[v[0], v[1]], 0)),
        &[Tensor::scalar(0.3), Tensor::scalar(-1.0)],
    );
}

#[test]
fn slice_grad_matches_finite_differences() {
    let cases = [(0, 1, 3), (0, 0, 5), (1, 0, 2), (1, 2, 2), (1, 3, 1)];
    for (axis, start, len) in cases {
        check(
            &format!("slice [5, 4] axis {axis} from {start} length {len}"),
            |v| weighted(v[0].slice(axis, start, len)),
            &[normal(&[5, 4], 38)],
        );
    }
}

#[test]
fn custom_op_grad_matches_finite_differences() {
    check(
        "custom sine",
        |v| weighted(sine(v[0])),
        &[normal(&[3, 4], 39)],
    );
}
