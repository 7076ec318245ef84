//! The training loop: reports, mini-batches, held-out splits, divergence and bad configurations.

use autograd::Tensor;
use nn::metrics::accuracy;
use nn::train::{TrainConfig, train};
use nn::{Activation, Dataset, Init, Mlp, OptimizerKind, Progress, Reduction, TrainError};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Two Gaussian blobs, class 0 around (−1, −1) and class 1 around (1, 1), interleaved.
fn blobs(count: usize, spread: f64, seed: u64) -> Dataset {
    let noise = Tensor::randn([count, 2], &mut StdRng::seed_from_u64(seed));
    let labels: Vec<usize> = (0..count).map(|i| i % 2).collect();
    let mut features = noise.map(|x| spread * x);
    for (row, &label) in labels.iter().enumerate() {
        let centre = if label == 1 { 1.0 } else { -1.0 };
        features.data_mut()[2 * row] += centre;
        features.data_mut()[2 * row + 1] += centre;
    }
    Dataset::new(features, labels)
}

fn tutorial_net(seed: u64) -> Mlp {
    Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, seed)
}

fn config(passes: usize) -> TrainConfig {
    TrainConfig {
        passes,
        report_every: 10,
        ..TrainConfig::default()
    }
}

#[test]
fn reports_come_at_pass_zero_every_interval_and_the_last_pass() {
    let mut model = tutorial_net(1);
    let mut passes = Vec::new();
    let summary = train(&mut model, &blobs(40, 0.5, 2), &config(25), |progress| {
        passes.push(progress.pass)
    })
    .unwrap();
    assert_eq!(passes, [0, 10, 20, 25]);
    let reported: Vec<usize> = summary.history.iter().map(|p| p.pass).collect();
    assert_eq!(reported, passes);
    assert_eq!(summary.last().updates, 25);
    assert_eq!(summary.history[0].updates, 0);
}

#[test]
fn full_batch_descent_lowers_the_loss_and_learns_separable_blobs() {
    let data = blobs(60, 0.4, 3);
    let mut model = tutorial_net(4);
    let summary = train(&mut model, &data, &config(300), |_| {}).unwrap();
    let losses: Vec<f64> = summary.history.iter().map(|p| p.loss).collect();
    assert!(
        losses.windows(2).all(|pair| pair[1] < pair[0]),
        "{losses:?}"
    );
    assert!(
        summary.last().train_accuracy >= 0.95,
        "{:?}",
        summary.last()
    );
    assert_eq!(
        summary.last().train_accuracy,
        accuracy(&model.predict(&data.features), &data.labels)
    );
    assert_eq!(summary.last().holdout_accuracy, None);
}

#[test]
fn the_reported_loss_is_the_objective_per_example() {
    let data = blobs(20, 0.5, 5);
    for reduction in [Reduction::Sum, Reduction::Mean] {
        let mut model = tutorial_net(6);
        let untouched = model.clone();
        let config = TrainConfig {
            passes: 0,
            reduction,
            ..config(0)
        };
        let summary = train(&mut model, &data, &config, |_| {}).unwrap();
        let mut tape = autograd::Tape::new();
        let (objective, _) = untouched.gradients(
            &mut tape,
            &data.features,
            &data.labels,
            reduction,
            config.reg,
        );
        let expected = match reduction {
            Reduction::Sum => objective / 20.0,
            Reduction::Mean => objective,
        };
        assert!(
            (summary.last().loss - expected).abs() < 1e-15,
            "{reduction}"
        );
        assert_eq!(model, untouched, "zero passes change nothing");
    }
}

#[test]
fn mini_batches_are_shuffled_by_the_seed() {
    let data = blobs(30, 0.5, 7);
    let run = |seed: u64| {
        let mut model = tutorial_net(8);
        let config = TrainConfig {
            batch_size: Some(8),
            seed,
            reduction: Reduction::Mean,
            learning_rate: 0.1,
            ..config(5)
        };
        let summary = train(&mut model, &data, &config, |_| {}).unwrap();
        (model, summary)
    };
    let (first, summary) = run(1);
    let (again, _) = run(1);
    let (other, _) = run(2);
    assert_eq!(first, again);
    assert_ne!(first, other);
    // 30 examples in batches of 8: 4 updates per pass.
    assert_eq!(summary.last().updates, 20);
    assert_eq!(summary.last().pass, 5);
}

#[test]
fn a_batch_as_large_as_the_data_is_full_batch_descent() {
    let data = blobs(12, 0.5, 9);
    let mut full = tutorial_net(10);
    let mut batched = full.clone();
    train(&mut full, &data, &config(7), |_| {}).unwrap();
    let config = TrainConfig {
        batch_size: Some(12),
        ..config(7)
    };
    train(&mut batched, &data, &config, |_| {}).unwrap();
    assert_eq!(full, batched);
}

#[test]
fn a_holdout_split_trains_on_the_rest_only_and_reports_both_accuracies() {
    let data = blobs(40, 0.8, 11);
    let config = TrainConfig {
        holdout: Some(0.25),
        seed: 5,
        ..config(20)
    };
    let mut with_holdout = tutorial_net(12);
    let mut reports: Vec<Progress> = Vec::new();
    let summary = train(&mut with_holdout, &data, &config, |p| {
        reports.push(p.clone())
    })
    .unwrap();
    assert_eq!((summary.train_examples, summary.holdout_examples), (30, 10));
    assert!(
        reports
            .iter()
            .all(|p| p.holdout_accuracy.is_some() && p.holdout_loss.is_some())
    );

    let (train_part, held) = data.split_holdout(0.25, 5);
    let mut by_hand = tutorial_net(12);
    let plain = TrainConfig {
        holdout: None,
        ..config.clone()
    };
    train(&mut by_hand, &train_part, &plain, |_| {}).unwrap();
    assert_eq!(with_holdout, by_hand);
    let held_accuracy = accuracy(&by_hand.predict(&held.features), &held.labels);
    assert_eq!(summary.last().holdout_accuracy, Some(held_accuracy));
}

#[test]
fn over_fitting_shows_as_a_gap_between_train_and_holdout_accuracy() {
    // Heavily overlapping blobs, few examples, a wide net and no penalty: it memorises.
    let data = blobs(40, 2.0, 13);
    let mut model = Mlp::new(&[2, 30, 2], Activation::Tanh, Init::Tutorial, 14);
    let config = TrainConfig {
        passes: 3000,
        learning_rate: 0.01,
        reg: 0.0,
        reduction: Reduction::Mean,
        optimizer: OptimizerKind::Adam,
        holdout: Some(0.5),
        seed: 3,
        report_every: 3000,
        ..TrainConfig::default()
    };
    let summary = train(&mut model, &data, &config, |_| {}).unwrap();
    let last = summary.last();
    let holdout = last.holdout_accuracy.unwrap();
    assert!(
        last.train_accuracy - holdout >= 0.15,
        "train {} holdout {holdout}",
        last.train_accuracy
    );
}

#[test]
fn a_diverging_run_stops_with_the_pass_and_the_loss() {
    let data = blobs(20, 0.5, 15);
    let mut model = tutorial_net(16);
    let config = TrainConfig {
        learning_rate: 1e4,
        reg: 0.01,
        ..config(1000)
    };
    let mut last_reported = 0;
    let error = train(&mut model, &data, &config, |p| last_reported = p.pass).unwrap_err();
    let TrainError::Diverged { pass, loss } = error else {
        panic!("expected divergence, got {error}");
    };
    assert!(!loss.is_finite());
    assert!(pass < 1000 && pass >= last_reported, "pass {pass}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("training diverged at pass {pass}: the loss is ")),
        "{error}"
    );
    // The model is rolled back to the last parameters whose loss was finite.
    assert!(model.params().all_finite());
    let mut tape = autograd::Tape::new();
    let (objective, _) = model.gradients(
        &mut tape,
        &data.features,
        &data.labels,
        Reduction::Sum,
        0.01,
    );
    assert!(objective.is_finite(), "rolled-back objective {objective}");
}

#[test]
fn train_observed_lends_the_model_after_every_pass() {
    let data = blobs(20, 0.5, 21);
    let mut model = tutorial_net(22);
    let config = config(30);
    let mut seen = Vec::new();
    let mut first_weights = None;
    nn::train::train_observed(
        &mut model,
        &data,
        &config,
        |_| {},
        |pass, model| {
            seen.push(pass);
            if pass == 1 {
                first_weights = model.params().get("W1").cloned();
            }
        },
    )
    .unwrap();
    assert_eq!(seen, (1..=30).collect::<Vec<_>>());
    // After one pass the lent model already differs from the initial one (it was updated).
    assert_ne!(first_weights.as_ref(), tutorial_net(22).params().get("W1"));
}

#[test]
fn momentum_and_adam_also_learn_the_blobs() {
    let data = blobs(60, 0.4, 17);
    for optimizer in [OptimizerKind::Momentum, OptimizerKind::Adam] {
        let mut model = tutorial_net(18);
        let config = TrainConfig {
            optimizer,
            learning_rate: 0.01,
            reduction: Reduction::Mean,
            ..config(200)
        };
        let summary = train(&mut model, &data, &config, |_| {}).unwrap();
        assert!(
            summary.last().loss < summary.history[0].loss / 2.0,
            "{optimizer}"
        );
        assert!(summary.last().train_accuracy >= 0.95, "{optimizer}");
    }
}

#[test]
fn the_binary_logistic_form_trains_with_binary_cross_entropy() {
    let data = blobs(40, 0.5, 19);
    let mut model = Mlp::binary_logistic(2, 20);
    let config = TrainConfig {
        learning_rate: 0.5,
        reduction: Reduction::Mean,
        ..config(100)
    };
    let summary = train(&mut model, &data, &config, |_| {}).unwrap();
    assert!(summary.last().train_accuracy >= 0.95);
    assert_eq!(model.predict_proba(&data.features).dims(), &[40, 2]);
}

#[test]
fn configurations_and_data_that_do_not_fit_are_refused_before_training() {
    let data = blobs(10, 0.5, 21);
    let model = tutorial_net(22);
    let attempt = |config: TrainConfig, data: &Dataset| {
        let mut model = model.clone();
        let error = train(&mut model, data, &config, |_| {}).unwrap_err();
        (error.to_string(), error)
    };
    let cases: Vec<(TrainConfig, TrainError)> = vec![
        (
            TrainConfig {
                learning_rate: -0.1,
                ..config(1)
            },
            TrainError::LearningRate {
                learning_rate: -0.1,
            },
        ),
        (
            TrainConfig {
                reg: f64::NAN,
                ..config(1)
            },
            TrainError::Reg { reg: f64::NAN },
        ),
        (
            TrainConfig {
                batch_size: Some(0),
                ..config(1)
            },
            TrainError::ZeroBatchSize,
        ),
        (
            TrainConfig {
                report_every: 0,
                ..config(1)
            },
            TrainError::ZeroReportEvery,
        ),
        (
            TrainConfig {
                holdout: Some(1.0),
                ..config(1)
            },
            TrainError::Holdout {
                fraction: 1.0,
                examples: 10,
            },
        ),
    ];
    for (config, expected) in cases {
        let (text, error) = attempt(config, &data);
        // NaN is not equal to itself, so compare the messages.
        assert_eq!(text, expected.to_string());
        assert_eq!(
            std::mem::discriminant(&error),
            std::mem::discriminant(&expected)
        );
    }
    let three_features = Dataset::new(Tensor::zeros([4, 3]), vec![0, 1, 0, 1]);
    assert_eq!(
        attempt(config(1), &three_features).0,
        "the model takes 2 features per example but the data has 3"
    );
    let three_classes = Dataset::new(Tensor::zeros([3, 2]), vec![0, 2, 1]);
    assert_eq!(
        attempt(config(1), &three_classes).0,
        "label 2 in row 1 is not one of the model's 2 classes"
    );
    let empty = Dataset::new(Tensor::zeros([0, 2]), vec![]);
    assert_eq!(attempt(config(1), &empty).1, TrainError::EmptyDataset);
}

#[test]
fn sum_and_mean_reductions_reach_the_same_weights_for_the_same_reg() {
    // Mean's objective is Sum's divided by N (its penalty's reg divided by N too), so gradient
    // descent on Mean at N times the rate takes the very same steps, to the same minimiser.
    let data = blobs(20, 0.8, 11);
    let run = |reduction: Reduction, learning_rate: f64| {
        let mut model = tutorial_net(12);
        let config = TrainConfig {
            reduction,
            learning_rate,
            reg: 0.5,
            ..config(300)
        };
        let summary = train(&mut model, &data, &config, |_| {}).unwrap();
        (model, summary.last().loss)
    };
    let (sum, sum_loss) = run(Reduction::Sum, 0.01);
    let (mean, mean_loss) = run(Reduction::Mean, 0.01 * 20.0);
    for ((name, by_sum), (_, by_mean)) in sum.params().iter().zip(mean.params().iter()) {
        for (a, b) in by_sum.data().iter().zip(by_mean.data()) {
            assert!(
                (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                "{name}: {a} vs {b}"
            );
        }
    }
    // The reported loss is the same per-example objective under both reductions.
    assert!(
        (sum_loss - mean_loss).abs() <= 1e-9 * sum_loss,
        "{sum_loss} vs {mean_loss}"
    );
}

/// Records the rate of every pass and can replace it.
struct RateRecorder {
    seen: Vec<(usize, f64)>,
    replace_with: Option<f64>,
}

impl nn::train::PassHook for RateRecorder {
    fn before_pass(&mut self, pass: usize, learning_rate: &mut f64) {
        self.seen.push((pass, *learning_rate));
        if let Some(rate) = self.replace_with {
            *learning_rate = rate;
        }
    }
}

#[test]
fn the_schedule_chooses_each_passes_rate_and_the_hook_sees_it() {
    let data = blobs(10, 0.5, 3);
    let mut model = tutorial_net(4);
    let config = TrainConfig {
        learning_rate: 0.8,
        schedule: nn::optim::Schedule::Step {
            every: 2,
            factor: 0.5,
        },
        ..config(5)
    };
    let mut hook = RateRecorder {
        seen: Vec::new(),
        replace_with: None,
    };
    nn::train::train_with_hook(&mut model, &data, &config, |_| {}, &mut hook).unwrap();
    assert_eq!(
        hook.seen,
        [(1, 0.8), (2, 0.8), (3, 0.4), (4, 0.4), (5, 0.2)]
    );
}

#[test]
fn the_rate_a_hook_leaves_is_the_one_the_pass_uses() {
    let data = blobs(10, 0.5, 3);
    let untouched = tutorial_net(4);
    let mut model = untouched.clone();
    let mut frozen = RateRecorder {
        seen: Vec::new(),
        replace_with: Some(0.0),
    };
    nn::train::train_with_hook(&mut model, &data, &config(3), |_| {}, &mut frozen).unwrap();
    assert_eq!(model, untouched, "a rate of 0 moves nothing");

    // A schedule that falls to (almost) nothing after the first pass: three passes end where
    // one pass ends.
    let vanishing = TrainConfig {
        schedule: nn::optim::Schedule::Exponential { decay: 1e-300 },
        ..config(3)
    };
    let mut three = untouched.clone();
    train(&mut three, &data, &vanishing, |_| {}).unwrap();
    let mut one = untouched.clone();
    train(&mut one, &data, &config(1), |_| {}).unwrap();
    assert_eq!(three, one);
    assert_ne!(one, untouched);
}

#[test]
fn a_schedule_parameter_out_of_range_is_refused_before_training() {
    let data = blobs(10, 0.5, 3);
    let mut model = tutorial_net(4);
    let config = TrainConfig {
        schedule: nn::optim::Schedule::Step {
            every: 0,
            factor: 0.5,
        },
        ..config(3)
    };
    let error = train(&mut model, &data, &config, |_| {}).unwrap_err();
    assert!(matches!(error, TrainError::Schedule { .. }), "{error}");
}

#[test]
fn holdout_rows_are_the_rows_split_holdout_holds_out() {
    let data = blobs(30, 0.5, 9);
    let (train_part, held) = data.split_holdout(0.2, 4);
    let rows = data.holdout_rows(0.2, 4).unwrap();
    assert_eq!(rows.len(), held.len());
    assert_eq!(data.subset(&rows), held);
    assert!(rows.iter().all(|&row| row < data.len()));
    assert_eq!(train_part.len() + rows.len(), data.len());
    assert_eq!(data.holdout_rows(1.0, 4), None);
}
