//! Random small MLPs, the data to evaluate their objective on, and the point to check at.

use crate::values::moderate;
use autograd::Tensor;
use nn::{Activation, Init, Mlp, Reduction};
use proptest::collection::vec;
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::ops::{Range, RangeInclusive};

/// How large a [`model_case`] may be.
#[derive(Clone, Debug)]
pub struct ModelLimits {
    /// Input features.
    pub inputs: RangeInclusive<usize>,
    /// Hidden layers.
    pub hidden_layers: RangeInclusive<usize>,
    /// Width of each hidden layer.
    pub width: RangeInclusive<usize>,
    /// Outputs (1 is the binary form).
    pub outputs: RangeInclusive<usize>,
    /// Examples in the data.
    pub examples: RangeInclusive<usize>,
    /// The L2 strength.
    pub reg: Range<f64>,
}

/// A random model and the data to evaluate its objective on.
#[derive(Clone, Debug)]
pub struct ModelCase {
    /// Layer sizes: inputs, the hidden widths, outputs (1 output is the binary form).
    pub sizes: Vec<usize>,
    /// One activation per hidden layer.
    pub activations: Vec<Activation>,
    /// The examples, `[N, inputs]`.
    pub features: Tensor,
    /// One class per example.
    pub labels: Vec<usize>,
    /// The parameters, in the model's order `W1, b1, W2, b2, ...`, at which to check.
    pub parameters: Vec<Tensor>,
    /// Sum or mean over the examples.
    pub reduction: Reduction,
    /// The L2 strength.
    pub reg: f64,
}

/// Random architectures within `limits`, with random activations, data, labels and reduction.
pub fn model_case(limits: ModelLimits) -> impl Strategy<Value = ModelCase> {
    let layer = (limits.width, prop::sample::select(Activation::ALL.to_vec()));
    let reg = limits.reg;
    (
        limits.inputs,
        vec(layer, limits.hidden_layers),
        limits.outputs,
        limits.examples,
    )
        .prop_flat_map(move |(inputs, hidden, outputs, examples)| {
            let mut sizes = vec![inputs];
            sizes.extend(hidden.iter().map(|&(width, _)| width));
            sizes.push(outputs);
            let activations: Vec<Activation> = hidden.iter().map(|&(_, act)| act).collect();
            (
                Just(sizes),
                Just(activations),
                moderate(vec![examples, inputs]),
                vec(0..outputs.max(2), examples),
                any::<u64>(),
                prop::sample::select(vec![Reduction::Sum, Reduction::Mean]),
                reg.clone(),
            )
        })
        .prop_map(
            |(sizes, activations, features, labels, seed, reduction, reg)| {
                let mut rng = StdRng::seed_from_u64(seed);
                let model = Mlp::with_activations(&sizes, &activations, Init::Tutorial, seed);
                // The model's own draw for the weights; the biases (zero at initialisation) are drawn
                // too, so that the check does not only see the point of initialisation.
                let parameters = model
                    .params()
                    .iter()
                    .map(|(_, tensor)| {
                        if tensor.rank() == 1 {
                            Tensor::rand_uniform(tensor.shape(), -0.5, 0.5, &mut rng)
                        } else {
                            tensor.clone()
                        }
                    })
                    .collect();
                ModelCase {
                    sizes,
                    activations,
                    features,
                    labels,
                    parameters,
                    reduction,
                    reg,
                }
            },
        )
}

impl ModelCase {
    /// The model with this case's architecture (its parameters are replaced by the checkers).
    pub fn model(&self) -> Mlp {
        Mlp::with_activations(&self.sizes, &self.activations, Init::Tutorial, 0)
    }

    /// The smallest `|z|` entering a relu, computed layer by layer on plain tensors.
    pub fn relu_margin(&self) -> f64 {
        let mut hidden = self.features.clone();
        let mut margin = f64::INFINITY;
        for (layer, pair) in self.parameters.chunks(2).enumerate() {
            let z = hidden.matmul(&pair[0]).zip_map(&pair[1], |z, b| z + b);
            hidden = match self.activations.get(layer) {
                Some(&activation) => {
                    // relu, leaky relu and elu have a kink (or a jump in curvature) at 0.
                    if matches!(
                        activation,
                        Activation::Relu | Activation::LeakyRelu { .. } | Activation::Elu { .. }
                    ) {
                        margin = z.data().iter().fold(margin, |m, v| m.min(v.abs()));
                    }
                    activation.evaluate(&z)
                }
                None => z,
            };
        }
        margin
    }
}
