//! `embedding_backward(g) = scatter-add of g's rows by id`: the transpose of `embedding`.

use super::embedding::Embedding;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;
use std::sync::Arc;

/// `out[v] = Σ_{i : ids[i] = v} g[i]` over `rows` rows (zeros where no id points): the
/// derivative op of [`Var::embedding`], input `[g]` of shape `[ids.len(), D]`.
#[derive(Clone)]
pub(crate) struct EmbeddingBackward {
    pub(crate) ids: Arc<[usize]>,
    pub(crate) rows: usize,
}

impl Primitive for EmbeddingBackward {
    const NAME: &'static str = "embedding_backward";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dg[i] = dL/dout[ids[i]]";

    fn parameters(&self) -> String {
        format!("ids={}, rows={}", self.ids.len(), self.rows)
    }

    /// Adds the rows in order of position, so that a repeated id's sum has a fixed rounding.
    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        let g = inputs[0];
        let width = g.dims()[1];
        let mut data = vec![0.0; self.rows * width];
        for (i, &id) in self.ids.iter().enumerate() {
            let source = &g.data()[i * width..(i + 1) * width];
            for (out, &value) in data[id * width..(id + 1) * width].iter_mut().zip(source) {
                *out += value;
            }
        }
        Tensor::from_vec(data, [self.rows, width])
    }

    /// Linear in `g`, with the gather as its transpose: `dL/dg[i] = dL/dout[ids[i]]`.
    fn backward<C: Calc>(&self, c: &C, _: &Saved<'_, C>, u: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.apply(Embedding { ids: self.ids.clone() }, [u]));
    }

    fn cases() -> Vec<OpCase> {
        vec![OpCase::new(Self::NAME, "[5, 3] ids 1,3,1,1,0 into 4 rows", &[(&[5, 3], Domain::Normal)], |v| {
            let tape = v[0].tape();
            Var::apply(
                EmbeddingBackward { ids: tape.shared_indices(&[1, 3, 1, 1, 0]), rows: 4 },
                [v[0]],
            )
        })]
    }
}

#[cfg(test)]
mod tests {
    use super::super::embedding::gather_rows;
    use super::*;

    #[test]
    fn repeated_ids_add_their_rows_and_unused_rows_stay_zero() {
        let g = Tensor::from_rows(&[[1.0, 2.0], [10.0, 20.0], [100.0, 200.0]]);
        let op = EmbeddingBackward { ids: Arc::from(vec![2, 0, 2]), rows: 4 };
        let out = op.forward(&[&g]);
        assert_eq!(out.data(), &[10.0, 20.0, 0.0, 0.0, 101.0, 202.0, 0.0, 0.0]);
        assert_eq!(gather_rows(&out, &[2, 1]).data(), &[101.0, 202.0, 0.0, 0.0]);
    }
}
