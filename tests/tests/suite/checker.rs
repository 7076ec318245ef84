//! The gradient checker itself: a deliberately wrong gradient is reported, so that no property
//! built on it can pass vacuously.

use autograd::gradcheck::CheckedAt;
use autograd::{GradcheckOptions, Tensor, gradcheck};
use proptest::prelude::*;
use tests::config::config;
use tests::custom::Softplus;
use tests::probe::weighted_sum;
use tests::shapes::shape;
use tests::values::moderate;

/// The multi-index of flat position `flat` in a row-major array of dimensions `dims`.
fn unflatten(mut flat: usize, dims: &[usize]) -> Vec<usize> {
    let mut index = vec![0; dims.len()];
    for axis in (0..dims.len()).rev() {
        index[axis] = flat % dims[axis];
        flat /= dims[axis];
    }
    index
}

/// An error of magnitude in `[low, high)` and either sign.
fn signed(low: f64, high: f64) -> impl Strategy<Value = f64> {
    (low..high, any::<bool>()).prop_map(|(size, negative)| if negative { -size } else { size })
}

proptest! {
    #![proptest_config(config("checker", 256))]

    #[test]
    fn a_planted_gradient_error_is_reported_at_its_element(
        x in shape().prop_flat_map(moderate),
        position in any::<usize>(),
        error in signed(1e-3, 1.0),
        seed in any::<u64>(),
    ) {
        let options = GradcheckOptions::default();
        let exact = gradcheck(|v| weighted_sum(Softplus::exact().apply(v[0]), seed), std::slice::from_ref(&x), &options);
        prop_assert!(exact.passed, "the exact op fails: {exact}");

        let wrong = Softplus::with_error(position, error);
        let report = gradcheck(|v| weighted_sum(wrong.apply(v[0]), seed), std::slice::from_ref(&x), &options);
        prop_assert!(!report.passed, "a gradient off by {error} passed: {report}");
        prop_assert_eq!(report.failures, 1, "{}", report);
        let expected = CheckedAt::Element { input: 0, index: unflatten(position % x.len(), x.dims()) };
        prop_assert_eq!(report.worst.map(|worst| worst.at), Some(expected));
    }

    #[test]
    fn a_planted_gradient_error_is_found_along_random_directions(
        x in shape().prop_flat_map(moderate),
        position in any::<usize>(),
        error in signed(0.1, 1.0),
        seed in any::<u64>(),
    ) {
        // Eight standard-normal directions all giving the planted element a weight below 1e-4
        // has probability about (1e-4)⁸: a miss here is a checker bug, not bad luck.
        let options = GradcheckOptions::directions(8, seed);
        let wrong = Softplus::with_error(position, error);
        let report = gradcheck(|v| weighted_sum(wrong.apply(v[0]), seed), &[x], &options);
        prop_assert!(!report.passed, "a gradient off by {error} passed: {report}");
    }

    #[test]
    fn an_error_far_below_the_tolerance_passes(
        x in shape().prop_flat_map(moderate),
        position in any::<usize>(),
        error in signed(1e-10, 1e-9),
        seed in any::<u64>(),
    ) {
        let wrong = Softplus::with_error(position, error);
        let report = gradcheck(
            |v| weighted_sum(wrong.apply(v[0]), seed),
            &[x],
            &GradcheckOptions::default(),
        );
        prop_assert!(report.passed, "{report}");
    }
}

#[test]
fn a_wrong_gradient_fails_assert_gradcheck() {
    let x = Tensor::from_vec(vec![-1.0, 0.5, 2.0], [3]);
    let wrong = Softplus::with_error(1, 0.01);
    let outcome = std::panic::catch_unwind(|| {
        autograd::assert_gradcheck(|v| wrong.apply(v[0]).sum(), &[x]);
    });
    assert!(
        outcome.is_err(),
        "assert_gradcheck accepted a gradient off by 0.01"
    );
}
