//! The AVX-512 micro-kernel: one `8 × 8·NV` tile of `C` from panels of `A` and `B` (packed, or
//! read in place).

use super::Tile;
use super::blocked::MR;
use std::arch::x86_64::{
    __m512d, _mm512_add_pd, _mm512_fmadd_pd, _mm512_loadu_pd, _mm512_mask_storeu_pd,
    _mm512_maskz_loadu_pd, _mm512_set1_pd, _mm512_setzero_pd, _mm512_storeu_pd,
};

/// Proof that this CPU runs the kernel: made only by [`Avx512::detect`], and asked for by every
/// function that runs AVX-512 instructions, so that none relies on its caller having checked.
#[derive(Clone, Copy)]
pub(super) struct Avx512(());

impl Avx512 {
    /// The proof, when this CPU has AVX-512F (checked by the standard library once, then
    /// cached).
    pub(super) fn detect() -> Option<Avx512> {
        std::arch::is_x86_feature_detected!("avx512f").then_some(Avx512(()))
    }
}

/// The two panels one tile is computed from, `depth` steps of the inner dimension long: `a`
/// holds `MR` values per step (one per row of the tile), row `r` of step `s` at
/// `r·a_row + s·a_step` (packed, `1` and `MR`; or `A` read in place through its strides), and
/// `b` holds `8·NV` values per step, `b_step` apart (packed, or a row-major `B` read in place).
pub(super) struct Panels {
    a: *const f64,
    a_row: usize,
    a_step: usize,
    b: *const f64,
    b_step: usize,
    depth: usize,
}

impl Panels {
    /// The panels at the start of `a` (with its row and step strides) and of `b` (with its step
    /// stride), for `depth` steps of a tile `8·vectors` columns wide. In debug builds, checks
    /// that each slice holds every value the micro-kernel will read.
    pub(super) fn new(
        (a, [a_row, a_step]): (&[f64], [usize; 2]),
        (b, b_step): (&[f64], usize),
        depth: usize,
        vectors: usize,
    ) -> Panels {
        if depth > 0 {
            debug_assert!(
                (MR - 1) * a_row + (depth - 1) * a_step < a.len(),
                "avx512::Panels: an A panel of {} values for {MR} rows of {depth} steps (strides {a_row}, {a_step})",
                a.len()
            );
            debug_assert!(
                (depth - 1) * b_step + 8 * vectors <= b.len(),
                "avx512::Panels: a B panel of {} values for {depth} steps of {} (stride {b_step})",
                b.len(),
                8 * vectors
            );
        }
        Panels {
            a: a.as_ptr(),
            a_row,
            a_step,
            b: b.as_ptr(),
            b_step,
            depth,
        }
    }
}

/// `tile (+)= Ã · B̃` for one tile of `C`. The tile's `MR × 8·NV` sums stay in registers for the
/// whole inner loop (24 of the 32 vector registers when `NV` is 3), so each step is `MR`
/// broadcasts of `A`, `NV` vector loads of `B` and `MR·NV` fused multiply-adds.
///
/// `_cpu` proves that the CPU has AVX-512F; the function stays `unsafe` for its raw pointers.
///
/// # Safety
/// The panels must hold what they were made for: `panels.a` the `MR` values of each of its
/// `depth` steps and `panels.b` `8·NV` values at each (of the slices given to
/// [`Panels::new`], still borrowed); the tile's `rows × cols` cells must be valid for writes,
/// written by no other thread meanwhile, and hold numbers when accumulating.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn multiply<const NV: usize>(_cpu: Avx512, panels: &Panels, tile: &Tile) {
    debug_assert!(
        tile.rows <= MR && tile.cols <= 8 * NV,
        "avx512::multiply: a tile of {} × {} cells exceeds the micro-kernel's {MR} × {}",
        tile.rows,
        tile.cols,
        8 * NV
    );
    debug_assert!(
        tile.row_stride >= tile.cols || tile.rows <= 1,
        "avx512::multiply: rows of {} cells overlap at a stride of {}",
        tile.cols,
        tile.row_stride
    );
    debug_assert!(
        panels.depth == 0 || !(panels.a.is_null() || panels.b.is_null()),
        "avx512::multiply: a null panel over {} steps",
        panels.depth
    );
    let Panels {
        a,
        a_row,
        a_step,
        b,
        b_step,
        depth,
    } = *panels;
    // SAFETY: the caller vouches for both panels over `depth` steps; a packed A panel gets
    // its strides as constants, so that its addresses need no arithmetic per row.
    let sums = unsafe {
        if (a_row, a_step) == (1, MR) {
            sum_products::<NV>(a, [1, MR], b, b_step, depth)
        } else {
            sum_products::<NV>(a, [a_row, a_step], b, b_step, depth)
        }
    };
    // SAFETY: the caller vouches for the tile's cells.
    unsafe { store(sums, tile) }
}

/// The tile's `MR × 8·NV` sums of products over `depth` steps of the panels.
///
/// # Safety
/// As for [`multiply`].
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn sum_products<const NV: usize>(
    a: *const f64,
    [a_row, a_step]: [usize; 2],
    b: *const f64,
    b_step: usize,
    depth: usize,
) -> [[__m512d; NV]; MR] {
    let mut sums = [[_mm512_setzero_pd(); NV]; MR];
    for step in 0..depth {
        // SAFETY: step < depth, so both panels hold the values read here.
        unsafe {
            let b_here = b.add(step * b_step);
            let b_lanes: [__m512d; NV] =
                std::array::from_fn(|v| _mm512_loadu_pd(b_here.add(8 * v)));
            let a_here = a.add(step * a_step);
            for (row, sums) in sums.iter_mut().enumerate() {
                let a_value = _mm512_set1_pd(*a_here.add(row * a_row));
                for (sum, &b_lane) in sums.iter_mut().zip(&b_lanes) {
                    *sum = _mm512_fmadd_pd(a_value, b_lane, *sum);
                }
            }
        }
    }
    sums
}

/// Writes (or adds) the sums into the tile's cells.
///
/// # Safety
/// As for [`multiply`].
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn store<const NV: usize>(sums: [[__m512d; NV]; MR], tile: &Tile) {
    let Tile {
        cells,
        row_stride,
        rows,
        cols,
        accumulate,
    } = *tile;
    for (row, sums) in sums.iter().enumerate().take(rows) {
        for (v, &sum) in sums.iter().enumerate() {
            let first = 8 * v;
            if first >= cols {
                break;
            }
            // SAFETY: the row is below `rows` and lanes `first..first + 8` are clipped to
            // `cols` by the mask, so only cells the caller vouches for are read or written.
            unsafe {
                let cell = cells.add(row * row_stride + first);
                let lanes = cols - first;
                if lanes >= 8 {
                    let value = if accumulate {
                        _mm512_add_pd(_mm512_loadu_pd(cell), sum)
                    } else {
                        sum
                    };
                    _mm512_storeu_pd(cell, value);
                } else {
                    let mask = (1u8 << lanes) - 1;
                    let value = if accumulate {
                        _mm512_add_pd(_mm512_maskz_loadu_pd(mask, cell), sum)
                    } else {
                        sum
                    };
                    _mm512_mask_storeu_pd(cell, mask, value);
                }
            }
        }
    }
}
