//! Anomaly detection: find the first op whose value or gradient is NaN or infinite, and say where.

use crate::ops::Op;
use crate::tape::{Inputs, Node, NodeId, Tape};
use crate::tensor::Tensor;
use std::fmt;
use std::panic::Location;

impl Tape {
    /// Turns anomaly detection on or off. When on, every value recorded and every gradient that
    /// backward computes is checked, and the first NaN or infinity is kept as an [`Anomaly`]
    /// naming the op, the node, the ranges of its inputs and the line of the caller's code that
    /// made it; read it with [`Tape::anomaly`]. Off (the default), nothing is checked.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    /// let tape = Tape::new();
    /// tape.set_detect_anomaly(true);
    /// let x = tape.var(Tensor::from_vec(vec![1.0, 0.0], [2]));
    /// let y = (x.log() * x).sum(); // log 0 = −inf: the first anomaly
    /// let anomaly = tape.anomaly().expect("log(0) is caught");
    /// assert_eq!(anomaly.op, "log");
    /// assert!(anomaly.location.contains(".rs:"));
    /// # let _ = y;
    /// ```
    pub fn set_detect_anomaly(&self, on: bool) {
        self.detect_anomaly.set(on);
    }

    /// Whether anomaly detection is on.
    pub fn detects_anomaly(&self) -> bool {
        self.detect_anomaly.get()
    }

    /// The first NaN or infinity met since the tape was created or cleared, while detection was
    /// on: in a recorded value, or in a gradient computed by backward.
    pub fn anomaly(&self) -> Option<Anomaly> {
        self.first_anomaly.borrow().clone()
    }

    /// Keeps `anomaly` unless an earlier one is already kept.
    fn keep_first(&self, anomaly: impl FnOnce() -> Anomaly) {
        let mut first = self.first_anomaly.borrow_mut();
        if first.is_none() {
            *first = Some(anomaly());
        }
    }
}

/// Where the first NaN or infinity appeared, from [`Tape::anomaly`].
#[derive(Clone, Debug, PartialEq)]
pub struct Anomaly {
    /// The node whose value was not finite, or whose backward rule gave a non-finite gradient.
    pub node: NodeId,
    /// That node's op.
    pub op: String,
    /// The source line that recorded the node.
    pub location: String,
    /// In the forward value, or in a gradient during backward.
    pub phase: AnomalyPhase,
    /// The offending tensor and the inputs, in brief: shapes, counts of NaN and infinite
    /// entries, and the ranges of the finite ones.
    pub detail: String,
}

/// When an [`Anomaly`] appeared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnomalyPhase {
    /// The op's own value was not finite.
    Forward,
    /// The op's backward rule gave a non-finite gradient for its input `input`.
    Backward {
        /// The input whose gradient was not finite.
        input: NodeId,
    },
}

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.phase {
            AnomalyPhase::Forward => write!(
                f,
                "anomaly: {} at {} made a non-finite value (node {}, {})",
                self.op, self.location, self.node, self.detail
            ),
            AnomalyPhase::Backward { input } => write!(
                f,
                "anomaly: backward of {} (node {}, made at {}) gave a non-finite gradient for \
                 its input {input} ({})",
                self.op, self.node, self.location, self.detail
            ),
        }
    }
}

/// Keeps an anomaly if the value about to be recorded holds a NaN or infinity.
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
    tape.keep_first(|| {
        let nodes = tape.nodes.borrow();
        let described: Vec<String> = inputs
            .as_slice()
            .iter()
            .map(|id| format!("{id} {}", describe(&nodes[id.0].value)))
            .collect();
        let inputs = if described.is_empty() {
            "none".to_string()
        } else {
            described.join(", ")
        };
        Anomaly {
            node: NodeId(nodes.len()),
            op: op.name().to_string(),
            location: location.to_string(),
            phase: AnomalyPhase::Forward,
            detail: format!("{}; inputs: {inputs}", describe(value)),
        }
    });
}

/// Keeps an anomaly if the gradient that node `index`'s rule gave its input `input` is not finite.
pub(crate) fn check_gradient(
    tape: &Tape,
    nodes: &[Node],
    index: usize,
    input: usize,
    grad: &Tensor,
) {
    if grad.all_finite() {
        return;
    }
    tape.keep_first(|| {
        let node = &nodes[index];
        let input_id = node.inputs.as_slice()[input];
        Anomaly {
            node: NodeId(index),
            op: node.op.name().to_string(),
            location: node.location.to_string(),
            phase: AnomalyPhase::Backward { input: input_id },
            detail: format!(
                "gradient {}; that input {}",
                describe(grad),
                describe(&nodes[input_id.0].value)
            ),
        }
    });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_non_finite_value_is_kept_with_its_op_and_line() {
        let tape = Tape::new();
        tape.set_detect_anomaly(true);
        let x = tape.var(Tensor::from_vec(vec![2.0, 0.0], [2]));
        let ratio = tape.constant(Tensor::scalar(1.0)) / x; // 1/0 = inf: the first anomaly
        let later = ratio.log() - ratio; // inf − inf = NaN: a later one, not kept
        let anomaly = tape.anomaly().expect("1/0 is caught");
        assert_eq!(anomaly.op, "div");
        assert_eq!(anomaly.node, ratio.id());
        assert_eq!(anomaly.phase, AnomalyPhase::Forward);
        assert!(
            anomaly.location.contains("anomaly.rs"),
            "{}",
            anomaly.location
        );
        assert!(anomaly.detail.contains("1 infinite"), "{}", anomaly.detail);
        assert!(anomaly.to_string().starts_with("anomaly: div at "));
        let _ = later;
    }

    #[test]
    fn a_non_finite_gradient_is_kept_with_the_rule_that_made_it() {
        let tape = Tape::new();
        tape.set_detect_anomaly(true);
        let x = tape.var(Tensor::from_vec(vec![4.0, 0.0], [2]));
        let root = x.sqrt(); // finite values: 2 and 0
        assert_eq!(tape.anomaly(), None);
        let _ = root.sum().backward(); // d√x/dx = 1/(2√x) is infinite at 0
        let anomaly = tape.anomaly().expect("the infinite slope is caught");
        assert_eq!(anomaly.op, "sqrt");
        assert_eq!(anomaly.phase, AnomalyPhase::Backward { input: x.id() });
    }

    #[test]
    fn detection_is_off_by_default_and_clear_forgets_the_anomaly() {
        let mut tape = Tape::new();
        let _ = tape.var(Tensor::scalar(f64::NAN)).exp();
        assert_eq!(tape.anomaly(), None);
        tape.set_detect_anomaly(true);
        let _ = tape.var(Tensor::scalar(f64::NAN));
        assert_eq!(tape.anomaly().map(|a| a.op), Some("leaf".to_string()));
        tape.clear();
        assert_eq!(tape.anomaly(), None);
    }
}
