//! The tutorial's own numpy trajectories, reproduced loss by loss and weight by weight.

use crate::common;

use common::{INIT, golden_params, moons};
use nn::train::{TrainConfig, train};
use nn::{Activation, Mlp, OptimizerKind, Reduction};

const LOSSES_LR_0_01: &str = include_str!("../golden/numpy_losses_h3_lr0.01.csv");
const AFTER_1500_LR_0_01: &str = include_str!("../golden/after1500_h3_lr0.01.json");
const LOSSES_LR_0_002: &str = include_str!("../golden/numpy_losses_h3_lr0.002.csv");
const AFTER_20000_LR_0_002: &str = include_str!("../golden/after20000_h3_lr0.002.json");

const TOLERANCE: f64 = 1e-9;

/// `(passes, loss)` rows of a golden loss CSV.
fn golden_losses(text: &str) -> Vec<(usize, f64)> {
    text.lines()
        .skip(1)
        .map(|line| {
            let (passes, loss) = line.split_once(',').unwrap();
            (passes.parse().unwrap(), loss.parse().unwrap())
        })
        .collect()
}

fn relative_error(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs().max(f64::MIN_POSITIVE)
}

/// Trains the tutorial's network from the golden initial weights and checks every golden loss
/// row and every final weight.
fn reproduce(learning_rate: f64, losses: &str, after: &str) {
    let params = golden_params(INIT);
    let mut model = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], params).unwrap();
    let expected_losses = golden_losses(losses);
    let passes = expected_losses.last().unwrap().0;
    let config = TrainConfig {
        passes,
        learning_rate,
        reg: 0.01,
        reduction: Reduction::Sum,
        optimizer: OptimizerKind::Gd,
        schedule: nn::optim::Schedule::Constant,
        batch_size: None,
        holdout: None,
        seed: 0,
        report_every: 1,
        detect_anomaly: false,
    };
    let mut reported = vec![f64::NAN; passes + 1];
    train(&mut model, &moons(), &config, |progress| {
        reported[progress.pass] = progress.loss;
    })
    .unwrap();

    for (pass, want) in expected_losses {
        let got = reported[pass];
        assert!(
            relative_error(got, want) <= TOLERANCE,
            "loss after {pass} passes: {got} vs numpy {want}"
        );
    }
    let expected = golden_params(after);
    for (name, want) in expected.iter() {
        let got = model.params().get(name).unwrap();
        assert_eq!(got.dims(), want.dims(), "{name}");
        for (index, (&got, &want)) in got.data().iter().zip(want.data()).enumerate() {
            assert!(
                relative_error(got, want) <= TOLERANCE,
                "{name}[{index}] after {passes} passes: {got} vs numpy {want}"
            );
        }
    }
}

#[test]
fn the_tutorial_learning_rate_matches_numpy_for_1500_passes() {
    reproduce(0.01, LOSSES_LR_0_01, AFTER_1500_LR_0_01);
}

#[test]
fn learning_rate_0_002_matches_numpy_for_20000_passes() {
    reproduce(0.002, LOSSES_LR_0_002, AFTER_20000_LR_0_002);
}

#[test]
fn the_golden_initial_loss_is_the_tutorials_formula_by_hand() {
    // The tutorial's calculate_loss, written out with plain f64 arithmetic.
    let data = moons();
    let params = golden_params(INIT);
    let (w1, b1, w2, b2) = (
        params.get("W1").unwrap(),
        params.get("b1").unwrap(),
        params.get("W2").unwrap(),
        params.get("b2").unwrap(),
    );
    let mut cross_entropy = 0.0;
    for row in 0..data.len() {
        let x = data.features.row(row);
        let hidden: Vec<f64> = (0..3)
            .map(|j| (x[0] * w1[[0, j]] + x[1] * w1[[1, j]] + b1.data()[j]).tanh())
            .collect();
        let logits: Vec<f64> = (0..2)
            .map(|k| (0..3).map(|j| hidden[j] * w2[[j, k]]).sum::<f64>() + b2.data()[k])
            .collect();
        let total: f64 = logits.iter().map(|z| z.exp()).sum();
        cross_entropy -= (logits[data.labels[row]].exp() / total).ln();
    }
    let squares: f64 = w1.data().iter().chain(w2.data()).map(|w| w * w).sum();
    let by_hand = (cross_entropy + 0.01 / 2.0 * squares) / data.len() as f64;

    let mut model = Mlp::from_params(&[2, 3, 2], &[Activation::Tanh], params.clone()).unwrap();
    let config = TrainConfig {
        passes: 0,
        ..TrainConfig::default()
    };
    let summary = train(&mut model, &data, &config, |_| {}).unwrap();
    let first = golden_losses(LOSSES_LR_0_01)[0].1;
    assert!(relative_error(summary.last().loss, by_hand) < 1e-12);
    assert!(relative_error(first, by_hand) < 1e-12);
}
