//! "Which op is wrong?": each recorded node's backward rule checked alone against finite differences.

use crate::gradcheck::{GradcheckOptions, GradcheckReport, gradcheck};
use crate::tape::NodeId;
use crate::tensor::Tensor;
use crate::var::Var;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::fmt;

/// Nodes whose inputs hold more elements than this are checked along random directions.
const ELEMENTWISE_LIMIT: usize = 512;

/// The outcome of [`check_nodes`].
#[derive(Clone, Debug)]
pub struct NodeCheckReport {
    /// How many nodes were checked.
    pub checked: usize,
    /// The first node (in recording order) whose rule disagreed with finite differences.
    pub first_failure: Option<NodeFailure>,
}

/// A node whose backward rule disagreed with finite differences of its own forward.
#[derive(Clone, Debug)]
pub struct NodeFailure {
    /// The node.
    pub id: NodeId,
    /// Its op's name.
    pub op: String,
    /// The source line that recorded it.
    pub location: String,
    /// The gradient check of that op alone.
    pub report: GradcheckReport,
}

impl NodeCheckReport {
    /// Whether every node's rule agreed with finite differences.
    pub fn passed(&self) -> bool {
        self.first_failure.is_none()
    }
}

impl fmt::Display for NodeCheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.first_failure {
            None => write!(
                f,
                "all {} nodes' backward rules agree with finite differences",
                self.checked
            ),
            Some(failure) => write!(
                f,
                "node {} ({}, recorded at {}) has a backward rule that disagrees with finite \
                 differences: {}",
                failure.id, failure.op, failure.location, failure.report
            ),
        }
    }
}

/// Checks the backward rule of every node that `output` depends on, one node at a time: each op
/// is re-run alone at the input values it saw, and the gradient of `Σ w ⊙ op(inputs)` (fixed
/// random weights `w`) from its rule is compared with central finite differences of its forward.
/// The first node that disagrees is named with its op and the source line that recorded it.
///
/// Results near a kink (relu or abs at exactly 0, a tie in a maximum) can disagree without a bug.
pub fn check_nodes(output: Var<'_>, options: &GradcheckOptions) -> NodeCheckReport {
    let tape = output.tape();
    let mut rng = StdRng::seed_from_u64(0x6e6f6465);
    let mut checked = 0;
    for index in 0..=output.id().index() {
        let (op, inputs, output_shape, location) = {
            let node = tape.node(NodeId(index));
            if node.inputs.as_slice().is_empty() || !node.requires_grad {
                continue;
            }
            let inputs: Vec<Tensor> = node
                .inputs
                .as_slice()
                .iter()
                .map(|id| tape.node(*id).value.clone())
                .collect();
            (
                node.op.clone(),
                inputs,
                node.value.shape(),
                node.location.to_string(),
            )
        };
        let weights = Tensor::randn(output_shape, &mut rng);
        let elements: usize = inputs.iter().map(Tensor::len).sum();
        let options = if elements > ELEMENTWISE_LIMIT {
            GradcheckOptions {
                mode: crate::gradcheck::GradcheckMode::Directions {
                    count: 8,
                    seed: index as u64,
                },
                ..options.clone()
            }
        } else {
            options.clone()
        };
        let report = gradcheck(
            |vars| {
                let weights = vars[0].tape().constant(weights.clone());
                (op.replay(vars) * weights).sum()
            },
            &inputs,
            &options,
        );
        checked += 1;
        if !report.passed {
            return NodeCheckReport {
                checked,
                first_failure: Some(NodeFailure {
                    id: NodeId(index),
                    op: op.name().to_string(),
                    location,
                    report,
                }),
            };
        }
    }
    NodeCheckReport {
        checked,
        first_failure: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CustomOp, Tape};
    use std::sync::Arc;

    /// sin, with a deliberately wrong rule: `dL/dx = dL/dy` instead of `dL/dy · cos x`.
    struct BrokenSin;

    impl CustomOp for BrokenSin {
        fn name(&self) -> &str {
            "broken_sin"
        }
        fn forward(&self, inputs: &[&Tensor]) -> Tensor {
            inputs[0].map(f64::sin)
        }
        fn backward(
            &self,
            _inputs: &[&Tensor],
            _output: &Tensor,
            grad_output: &Tensor,
        ) -> Vec<Tensor> {
            vec![grad_output.clone()]
        }
    }

    #[test]
    fn a_correct_graph_passes_every_node() {
        let tape = Tape::new();
        let w = tape.var(Tensor::from_rows(&[[0.3, -0.2], [0.5, 0.1]]));
        let b = tape.var(Tensor::from_vec(vec![0.1, -0.1], [2]));
        let x = tape.constant(Tensor::from_rows(&[[1.0, 2.0], [-1.0, 0.5], [0.2, 0.3]]));
        let logits = (x.matmul(w) + b).tanh();
        let loss = -logits.log_softmax(1).pick(&[0, 1, 1]).sum() + w.square().sum() * 0.005;
        let report = check_nodes(loss, &GradcheckOptions::default());
        assert!(report.passed(), "{report}");
        assert_eq!(report.checked, 11);
    }

    #[test]
    fn check_custom_op_fails_a_wrong_rule() {
        let x = Tensor::from_vec(vec![0.5, 1.0, -2.0], [3]);
        let report = crate::gradcheck::check_custom_op(
            Arc::new(BrokenSin),
            &[x],
            &GradcheckOptions::default(),
        );
        assert!(!report.passed, "{report}");
    }

    #[test]
    fn the_first_broken_node_is_named_with_its_line() {
        let tape = Tape::new();
        let x = tape.var(Tensor::from_vec(vec![0.5, 1.0, -2.0], [3]));
        let hidden = (x * 2.0).tanh();
        let broken = Var::custom(Arc::new(BrokenSin), &[hidden]);
        let loss = broken.exp().sum();
        let report = check_nodes(loss, &GradcheckOptions::default());
        let failure = report
            .first_failure
            .as_ref()
            .expect("the broken op must be caught");
        assert_eq!(failure.op, "broken_sin");
        assert_eq!(failure.id, broken.id());
        assert!(
            failure.location.contains("node_check.rs"),
            "{}",
            failure.location
        );
        assert_eq!(
            report.checked, 3,
            "mul and tanh pass before the broken node"
        );
        assert!(report.to_string().contains("broken_sin"));
    }
}
