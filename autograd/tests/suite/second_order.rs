//! Gradients of gradients beyond the table of cases (`cases.rs`): compositions, custom ops,
//! Hessians by hand, third derivatives.

use crate::common;

use autograd::higher::{grad, hessian, hessian_vector_product};
use autograd::{Tape, Tensor, Var};
use common::{away_from_zero, check_second_order, max_difference, normal, sine, weighted};

/// `Σ w ⊙ y²`: a curved function of a linear op's output, so that its Hessian is not zero and
/// the op's recorded rule is differentiated on the way.
fn curved(y: Var<'_>) -> Var<'_> {
    weighted(y.square())
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
