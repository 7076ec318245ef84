//! Reverse-mode automatic differentiation over a tape of f64 tensors.
//!
//! # The model
//! - A [`Tensor`] is an array of numbers with a [`Shape`]: plain values, no gradients.
//! - A [`Tape`] records operations. Put tensors on it as *variables* ([`Tape::var`], they will get
//!   gradients) or *constants* ([`Tape::constant`], they will not). Each gives a [`Var`].
//! - Arithmetic on `Var`s computes its value immediately and appends a node to the tape saying
//!   which op made it from which inputs. Nodes are appended in evaluation order, which is already
//!   a topological order of the graph.
//! - [`Var::backward`] on a one-element result walks the tape once in reverse, applying each op's
//!   backward rule (its local derivative, documented beside the op), and returns [`Gradients`]:
//!   `dL/dv` for every variable `v` and every intermediate node on the way. A var used twice
//!   receives the sum of both paths' gradients.
//!
//! ```
//! use autograd::{Tape, Tensor};
//!
//! let tape = Tape::new();
//! let w = tape.var(Tensor::from_rows(&[[0.5, -1.0], [2.0, 0.25]]));
//! let x = tape.constant(Tensor::from_rows(&[[1.0, 2.0]]));
//! let hidden = x.matmul(w).tanh();          // [1, 2]
//! let loss = hidden.square().sum();         // a scalar
//! let grads = loss.backward();
//! assert_eq!(grads[w].dims(), &[2, 2]);     // one gradient per weight
//! assert!(grads.get(x).is_none());          // constants take none
//! ```
//!
//! Backward rules are written once, against a small internal arithmetic, and serve two modes:
//! the plain [`Var::backward`] on tensors, and [`Var::backward_graph`], which records the backward
//! pass on the tape so that gradients can themselves be differentiated (see [`higher`]).
//!
//! Most ops are fine-grained (`matmul`, `+`, `tanh`, `log_softmax`, `pick`, ...). Four fused ops
//! exist for speed, each exactly a composition of fine ones and each with its own documented
//! rule: [`Var::affine`] (`x·W + b`), [`Var::dense`] (`tanh`, `relu` or `sigmoid` of it, a
//! hidden layer), [`Var::softmax_cross_entropy`] (whose rule is the tutorial's
//! `probs − onehot`) and [`Var::sum_squares`] (`Σ x²`, the L2 penalty's norm).
//!
//! [`gradcheck()`] compares any function's gradients with finite differences.

#![warn(missing_docs)]

pub mod anomaly;
mod backward;
mod calc;
mod fastmath;
pub mod gradcheck;
mod gradients;
pub mod higher;
pub mod inspect;
mod memory;
pub mod node_check;
mod ops;
mod parallel;
mod shape;
mod tape;
mod tensor;
mod var;

pub use anomaly::{Anomaly, AnomalyPhase};
pub use gradcheck::{GradcheckOptions, GradcheckReport, assert_gradcheck, gradcheck};
pub use gradients::{GradVars, Gradients};
pub use inspect::{TapeListing, TapeStats};
pub use memory::{release_pooled_storage, retain_freed_memory};
pub use node_check::{NodeCheckReport, check_nodes};
pub use ops::{CustomOp, Window, WindowError};
pub use parallel::enlist_this_thread_for_kernels;
pub use shape::{MAX_RANK, Shape};
pub use tape::{NodeId, Tape};
pub use tensor::{Activation, Layout, Tensor};
pub use var::Var;
