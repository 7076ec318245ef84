//! Shared strategies and helpers for the cross-crate property tests in `tests/tests/`.
//!
//! - [`shapes`]: random shapes of rank 0 to 2, pairs that broadcast and pairs that do not.
//! - [`values`]: random tensors kept inside each op's smooth domain, so that finite differences
//!   are meaningful (away from the kinks of `relu` and `abs`, the poles of `log`, `sqrt` and `/`,
//!   and the ties of `max`).
//! - [`expr`]: random expression graphs over every op, with shared sub-expressions.
//! - [`models`]: random small MLPs with data, for the whole-model properties.
//! - [`probe`]: reducing any output to a scalar with fixed random weights.
//! - [`check`]: running the public `gradcheck` inside a property.
//! - [`custom`]: a user-defined op (softplus), correct and deliberately wrong.
//! - [`operands`]: the operand strategies of the per-op properties, shared by first and second order.
//! - [`recorded_softplus`]: a custom op with a recorded rule, correct or with a planted error.
//! - [`second_check`]: the second-order check, including the recorded gradient's own values.
//! - [`config`]: the case count and where shrunk failures are kept.

pub mod check;
pub mod config;
pub mod custom;
pub mod expr;
pub mod models;
pub mod operands;
pub mod probe;
pub mod recorded_softplus;
pub mod second_check;
pub mod shapes;
pub mod values;
