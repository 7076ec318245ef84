//! Selecting one entry per row by index (the cross-entropy's `probs[range(N), y]`).

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;
use std::sync::Arc;

impl<'t> Var<'t> {
    /// The rank-1 var `x[r, indices[r]]` over the rows `r` of a rank-2 var: numpy's
    /// `x[range(N), indices]`, which picks each example's entry for its class.
    ///
    /// Backward: `dL/dx = scatter(dL/dy)`: zeros except `dL/dx[r, indices[r]] = dL/dy[r]`.
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
        Var::apply(Pick { indices }, [self])
    }
}

/// `y[r] = x[r, indices[r]]`.
#[derive(Clone)]
pub(crate) struct Pick {
    pub(crate) indices: Arc<[usize]>,
}

impl Primitive for Pick {
    const NAME: &'static str = "pick";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = scatter(dL/dy): zeros except dL/dx[r, i_r] = dL/dy[r]";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].pick_per_row(&self.indices)
    }

    /// For `y[r] = x[r, i_r]`: `dL/dx = scatter(dL/dy)`: zeros except `dL/dx[r, i_r] = dL/dy[r]`
    /// (the tutorial's `delta3[range(N), y] -= 1` is this, for the `−log` of the picked entries).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let columns = saved.shape(0).dims()[1];
        grads.set(0, || c.scatter(g, &self.indices, columns));
    }

    fn cases() -> Vec<OpCase> {
        vec![OpCase::new(Self::NAME, "[3, 4]", &[(&[3, 4], Domain::Normal)], |v| {
            v[0].pick(&[2, 0, 3])
        })]
    }
}
