//! The reverse walk over a tape: seed the output's gradient, apply each node's rule in reverse order.

use crate::calc::{Eager, Recording};
use crate::gradients::{GradVars, Gradients};
use crate::tape::NodeId;
use crate::tensor::Tensor;
use crate::var::Var;
use std::borrow::Cow;
use std::panic::Location;

/// One step of a backward pass, shown to the observer of [`Var::backward_observed`]: one node's
/// rule applied to its upstream gradient.
#[derive(Debug)]
pub struct BackwardStep<'a> {
    /// The node whose rule ran.
    pub node: NodeId,
    /// `dL/dnode`, summed over every use of the node: the gradient the rule received.
    pub upstream: &'a Tensor,
    /// What the rule sent each input that takes a gradient: the input and its share of
    /// `dL/dinput` from this node (an input's full gradient sums its shares over all its uses).
    pub contributions: &'a [(NodeId, Tensor)],
}

impl<'t> Var<'t> {
    /// The gradient of this one-element output with respect to every node it depends on.
    ///
    /// Walks the tape once, from this node back to the first, applying each op's backward rule;
    /// a var used several times receives the sum of its gradients. The tape is not changed, so
    /// calling `backward` again gives the same result.
    ///
    /// # Panics
    /// If the output has more than one element (use [`backward_with`](Var::backward_with)).
    #[track_caller]
    pub fn backward(self) -> Gradients {
        let shape = self.shape();
        if shape.numel() != 1 {
            panic!(
                "backward: the output has shape {shape}, not one element; reduce it to a scalar \
                 or pass a seed gradient to backward_with (at {})",
                Location::caller()
            );
        }
        self.backward_with(Tensor::ones(shape))
    }

    /// The vector-Jacobian product: gradients of `Σ seed ⊙ self` with respect to every node this
    /// var depends on, for an output of any shape.
    ///
    /// # Panics
    /// If `seed`'s shape differs from this var's.
    #[track_caller]
    pub fn backward_with(self, seed: Tensor) -> Gradients {
        self.check_seed("backward_with", &seed);
        self.walk(seed, None)
    }

    /// [`backward_with`](Var::backward_with), also showing `observer` each step of the walk as
    /// it runs: the node whose rule was applied, the upstream gradient it received (the sum
    /// over all its uses) and what the rule sent each input. The steps come in the walk's own
    /// order (reverse creation order); nodes that take no gradient, and leaves, have no step.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// let x = tape.var(Tensor::scalar(0.5));
    /// let y = x.tanh() * 2.0;
    /// let mut rules = Vec::new();
    /// let grads = y.backward_observed(Tensor::scalar(1.0), &mut |step| {
    ///     rules.push((step.node, step.upstream.item(), step.contributions.len()));
    /// });
    /// // First the product's rule (upstream 1), then tanh's (upstream 2), each to one input.
    /// assert_eq!(rules.iter().map(|r| (r.1, r.2)).collect::<Vec<_>>(), [(1.0, 1), (2.0, 1)]);
    /// assert_eq!(grads[x].item(), 2.0 * (1.0 - 0.5f64.tanh().powi(2)));
    /// ```
    ///
    /// # Panics
    /// If `seed`'s shape differs from this var's.
    #[track_caller]
    pub fn backward_observed(
        self,
        seed: Tensor,
        observer: &mut dyn FnMut(&BackwardStep<'_>),
    ) -> Gradients {
        self.check_seed("backward_observed", &seed);
        self.walk(seed, Some(observer))
    }

    #[track_caller]
    fn check_seed(self, op: &str, seed: &Tensor) {
        let shape = self.shape();
        if seed.shape() != shape {
            panic!(
                "{op}: seed of shape {} for an output of shape {shape} (at {})",
                seed.shape(),
                Location::caller()
            );
        }
    }

    /// The reverse walk itself, reporting each step to `observer` when there is one (at no
    /// cost when there is none: the contributions are then not copied).
    fn walk(
        self,
        seed: Tensor,
        mut observer: Option<&mut dyn FnMut(&BackwardStep<'_>)>,
    ) -> Gradients {
        let nodes = self.tape.nodes.borrow();
        let mut contributions: Vec<(NodeId, Tensor)> = Vec::new();
        let anomaly = self.tape.detect_anomaly.get();
        let mut grads = Gradients::table(self.id.0 + 1);
        grads[self.id.0] = Some(seed);
        for index in (0..=self.id.0).rev() {
            let node = &nodes[index];
            if !node.requires_grad || node.inputs.as_slice().is_empty() {
                continue;
            }
            let Some(grad) = grads[index].take() else {
                continue;
            };
            let inputs = node.inputs.as_slice();
            let calc = Eager::new(&nodes);
            node.op.backward(
                &calc,
                inputs,
                crate::tape::NodeId(index),
                &Cow::Borrowed(&grad),
                &|i| nodes[inputs[i].0].requires_grad,
                &mut |i, input_grad: Cow<'_, Tensor>| {
                    if anomaly {
                        crate::anomaly::check_gradient(self.tape, &nodes, index, i, &input_grad);
                    }
                    if observer.is_some() {
                        contributions.push((inputs[i], input_grad.as_ref().clone()));
                    }
                    let slot = &mut grads[inputs[i].0];
                    match slot {
                        Some(total) => total.add_assign(&input_grad),
                        None => *slot = Some(input_grad.into_owned()),
                    }
                },
            );
            if let Some(observer) = observer.as_mut() {
                observer(&BackwardStep {
                    node: NodeId(index),
                    upstream: &grad,
                    contributions: &contributions,
                });
                contributions.clear();
            }
            grads[index] = Some(grad);
        }
        for (node, grad) in nodes.iter().zip(grads.iter_mut()) {
            if grad.is_none() && node.requires_grad && node.inputs.as_slice().is_empty() {
                *grad = Some(Tensor::zeros(node.value.shape()));
            }
        }
        Gradients { by_node: grads }
    }

    /// Like [`backward`](Var::backward), but the backward pass is itself recorded on the tape: the
    /// gradients are vars, functions of the inputs, that can be differentiated again (PyTorch's
    /// `create_graph=True`). Each op's rule is the same one the plain backward uses.
    ///
    /// # Panics
    /// If the output has more than one element, or the walk meets a custom op without a
    /// recorded backward rule.
    #[track_caller]
    pub fn backward_graph(self) -> GradVars<'t> {
        let shape = self.shape();
        if shape.numel() != 1 {
            panic!(
                "backward_graph: the output has shape {shape}, not one element (at {})",
                Location::caller()
            );
        }
        let tape = self.tape;
        let calc = Recording::new(tape);
        let mut grads: Vec<Option<Var<'t>>> = vec![None; self.id.0 + 1];
        grads[self.id.0] = Some(tape.constant(Tensor::ones(shape)));
        for index in (0..=self.id.0).rev() {
            let (op, inputs, needs) = {
                let nodes = tape.nodes.borrow();
                let node = &nodes[index];
                if !node.requires_grad || node.inputs.as_slice().is_empty() {
                    continue;
                }
                let needs: Vec<bool> = node
                    .inputs
                    .as_slice()
                    .iter()
                    .map(|id| nodes[id.0].requires_grad)
                    .collect();
                (node.op.clone(), node.inputs.clone(), needs)
            };
            let Some(grad) = grads[index] else {
                continue;
            };
            let inputs = inputs.as_slice();
            op.backward(
                &calc,
                inputs,
                crate::tape::NodeId(index),
                &grad,
                &|i| needs[i],
                &mut |i, input_grad: Var<'t>| {
                    let slot = &mut grads[inputs[i].0];
                    *slot = Some(match *slot {
                        Some(total) => total + input_grad,
                        None => input_grad,
                    });
                },
            );
        }
        for (index, slot) in grads.iter_mut().enumerate() {
            let node = tape.node(crate::tape::NodeId(index));
            if slot.is_none() && node.requires_grad && node.inputs.as_slice().is_empty() {
                let zeros = Tensor::zeros(node.value.shape());
                drop(node);
                *slot = Some(tape.constant(zeros));
            }
        }
        GradVars { by_node: grads }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::Tape;

    /// Runs `backward_observed` from `output` with `seed` and checks the steps against the
    /// gradients it returns: each step's upstream is what the earlier steps sent that node, and
    /// every node's gradient is the sum of the shares all steps sent it.
    fn check_steps_sum_to_the_gradients(tape: &Tape, output: Var<'_>, seed: Tensor) -> usize {
        let mut sums: Vec<Option<Tensor>> = vec![None; tape.len()];
        sums[output.id().index()] = Some(seed.clone());
        let mut steps = 0;
        let grads = output.backward_observed(seed, &mut |step| {
            steps += 1;
            let received = sums[step.node.index()].as_ref();
            assert_eq!(received, Some(step.upstream), "upstream of {}", step.node);
            for (input, share) in step.contributions {
                assert!(input.index() < step.node.index(), "{input} is not an input");
                let slot = &mut sums[input.index()];
                match slot {
                    Some(total) => total.add_assign(share),
                    None => *slot = Some(share.clone()),
                }
            }
        });
        for (index, sum) in sums.iter().enumerate() {
            if let Some(sum) = sum {
                assert_eq!(grads.get_node(NodeId(index)), Some(sum), "node %{index}");
            }
        }
        steps
    }

    #[test]
    fn observed_steps_sum_to_the_gradients_of_every_op_case() {
        for (number, case) in crate::cases::all().iter().enumerate() {
            let tape = Tape::new();
            let vars: Vec<Var<'_>> = case
                .sample(number as u64)
                .into_iter()
                .map(|x| tape.var(x))
                .collect();
            let y = (case.apply)(&vars);
            // A var used twice, so that some node receives shares from two steps.
            let output = y * y + y;
            let seed = output.value().map(|v| (3.7 * v + 0.3).sin());
            let steps = check_steps_sum_to_the_gradients(&tape, output, seed);
            assert!(steps >= 3, "{case:?}: {steps} steps");
        }
    }

    #[test]
    fn steps_come_in_reverse_order_and_skip_constants() {
        let tape = Tape::new();
        let w = tape.var(Tensor::from(vec![0.5, -1.0]));
        let c = tape.constant(Tensor::from(vec![2.0, 3.0]));
        let constant_only = c.exp();
        let loss = (w * constant_only).sum();
        let mut order = Vec::new();
        loss.backward_observed(Tensor::scalar(1.0), &mut |step| order.push(step.node));
        assert_eq!(order, [loss.id(), NodeId(loss.id().index() - 1)]);
    }
}
