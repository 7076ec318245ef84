//! Invariants that need no finite differences: normalisation of softmax, agreement of
//! log_softmax with log ∘ softmax, the gradient of a mean, and linearity of backward in its seed.

use autograd::{Tape, Tensor};
use proptest::prelude::*;
use tests::config::config;
use tests::expr::graph_with_inputs;
use tests::probe::weights;
use tests::shapes::{shape, shape_with_axis};
use tests::values::{moderate, uniform};

/// Logits of rank 1 or 2 with values in `[-range, range)`, and an axis.
fn logits_and_axis(range: f64) -> impl Strategy<Value = (Tensor, usize)> {
    shape_with_axis().prop_flat_map(move |dims| {
        let rank = dims.len();
        (uniform(dims, -range, range), 0..rank)
    })
}

proptest! {
    #![proptest_config(config("invariants", 256))]

    #[test]
    fn softmax_lanes_sum_to_one_even_for_large_logits((x, axis) in logits_and_axis(500.0)) {
        let tape = Tape::new();
        let probabilities = tape.constant(x).softmax(axis);
        let value = probabilities.value();
        prop_assert!(value.data().iter().all(|p| (0.0..=1.0).contains(p)), "{:?}", *value);
        for total in value.sum_axis(axis, false).data() {
            prop_assert!((total - 1.0).abs() <= 1e-12, "a lane sums to {total}");
        }
    }

    #[test]
    fn log_softmax_equals_the_log_of_softmax_where_both_are_finite(
        (x, axis) in logits_and_axis(40.0),
    ) {
        let tape = Tape::new();
        let logits = tape.constant(x);
        let log_probabilities = logits.log_softmax(axis);
        let logged = logits.softmax(axis).log();
        let mut compared = 0;
        for (direct, via_softmax) in log_probabilities.value().data().iter().zip(logged.value().data()) {
            prop_assert!(direct.is_finite(), "log_softmax gave {direct}");
            if via_softmax.is_finite() {
                // The softmax entry carries a relative error of a few ε, so its log an absolute one.
                prop_assert!((direct - via_softmax).abs() <= 1e-12, "{direct} vs {via_softmax}");
                compared += 1;
            }
        }
        prop_assert!(compared > 0, "nothing compared");
    }

    #[test]
    fn the_gradients_of_a_mean_sum_to_one(x in shape().prop_flat_map(moderate)) {
        let tape = Tape::new();
        let v = tape.var(x);
        let grads = v.mean().backward();
        let count = grads[v].len() as f64;
        prop_assert!((grads[v].sum() - 1.0).abs() <= 1e-12, "{:?}", grads[v]);
        prop_assert!(grads[v].data().iter().all(|&g| (g - 1.0 / count).abs() <= 1e-15));
    }

    #[test]
    fn backward_is_linear_in_the_seed_gradient(
        (graph, inputs) in graph_with_inputs(),
        first_seed in any::<u64>(),
        second_seed in any::<u64>(),
        alpha in -2.0..2.0f64,
        beta in -2.0..2.0f64,
    ) {
        let tape = Tape::new();
        let vars: Vec<_> = inputs.iter().map(|x| tape.var(x.clone())).collect();
        let output = graph.last_value(&vars);
        let dims = output.shape().dims().to_vec();
        let (first, second) = (weights(&dims, first_seed), weights(&dims, second_seed));
        let combined = first.zip_map(&second, |p, q| alpha * p + beta * q);
        let grads_first = output.backward_with(first);
        let grads_second = output.backward_with(second);
        let grads_combined = output.backward_with(combined);
        for &var in &vars {
            let expected = grads_first[var].zip_map(&grads_second[var], |p, q| alpha * p + beta * q);
            for (got, want) in grads_combined[var].data().iter().zip(expected.data()) {
                prop_assert!(
                    (got - want).abs() <= 1e-9 * (1.0 + want.abs()),
                    "{got} vs {want}\n{graph:?}"
                );
            }
        }
    }

    #[test]
    fn backward_twice_gives_the_same_gradients((graph, inputs) in graph_with_inputs()) {
        let tape = Tape::new();
        let vars: Vec<_> = inputs.iter().map(|x| tape.var(x.clone())).collect();
        let output = graph.output(&vars);
        let first = output.backward();
        let second = output.backward();
        for &var in &vars {
            prop_assert_eq!(&first[var], &second[var]);
        }
    }
}
