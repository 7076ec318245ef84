//! The AVX2 micro-kernel: one `6 × 8` tile of `C` from a packed panel of `A` (six values per
//! step of the inner dimension, one per row) and a packed panel of `B` (eight values per step,
//! two vectors of four).
//!
//! Twelve vector registers hold the tile's sums for the whole inner loop; two hold the step's
//! values of `B` and one the broadcast value of `A`, which leaves one of the sixteen spare, so
//! the compiler keeps every sum in a register. Each step is two loads of `B`, six broadcasts of
//! `A` and twelve fused multiply-adds: six cycles on a core with two FMA units, long enough for
//! each sum's previous multiply-add (four or five cycles) to finish before its next begins.

use super::Tile;
use std::arch::x86_64::{
    __m256d, __m256i, _MM_HINT_T0, _mm_prefetch, _mm256_add_pd, _mm256_broadcast_sd,
    _mm256_fmadd_pd, _mm256_loadu_pd, _mm256_maskload_pd, _mm256_maskstore_pd, _mm256_set_epi64x,
    _mm256_setzero_pd, _mm256_storeu_pd,
};

/// Rows of a tile: each step broadcasts one value of `A` per row.
pub(super) const MR: usize = 6;
/// Columns of a tile: two vectors of four.
pub(super) const NR: usize = 8;

/// Proof that this CPU runs the kernel (AVX2 and FMA): made only by [`Avx2::detect`], and asked
/// for by every function that runs its instructions, so that none relies on its caller having
/// checked.
#[derive(Clone, Copy)]
pub(super) struct Avx2(());

impl Avx2 {
    /// The proof, when this CPU has AVX2 and FMA (checked by the standard library once, then
    /// cached).
    pub(super) fn detect() -> Option<Avx2> {
        (std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma"))
            .then_some(Avx2(()))
    }
}

/// `tile (+)= Ã · B̃` for one tile of `C`, from packed panels `depth` steps long: `a` holds `MR`
/// values per step (row `r` of step `s` at `s·MR + r`) and `b` holds `NR` (column `j` of step
/// `s` at `s·NR + j`). Every one of the tile's `rows × cols` cells is written, and no other.
/// (`store` mirrors the AVX-512 kernel's, with vectors of four and masks of lanes.)
///
/// `_cpu` proves that the CPU has AVX2 and FMA; the function stays `unsafe` for the tile's raw
/// pointer.
///
/// # Panics
/// If a panel holds fewer than `depth` steps, or the tile is larger than `MR × NR`.
///
/// # Safety
/// The tile's `rows × cols` cells must be valid for reads and writes, written by no other
/// thread meanwhile, and hold numbers when accumulating.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn multiply(_cpu: Avx2, a: &[f64], b: &[f64], depth: usize, tile: &Tile) {
    // One comparison per tile of `depth` steps: cheap enough to check in every build.
    assert!(
        a.len() >= depth * MR && b.len() >= depth * NR,
        "avx2::multiply: panels of {} and {} values for {depth} steps of {MR} and {NR}",
        a.len(),
        b.len()
    );
    assert!(
        tile.rows <= MR && tile.cols <= NR,
        "avx2::multiply: a tile of {} × {} cells exceeds the micro-kernel's {MR} × {NR}",
        tile.rows,
        tile.cols
    );
    debug_assert!(
        tile.row_stride >= tile.cols || tile.rows <= 1,
        "avx2::multiply: rows of {} cells overlap at a stride of {}",
        tile.cols,
        tile.row_stride
    );
    // The tile's cells are read or written only after the inner loop, and often come from
    // main memory (an output of thousands of rows): ask for them now, so that they arrive
    // while the sums are computed.
    for row in 0..tile.rows {
        let first = tile.cells.wrapping_add(row * tile.row_stride);
        _mm_prefetch::<_MM_HINT_T0>(first.cast());
        _mm_prefetch::<_MM_HINT_T0>(first.wrapping_add(tile.cols.saturating_sub(1)).cast());
    }
    // SAFETY: checked above: both panels hold `depth` steps.
    let sums = unsafe { sum_products(a.as_ptr(), b.as_ptr(), depth) };
    // SAFETY: the caller vouches for the tile's cells.
    unsafe { store(sums, tile) }
}

/// The tile's `MR × NR` sums of products over `depth` steps of the packed panels.
///
/// # Safety
/// `a` must be valid for reads of `depth·MR` values and `b` of `depth·NR`.
#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn sum_products(a: *const f64, b: *const f64, depth: usize) -> [[__m256d; 2]; MR] {
    let mut sums = [[_mm256_setzero_pd(); 2]; MR];
    // Four steps per turn of the loop, so that its counting is a small part of each turn.
    let mut step = 0;
    while step + 4 <= depth {
        for offset in 0..4 {
            // SAFETY: step + offset < depth, so both panels hold the values read.
            unsafe { add_step(&mut sums, a, b, step + offset) };
        }
        step += 4;
    }
    while step < depth {
        // SAFETY: as above.
        unsafe { add_step(&mut sums, a, b, step) };
        step += 1;
    }
    sums
}

/// Adds the products of one step of the panels to the sums (inlined into [`sum_products`],
/// whose target features it runs under).
///
/// # Safety
/// The CPU must have AVX2 and FMA, and `step` must be below the panels' depth.
#[inline(always)]
unsafe fn add_step(sums: &mut [[__m256d; 2]; MR], a: *const f64, b: *const f64, step: usize) {
    // SAFETY: the caller's promise: both panels hold this step's values.
    unsafe {
        let b_here = b.add(step * NR);
        let b_lanes = [_mm256_loadu_pd(b_here), _mm256_loadu_pd(b_here.add(4))];
        let a_here = a.add(step * MR);
        for (row, sums) in sums.iter_mut().enumerate() {
            let a_value = _mm256_broadcast_sd(&*a_here.add(row));
            sums[0] = _mm256_fmadd_pd(a_value, b_lanes[0], sums[0]);
            sums[1] = _mm256_fmadd_pd(a_value, b_lanes[1], sums[1]);
        }
    }
}

/// Writes (or adds) the sums into the tile's cells.
///
/// # Safety
/// As for [`multiply`]'s tile.
#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn store(sums: [[__m256d; 2]; MR], tile: &Tile) {
    let Tile {
        cells,
        row_stride,
        rows,
        cols,
        accumulate,
    } = *tile;
    for (row, sums) in sums.iter().enumerate().take(rows) {
        for (v, &sum) in sums.iter().enumerate() {
            let first = 4 * v;
            if first >= cols {
                break;
            }
            // SAFETY: the row is below `rows` and lanes `first..first + 4` are clipped to
            // `cols` by the mask, so only cells the caller vouches for are read or written.
            unsafe {
                let cell = cells.add(row * row_stride + first);
                let lanes = cols - first;
                if lanes >= 4 {
                    let value = if accumulate {
                        _mm256_add_pd(_mm256_loadu_pd(cell), sum)
                    } else {
                        sum
                    };
                    _mm256_storeu_pd(cell, value);
                } else {
                    let mask = lane_mask(lanes);
                    let value = if accumulate {
                        _mm256_add_pd(_mm256_maskload_pd(cell, mask), sum)
                    } else {
                        sum
                    };
                    _mm256_maskstore_pd(cell, mask, value);
                }
            }
        }
    }
}

/// A mask that selects the first `lanes` (below four) of a vector: each selected lane's top bit
/// set.
#[inline]
#[target_feature(enable = "avx2")]
fn lane_mask(lanes: usize) -> __m256i {
    let on = |lane: usize| if lane < lanes { -1 } else { 0 };
    _mm256_set_epi64x(on(3), on(2), on(1), on(0))
}
