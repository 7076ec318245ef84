//! The blocked product: packed blocks of the operands, tiles of the output split across threads.

use super::avx512::{self, Avx512};
use super::pack;
use super::prefetch::Prefetch;
use super::{InPlace, Output, PACKED, Packed, SharedOutput, StridedMatrix, Tile};
use crate::kernels::parallel::for_ranges;
use std::ops::Range;

/// Rows of a tile: each step of the micro-kernel broadcasts one value of `A` per row.
pub(super) const MR: usize = 8;
/// Columns of a full tile: three vectors of eight.
const NR: usize = 24;
/// Inner-dimension steps per block.
const KC: usize = 256;
/// Up to this many panels across the output, `A` is read in place rather than packed: each of
/// its values then serves too few tiles for a packed copy to pay for itself.
const A_IN_PLACE_PANELS: usize = 2;
/// Up to this many rows of output, a row-major `B` is read in place rather than packed.
const B_IN_PLACE_ROWS: usize = 512;
/// Columns per block of `B` (eleven panels, 0.5 MiB at full depth: a core's L2 holds it).
const NC: usize = 11 * NR;
/// Panels of `A` packed at a time: 64 rows, 128 KiB at full depth, read in runs of 64 values
/// where a transposed `A` packed one panel at a time would be read 8 values per cache line.
const A_BLOCK_PANELS: usize = 8;

/// The values of `A` one tile reads: row `r` of step `s` at `r·row_stride + s·step_stride`.
struct APanel<'a> {
    values: &'a [f64],
    row_stride: usize,
    step_stride: usize,
}

/// One block of the product: inner steps `first_step..first_step + depth` and output columns
/// `first_col..first_col + cols`, with the activation to apply to the finished tiles when it is
/// the last block along the inner dimension.
struct Block<'a> {
    /// The CPU runs the micro-kernel.
    cpu: Avx512,
    a: &'a StridedMatrix<'a>,
    b: &'a StridedMatrix<'a>,
    output: SharedOutput,
    first_step: usize,
    depth: usize,
    first_col: usize,
    cols: usize,
    /// Panels of `NR` columns (the last may be narrower) across the block: `cols / NR` rounded up.
    panels: usize,
    accumulate: bool,
    activation: Option<InPlace>,
}

/// [`product`](super::product) by packed blocks and the AVX-512 micro-kernel, on a CPU that
/// runs it (`cpu` proves it).
///
/// # Panics
/// If the inner dimensions differ or the output does not hold `a.rows·b.cols` cells.
pub(super) fn product(
    cpu: Avx512,
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
    let output = SharedOutput(c.as_mut_ptr().cast::<f64>());
    let row_panels = m.div_ceil(MR);
    for first_col in (0..n).step_by(NC) {
        let cols = NC.min(n - first_col);
        let tiles = row_panels * cols.div_ceil(NR);
        // Each thread takes its share of the tiles through every block along the inner
        // dimension, so that the threads meet once per block of columns (once per product
        // when n ≤ NC), not once per block of the inner dimension.
        for_ranges(tiles, m * cols * k, |tiles| {
            PACKED.with_borrow_mut(|packed| {
                for first_step in (0..k).step_by(KC) {
                    let depth = KC.min(k - first_step);
                    let block = Block {
                        cpu,
                        a,
                        b,
                        output,
                        first_step,
                        depth,
                        first_col,
                        cols,
                        panels: cols.div_ceil(NR),
                        accumulate: accumulate || first_step > 0,
                        // The activation goes on each tile once its last block is added.
                        activation: activation.filter(|_| first_step + depth == k),
                    };
                    block.multiply_tiles(tiles.clone(), packed);
                }
            });
        });
    }
}

/// Where the micro-kernel reads a panel of `B`.
#[derive(Clone, Copy)]
enum BSource {
    /// In `B` itself, one row per step.
    InPlace,
    /// In a packed copy `width` values wide per step.
    Packed { width: usize },
}

/// Where the micro-kernel reads a panel of `cols` columns of `B` for an output of `rows` rows:
/// in place when `B` is row-major, the panel whole vectors wide and the output short (each
/// value of `B` then serves few tiles, too few to repay a packed copy), or else packed with
/// `cols` rounded up to whole vectors.
fn b_source(b: &StridedMatrix, rows: usize, cols: usize) -> BSource {
    if b.col_stride == 1 && cols.is_multiple_of(8) && rows <= B_IN_PLACE_ROWS {
        BSource::InPlace
    } else {
        BSource::Packed {
            width: cols.next_multiple_of(8),
        }
    }
}

impl Block<'_> {
    /// Multiplies the tiles numbered `tiles` (row by row of panels): packs the panels of `B`
    /// they need that are not read in place, then the rows of `A` a block of panels at a time.
    /// Between tiles it asks for the lines of the operands it reads next (see
    /// [`prefetch`](super::prefetch)).
    fn multiply_tiles(&self, tiles: Range<usize>, packed: &mut Packed) {
        let (m, panels, panel_len) = (self.a.rows, self.panels, MR * self.depth);
        let (first_row_panel, last_row_panel) = (tiles.start / panels, (tiles.end - 1) / panels);
        let col_panels = if first_row_panel == last_row_panel {
            tiles.start % panels..(tiles.end - 1) % panels + 1
        } else {
            0..panels
        };
        let packed_b = self.pack_b(col_panels, &mut packed.b);
        let a_block = grown(
            &mut packed.a,
            A_BLOCK_PANELS * panel_len,
            A_BLOCK_PANELS * MR * KC,
        );
        let mut packed_rows = 0..0;
        let mut next_a = Prefetch::nothing();
        let mut activation_from = None;
        for tile in tiles.clone() {
            let (row_panel, col_panel) = (tile / panels, tile % panels);
            let first_row = row_panel * MR;
            let a_panel = if self.a_in_place_fits(panels, first_row) {
                self.a_in_place(first_row)
            } else {
                if !packed_rows.contains(&row_panel) {
                    packed_rows = row_panel..(last_row_panel + 1).min(row_panel + A_BLOCK_PANELS);
                    let rows = (packed_rows.end * MR).min(m) - first_row;
                    let steps = [self.first_step, self.depth];
                    pack::a_panels(self.a, first_row, rows, steps, a_block);
                    next_a = self.next_a_block(&packed_rows, &tiles);
                }
                next_a.advance();
                let offset = (row_panel - packed_rows.start) * panel_len;
                APanel {
                    values: &a_block[offset..offset + panel_len],
                    row_stride: 1,
                    step_stride: MR,
                }
            };
            let place = [row_panel, col_panel];
            self.prefetch_b(tile, place, &tiles);
            self.multiply_tile(a_panel, packed_b, first_row, col_panel);
            self.activate_finished(tile, place, &mut activation_from, tiles.end);
        }
    }

    /// The next block of a transposed `A` this thread packs after the block of row panels
    /// `packed`, to be asked for over the tiles of `packed`: the next panels of this block of
    /// steps, or else the thread's first panels in the next block of steps.
    ///
    /// A transposed `A` is packed from runs of 64 values, one in each of `KC` rows of the
    /// matrix, which the hardware's prefetcher follows poorly; asked for ahead, its lines come
    /// while the current block is multiplied (for the 10-class weight gradient of the deep
    /// workload, a fifth less time). A row-major `A` is packed from long runs, which the
    /// hardware fetches ahead by itself: asking for them too measured no faster.
    fn next_a_block(&self, packed: &Range<usize>, tiles: &Range<usize>) -> Prefetch<'_> {
        if self.a.row_stride != 1 {
            return Prefetch::nothing();
        }
        let (m, k, panels) = (self.a.rows, self.a.cols, self.panels);
        let (last_row_panel, next_step) = ((tiles.end - 1) / panels, self.first_step + self.depth);
        let (first_panel, steps) = if packed.end <= last_row_panel {
            (packed.end, [self.first_step, self.depth])
        } else if next_step < k {
            (tiles.start / panels, [next_step, KC.min(k - next_step)])
        } else {
            return Prefetch::nothing();
        };
        let end = (last_row_panel + 1).min(first_panel + A_BLOCK_PANELS);
        let rows = (end * MR).min(m) - first_panel * MR;
        let block_tiles =
            tiles.end.min(packed.end * panels) - tiles.start.max(packed.start * panels);
        Prefetch::block(self.a, first_panel * MR, rows, steps, block_tiles)
    }

    /// Asks for the panel of a `B` read in place that follows tile number `tile` (at row panel
    /// and column panel `place`) in this thread's first row of tiles, and during its last tile for the first panel of the next
    /// block of steps. That row of tiles is the first to read each panel of this block of
    /// steps, from main memory: 192 bytes from each of `KC` rows, a pattern the hardware's
    /// prefetcher follows poorly; the thread's other rows of tiles find the panels in its
    /// cache. For the weight gradients of the deep workload (`Xᵀ·G` with 8192 steps) this took
    /// a tenth (256 rows of output) to a quarter (64 rows) off the product's time.
    fn prefetch_b(&self, tile: usize, [row_panel, col_panel]: [usize; 2], tiles: &Range<usize>) {
        let (k, panels) = (self.a.cols, self.panels);
        if row_panel == tiles.start / panels && col_panel + 1 < panels {
            self.prefetch_b_panel(col_panel + 1, [self.first_step, self.depth]);
        }
        let next_step = self.first_step + self.depth;
        if tile + 1 == tiles.end && next_step < k {
            let steps = [next_step, KC.min(k - next_step)];
            self.prefetch_b_panel(tiles.start % panels, steps);
        }
    }

    /// Asks for panel `col_panel` of `B` at steps `first_step..first_step + depth`, when it is
    /// read in place.
    fn prefetch_b_panel(&self, col_panel: usize, [first_step, depth]: [usize; 2]) {
        let col = col_panel * NR;
        let cols = NR.min(self.cols - col);
        if let BSource::InPlace = b_source(self.b, self.a.rows, cols) {
            let b = self.b;
            let start = first_step * b.row_stride + (self.first_col + col) * b.col_stride;
            Prefetch::runs(b.data, start, [depth, b.row_stride, cols], 1).advance();
        }
    }

    /// After tile number `tile` (at row panel and column panel `place`): when it ends this
    /// thread's run of tiles along its row of panels, applies the activation (if any) to that
    /// run's cells, still in cache. `run_from` holds the first panel of the current run.
    fn activate_finished(
        &self,
        tile: usize,
        [row_panel, col_panel]: [usize; 2],
        run_from: &mut Option<usize>,
        tiles_end: usize,
    ) {
        let Some(activation) = self.activation else {
            return;
        };
        let panels = self.panels;
        let first_panel = *run_from.get_or_insert(col_panel);
        if col_panel + 1 < panels && tile + 1 < tiles_end {
            return;
        }
        *run_from = None;
        let (m, n) = (self.a.rows, self.b.cols);
        let first_col = self.first_col + first_panel * NR;
        let last_col = self.first_col + self.cols.min((col_panel + 1) * NR);
        for row in row_panel * MR..m.min((row_panel + 1) * MR) {
            // SAFETY: the run's tiles were written by this thread just above, and no other
            // thread touches them; the cells lie inside row `row` of the `[m, n]` output.
            let cells = unsafe {
                let first = self.output.cell(row * n + first_col);
                std::slice::from_raw_parts_mut(first, last_col - first_col)
            };
            activation(cells);
        }
    }

    /// Whether the tiles at `first_row` read `A` in place: when the output is at most
    /// `A_IN_PLACE_PANELS` panels wide (each value of `A` serves too few tiles for a packed copy
    /// to pay for itself), `A` is row-major (each row a contiguous run; a transposed `A` would be
    /// read 64 bytes from each of thousands of rows, which a packed block of panels reads in
    /// runs of 512) and the panel holds `MR` whole rows.
    fn a_in_place_fits(&self, panels: usize, first_row: usize) -> bool {
        panels <= A_IN_PLACE_PANELS && self.a.col_stride == 1 && first_row + MR <= self.a.rows
    }

    /// The `MR` whole rows of `A` from `first_row`, over the block's steps, read in place.
    fn a_in_place(&self, first_row: usize) -> APanel<'_> {
        let a = self.a;
        APanel {
            values: &a.data[first_row * a.row_stride + self.first_step * a.col_stride..],
            row_stride: a.row_stride,
            step_stride: a.col_stride,
        }
    }

    /// Packs the panels `col_panels` of the block of `B` that are not read in place, into a
    /// buffer that holds `depth·NR` values per panel of the block; returns the buffer.
    fn pack_b<'b>(&self, col_panels: Range<usize>, buffer: &'b mut Vec<f64>) -> &'b [f64] {
        let panel_len = self.depth * NR;
        // One spare vector's room, to start the panels on a cache line.
        let buffer = grown(
            buffer,
            self.panels * panel_len + 8,
            NC.div_ceil(NR) * NR * KC + 8,
        );
        let align = buffer.as_ptr().align_offset(64).min(8);
        let buffer = &mut buffer[align..];
        for col_panel in col_panels {
            let panel_col = col_panel * NR;
            let cols = NR.min(self.cols - panel_col);
            if let BSource::Packed { width } = b_source(self.b, self.a.rows, cols) {
                let panel = &mut buffer[col_panel * panel_len..][..panel_len];
                let steps = [self.first_step, self.depth];
                pack::b_panel(self.b, self.first_col + panel_col, steps, width, panel);
            }
        }
        buffer
    }

    /// The tile at output rows `first_row..first_row + MR` and panel `col_panel` of the block.
    fn multiply_tile(&self, a: APanel, packed_b: &[f64], first_row: usize, col_panel: usize) {
        let (b, n) = (self.b, self.b.cols);
        let cols = NR.min(self.cols - col_panel * NR);
        let col = self.first_col + col_panel * NR;
        let (b_panel, b_step) = match b_source(b, self.a.rows, cols) {
            BSource::Packed { width } => (&packed_b[col_panel * self.depth * NR..], width),
            BSource::InPlace => (
                &b.data[self.first_step * b.row_stride + col..],
                b.row_stride,
            ),
        };
        let nv = cols.div_ceil(8);
        let panels = avx512::Panels::new(
            (a.values, [a.row_stride, a.step_stride]),
            (b_panel, b_step),
            self.depth,
            nv,
        );
        let tile = Tile {
            // SAFETY: the tile's first cell lies inside the `[m, n]` output.
            cells: unsafe { self.output.cell(first_row * n + col) },
            row_stride: n,
            rows: MR.min(self.a.rows - first_row),
            cols,
            accumulate: self.accumulate,
        };
        // SAFETY: `self.cpu` proves that the CPU has AVX-512F. `Panels::new` took both panels
        // from slices (an A panel with `MR` values at each of `depth` steps, packed or whole
        // rows of A read in place; a B panel with `8·nv` values at each step: a packed panel
        // rounded up to whole vectors, or `cols`, whole vectors, of a B read in place), and
        // checks in debug builds that they reach that far. The tile's `rows × cols` cells
        // (`cols ≤ 8·nv`) lie inside the output, no other thread writes them, and they hold
        // numbers when accumulating (an `Output::AddTo`, or the sums of the block before).
        unsafe {
            match nv {
                3 => avx512::multiply::<3>(self.cpu, &panels, &tile),
                2 => avx512::multiply::<2>(self.cpu, &panels, &tile),
                _ => avx512::multiply::<1>(self.cpu, &panels, &tile),
            }
        }
    }
}

/// `buffer`'s first `len` values. The buffer grows, once, to `most` values (the largest `len`
/// asked of it), whatever the first `len`: so a thread's buffers stop growing after its first
/// product, whichever share of which product each thread happens to take.
fn grown(buffer: &mut Vec<f64>, len: usize, most: usize) -> &mut [f64] {
    debug_assert!(
        len <= most,
        "blocked: {len} values asked of a buffer of {most}"
    );
    if buffer.len() < most {
        buffer.resize(most, 0.0);
    }
    &mut buffer[..len]
}
