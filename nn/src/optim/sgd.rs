//! Plain gradient descent, the tutorial's update.

use super::Optimizer;
use crate::params::{ParamGrads, Params};

/// Gradient descent: `W ← W + (−learning_rate)·dW` for every parameter, computed in that order
/// (scale the gradient by `−learning_rate`, then add), as the tutorial's `W += -epsilon * dW`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd {
    /// The step size (the tutorial's `epsilon`).
    pub learning_rate: f64,
}

impl Sgd {
    /// Gradient descent with step size `learning_rate`.
    pub fn new(learning_rate: f64) -> Sgd {
        Sgd { learning_rate }
    }
}

impl Optimizer for Sgd {
    #[track_caller]
    fn step(&mut self, params: &mut Params, grads: &ParamGrads) {
        for (name, param) in params.iter_mut() {
            param.add_scaled(-self.learning_rate, grads.expect(name, "Sgd::step"));
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
    use autograd::Tensor;

    #[test]
    fn a_step_moves_against_the_gradient_by_the_learning_rate() {
        let mut params = Params::new();
        params.insert("W1", Tensor::from_vec(vec![1.0, -2.0], [1, 2]));
        let mut grads = ParamGrads::new();
        grads.insert("W1", Tensor::from_vec(vec![0.5, -4.0], [1, 2]));
        Sgd::new(0.25).step(&mut params, &grads);
        assert_eq!(params.get("W1").unwrap().data(), &[1.0 - 0.125, -2.0 + 1.0]);
    }

    #[test]
    #[should_panic(expected = "Sgd::step: no gradient for parameter \"b1\"")]
    fn a_missing_gradient_is_named() {
        let mut params = Params::new();
        params.insert("b1", Tensor::zeros([2]));
        Sgd::new(0.1).step(&mut params, &ParamGrads::new());
    }
}
