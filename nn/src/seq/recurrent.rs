//! What the recurrent cells share: a state carried from step to step, and unrolling over time.

use crate::params::{ParamVars, Params};
use autograd::{Tape, Tensor, Var};
use rand::Rng;

/// A recurrent cell: one step maps an input `[B, input]` and the state to the next state, whose
/// first part is the hidden output `h` `[B, hidden]` (an LSTM also carries its cell `c`).
pub trait Cell {
    /// The width of the hidden output.
    fn hidden(&self) -> usize;

    /// How many `[B, hidden]` tensors the state holds (1, or 2 for an LSTM).
    fn state_parts(&self) -> usize {
        1
    }

    /// Adds the cell's parameters to `params`, drawn from `rng`.
    fn init(&self, params: &mut Params, rng: &mut impl Rng);

    /// The next state from the input `x` and the state (`state[0]` is `h`).
    fn step<'t>(&self, p: &ParamVars<'t>, x: Var<'t>, state: &[Var<'t>]) -> Vec<Var<'t>>;

    /// The zero state for a batch of `batch`, as constants on `tape`.
    fn zero_state<'t>(&self, tape: &'t Tape, batch: usize) -> Vec<Var<'t>> {
        (0..self.state_parts())
            .map(|_| tape.constant(Tensor::zeros([batch, self.hidden()])))
            .collect()
    }
}

/// The cell applied over the steps of `inputs` (each `[B, input]`), from the zero state: the
/// hidden output of every step, in order. All steps share the cell's parameters and sit on one
/// tape, so a backward pass from any later value is backpropagation through time.
#[track_caller]
pub fn unroll<'t>(cell: &impl Cell, p: &ParamVars<'t>, inputs: &[Var<'t>]) -> Vec<Var<'t>> {
    let Some(first) = inputs.first() else {
        return Vec::new();
    };
    let mut state = cell.zero_state(first.tape(), first.shape().dims()[0]);
    let mut outputs = Vec::with_capacity(inputs.len());
    for &x in inputs {
        state = cell.step(p, x, &state);
        outputs.push(state[0]);
    }
    outputs
}
