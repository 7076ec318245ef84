//! Re-running one recorded op on new inputs, so that a single node's rule can be checked alone.

use super::Op;
use crate::var::Var;

/// Records `op` applied to `inputs` (which stand for the recorded node's inputs, in order) on
/// their tape, through the same public method that recorded it the first time.
#[track_caller]
pub(crate) fn replay<'t>(op: &Op, inputs: &[Var<'t>], output_shape: crate::Shape) -> Var<'t> {
    let x = inputs[0];
    let y = || inputs[1];
    match op {
        Op::Leaf => x,
        Op::Add => x + y(),
        Op::Sub => x - y(),
        Op::Mul => x * y(),
        Op::Div => x / y(),
        Op::Neg => -x,
        Op::AddScalar(term) => x + *term,
        Op::MulScalar(factor) => x * *factor,
        Op::PowScalar(exponent) => x.powf(*exponent),
        Op::Square => x.square(),
        Op::Sqrt => x.sqrt(),
        Op::Exp => x.exp(),
        Op::Log => x.log(),
        Op::Abs => x.abs(),
        Op::Tanh => x.tanh(),
        Op::Sigmoid => x.sigmoid(),
        Op::Relu => x.relu(),
        Op::MatMul => x.matmul(y()),
        Op::Affine => x.affine(y(), inputs[2]),
        Op::Dense { activation } => x.dense(y(), inputs[2], *activation),
        Op::Transpose => x.transpose(),
        Op::Reshape => x.reshape(output_shape),
        Op::BroadcastTo => x.broadcast_to(output_shape),
        Op::SumTo => x.sum_to(output_shape),
        Op::SumSquares => x.sum_squares(),
        Op::SumAxis { axis, keepdim } => x.sum_axis(*axis, *keepdim),
        Op::MaxAxis { axis, keepdim } => x.max_axis(*axis, *keepdim),
        Op::LogSumExp { axis, keepdim } => x.logsumexp(*axis, *keepdim),
        Op::Softmax { axis } => x.softmax(*axis),
        Op::LogSoftmax { axis } => x.log_softmax(*axis),
        Op::Pick { indices } => x.pick_shared(indices.clone()),
        Op::SoftmaxCrossEntropy { labels, .. } => x.softmax_cross_entropy_shared(labels.clone()),
        Op::Scatter { indices, columns } => x.scatter_shared(indices.clone(), *columns),
        Op::Concat { axis } => Var::concat(inputs, *axis),
        Op::Slice { axis, start } => x.slice(*axis, *start, output_shape.dims()[*axis]),
        Op::Unfold { window, pad_value } => x.unfold(*window, *pad_value),
        Op::Fold { window, size } => x.fold(*window, *size),
        Op::Permute { axes } => x.permute(axes),
        Op::Custom(custom) => Var::custom(custom.clone(), inputs),
    }
}
