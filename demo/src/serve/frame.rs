//! `Frame`: what the page draws after some passes: the losses, the accuracies and the decision
//! boundary on a grid over the data.

use std::ops::Range;

use autograd::Tensor;
use serde_json::{Value, json};

use crate::commands::network::Network;
use crate::plot::{RowOrder, grid_centres};

/// Cells per axis of the boundary grid sent with every frame.
pub const BOUNDARY_RES: usize = 64;

/// The state of a session after `pass` passes.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Passes completed.
    pub pass: usize,
    /// The loss per example on the training rows, as `demo train` reports it.
    pub loss: f64,
    /// The accuracy on the training rows.
    pub accuracy: f64,
    /// The loss on the held-out rows, when some are held out.
    pub holdout_loss: Option<f64>,
    /// The accuracy on the held-out rows, when some are held out.
    pub holdout_accuracy: Option<f64>,
    /// The learning rate of the last pass (the base rate before any).
    pub lr: f64,
    /// The decision boundary.
    pub boundary: Boundary,
}

/// The model's class and confidence at the centre of each cell of a `res × res` grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    /// Cells per axis.
    pub res: usize,
    /// The grid's horizontal extent.
    pub x: Range<f64>,
    /// The grid's vertical extent.
    pub y: Range<f64>,
    /// The predicted class per cell, row by row from the top left `(x_min, y_max)`.
    pub class: Vec<usize>,
    /// The predicted class's probability per cell, in the same order.
    pub confidence: Vec<f64>,
}

/// The cells a [`Boundary`] is evaluated on: a `res × res` grid over a fixed extent, with its
/// cell centres built once.
#[derive(Clone, Debug)]
pub struct BoundaryGrid {
    res: usize,
    x: Range<f64>,
    y: Range<f64>,
    /// The cell centres `[res², 2]`, row by row from the top left `(x_min, y_max)`.
    centres: Tensor,
}

impl BoundaryGrid {
    /// A `res × res` grid over `x` and `y`.
    pub fn new(x: Range<f64>, y: Range<f64>, res: usize) -> BoundaryGrid {
        let centres = grid_centres(&x, &y, res, RowOrder::TopDown);
        BoundaryGrid { res, x, y, centres }
    }
}

impl Boundary {
    /// `model`'s predictions at the centres of `grid`'s cells.
    pub fn of(model: &Network, grid: &BoundaryGrid) -> Boundary {
        let res = grid.res;
        let probabilities = model.predict_proba(&grid.centres);
        let (class, confidence) = (0..res * res)
            .map(|cell| most_probable(probabilities.row(cell)))
            .unzip();
        Boundary {
            res,
            x: grid.x.clone(),
            y: grid.y.clone(),
            class,
            confidence,
        }
    }
}

/// The index of the largest probability and that probability (the first on ties, as the
/// model's own prediction).
fn most_probable(probabilities: &[f64]) -> (usize, f64) {
    probabilities.iter().copied().enumerate().fold(
        (0, f64::NEG_INFINITY),
        |best, (class, probability)| {
            if probability > best.1 {
                (class, probability)
            } else {
                best
            }
        },
    )
}

/// A number as JSON: itself when finite, `null` otherwise.
pub fn number(value: f64) -> Value {
    if value.is_finite() {
        json!(value)
    } else {
        Value::Null
    }
}

impl Frame {
    /// The frame as the page reads it (non-finite numbers as `null`).
    pub fn to_json(&self) -> Value {
        let boundary = &self.boundary;
        json!({
            "pass": self.pass,
            "loss": number(self.loss),
            "accuracy": number(self.accuracy),
            "holdout_loss": self.holdout_loss.map_or(Value::Null, number),
            "holdout_accuracy": self.holdout_accuracy.map_or(Value::Null, number),
            "lr": number(self.lr),
            "boundary": {
                "res": boundary.res,
                "x_min": number(boundary.x.start),
                "x_max": number(boundary.x.end),
                "y_min": number(boundary.y.start),
                "y_max": number(boundary.y.end),
                "class": boundary.class,
                "confidence": boundary.confidence.iter().map(|&c| number(c)).collect::<Vec<_>>(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::Tensor;

    /// Logistic regression whose class-1 score is `x + y + 0.75` (class 0's is 0).
    fn tilted_model() -> Network {
        let mut model = nn::Mlp::new(&[2, 2], nn::Activation::Tanh, nn::Init::Tutorial, 0);
        let params = nn::Model::params_mut(&mut model);
        *params.get_mut("W1").unwrap() = Tensor::from_rows(&[[0.0, 1.0], [0.0, 1.0]]);
        *params.get_mut("b1").unwrap() = Tensor::from(vec![0.0, 0.75]);
        Network::Mlp(model)
    }

    #[test]
    fn the_grid_runs_from_the_top_left_row_by_row() {
        let grid = BoundaryGrid::new(-1.0..1.0, -1.0..1.0, 2);
        let boundary = Boundary::of(&tilted_model(), &grid);
        // Centres (-0.5, 0.5), (0.5, 0.5), then (-0.5, -0.5), (0.5, -0.5): scores 0.75, 1.75,
        // -0.25, 0.75.
        assert_eq!(boundary.class, vec![1, 1, 0, 1]);
        let sigmoid = |score: f64| 1.0 / (1.0 + (-score).exp());
        let expected = [
            sigmoid(0.75),
            sigmoid(1.75),
            1.0 - sigmoid(-0.25),
            sigmoid(0.75),
        ];
        for (confidence, expected) in boundary.confidence.iter().zip(expected) {
            assert!(
                (confidence - expected).abs() < 1e-12,
                "{confidence} {expected}"
            );
        }
    }

    #[test]
    fn non_finite_numbers_are_written_as_null() {
        assert_eq!(number(f64::NAN), Value::Null);
        assert_eq!(number(f64::INFINITY), Value::Null);
        assert_eq!(number(0.5), json!(0.5));
    }
}
