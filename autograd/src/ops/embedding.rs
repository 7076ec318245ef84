//! Rows of a table gathered by integer ids: a learned embedding of tokens.
//!
//! `pick` and `scatter` move one *entry* per row; an embedding moves whole *rows* and may take
//! the same row many times, so it is its own pair of ops: this gather and its transpose,
//! [`EmbeddingBackward`], a scatter-add.

use super::embedding_backward::EmbeddingBackward;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;
use std::sync::Arc;

impl<'t> Var<'t> {
    /// The rows `table[ids[i]]` of a rank-2 table `[V, D]`, stacked into `[ids.len(), D]`
    /// (numpy's `table[ids]`); an id may repeat.
    ///
    /// Backward: `dL/dtable[v] = Σ_{i : ids[i] = v} dL/dy[i]`: each output row's gradient is
    /// added into the row it came from, so a repeated id collects the sum of its rows.
    ///
    /// # Panics
    /// If the table is not rank 2 or an id is not below its row count.
    #[track_caller]
    pub fn embedding(self, ids: &[usize]) -> Var<'t> {
        let shape = self.shape();
        let at = Location::caller();
        if shape.rank() != 2 {
            panic!("embedding: the table {shape} is not rank 2 [rows, width] (at {at})");
        }
        let rows = shape.dims()[0];
        if let Some((i, id)) = ids.iter().enumerate().find(|&(_, &id)| id >= rows) {
            panic!("embedding: id {id} at position {i} is out of range for a table {shape} (at {at})");
        }
        Var::apply(Embedding { ids: self.tape.shared_indices(ids) }, [self])
    }
}

/// `y[i] = table[ids[i]]`.
#[derive(Clone)]
pub(crate) struct Embedding {
    pub(crate) ids: Arc<[usize]>,
}

impl Primitive for Embedding {
    const NAME: &'static str = "embedding";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dtable[v] = Σ_{i : ids[i] = v} dL/dy[i]";

    fn parameters(&self) -> String {
        format!("ids={}", self.ids.len())
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        gather_rows(inputs[0], &self.ids)
    }

    /// For `y[i] = table[ids[i]]` (linear in the table): `dL/dtable[v] = Σ_{i : ids[i] = v}
    /// dL/dy[i]`, the scatter-add [`EmbeddingBackward`], whose own rule is this gather again.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let rows = saved.shape(0).dims()[0];
        grads.set(0, || {
            c.apply(EmbeddingBackward { ids: self.ids.clone(), rows }, [g])
        });
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[4, 3] ids 2,0,2,3,2", &[(&[4, 3], n)], |v| {
                v[0].embedding(&[2, 0, 2, 3, 2])
            }),
            OpCase::new(Self::NAME, "[5, 1] ids 4", &[(&[5, 1], n)], |v| v[0].embedding(&[4])),
        ]
    }
}

/// The rows `table[ids[i]]` of a rank-2 table, stacked.
pub(crate) fn gather_rows(table: &Tensor, ids: &[usize]) -> Tensor {
    let width = table.dims()[1];
    let mut data = Vec::with_capacity(ids.len() * width);
    for &id in ids {
        data.extend_from_slice(&table.data()[id * width..(id + 1) * width]);
    }
    Tensor::from_vec(data, [ids.len(), width])
}
