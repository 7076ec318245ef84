//! Gradients of gradients: every op's recorded backward differentiated again, and Hessians by hand.

use crate::common;

use autograd::higher::{grad, hessian, hessian_vector_product};
use autograd::{Activation, Tape, Tensor, Var};
use common::{
    away_from_zero, check_second_order, distinct, max_difference, normal, positive, sine, weighted,
};

/// Shape pairs for binary ops: equal shapes, broadcasting either way, rank 0 with a matrix.
const BROADCAST_PAIRS: &[(&[usize], &[usize])] = &[
    (&[3, 4], &[3, 4]),
    (&[3, 4], &[4]),
    (&[3, 1], &[1, 4]),
    (&[], &[3, 4]),
    (&[], &[]),
];

/// Ranks 1 to 3, for the reductions and the axis-wise ops.
const AXIS_SHAPES: &[&[usize]] = &[&[5], &[3, 4], &[2, 3, 2]];

/// `Σ w ⊙ y²`: a curved function of a linear op's output, so that its Hessian is not zero and
/// the op's recorded rule is differentiated on the way.
fn curved(y: Var<'_>) -> Var<'_> {
    weighted(y.square())
}

#[test]
fn add_second_derivatives_match_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        check_second_order(
            &format!("{a:?} + {b:?}"),
            |v| curved(v[0] + v[1]),
            &[normal(a, seed as u64), normal(b, 100 + seed as u64)],
        );
    }
}

#[test]
fn sub_second_derivatives_match_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        check_second_order(
            &format!("{a:?} - {b:?}"),
            |v| curved(v[0] - v[1]),
            &[normal(a, seed as u64), normal(b, 100 + seed as u64)],
        );
    }
}

#[test]
fn mul_second_derivatives_match_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        check_second_order(
            &format!("{a:?} * {b:?}"),
            |v| weighted(v[0] * v[1]),
            &[normal(a, seed as u64), normal(b, 100 + seed as u64)],
        );
    }
}

#[test]
fn div_second_derivatives_match_finite_differences() {
    for (seed, &(a, b)) in BROADCAST_PAIRS.iter().enumerate() {
        check_second_order(
            &format!("{a:?} / {b:?}"),
            |v| weighted(v[0] / v[1]),
            &[normal(a, seed as u64), away_from_zero(b, 100 + seed as u64)],
        );
    }
}

#[test]
fn neg_second_derivatives_match_finite_differences() {
    check_second_order("-x", |v| curved(-v[0]), &[normal(&[3, 4], 1)]);
}

#[test]
fn scalar_arithmetic_second_derivatives_match_finite_differences() {
    let x = [away_from_zero(&[3, 4], 2)];
    check_second_order("x + c", |v| curved(v[0] + 1.5), &x);
    check_second_order("c - x", |v| curved(1.5 - v[0]), &x);
    check_second_order("c * x", |v| curved(-2.5 * v[0]), &x);
    check_second_order("x / c", |v| curved(v[0] / 3.0), &x);
    check_second_order("c / x", |v| weighted(3.0 / v[0]), &x);
}

#[test]
fn powf_second_derivatives_match_finite_differences() {
    let x = [positive(&[3, 4], 3)];
    for exponent in [0.0, 1.0, 2.0, 3.0, 0.5, 1.5, -1.0, -2.5] {
        check_second_order(
            &format!("x^{exponent}"),
            |v| weighted(v[0].powf(exponent)),
            &x,
        );
    }
}

#[test]
fn sum_squares_second_derivatives_match_finite_differences() {
    check_second_order(
        "Σx²",
        |v| v[0].sum_squares().square(),
        &[normal(&[3, 4], 42)],
    );
}

#[test]
fn square_second_derivatives_match_finite_differences() {
    check_second_order("x²", |v| weighted(v[0].square()), &[normal(&[3, 4], 4)]);
}

#[test]
fn sqrt_second_derivatives_match_finite_differences() {
    check_second_order("√x", |v| weighted(v[0].sqrt()), &[positive(&[3, 4], 5)]);
}

#[test]
fn exp_second_derivatives_match_finite_differences() {
    check_second_order("exp", |v| weighted(v[0].exp()), &[normal(&[3, 4], 6)]);
}

#[test]
fn log_second_derivatives_match_finite_differences() {
    check_second_order("log", |v| weighted(v[0].log()), &[positive(&[3, 4], 7)]);
}

#[test]
fn abs_second_derivatives_match_finite_differences_away_from_zero() {
    check_second_order("|x|", |v| curved(v[0].abs()), &[away_from_zero(&[3, 4], 8)]);
}

#[test]
fn tanh_second_derivatives_match_finite_differences() {
    check_second_order("tanh", |v| weighted(v[0].tanh()), &[normal(&[3, 4], 9)]);
}

#[test]
fn sigmoid_second_derivatives_match_finite_differences() {
    check_second_order(
        "sigmoid",
        |v| weighted(v[0].sigmoid()),
        &[normal(&[3, 4], 10)],
    );
}

#[test]
fn relu_second_derivatives_match_finite_differences_away_from_zero() {
    check_second_order(
        "relu",
        |v| curved(v[0].relu()),
        &[away_from_zero(&[3, 4], 11)],
    );
}

#[test]
fn matmul_second_derivatives_match_finite_differences() {
    let cases: &[(&[usize], &[usize])] = &[
        (&[1, 1], &[1, 1]),
        (&[3, 4], &[4, 2]),
        (&[40, 30], &[30, 20]),
        (&[4], &[4, 3]),
        (&[3, 4], &[4]),
        (&[4], &[4]),
    ];
    for (seed, &(a, b)) in cases.iter().enumerate() {
        check_second_order(
            &format!("{a:?} · {b:?}"),
            |v| weighted(v[0].matmul(v[1])),
            &[normal(a, seed as u64), normal(b, 50 + seed as u64)],
        );
    }
}

/// Input, weight and bias shapes of a layer: a batch, a batch with a `[1, n]` bias, one example.
const LAYER_CASES: [(&[usize], &[usize], &[usize]); 3] = [
    (&[3, 4], &[4, 2], &[2]),
    (&[40, 30], &[30, 20], &[1, 20]),
    (&[4], &[4, 3], &[3]),
];

#[test]
fn affine_second_derivatives_match_finite_differences() {
    for (seed, &(x, w, b)) in LAYER_CASES.iter().enumerate() {
        let seed = seed as u64;
        check_second_order(
            &format!("{x:?} · {w:?} + {b:?}"),
            // Curved, so that the bias's recorded rule is differentiated too.
            |v| curved(v[0].affine(v[1], v[2])),
            &[normal(x, seed), normal(w, 50 + seed), normal(b, 90 + seed)],
        );
    }
}

#[test]
fn dense_second_derivatives_match_finite_differences() {
    for activation in [Activation::Tanh, Activation::Sigmoid] {
        for (seed, &(x, w, b)) in LAYER_CASES.iter().enumerate() {
            let seed = seed as u64;
            let scale = 1.0 / (w[0] as f64).sqrt();
            check_second_order(
                &format!("{activation}({x:?} · {w:?} + {b:?})"),
                |v| weighted(v[0].dense(v[1], v[2], activation)),
                &[
                    normal(x, seed),
                    normal(w, 50 + seed).map(|v| v * scale),
                    normal(b, 90 + seed),
                ],
            );
        }
    }
}

#[test]
fn transpose_second_derivatives_match_finite_differences() {
    check_second_order(
        "transpose",
        |v| curved(v[0].transpose()),
        &[normal(&[3, 4], 12)],
    );
}

#[test]
fn reshape_second_derivatives_match_finite_differences() {
    check_second_order(
        "reshape",
        |v| curved(v[0].reshape([2, 6])),
        &[normal(&[3, 4], 13)],
    );
}

#[test]
fn broadcast_to_second_derivatives_match_finite_differences() {
    check_second_order(
        "broadcast [3, 1] to [3, 4]",
        |v| curved(v[0].broadcast_to([3, 4])),
        &[normal(&[3, 1], 14)],
    );
    check_second_order(
        "broadcast [] to [2, 3]",
        |v| curved(v[0].broadcast_to([2, 3])),
        &[normal(&[], 15)],
    );
}

#[test]
fn sum_to_second_derivatives_match_finite_differences() {
    check_second_order(
        "sum [3, 4] to [4]",
        |v| curved(v[0].sum_to([4])),
        &[normal(&[3, 4], 16)],
    );
    check_second_order(
        "sum [2, 3, 4] to [3, 1]",
        |v| curved(v[0].sum_to([3, 1])),
        &[normal(&[2, 3, 4], 17)],
    );
}

#[test]
fn sum_and_mean_second_derivatives_match_finite_differences() {
    check_second_order("sum", |v| v[0].sum().square(), &[normal(&[3, 4], 18)]);
    check_second_order("mean", |v| v[0].mean().square(), &[normal(&[3, 4], 19)]);
}

#[test]
fn sum_axis_second_derivatives_match_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            for keepdim in [false, true] {
                check_second_order(
                    &format!("sum_axis {dims:?} axis {axis} keepdim {keepdim}"),
                    |v| curved(v[0].sum_axis(axis, keepdim)),
                    &[normal(dims, 20)],
                );
            }
        }
    }
}

#[test]
fn mean_axis_second_derivatives_match_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            check_second_order(
                &format!("mean_axis {dims:?} axis {axis}"),
                |v| curved(v[0].mean_axis(axis, false)),
                &[normal(dims, 21)],
            );
        }
    }
}

#[test]
fn max_axis_second_derivatives_match_finite_differences_on_distinct_values() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            for keepdim in [false, true] {
                check_second_order(
                    &format!("max_axis {dims:?} axis {axis} keepdim {keepdim}"),
                    |v| curved(v[0].max_axis(axis, keepdim)),
                    &[distinct(dims)],
                );
            }
        }
    }
}

#[test]
fn logsumexp_second_derivatives_match_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            for keepdim in [false, true] {
                check_second_order(
                    &format!("logsumexp {dims:?} axis {axis} keepdim {keepdim}"),
                    |v| weighted(v[0].logsumexp(axis, keepdim)),
                    &[normal(dims, 22)],
                );
            }
        }
    }
}

#[test]
fn softmax_second_derivatives_match_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            check_second_order(
                &format!("softmax {dims:?} axis {axis}"),
                |v| weighted(v[0].softmax(axis)),
                &[normal(dims, 23)],
            );
        }
    }
}

#[test]
fn log_softmax_second_derivatives_match_finite_differences() {
    for &dims in AXIS_SHAPES {
        for axis in 0..dims.len() {
            check_second_order(
                &format!("log_softmax {dims:?} axis {axis}"),
                |v| weighted(v[0].log_softmax(axis)),
                &[normal(dims, 24)],
            );
        }
    }
}

#[test]
fn pick_second_derivatives_match_finite_differences() {
    check_second_order(
        "pick",
        |v| curved(v[0].pick(&[0, 2, 1, 2])),
        &[normal(&[4, 3], 25)],
    );
}

#[test]
fn softmax_cross_entropy_second_derivatives_match_finite_differences() {
    check_second_order(
        "softmax_cross_entropy",
        |v| curved(v[0].softmax_cross_entropy(&[0, 2, 1, 2])),
        &[normal(&[4, 3], 26)],
    );
}

#[test]
fn scatter_second_derivatives_match_finite_differences() {
    check_second_order(
        "scatter",
        |v| curved(v[0].scatter(&[0, 2, 1, 2], 3)),
        &[normal(&[4], 26)],
    );
}

#[test]
fn concat_second_derivatives_match_finite_differences() {
    check_second_order(
        "concat on axis 1",
        |v| curved(Var::concat(&[v[0], v[1]], 1)),
        &[normal(&[2, 3], 27), normal(&[2, 1], 28)],
    );
    check_second_order(
        "concat on axis 0",
        |v| curved(Var::concat(&[v[0], v[1]], 0)),
        &[normal(&[2, 3], 29), normal(&[4, 3], 30)],
    );
}

#[test]
fn stack_second_derivatives_match_finite_differences() {
    for axis in 0..3 {
        check_second_order(
            &format!("stack on axis {axis}"),
            |v| curved(Var::stack(&[v[0], v[1]], axis)),
            &[normal(&[2, 3], 31), normal(&[2, 3], 32)],
        );
    }
}

#[test]
fn slice_second_derivatives_match_finite_differences() {
    for (axis, start, len) in [(0, 1, 3), (1, 0, 2), (1, 2, 2), (0, 0, 5)] {
        check_second_order(
            &format!("slice axis {axis} from {start} length {len}"),
            |v| curved(v[0].slice(axis, start, len)),
            &[normal(&[5, 4], 33)],
        );
    }
}

#[test]
fn custom_op_second_derivatives_match_finite_differences() {
    check_second_order(
        "custom sine",
        |v| weighted(sine(v[0])),
        &[normal(&[3, 4], 34)],
    );
}

#[test]
fn a_small_network_loss_has_correct_second_derivatives() {
    let labels = [0, 2, 1, 1, 0];
    check_second_order(
        "cross-entropy of a tanh layer",
        |v| {
            let x = v[0].tape().constant(normal(&[5, 2], 35));
            let hidden = (x.matmul(v[0]) + v[1]).tanh();
            -hidden.matmul(v[2]).log_softmax(1).pick(&labels).mean()
        },
        &[normal(&[2, 4], 36), normal(&[4], 37), normal(&[4, 3], 38)],
    );
}

#[test]
fn the_hessian_of_a_sum_of_cubes_is_diagonal_six_x() {
    // f = Σ xᵢ³: ∂f/∂xᵢ = 3xᵢ², ∂²f/∂xᵢ∂xⱼ = 6xᵢ·[i = j].
    let values = [0.5, -1.25, 2.0, 0.0];
    let x = Tensor::from_vec(values.to_vec(), [4]);
    let mut expected = Tensor::zeros([4, 4]);
    for (i, v) in values.iter().enumerate() {
        expected.data_mut()[i * 4 + i] = 6.0 * v;
    }
    let by_powf = hessian(|x| x.powf(3.0).sum(), &x);
    assert!(max_difference(&by_powf, &expected) < 1e-12, "{by_powf}");
    let by_products = hessian(|x| (x * x * x).sum(), &x);
    assert!(
        max_difference(&by_products, &expected) < 1e-12,
        "{by_products}"
    );
}

#[test]
fn the_hessian_of_a_matrix_input_is_taken_over_its_flattened_elements() {
    // f = Σ Xᵢⱼ³ over X = [[1, 2], [3, 4]]: H = diag(6·[1, 2, 3, 4]) in row-major order.
    let x = Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
    let h = hessian(|x| x.powf(3.0).sum(), &x);
    let mut expected = Tensor::zeros([4, 4]);
    for i in 0..4 {
        expected.data_mut()[i * 4 + i] = 6.0 * (i + 1) as f64;
    }
    assert!(max_difference(&h, &expected) < 1e-12, "{h}");
}

#[test]
fn the_hessian_of_a_quadratic_form_is_a_plus_a_transposed() {
    // f = xᵀAx = Σᵢⱼ xᵢ Aᵢⱼ xⱼ: ∂f/∂xₖ = Σⱼ Aₖⱼxⱼ + Σᵢ xᵢAᵢₖ, so ∂²f/∂xₖ∂xₗ = Aₖₗ + Aₗₖ.
    let a = Tensor::from_rows(&[[1.0, 2.0, -0.5], [0.0, 3.0, 4.0], [1.5, -2.0, 0.25]]);
    let x = Tensor::from_vec(vec![0.3, -1.1, 2.0], [3]);
    let h = hessian(|x| x.matmul(x.tape().constant(a.clone()).matmul(x)), &x);
    let expected = a.zip_map(&a.transpose(), |p, q| p + q);
    assert!(max_difference(&h, &expected) < 1e-12, "{h}");
}

#[test]
fn hessian_vector_products_match_the_hand_derived_hessian() {
    // f(a, b) = Σ aᵢ² bᵢ: ∂²f/∂aᵢ² = 2bᵢ, ∂²f/∂aᵢ∂bᵢ = 2aᵢ, ∂²f/∂bᵢ² = 0, so for the direction
    // (u, w): (H·(u, w))ₐ = 2b ⊙ u + 2a ⊙ w and (H·(u, w))_b = 2a ⊙ u.
    let a_values = normal(&[2, 3], 40);
    let b_values = normal(&[2, 3], 41);
    let u = normal(&[2, 3], 42);
    let w = normal(&[2, 3], 43);
    let tape = Tape::new();
    let a = tape.var(a_values.clone());
    let b = tape.var(b_values.clone());
    let f = (a.square() * b).sum();
    let products = hessian_vector_product(f, &[a, b], &[u.clone(), w.clone()]);
    let mut expected_a = b_values.zip_map(&u, |b, u| 2.0 * b * u);
    expected_a.add_assign(&a_values.zip_map(&w, |a, w| 2.0 * a * w));
    let expected_b = a_values.zip_map(&u, |a, u| 2.0 * a * u);
    assert!(max_difference(&products[0], &expected_a) < 1e-12);
    assert!(max_difference(&products[1], &expected_b) < 1e-12);
}

#[test]
fn hessian_vector_product_of_a_sum_of_cubes_is_six_x_times_v() {
    let x_values = Tensor::from_vec(vec![0.5, -1.25, 2.0], [3]);
    let v = Tensor::from_vec(vec![1.0, 2.0, -3.0], [3]);
    let tape = Tape::new();
    let x = tape.var(x_values);
    let products = hessian_vector_product(x.powf(3.0).sum(), &[x], &[v]);
    let expected = Tensor::from_vec(vec![3.0, -15.0, -36.0], [3]);
    assert!(max_difference(&products[0], &expected) < 1e-12);
}

#[test]
fn gradients_can_be_differentiated_three_times() {
    // f = Σ x⁴: f' = 4x³, f'' = 12x², f''' = 24x.
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![0.5, -2.0], [2]));
    let first = grad(x.powf(4.0).sum(), &[x])[0];
    let second = grad(first.sum(), &[x])[0];
    let third = grad(second.sum(), &[x])[0];
    let close = |v: Var<'_>, expected: [f64; 2]| {
        max_difference(&v.value(), &Tensor::from_vec(expected.to_vec(), [2])) < 1e-12
    };
    assert!(close(first, [0.5, -32.0]), "{first:?}");
    assert!(close(second, [3.0, 48.0]), "{second:?}");
    assert!(close(third, [12.0, -48.0]), "{third:?}");
}

#[test]
fn grad_of_an_unused_input_is_zero() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![1.0, 2.0], [2]));
    let unused = tape.var(Tensor::from_vec(vec![3.0], [1]));
    let grads = grad(x.square().sum(), &[x, unused]);
    assert_eq!(grads[0].value().data(), &[2.0, 4.0]);
    assert_eq!(grads[1].value().data(), &[0.0]);
}
