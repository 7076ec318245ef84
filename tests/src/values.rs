//! Random tensors whose values keep clear of each op's non-differentiable or singular points.
//!
//! Finite differences with step `h` straddle a kink whenever a value lies within `h` of it, and
//! lose all accuracy near a pole; these strategies leave a wide margin (0.1 or more) so that a
//! disagreement with the tape is a real bug, not numerical noise.

use crate::shapes::numel;
use autograd::Tensor;
use proptest::collection::vec;
use proptest::prelude::*;

/// Values uniform in `[low, high)`.
pub fn uniform(dims: Vec<usize>, low: f64, high: f64) -> impl Strategy<Value = Tensor> {
    vec(low..high, numel(&dims)).prop_map(move |data| Tensor::from_vec(data, dims.as_slice()))
}

/// Values in `[-2, 2)`: the domain of the smooth ops (`exp`, `tanh`, `sigmoid`, sums, products).
pub fn moderate(dims: Vec<usize>) -> impl Strategy<Value = Tensor> {
    uniform(dims, -2.0, 2.0)
}

/// Values in `[0.2, 3)`: the domain of `log`, `sqrt` and real powers, away from 0.
pub fn positive(dims: Vec<usize>) -> impl Strategy<Value = Tensor> {
    uniform(dims, 0.2, 3.0)
}

/// Values with magnitude in `[0.1, 2)` and either sign: the domain of `relu` and `abs` (kink
/// at 0) and of divisors (pole at 0).
pub fn away_from_zero(dims: Vec<usize>) -> impl Strategy<Value = Tensor> {
    vec((0.1..2.0f64, any::<bool>()), numel(&dims)).prop_map(move |signed| {
        let data = signed
            .into_iter()
            .map(|(magnitude, negative)| if negative { -magnitude } else { magnitude })
            .collect();
        Tensor::from_vec(data, dims.as_slice())
    })
}

/// Values in `[-2, 2)`, all distinct by more than `4 / (5·n)` for `n` elements: no ties, so
/// that `max` has a unique maximum in every lane and is differentiable there.
pub fn distinct(dims: Vec<usize>) -> impl Strategy<Value = Tensor> {
    let count = numel(&dims);
    let ranks: Vec<usize> = (0..count).collect();
    (Just(ranks).prop_shuffle(), vec(0.1..0.9f64, count)).prop_map(move |(ranks, jitter)| {
        let width = 4.0 / count as f64;
        let data = ranks
            .iter()
            .zip(&jitter)
            .map(|(&rank, &within)| -2.0 + (rank as f64 + within) * width)
            .collect();
        Tensor::from_vec(data, dims.as_slice())
    })
}
