//! Softmax cross-entropy of logits against class labels, one loss per row.

use super::Op;
use crate::calc::Calc;
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
        let (value, probs) = self.value().softmax_cross_entropy_and_probs(&labels);
        self.tape.record(
            Op::SoftmaxCrossEntropy { labels, probs },
            Inputs::One([self.id]),
            value,
        )
    }
}

/// For `ℓᵣ = −log softmax(x)[r, yᵣ] = log Σⱼ exp(x[r, j]) − x[r, yᵣ]`:
/// `dL/dx[r, j] = dL/dℓᵣ · (softmax(x)[r, j] − [j = yᵣ])`.
///
/// (The first term differentiates the log-sum-exp, whose slope is the softmax; the second the
/// picked logit.) With `dL/dℓᵣ = 1` this is the tutorial's `delta3 = probs − onehot(y)`. Eager
/// mode computes it in one pass from `probs`, the softmax the forward pass kept; recording mode
/// records the formula from the logits.
pub(crate) fn backward<C: Calc>(
    c: &C,
    x: &C::V,
    grad_y: &C::V,
    labels: &Arc<[usize]>,
    probs: &Tensor,
) -> C::V {
    c.fused(
        [x, grad_y],
        |[_, grad_y]| probs.softmax_cross_entropy_slope(labels, grad_y),
        |c, [x, grad_y]| {
            let shape = c.shape(x);
            let (rows, classes) = (shape.dims()[0], shape.dims()[1]);
            let onehot = c.constant(Tensor::ones([rows]).scatter_per_row(labels, classes));
            let per_row = c.reshape(grad_y, [rows, 1].into());
            c.mul(&c.sub(&c.softmax(x, 1), &onehot), &per_row)
        },
    )
}
