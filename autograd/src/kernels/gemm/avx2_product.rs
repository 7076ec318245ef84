//! The packed product for CPUs with AVX2 but not AVX-512: the classic loops around the `6 × 8`
//! micro-kernel, each thread on its own share of the output.
//!
//! The work is cut between threads as the portable product cuts it: the larger operand by
//! blocks of output rows (`A`) or columns (`B`), each thread taking one block and all of the
//! other operand. Within its block, a thread takes `NC` columns of the output at a time, then
//! `KC` steps of the inner dimension, and packs that slab of `B` into panels of `NR` columns
//! (a core's L2 or L3 holds it); then `MC` rows at a time, it packs that block of `A` into
//! panels of `MR` rows (L2 holds it) and multiplies every pair of panels, each panel of `B`
//! staying in L1 while the panels of `A` pass by. The packed panels are kept on each thread
//! between products, so that a training step allocates nothing for them after its first.
//!
//! Each cell's sum runs over the inner dimension in order, a block of `KC` steps at a time
//! added to the output, whatever the cut, so the result does not depend on the number of
//! threads.

use super::avx2::{self, Avx2, MR, NR};
use super::{InPlace, Output, PACKED, SharedOutput, StridedMatrix, Tile};
use crate::kernels::parallel::for_ranges;
use crate::kernels::storage;
use std::ops::Range;

/// Inner-dimension steps per block: a panel of `B` is `KC·NR` values (16 KiB, in L1).
const KC: usize = 256;
/// Rows of `A` packed at a time: twelve panels, `MC·KC` values (144 KiB, in L2).
const MC: usize = 12 * MR;
/// Columns of `B` packed at a time: `KC·NC` values (2 MiB).
const NC: usize = 128 * NR;
/// Values a packed buffer is aligned to (a cache line), so that no vector load straddles two.
const ALIGN: usize = 8;

/// `len` values of `buffer`, starting at a cache line. The buffer grows, once, to `most` values
/// (the largest `len` asked of it), whatever the first `len`: so a thread's buffers stop growing
/// after its first product, whichever share of which product each thread happens to take.
fn aligned(buffer: &mut Vec<f64>, len: usize, most: usize) -> &mut [f64] {
    debug_assert!(
        len <= most,
        "avx2_product: {len} values asked of a buffer of {most}"
    );
    if buffer.len() < most + ALIGN {
        buffer.resize(most + ALIGN, 0.0);
    }
    let offset = buffer.as_ptr().align_offset(ALIGN * size_of::<f64>());
    // A `Vec<f64>` is aligned to its values, so the offset is below `ALIGN` (and is `usize::MAX`
    // only where alignment cannot be computed, which `min` turns into an unaligned start).
    let offset = offset.min(ALIGN);
    &mut buffer[offset..offset + len]
}

/// [`product`](super::product) by packed panels and the AVX2 micro-kernel, on a CPU that runs
/// it (`cpu` proves it), then `activation` on the finished cells (each block of rows as soon as
/// its last block of steps is added, while it is still in cache).
///
/// # Panics
/// If the inner dimensions differ or the output does not hold `a.rows·b.cols` cells.
pub(super) fn product(
    cpu: Avx2,
    a: &StridedMatrix,
    b: &StridedMatrix,
    c: Output,
    activation: Option<InPlace>,
) {
    super::check_dimensions(a, b, &c);
    let (m, k, n) = (a.rows, a.cols, b.cols);
    let (c, accumulate) = c.into_cells();
    if m > 0 && n > 0 {
        if k == 0 {
            if !accumulate {
                c.iter_mut().for_each(|cell| _ = cell.write(0.0));
            }
            if let Some(activation) = activation {
                // SAFETY: every cell holds a number: the caller's (an `Output::AddTo`), or the
                // zero just written.
                activation(unsafe { storage::assume_written(c) });
            }
        } else {
            let product = Product {
                cpu,
                a,
                b,
                output: SharedOutput(c.as_mut_ptr().cast::<f64>()),
                accumulate,
                activation,
            };
            // Cut the larger operand: A (`m·k` values) when `m ≥ n`, else B (`k·n`), in whole
            // panels so that no thread multiplies a partial one that another finishes.
            if m >= n {
                for_ranges(m.div_ceil(MR), m * k * n, |panels| {
                    product.block(in_panels(panels, MR, m), 0..n)
                });
            } else {
                for_ranges(n.div_ceil(NR), m * k * n, |panels| {
                    product.block(0..m, in_panels(panels, NR, n))
                });
            }
        }
    }
}

/// The indices covered by panels `panels` of `width`, clipped to `0..len`.
fn in_panels(panels: Range<usize>, width: usize, len: usize) -> Range<usize> {
    panels.start * width..(panels.end * width).min(len)
}

/// One product, shared by the threads that each multiply their block of it.
struct Product<'a> {
    cpu: Avx2,
    a: &'a StridedMatrix<'a>,
    b: &'a StridedMatrix<'a>,
    output: SharedOutput,
    accumulate: bool,
    activation: Option<InPlace>,
}

impl Product<'_> {
    /// Computes the output's cells in `rows` × `cols`, on this thread.
    fn block(&self, rows: Range<usize>, cols: Range<usize>) {
        let k = self.a.cols;
        PACKED.with_borrow_mut(|packed| {
            for first_col in cols.clone().step_by(NC) {
                let cols = first_col..(first_col + NC).min(cols.end);
                for first_step in (0..k).step_by(KC) {
                    let steps = first_step..(first_step + KC).min(k);
                    let b_panels = aligned(
                        &mut packed.b,
                        steps.len() * round_up(cols.len(), NR),
                        KC * NC,
                    );
                    pack_b(self.b, steps.clone(), cols.clone(), b_panels);
                    for first_row in rows.clone().step_by(MC) {
                        let rows = first_row..(first_row + MC).min(rows.end);
                        let a_panels = aligned(
                            &mut packed.a,
                            steps.len() * round_up(rows.len(), MR),
                            KC * MC,
                        );
                        pack_a(self.a, rows.clone(), steps.clone(), a_panels);
                        self.multiply_panels(
                            (rows.clone(), a_panels),
                            (cols.clone(), b_panels),
                            steps.len(),
                            self.accumulate || first_step > 0,
                        );
                        if let Some(activation) = self.activation
                            && steps.end == k
                        {
                            self.activate(activation, rows, cols.clone());
                        }
                    }
                }
            }
        });
    }

    /// `activation` on the finished cells `rows × cols`, in place: one run of cells when the
    /// block spans whole rows of the output, else one per row.
    fn activate(&self, activation: InPlace, rows: Range<usize>, cols: Range<usize>) {
        let n = self.b.cols;
        let run = |cells: Range<usize>| {
            // SAFETY: the cells lie inside the `m·n` output, in this thread's block of it,
            // which no other thread reads or writes meanwhile, and hold numbers: the
            // micro-kernel has written every one of them.
            let values = unsafe {
                std::slice::from_raw_parts_mut(self.output.cell(cells.start), cells.len())
            };
            activation(values);
        };
        if cols.len() == n {
            run(rows.start * n..rows.end * n);
        } else {
            for row in rows {
                run(row * n + cols.start..row * n + cols.end);
            }
        }
    }

    /// Every tile of `rows × cols` from the packed panels, `depth` steps long.
    fn multiply_panels(
        &self,
        (rows, a_panels): (Range<usize>, &[f64]),
        (cols, b_panels): (Range<usize>, &[f64]),
        depth: usize,
        accumulate: bool,
    ) {
        let n = self.b.cols;
        for (b_panel, first_col) in b_panels
            .chunks_exact(depth * NR)
            .zip(cols.clone().step_by(NR))
        {
            for (a_panel, first_row) in a_panels
                .chunks_exact(depth * MR)
                .zip(rows.clone().step_by(MR))
            {
                let tile = Tile {
                    // SAFETY: the cell lies inside the `m·n` output (`first_row < m`,
                    // `first_col < n`).
                    cells: unsafe { self.output.cell(first_row * n + first_col) },
                    row_stride: n,
                    rows: MR.min(rows.end - first_row),
                    cols: NR.min(cols.end - first_col),
                    accumulate,
                };
                // SAFETY: the tile's cells lie in this thread's block of the output, which no
                // other thread writes, and hold numbers when accumulating (an `Output::AddTo`,
                // or an earlier block of steps).
                unsafe { avx2::multiply(self.cpu, a_panel, b_panel, depth, &tile) };
            }
        }
    }
}

/// `len` rounded up to a multiple of `width`.
fn round_up(len: usize, width: usize) -> usize {
    len.div_ceil(width) * width
}

/// Packs `A`'s `rows × steps` into panels of `MR` rows: in panel `p`, row `r` of step `s` at
/// `p·depth·MR + s·MR + r`, rows past the end zero.
fn pack_a(a: &StridedMatrix, rows: Range<usize>, steps: Range<usize>, out: &mut [f64]) {
    let depth = steps.len();
    let full = (rows.len() / MR) * MR;
    if a.row_stride == 1 && full > 0 {
        // A transposed `A`: each step's rows lie side by side, so read each step's run of
        // rows once and deal it out to the whole panels.
        for (offset, step) in steps.clone().enumerate() {
            let start = rows.start + step * a.col_stride;
            let run = &a.data[start..start + full];
            for (panel, values) in run.chunks_exact(MR).enumerate() {
                let at = panel * depth * MR + offset * MR;
                out[at..at + MR].copy_from_slice(values);
            }
        }
        if full < rows.len() {
            pack_a_panel(
                a,
                rows.start + full..rows.end,
                steps,
                &mut out[full * depth..],
            );
        }
        return;
    }
    for (panel, first_row) in out
        .chunks_exact_mut(depth * MR)
        .zip(rows.clone().step_by(MR))
    {
        pack_a_panel(
            a,
            first_row..rows.end.min(first_row + MR),
            steps.clone(),
            panel,
        );
    }
}

/// Packs `A`'s `rows × steps` (at most `MR` rows) into one panel, rows past the end zero.
fn pack_a_panel(a: &StridedMatrix, rows: Range<usize>, steps: Range<usize>, panel: &mut [f64]) {
    let height = rows.len();
    let depth = steps.len();
    if a.col_stride == 1 && height == MR {
        // A row-major `A`: each row's steps lie side by side, so read the panel's rows side by
        // side and write its steps in order.
        let sources: [&[f64]; MR] = std::array::from_fn(|row| {
            let start = (rows.start + row) * a.row_stride + steps.start;
            &a.data[start..start + depth]
        });
        for (step, values) in panel.chunks_exact_mut(MR).take(depth).enumerate() {
            for (value, source) in values.iter_mut().zip(&sources) {
                *value = source[step];
            }
        }
    } else if a.col_stride == 1 {
        // The same, for a panel cut short by the end of `A`.
        for row in 0..MR {
            if row < height {
                let start = (rows.start + row) * a.row_stride + steps.start;
                let source = &a.data[start..start + depth];
                for (values, &value) in panel.chunks_exact_mut(MR).zip(source) {
                    values[row] = value;
                }
            } else {
                panel
                    .chunks_exact_mut(MR)
                    .for_each(|values| values[row] = 0.0);
            }
        }
    } else {
        for (values, step) in panel.chunks_exact_mut(MR).zip(steps) {
            for (row, value) in values.iter_mut().enumerate() {
                *value = if row < height {
                    a.get(rows.start + row, step)
                } else {
                    0.0
                };
            }
        }
    }
}

/// Packs `B`'s `steps × cols` into panels of `NR` columns: in panel `p`, column `j` of step `s`
/// at `p·depth·NR + s·NR + j`, columns past the end zero.
fn pack_b(b: &StridedMatrix, steps: Range<usize>, cols: Range<usize>, out: &mut [f64]) {
    let depth = steps.len();
    let full = (cols.len() / NR) * NR;
    if b.col_stride == 1 && full > 0 {
        // A row-major `B`: each step's columns lie side by side, so read each step's run of
        // columns once and deal it out to the whole panels.
        for (offset, step) in steps.clone().enumerate() {
            let start = step * b.row_stride + cols.start;
            let run = &b.data[start..start + full];
            for (panel, values) in run.chunks_exact(NR).enumerate() {
                let at = panel * depth * NR + offset * NR;
                out[at..at + NR].copy_from_slice(values);
            }
        }
        if full < cols.len() {
            pack_b_panel(
                b,
                steps,
                cols.start + full..cols.end,
                &mut out[full * depth..],
            );
        }
        return;
    }
    for (panel, first_col) in out
        .chunks_exact_mut(depth * NR)
        .zip(cols.clone().step_by(NR))
    {
        pack_b_panel(
            b,
            steps.clone(),
            first_col..cols.end.min(first_col + NR),
            panel,
        );
    }
}

/// Packs `B`'s `steps × cols` (at most `NR` columns) into one panel, columns past the end zero.
fn pack_b_panel(b: &StridedMatrix, steps: Range<usize>, cols: Range<usize>, panel: &mut [f64]) {
    let width = cols.len();
    if b.row_stride == 1 {
        // A transposed `B`: each column's steps lie side by side.
        for col in 0..NR {
            if col < width {
                let start = (cols.start + col) * b.col_stride + steps.start;
                let source = &b.data[start..start + steps.len()];
                for (values, &value) in panel.chunks_exact_mut(NR).zip(source) {
                    values[col] = value;
                }
            } else {
                panel
                    .chunks_exact_mut(NR)
                    .for_each(|values| values[col] = 0.0);
            }
        }
    } else {
        for (values, step) in panel.chunks_exact_mut(NR).zip(steps) {
            for (col, value) in values.iter_mut().enumerate() {
                *value = if col < width {
                    b.get(step, cols.start + col)
                } else {
                    0.0
                };
            }
        }
    }
}
