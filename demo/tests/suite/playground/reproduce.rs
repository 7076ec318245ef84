//! The command a session shows reproduces it: `demo train` run with it logs the losses the
//! server reported after the same passes, bit for bit.

use serde_json::{Value, json};

use super::client::{create, get, server, step};
use crate::common::demo_ok;

/// Creates a session of `config`, trains it `rounds × passes` passes over HTTP, then runs the
/// session's own command (its data fetched from the server) with a log every `passes`, and
/// compares each logged row with the frame the server sent after the same passes.
fn check_reproduction(config: Value, rounds: usize, passes: usize) {
    let server = server();
    let address = server.address();
    let session = create(address, &config);
    let id = session["id"].as_str().unwrap();
    let mut frames = vec![session["frame"].clone()];
    for _ in 0..rounds {
        frames.push(step(address, id, passes));
    }

    let dir = tempfile::tempdir().unwrap();
    let csv = get(address, &format!("/api/sessions/{id}/data.csv")).body;
    std::fs::write(dir.path().join("playground.csv"), csv).unwrap();
    let command = session["command"].as_str().unwrap();
    let (download, train) = command.split_once('\n').unwrap();
    assert!(
        download.starts_with("curl -o playground.csv http://"),
        "{download}"
    );
    assert!(download.ends_with(&format!("/api/sessions/{id}/data.csv")));
    let mut arguments: Vec<&str> = train.split(' ').collect();
    assert_eq!(arguments.remove(0), "demo");
    let every = passes.to_string();
    arguments.extend(["--log", "log.csv", "--print-every", &every]);
    demo_ok(dir.path(), &arguments);

    let log = std::fs::read_to_string(dir.path().join("log.csv")).unwrap();
    let rows: Vec<Vec<f64>> = log
        .lines()
        .skip(1)
        .map(|line| {
            line.split(',')
                .map(|field| field.parse().unwrap())
                .collect()
        })
        .collect();
    for (round, frame) in frames.iter().enumerate() {
        let row = &rows[round];
        assert_eq!(row[0] as u64, frame["pass"].as_u64().unwrap());
        assert_eq!(
            row[1],
            frame["loss"].as_f64().unwrap(),
            "loss at pass {}",
            row[0]
        );
        assert_eq!(row[2], frame["accuracy"].as_f64().unwrap());
        if let Some(holdout_loss) = frame["holdout_loss"].as_f64() {
            assert_eq!(row[3], holdout_loss, "held-out loss at pass {}", row[0]);
        }
    }
}

#[test]
fn the_tutorials_run_is_reproduced_by_its_command() {
    check_reproduction(json!({"passes": 300}), 3, 100);
}

#[test]
fn a_run_with_every_option_changed_is_reproduced_by_its_command() {
    check_reproduction(
        json!({
            "data": {"kind": "circles", "n": 150, "noise": 0.1, "seed": 4},
            "hidden": [5, 4], "activation": "relu", "loss": "mean", "optimizer": "adam",
            "lr": 0.02, "schedule": "cosine:0.001", "batch": 32, "reg": 0.001,
            "holdout": 0.3, "seed": 9, "passes": 120
        }),
        4,
        30,
    );
}
