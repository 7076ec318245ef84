//! Counting edge crossings between neighbouring layers.

use super::proper::ProperGraph;

/// The crossings between row `level` and row `level + 1`: pairs of edges whose ends are in
/// opposite orders on the two rows.
pub(super) fn between(graph: &ProperGraph, level: usize) -> usize {
    let mut ends: Vec<(usize, usize)> = graph.rows[level]
        .iter()
        .flat_map(|&node| {
            graph.down[node]
                .iter()
                .map(move |&below| (graph.position[node], graph.position[below]))
        })
        .collect();
    ends.sort_unstable();
    let mut crossings = 0;
    for (i, &(top_a, bottom_a)) in ends.iter().enumerate() {
        for &(top_b, bottom_b) in &ends[i + 1..] {
            if top_a < top_b && bottom_a > bottom_b {
                crossings += 1;
            }
        }
    }
    crossings
}

/// Crossings over all neighbouring rows.
pub(super) fn total(graph: &ProperGraph) -> usize {
    (0..graph.rows.len().saturating_sub(1))
        .map(|level| between(graph, level))
        .sum()
}

/// How many pairs of edges cross in `layout` (edges cut at every layer, as drawn).
pub fn count_crossings(layout: &super::Layout, edges: &[(usize, usize)]) -> usize {
    let mut graph = ProperGraph::new(&layout.layers, edges);
    // Dummies keep the x order the drawing gave them; real nodes their order in the layout.
    let mut keyed: Vec<Vec<(f64, usize)>> = vec![Vec::new(); graph.rows.len()];
    for (edge, chain) in graph.chains.iter().enumerate() {
        for (step, &node) in chain.iter().enumerate().skip(1).take(chain.len() - 2) {
            keyed[graph.layer[node]].push((layout.routes[edge][step].x, node));
        }
    }
    for (node, centre) in layout.centres.iter().enumerate() {
        keyed[layout.layers[node]].push((centre.x, node));
    }
    for (level, mut row) in keyed.into_iter().enumerate() {
        row.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        graph.set_row(level, row.into_iter().map(|(_, node)| node).collect());
    }
    total(&graph)
}
