//! Optimisers: rules that update a parameter store from its gradients.

mod adam;
mod clip;
mod kind;
mod momentum;
mod schedule;
mod sgd;

pub use adam::Adam;
pub use clip::clip_global_norm;
pub use kind::{OptimizerKind, UnknownOptimizer};
pub use momentum::Momentum;
pub use schedule::Schedule;
pub use sgd::Sgd;

use crate::params::{ParamGrads, Params};

/// An update rule. It owns only its own state (velocities, moment estimates, keyed by parameter
/// name) and receives the parameters and their gradients at each step.
pub trait Optimizer: Send {
    /// Updates every parameter of `params` from its gradient in `grads`.
    ///
    /// # Panics
    /// If a parameter has no gradient, or a gradient's shape differs from its parameter's.
    fn step(&mut self, params: &mut Params, grads: &ParamGrads);

    /// The learning rate in use.
    fn learning_rate(&self) -> f64;

    /// Changes the learning rate for the following steps (a [`Schedule`] does, every pass),
    /// keeping any other state (velocities, moment estimates).
    fn set_learning_rate(&mut self, learning_rate: f64);
}
