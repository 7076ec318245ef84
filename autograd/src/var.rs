//! `Var`: a copyable handle to a node on a tape, the value that model code computes with.

use crate::shape::Shape;
use crate::tape::{NodeId, Tape};
use crate::tensor::Tensor;
use std::cell::Ref;
use std::fmt;

/// A handle to one node of a [`Tape`]: cheap to copy, and tied by its lifetime to the tape.
///
/// Arithmetic on `Var`s (`+ - * /` and methods such as [`matmul`](Var::matmul),
/// [`tanh`](Var::tanh), [`log_softmax`](Var::log_softmax)) computes the result at once and
/// records how it was made, so that [`backward`](Var::backward) can apply the chain rule.
///
/// Every op panics on misuse (shapes that do not fit, vars from two tapes) with a message that
/// names the op, the shapes and the line of the caller.
#[derive(Clone, Copy)]
pub struct Var<'t> {
    pub(crate) tape: &'t Tape,
    pub(crate) id: NodeId,
}

impl<'t> Var<'t> {
    pub(crate) fn new(tape: &'t Tape, id: NodeId) -> Var<'t> {
        Var { tape, id }
    }

    /// The node's position on its tape.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The tape this var lives on (to record constants beside it, for example).
    pub fn tape(&self) -> &'t Tape {
        self.tape
    }

    /// A borrow of the computed value. Drop it before recording more ops on the same tape.
    pub fn value(&self) -> Ref<'t, Tensor> {
        Ref::map(self.tape.nodes.borrow(), |nodes| &nodes[self.id.0].value)
    }

    /// The value's shape.
    pub fn shape(&self) -> Shape {
        self.value().shape()
    }

    /// The value of a one-element var (a loss, say).
    ///
    /// # Panics
    /// If the value holds more than one element.
    #[track_caller]
    pub fn item(&self) -> f64 {
        self.value().item()
    }

    /// Whether gradients flow to this var (it is a variable, or computed from one).
    pub fn requires_grad(&self) -> bool {
        self.tape.node(self.id).requires_grad
    }

    /// A constant copy of this var's value: the same numbers, but no gradient flows through it.
    #[track_caller]
    pub fn detach(self) -> Var<'t> {
        let value = self.value().clone();
        self.tape.constant(value)
    }

    /// Panics unless `other` is on the same tape; `op` names the operation in the message.
    #[track_caller]
    pub(crate) fn assert_same_tape(&self, other: &Var<'_>, op: &str) {
        assert!(
            std::ptr::eq(self.tape, other.tape),
            "{op}: operands {} and {} are on different tapes (at {})",
            self.id,
            other.id,
            std::panic::Location::caller()
        );
    }
}

impl PartialEq for Var<'_> {
    /// Two vars are equal when they are the same node of the same tape.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tape, other.tape) && self.id == other.id
    }
}

impl fmt::Debug for Var<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Var({}, {:?})", self.id, *self.value())
    }
}
