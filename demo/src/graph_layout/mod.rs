//! A layered (Sugiyama-style) drawing of a directed acyclic graph, such as a recorded tape.
//!
//! Three stages, one file each: `layering` puts every node on a layer so that every edge points
//! down (longest path from the sources); `ordering` orders the nodes inside each layer to keep
//! edge crossings few (barycentre sweeps, then adjacent swaps); `coordinates` gives each node an
//! x near its neighbours without overlaps. [`svg`] draws the result. Everything is deterministic:
//! the same graph always gets the same picture.

mod coordinates;
mod crossings;
mod layering;
mod ordering;
mod page;
mod proper;
pub mod svg;

pub use crossings::count_crossings;
pub use page::{PAGE_NODE, page_layout, page_layout_json};

/// The gap between two layers (from the bottom of the taller node to the next layer's top).
pub const LAYER_GAP: f64 = 48.0;
/// The smallest horizontal gap between two nodes of one layer.
pub const NODE_GAP: f64 = 20.0;
/// The empty border around the drawing.
pub const MARGIN: f64 = 16.0;

/// A node's width and height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

/// A position in the drawing: x to the right, y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Where everything goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The centre of each node, in the order the nodes were given.
    pub centres: Vec<Point>,
    /// The layer of each node (0 at the top).
    pub layers: Vec<usize>,
    /// The position of each node within its layer (0 at the left).
    pub orders: Vec<usize>,
    /// For each edge, in the order given: a polyline from the bottom of its source through the
    /// bends where it passes other layers to the top of its target.
    pub routes: Vec<Vec<Point>>,
    /// The size of the whole drawing, margins included.
    pub width: f64,
    pub height: f64,
}

/// Lays out the graph with nodes of `sizes` and `edges` (from, to) between them.
///
/// # Panics
/// When an edge names a node beyond `sizes`, or the edges form a cycle (a programmer error:
/// a tape is always acyclic).
#[track_caller]
pub fn layered(sizes: &[Size], edges: &[(usize, usize)]) -> Layout {
    let layers = layering::assign_layers(sizes.len(), edges);
    let mut graph = proper::ProperGraph::new(&layers, edges);
    ordering::reduce_crossings(&mut graph);
    let mut all_sizes = sizes.to_vec();
    all_sizes.resize(
        graph.len(),
        Size {
            width: 0.0,
            height: 0.0,
        },
    );
    let placed = coordinates::assign(&graph, &all_sizes);
    let routes = graph
        .chains
        .iter()
        .map(|chain| {
            let (&first, &last) = (chain.first().unwrap(), chain.last().unwrap());
            let mut route = vec![Point {
                x: placed.centres[first].x,
                y: placed.centres[first].y + sizes[first].height / 2.0,
            }];
            route.extend(chain[1..chain.len() - 1].iter().map(|&v| placed.centres[v]));
            route.push(Point {
                x: placed.centres[last].x,
                y: placed.centres[last].y - sizes[last].height / 2.0,
            });
            route
        })
        .collect();
    let orders = (0..sizes.len()).map(|v| graph.position[v]).collect();
    Layout {
        centres: placed.centres[..sizes.len()].to_vec(),
        layers,
        orders,
        routes,
        width: placed.width,
        height: placed.height,
    }
}

#[cfg(test)]
mod tests;
