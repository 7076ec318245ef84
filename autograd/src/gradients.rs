//! The results of a backward pass: a gradient per node, looked up by `Var`.

use crate::tape::NodeId;
use crate::tensor::Tensor;
use crate::var::Var;
use std::cell::Cell;
use std::ops::Index;

thread_local! {
    /// The table of the last [`Gradients`] dropped on this thread, emptied, for the next
    /// backward pass to fill instead of allocating one (a training loop makes one per step).
    static SPARE_TABLE: Cell<Vec<Option<Tensor>>> = const { Cell::new(Vec::new()) };
}

/// The gradients of one output with respect to the nodes of a tape, from [`Var::backward`].
///
/// Every variable recorded before the output has one (zeros when the output does not depend on
/// it), and so does every intermediate node that the output depends on through a variable: the
/// tutorial's `delta3` is the gradient of the logits `z2`, for instance.
#[derive(Clone, Debug, Default)]
pub struct Gradients {
    pub(crate) by_node: Vec<Option<Tensor>>,
}

/// Frees the spare gradient table this thread keeps; returns how many bytes it held.
pub(crate) fn release_spare_table() -> usize {
    SPARE_TABLE
        .try_with(|spare| spare.take().capacity() * size_of::<Option<Tensor>>())
        .unwrap_or(0)
}

impl Gradients {
    /// A table of `len` empty slots, in recycled storage when a dropped table left some.
    pub(crate) fn table(len: usize) -> Vec<Option<Tensor>> {
        let mut table = SPARE_TABLE.try_with(Cell::take).unwrap_or_default();
        table.resize(len, None);
        table
    }

    /// The gradient with respect to `var`, or `None` when no gradient reaches it (a constant, a
    /// node recorded after the output, or one the output does not depend on).
    pub fn get(&self, var: Var<'_>) -> Option<&Tensor> {
        self.get_node(var.id())
    }

    /// The gradient with respect to the node `id`, as [`get`](Gradients::get).
    pub fn get_node(&self, id: NodeId) -> Option<&Tensor> {
        self.by_node.get(id.index()).and_then(Option::as_ref)
    }

    /// Takes the gradient of `var` out, leaving `None` (to hand it to an optimiser without a copy).
    pub fn take(&mut self, var: Var<'_>) -> Option<Tensor> {
        self.by_node
            .get_mut(var.id().index())
            .and_then(Option::take)
    }

    /// Each node that has a gradient, with it, in creation order.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &Tensor)> {
        self.by_node
            .iter()
            .enumerate()
            .filter_map(|(index, grad)| grad.as_ref().map(|grad| (NodeId(index), grad)))
    }
}

impl Drop for Gradients {
    /// Gives the emptied table back for the next backward pass (its gradients' storage goes
    /// back to the tensor pool as they drop).
    fn drop(&mut self) {
        let mut table = std::mem::take(&mut self.by_node);
        table.clear();
        // On a thread being torn down the spare is gone; the table is then simply freed.
        let _ = SPARE_TABLE.try_with(|spare| {
            let kept = spare.take();
            spare.set(if table.capacity() >= kept.capacity() {
                table
            } else {
                kept
            });
        });
    }
}

impl Index<Var<'_>> for Gradients {
    type Output = Tensor;

    /// The gradient with respect to `var`.
    ///
    /// # Panics
    /// If no gradient reaches `var` (see [`Gradients::get`]).
    #[track_caller]
    fn index(&self, var: Var<'_>) -> &Tensor {
        match self.get(var) {
            Some(grad) => grad,
            None => panic!(
                "gradients: no gradient reaches node {} (a constant, or not an input of the \
                 output) (at {})",
                var.id(),
                std::panic::Location::caller()
            ),
        }
    }
}

/// The gradients of one output as recorded vars, from [`Var::backward_graph`]: each can be used in
/// further computation and differentiated again.
#[derive(Clone, Debug, Default)]
pub struct GradVars<'t> {
    pub(crate) by_node: Vec<Option<Var<'t>>>,
}

impl<'t> GradVars<'t> {
    /// The gradient var with respect to `var`, or `None` when no gradient reaches it.
    pub fn get(&self, var: Var<'t>) -> Option<Var<'t>> {
        self.by_node.get(var.id().index()).copied().flatten()
    }
}

impl<'t> Index<Var<'t>> for GradVars<'t> {
    type Output = Var<'t>;

    /// The gradient var with respect to `var`.
    ///
    /// # Panics
    /// If no gradient reaches `var`.
    #[track_caller]
    fn index(&self, var: Var<'t>) -> &Var<'t> {
        match self.by_node.get(var.id().index()) {
            Some(Some(grad)) => grad,
            _ => panic!(
                "gradients: no gradient reaches node {} (a constant, or not an input of the \
                 output) (at {})",
                var.id(),
                std::panic::Location::caller()
            ),
        }
    }
}
