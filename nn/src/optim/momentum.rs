//! Gradient descent with (heavy-ball) momentum.

use super::Optimizer;
use crate::params::{ParamGrads, Params};
use autograd::Tensor;
use indexmap::IndexMap;

/// Momentum: `v ← momentum·v − learning_rate·dW`, then `W ← W + v`, with `v` starting at zero
/// (so the first step equals plain gradient descent).
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum {
    /// The step size.
    pub learning_rate: f64,
    /// How much of the previous velocity is kept (0.9 is usual).
    pub momentum: f64,
    velocities: IndexMap<String, Tensor>,
}

impl Momentum {
    /// Momentum with the given step size and coefficient.
    pub fn new(learning_rate: f64, momentum: f64) -> Momentum {
        Momentum {
            learning_rate,
            momentum,
            velocities: IndexMap::new(),
        }
    }

    /// The velocity of the parameter `name`, once a step has been taken.
    pub fn velocity(&self, name: &str) -> Option<&Tensor> {
        self.velocities.get(name)
    }
}

impl Optimizer for Momentum {
    #[track_caller]
    fn step(&mut self, params: &mut Params, grads: &ParamGrads) {
        for (name, param) in params.iter_mut() {
            let grad = grads.expect(name, "Momentum::step");
            let velocity = self
                .velocities
                .entry(name.to_string())
                .or_insert_with(|| Tensor::zeros(grad.shape()));
            velocity.map_in_place(|v| self.momentum * v);
            velocity.add_scaled(-self.learning_rate, grad);
            param.add_assign(velocity);
        }
    }

    fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    fn set_learning_rate(&mut self, learning_rate: f64) {
        self.learning_rate = learning_rate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn velocity_accumulates_a_constant_gradient() {
        // With a constant gradient g: v1 = −lr·g, v2 = μ·v1 − lr·g = −lr·g·(1 + μ).
        let mut params = Params::new();
        params.insert("w", Tensor::scalar(1.0));
        let mut grads = ParamGrads::new();
        grads.insert("w", Tensor::scalar(2.0));
        let mut optimizer = Momentum::new(0.5, 0.75);
        optimizer.step(&mut params, &grads);
        assert_eq!(params.get("w").unwrap().item(), 1.0 - 1.0);
        optimizer.step(&mut params, &grads);
        assert_eq!(optimizer.velocity("w").unwrap().item(), -1.75);
        assert_eq!(params.get("w").unwrap().item(), -1.75);
    }
}
