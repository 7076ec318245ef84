//! Placing one value per row at an index, zeros elsewhere: the transpose of `pick`.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;
use std::sync::Arc;

impl<'t> Var<'t> {
    /// The rank-2 var with `columns` columns holding `x[r]` at `[r, indices[r]]` and zeros
    /// elsewhere: the transpose of [`pick`](Var::pick).
    ///
    /// Backward: `dL/dx[r] = dL/dy[r, indices[r]]`, a pick.
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
        Var::apply(Scatter { indices, columns }, [self])
    }
}

/// `y[r, indices[r]] = x[r]`, zeros elsewhere.
#[derive(Clone)]
pub(crate) struct Scatter {
    pub(crate) indices: Arc<[usize]>,
    pub(crate) columns: usize,
}

impl Primitive for Scatter {
    const NAME: &'static str = "scatter";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx[r] = dL/dy[r, i_r]  (a pick)";

    fn parameters(&self) -> String {
        format!("columns={}", self.columns)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].scatter_per_row(&self.indices, self.columns)
    }

    /// For `y = scatter(x)`: `dL/dx[r] = dL/dy[r, i_r]`, a pick (scatter is linear, pick its
    /// transpose).
    fn backward<C: Calc>(&self, c: &C, _: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.pick(g, &self.indices));
    }

    fn cases() -> Vec<OpCase> {
        vec![OpCase::new(Self::NAME, "[3] into 4 columns", &[(&[3], Domain::Normal)], |v| {
            v[0].scatter(&[1, 3, 1], 4)
        })]
    }
}
