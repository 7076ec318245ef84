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
//! Each op's backward rule is written once, in the op's own file, against a small internal
//! arithmetic, and serves two modes: the plain [`Var::backward`] on tensors, and
//! [`Var::backward_graph`], which records the backward pass on the tape so that gradients can
//! themselves be differentiated (see [`higher`]). Every `Var` method's documentation states its
//! rule (`tanh`: `dL/dx = dL/dy ⊙ (1 − y²)`). Where a rule needs a fused kernel for speed it
//! calls a named derivative op (`tanh_backward`, `relu_backward`, `log_softmax_backward`, ...)
//! that has a rule of its own, so both modes compute the same numbers, bit for bit.
//!
//! Most ops are fine-grained (`matmul`, `+`, `tanh`, `log_softmax`, `pick`, ...). Five fused ops
//! exist for speed, each exactly a composition of fine ones and each with its own documented
//! rule: [`Var::affine`] (`x·W + b`), [`Var::dense`] (`tanh`, `relu` or `sigmoid` of it, a
//! hidden layer), [`Var::softmax_cross_entropy`] (whose rule is the tutorial's
//! `probs − onehot`), [`Var::sum_squares`] (`Σ x²`, the L2 penalty's norm) and
//! [`Var::normalize`] (`(x − μ)/√(σ² + eps)` along an axis, a layer norm before its gain and
//! bias).
//!
//! [`gradcheck()`] compares any function's gradients with finite differences; [`cases`] is the
//! table of test cases every op declares, which drives the engine's own test suites.
//!
//! # Further reading
//! - `docs/BACKPROP.md` in the repository derives the tutorial's hand-written gradients
//!   (`delta3`, `delta2`, `dW1`, ...) rule by rule from these ops.
//! - The examples in `autograd/examples/`: `scalar_gradients` (first steps),
//!   `gradcheck_your_function` (checking a function or a custom op), `newton_logistic`
//!   (Hessians and second order) and `bench_train` (a timed training step).
//! - [`runtime`] holds the process-wide settings for speed and memory.

#![warn(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

mod activations;
pub mod anomaly;
mod backward;
mod calc;
pub mod cases;
pub mod gradcheck;
mod gradients;
pub mod higher;
pub mod inspect;
mod kernels;
pub mod node_check;
mod ops;
pub mod runtime;
mod shape;
mod tape;
mod tensor;
mod var;

pub use anomaly::{Anomaly, AnomalyPhase};
pub use backward::BackwardStep;
pub use gradcheck::{GradcheckOptions, GradcheckReport, assert_gradcheck, gradcheck};
pub use gradients::{GradVars, Gradients};
pub use inspect::{TapeListing, TapeStats};
pub use node_check::{NodeCheckReport, check_nodes};
pub use ops::{CustomOp, Window, WindowError};
pub use shape::{MAX_RANK, Shape};
pub use tape::{NodeId, Tape};
pub use tensor::{
    Activation, DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_SLOPE, Layout, Tensor, UnknownActivation,
};
pub use var::Var;
