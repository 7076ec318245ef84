//! Runs that cannot or should not go ahead: sizes beyond memory, classes without examples,
//! losses that run away; and the flags that steer training (schedules, reductions, gradcheck).

use crate::common;

use std::collections::HashMap;
use std::fs;

use common::{demo_fails, demo_ok, moons_csv, path_in, write_file};

#[test]
fn sizes_beyond_memory_are_refused_in_one_line_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 20);
    demo_fails(
        dir.path(),
        &["train", "--data", &data, "--hidden", "1000000000000"],
        &["memory", "--hidden"],
    );
    demo_fails(
        dir.path(),
        &[
            "sweep",
            "--data",
            &data,
            "--hidden-sizes",
            "3,1000000000000",
        ],
        &["memory", "--hidden"],
    );
    demo_fails(
        dir.path(),
        &["moons", "--n", "1000000000000000", "--out", "m.csv"],
        &["memory", "--n"],
    );
    demo_fails(
        dir.path(),
        &["graph", "--rows", "1000000000000000", "--out", "g.dot"],
        &["memory", "--rows"],
    );
}

#[test]
fn classes_without_an_example_are_named_unless_declared() {
    let dir = tempfile::tempdir().unwrap();
    let gap = write_file(
        dir.path(),
        "gap.csv",
        "x,y,label\n0,1,0\n1,0,2\n0.5,0.5,2\n",
    );
    demo_fails(
        dir.path(),
        &["train", "--data", &gap, "--passes", "2"],
        &["gap.csv", "no example of class(es) 1 ", "--classes 3"],
    );
    let run = demo_ok(
        dir.path(),
        &["train", "--data", &gap, "--passes", "2", "--classes", "4"],
    );
    assert!(run.stdout.contains("4 classes"), "{}", run.stdout);
    demo_fails(
        dir.path(),
        &["train", "--data", &gap, "--passes", "2", "--classes", "2"],
        &["--classes", "has label 2"],
    );
    let stray = write_file(
        dir.path(),
        "stray.csv",
        "x,y,label\n0,1,0\n1,0,1\n1,1,9999\n",
    );
    demo_fails(
        dir.path(),
        &["train", "--data", &stray, "--passes", "2"],
        &[
            "no example of class(es) 2, 3,",
            "and 9989 more",
            "--classes 10000",
        ],
    );
}

#[test]
fn a_loss_that_ends_far_above_its_start_is_an_error_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    let save = write_file(dir.path(), "model.json", "previous");
    demo_fails(
        dir.path(),
        &[
            "train", "--data", &data, "--lr", "100", "--passes", "300", "--save", &save,
        ],
        &[
            "training diverged: the loss rose from",
            "smaller learning rate than 100.0 (--lr)",
            "not saved to",
        ],
    );
    assert_eq!(fs::read_to_string(&save).unwrap(), "previous");
}

/// The `pass → loss` rows of a `--log` file.
fn logged_losses(path: &str) -> HashMap<usize, f64> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[0].parse().unwrap(), fields[1].parse().unwrap())
        })
        .collect()
}

#[test]
fn a_schedule_reaches_the_optimiser() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 20);
    let log = path_in(dir.path(), "log.csv");
    // The rate falls below any effect after the first pass: the loss stops moving there.
    demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--passes",
            "6",
            "--print-every",
            "1",
            "--log",
            &log,
            "--schedule",
            "exponential:1e-300",
        ],
    );
    let losses = logged_losses(&log);
    assert_ne!(losses[&0], losses[&1]);
    assert_eq!(losses[&1], losses[&6]);
    demo_fails(
        dir.path(),
        &["train", "--data", &data, "--schedule", "linear"],
        &["--schedule", "unknown schedule"],
    );
}

#[test]
fn mean_and_sum_losses_take_the_same_steps_for_the_same_reg() {
    // 20 rows: the mean at 20 times the rate follows the sum exactly (up to rounding).
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 20);
    let run = |loss: &str, rate: &str| {
        let log = path_in(dir.path(), &format!("{loss}.csv"));
        demo_ok(
            dir.path(),
            &[
                "train",
                "--data",
                &data,
                "--passes",
                "200",
                "--print-every",
                "50",
                "--reg",
                "0.5",
                "--loss",
                loss,
                "--lr",
                rate,
                "--log",
                &log,
            ],
        );
        logged_losses(&log)
    };
    let sum = run("sum", "0.01");
    let mean = run("mean", "0.2");
    for (pass, loss) in &sum {
        assert!(
            (loss - mean[pass]).abs() <= 1e-9 * loss,
            "pass {pass}: {loss} vs {}",
            mean[pass]
        );
    }
}

#[test]
fn gradcheck_names_parameters_and_takes_directions_and_tolerances() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 20);
    let model = path_in(dir.path(), "model.json");
    demo_ok(
        dir.path(),
        &["train", "--data", &data, "--passes", "50", "--save", &model],
    );
    let base = ["gradcheck", "--model", &model, "--data", &data];
    let run = demo_ok(
        dir.path(),
        &[&base[..], &["--directions", "3", "--seed", "5"]].concat(),
    );
    assert!(
        run.stdout.contains("3 random directions (seed 5)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("gradcheck passed: 0 of 3"),
        "{}",
        run.stdout
    );
    let run = common::demo_in(
        dir.path(),
        &[&base[..], &["--rel-tolerance", "0", "--abs-tolerance", "0"]].concat(),
    );
    assert!(!run.success);
    assert!(run.stdout.contains("gradcheck FAILED"), "{}", run.stdout);
    assert!(
        run.stdout.contains("closest to failing: "),
        "{}",
        run.stdout
    );
    let named = ["W1[", "b1[", "W2[", "b2["]
        .iter()
        .any(|name| run.stdout.contains(&format!("closest to failing: {name}")));
    assert!(named, "{}", run.stdout);
    assert!(!run.stdout.contains("input "), "{}", run.stdout);
    assert!(
        run.stderr.contains("gradient check failed"),
        "{}",
        run.stderr
    );
}

/// Each column's mean and population standard deviation over `rows` of `features` `[N, F]`.
fn column_stats(features: &autograd::Tensor, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let columns = features.dims()[1];
    let value = |row: usize, column: usize| features.data()[row * columns + column];
    let count = rows.len() as f64;
    let mean: Vec<f64> = (0..columns)
        .map(|c| rows.iter().map(|&r| value(r, c)).sum::<f64>() / count)
        .collect();
    let std = (0..columns)
        .map(|c| {
            let squares: f64 = rows.iter().map(|&r| (value(r, c) - mean[c]).powi(2)).sum();
            (squares / count).sqrt()
        })
        .collect();
    (mean, std)
}

fn saved_transform(checkpoint: &str) -> (Vec<f64>, Vec<f64>) {
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(checkpoint).unwrap()).unwrap();
    let numbers = |name: &str| -> Vec<f64> {
        json["standardize"][name]
            .as_array()
            .unwrap_or_else(|| panic!("no standardize.{name} in the checkpoint"))
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    (numbers("mean"), numbers("std"))
}

fn assert_close(got: &[f64], want: &[f64]) {
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 1e-12 * w.abs().max(1.0),
            "{got:?} vs {want:?}"
        );
    }
}

#[test]
fn standardize_fits_the_training_rows_and_predict_applies_the_saved_transform() {
    let dir = tempfile::tempdir().unwrap();
    // Moons moved far from the origin and stretched: x in the thousands.
    let moons = demo::moons::make_moons(60, 0.1, 3);
    let mut text = String::from("x,y,label\n");
    for (row, label) in moons.labels.iter().enumerate() {
        let point = moons.features.row(row);
        text.push_str(&format!(
            "{},{},{label}\n",
            5000.0 + 1000.0 * point[0],
            point[1]
        ));
    }
    let data = write_file(dir.path(), "far.csv", &text);
    let table = demo::data::Table::read(std::path::Path::new(&data)).unwrap();
    let features = table.labeled().unwrap().features;

    let model = path_in(dir.path(), "model.json");
    let run = demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--standardize",
            "--passes",
            "300",
            "--lr",
            "0.005",
            "--save",
            &model,
        ],
    );
    let all: Vec<usize> = (0..60).collect();
    let (mean, std) = saved_transform(&model);
    let (want_mean, want_std) = column_stats(&features, &all);
    assert_close(&mean, &want_mean);
    assert_close(&std, &want_std);
    // predict on the raw file applies the transform: the same accuracy as training measured.
    let trained_accuracy = run
        .stdout
        .split("train accuracy ")
        .last()
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let predicted = demo_ok(dir.path(), &["predict", "--model", &model, "--data", &data]);
    assert!(
        predicted
            .stderr
            .contains(&format!("accuracy {trained_accuracy} ")),
        "train said {trained_accuracy}; predict said {}",
        predicted.stderr
    );
    assert!(
        trained_accuracy.parse::<f64>().unwrap() > 0.8,
        "{}",
        run.stdout
    );

    // With rows held out, only the training rows are measured (nn's split, same seed).
    demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--standardize",
            "--passes",
            "5",
            "--holdout",
            "0.25",
            "--seed",
            "7",
            "--save",
            &model,
        ],
    );
    let (train_rows, _) =
        nn::Dataset::new(features.clone(), moons.labels.clone()).split_holdout(0.25, 7);
    let training_rows: Vec<usize> = (0..train_rows.len())
        .map(|r| {
            (0..60)
                .find(|&i| features.row(i) == train_rows.features.row(r))
                .unwrap()
        })
        .collect();
    let (mean, std) = saved_transform(&model);
    let (want_mean, want_std) = column_stats(&features, &training_rows);
    assert_close(&mean, &want_mean);
    assert_close(&std, &want_std);
    let (all_mean, _) = column_stats(&features, &all);
    assert_ne!(mean, all_mean, "the held-out rows must not be measured");
}
