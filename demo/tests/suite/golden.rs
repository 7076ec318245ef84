//! `train --data --init --log` on the tutorial's golden data and initial weights reproduces the
//! tutorial's own numpy loss trajectories (and final weights) to 1e-9 relative.

use crate::common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use common::{demo_ok, golden, path_in};

const TOLERANCE: f64 = 1e-9;

/// Converts the golden flat `{"W1": [[..]], "b1": [..], ...}` weights into an nn checkpoint.
fn checkpoint_from_golden(weights: &Value) -> Value {
    let mut params = serde_json::Map::new();
    for name in ["W1", "b1", "W2", "b2"] {
        let (shape, data) = flatten(&weights[name]);
        params.insert(name.to_string(), json!({ "shape": shape, "data": data }));
    }
    json!({ "sizes": [2, 3, 2], "activations": ["tanh"], "params": params })
}

/// A nested JSON list of numbers as its shape and its numbers in row-major order.
fn flatten(value: &Value) -> (Vec<usize>, Vec<f64>) {
    let items = value.as_array().expect("a list");
    if items.first().is_some_and(Value::is_array) {
        let rows: Vec<(Vec<usize>, Vec<f64>)> = items.iter().map(flatten).collect();
        let mut shape = vec![rows.len()];
        shape.extend(&rows[0].0);
        (shape, rows.into_iter().flat_map(|(_, data)| data).collect())
    } else {
        let data: Vec<f64> = items
            .iter()
            .map(|x| x.as_f64().expect("a number"))
            .collect();
        (vec![data.len()], data)
    }
}

fn relative_error(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs().max(1e-300)
}

/// `pass -> loss` from a CSV whose first two columns are the pass and the loss.
fn losses(path: &Path) -> HashMap<usize, f64> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let mut fields = line.split(',');
            let pass = fields.next().unwrap().parse().unwrap();
            let loss = fields.next().unwrap().parse().unwrap();
            (pass, loss)
        })
        .collect()
}

/// Trains from the golden initial weights and compares every golden loss and final weight.
fn reproduce(learning_rate: &str, passes: usize, golden_losses: &str, golden_after: &str) {
    let dir = tempfile::tempdir().unwrap();
    let init: Value =
        serde_json::from_str(&fs::read_to_string(golden("init_h3.json")).unwrap()).unwrap();
    let checkpoint = path_in(dir.path(), "init.json");
    fs::write(&checkpoint, checkpoint_from_golden(&init).to_string()).unwrap();
    let (log, save) = (
        path_in(dir.path(), "log.csv"),
        path_in(dir.path(), "after.json"),
    );
    let data = golden("moons200.csv");
    demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            data.to_str().unwrap(),
            "--init",
            &checkpoint,
            "--passes",
            &passes.to_string(),
            "--lr",
            learning_rate,
            "--print-every",
            "1",
            "--log",
            &log,
            "--save",
            &save,
        ],
    );

    let ours = losses(Path::new(&log));
    assert_eq!(ours.len(), passes + 1, "one log row per pass, and pass 0");
    let expected = losses(&golden(golden_losses));
    assert!(expected.len() > 10);
    for (pass, want) in expected {
        let got = ours[&pass];
        assert!(
            relative_error(got, want) <= TOLERANCE,
            "pass {pass}: loss {got}, numpy {want}"
        );
    }

    let after: Value =
        serde_json::from_str(&fs::read_to_string(golden(golden_after)).unwrap()).unwrap();
    let saved: Value = serde_json::from_str(&fs::read_to_string(&save).unwrap()).unwrap();
    for name in ["W1", "b1", "W2", "b2"] {
        let (_, want) = flatten(&after[name]);
        let got: Vec<f64> = saved["params"][name]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(got.len(), want.len(), "{name}");
        for (index, (got, want)) in got.iter().zip(&want).enumerate() {
            assert!(
                (got - want).abs() <= TOLERANCE * want.abs().max(1.0),
                "{name}[{index}]: {got}, numpy {want}"
            );
        }
    }
}

#[test]
fn the_first_1500_passes_at_the_tutorials_rate_match_numpy() {
    reproduce(
        "0.01",
        1500,
        "numpy_losses_h3_lr0.01.csv",
        "after1500_h3_lr0.01.json",
    );
}

#[test]
fn twenty_thousand_passes_at_rate_0_002_match_numpy() {
    reproduce(
        "0.002",
        20000,
        "numpy_losses_h3_lr0.002.csv",
        "after20000_h3_lr0.002.json",
    );
}

#[test]
fn tutorial_exact_reproduces_the_numpy_losses_from_a_fresh_clone() {
    // Nothing from the test fixtures is passed: the data and weights ship inside the binary.
    let dir = tempfile::tempdir().unwrap();
    let log = path_in(dir.path(), "log.csv");
    let run = demo_ok(
        dir.path(),
        &[
            "tutorial",
            "--exact",
            "--passes",
            "1500",
            "--print-every",
            "100",
            "--log",
            &log,
        ],
    );
    assert!(
        run.stdout.contains("Loss after iteration 1500: "),
        "{}",
        run.stdout
    );
    let expected = losses(&golden("numpy_losses_h3_lr0.01.csv"));
    let got = losses(Path::new(&log));
    assert_eq!(got.len(), 16);
    for (pass, loss) in &got {
        let error = relative_error(*loss, expected[pass]);
        assert!(
            error <= TOLERANCE,
            "pass {pass}: {loss} vs {} ({error:e})",
            expected[pass]
        );
    }
}

#[test]
fn init_reads_a_plain_parameters_file_as_numpy_writes_it() {
    // The golden init file is the plain format itself: training from it equals the exact run.
    let dir = tempfile::tempdir().unwrap();
    let log = path_in(dir.path(), "log.csv");
    let init = golden("init_h3.json");
    demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            golden("moons200.csv").to_str().unwrap(),
            "--init",
            init.to_str().unwrap(),
            "--passes",
            "100",
            "--print-every",
            "100",
            "--log",
            &log,
        ],
    );
    let expected = losses(&golden("numpy_losses_h3_lr0.01.csv"));
    for (pass, loss) in losses(Path::new(&log)) {
        assert!(
            relative_error(loss, expected[&pass]) <= TOLERANCE,
            "pass {pass}"
        );
    }
    let bad = common::write_file(
        dir.path(),
        "bad.json",
        r#"{"W1": [[1, 2, 3]], "b1": [0, 0, 0], "W2": [[1, 2]], "b2": [0, 0]}"#,
    );
    common::demo_fails(
        dir.path(),
        &[
            "train",
            "--data",
            golden("moons200.csv").to_str().unwrap(),
            "--init",
            &bad,
        ],
        &["bad.json: W2 has 1 rows, but W1 has 3 columns"],
    );
}
