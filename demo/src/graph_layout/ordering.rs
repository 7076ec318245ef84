//! Ordering the nodes within each layer to keep crossings few: barycentre sweeps down and up,
//! keeping the best order seen, then swaps of neighbours while any swap removes a crossing.

use super::crossings;
use super::proper::ProperGraph;

/// Down-and-up sweep pairs tried before settling on the best order seen.
const SWEEPS: usize = 12;

/// Reorders `graph`'s rows in place to reduce crossings.
pub(super) fn reduce_crossings(graph: &mut ProperGraph) {
    let mut best_rows = graph.rows.clone();
    let mut best = crossings::total(graph);
    for _ in 0..SWEEPS {
        if best == 0 {
            break;
        }
        for level in 1..graph.rows.len() {
            sort_by_barycentre(graph, level, Direction::Up);
        }
        for level in (0..graph.rows.len().saturating_sub(1)).rev() {
            sort_by_barycentre(graph, level, Direction::Down);
        }
        let now = crossings::total(graph);
        if now < best {
            best = now;
            best_rows = graph.rows.clone();
        }
    }
    for (level, row) in best_rows.into_iter().enumerate() {
        graph.set_row(level, row);
    }
    swap_neighbours(graph);
}

/// Which neighbours a row is sorted against.
#[derive(Clone, Copy)]
enum Direction {
    /// The row above (inputs).
    Up,
    /// The row below (consumers).
    Down,
}

/// Sorts row `level` by the mean position of each node's neighbours in `direction`; a node
/// without such neighbours keeps its own position as its key. The sort is stable, so ties keep
/// their current order.
fn sort_by_barycentre(graph: &mut ProperGraph, level: usize, direction: Direction) {
    let mut keyed: Vec<(f64, usize)> = graph.rows[level]
        .iter()
        .map(|&node| {
            let neighbours = match direction {
                Direction::Up => &graph.up[node],
                Direction::Down => &graph.down[node],
            };
            let key = if neighbours.is_empty() {
                graph.position[node] as f64
            } else {
                let sum: usize = neighbours.iter().map(|&n| graph.position[n]).sum();
                sum as f64 / neighbours.len() as f64
            };
            (key, node)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    graph.set_row(level, keyed.into_iter().map(|(_, node)| node).collect());
}

/// Swaps neighbouring nodes of a row whenever that lowers the crossings with the rows above and
/// below, until no swap helps.
fn swap_neighbours(graph: &mut ProperGraph) {
    let mut improved = true;
    while improved {
        improved = false;
        for level in 0..graph.rows.len() {
            for index in 0..graph.rows[level].len().saturating_sub(1) {
                let before = crossings_around(graph, level);
                swap(graph, level, index);
                if crossings_around(graph, level) < before {
                    improved = true;
                } else {
                    swap(graph, level, index);
                }
            }
        }
    }
}

/// The crossings on both sides of row `level`.
fn crossings_around(graph: &ProperGraph, level: usize) -> usize {
    let above = if level > 0 {
        crossings::between(graph, level - 1)
    } else {
        0
    };
    let below = if level + 1 < graph.rows.len() {
        crossings::between(graph, level)
    } else {
        0
    };
    above + below
}

fn swap(graph: &mut ProperGraph, level: usize, index: usize) {
    let mut row = graph.rows[level].clone();
    row.swap(index, index + 1);
    graph.set_row(level, row);
}
