//! Adam: gradient descent scaled by running estimates of the gradient's first two moments.

use super::Optimizer;
use crate::params::{ParamGrads, Params};
use autograd::Tensor;
use indexmap::IndexMap;

/// Adam (Kingma and Ba, 2015). At step `t` (from 1), for each parameter with gradient `g`:
/// `m ← β₁·m + (1 − β₁)·g`, `v ← β₂·v + (1 − β₂)·g²`, `m̂ = m/(1 − β₁ᵗ)`, `v̂ = v/(1 − β₂ᵗ)`,
/// `W ← W − learning_rate·m̂/(√v̂ + epsilon)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    /// The step size.
    pub learning_rate: f64,
    /// The decay of the first-moment estimate (0.9 by default).
    pub beta1: f64,
    /// The decay of the second-moment estimate (0.999 by default).
    pub beta2: f64,
    /// Added to `√v̂` to avoid division by zero (1e-8 by default).
    pub epsilon: f64,
    steps: i32,
    moments: IndexMap<String, (Tensor, Tensor)>,
}

impl Adam {
    /// Adam with step size `learning_rate` and the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    pub fn new(learning_rate: f64) -> Adam {
        Adam::with_betas(learning_rate, 0.9, 0.999, 1e-8)
    }

    /// Adam with every coefficient chosen.
    pub fn with_betas(learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64) -> Adam {
        Adam {
            learning_rate,
            beta1,
            beta2,
            epsilon,
            steps: 0,
            moments: IndexMap::new(),
        }
    }

    /// How many steps have been taken.
    pub fn steps(&self) -> i32 {
        self.steps
    }
}

impl Optimizer for Adam {
    #[track_caller]
    fn step(&mut self, params: &mut Params, grads: &ParamGrads) {
        self.steps = self.steps.saturating_add(1);
        let first_correction = 1.0 - self.beta1.powi(self.steps);
        let second_correction = 1.0 - self.beta2.powi(self.steps);
        for (name, param) in params.iter_mut() {
            let grad = grads.expect(name, "Adam::step");
            let (first, second) = self
                .moments
                .entry(name.to_string())
                .or_insert_with(|| (Tensor::zeros(grad.shape()), Tensor::zeros(grad.shape())));
            let (beta1, beta2) = (self.beta1, self.beta2);
            *first = first.zip_map(grad, |m, g| beta1 * m + (1.0 - beta1) * g);
            *second = second.zip_map(grad, |v, g| beta2 * v + (1.0 - beta2) * g * g);
            let update = first.zip_map(second, |m, v| {
                let m_hat = m / first_correction;
                let v_hat = v / second_correction;
                m_hat / (v_hat.sqrt() + self.epsilon)
            });
            param.add_scaled(-self.learning_rate, &update);
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
    fn the_first_step_is_the_learning_rate_times_the_gradients_sign() {
        // Step 1: m = (1 − β₁)g so m̂ = g; v = (1 − β₂)g² so v̂ = g²; the update is
        // lr·g/(|g| + ε) = lr·sign(g) up to ε/|g|, whatever the gradient's size.
        let mut params = Params::new();
        params.insert("W1", Tensor::from_vec(vec![0.0, 1.0, -1.0, 5.0], [2, 2]));
        let mut grads = ParamGrads::new();
        grads.insert(
            "W1",
            Tensor::from_vec(vec![1e-3, -250.0, 3.0, -0.5], [2, 2]),
        );
        let mut optimizer = Adam::with_betas(0.01, 0.9, 0.999, 1e-12);
        optimizer.step(&mut params, &grads);
        let expected = [-0.01, 1.01, -1.01, 5.01];
        for (got, want) in params.get("W1").unwrap().data().iter().zip(expected) {
            assert!((got - want).abs() < 1e-10, "{got} vs {want}");
        }
        assert_eq!(optimizer.steps(), 1);
    }

    #[test]
    fn a_constant_gradient_keeps_steps_of_the_learning_rate() {
        // With g constant, m̂ = g and v̂ = g² at every step, so each step is lr·sign(g).
        let mut params = Params::new();
        params.insert("w", Tensor::scalar(0.0));
        let mut grads = ParamGrads::new();
        grads.insert("w", Tensor::scalar(-2.0));
        let mut optimizer = Adam::new(0.1);
        for _ in 0..3 {
            optimizer.step(&mut params, &grads);
        }
        let w = params.get("w").unwrap().item();
        assert!((w - 0.3).abs() < 1e-8, "{w}");
    }
}
