//! Random compositions of every op, with shared sub-expressions, against finite differences.

use proptest::prelude::*;
use tests::check::{gradients_match, tolerances};
use tests::config::config;
use tests::expr::graph_with_inputs;

proptest! {
    #![proptest_config(config("compositions", 512))]

    #[test]
    fn random_expression_graphs_have_grads_matching_finite_differences(
        (graph, inputs) in graph_with_inputs(),
    ) {
        let options = tolerances(1e-6, 1e-5);
        gradients_match(|v| graph.output(v), &inputs, &options)
            .map_err(|failure| TestCaseError::fail(format!("{failure}\n{graph:?}")))?;
    }
}
