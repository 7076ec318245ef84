//! Products of small matrices, such as attention's per-head products `[T, d] · [d, T]` (a few
//! hundred multiply-adds each, a hundred or more per batch): too small for the GEMM's packing
//! or for splitting across threads to pay off, so each output row is summed in registers.

use super::gemm::StridedMatrix;
use std::mem::MaybeUninit;

/// The widest output rows summed in registers; wider ones are summed in memory.
const REGISTER_WIDTH: usize = 16;

/// `out ← a · b` for the `[m, k]` matrix `a` (as read, possibly a transpose) and `b_rows`, the
/// `[k, n]` matrix `b` stored row by row: every cell is its products summed in order of the
/// inner index from `+0`, exactly as [`reference::product`](super::reference::product) sums.
///
/// # Panics
/// If `b_rows` holds fewer than `k·n` values or `out` is not `m·n` cells long.
pub(crate) fn product(a: &StridedMatrix, b_rows: &[f64], n: usize, out: &mut [MaybeUninit<f64>]) {
    let (m, k) = (a.rows(), a.cols());
    assert!(
        b_rows.len() >= k * n && out.len() == m * n,
        "small_product: [{m}, {k}] · [{k}, {n}] from {} values into {} cells",
        b_rows.len(),
        out.len()
    );
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { product_avx2(a, &b_rows[..k * n], n, out) };
        return;
    }
    product_any(a, &b_rows[..k * n], n, out);
}

/// [`product_any`] compiled for AVX2 (the sums in four-wide vectors; the same rounding).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn product_avx2(a: &StridedMatrix, b_rows: &[f64], n: usize, out: &mut [MaybeUninit<f64>]) {
    product_any(a, b_rows, n, out);
}

/// [`product`] for any CPU, on `b_rows` of exactly `k·n` values: rows up to
/// [`REGISTER_WIDTH`] wide by a copy of the loop for their width.
#[inline(always)]
fn product_any(a: &StridedMatrix, b_rows: &[f64], n: usize, out: &mut [MaybeUninit<f64>]) {
    macro_rules! by_width {
        ($($width:literal)*) => {
            match n {
                $($width => rows_of::<$width>(a, b_rows, out),)*
                _ => rows_in_memory(a, b_rows, n, out),
            }
        };
    }
    by_width!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
}

/// Output rows of `WIDTH` cells, each summed in registers and stored once.
#[inline(always)]
fn rows_of<const WIDTH: usize>(a: &StridedMatrix, b_rows: &[f64], out: &mut [MaybeUninit<f64>]) {
    const { assert!(WIDTH <= REGISTER_WIDTH) };
    let (b_rows, _) = b_rows.as_chunks::<WIDTH>();
    let (out_rows, _) = out.as_chunks_mut::<WIDTH>();
    for (i, out_row) in out_rows.iter_mut().enumerate() {
        let mut sums = [0.0; WIDTH];
        for (p, b_row) in b_rows.iter().enumerate() {
            let a_ip = a.get(i, p);
            for j in 0..WIDTH {
                sums[j] += a_ip * b_row[j];
            }
        }
        for (cell, sum) in out_row.iter_mut().zip(sums) {
            cell.write(sum);
        }
    }
}

/// Output rows of any width, each set to zeros and then added to in order of the inner index.
#[inline(always)]
fn rows_in_memory(a: &StridedMatrix, b_rows: &[f64], n: usize, out: &mut [MaybeUninit<f64>]) {
    for (i, out_row) in out.chunks_exact_mut(n).enumerate() {
        let out_row = super::storage::zeros_in(out_row);
        for (p, b_row) in b_rows.chunks_exact(n).enumerate() {
            let a_ip = a.get(i, p);
            for (y, &x) in out_row.iter_mut().zip(b_row) {
                *y += a_ip * x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reference;
    use super::*;

    /// Small integers with NaN, ±∞ and −0 mixed in at some places.
    fn values(len: usize, seed: usize) -> Vec<f64> {
        let specials = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0];
        (0..len)
            .map(|i| match (i * 5 + seed) % 23 {
                0 => specials[(i / 23) % specials.len()],
                _ => ((i * 7 + seed * 13) % 11) as f64 - 5.0,
            })
            .collect()
    }

    /// Every width in and beyond the registers', both layouts of `a`, empty inner dimensions:
    /// bit for bit the reference's sums.
    #[test]
    fn every_width_and_layout_sums_as_the_reference_does() {
        for n in [1, 2, 3, 4, 5, 8, 12, 15, 16, 17, 31] {
            for (m, k) in [(1, 1), (3, 0), (5, 8), (12, 12), (7, 33)] {
                for transposed in [false, true] {
                    let a_values = values(m * k, 1);
                    let b_values = values(k * n, 2);
                    let a = if transposed {
                        StridedMatrix::row_major(&a_values, [k, m]).transposed()
                    } else {
                        StridedMatrix::row_major(&a_values, [m, k])
                    };
                    let b = StridedMatrix::row_major(&b_values, [k, n]);
                    let mut out = vec![MaybeUninit::new(f64::NAN); m * n];
                    product(&a, &b_values, n, &mut out);
                    // SAFETY: `product` wrote every cell.
                    let got: Vec<f64> = out.iter().map(|c| unsafe { c.assume_init() }).collect();
                    let difference =
                        reference::first_difference(&got, &reference::product(&a, &b, None));
                    assert_eq!(
                        difference, None,
                        "[{m}, {k}]·[{k}, {n}], a transposed {transposed}"
                    );
                }
            }
        }
    }
}
