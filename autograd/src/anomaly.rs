//! Anomaly detection: find the first op whose value or gradient is NaN or infinite, and say where.

use crate::ops::Op;
use crate::tape::{Inputs, Node, Tape};
use crate::tensor::Tensor;
use std::panic::Location;

impl Tape {
    /// Turns anomaly detection on or off. When on, every value recorded and every gradient that
    /// backward computes is checked, and the first NaN or infinity panics with a report naming the
    /// op, the node, the ranges of its inputs and the line of the caller's code that made it.
    /// Off (the default), nothing is checked and nothing is paid.
    pub fn set_detect_anomaly(&self, on: bool) {
        self.detect_anomaly.set(on);
    }

    /// Whether anomaly detection is on.
    pub fn detects_anomaly(&self) -> bool {
        self.detect_anomaly.get()
    }
}

/// Panics with a report if the value about to be recorded holds a NaN or infinity.
pub(crate) fn check_value(
    tape: &Tape,
    op: &Op,
    inputs: &Inputs,
    value: &Tensor,
    location: &'static Location<'static>,
) {
    if value.all_finite() {
        return;
    }
    let nodes = tape.nodes.borrow();
    let described: Vec<String> = inputs
        .as_slice()
        .iter()
        .map(|id| format!("{id} {}", describe(&nodes[id.0].value)))
        .collect();
    panic!(
        "anomaly: {} at {location} made a non-finite value (node %{}, {}); inputs: {}",
        op.name(),
        nodes.len(),
        describe(value),
        if described.is_empty() {
            "none".to_string()
        } else {
            described.join(", ")
        }
    );
}

/// Panics with a report if the gradient that node `index`'s rule gave its input `input` is not finite.
pub(crate) fn check_gradient(nodes: &[Node], index: usize, input: usize, grad: &Tensor) {
    if grad.all_finite() {
        return;
    }
    let node = &nodes[index];
    let input_id = node.inputs.as_slice()[input];
    panic!(
        "anomaly: backward of {} (node %{index}, made at {}) gave a non-finite gradient for its \
         input {input_id} ({}); that input {}",
        node.op.name(),
        node.location,
        describe(grad),
        describe(&nodes[input_id.0].value)
    );
}

/// A tensor in brief: shape, count of NaN and infinite entries, and the range of the finite ones.
pub(crate) fn describe(tensor: &Tensor) -> String {
    let nan = tensor.data().iter().filter(|x| x.is_nan()).count();
    let inf = tensor.data().iter().filter(|x| x.is_infinite()).count();
    let finite = tensor.data().iter().copied().filter(|x| x.is_finite());
    let (low, high) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    let range = if low <= high {
        format!("in [{low:.4e}, {high:.4e}]")
    } else {
        "no finite values".to_string()
    };
    let mut text = format!("shape {} {range}", tensor.shape());
    if nan + inf > 0 {
        text.push_str(&format!(", {nan} NaN, {inf} infinite"));
    }
    text
}
