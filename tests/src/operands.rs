//! Random operands for each op's properties: tensors with the shapes, axes and indices the op takes.

use crate::shapes::{affine_triple, broadcast_pair, numel, shape, shape_with_axis, size};
use crate::values::{moderate, uniform};
use autograd::Tensor;
use proptest::collection::vec;
use proptest::prelude::*;

/// Two tensors of shapes that broadcast together, both with values in `[-2, 2)`.
pub fn broadcasting_operands() -> impl Strategy<Value = (Tensor, Tensor)> {
    broadcast_pair().prop_flat_map(|(a, b)| (moderate(a), moderate(b)))
}

/// The input, weights and bias of an affine map (shapes as [`affine_triple`]), values in
/// `[-2, 2)`.
pub fn affine_operands() -> impl Strategy<Value = (Tensor, Tensor, Tensor)> {
    affine_triple().prop_flat_map(|(x, w, b)| (moderate(x), moderate(w), moderate(b)))
}

/// A tensor of rank 0 to 2 with values in `[-2, 2)`.
pub fn any_tensor() -> impl Strategy<Value = Tensor> {
    shape().prop_flat_map(moderate)
}

/// A tensor of rank 1 or 2 with values from `values`, an axis of it, and whether to keep that
/// axis.
pub fn tensor_axis_keepdim<S>(
    values: impl Fn(Vec<usize>) -> S + Clone,
) -> impl Strategy<Value = (Tensor, usize, bool)>
where
    S: Strategy<Value = Tensor>,
{
    shape_with_axis()
        .prop_flat_map(move |dims| (0..dims.len(), any::<bool>(), values(dims)))
        .prop_map(|(axis, keepdim, x)| (x, axis, keepdim))
}

/// Logits in `[-4, 4)`, wider than elsewhere to reach saturated softmax entries.
pub fn logits(dims: Vec<usize>) -> impl Strategy<Value = Tensor> {
    uniform(dims, -4.0, 4.0)
}

/// A matrix with values in `[-2, 2)` and one column index per row.
pub fn matrix_and_indices() -> impl Strategy<Value = (Tensor, Vec<usize>)> {
    vec(size(), 2).prop_flat_map(|dims| (moderate(dims.clone()), vec(0..dims[1], dims[0])))
}

/// A vector of `rows` values, one column index below `columns` per value, and `columns`.
pub fn scatter_operands() -> impl Strategy<Value = (Tensor, Vec<usize>, usize)> {
    (size(), size()).prop_flat_map(|(rows, columns)| {
        (moderate(vec![rows]), vec(0..columns, rows), Just(columns))
    })
}

/// The dimensions a tensor of dimensions `dims` can be reshaped to, one picked by `choice`.
pub fn reshape_target(dims: &[usize], choice: usize) -> Vec<usize> {
    let count = numel(dims);
    let mut reversed = dims.to_vec();
    reversed.reverse();
    let mut targets = vec![vec![count], vec![1, count], vec![count, 1], reversed];
    if count == 1 {
        targets.push(vec![]);
    }
    targets.swap_remove(choice % targets.len())
}

/// 2 or 3 tensors that join along an axis (equal everywhere but on it), and that axis.
pub fn concat_parts() -> impl Strategy<Value = (Vec<Tensor>, usize)> {
    (shape_with_axis(), 2..=3usize)
        .prop_flat_map(|(dims, count)| {
            let rank = dims.len();
            (Just(dims), 0..rank, vec(size(), count))
        })
        .prop_flat_map(|(dims, axis, lengths)| {
            let parts: Vec<_> = lengths
                .into_iter()
                .map(|length| {
                    let mut part = dims.clone();
                    part[axis] = length;
                    moderate(part)
                })
                .collect();
            (parts, Just(axis))
        })
}

/// 2 or 3 tensors of one shape, and an axis to stack them along (0 to their rank).
pub fn stack_parts() -> impl Strategy<Value = (Vec<Tensor>, usize)> {
    (shape(), 2..=3usize).prop_flat_map(|(dims, count)| {
        let rank = dims.len();
        (vec(moderate(dims), count), 0..=rank)
    })
}

/// A tensor of rank 1 or 2, an axis of it, and a non-empty range `(start, len)` along that axis.
pub fn slice_operands() -> impl Strategy<Value = (Tensor, usize, usize, usize)> {
    shape_with_axis()
        .prop_flat_map(|dims| {
            let rank = dims.len();
            (Just(dims), 0..rank)
        })
        .prop_flat_map(|(dims, axis)| {
            let length = dims[axis];
            (Just(dims), Just(axis), 0..length)
        })
        .prop_flat_map(|(dims, axis, start)| {
            let room = dims[axis] - start;
            (moderate(dims), Just(axis), Just(start), 1..=room)
        })
}
