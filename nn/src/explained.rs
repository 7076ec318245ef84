//! The MLP's objective recorded op by op, its nodes named as the tutorial names them, for
//! programs that draw the graph and step through its backward pass.

use autograd::{NodeId, Var};

use crate::loss::{self, Reduction};
use crate::mlp::{Mlp, bias_name, weight_name};
use crate::params::ParamVars;

/// The objective recorded by [`Mlp::record_explained`], with names for the nodes whose values
/// or gradients the tutorial names.
pub struct Explained<'t> {
    /// The objective, the same function of the parameters as [`Mlp::objective`].
    pub objective: Var<'t>,
    /// Nodes named for their values: `x`, `W1`, `b1`, `z1` (a layer's affine map), `a1` (its
    /// activation), ..., `loss`.
    pub value_names: Vec<(NodeId, String)>,
    /// Nodes named for their gradients: `dW1`, `db1`, ... on the parameters, and `delta2`,
    /// `delta3`, ... on the affine maps (the tutorial's `delta{l+1} = dL/dz{l}`: its `delta3` is
    /// `probs − onehot`, the gradient of the output layer's `z2`).
    pub gradient_names: Vec<(NodeId, String)>,
}

impl Mlp {
    /// [`objective`](Mlp::objective) recorded in fine-grained ops, one node per quantity the
    /// tutorial writes: each layer is `matmul` then `add` of the bias then the activation, and
    /// the loss is `log_softmax`, `pick` of the labels, `neg`, the reduction and the penalty.
    /// (Training records fused ops instead, for speed; the numbers agree to rounding.)
    ///
    /// # Panics
    /// As [`Mlp::objective`].
    #[track_caller]
    pub fn record_explained<'t>(
        &self,
        vars: &ParamVars<'t>,
        x: Var<'t>,
        labels: &[usize],
        reduction: Reduction,
        reg: f64,
    ) -> Explained<'t> {
        let mut value_names = vec![(x.id(), "x".to_string())];
        let mut gradient_names = Vec::new();
        let mut hidden = x;
        for layer in 1..=self.layers() {
            let (weight, bias) = (weight_name(layer), bias_name(layer));
            let (weights, biases) = (vars.get(&weight), vars.get(&bias));
            gradient_names.push((weights.id(), format!("d{weight}")));
            gradient_names.push((biases.id(), format!("d{bias}")));
            value_names.push((weights.id(), weight));
            value_names.push((biases.id(), bias));
            let z = hidden.matmul(weights) + biases;
            value_names.push((z.id(), format!("z{layer}")));
            gradient_names.push((z.id(), format!("delta{}", layer + 1)));
            hidden = match self.activations().get(layer - 1) {
                Some(activation) => {
                    let a = activation.apply(z);
                    value_names.push((a.id(), format!("a{layer}")));
                    a
                }
                None => z,
            };
        }
        let data_loss = if self.is_binary() {
            self.data_loss(hidden, labels, reduction)
        } else {
            reduction.apply(-hidden.log_softmax(1).pick(labels))
        };
        let penalty = loss::l2_penalty(vars, reduction.penalty_strength(reg, labels.len()));
        let objective = data_loss + penalty;
        value_names.push((objective.id(), "loss".to_string()));
        Explained {
            objective,
            value_names,
            gradient_names,
        }
    }
}
