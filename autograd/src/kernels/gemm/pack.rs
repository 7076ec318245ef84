//! Copying blocks of the operands into the panel order the micro-kernel streams through.

use super::StridedMatrix;
use super::blocked::MR;

/// Packs rows `first_row..first_row + rows` of `a`, inner steps `first_step..first_step + depth`,
/// as consecutive panels of `MR` rows, each `depth` groups of `MR` values (one per row), with
/// zeros for the rows of the last panel past `rows`.
pub(super) fn a_panels(
    a: &StridedMatrix,
    first_row: usize,
    rows: usize,
    [first_step, depth]: [usize; 2],
    panels: &mut [f64],
) {
    let panel_len = MR * depth;
    let panels = &mut panels[..rows.div_ceil(MR) * panel_len];
    if !rows.is_multiple_of(MR) {
        let last = panels.len() - panel_len;
        panels[last..].fill(0.0);
    }
    let at = |row: usize, step: usize| {
        (first_row + row) * a.row_stride + (first_step + step) * a.col_stride
    };
    if a.row_stride == 1 {
        // A transposed operand: at each step, the rows lie side by side in memory.
        for step in 0..depth {
            let start = at(0, step);
            let (groups, rest) = a.data[start..start + rows].as_chunks::<MR>();
            let mut panels = panels.chunks_exact_mut(panel_len);
            // Whole groups as fixed-size copies: a copy of a run whose length is not known
            // at compile time is a call to `memmove`, which cost more than the 64 bytes moved.
            // (`groups` first: once it ends, `zip` takes no panel from `panels`.)
            for (group, panel) in groups.iter().zip(panels.by_ref()) {
                let cells: &mut [f64; MR] = (&mut panel[step * MR..][..MR]).try_into().unwrap();
                *cells = *group;
            }
            if let Some(panel) = panels.next() {
                panel[step * MR..][..rest.len()].copy_from_slice(rest);
            }
        }
    } else {
        for row in 0..rows {
            let panel = &mut panels[row / MR * panel_len..][..panel_len];
            let values = a.data[at(row, 0)..]
                .iter()
                .step_by(a.col_stride)
                .take(depth);
            for (group, &value) in panel.chunks_exact_mut(MR).zip(values) {
                group[row % MR] = value;
            }
        }
    }
}

/// Packs columns `first_col..first_col + width` of `b` (`width` a multiple of 8, zeros past the
/// matrix's edge), inner steps `first_step..first_step + depth`, as `depth` rows of `width`.
pub(super) fn b_panel(
    b: &StridedMatrix,
    first_col: usize,
    [first_step, depth]: [usize; 2],
    width: usize,
    panel: &mut [f64],
) {
    let cols = width.min(b.cols - first_col);
    let panel = &mut panel[..depth * width];
    let at = |step: usize, col: usize| {
        (first_step + step) * b.row_stride + (first_col + col) * b.col_stride
    };
    if b.row_stride == 1 {
        // A transposed operand: each of the panel's columns lies contiguous in memory.
        for row in panel.chunks_exact_mut(width) {
            row[cols..].fill(0.0);
        }
        for col in 0..cols {
            let start = at(0, col);
            let column = &b.data[start..start + depth];
            for (row, &value) in panel.chunks_exact_mut(width).zip(column) {
                row[col] = value;
            }
        }
        return;
    }
    for (step, row) in panel.chunks_exact_mut(width).enumerate() {
        let (inside, outside) = row.split_at_mut(cols);
        let start = at(step, 0);
        if b.col_stride == 1 {
            inside.copy_from_slice(&b.data[start..start + cols]);
        } else {
            let values = b.data[start..].iter().step_by(b.col_stride);
            for (cell, &value) in inside.iter_mut().zip(values) {
                *cell = value;
            }
        }
        outside.fill(0.0);
    }
}
