//! Looking inside a tape: a line-per-node listing, the nodes as data, memory statistics, and
//! Graphviz export. The backward pass itself is shown step by step by
//! [`Var::backward_observed`](crate::Var::backward_observed).

mod dot;
mod nodes;

pub use nodes::{NodeKind, NodeView};

use crate::anomaly::describe;
use crate::gradients::Gradients;
use crate::tape::{Node, NodeId, Tape};
use crate::tensor::Tensor;
use std::fmt;

/// Tensors with at most this many elements are listed in full; larger ones are summarised.
const SHOWN_IN_FULL: usize = 6;

impl Tape {
    /// A listing of every node, one line each: id, op and parameters, inputs, shape, value, the
    /// gradient from `grads` when given, and the source line that recorded it.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.var(Tensor::scalar(2.0));
    /// let y = (x * x).tanh();
    /// let grads = y.backward();
    /// let listing = tape.listing(Some(&grads)).to_string();
    /// assert!(listing.contains("tanh"));
    /// assert_eq!(listing.lines().count(), 3);
    /// ```
    pub fn listing<'a>(&'a self, grads: Option<&'a Gradients>) -> TapeListing<'a> {
        TapeListing { tape: self, grads }
    }

    /// How many nodes the tape holds and how much memory their values take.
    pub fn stats(&self) -> TapeStats {
        let nodes = self.nodes.borrow();
        let mut stats = TapeStats::default();
        for node in nodes.iter() {
            let bytes = node.value.len() * std::mem::size_of::<f64>();
            let kept = node.op.kept_tensor().map_or(0, Tensor::len);
            stats.nodes += 1;
            stats.value_bytes += bytes + kept * std::mem::size_of::<f64>();
            if node.inputs.as_slice().is_empty() {
                stats.leaves += 1;
                stats.leaf_bytes += bytes;
            }
        }
        stats.node_overhead_bytes = nodes.len() * std::mem::size_of::<Node>();
        stats
    }
}

/// What a tape holds, from [`Tape::stats`]. Every node's value is kept until the tape is cleared,
/// because backward rules read them: this is the memory cost of reverse mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TapeStats {
    /// Nodes recorded.
    pub nodes: usize,
    /// Of which leaves (variables and constants).
    pub leaves: usize,
    /// Bytes held by all node values and by the tensors ops keep beside them (the saved
    /// tensors that backward reads).
    pub value_bytes: usize,
    /// Of which bytes held by leaves.
    pub leaf_bytes: usize,
    /// Bytes of bookkeeping per node (op, inputs, source location), all nodes together.
    pub node_overhead_bytes: usize,
}

impl fmt::Display for TapeStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} nodes ({} leaves); values {} (leaves {}, intermediates {}); bookkeeping {}",
            self.nodes,
            self.leaves,
            human_bytes(self.value_bytes),
            human_bytes(self.leaf_bytes),
            human_bytes(self.value_bytes - self.leaf_bytes),
            human_bytes(self.node_overhead_bytes)
        )
    }
}

fn human_bytes(bytes: usize) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}

/// A printable listing of a tape, from [`Tape::listing`].
pub struct TapeListing<'a> {
    tape: &'a Tape,
    grads: Option<&'a Gradients>,
}

impl fmt::Display for TapeListing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nodes = self.tape.nodes.borrow();
        for (index, node) in nodes.iter().enumerate() {
            let id = NodeId(index);
            let mut line = format!("{id:>5} {}", node_title(node));
            let inputs: Vec<String> = node
                .inputs
                .as_slice()
                .iter()
                .map(|i| i.to_string())
                .collect();
            if !inputs.is_empty() {
                line.push_str(&format!("({})", inputs.join(", ")));
            }
            line.push_str(&format!(
                "  {}  value {}",
                node.value.shape(),
                summary(&node.value)
            ));
            if let Some(grad) = self.grads.and_then(|grads| grads.get_node(id)) {
                line.push_str(&format!("  grad {}", summary(grad)));
            }
            line.push_str(&format!("  at {}", node.location));
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// The op's name, its parameters, and for leaves whether it is a variable or a constant.
pub(crate) fn node_title(node: &Node) -> String {
    let name = NodeKind::of(node).name(node.op.name()).to_string();
    let parameters = node.op.parameters();
    if parameters.is_empty() {
        name
    } else {
        format!("{name}[{parameters}]")
    }
}

/// Small tensors in full, larger ones as shape, range and mean.
pub(crate) fn summary(tensor: &Tensor) -> String {
    if tensor.len() <= SHOWN_IN_FULL {
        let values: Vec<String> = tensor.data().iter().map(|x| format!("{x:.4}")).collect();
        return format!("[{}]", values.join(", "));
    }
    let mean = tensor.sum() / tensor.len() as f64;
    format!("{} mean {mean:.4e}", describe(tensor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_has_a_line_per_node_with_op_shape_and_source() {
        let tape = Tape::new();
        let w = tape.var(Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]));
        let x = tape.constant(Tensor::from_rows(&[[1.0, -1.0]]));
        let loss = x.matmul(w).sum_axis(1, false).sum();
        let grads = loss.backward();
        let text = tape.listing(Some(&grads)).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), tape.len());
        assert!(lines[0].contains("var") && lines[1].contains("const"));
        assert!(lines[2].contains("matmul(%1, %0)") && lines[2].contains("[1, 2]"));
        assert!(lines[3].contains("sum_axis[axis=1, keepdim=false]"));
        assert!(lines[0].contains("grad [1.0000, 1.0000, -1.0000, -1.0000]"));
        assert!(lines.iter().all(|line| line.contains("inspect/mod.rs")));
    }

    #[test]
    fn stats_count_nodes_and_bytes() {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([10, 10]));
        let _ = x.tanh().sum();
        let stats = tape.stats();
        assert_eq!((stats.nodes, stats.leaves), (3, 1));
        assert_eq!(stats.value_bytes, (100 + 100 + 1) * 8);
        assert_eq!(stats.leaf_bytes, 800);
    }

    #[test]
    fn stats_count_the_probabilities_softmax_cross_entropy_keeps() {
        let tape = Tape::new();
        let logits = tape.var(Tensor::zeros([4, 3]));
        let _ = logits.softmax_cross_entropy(&[0, 1, 2, 0]);
        // The logits, the four losses, and the [4, 3] probabilities kept for backward.
        assert_eq!(tape.stats().value_bytes, (12 + 4 + 12) * 8);
    }
}
