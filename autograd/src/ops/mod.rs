//! The primitive ops: one file each, registered by one line in the `primitives!` list below.
//!
//! # How to read an op
//! Open its file. It holds, top to bottom: the public `Var` method (the shape checks, with a
//! `# Panics` section, and the backward rule in its doc), the op's type (its parameters), and
//! its [`Primitive`] impl: `NAME`, `SAVES` (what the rule reads), `forward` (on tensors),
//! `backward` (the rule, written once against [`Calc`] with its maths in the doc comment) and
//! `cases` (its test cases).
//!
//! # How to add an op
//! 1. Add `ops/my_op.rs` with
//!    - `#[derive(Clone)] pub(crate) struct MyOp { .. }` holding the parameters the rule needs;
//!    - `impl Primitive for MyOp`: `NAME`, `SAVES`, `forward`, `backward`, `cases` (and
//!      `parameters` when it has some);
//!    - the public `impl<'t> Var<'t> { pub fn my_op(self, ..) -> Var<'t> }`, which checks its
//!      operands (panicking with the op's name, the shapes and `Location::caller()`) and ends in
//!      `Var::apply(MyOp { .. }, [self])`.
//! 2. Add the line `my_op => MyOp,` to the `primitives!` list below.
//!
//! That is all: the name, the listing, both backward modes, node replay (`check_nodes`) and
//! every shared test suite (gradcheck, gradgradcheck, eager against recorded bit for bit) come
//! from those two places. A rule that needs a fused kernel for speed calls a derivative op (as
//! `tanh`'s calls [`tanh_backward`](tanh_backward::TanhBackward)), itself a primitive added the
//! same way, so that gradients of gradients keep working.

mod conv;
pub(crate) mod custom;
mod helpers;
mod primitive;
pub(crate) mod window;

pub use custom::CustomOp;
pub(crate) use primitive::{Grads, Primitive, Saved, Saves, Slope};
pub use window::{Window, WindowError};

use crate::calc::Calc;
use crate::cases::OpCase;
use crate::tape::NodeId;
use crate::tensor::Tensor;
use crate::var::Var;
use std::sync::Arc;

/// Declares the op modules and generates [`Op`], one variant per primitive, with its routing:
/// name, parameters, backward, replay and the table of cases.
macro_rules! primitives {
    ($($module:ident => $op:ident,)*) => {
        $(pub(crate) mod $module;)*

        /// How a node was made: the primitive, holding whatever parameters its rule needs.
        /// Input ids live in the node beside it.
        #[derive(Clone)]
        pub(crate) enum Op {
            /// A variable or constant placed on the tape by the caller.
            Leaf,
            $($op($module::$op),)*
            /// A user-defined op.
            Custom(Arc<dyn CustomOp>),
        }

        $(impl From<$module::$op> for Op {
            fn from(op: $module::$op) -> Op {
                Op::$op(op)
            }
        })*

        impl Op {
            /// The op's name as users write it (`matmul`, `log_softmax`, ...).
            pub(crate) fn name(&self) -> &str {
                match self {
                    Op::Leaf => "leaf",
                    $(Op::$op(_) => <$module::$op as Primitive>::NAME,)*
                    Op::Custom(op) => op.name(),
                }
            }

            /// The op's backward rule in one line of maths; `None` for leaves (no rule) and
            /// custom ops (whose rule is the caller's code).
            pub(crate) fn rule(&self) -> Option<&'static str> {
                match self {
                    Op::Leaf | Op::Custom(_) => None,
                    $(Op::$op(_) => Some(<$module::$op as Primitive>::RULE),)*
                }
            }

            /// The op's parameters in brief (`axis=1`, `p=2`), empty when it has none.
            pub(crate) fn parameters(&self) -> String {
                match self {
                    Op::Leaf | Op::Custom(_) => String::new(),
                    $(Op::$op(op) => op.parameters(),)*
                }
            }

            /// A tensor the op keeps beside the node's value for its backward rule, if any.
            pub(crate) fn kept_tensor(&self) -> Option<&Tensor> {
                match self {
                    Op::Leaf | Op::Custom(_) => None,
                    $(Op::$op(op) => op.kept(),)*
                }
            }

            /// Applies the backward rule of the node `output` (made by this op from `inputs`)
            /// to `grad_output`, passing each needed input's gradient to `emit`.
            pub(crate) fn backward<C: Calc>(
                &self,
                c: &C,
                inputs: &[NodeId],
                output: NodeId,
                grad_output: &C::V,
                needs: &dyn Fn(usize) -> bool,
                emit: &mut dyn FnMut(usize, C::V),
            ) {
                let mut grads = Grads::new(needs, emit);
                match self {
                    Op::Leaf => {}
                    $(Op::$op(op) => {
                        type P = $module::$op;
                        let saved = Saved::new(c, inputs, output, P::SAVES, P::NAME);
                        op.backward(c, &saved, grad_output, &mut grads)
                    })*
                    Op::Custom(custom) => {
                        let results = c.custom_backward(custom, inputs, output, grad_output);
                        for (i, grad) in results.into_iter().enumerate() {
                            if let Some(grad) = grad {
                                grads.set(i, || grad);
                            }
                        }
                    }
                }
            }

            /// Records this op applied to `inputs` (standing for the recorded node's inputs, in
            /// order) on their tape.
            #[track_caller]
            pub(crate) fn replay<'t>(&self, inputs: &[Var<'t>]) -> Var<'t> {
                match self {
                    Op::Leaf => inputs[0],
                    $(Op::$op(op) => op.replay(inputs),)*
                    Op::Custom(custom) => Var::custom(custom.clone(), inputs),
                }
            }
        }

        /// The name of every primitive, in registration order.
        #[cfg(test)]
        pub(crate) const NAMES: &[&str] = &[$(<$module::$op as Primitive>::NAME,)*];

        /// The backward rule of every primitive, by name, in registration order.
        #[cfg(test)]
        pub(crate) const RULES: &[(&str, &str)] =
            &[$((<$module::$op as Primitive>::NAME, <$module::$op as Primitive>::RULE),)*];

        /// Every primitive's test cases, op by op in registration order.
        pub(crate) fn all_cases() -> Vec<OpCase> {
            let mut cases = Vec::new();
            $(cases.extend(<$module::$op as Primitive>::cases());)*
            cases
        }
    };
}

primitives! {
    // Arithmetic, elementwise with broadcasting.
    add => Add,
    sub => Sub,
    mul => Mul,
    div => Div,
    neg => Neg,
    add_scalar => AddScalar,
    mul_scalar => MulScalar,
    // Elementwise functions.
    powf => PowScalar,
    square => Square,
    sqrt => Sqrt,
    exp => Exp,
    log => Log,
    abs => Abs,
    sin => Sin,
    cos => Cos,
    tanh => Tanh,
    sigmoid => Sigmoid,
    relu => Relu,
    // Linear algebra and layers.
    matmul => MatMul,
    affine => Affine,
    dense => Dense,
    batch_matmul => BatchMatMul,
    // Shapes.
    transpose => Transpose,
    reshape => Reshape,
    broadcast_to => BroadcastTo,
    sum_to => SumTo,
    concat => Concat,
    slice => Slice,
    permute => Permute,
    swap_axes => SwapAxes,
    // Images: patches of a sliding window (im2col) and their adjoint (col2im).
    unfold => Unfold,
    fold => Fold,
    // Reductions along an axis, and the softmax family.
    sum_squares => SumSquares,
    sum_axis => SumAxis,
    max_axis => MaxAxis,
    logsumexp => LogSumExp,
    softmax => Softmax,
    log_softmax => LogSoftmax,
    normalize => Normalize,
    // Indexing by class, and the classifier's loss.
    pick => Pick,
    scatter => Scatter,
    embedding => Embedding,
    softmax_cross_entropy => SoftmaxCrossEntropy,
    // Derivative ops: the fused kernels that rules above call, with rules of their own.
    tanh_backward => TanhBackward,
    sigmoid_backward => SigmoidBackward,
    relu_backward => ReluBackward,
    log_softmax_backward => LogSoftmaxBackward,
    normalize_backward => NormalizeBackward,
    softmax_cross_entropy_backward => SoftmaxCrossEntropyBackward,
    embedding_backward => EmbeddingBackward,
}
