//! A recurrent language model: embeddings, a cell unrolled over time, and a map to logits.

use super::recurrent::{Cell, unroll};
use super::scaled_randn;
use crate::params::{ParamVars, Params};
use autograd::{Tensor, Var};
use rand::Rng;

/// `x_t = emb[ids_t]`, `h_t = cell(x_t, h_{t−1})` from `h₀ = 0`, `logits_t = h_t·W_out + b_out`.
///
/// Parameters `emb` `[vocab, embed]`, the cell's (its own prefix), `W_out` `[hidden, vocab]`,
/// `b_out` `[vocab]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecurrentLm<C> {
    /// The number of tokens.
    pub vocab: usize,
    /// The embedding width (the cell's input width).
    pub embed: usize,
    /// The cell.
    pub cell: C,
}

impl<C: Cell> RecurrentLm<C> {
    /// A store with every parameter, drawn from `rng`.
    pub fn init(&self, rng: &mut impl Rng) -> Params {
        let mut params = Params::new();
        params.insert("emb", scaled_randn(&[self.vocab, self.embed], 1, rng));
        self.cell.init(&mut params, rng);
        let h = self.cell.hidden();
        params.insert("W_out", scaled_randn(&[h, self.vocab], h, rng));
        params.insert("b_out", Tensor::zeros([self.vocab]));
        params
    }

    /// The logits `[batch·time, vocab]` (row `b·time + t` predicts the token after position
    /// `t` of sequence `b`) for `ids`, `batch` sequences of `time` tokens one after another.
    ///
    /// # Panics
    /// If `ids` is not `batch·time` long or an id is out of the vocabulary.
    #[track_caller]
    pub fn forward<'t>(
        &self,
        p: &ParamVars<'t>,
        ids: &[usize],
        batch: usize,
        time: usize,
    ) -> Var<'t> {
        assert_eq!(
            ids.len(),
            batch * time,
            "RecurrentLm::forward: {} ids for {batch}×{time}",
            ids.len()
        );
        let table = p.get("emb");
        let inputs: Vec<Var<'t>> = (0..time)
            .map(|t| {
                let step: Vec<usize> = (0..batch).map(|b| ids[b * time + t]).collect();
                table.embedding(&step)
            })
            .collect();
        let hidden = unroll(&self.cell, p, &inputs);
        let h = self.cell.hidden();
        let stacked = Var::stack(&hidden, 1).reshape([batch * time, h]);
        stacked.affine(p.get("W_out"), p.get("b_out"))
    }
}
