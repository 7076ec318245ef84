//! Every endpoint's happy path.

use serde_json::{Value, json};

use super::client::{create, get, new_stream, post, request, server, step};
use crate::common::tutorial::tutorial_gradients;

#[test]
fn the_page_and_its_files_are_served_from_the_binary() {
    let server = server();
    let address = server.address();
    for (path, kind) in [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
    ] {
        let response = get(address, path);
        assert_eq!(response.status, 200, "{path}");
        assert!(response.header("content-type").unwrap().starts_with(kind));
        assert!(!response.body.is_empty());
    }
    let missing = get(address, "/nothing/here");
    assert_eq!(missing.status, 404);
    assert!(missing.error().contains("/nothing/here"));
}

#[test]
fn a_session_starts_at_pass_zero_with_its_points_and_command() {
    let server = server();
    let session = create(
        server.address(),
        &json!({"data": {"n": 100}, "holdout": 0.2}),
    );
    assert_eq!(session["classes"], 2);
    assert_eq!(session["train"].as_array().unwrap().len(), 80);
    assert_eq!(session["holdout"].as_array().unwrap().len(), 20);
    assert_eq!(session["config"]["hidden"], json!([3]));
    assert_eq!(session["config"]["optimizer"], "sgd");
    let frame = &session["frame"];
    assert_eq!(frame["pass"], 0);
    assert!(frame["loss"].as_f64().unwrap() > 0.0);
    assert!(frame["holdout_accuracy"].is_number());
    let boundary = &frame["boundary"];
    let cells = boundary["res"].as_u64().unwrap().pow(2) as usize;
    assert_eq!(boundary["class"].as_array().unwrap().len(), cells);
    assert!(
        boundary["confidence"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| (0.5..=1.0).contains(&c.as_f64().unwrap()))
    );
    let command = session["command"].as_str().unwrap();
    assert!(command.contains("/data.csv"), "{command}");
    assert!(
        command.contains("demo train --data playground.csv --hidden 3"),
        "{command}"
    );
}

#[test]
fn steps_train_and_reset_returns_to_the_same_start() {
    let server = server();
    let address = server.address();
    let session = create(address, &json!({}));
    let id = session["id"].as_str().unwrap();
    let first = &session["frame"];
    let after = step(address, id, 200);
    assert_eq!(after["pass"], 200);
    assert!(after["loss"].as_f64() < first["loss"].as_f64());
    assert_ne!(after["boundary"]["class"], first["boundary"]["class"]);
    let reset = post(address, &format!("/api/sessions/{id}/reset"), &json!({}));
    assert_eq!(reset.status, 200);
    assert_eq!(&reset.json(), first);
}

#[test]
fn a_stream_sends_frames_until_the_run_ends() {
    let server = server();
    let address = server.address();
    let (id, mut events) = new_stream(address, &json!({"passes": 30}), 7);
    assert_eq!(events.status, 200);
    let mut passes = Vec::new();
    while let Some(frame) = events.next_json() {
        passes.push(frame["pass"].as_u64().unwrap());
    }
    assert_eq!(passes, [7, 14, 21, 28, 30]);
    let complete = get(address, &format!("/api/sessions/{id}/stream"));
    assert_eq!(complete.status, 409);
}

/// The values of a summary's preview.
fn preview(summary: &Value) -> Vec<f64> {
    summary["preview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

#[test]
fn the_tape_and_the_backward_steps_name_the_tutorials_gradients() {
    let server = server();
    let address = server.address();
    let session = create(address, &json!({"holdout": 0}));
    let id = session["id"].as_str().unwrap();
    step(address, id, 10);
    let tape = get(address, &format!("/api/sessions/{id}/tape")).json();
    let nodes = tape["nodes"].as_array().unwrap();
    let by_gradient_label = |label: &str| {
        nodes
            .iter()
            .find(|node| node["gradient_label"] == label)
            .unwrap_or_else(|| panic!("no node's gradient is {label}"))
    };
    for label in ["delta3", "delta2", "dW1", "db1", "dW2", "db2"] {
        let node = by_gradient_label(label);
        assert!(node["gradient"].is_object(), "{label}");
    }
    assert_eq!(by_gradient_label("dW1")["name"], "W1");
    assert_eq!(by_gradient_label("delta3")["label"], "z2");
    assert_eq!(by_gradient_label("delta3")["op"], "add");
    assert_eq!(by_gradient_label("delta3")["shape"], json!([200, 2]));
    let tanh = nodes.iter().find(|node| node["op"] == "tanh").unwrap();
    assert_eq!(tanh["label"], "a1");
    assert_eq!(tanh["rule"], "dL/dx = dL/dy ⊙ (1 − y²)");
    assert!(tanh["source"].as_str().unwrap().contains(".rs:"));
    // One finite position per node, from the layered layout, and no two nodes in one place.
    let layout = tape["layout"].as_array().expect("a layout");
    assert_eq!(layout.len(), nodes.len());
    let points: Vec<(f64, f64)> = layout
        .iter()
        .map(|p| (p["x"].as_f64().unwrap(), p["y"].as_f64().unwrap()))
        .collect();
    for (i, a) in points.iter().enumerate() {
        assert!(a.0.is_finite() && a.1.is_finite(), "node {i} at {a:?}");
        for b in &points[..i] {
            assert!(a != b, "two nodes at {a:?}");
        }
    }
    let loss = tape["loss"].as_u64().unwrap() as usize;
    assert_eq!(nodes[loss]["label"], "loss");
    for edge in tape["edges"].as_array().unwrap() {
        let (from, to) = (edge[0].as_u64().unwrap(), edge[1].as_u64().unwrap());
        assert!(from < to);
        assert!(
            nodes[to as usize]["inputs"]
                .as_array()
                .unwrap()
                .contains(&json!(from))
        );
    }

    // The backward steps run from the loss back, and their shares sum to the final gradients.
    let backward = get(address, &format!("/api/sessions/{id}/backward")).json();
    let steps = backward["steps"].as_array().unwrap();
    assert_eq!(steps[0]["node"], json!(loss));
    let order: Vec<u64> = steps.iter().map(|s| s["node"].as_u64().unwrap()).collect();
    assert!(order.windows(2).all(|pair| pair[0] > pair[1]));
    let final_gradient = |node: u64| {
        backward["gradients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["node"] == node)
            .map(|entry| preview(&entry["gradient"]))
            .unwrap()
    };
    for label in ["dW1", "delta3"] {
        let node = &by_gradient_label(label);
        let id = node["id"].as_u64().unwrap();
        assert_eq!(final_gradient(id), preview(&node["gradient"]), "{label}");
        let shares: Vec<Vec<f64>> = steps
            .iter()
            .flat_map(|step| step["contributions"].as_array().unwrap())
            .filter(|share| share["input"] == id)
            .map(|share| preview(&share["gradient"]))
            .collect();
        let summed: Vec<f64> = (0..shares[0].len())
            .map(|i| shares.iter().map(|share| share[i]).sum())
            .collect();
        for (sum, want) in summed.iter().zip(final_gradient(id)) {
            assert!((sum - want).abs() <= 1e-12 * want.abs().max(1.0), "{label}");
        }
    }
    let step_of_tanh = steps.iter().find(|s| s["node"] == tanh["id"]).unwrap();
    assert_eq!(step_of_tanh["rule"], tanh["rule"]);
}

#[test]
fn the_tapes_gradients_equal_the_training_loops() {
    let server = server();
    let address = server.address();
    let session = create(address, &json!({"holdout": 0, "data": {"n": 60}}));
    let id = session["id"].as_str().unwrap();
    step(address, id, 25);
    let checkpoint = get(address, &format!("/api/sessions/{id}/checkpoint"));
    assert!(
        checkpoint
            .header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    let model = nn::checkpoint::from_json(&checkpoint.text()).unwrap();
    let rows: Vec<[f64; 3]> = session["train"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| [0, 1, 2].map(|k| p[k].as_f64().unwrap()))
        .collect();
    let features: Vec<f64> = rows.iter().flat_map(|&[x, y, _]| [x, y]).collect();
    let labels: Vec<usize> = rows.iter().map(|&[_, _, label]| label as usize).collect();
    let features = autograd::Tensor::from_vec(features, [labels.len(), 2]);
    // The fused ops the training loop records, against the op-by-op recording the page shows.
    let mut tape = autograd::Tape::new();
    let (_, grads) = model.gradients(&mut tape, &features, &labels, nn::Reduction::Sum, 0.01);
    // And the tutorial's hand-derived formulas, which do not use the engine at all.
    let by_hand = tutorial_gradients(&rows, nn::Model::params(&model), 0.01);
    let view = get(address, &format!("/api/sessions/{id}/tape")).json();
    let mut checked_by_hand = Vec::new();
    for node in view["nodes"].as_array().unwrap() {
        let Some(name) = node["name"]
            .as_str()
            .filter(|_| node["kind"] == "parameter")
        else {
            continue;
        };
        let want = grads.get(name).unwrap();
        let shown = preview(&node["gradient"]);
        assert_eq!(shown.len(), want.len().min(64));
        for (shown, want) in shown.iter().zip(want.data()) {
            assert!(
                (shown - want).abs() <= 1e-9 * want.abs().max(1e-3),
                "{name}"
            );
        }
        let hand = &by_hand[name];
        assert_eq!(shown.len(), hand.len(), "d{name}");
        for (index, (shown, hand)) in shown.iter().zip(hand).enumerate() {
            assert!(
                (shown - hand).abs() <= 1e-9 * hand.abs().max(1e-3),
                "d{name}[{index}]: the tape shows {shown}, the tutorial's formula gives {hand}"
            );
        }
        checked_by_hand.push(name);
    }
    checked_by_hand.sort_unstable();
    assert_eq!(checked_by_hand, ["W1", "W2", "b1", "b2"]);
}

#[test]
fn gradcheck_exports_and_data_answer() {
    let server = server();
    let address = server.address();
    let session = create(
        address,
        &json!({"data": {"kind": "blobs", "classes": 3, "n": 90}}),
    );
    let id = session["id"].as_str().unwrap();
    assert_eq!(session["classes"], 3);
    step(address, id, 5);
    let check = post(
        address,
        &format!("/api/sessions/{id}/gradcheck"),
        &json!({}),
    )
    .json();
    assert_eq!(check["passed"], true);
    assert_eq!(check["checked"], 2 * 3 + 3 + 3 * 3 + 3);
    assert!(["W1", "b1", "W2", "b2"].contains(&check["worst"]["parameter"].as_str().unwrap()));
    assert!(check["worst"]["rel_error"].as_f64().unwrap() < 1e-4);

    let png = get(address, &format!("/api/sessions/{id}/boundary.png"));
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type"), Some("image/png"));
    assert_eq!(&png.body[..8], b"\x89PNG\r\n\x1a\n");

    let csv = get(address, &format!("/api/sessions/{id}/data.csv")).text();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "x,y,label");
    assert_eq!(rows.len(), 91);
    let labels: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r.rsplit(',').next().unwrap())
        .collect();
    assert!(labels.contains(&"2"));
}

#[test]
fn every_generator_and_an_upload_make_a_session() {
    let server = server();
    let address = server.address();
    for kind in ["moons", "circles", "spirals", "xor", "blobs"] {
        let session = create(address, &json!({"data": {"kind": kind, "n": 50}}));
        assert_eq!(session["config"]["data"]["kind"], kind);
        let points = session["train"].as_array().unwrap().len()
            + session["holdout"].as_array().unwrap().len();
        assert_eq!(points, 50, "{kind}");
    }
    let upload = "0,0,0\n1,1,0\n0,1,1\n1,0,1\n0.5,0.2,0\n0.2,0.5,1\n";
    let session = create(
        address,
        &json!({"data": {"kind": "csv", "csv": upload}, "holdout": 0}),
    );
    assert_eq!(session["train"][2], json!([0.0, 1.0, 1]));
    let id = session["id"].as_str().unwrap();
    let csv = request(
        address,
        "GET",
        &format!("/api/sessions/{id}/data.csv"),
        None,
    )
    .text();
    assert!(csv.starts_with("x,y,label\n0.0,0.0,0\n"), "{csv}");
}
