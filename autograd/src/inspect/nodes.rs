//! A structured view of a tape's nodes, one record each, for programs that display a graph.

use std::panic::Location;

use crate::tape::{Node, NodeId, Tape};
use crate::tensor::Tensor;

/// What a node is in the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A leaf that takes no gradient ([`Tape::constant`]): data, labels, fixed weights.
    Constant,
    /// A leaf that takes a gradient ([`Tape::var`]): a parameter, or an input being studied.
    Variable,
    /// The result of an op on other nodes.
    Op,
}

impl NodeKind {
    /// What `node` is: a leaf (taking a gradient or not) or an op's result.
    pub(crate) fn of(node: &Node) -> NodeKind {
        match (node.inputs.as_slice().is_empty(), node.requires_grad) {
            (true, true) => NodeKind::Variable,
            (true, false) => NodeKind::Constant,
            (false, _) => NodeKind::Op,
        }
    }

    /// The name a node of this kind goes by: `var`, `const`, or its op's (`op`).
    pub(crate) fn name(self, op: &str) -> &str {
        match self {
            NodeKind::Variable => "var",
            NodeKind::Constant => "const",
            NodeKind::Op => op,
        }
    }
}

/// One recorded node as [`Tape::nodes_view`] shows it: the same facts as a line of
/// [`Tape::listing`], as data.
#[derive(Clone, Debug)]
pub struct NodeView {
    /// The node's position on the tape.
    pub id: NodeId,
    /// The op's name (`matmul`, `tanh`, ...; `var` or `const` for leaves).
    pub op: String,
    /// The op's parameters in brief (`axis=1`), empty when it has none.
    pub parameters: String,
    /// The nodes it was computed from, in order.
    pub inputs: Vec<NodeId>,
    /// Its value (its shape is the value's).
    pub value: Tensor,
    /// Whether it is a constant, a variable or an op's result.
    pub kind: NodeKind,
    /// Whether any gradient flows to it.
    pub requires_grad: bool,
    /// The op's backward rule in one line of maths (see the op's `Var` method); `None` for
    /// leaves and custom ops.
    pub rule: Option<&'static str>,
    /// The line of the caller's code that recorded it.
    pub location: &'static Location<'static>,
}

impl Tape {
    /// Every node recorded, in order, as data: id, op, parameters, inputs, value, kind, backward
    /// rule and source line (values are copied).
    ///
    /// ```
    /// use autograd::inspect::NodeKind;
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.var(Tensor::scalar(2.0));
    /// let y = x.tanh();
    /// let nodes = tape.nodes_view();
    /// assert_eq!(nodes[1].op, "tanh");
    /// assert_eq!(nodes[1].inputs, [x.id()]);
    /// assert_eq!(nodes[0].kind, NodeKind::Variable);
    /// assert_eq!(nodes[1].rule, Some("dL/dx = dL/dy ⊙ (1 − y²)"));
    /// assert_eq!(nodes[1].value.item(), y.value().item());
    /// ```
    pub fn nodes_view(&self) -> Vec<NodeView> {
        let nodes = self.nodes.borrow();
        nodes
            .iter()
            .enumerate()
            .map(|(index, node)| {
                let inputs = node.inputs.as_slice().to_vec();
                let kind = NodeKind::of(node);
                let op = kind.name(node.op.name()).to_string();
                NodeView {
                    id: NodeId(index),
                    op,
                    parameters: node.op.parameters(),
                    inputs,
                    value: node.value.clone(),
                    kind,
                    requires_grad: node.requires_grad,
                    rule: node.op.rule(),
                    location: node.location,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_op_states_its_rule() {
        for (name, rule) in crate::ops::RULES {
            assert!(rule.contains("dL/d"), "{name}'s rule is {rule:?}");
        }
    }

    #[test]
    fn the_view_lists_leaves_ops_inputs_values_and_lines() {
        let tape = Tape::new();
        let w = tape.var(Tensor::from_rows(&[[1.0, 2.0], [3.0, 4.0]]));
        let x = tape.constant(Tensor::from_rows(&[[1.0, -1.0]]));
        let y = x.matmul(w).sum_axis(1, false);
        let nodes = tape.nodes_view();
        assert_eq!(nodes.len(), 4);
        assert_eq!(
            nodes.iter().map(|n| n.kind).collect::<Vec<_>>(),
            [
                NodeKind::Variable,
                NodeKind::Constant,
                NodeKind::Op,
                NodeKind::Op
            ]
        );
        assert_eq!(
            (nodes[2].op.as_str(), &nodes[2].inputs[..]),
            ("matmul", &[x.id(), w.id()][..])
        );
        assert_eq!(nodes[2].value.data(), &[-2.0, -2.0]);
        assert_eq!(nodes[3].parameters, "axis=1, keepdim=false");
        assert_eq!(nodes[3].value.data(), y.value().data());
        assert!(nodes[0].rule.is_none() && nodes[2].rule.is_some());
        assert!(
            nodes
                .iter()
                .all(|n| n.location.file().ends_with("nodes.rs"))
        );
        assert!(!nodes[1].requires_grad && nodes[3].requires_grad);
    }
}
