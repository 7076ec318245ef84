//! Random shapes: ranks 0 to 2 with sizes 1 to 6, pairs that broadcast and pairs that do not.

use proptest::collection::vec;
use proptest::prelude::*;

/// The largest size of any dimension.
pub const MAX_SIZE: usize = 6;

/// One dimension's size, 1 to [`MAX_SIZE`].
pub fn size() -> impl Strategy<Value = usize> {
    1..=MAX_SIZE
}

/// A shape of rank 0, 1 or 2.
pub fn shape() -> impl Strategy<Value = Vec<usize>> {
    vec(size(), 0..=2)
}

/// A shape of rank 1 or 2 (one with an axis to reduce along).
pub fn shape_with_axis() -> impl Strategy<Value = Vec<usize>> {
    vec(size(), 1..=2)
}

/// A shape of rank 2.
pub fn matrix_shape() -> impl Strategy<Value = Vec<usize>> {
    vec(size(), 2)
}

/// A shape that broadcasts to `full`: some leading dimensions dropped, some others set to 1.
pub fn broadcasting_to(full: Vec<usize>) -> impl Strategy<Value = Vec<usize>> {
    let rank = full.len();
    (0..=rank, vec(any::<bool>(), rank)).prop_map(move |(kept, to_one)| {
        (rank - kept..rank)
            .map(|axis| if to_one[axis] { 1 } else { full[axis] })
            .collect()
    })
}

/// A shape and a shape it broadcasts to: `(from, to)`.
pub fn broadcast_target() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    shape().prop_flat_map(|full| (broadcasting_to(full.clone()), Just(full)))
}

/// Two shapes that broadcast together by numpy's rules.
pub fn broadcast_pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    shape().prop_flat_map(|full| (broadcasting_to(full.clone()), broadcasting_to(full)))
}

/// Two shapes that do not broadcast: aligned from the right, one pair of dimensions differs
/// and neither of the two is 1.
pub fn non_broadcast_pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    (1..=2usize, 1..=2usize).prop_flat_map(|(rank_a, rank_b)| {
        (
            vec(size(), rank_a),
            vec(size(), rank_b),
            0..rank_a.min(rank_b),
            2..=MAX_SIZE,
            1..MAX_SIZE - 1,
        )
            .prop_map(move |(mut a, mut b, from_right, size_a, offset)| {
                // Sizes 2..=MAX_SIZE, the second shifted cyclically so that it differs.
                let size_b = 2 + (size_a - 2 + offset) % (MAX_SIZE - 1);
                a[rank_a - 1 - from_right] = size_a;
                b[rank_b - 1 - from_right] = size_b;
                (a, b)
            })
    })
}

/// The dimensions of a matrix product's operands, `[m, k]·[k, n]`, each operand of rank 1 or 2
/// (numpy's rules: a rank-1 left operand is a row, a rank-1 right operand a column).
pub fn matmul_pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    (size(), size(), size(), any::<bool>(), any::<bool>()).prop_map(
        |(rows, inner, columns, left_is_vector, right_is_vector)| {
            let left = if left_is_vector {
                vec![inner]
            } else {
                vec![rows, inner]
            };
            let right = if right_is_vector {
                vec![inner]
            } else {
                vec![inner, columns]
            };
            (left, right)
        },
    )
}

/// The dimensions of an affine map's operands, `[m, k]·[k, n] + [n]`: the input of rank 1 or 2,
/// the bias shaped `[n]` or `[1, n]`.
pub fn affine_triple() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, Vec<usize>)> {
    (size(), size(), size(), any::<bool>(), any::<bool>()).prop_map(
        |(rows, inner, columns, input_is_vector, bias_is_matrix)| {
            let input = if input_is_vector {
                vec![inner]
            } else {
                vec![rows, inner]
            };
            let bias = if bias_is_matrix {
                vec![1, columns]
            } else {
                vec![columns]
            };
            (input, vec![inner, columns], bias)
        },
    )
}

/// The number of elements of a shape.
pub fn numel(dims: &[usize]) -> usize {
    dims.iter().product()
}
