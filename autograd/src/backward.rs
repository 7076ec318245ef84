//! The reverse walk over a tape: seed the output's gradient, apply each node's rule in reverse order.

use crate::calc::{Eager, Recording};
use crate::gradients::{GradVars, Gradients};
use crate::tensor::Tensor;
use crate::var::Var;
use std::borrow::Cow;
use std::panic::Location;

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
        let shape = self.shape();
        if seed.shape() != shape {
            panic!(
                "backward_with: seed of shape {} for an output of shape {shape} (at {})",
                seed.shape(),
                Location::caller()
            );
        }
        let nodes = self.tape.nodes.borrow();
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
                    let slot = &mut grads[inputs[i].0];
                    match slot {
                        Some(total) => total.add_assign(&input_grad),
                        None => *slot = Some(input_grad.into_owned()),
                    }
                },
            );
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
