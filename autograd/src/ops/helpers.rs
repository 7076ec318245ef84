//! The steps every op's public method shares: recording a primitive, and operand checks whose
//! messages name the op, the shapes and the caller's line.

use super::Primitive;
use crate::shape::Shape;
use crate::tape::Inputs;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// Records `op` on `inputs` (at least one, all on one tape), its value computed by the op's
    /// forward from theirs.
    ///
    /// # Panics
    /// If the inputs are on different tapes.
    #[track_caller]
    pub(crate) fn apply<P: Primitive, const N: usize>(op: P, inputs: [Var<'t>; N]) -> Var<'t> {
        let first = inputs[0];
        for input in &inputs[1..] {
            first.assert_same_tape(input, P::NAME);
        }
        let value = {
            let nodes = first.tape.nodes.borrow();
            op.forward(&inputs.map(|input| &nodes[input.id.0].value))
        };
        let ids = inputs.map(|input| input.id);
        let ids = match ids.as_slice() {
            &[a] => Inputs::One([a]),
            &[a, b] => Inputs::Two([a, b]),
            &[a, b, c] => Inputs::Three([a, b, c]),
            many => Inputs::Many(many.into()),
        };
        first.tape.record(op.into(), ids, value)
    }

    /// [`Var::apply`] on a slice of inputs of any length (concatenation, replay).
    #[track_caller]
    pub(crate) fn apply_all<P: Primitive>(op: P, inputs: &[Var<'t>]) -> Var<'t> {
        match *inputs {
            [a] => Var::apply(op, [a]),
            [a, b] => Var::apply(op, [a, b]),
            [a, b, c] => Var::apply(op, [a, b, c]),
            _ => {
                let first = inputs[0];
                for input in &inputs[1..] {
                    first.assert_same_tape(input, P::NAME);
                }
                let value = {
                    let nodes = first.tape.nodes.borrow();
                    let values: Vec<&Tensor> = inputs
                        .iter()
                        .map(|input| &nodes[input.id.0].value)
                        .collect();
                    op.forward(&values)
                };
                let ids = inputs.iter().map(|input| input.id).collect();
                first.tape.record(op.into(), Inputs::Many(ids), value)
            }
        }
    }

    /// Panics with the op's name, the shape and the caller's line unless `axis` is below the rank.
    #[track_caller]
    pub(crate) fn check_axis(&self, op: &str, axis: usize) {
        let shape = self.shape();
        if axis >= shape.rank() {
            panic!(
                "{op}: axis {axis} is out of range for {shape} (rank {}) (at {})",
                shape.rank(),
                Location::caller()
            );
        }
    }

    /// Panics with the op's name, both shapes and the caller's line unless the vars are on one
    /// tape and their shapes broadcast together by numpy's rules.
    #[track_caller]
    pub(crate) fn check_broadcast(&self, other: &Var<'t>, op: &str) {
        self.assert_same_tape(other, op);
        let (a, b) = (self.shape(), other.shape());
        if Shape::broadcast(a, b).is_none() {
            panic!(
                "{op}: {a} and {b}: shapes do not broadcast (at {})",
                Location::caller()
            );
        }
    }
}
