//! `Tape`: the append-only arena of recorded nodes, and `NodeId`, a node's place in it.

use crate::ops::Op;
use crate::tensor::Tensor;
use crate::var::Var;
use std::cell::{Cell, Ref, RefCell};
use std::fmt;
use std::panic::Location;
use std::sync::Arc;

/// A node's position on its tape. Positions grow in creation order, which is a topological order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct NodeId(pub(crate) usize);

impl NodeId {
    /// The position as a number (0 for the first node recorded).
    pub fn index(self) -> usize {
        self.0
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("%{}", self.0))
    }
}

/// The ids of a node's inputs: none, one, two, three, or (for concatenation and custom ops) any number.
#[derive(Clone, Debug)]
pub(crate) enum Inputs {
    None,
    One([NodeId; 1]),
    Two([NodeId; 2]),
    Three([NodeId; 3]),
    Many(Arc<[NodeId]>),
}

impl Inputs {
    pub(crate) fn as_slice(&self) -> &[NodeId] {
        match self {
            Inputs::None => &[],
            Inputs::One(ids) => ids,
            Inputs::Two(ids) => ids,
            Inputs::Three(ids) => ids,
            Inputs::Many(ids) => ids,
        }
    }
}

/// One recorded operation: its value, how it was made, and where in the caller's code.
pub(crate) struct Node {
    pub(crate) value: Tensor,
    pub(crate) op: Op,
    pub(crate) inputs: Inputs,
    /// Whether any gradient flows to this node: true for variables and for every node that
    /// (transitively) uses one; false for constants and what is computed from constants alone.
    pub(crate) requires_grad: bool,
    pub(crate) location: &'static Location<'static>,
}

/// An append-only record of operations on tensors, the arena that [`Var`]s point into.
///
/// Ops on `Var`s compute their value at once and push a node here; [`Var::backward`] then walks
/// the nodes in reverse. A tape is reused across training steps with [`Tape::clear`], which keeps
/// its storage.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let x = tape.var(Tensor::scalar(3.0));
/// let y = x * x + 2.0 * x;              // y = x² + 2x
/// let grads = y.backward();
/// assert_eq!(grads[x].item(), 8.0);     // dy/dx = 2x + 2 at x = 3
/// ```
#[derive(Default)]
pub struct Tape {
    pub(crate) nodes: RefCell<Vec<Node>>,
    pub(crate) detect_anomaly: Cell<bool>,
    pub(crate) first_anomaly: RefCell<Option<crate::anomaly::Anomaly>>,
    /// The last index list an op shared (labels, picked indices), kept across [`Tape::clear`]:
    /// a training loop passes the same labels every step, and then shares this one instead of
    /// allocating a copy.
    last_indices: RefCell<Option<Arc<[usize]>>>,
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Tape {
        Tape::default()
    }

    /// Records a variable: a leaf whose gradient [`backward`](Var::backward) reports (a parameter
    /// or an input the caller wants to differentiate with respect to).
    #[track_caller]
    pub fn var(&self, value: Tensor) -> Var<'_> {
        self.push(Op::Leaf, Inputs::None, value, true)
    }

    /// Records a constant: a leaf that takes no gradient (data, labels, fixed weights).
    #[track_caller]
    pub fn constant(&self, value: Tensor) -> Var<'_> {
        self.push(Op::Leaf, Inputs::None, value, false)
    }

    /// The number of nodes recorded.
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every node (and any kept [`anomaly`](Tape::anomaly)) but keeps the storage, so that
    /// the next step records without regrowing.
    ///
    /// Needs `&mut self`: no [`Var`] of this tape can outlive it.
    pub fn clear(&mut self) {
        self.nodes.get_mut().clear();
        *self.first_anomaly.get_mut() = None;
    }

    /// Records an op's result. The node takes gradient when any input does.
    #[track_caller]
    pub(crate) fn record(&self, op: Op, inputs: Inputs, value: Tensor) -> Var<'_> {
        let requires_grad = {
            let nodes = self.nodes.borrow();
            inputs.as_slice().iter().any(|id| nodes[id.0].requires_grad)
        };
        self.push(op, inputs, value, requires_grad)
    }

    #[track_caller]
    fn push(&self, op: Op, inputs: Inputs, value: Tensor, requires_grad: bool) -> Var<'_> {
        let location = Location::caller();
        if self.detect_anomaly.get() {
            crate::anomaly::check_value(self, &op, &inputs, &value, location);
        }
        let mut nodes = self.nodes.borrow_mut();
        let id = NodeId(nodes.len());
        nodes.push(Node {
            value,
            op,
            inputs,
            requires_grad,
            location,
        });
        Var::new(self, id)
    }

    /// `indices` as a shared list for an op to keep: the list the last op kept when it holds
    /// the same values (no allocation), or else a new one, then kept for the next op. Only the
    /// last list is kept, so a loop that alternates between two lists allocates each time.
    pub(crate) fn shared_indices(&self, indices: &[usize]) -> Arc<[usize]> {
        let mut last = self.last_indices.borrow_mut();
        match &*last {
            Some(kept) if **kept == *indices => kept.clone(),
            _ => {
                let shared: Arc<[usize]> = indices.into();
                *last = Some(shared.clone());
                shared
            }
        }
    }

    /// A borrow of the node at `id`.
    pub(crate) fn node(&self, id: NodeId) -> Ref<'_, Node> {
        Ref::map(self.nodes.borrow(), |nodes| &nodes[id.0])
    }
}

impl fmt::Debug for Tape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tape({} nodes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_index_lists_share_one_allocation_and_different_ones_do_not() {
        let tape = Tape::new();
        let first = tape.shared_indices(&[1, 0, 2]);
        let again = tape.shared_indices(&[1, 0, 2]);
        assert!(Arc::ptr_eq(&first, &again));
        let other = tape.shared_indices(&[1, 0, 1]);
        assert_eq!(&*other, &[1, 0, 1]);
        assert!(!Arc::ptr_eq(&first, &other));
    }
}
