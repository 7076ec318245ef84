//! Shared strategies and helpers for the cross-crate property tests in `tests/tests/`.
//!
//! - [`shapes`]: random shapes of rank 0 to 2, pairs that broadcast and pairs that do not.
//! - [`values`]: random tensors kept inside each op's smooth domain, so that finite differences
//!   are meaningful (away from the kinks of `relu` and `abs`, the poles of `log`, `sqrt` and `/`,
//!   and the ties of `max`).
//! - [`expr`]: random expression graphs over every op, with shared sub-expressions.
//! - [`probe`]: reducing any output to a scalar with fixed random weights.
//! - [`check`]: running the public `gradcheck` inside a property.
//! - [`custom`]: a user-defined op (softplus), correct and deliberately wrong.
//! - [`config`]: the case count and where shrunk failures are kept.

pub mod check;
pub mod config;
pub mod custom;
pub mod expr;
pub mod probe;
pub mod shapes;
pub mod values;
