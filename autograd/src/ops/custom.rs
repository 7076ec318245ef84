//! User-defined ops: a forward and a backward supplied by the caller, recorded like a built-in.

use super::Op;
use crate::tape::Inputs;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;
use std::sync::Arc;

/// An op defined outside the engine: its forward on tensors and its backward rule.
///
/// Record it with [`Var::custom`]; check its rule with
/// [`check_custom_op`](crate::gradcheck::check_custom_op) or, on a
/// recorded tape, with [`check_nodes`](crate::check_nodes).
///
/// ```
/// use autograd::{CustomOp, Tape, Tensor, Var};
/// use std::sync::Arc;
///
/// /// softplus(x) = ln(1 + eˣ), whose derivative is σ(x).
/// struct Softplus;
///
/// impl CustomOp for Softplus {
///     fn name(&self) -> &str {
///         "softplus"
///     }
///     fn forward(&self, inputs: &[&Tensor]) -> Tensor {
///         inputs[0].map(|x| x.max(0.0) + (-x.abs()).exp().ln_1p())
///     }
///     fn backward(&self, inputs: &[&Tensor], _output: &Tensor, grad_output: &Tensor) -> Vec<Tensor> {
///         vec![grad_output.zip_map(inputs[0], |g, x| g / (1.0 + (-x).exp()))]
///     }
/// }
///
/// let tape = Tape::new();
/// let x = tape.var(Tensor::scalar(0.0));
/// let y = Var::custom(Arc::new(Softplus), &[x]);
/// assert!((y.item() - 2f64.ln()).abs() < 1e-15);
/// assert_eq!(y.backward()[x].item(), 0.5);
/// ```
pub trait CustomOp: Send + Sync {
    /// The op's name, shown in messages and tape listings.
    fn name(&self) -> &str;

    /// The output computed from the input values.
    fn forward(&self, inputs: &[&Tensor]) -> Tensor;

    /// `dL/dinputᵢ` for each input, given the inputs, the output and `dL/doutput`; each gradient has
    /// its input's shape.
    fn backward(&self, inputs: &[&Tensor], output: &Tensor, grad_output: &Tensor) -> Vec<Tensor>;

    /// The same rule written with `Var` ops, so that [`Tape::backward_graph`](crate::Tape) can record
    /// it and take gradients of gradients. `None` (the default) means the op has no such rule, and a
    /// recording backward through it panics saying so.
    fn backward_recorded<'t>(
        &self,
        _inputs: &[Var<'t>],
        _output: Var<'t>,
        _grad_output: Var<'t>,
    ) -> Option<Vec<Var<'t>>> {
        None
    }
}

impl<'t> Var<'t> {
    /// Records a user-defined op applied to `inputs`.
    ///
    /// # Panics
    /// If `inputs` is empty or on several tapes.
    #[track_caller]
    pub fn custom(op: Arc<dyn CustomOp>, inputs: &[Var<'t>]) -> Var<'t> {
        let Some(first) = inputs.first() else {
            panic!(
                "{}: a custom op needs at least one input (at {})",
                op.name(),
                Location::caller()
            )
        };
        for input in inputs {
            first.assert_same_tape(input, op.name());
        }
        let value = {
            let values: Vec<_> = inputs.iter().map(|input| input.value()).collect();
            let refs: Vec<&Tensor> = values.iter().map(|value| &**value).collect();
            op.forward(&refs)
        };
        let ids = inputs.iter().map(|input| input.id).collect();
        first.tape.record(Op::Custom(op), Inputs::Many(ids), value)
    }
}

/// Panics unless a custom op's backward gave one gradient per input, each of its input's shape.
#[track_caller]
pub(crate) fn check_grads(op: &dyn CustomOp, inputs: &[&Tensor], grads: &[Tensor]) {
    assert_eq!(
        grads.len(),
        inputs.len(),
        "{}: backward returned {} gradients for {} inputs",
        op.name(),
        grads.len(),
        inputs.len()
    );
    for (i, (grad, input)) in grads.iter().zip(inputs).enumerate() {
        assert_eq!(
            grad.shape(),
            input.shape(),
            "{}: backward returned a gradient of shape {} for input {i} of shape {}",
            op.name(),
            grad.shape(),
            input.shape()
        );
    }
}
