//! Losses as graphs of autograd ops: cross-entropies, squared error and the L2 weight penalty.

use crate::params::ParamVars;
use autograd::{Tensor, Var};
use std::fmt;
use std::str::FromStr;

/// How per-example losses are combined into one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reduction {
    /// The sum over the batch (the tutorial's choice: its gradients are those of the sum).
    Sum,
    /// The mean over the batch.
    Mean,
}

impl Reduction {
    /// The per-example losses `losses` summed or averaged into a rank-0 var.
    #[track_caller]
    pub fn apply<'t>(self, losses: Var<'t>) -> Var<'t> {
        match self {
            Reduction::Sum => losses.sum(),
            Reduction::Mean => losses.mean(),
        }
    }

    /// The L2 strength to use with this reduction over `examples` examples, so that both
    /// reductions of `data loss + penalty` have the same minimiser for the same `reg`.
    ///
    /// The sum's objective is `Σᵢ ℓᵢ + reg/2·Σ‖W‖²` (the tutorial's). Dividing all of it by `N`
    /// changes its scale but not its minimiser: `(1/N)·Σᵢ ℓᵢ + (reg/N)/2·Σ‖W‖²`. So `Sum` keeps
    /// `reg` and `Mean` scales it by `1/N`; without that, the mean's penalty would weigh `N` times
    /// more against the data than the sum's, and pull the weights towards zero.
    ///
    /// # Panics
    /// If `examples` is 0 under `Mean` (there is no mean of nothing).
    #[track_caller]
    pub fn penalty_strength(self, reg: f64, examples: usize) -> f64 {
        match self {
            Reduction::Sum => reg,
            Reduction::Mean => {
                assert!(
                    examples > 0,
                    "Reduction::penalty_strength: a mean over 0 examples (at {})",
                    std::panic::Location::caller()
                );
                reg / examples as f64
            }
        }
    }

    /// The name as written in flags (`sum`, `mean`).
    pub fn name(self) -> &'static str {
        match self {
            Reduction::Sum => "sum",
            Reduction::Mean => "mean",
        }
    }
}

impl fmt::Display for Reduction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Reduction {
    type Err = String;

    /// Parses `sum` or `mean`; the error is a message naming the bad text.
    fn from_str(name: &str) -> Result<Reduction, String> {
        match name {
            "sum" => Ok(Reduction::Sum),
            "mean" => Ok(Reduction::Mean),
            other => Err(format!(
                "unknown reduction {other:?} (expected sum or mean)"
            )),
        }
    }
}

/// Softmax cross-entropy of `logits` `[N, C]` against class `labels` (one per row, each below
/// `C`): `−log softmax(logits)[r, labels[r]]` per row, reduced by `reduction`.
///
/// Computed by autograd's `softmax_cross_entropy` op (the same numbers as
/// `−logits.log_softmax(1).pick(labels)`), which shifts each row by its maximum, so large logits
/// neither overflow nor lose the small differences between classes.
///
/// # Panics
/// If `logits` is not rank 2, there is not one label per row, or a label is not below `C`.
#[track_caller]
pub fn softmax_cross_entropy<'t>(
    logits: Var<'t>,
    labels: &[usize],
    reduction: Reduction,
) -> Var<'t> {
    reduction.apply(logits.softmax_cross_entropy(labels))
}

/// Binary cross-entropy of one logit per example against labels 0 or 1:
/// `−[y·log σ(z) + (1 − y)·log(1 − σ(z))]` per example, reduced by `reduction`.
///
/// `logits` is `[N]` or `[N, 1]`. Since `softmax([0, z]) = [1 − σ(z), σ(z)]`, this is the
/// softmax cross-entropy of the two-column logits `[0, z]`, which keeps it stable for any `z`.
///
/// # Panics
/// If `logits` is not `[N]` or `[N, 1]` with one label per example, or a label is not 0 or 1.
#[track_caller]
pub fn binary_cross_entropy_with_logits<'t>(
    logits: Var<'t>,
    labels: &[usize],
    reduction: Reduction,
) -> Var<'t> {
    let shape = logits.shape();
    let rows = shape.dims().first().copied().unwrap_or(0);
    let fits = match shape.dims() {
        [n] => *n == labels.len(),
        [n, 1] => *n == labels.len(),
        _ => false,
    };
    assert!(
        fits,
        "binary_cross_entropy_with_logits: logits {shape} do not hold one logit for each of {} labels (at {})",
        labels.len(),
        std::panic::Location::caller()
    );
    if let Some((row, label)) = labels.iter().enumerate().find(|&(_, &label)| label > 1) {
        panic!(
            "binary_cross_entropy_with_logits: label {label} in row {row} is not 0 or 1 (at {})",
            std::panic::Location::caller()
        );
    }
    let column = logits.reshape([rows, 1]);
    let zeros = logits.tape().constant(Tensor::zeros([rows, 1]));
    let two_class = Var::concat(&[zeros, column], 1);
    softmax_cross_entropy(two_class, labels, reduction)
}

/// Mean squared error's family: `(predictions − targets)²` elementwise, reduced by `reduction`
/// (`Mean` gives the mean squared error, `Sum` the sum of squares).
///
/// # Panics
/// If the shapes do not broadcast.
#[track_caller]
pub fn mse<'t>(predictions: Var<'t>, targets: Var<'t>, reduction: Reduction) -> Var<'t> {
    reduction.apply((predictions - targets).square())
}

/// The L2 penalty `reg/2 · Σ ‖W‖²` over the weight matrices (the rank-2 parameters) of
/// `params`; biases (rank 1) are not penalised, as in the tutorial.
///
/// # Panics
/// If `params` is empty (there is no tape to record on).
#[track_caller]
pub fn l2_penalty<'t>(params: &ParamVars<'t>, reg: f64) -> Var<'t> {
    let Some(&first) = params.vars().first() else {
        panic!(
            "l2_penalty: no parameters (at {})",
            std::panic::Location::caller()
        )
    };
    let squares = params
        .vars()
        .iter()
        .filter(|var| var.shape().rank() == 2)
        .map(|weights| weights.sum_squares())
        .reduce(|total, term| total + term);
    match squares {
        Some(total) => (reg / 2.0) * total,
        None => first.tape().constant(Tensor::scalar(0.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;
    use autograd::{GradcheckOptions, Tape, gradcheck};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn softmax_cross_entropy_matches_a_hand_computation() {
        // Row 0: logits [1, 2, 3], label 2: −log(e³ / (e + e² + e³)).
        // Row 1: logits [0, 0, 0], label 0: log 3.
        let tape = Tape::new();
        let logits = tape.var(Tensor::from_rows(&[[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]));
        let row0 = -(3.0f64.exp() / (1.0f64.exp() + 2.0f64.exp() + 3.0f64.exp())).ln();
        let row1 = 3.0f64.ln();
        let sum = softmax_cross_entropy(logits, &[2, 0], Reduction::Sum).item();
        let mean = softmax_cross_entropy(logits, &[2, 0], Reduction::Mean).item();
        assert!(close(sum, row0 + row1), "{sum}");
        assert!(close(mean, (row0 + row1) / 2.0), "{mean}");
    }

    #[test]
    fn softmax_cross_entropy_gradient_is_probabilities_minus_one_hot() {
        // d/dz −log softmax(z)[y] = softmax(z) − onehot(y): the tutorial's delta3.
        let tape = Tape::new();
        let logits = tape.var(Tensor::from_rows(&[[0.5, -1.0], [2.0, 0.0]]));
        let grads = softmax_cross_entropy(logits, &[1, 0], Reduction::Sum).backward();
        let probs = Tensor::from_rows(&[[0.5, -1.0], [2.0, 0.0]]).softmax_axis(1);
        let expected = [
            probs[[0, 0]],
            probs[[0, 1]] - 1.0,
            probs[[1, 0]] - 1.0,
            probs[[1, 1]],
        ];
        for (got, want) in grads[logits].data().iter().zip(expected) {
            assert!(close(*got, want), "{got} vs {want}");
        }
    }

    #[test]
    fn softmax_cross_entropy_stays_finite_for_huge_logits() {
        let tape = Tape::new();
        let logits = tape.var(Tensor::from_rows(&[[1000.0, 0.0], [-1000.0, 1000.0]]));
        let loss = softmax_cross_entropy(logits, &[0, 0], Reduction::Sum).item();
        assert!(close(loss, 2000.0), "{loss}");
    }

    #[test]
    fn binary_cross_entropy_matches_the_textbook_formula() {
        let z = [-3.0, -0.5, 0.0, 0.7, 4.0];
        let y = [0, 1, 1, 0, 1];
        let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
        let expected: f64 = z
            .iter()
            .zip(y)
            .map(|(&z, y)| {
                let p = sigmoid(z);
                if y == 1 { -p.ln() } else { -(1.0 - p).ln() }
            })
            .sum();
        let tape = Tape::new();
        let logits = tape.var(Tensor::from_vec(z.to_vec(), [5, 1]));
        let loss = binary_cross_entropy_with_logits(logits, &y, Reduction::Sum).item();
        assert!(close(loss, expected), "{loss} vs {expected}");
        let flat = tape.var(Tensor::from_vec(z.to_vec(), [5]));
        let mean = binary_cross_entropy_with_logits(flat, &y, Reduction::Mean).item();
        assert!(close(mean, expected / 5.0), "{mean}");
    }

    #[test]
    fn binary_cross_entropy_gradient_matches_finite_differences() {
        let z = Tensor::from_vec(vec![-30.0, -0.5, 0.0, 0.7, 25.0], [5, 1]);
        let report = gradcheck(
            |vars| binary_cross_entropy_with_logits(vars[0], &[0, 1, 1, 0, 1], Reduction::Mean),
            &[z],
            &GradcheckOptions::default(),
        );
        assert!(report.passed, "{report}");
    }

    #[test]
    #[should_panic(expected = "label 2 in row 1 is not 0 or 1")]
    fn binary_cross_entropy_rejects_a_third_class() {
        let tape = Tape::new();
        let logits = tape.var(Tensor::zeros([2, 1]));
        binary_cross_entropy_with_logits(logits, &[0, 2], Reduction::Sum);
    }

    #[test]
    fn mse_averages_or_sums_squared_differences() {
        let tape = Tape::new();
        let predictions = tape.var(Tensor::from_vec(vec![1.0, 2.0, 4.0], [3]));
        let targets = tape.constant(Tensor::from_vec(vec![1.0, 0.0, 1.0], [3]));
        assert_eq!(mse(predictions, targets, Reduction::Sum).item(), 13.0);
        let mean = mse(predictions, targets, Reduction::Mean);
        assert!(close(mean.item(), 13.0 / 3.0));
        // d/dp mean (p − t)² = 2(p − t)/3
        let grads = mean.backward();
        let expected = [0.0, 4.0 / 3.0, 2.0];
        for (got, want) in grads[predictions].data().iter().zip(expected) {
            assert!(close(*got, want), "{got} vs {want}");
        }
    }

    #[test]
    fn l2_penalty_covers_weights_and_not_biases() {
        let mut params = Params::new();
        params.insert("W1", Tensor::from_rows(&[[1.0, 2.0]]));
        params.insert("b1", Tensor::from_vec(vec![5.0, 6.0], [2]));
        params.insert("W2", Tensor::from_rows(&[[3.0], [-1.0]]));
        let tape = Tape::new();
        let vars = params.on_tape(&tape);
        let penalty = l2_penalty(&vars, 0.1);
        // 0.1/2 · (1 + 4 + 9 + 1) = 0.75
        assert!(close(penalty.item(), 0.75), "{}", penalty.item());
        let mut grads = penalty.backward();
        let by_name = vars.gradients(&mut grads);
        // d/dW reg/2 ‖W‖² = reg·W; biases get nothing.
        assert_eq!(by_name.get("b1").unwrap().data(), &[0.0, 0.0]);
        let w2 = by_name.get("W2").unwrap().data().to_vec();
        assert!(close(w2[0], 0.3) && close(w2[1], -0.1), "{w2:?}");
    }

    #[test]
    fn the_mean_scales_the_penalty_by_one_over_the_examples() {
        assert_eq!(Reduction::Sum.penalty_strength(0.01, 200), 0.01);
        assert_eq!(Reduction::Mean.penalty_strength(0.01, 200), 0.01 / 200.0);
    }

    #[test]
    fn reductions_parse_from_their_names() {
        assert_eq!("sum".parse(), Ok(Reduction::Sum));
        assert_eq!("mean".parse(), Ok(Reduction::Mean));
        assert!("max".parse::<Reduction>().is_err());
    }
}
