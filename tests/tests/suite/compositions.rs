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

/// The random graphs' elementwise ops are the case table's: every op of the unary and binary
/// families is among them (sin and cos, which no list here names, included), and nothing else.
#[test]
fn random_graphs_draw_every_elementwise_op_of_the_case_table() {
    use autograd::cases::{self, Family};
    use std::collections::BTreeSet;
    let ops = tests::expr::table_ops();
    let drawable = tests::expr::drawable_table_ops();
    assert_eq!(
        drawable,
        (0..ops.len()).collect::<Vec<_>>(),
        "each op of the table is drawn by exactly one kind of node"
    );
    let drawn: BTreeSet<&str> = drawable.iter().map(|&position| ops[position].op).collect();
    let table: BTreeSet<&str> = cases::all()
        .iter()
        .filter(|case| case.family != Family::Other)
        .map(|case| case.op)
        .collect();
    assert_eq!(drawn, table);
    for name in ["sin", "cos", "tanh", "relu", "div", "tanh_backward"] {
        assert!(drawn.contains(name), "{name} is not drawn");
    }
    let powf = drawable
        .iter()
        .filter(|&&position| ops[position].op == "powf")
        .count();
    assert_eq!(powf, 3, "powf's three cases (exponents 2.5, 3 and -0.5)");
}
