//! Graphviz export of a recorded tape.

use super::{NodeKind, node_title, summary};
use crate::gradients::Gradients;
use crate::tape::{NodeId, Tape};

/// Values with at most this many elements are printed inside their node.
const VALUES_IN_LABEL: usize = 6;

impl Tape {
    /// The recorded graph in Graphviz DOT: one box per node labelled with its op, shape and, for
    /// small tensors, its value and gradient (from `grads` when given); variables are drawn as
    /// green ellipses, constants as grey ones, and edges run from inputs to the node they feed.
    pub fn to_dot(&self, grads: Option<&Gradients>) -> String {
        let nodes = self.nodes.borrow();
        let mut dot =
            String::from("digraph tape {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n");
        for (index, node) in nodes.iter().enumerate() {
            let id = NodeId(index);
            let mut label = format!("{id} {}\\n{}", node_title(node), node.value.shape());
            if node.value.len() <= VALUES_IN_LABEL {
                label.push_str(&format!("\\nvalue {}", summary(&node.value)));
            }
            let small_grad = grads
                .and_then(|grads| grads.get_node(id))
                .filter(|grad| grad.len() <= VALUES_IN_LABEL);
            if let Some(grad) = small_grad {
                label.push_str(&format!("\\ngrad {}", summary(grad)));
            }
            let style = match NodeKind::of(node) {
                NodeKind::Variable => "shape=ellipse, style=filled, fillcolor=\"#c8e6c9\"",
                NodeKind::Constant => "shape=ellipse, style=filled, fillcolor=\"#eeeeee\"",
                NodeKind::Op => "shape=box",
            };
            dot.push_str(&format!("  n{index} [label=\"{label}\", {style}];\n"));
            for input in node.inputs.as_slice() {
                dot.push_str(&format!("  n{} -> n{index};\n", input.index()));
            }
        }
        dot.push_str("}\n");
        dot
    }
}

#[cfg(test)]
mod tests {
    use crate::{Tape, Tensor};

    #[test]
    fn dot_has_every_node_and_edge() {
        let tape = Tape::new();
        let x = tape.var(Tensor::scalar(1.5));
        let c = tape.constant(Tensor::scalar(2.0));
        let y = (x * c).exp();
        let grads = y.backward();
        let dot = tape.to_dot(Some(&grads));
        assert!(dot.starts_with("digraph tape {"));
        assert!(
            dot.contains("n0 -> n2;") && dot.contains("n1 -> n2;") && dot.contains("n2 -> n3;")
        );
        assert!(dot.contains("%3 exp"));
        assert!(dot.contains("fillcolor=\"#c8e6c9\"") && dot.contains("fillcolor=\"#eeeeee\""));
        // d(e^(x·c))/dx = c·e^(x·c) = 2·e³ at x = 1.5; the output's own gradient is 1.
        assert!(
            dot.contains("%0 var\\n[]\\nvalue [1.5000]\\ngrad [40.1711]"),
            "{dot}"
        );
        assert!(
            dot.contains("%3 exp\\n[]\\nvalue [20.0855]\\ngrad [1.0000]"),
            "{dot}"
        );
    }
}
