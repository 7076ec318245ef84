//! The layout of the playground page's tape panel, where every node is drawn in the same box.

use serde_json::{Value, json};

use super::{Point, Size, layered};

/// The box the playground's page draws every tape node in (`NODE_WIDTH` and `NODE_HEIGHT` in
/// `assets/playground/app.js`).
pub const PAGE_NODE: Size = Size {
    width: 150.0,
    height: 72.0,
};

/// The centres of the page's tape boxes ([`PAGE_NODE`] each) for a graph of `node_count` nodes.
///
/// # Panics
/// As [`layered`].
#[track_caller]
pub fn page_layout(node_count: usize, edges: &[(usize, usize)]) -> Vec<Point> {
    layered(&vec![PAGE_NODE; node_count], edges).centres
}

/// [`page_layout`] for `/tape`'s JSON: `edges` are `[from, to]` pairs of node ids (the nodes'
/// positions on the tape); the answer is `[{"x": .., "y": ..}, ...]`, one per node.
///
/// # Panics
/// When an edge is not a pair of ids below `node_count`, or the edges form a cycle (the
/// server builds them from a tape, which never does either).
#[track_caller]
pub fn page_layout_json(node_count: usize, edges: &[Value]) -> Value {
    let pairs: Vec<(usize, usize)> = edges
        .iter()
        .map(|edge| match (edge[0].as_u64(), edge[1].as_u64()) {
            (Some(from), Some(to)) => (from as usize, to as usize),
            _ => panic!("page_layout_json: the edge {edge} is not a pair of node ids"),
        })
        .collect();
    let centres = page_layout(node_count, &pairs);
    Value::Array(
        centres
            .iter()
            .map(|centre| json!({"x": centre.x, "y": centre.y}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_layout_has_a_point_per_node_with_inputs_above() {
        let edges = [json!([0, 2]), json!([1, 2]), json!([2, 3])];
        let layout = page_layout_json(4, &edges);
        let points = layout.as_array().unwrap();
        assert_eq!(points.len(), 4);
        let y = |i: usize| points[i]["y"].as_f64().unwrap();
        assert!(y(0) < y(2) && y(1) < y(2) && y(2) < y(3));
        let x = |i: usize| points[i]["x"].as_f64().unwrap();
        assert!((x(0) - x(1)).abs() >= PAGE_NODE.width);
    }
}
