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
use std::ops::Range;

/// Inner-dimension steps per block: a panel of `B` is `KC·NR` values (16 KiB, in L1).
const KC: usize = 256;
/// Rows of `A` packed at a time: twelve panels, `MC·KC` values (144 KiB, in L2).
const MC: usize = 12 * MR;
/// Columns of `B` packed at a time: `KC·NC` values (2 MiB).
const NC: usize = 128 * NR;
/// A block's worth of steps of zeros, the values of a panel's lines past the end of its matrix.
static ZEROS: [f64; KC] = [0.0; KC];
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
    if super::nothing_to_multiply(c, accumulate, [m, k, n], activation) {
        return;
    }
    let product = Product {
        cpu,
        a,
        b,
        output: SharedOutput(c.as_mut_ptr().cast::<f64>()),
        accumulate,
        activation,
    };
    // Cut the larger operand: A (`m·k` values) when `m ≥ n`, else B (`k·n`), in whole panels
    // so that no thread multiplies a partial one that another finishes.
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
                    pack::<NR>(&self.b.transposed(), cols.clone(), steps.clone(), b_panels);
                    for first_row in rows.clone().step_by(MC) {
                        let rows = first_row..(first_row + MC).min(rows.end);
                        let a_panels = aligned(
                            &mut packed.a,
                            steps.len() * round_up(rows.len(), MR),
                            KC * MC,
                        );
                        pack::<MR>(self.a, rows.clone(), steps.clone(), a_panels);
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

/// Packs `lines × steps` of `matrix` (each line one of its rows, each step one of its columns)
/// into panels of `W` lines: in panel `p`, line `l` of step `s` at `p·depth·W + s·W + l`,
/// lines past the end zero. `A` is packed by rows (`W = MR`); `B` by columns (`W = NR`), as
/// the rows of its transpose.
fn pack<const W: usize>(
    matrix: &StridedMatrix,
    lines: Range<usize>,
    steps: Range<usize>,
    out: &mut [f64],
) {
    let depth = steps.len();
    let full = (lines.len() / W) * W;
    if matrix.row_stride == 1 && full > 0 {
        // Each step's lines lie side by side (a transposed `A`, a row-major `B`): read each
        // step's run of lines once and deal it out to the whole panels.
        for (offset, step) in steps.clone().enumerate() {
            let start = lines.start + step * matrix.col_stride;
            let run = &matrix.data[start..start + full];
            for (panel, values) in run.chunks_exact(W).enumerate() {
                let at = panel * depth * W + offset * W;
                out[at..at + W].copy_from_slice(values);
            }
        }
        if full < lines.len() {
            let rest = lines.start + full..lines.end;
            pack_panel::<W>(matrix, rest, steps, &mut out[full * depth..]);
        }
        return;
    }
    for (panel, first) in out
        .chunks_exact_mut(depth * W)
        .zip(lines.clone().step_by(W))
    {
        let lines = first..lines.end.min(first + W);
        pack_panel::<W>(matrix, lines, steps.clone(), panel);
    }
}

/// Packs `lines × steps` of `matrix` (at most `W` lines) into one panel, lines past the end
/// zero.
fn pack_panel<const W: usize>(
    matrix: &StridedMatrix,
    lines: Range<usize>,
    steps: Range<usize>,
    panel: &mut [f64],
) {
    let (height, depth) = (lines.len(), steps.len());
    if matrix.col_stride == 1 {
        // Each line's steps lie side by side (a row-major `A`, a transposed `B`): read the
        // panel's lines side by side and write its steps in order, lines past the end read
        // from zeros.
        let sources: [&[f64]; W] = std::array::from_fn(|line| {
            if line < height {
                let start = (lines.start + line) * matrix.row_stride + steps.start;
                &matrix.data[start..start + depth]
            } else {
                &ZEROS[..depth]
            }
        });
        for (step, values) in panel.chunks_exact_mut(W).take(depth).enumerate() {
            for (value, source) in values.iter_mut().zip(&sources) {
                *value = source[step];
            }
        }
    } else {
        for (values, step) in panel.chunks_exact_mut(W).zip(steps) {
            for (line, value) in values.iter_mut().enumerate() {
                *value = if line < height {
                    matrix.get(lines.start + line, step)
                } else {
                    0.0
                };
            }
        }
    }
}
