//! Selecting one entry per row by index (the cross-entropy's `probs[range(N), y]`), and its transpose.

use super::Op;
use crate::calc::Calc;
use crate::tape::Inputs;
use crate::var::Var;
use std::panic::Location;
use std::sync::Arc;

impl<'t> Var<'t> {
    /// The rank-1 var `x[r, indices[r]]` over the rows `r` of a rank-2 var: numpy's
    /// `x[range(N), indices]`, which picks each example's entry for its class.
    ///
    /// # Panics
    /// If the var is not rank 2, there is not one index per row, or an index is out of range.
    #[track_caller]
    pub fn pick(self, indices: &[usize]) -> Var<'t> {
        self.pick_shared(self.tape.shared_indices(indices))
    }

    #[track_caller]
    pub(crate) fn pick_shared(self, indices: Arc<[usize]>) -> Var<'t> {
        let shape = self.shape();
        let at = Location::caller();
        if shape.rank() != 2 || shape.dims()[0] != indices.len() {
            panic!(
                "pick: {shape} does not have one row per index ({} indices) (at {at})",
                indices.len()
            );
        }
        let columns = shape.dims()[1];
        if let Some((row, index)) = indices.iter().enumerate().find(|&(_, &i)| i >= columns) {
            panic!("pick: index {index} in row {row} is out of range for {shape} (at {at})");
        }
        let value = self.value().pick_per_row(&indices);
        self.tape
            .record(Op::Pick { indices }, Inputs::One([self.id]), value)
    }

    /// The rank-2 var with `columns` columns holding `x[r]` at `[r, indices[r]]` and zeros
    /// elsewhere: the transpose of [`pick`](Var::pick).
    ///
    /// # Panics
    /// If the var is not rank 1 with one value per index, or an index is not below `columns`.
    #[track_caller]
    pub fn scatter(self, indices: &[usize], columns: usize) -> Var<'t> {
        self.scatter_shared(self.tape.shared_indices(indices), columns)
    }

    #[track_caller]
    pub(crate) fn scatter_shared(self, indices: Arc<[usize]>, columns: usize) -> Var<'t> {
        let shape = self.shape();
        let at = Location::caller();
        if shape.rank() != 1 || shape.numel() != indices.len() {
            panic!(
                "scatter: {shape} does not hold one value per index ({} indices) (at {at})",
                indices.len()
            );
        }
        if let Some((row, index)) = indices.iter().enumerate().find(|&(_, &i)| i >= columns) {
            panic!(
                "scatter: index {index} in row {row} is out of range for {columns} columns (at {at})"
            );
        }
        let value = self.value().scatter_per_row(&indices, columns);
        self.tape.record(
            Op::Scatter { indices, columns },
            Inputs::One([self.id]),
            value,
        )
    }
}

/// For `y[r] = x[r, i_r]`: `dL/dx = scatter(dL/dy)`: zeros except `dL/dx[r, i_r] = dL/dy[r]`
/// (the tutorial's `delta3[range(N), y] -= 1` is this, for the `−log` of the picked entries).
pub(crate) fn pick_backward<C: Calc>(
    c: &C,
    x: &C::V,
    grad_y: &C::V,
    indices: &Arc<[usize]>,
) -> C::V {
    let columns = c.shape(x).dims()[1];
    c.scatter(grad_y, indices, columns)
}

/// For `y = scatter(x)`: `dL/dx[r] = dL/dy[r, i_r]`, a pick (scatter is linear, pick its transpose).
pub(crate) fn scatter_backward<C: Calc>(c: &C, grad_y: &C::V, indices: &Arc<[usize]>) -> C::V {
    c.pick(grad_y, indices)
}
