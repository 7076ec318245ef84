//! Softmax cross-entropy of logits against class labels, one loss per row.

use super::softmax_cross_entropy_backward::SoftmaxCrossEntropyBackward;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tape::Inputs;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;
use std::sync::Arc;

impl<'t> Var<'t> {
    /// The softmax cross-entropy of each row of `[m, C]` logits against its class `labels[r]`:
    /// `−log softmax(x)[r, labels[r]]`, a `[m]` var of per-example losses (sum or average it
    /// for a batch loss).
    ///
    /// The same numbers as `-self.log_softmax(1).pick(labels)`, to the last bit, as one node
    /// whose backward rule is the tutorial's `delta3 = probs − onehot(y)` in a single pass.
    ///
    /// Backward: `dL/dx[r, j] = dL/dℓᵣ · (softmax(x)[r, j] − [j = labels[r]])`.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let logits = tape.var(Tensor::from_rows(&[[2.0, 0.0], [0.0, 0.0]]));
    /// let losses = logits.softmax_cross_entropy(&[0, 1]);
    /// assert!((losses.value()[[1]] - std::f64::consts::LN_2).abs() < 1e-15);
    /// let grads = losses.sum().backward();
    /// assert!((grads[logits][[1, 1]] - (0.5 - 1.0)).abs() < 1e-15); // probs − onehot
    /// ```
    ///
    /// # Panics
    /// If the logits are not rank 2, there is not one label per row, or a label is not below
    /// `C`; the message names the shape, the offending label and the caller's line.
    #[track_caller]
    pub fn softmax_cross_entropy(self, labels: &[usize]) -> Var<'t> {
        self.softmax_cross_entropy_shared(self.tape.shared_indices(labels))
    }

    #[track_caller]
    pub(crate) fn softmax_cross_entropy_shared(self, labels: Arc<[usize]>) -> Var<'t> {
        let shape = self.shape();
        let at = Location::caller();
        if shape.rank() != 2 || shape.dims()[0] != labels.len() {
            panic!(
                "softmax_cross_entropy: logits {shape} do not have one row per label ({} labels) (at {at})",
                labels.len()
            );
        }
        let classes = shape.dims()[1];
        if let Some((row, label)) = labels.iter().enumerate().find(|&(_, &l)| l >= classes) {
            panic!(
                "softmax_cross_entropy: label {label} in row {row} is out of range for {classes} classes (at {at})"
            );
        }
        // The forward also makes the softmax, which the op keeps for its rule.
        let (value, probs) = self.value().softmax_cross_entropy_and_probs(&labels);
        let op = SoftmaxCrossEntropy { labels, probs };
        self.tape.record(op.into(), Inputs::One([self.id]), value)
    }
}

/// `ℓᵣ = −log softmax(x)[r, labels[r]]`, keeping `probs = softmax(x)` (extra state) for the rule.
#[derive(Clone)]
pub(crate) struct SoftmaxCrossEntropy {
    pub(crate) labels: Arc<[usize]>,
    pub(crate) probs: Tensor,
}

impl Primitive for SoftmaxCrossEntropy {
    const NAME: &'static str = "softmax_cross_entropy";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx[r, j] = dL/dℓᵣ · (softmax(x)[r, j] − [j = labels[r]])";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].softmax_cross_entropy(&self.labels)
    }

    #[track_caller]
    fn replay<'t>(&self, inputs: &[Var<'t>]) -> Var<'t> {
        inputs[0].softmax_cross_entropy_shared(self.labels.clone())
    }

    fn kept(&self) -> Option<&Tensor> {
        Some(&self.probs)
    }

    /// For `ℓᵣ = −log softmax(x)[r, yᵣ] = log Σⱼ exp(x[r, j]) − x[r, yᵣ]`:
    /// `dL/dx[r, j] = dL/dℓᵣ · (softmax(x)[r, j] − [j = yᵣ])`.
    ///
    /// (The first term differentiates the log-sum-exp, whose slope is the softmax; the second the
    /// picked logit.) With `dL/dℓᵣ = 1` this is the tutorial's `delta3 = probs − onehot(y)`: the
    /// derivative op [`SoftmaxCrossEntropyBackward`] on the softmax, which eager mode reads from
    /// the kept `probs` and recording mode records as `softmax(x)` (the same numbers, and a
    /// function of `x` for higher orders).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || {
            let probs = saved.kept().unwrap_or_else(|| c.softmax(&saved.input(0), 1));
            let op = SoftmaxCrossEntropyBackward {
                labels: self.labels.clone(),
            };
            c.apply(op, [&probs, g])
        });
    }

    fn cases() -> Vec<OpCase> {
        vec![
            OpCase::new(Self::NAME, "[3, 4]", &[(&[3, 4], Domain::Normal)], |v| {
                v[0].softmax_cross_entropy(&[2, 0, 3])
            }),
            OpCase::new(Self::NAME, "[2, 1]", &[(&[2, 1], Domain::Normal)], |v| {
                v[0].softmax_cross_entropy(&[0, 0])
            }),
        ]
    }
}
