//! Layer assignment: every node goes one layer below its lowest input (longest path from the
//! sources), and every source sits just above its first consumer.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The layer of each of `node_count` nodes, such that every edge (from, to) has
/// `layer[from] < layer[to]`.
///
/// A node's layer is the length of the longest path reaching it; a source (a node with no
/// inputs, such as a parameter) is then moved down to the layer just above its nearest
/// consumer, so that a weight is drawn beside the op that uses it rather than at the top.
///
/// # Panics
/// When an edge names a node `>= node_count`, or the edges form a cycle.
#[track_caller]
pub(super) fn assign_layers(node_count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut inputs = vec![Vec::new(); node_count];
    let mut consumers = vec![Vec::new(); node_count];
    for &(from, to) in edges {
        assert!(
            from < node_count && to < node_count,
            "graph_layout: edge ({from}, {to}) names a node beyond the {node_count} nodes"
        );
        inputs[to].push(from);
        consumers[from].push(to);
    }
    let mut layers = vec![0usize; node_count];
    for node in topological_order(&inputs, &consumers) {
        layers[node] = inputs[node]
            .iter()
            .map(|&input| layers[input] + 1)
            .max()
            .unwrap_or(0);
    }
    for node in 0..node_count {
        let nearest = consumers[node].iter().map(|&c| layers[c]).min();
        if let (true, Some(nearest)) = (inputs[node].is_empty(), nearest) {
            layers[node] = nearest - 1;
        }
    }
    layers
}

/// Kahn's algorithm, always taking the lowest-numbered ready node (so the order is deterministic).
#[track_caller]
fn topological_order(inputs: &[Vec<usize>], consumers: &[Vec<usize>]) -> Vec<usize> {
    let mut waiting: Vec<usize> = inputs.iter().map(Vec::len).collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..inputs.len())
        .filter(|&node| waiting[node] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(inputs.len());
    while let Some(Reverse(node)) = ready.pop() {
        order.push(node);
        for &consumer in &consumers[node] {
            waiting[consumer] -= 1;
            if waiting[consumer] == 0 {
                ready.push(Reverse(consumer));
            }
        }
    }
    if order.len() < inputs.len() {
        let stuck = (0..inputs.len()).find(|&node| waiting[node] > 0).unwrap();
        panic!("graph_layout: the edges form a cycle through node {stuck}");
    }
    order
}
