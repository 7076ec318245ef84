//! Naive versions of the fast kernels: plain loops on one thread, written to be obviously right,
//! that the kernels' tests hold the fast paths against. Nothing outside the tests calls them.

use super::gemm::StridedMatrix;

/// `op(A)·op(B)`, plus `start` when given, by the definition: for each cell, the products
/// summed in order of the inner index from `+0`, then added to the start.
pub(crate) fn product(a: &StridedMatrix, b: &StridedMatrix, start: Option<&[f64]>) -> Vec<f64> {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    assert_eq!(k, b.rows(), "reference::product: inner dimensions differ");
    let mut out = Vec::with_capacity(m * n);
    for i in 0..m {
        for j in 0..n {
            let mut sum = 0.0;
            for p in 0..k {
                sum += a.get(i, p) * b.get(p, j);
            }
            out.push(match start {
                Some(start) => start[i * n + j] + sum,
                None => sum,
            });
        }
    }
    out
}

/// `f` applied to each value in turn.
pub(crate) fn map(input: &[f64], f: impl Fn(f64) -> f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(input.len());
    for &x in input {
        out.push(f(x));
    }
    out
}

/// The column sums of `rows` read as rows of `width` values, added row after row from zeros.
pub(crate) fn column_sums(rows: &[f64], width: usize) -> Vec<f64> {
    let mut sums = vec![0.0; width];
    for (i, &value) in rows.iter().enumerate() {
        sums[i % width] += value;
    }
    sums
}

/// Whether two results agree bit for bit, except that any NaN matches any NaN (the kernels do
/// not promise a NaN's payload).
pub(crate) fn same_bits(x: f64, y: f64) -> bool {
    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
}

/// The first index where `got` and `expected` differ by [`same_bits`], if any, with both values.
pub(crate) fn first_difference(got: &[f64], expected: &[f64]) -> Option<(usize, f64, f64)> {
    assert_eq!(got.len(), expected.len(), "results of different lengths");
    got.iter()
        .zip(expected)
        .position(|(&g, &e)| !same_bits(g, e))
        .map(|i| (i, got[i], expected[i]))
}
