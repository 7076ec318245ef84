//! `Op`: one variant per primitive, and the routing from a recorded node to its op's backward rule.
//!
//! Each primitive lives in its own file beside this one, holding its `Var` method (the forward
//! pass, with its shape checks) and its backward rule, whose maths is in its doc comment.

mod abs;
mod add;
mod affine;
mod broadcast;
mod concat;
mod conv;
mod cross_entropy;
pub(crate) mod custom;
mod dense;
mod div;
mod exp_log;
mod fold;
mod logsumexp;
mod matmul;
mod max;
mod mul;
mod permute;
mod pick;
mod pow;
mod record;
mod replay;
mod reshape;
mod scalar;
mod sigmoid;
mod softmax;
mod sum;
mod sum_squares;
mod tanh_relu;
mod unfold;
pub(crate) mod window;

pub use custom::CustomOp;
pub(crate) use replay::replay;
pub use window::{Window, WindowError};
pub(crate) use {fold::fold as fold_tensor, permute::permute as permute_tensor};

/// The zero-padded patches of `x` under `window`, for rules (see [`Var::unfold`](crate::Var)).
pub(crate) fn unfold_tensor(x: &Tensor, window: &Window) -> Tensor {
    unfold::unfold(x, window, 0.0)
}

use crate::calc::Calc;
use crate::shape::Shape;
use crate::tape::NodeId;
use crate::tensor::{Activation, Tensor};
use std::sync::Arc;

/// How a node was made: the primitive and whatever parameters its backward rule needs.
/// Input ids live in the node beside it; saved tensors are the input and output values themselves.
#[derive(Clone)]
pub(crate) enum Op {
    /// A variable or constant placed on the tape by the caller.
    Leaf,
    Add,
    Sub,
    Mul,
    Div,
    Neg,
    AddScalar(f64),
    MulScalar(f64),
    PowScalar(f64),
    Square,
    Sqrt,
    Exp,
    Log,
    Abs,
    Tanh,
    Sigmoid,
    Relu,
    MatMul,
    /// `x · W + b`, inputs `[x, W, b]`.
    Affine,
    /// `activation(x · W + b)`, inputs `[x, W, b]`.
    Dense {
        activation: Activation,
    },
    Transpose,
    Reshape,
    BroadcastTo,
    SumTo,
    /// `Σ x²` over all elements.
    SumSquares,
    SumAxis {
        axis: usize,
        keepdim: bool,
    },
    MaxAxis {
        axis: usize,
        keepdim: bool,
    },
    LogSumExp {
        axis: usize,
        keepdim: bool,
    },
    Softmax {
        axis: usize,
    },
    LogSoftmax {
        axis: usize,
    },
    Pick {
        indices: Arc<[usize]>,
    },
    SoftmaxCrossEntropy {
        labels: Arc<[usize]>,
        /// The softmax of the logits, kept by the forward pass for the backward rule.
        probs: Tensor,
    },
    Scatter {
        indices: Arc<[usize]>,
        columns: usize,
    },
    Concat {
        axis: usize,
    },
    Slice {
        axis: usize,
        start: usize,
    },
    /// Patches of an image batch (im2col), `pad_value` in the padding.
    Unfold {
        window: Window,
        pad_value: f64,
    },
    /// Patches added back into an image of `size` (col2im), unfold's adjoint.
    Fold {
        window: Window,
        size: [usize; 2],
    },
    Permute {
        axes: Arc<[usize]>,
    },
    Custom(Arc<dyn CustomOp>),
}

impl Op {
    /// A tensor the op keeps beside the node's value for its backward rule, if any.
    pub(crate) fn kept_tensor(&self) -> Option<&Tensor> {
        match self {
            Op::SoftmaxCrossEntropy { probs, .. } => Some(probs),
            _ => None,
        }
    }

    /// The op's name as users write it (`matmul`, `log_softmax`, ...), for messages and listings.
    pub(crate) fn name(&self) -> &str {
        match self {
            Op::Leaf => "leaf",
            Op::Add => "add",
            Op::Sub => "sub",
            Op::Mul => "mul",
            Op::Div => "div",
            Op::Neg => "neg",
            Op::AddScalar(_) => "add_scalar",
            Op::MulScalar(_) => "mul_scalar",
            Op::PowScalar(_) => "powf",
            Op::Square => "square",
            Op::Sqrt => "sqrt",
            Op::Exp => "exp",
            Op::Log => "log",
            Op::Abs => "abs",
            Op::Tanh => "tanh",
            Op::Sigmoid => "sigmoid",
            Op::Relu => "relu",
            Op::MatMul => "matmul",
            Op::Affine => "affine",
            Op::Dense { .. } => "dense",
            Op::Transpose => "transpose",
            Op::Reshape => "reshape",
            Op::BroadcastTo => "broadcast_to",
            Op::SumTo => "sum_to",
            Op::SumSquares => "sum_squares",
            Op::SumAxis { .. } => "sum_axis",
            Op::MaxAxis { .. } => "max_axis",
            Op::LogSumExp { .. } => "logsumexp",
            Op::Softmax { .. } => "softmax",
            Op::LogSoftmax { .. } => "log_softmax",
            Op::Pick { .. } => "pick",
            Op::SoftmaxCrossEntropy { .. } => "softmax_cross_entropy",
            Op::Scatter { .. } => "scatter",
            Op::Concat { .. } => "concat",
            Op::Slice { .. } => "slice",
            Op::Unfold { .. } => "unfold",
            Op::Fold { .. } => "fold",
            Op::Permute { .. } => "permute",
            Op::Custom(op) => op.name(),
        }
    }

    /// The op's parameters in brief (`axis=1`, `p=2`), empty when it has none.
    pub(crate) fn parameters(&self) -> String {
        match self {
            Op::AddScalar(c) | Op::MulScalar(c) => format!("c={c}"),
            Op::PowScalar(p) => format!("p={p}"),
            Op::SumAxis { axis, keepdim }
            | Op::MaxAxis { axis, keepdim }
            | Op::LogSumExp { axis, keepdim } => format!("axis={axis}, keepdim={keepdim}"),
            Op::Softmax { axis } | Op::LogSoftmax { axis } | Op::Concat { axis } => {
                format!("axis={axis}")
            }
            Op::Slice { axis, start } => format!("axis={axis}, start={start}"),
            Op::Scatter { columns, .. } => format!("columns={columns}"),
            Op::Dense { activation } => activation.to_string(),
            Op::Unfold { window, pad_value } => format!("{window}, pad_value={pad_value}"),
            Op::Fold { window, size } => format!("{window}, size={}x{}", size[0], size[1]),
            Op::Permute { axes } => format!("axes={axes:?}"),
            _ => String::new(),
        }
    }
}

/// Passes each gradient a rule returned, for input `i` at position `i`, to `emit` (`None`: the
/// input needs none).
fn emit_each<V, const N: usize>(emit: &mut dyn FnMut(usize, V), grads: [Option<V>; N]) {
    for (i, grad) in grads.into_iter().enumerate() {
        if let Some(grad) = grad {
            emit(i, grad);
        }
    }
}

/// Applies the backward rule of the node `output` (made by `op` from `inputs`) to `grad_output`,
/// passing each needed input's gradient, already reduced to that input's shape, to `emit`.
///
/// `needs(i)` says whether input `i` takes a gradient; rules skip the work for those that do not.
pub(crate) fn backward<C: Calc>(
    c: &C,
    op: &Op,
    inputs: &[NodeId],
    output: NodeId,
    grad_output: &C::V,
    needs: &dyn Fn(usize) -> bool,
    emit: &mut dyn FnMut(usize, C::V),
) {
    let x = |i: usize| c.value(inputs[i]);
    let y = || c.value(output);
    let g = grad_output;
    let pair = [needs(0), inputs.len() > 1 && needs(1)];
    match op {
        Op::Leaf => {}
        Op::Add => emit_each(emit, add::add_backward(c, &x(0), &x(1), g, pair)),
        Op::Sub => emit_each(emit, add::sub_backward(c, &x(0), &x(1), g, pair)),
        Op::Mul => emit_each(emit, mul::backward(c, &x(0), &x(1), g, pair)),
        Op::Div => emit_each(emit, div::backward(c, &x(0), &x(1), &y(), g, pair)),
        Op::MatMul => emit_each(emit, matmul::backward(c, &x(0), &x(1), g, pair)),
        Op::Affine => {
            let needs = [needs(0), needs(1), needs(2)];
            emit_each(emit, affine::backward(c, &x(0), &x(1), &x(2), g, needs))
        }
        Op::Dense { activation } => {
            let needs = [needs(0), needs(1), needs(2)];
            let (x, w, b) = (x(0), x(1), x(2));
            let grads = dense::backward(c, [&x, &w, &b], &y(), g, *activation, needs);
            emit_each(emit, grads)
        }
        Op::Neg => emit(0, add::neg_backward(c, g)),
        Op::AddScalar(_) => emit(0, g.clone()),
        Op::MulScalar(factor) => emit(0, scalar::mul_scalar_backward(c, g, *factor)),
        Op::PowScalar(exponent) => emit(0, pow::powf_backward(c, &x(0), g, *exponent)),
        Op::Square => emit(0, pow::square_backward(c, &x(0), g)),
        Op::Sqrt => emit(0, pow::sqrt_backward(c, &y(), g)),
        Op::Exp => emit(0, exp_log::exp_backward(c, &y(), g)),
        Op::Log => emit(0, exp_log::log_backward(c, &x(0), g)),
        Op::Abs => emit(0, abs::backward(c, &x(0), g)),
        Op::Tanh => emit(0, tanh_relu::tanh_backward(c, &y(), g, None).0),
        Op::Relu => emit(0, tanh_relu::relu_backward(c, &x(0), g, None).0),
        Op::Sigmoid => emit(0, sigmoid::backward(c, &y(), g, None).0),
        Op::Transpose => emit(0, reshape::transpose_backward(c, g)),
        Op::Reshape => emit(0, reshape::reshape_backward(c, &x(0), g)),
        Op::BroadcastTo => emit(0, broadcast::broadcast_to_backward(c, &x(0), g)),
        Op::SumTo => emit(0, broadcast::sum_to_backward(c, &x(0), g)),
        Op::SumSquares => emit(0, sum_squares::backward(c, &x(0), g)),
        Op::SumAxis { axis, keepdim } => {
            emit(0, sum::sum_axis_backward(c, &x(0), g, *axis, *keepdim))
        }
        Op::MaxAxis { axis, keepdim } => emit(0, max::backward(c, &x(0), g, *axis, *keepdim)),
        Op::LogSumExp { axis, keepdim } => {
            emit(0, logsumexp::backward(c, &x(0), &y(), g, *axis, *keepdim))
        }
        Op::Softmax { axis } => emit(0, softmax::softmax_backward(c, &y(), g, *axis)),
        Op::LogSoftmax { axis } => emit(0, softmax::log_softmax_backward(c, &y(), g, *axis)),
        Op::Pick { indices } => emit(0, pick::pick_backward(c, &x(0), g, indices)),
        Op::SoftmaxCrossEntropy { labels, probs } => {
            emit(0, cross_entropy::backward(c, &x(0), g, labels, probs))
        }
        Op::Scatter { indices, .. } => emit(0, pick::scatter_backward(c, g, indices)),
        Op::Concat { axis } => {
            let sizes: Vec<Shape> = (0..inputs.len()).map(|i| c.shape(&x(i))).collect();
            for (i, grad) in concat::concat_backward(c, g, &sizes, *axis, needs) {
                emit(i, grad);
            }
        }
        Op::Slice { axis, start } => emit(0, concat::slice_backward(c, &x(0), g, *axis, *start)),
        Op::Unfold { window, .. } => emit(0, unfold::backward(c, &x(0), g, *window)),
        Op::Fold { window, .. } => emit(0, fold::backward(c, g, *window)),
        Op::Permute { axes } => emit(0, permute::backward(c, g, axes)),
        Op::Custom(custom) => {
            let grads = c.custom_backward(custom, inputs, output, g);
            for (i, grad) in grads.into_iter().enumerate() {
                if let Some(grad) = grad.filter(|_| needs(i)) {
                    emit(i, grad);
                }
            }
        }
    }
}
