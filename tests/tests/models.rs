//! Whole models: random MLPs on random data, every parameter's gradient of the regularised loss
//! against finite differences.

use autograd::{Tensor, gradcheck};
use nn::{Activation, Init, Mlp, Reduction};
use proptest::collection::vec;
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tests::check::tolerances;
use tests::config::config;
use tests::values::moderate;

/// A random model and the data to evaluate its loss on.
#[derive(Clone, Debug)]
struct Case {
    /// Layer sizes: inputs, 1 to 3 hidden widths, outputs (1 output is the binary form).
    sizes: Vec<usize>,
    /// One activation per hidden layer.
    activations: Vec<Activation>,
    /// The examples, `[N, inputs]`.
    features: Tensor,
    /// One class per example.
    labels: Vec<usize>,
    /// The parameters, in the model's order, at which to check.
    parameters: Vec<Tensor>,
    /// Sum or mean over the examples.
    reduction: Reduction,
    /// The L2 strength.
    reg: f64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        1..=4usize,
        vec(
            (1..=5usize, prop::sample::select(Activation::ALL.to_vec())),
            1..=3,
        ),
        1..=4usize,
        1..=6usize,
    )
        .prop_flat_map(|(inputs, hidden, outputs, examples)| {
            let classes = outputs.max(2);
            let mut sizes = vec![inputs];
            sizes.extend(hidden.iter().map(|&(width, _)| width));
            sizes.push(outputs);
            let activations: Vec<Activation> = hidden.iter().map(|&(_, act)| act).collect();
            (
                Just(sizes),
                Just(activations),
                moderate(vec![examples, inputs]),
                vec(0..classes, examples),
                any::<u64>(),
                prop::sample::select(vec![Reduction::Sum, Reduction::Mean]),
                0.0..0.1f64,
            )
        })
        .prop_map(
            |(sizes, activations, features, labels, seed, reduction, reg)| {
                let mut rng = StdRng::seed_from_u64(seed);
                let model = Mlp::with_activations(&sizes, &activations, Init::Tutorial, &mut rng);
                // The model's own draw for the weights; biases, which start at zero, are drawn too
                // so that the check does not only see the point of initialisation.
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
                Case {
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

impl Case {
    fn model(&self) -> Mlp {
        let mut rng = StdRng::seed_from_u64(0);
        Mlp::with_activations(&self.sizes, &self.activations, Init::Tutorial, &mut rng)
    }

    /// The smallest `|z|` entering a relu, computed layer by layer on plain tensors.
    fn relu_margin(&self) -> f64 {
        let mut hidden = self.features.clone();
        let mut margin = f64::INFINITY;
        for (layer, pair) in self.parameters.chunks(2).enumerate() {
            let z = hidden.matmul(&pair[0]).zip_map(&pair[1], |z, b| z + b);
            hidden = match self.activations.get(layer) {
                Some(Activation::Relu) => {
                    margin = z.data().iter().fold(margin, |m, v| m.min(v.abs()));
                    z.map(|v| v.max(0.0))
                }
                Some(Activation::Tanh) => z.map(f64::tanh),
                Some(Activation::Sigmoid) => z.map(|v| 1.0 / (1.0 + (-v).exp())),
                None => z,
            };
        }
        margin
    }
}

proptest! {
    #![proptest_config(config("models", 128))]

    #[test]
    fn every_parameter_of_a_random_mlp_has_loss_grads_matching_finite_differences(case in case()) {
        // A relu input within 1e-4 of its kink would let the finite difference straddle it.
        prop_assume!(case.relu_margin() > 1e-4);
        let model = case.model();
        let options = tolerances(1e-6, 1e-5);
        let report = gradcheck(
            |v| {
                let tape = v[0].tape();
                let params = model.params().with_vars(v);
                let x = tape.constant(case.features.clone());
                model.objective(&params, x, &case.labels, case.reduction, case.reg)
            },
            &case.parameters,
            &options,
        );
        let parameter_count: usize = case.parameters.iter().map(Tensor::len).sum();
        prop_assert!(report.passed, "{}", report);
        prop_assert_eq!(report.checked, parameter_count, "not every parameter was checked");
    }
}
