//! The "proper" layered graph: every edge spanning several layers is cut into unit steps through
//! dummy nodes, one per layer it crosses, so that ordering and coordinates see only edges between
//! neighbouring layers.

/// Nodes `0..real` are the graph's own; the rest are dummies.
pub(super) struct ProperGraph {
    /// The layer of every node, dummies included.
    pub layer: Vec<usize>,
    /// Neighbours one layer up (inputs) and one layer down (consumers).
    pub up: Vec<Vec<usize>>,
    pub down: Vec<Vec<usize>>,
    /// For every original edge, the nodes it passes from source to target.
    pub chains: Vec<Vec<usize>>,
    /// The nodes of each layer, left to right.
    pub rows: Vec<Vec<usize>>,
    /// Each node's index in its row.
    pub position: Vec<usize>,
}

impl ProperGraph {
    /// Cuts `edges` between nodes on `layers` into unit steps; rows start in node order.
    pub fn new(layers: &[usize], edges: &[(usize, usize)]) -> ProperGraph {
        let mut layer = layers.to_vec();
        let mut up = vec![Vec::new(); layers.len()];
        let mut down = vec![Vec::new(); layers.len()];
        let mut chains = Vec::with_capacity(edges.len());
        for &(from, to) in edges {
            let mut chain = vec![from];
            for level in layers[from] + 1..layers[to] {
                layer.push(level);
                up.push(Vec::new());
                down.push(Vec::new());
                chain.push(layer.len() - 1);
            }
            chain.push(to);
            for step in chain.windows(2) {
                down[step[0]].push(step[1]);
                up[step[1]].push(step[0]);
            }
            chains.push(chain);
        }
        let row_count = layer.iter().max().map_or(0, |&top| top + 1);
        let mut rows = vec![Vec::new(); row_count];
        let mut position = vec![0; layer.len()];
        for (node, &level) in layer.iter().enumerate() {
            position[node] = rows[level].len();
            rows[level].push(node);
        }
        ProperGraph {
            layer,
            up,
            down,
            chains,
            rows,
            position,
        }
    }

    /// Nodes, dummies included.
    pub fn len(&self) -> usize {
        self.layer.len()
    }

    /// Replaces row `level` by `row` (a reordering of it) and updates the positions.
    pub fn set_row(&mut self, level: usize, row: Vec<usize>) {
        for (index, &node) in row.iter().enumerate() {
            self.position[node] = index;
        }
        self.rows[level] = row;
    }
}
