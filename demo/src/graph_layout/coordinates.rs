//! Coordinates: each layer gets a band of height, and each node the x closest to the mean x of its
//! neighbours that keeps the layer's order and the gaps between nodes.

use super::proper::ProperGraph;
use super::{LAYER_GAP, MARGIN, NODE_GAP, Point, Size};

/// Alternating passes that pull nodes towards their inputs, then towards their consumers.
const PASSES: usize = 8;

/// Nodes' centres and the drawing's size.
pub(super) struct Placed {
    pub centres: Vec<Point>,
    pub width: f64,
    pub height: f64,
}

/// Places every node of `graph` (dummies included, with their `sizes`, usually zero).
pub(super) fn assign(graph: &ProperGraph, sizes: &[Size]) -> Placed {
    let mut x = vec![0.0; graph.len()];
    for row in &graph.rows {
        let desired = vec![0.0; row.len()];
        place_row(row, &desired, sizes, &mut x);
    }
    for pass in 0..PASSES {
        let pull_up = pass % 2 == 0;
        let levels: Vec<usize> = if pull_up {
            (1..graph.rows.len()).collect()
        } else {
            (0..graph.rows.len().saturating_sub(1)).rev().collect()
        };
        for level in levels {
            let row = &graph.rows[level];
            let desired: Vec<f64> = row
                .iter()
                .map(|&node| {
                    let neighbours = if pull_up {
                        &graph.up[node]
                    } else {
                        &graph.down[node]
                    };
                    if neighbours.is_empty() {
                        x[node]
                    } else {
                        neighbours.iter().map(|&n| x[n]).sum::<f64>() / neighbours.len() as f64
                    }
                })
                .collect();
            place_row(row, &desired, sizes, &mut x);
        }
    }
    let left = (0..graph.len())
        .map(|node| x[node] - sizes[node].width / 2.0)
        .fold(f64::INFINITY, f64::min);
    let right = (0..graph.len())
        .map(|node| x[node] + sizes[node].width / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let shift = if left.is_finite() { MARGIN - left } else { 0.0 };
    let mut centres = vec![Point { x: 0.0, y: 0.0 }; graph.len()];
    let mut top = MARGIN;
    for row in &graph.rows {
        let band = row
            .iter()
            .map(|&node| sizes[node].height)
            .fold(0.0, f64::max);
        for &node in row {
            centres[node] = Point {
                x: x[node] + shift,
                y: top + band / 2.0,
            };
        }
        top += band + LAYER_GAP;
    }
    let height = if graph.rows.is_empty() {
        2.0 * MARGIN
    } else {
        top - LAYER_GAP + MARGIN
    };
    let width = if right.is_finite() {
        right - left + 2.0 * MARGIN
    } else {
        2.0 * MARGIN
    };
    Placed {
        centres,
        width,
        height,
    }
}

/// Sets the x of `row`'s nodes as close as possible (least squares) to `desired` while keeping
/// their order and at least [`NODE_GAP`] between neighbours' boxes.
///
/// With `offset[i]` the least distance from the first node's centre to node i's centre, the
/// shifted positions `x[i] − offset[i]` must be non-decreasing: that is isotonic regression of
/// `desired[i] − offset[i]`, solved exactly by pooling adjacent violators.
fn place_row(row: &[usize], desired: &[f64], sizes: &[Size], x: &mut [f64]) {
    let mut offsets = Vec::with_capacity(row.len());
    let mut offset = 0.0;
    for (index, &node) in row.iter().enumerate() {
        if index > 0 {
            let previous = row[index - 1];
            offset +=
                (sizes[previous].width + sizes[node].width) / 2.0 + gap(sizes, previous, node);
        }
        offsets.push(offset);
    }
    let targets: Vec<f64> = desired.iter().zip(&offsets).map(|(d, o)| d - o).collect();
    let fitted = non_decreasing_fit(&targets);
    for ((&node, value), offset) in row.iter().zip(fitted).zip(offsets) {
        x[node] = value + offset;
    }
}

/// The gap between two neighbours: full between real nodes, half where a dummy (an edge passing
/// through) is involved.
fn gap(sizes: &[Size], left: usize, right: usize) -> f64 {
    if sizes[left].width == 0.0 || sizes[right].width == 0.0 {
        NODE_GAP / 2.0
    } else {
        NODE_GAP
    }
}

/// The non-decreasing sequence closest to `values` in least squares (pool adjacent violators).
fn non_decreasing_fit(values: &[f64]) -> Vec<f64> {
    // Blocks of (mean, count), merged while a block's mean is below its predecessor's.
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(values.len());
    for &value in values {
        blocks.push((value, 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
            let (mean_b, count_b) = blocks.pop().unwrap();
            let (mean_a, count_a) = blocks.pop().unwrap();
            let count = count_a + count_b;
            let mean = (mean_a * count_a as f64 + mean_b * count_b as f64) / count as f64;
            blocks.push((mean, count));
        }
    }
    blocks
        .into_iter()
        .flat_map(|(mean, count)| std::iter::repeat_n(mean, count))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::non_decreasing_fit;

    #[test]
    fn fit_pools_violators_into_their_mean() {
        assert_eq!(
            non_decreasing_fit(&[1.0, 3.0, 2.0, 4.0]),
            [1.0, 2.5, 2.5, 4.0]
        );
        assert_eq!(non_decreasing_fit(&[3.0, 2.0, 1.0]), [2.0, 2.0, 2.0]);
        assert_eq!(non_decreasing_fit(&[0.0, 1.0]), [0.0, 1.0]);
    }
}
