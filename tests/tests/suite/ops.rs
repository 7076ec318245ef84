//! One property per op: on random shapes and values, the tape's gradient equals central finite
//! differences (through the public `gradcheck`).
//!
//! Every output is reduced by a weighted sum with fixed random weights (`probe::weighted_sum`),
//! so each output element carries its own upstream gradient. Unless a property says otherwise the
//! tolerances are gradcheck's defaults: step 1e-6, and `|backward − numeric| ≤ 1e-6 + 1e-5·|numeric|`.
//! Central differences are accurate to about `h²·|f‴|/6 + ε·|f|/h`, which for the values drawn here
//! (magnitudes below 3, at least 0.1 from any kink or pole) stays below 1e-7.

use autograd::{Activation, GradcheckOptions, Var};
use proptest::collection::vec;
use proptest::prelude::*;
use tests::check::{gradients_match, tolerances};
use tests::config::config;
use tests::custom::Softplus;
use tests::operands::{
    affine_operands, any_tensor, broadcasting_operands, concat_parts, logits, matrix_and_indices,
    reshape_target, tensor_axis_keepdim,
};
use tests::probe::weighted_sum;
use tests::shapes::{broadcast_pair, broadcast_target, matmul_pair, shape, shape_with_axis, size};
use tests::values::{away_from_zero, distinct, moderate, positive};

fn defaults() -> GradcheckOptions {
    GradcheckOptions::default()
}

proptest! {
    #![proptest_config(config("ops", 256))]

    #[test]
    fn add_grad_matches_finite_differences((a, b) in broadcasting_operands(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0] + v[1], seed), &[a, b], &defaults())?;
    }

    #[test]
    fn sub_grad_matches_finite_differences((a, b) in broadcasting_operands(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0] - v[1], seed), &[a, b], &defaults())?;
    }

    #[test]
    fn mul_grad_matches_finite_differences((a, b) in broadcasting_operands(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0] * v[1], seed), &[a, b], &defaults())?;
    }

    #[test]
    fn div_grad_matches_finite_differences(
        (a, b) in broadcast_pair().prop_flat_map(|(a, b)| (moderate(a), away_from_zero(b))),
        seed in any::<u64>(),
    ) {
        // Divisors are at least 0.1 from zero, where |d³(1/b)/db³| = 6/b⁴ ≤ 6e4 keeps the
        // truncation error h²·6e4/6 ≈ 1e-8 under the tolerance.
        gradients_match(|v| weighted_sum(v[0] / v[1], seed), &[a, b], &defaults())?;
    }

    #[test]
    fn neg_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(-v[0], seed), &[x], &defaults())?;
    }

    #[test]
    fn adding_a_number_has_grad_matching_finite_differences(
        x in any_tensor(),
        term in -2.0..2.0f64,
        seed in any::<u64>(),
    ) {
        gradients_match(
            |v| weighted_sum(v[0] + term, seed) + weighted_sum(term + v[0], seed ^ 1),
            &[x],
            &defaults(),
        )?;
    }

    #[test]
    fn multiplying_by_a_number_has_grad_matching_finite_differences(
        x in any_tensor(),
        factor in -2.0..2.0f64,
        seed in any::<u64>(),
    ) {
        gradients_match(
            |v| weighted_sum(v[0] * factor, seed) + weighted_sum(factor * v[0], seed ^ 1),
            &[x],
            &defaults(),
        )?;
    }

    #[test]
    fn dividing_and_subtracting_with_numbers_has_grad_matching_finite_differences(
        x in shape().prop_flat_map(away_from_zero),
        number in -2.0..2.0f64,
        divisor in prop_oneof![-2.0..-0.1f64, 0.1..2.0f64],
        seed in any::<u64>(),
    ) {
        gradients_match(
            |v| {
                weighted_sum(v[0] / divisor, seed)
                    + weighted_sum(number - v[0], seed ^ 1)
                    + weighted_sum(number / v[0], seed ^ 2)
            },
            &[x],
            &defaults(),
        )?;
    }

    #[test]
    fn powf_grad_matches_finite_differences(
        x in shape().prop_flat_map(positive),
        exponent in -2.0..3.0f64,
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].powf(exponent), seed), &[x], &defaults())?;
    }

    #[test]
    fn sum_squares_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        // Through a weighted square, so that the upstream gradient varies with the input.
        gradients_match(
            |v| weighted_sum(v[0].sum_squares().square(), seed),
            &[x],
            &defaults(),
        )?;
    }

    #[test]
    fn square_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0].square(), seed), &[x], &defaults())?;
    }

    #[test]
    fn sqrt_grad_matches_finite_differences(
        x in shape().prop_flat_map(positive),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].sqrt(), seed), &[x], &defaults())?;
    }

    #[test]
    fn exp_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0].exp(), seed), &[x], &defaults())?;
    }

    #[test]
    fn log_grad_matches_finite_differences(
        x in shape().prop_flat_map(positive),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].log(), seed), &[x], &defaults())?;
    }

    #[test]
    fn abs_grad_matches_finite_differences(
        x in shape().prop_flat_map(away_from_zero),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].abs(), seed), &[x], &defaults())?;
    }

    #[test]
    fn tanh_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0].tanh(), seed), &[x], &defaults())?;
    }

    #[test]
    fn sigmoid_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0].sigmoid(), seed), &[x], &defaults())?;
    }

    #[test]
    fn relu_grad_matches_finite_differences(
        x in shape().prop_flat_map(away_from_zero),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].relu(), seed), &[x], &defaults())?;
    }

    #[test]
    fn matmul_grad_matches_finite_differences(
        (a, b) in matmul_pair().prop_flat_map(|(a, b)| (moderate(a), moderate(b))),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].matmul(v[1]), seed), &[a, b], &defaults())?;
    }

    #[test]
    fn dense_grad_matches_finite_differences(
        (x, w, b) in affine_operands(),
        sigmoid in any::<bool>(),
        seed in any::<u64>(),
    ) {
        // relu's kink is left to the bit-for-bit comparison with `affine` then `relu`.
        let activation = if sigmoid { Activation::Sigmoid } else { Activation::Tanh };
        gradients_match(
            |v| weighted_sum(v[0].dense(v[1], v[2], activation), seed),
            &[x, w, b],
            &defaults(),
        )?;
    }

    #[test]
    fn affine_grad_matches_finite_differences(
        (x, w, b) in affine_operands(),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].affine(v[1], v[2]), seed), &[x, w, b], &defaults())?;
    }

    #[test]
    fn transpose_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        gradients_match(|v| weighted_sum(v[0].transpose(), seed), &[x], &defaults())?;
    }

    #[test]
    fn reshape_grad_matches_finite_differences(
        x in any_tensor(),
        choice in any::<usize>(),
        seed in any::<u64>(),
    ) {
        let target = reshape_target(x.dims(), choice);
        gradients_match(
            |v| weighted_sum(v[0].reshape(target.as_slice()), seed),
            std::slice::from_ref(&x),
            &defaults(),
        )?;
    }

    #[test]
    fn broadcast_to_grad_matches_finite_differences(
        (x, to) in broadcast_target().prop_flat_map(|(from, to)| (moderate(from), Just(to))),
        seed in any::<u64>(),
    ) {
        gradients_match(
            |v| weighted_sum(v[0].broadcast_to(to.as_slice()), seed),
            &[x],
            &defaults(),
        )?;
    }

    #[test]
    fn sum_to_grad_matches_finite_differences(
        (x, to) in broadcast_target().prop_flat_map(|(from, to)| (moderate(to), Just(from))),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].sum_to(to.as_slice()), seed), &[x], &defaults())?;
    }

    #[test]
    fn sum_grad_matches_finite_differences(x in any_tensor(), factor in -2.0..2.0f64) {
        // The sum is already a scalar; a factor makes its upstream gradient other than 1.
        gradients_match(|v| v[0].sum() * factor, &[x], &defaults())?;
    }

    #[test]
    fn mean_grad_matches_finite_differences(x in any_tensor(), factor in -2.0..2.0f64) {
        gradients_match(|v| v[0].mean() * factor, &[x], &defaults())?;
    }

    #[test]
    fn sum_axis_grad_matches_finite_differences(
        (x, axis, keepdim) in tensor_axis_keepdim(moderate),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].sum_axis(axis, keepdim), seed), &[x], &defaults())?;
    }

    #[test]
    fn mean_axis_grad_matches_finite_differences(
        (x, axis, keepdim) in tensor_axis_keepdim(moderate),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].mean_axis(axis, keepdim), seed), &[x], &defaults())?;
    }

    #[test]
    fn max_axis_grad_matches_finite_differences(
        (x, axis, keepdim) in tensor_axis_keepdim(distinct),
        seed in any::<u64>(),
    ) {
        // Distinct values (gaps above 0.02) keep every lane's maximum unique under the step.
        gradients_match(|v| weighted_sum(v[0].max_axis(axis, keepdim), seed), &[x], &defaults())?;
    }

    #[test]
    fn logsumexp_grad_matches_finite_differences(
        (x, axis, keepdim) in tensor_axis_keepdim(logits),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].logsumexp(axis, keepdim), seed), &[x], &defaults())?;
    }

    #[test]
    fn softmax_grad_matches_finite_differences(
        (x, axis, _) in tensor_axis_keepdim(logits),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].softmax(axis), seed), &[x], &defaults())?;
    }

    #[test]
    fn log_softmax_grad_matches_finite_differences(
        (x, axis, _) in tensor_axis_keepdim(logits),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].log_softmax(axis), seed), &[x], &defaults())?;
    }

    #[test]
    fn pick_grad_matches_finite_differences(
        (x, indices) in matrix_and_indices(),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].pick(&indices), seed), std::slice::from_ref(&x), &defaults())?;
    }

    #[test]
    fn softmax_cross_entropy_grad_matches_finite_differences(
        (x, labels) in matrix_and_indices(),
        seed in any::<u64>(),
    ) {
        gradients_match(
            |v| weighted_sum(v[0].softmax_cross_entropy(&labels), seed),
            std::slice::from_ref(&x),
            &defaults(),
        )?;
    }

    #[test]
    fn scatter_grad_matches_finite_differences(
        (x, indices, columns) in (size(), size()).prop_flat_map(|(rows, columns)| {
            (moderate(vec![rows]), vec(0..columns, rows), Just(columns))
        }),
        seed in any::<u64>(),
    ) {
        gradients_match(
            |v| weighted_sum(v[0].scatter(&indices, columns), seed),
            std::slice::from_ref(&x),
            &defaults(),
        )?;
    }

    #[test]
    fn concat_grad_matches_finite_differences(
        (parts, axis) in concat_parts(),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(Var::concat(v, axis), seed), &parts, &defaults())?;
    }

    #[test]
    fn stack_grad_matches_finite_differences(
        (parts, axis) in (shape(), 2..=3usize).prop_flat_map(|(dims, count)| {
            let rank = dims.len();
            (vec(moderate(dims), count), 0..=rank)
        }),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(Var::stack(v, axis), seed), &parts, &defaults())?;
    }

    #[test]
    fn slice_grad_matches_finite_differences(
        (x, axis, start, len) in shape_with_axis().prop_flat_map(|dims| {
            let rank = dims.len();
            (Just(dims), 0..rank)
        }).prop_flat_map(|(dims, axis)| {
            let length = dims[axis];
            (Just(dims), Just(axis), 0..length)
        }).prop_flat_map(|(dims, axis, start)| {
            let room = dims[axis] - start;
            (moderate(dims), Just(axis), Just(start), 1..=room)
        }),
        seed in any::<u64>(),
    ) {
        gradients_match(|v| weighted_sum(v[0].slice(axis, start, len), seed), &[x], &defaults())?;
    }

    #[test]
    fn custom_op_grad_matches_finite_differences(x in any_tensor(), seed in any::<u64>()) {
        gradients_match(
            |v| weighted_sum(Softplus::exact().apply(v[0]), seed),
            &[x],
            &tolerances(1e-6, 1e-5),
        )?;
    }
}
