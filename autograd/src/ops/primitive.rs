//! The contract every primitive op file fulfils: [`Primitive`], with what its rule may read
//! ([`Saved`]) and where it sends its results ([`Grads`]).

use super::Op;
use crate::calc::Calc;
use crate::cases::OpCase;
use crate::shape::Shape;
use crate::tape::NodeId;
use crate::tensor::Tensor;
use crate::var::Var;

/// One primitive op: its forward on tensors, its backward rule, its name and parameters, and its
/// test cases. A value of the type is the op with its parameters (an axis, a target shape, ...),
/// stored in the recorded node.
pub(crate) trait Primitive: Clone + Into<Op> {
    /// The op's name as users write it (`matmul`, `log_softmax`, ...), for messages and listings.
    const NAME: &'static str;

    /// What the backward rule reads besides the upstream gradient: the input values, the output
    /// value, both or neither (input *shapes* are always available). Extra state, where an op
    /// keeps some, is a field of the op itself.
    const SAVES: Saves;

    /// The backward rule in one line of maths, as the op's `Var` method documents it
    /// (`dL/dx = dL/dy ⊙ (1 − y²)` for `tanh`), for displays of a backward pass.
    const RULE: &'static str;

    /// The parameters in brief (`axis=1`, `p=2`), empty when the op has none.
    fn parameters(&self) -> String {
        String::new()
    }

    /// The output computed from the input values, which the public method has already checked.
    fn forward(&self, inputs: &[&Tensor]) -> Tensor;

    /// The backward rule: for each input `i` that needs one (see [`Grads::set`]), `dL/dinputᵢ`
    /// from `grad = dL/doutput` and what [`SAVES`](Primitive::SAVES) declares.
    fn backward<C: Calc>(
        &self,
        c: &C,
        saved: &Saved<'_, C>,
        grad: &C::V,
        grads: &mut Grads<'_, C::V>,
    );

    /// Records this op again on `inputs` (new vars standing for the node's inputs, in order).
    #[track_caller]
    fn replay<'t>(&self, inputs: &[Var<'t>]) -> Var<'t> {
        Var::apply_all(self.clone(), inputs)
    }

    /// A tensor the op keeps beside the node's value for its backward rule, if any.
    fn kept(&self) -> Option<&Tensor> {
        None
    }

    /// The op's test cases: input shapes and value domains that every shared suite runs
    /// (first- and second-order checks against finite differences, eager against recorded).
    fn cases() -> Vec<OpCase>;
}

/// A derivative op that is one elementwise formula `slope(at, grad)` of two same-shaped
/// operands (`tanh_backward`, `relu_backward`, ...): its forward is that formula, and eager mode
/// may fuse it with a sum (see [`Calc::slope_and_sum`]).
pub(crate) trait Slope: Primitive {
    /// The formula at one element.
    fn slope(at: f64, grad: f64) -> f64;
}

/// What a backward rule reads from the forward pass.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Saves {
    /// The input values.
    pub(crate) inputs: bool,
    /// The output value.
    pub(crate) output: bool,
}

impl Saves {
    /// Only the shapes of the inputs (linear ops).
    pub(crate) const NOTHING: Saves = Saves {
        inputs: false,
        output: false,
    };
    /// The input values.
    pub(crate) const INPUTS: Saves = Saves {
        inputs: true,
        output: false,
    };
    /// The output value.
    pub(crate) const OUTPUT: Saves = Saves {
        inputs: false,
        output: true,
    };
    /// The input values and the output value.
    pub(crate) const INPUTS_AND_OUTPUT: Saves = Saves {
        inputs: true,
        output: true,
    };
}

/// A rule's window onto its node: the saved values its op declared, and the input shapes.
/// Reading a value that was not declared fails a debug assertion, so every test of every op
/// keeps [`Primitive::SAVES`] true.
pub(crate) struct Saved<'s, C: Calc> {
    c: &'s C,
    inputs: &'s [NodeId],
    output: NodeId,
    saves: Saves,
    op: &'static str,
}

impl<'s, C: Calc> Saved<'s, C> {
    pub(crate) fn new(
        c: &'s C,
        inputs: &'s [NodeId],
        output: NodeId,
        saves: Saves,
        op: &'static str,
    ) -> Saved<'s, C> {
        Saved {
            c,
            inputs,
            output,
            saves,
            op,
        }
    }

    /// The value of input `i`.
    pub(crate) fn input(&self, i: usize) -> C::V {
        debug_assert!(
            self.saves.inputs,
            "{}: reads an input it does not save",
            self.op
        );
        self.c.value(self.inputs[i])
    }

    /// The node's own value.
    pub(crate) fn output(&self) -> C::V {
        debug_assert!(
            self.saves.output,
            "{}: reads its output but does not save it",
            self.op
        );
        self.c.value(self.output)
    }

    /// The shape of input `i`.
    pub(crate) fn shape(&self, i: usize) -> Shape {
        self.c.shape(&self.c.value(self.inputs[i]))
    }

    /// The number of inputs.
    pub(crate) fn count(&self) -> usize {
        self.inputs.len()
    }

    /// The tensor the op kept (see [`Primitive::kept`]) as a value, when the calculator reads
    /// it as it is (eager mode); `None` when the rule must compute it from the inputs again
    /// (recording mode, where it must be a function of them to be differentiated).
    pub(crate) fn kept(&self) -> Option<C::V> {
        self.c.kept(self.output)
    }
}

/// Where a rule sends its results: input `i`'s gradient, when that input takes one.
pub(crate) struct Grads<'g, V> {
    needs: &'g dyn Fn(usize) -> bool,
    emit: &'g mut dyn FnMut(usize, V),
}

impl<'g, V> Grads<'g, V> {
    pub(crate) fn new(
        needs: &'g dyn Fn(usize) -> bool,
        emit: &'g mut dyn FnMut(usize, V),
    ) -> Grads<'g, V> {
        Grads { needs, emit }
    }

    /// Whether input `i` takes a gradient.
    pub(crate) fn needs(&self, i: usize) -> bool {
        (self.needs)(i)
    }

    /// Sends `grad()` as input `i`'s gradient; `grad` is not run when the input takes none.
    pub(crate) fn set(&mut self, i: usize, grad: impl FnOnce() -> V) {
        if (self.needs)(i) {
            (self.emit)(i, grad());
        }
    }
}
