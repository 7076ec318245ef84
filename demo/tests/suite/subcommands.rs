//! Each subcommand run end to end through the built binary, on small data and few passes.

use crate::common;

use std::fs;
use std::path::Path;

use common::{assert_valid_png, demo_ok, moons_csv, path_in, write_file};

#[test]
fn moons_writes_the_requested_points_reproducibly() {
    let dir = tempfile::tempdir().unwrap();
    let first = path_in(dir.path(), "a.csv");
    let second = path_in(dir.path(), "b.csv");
    let plot = path_in(dir.path(), "moons.png");
    let args = ["--n", "31", "--noise", "0.1", "--seed", "5"];
    demo_ok(
        dir.path(),
        &[&["moons"][..], &args, &["--out", &first, "--plot", &plot]].concat(),
    );
    demo_ok(
        dir.path(),
        &[&["moons"][..], &args, &["--out", &second]].concat(),
    );
    let text = fs::read_to_string(&first).unwrap();
    assert_eq!(text, fs::read_to_string(&second).unwrap());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "x,y,label");
    assert_eq!(lines.len(), 32);
    let ones = lines[1..]
        .iter()
        .filter(|line| line.ends_with(",1"))
        .count();
    assert_eq!(
        ones, 16,
        "the inner moon gets the odd point, as in make_moons"
    );
    assert_valid_png(Path::new(&plot));
}

#[test]
fn train_writes_log_checkpoint_figure_and_animation() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 60);
    let (log, save) = (
        path_in(dir.path(), "log.csv"),
        path_in(dir.path(), "model.json"),
    );
    let (plot, gif) = (
        path_in(dir.path(), "boundary.png"),
        path_in(dir.path(), "forming.gif"),
    );
    let run = demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--passes",
            "300",
            "--print-every",
            "100",
            "--log",
            &log,
            "--save",
            &save,
            "--plot",
            &plot,
            "--gif",
            &gif,
        ],
    );
    assert!(
        run.stdout.contains("Loss after iteration 300:"),
        "{}",
        run.stdout
    );
    let log_text = fs::read_to_string(&log).unwrap();
    let passes: Vec<&str> = log_text
        .lines()
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(passes, ["pass", "0", "100", "200", "300"]);
    let losses: Vec<f64> = log_text
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(losses[3] < losses[0], "the loss did not fall: {losses:?}");
    assert!(fs::read_to_string(&save).unwrap().contains("\"sizes\""));
    assert_valid_png(Path::new(&plot));
    let gif_bytes = fs::read(&gif).unwrap();
    assert!(gif_bytes.starts_with(b"GIF89a"), "not a GIF");
    assert!(
        gif_bytes.len() > 10_000,
        "a GIF of many frames is not this small"
    );
}

#[test]
fn train_with_the_gif_logs_the_same_losses_as_without() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    let (plain, animated) = (
        path_in(dir.path(), "plain.csv"),
        path_in(dir.path(), "animated.csv"),
    );
    let gif = path_in(dir.path(), "a.gif");
    let common = [
        "train",
        "--data",
        &data,
        "--passes",
        "120",
        "--print-every",
        "7",
    ];
    demo_ok(dir.path(), &[&common[..], &["--log", &plain]].concat());
    demo_ok(
        dir.path(),
        &[&common[..], &["--log", &animated, "--gif", &gif]].concat(),
    );
    assert_eq!(
        fs::read_to_string(plain).unwrap(),
        fs::read_to_string(animated).unwrap()
    );
}

#[test]
fn train_with_holdout_deeper_layers_and_adam_reports_test_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 80);
    let log = path_in(dir.path(), "log.csv");
    let run = demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--hidden",
            "8,8",
            "--activation",
            "relu",
            "--optimizer",
            "adam",
            "--loss",
            "mean",
            "--batch-size",
            "16",
            "--holdout",
            "0.25",
            "--passes",
            "20",
            "--print-every",
            "10",
            "--log",
            &log,
        ],
    );
    assert!(run.stdout.contains("holdout accuracy"), "{}", run.stdout);
    let text = fs::read_to_string(&log).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "pass,loss,accuracy,holdout_loss,holdout_accuracy"
    );
    for line in lines {
        let fields: Vec<f64> = line
            .split(',')
            .map(|field| field.parse().unwrap())
            .collect();
        assert_eq!(fields.len(), 5, "{line}");
        assert!(
            fields[3] > 0.0 && fields[3].is_finite(),
            "holdout loss: {line}"
        );
    }
}

#[test]
fn logistic_regression_is_hidden_zero() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 50);
    let save = path_in(dir.path(), "logistic.json");
    let run = demo_ok(
        dir.path(),
        &[
            "train", "--data", &data, "--hidden", "0", "--passes", "10", "--save", &save,
        ],
    );
    assert!(run.stdout.contains("logistic regression"), "{}", run.stdout);
    let checkpoint = fs::read_to_string(&save).unwrap().replace([' ', '\n'], "");
    assert!(checkpoint.contains("\"sizes\":[2,2]"), "{checkpoint}");
}

#[test]
fn saved_model_predicts_what_training_measured() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 100);
    let save = path_in(dir.path(), "model.json");
    let out = path_in(dir.path(), "predictions.csv");
    let trained = demo_ok(
        dir.path(),
        &["train", "--data", &data, "--passes", "500", "--save", &save],
    );
    let train_accuracy = trained
        .stdout
        .split("train accuracy ")
        .last()
        .and_then(|rest| rest.get(..5))
        .unwrap()
        .to_string();
    let predicted = demo_ok(
        dir.path(),
        &["predict", "--model", &save, "--data", &data, "--out", &out],
    );
    assert!(
        predicted
            .stdout
            .contains(&format!("accuracy {train_accuracy}")),
        "train said {train_accuracy}, predict said {}",
        predicted.stdout
    );
    let text = fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "prediction,probability_0,probability_1");
    assert_eq!(lines.len(), 101);
    for line in &lines[1..] {
        let fields: Vec<f64> = line
            .split(',')
            .map(|field| field.parse().unwrap())
            .collect();
        assert!((fields[1] + fields[2] - 1.0).abs() < 1e-12, "{line}");
        let most_probable = if fields[2] > fields[1] { 1.0 } else { 0.0 };
        assert_eq!(fields[0], most_probable, "{line}");
    }
}

#[test]
fn predict_on_unlabelled_rows_prints_csv_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    let save = path_in(dir.path(), "model.json");
    demo_ok(
        dir.path(),
        &["train", "--data", &data, "--passes", "50", "--save", &save],
    );
    let points = write_file(dir.path(), "points.csv", "x,y\n-1,1\n2,-0.5\n");
    let run = demo_ok(
        dir.path(),
        &["predict", "--model", &save, "--data", &points],
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].starts_with("prediction,"));
    assert!(!run.stderr.contains("accuracy"), "no labels, no accuracy");
}

#[test]
fn sweep_trains_each_size_and_draws_a_panel_each() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 60);
    let plot = path_in(dir.path(), "sweep.png");
    let run = demo_ok(
        dir.path(),
        &[
            "sweep",
            "--data",
            &data,
            "--hidden-sizes",
            "1,3,5",
            "--passes",
            "100",
            "--plot",
            &plot,
        ],
    );
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(rows.len(), 3, "{}", run.stdout);
    assert_valid_png(Path::new(&plot));
}

#[test]
fn gradcheck_of_a_trained_model_passes() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    let save = path_in(dir.path(), "model.json");
    demo_ok(
        dir.path(),
        &[
            "train", "--data", &data, "--hidden", "4,3", "--passes", "30", "--save", &save,
        ],
    );
    let run = demo_ok(
        dir.path(),
        &["gradcheck", "--model", &save, "--data", &data],
    );
    assert!(
        run.stdout.contains("W1, b1, W2, b2, W3, b3"),
        "{}",
        run.stdout
    );
}

#[test]
fn help_lists_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let run = demo_ok(dir.path(), &["--help"]);
    for name in ["moons", "train", "predict", "sweep", "gradcheck"] {
        assert!(
            run.stdout.contains(name),
            "{name} missing from\n{}",
            run.stdout
        );
    }
}

#[test]
fn dump_tape_and_tape_stats_show_one_recorded_step() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 30);
    let run = demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--passes",
            "5",
            "--dump-tape",
            "--tape-stats",
        ],
    );
    assert!(
        run.stdout
            .contains("the tape of one step on the first 4 rows"),
        "{}",
        run.stdout
    );
    for node in [
        "var  [2, 3]",
        "dense[tanh](%4, %0, %1)  [4, 3]",
        "affine(%5, %2, %3)  [4, 2]",
        "softmax_cross_entropy(%6)  [4]",
        "sum_squares(%0)  []",
    ] {
        assert!(
            run.stdout.contains(node),
            "listing lacks {node:?}:\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("grad ["), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("one full-batch step records 14 nodes (5 leaves)"),
        "{}",
        run.stdout
    );
}

#[test]
fn graph_writes_the_step_as_graphviz_dot() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_in(dir.path(), "graph.dot");
    let run = demo_ok(dir.path(), &["graph", "--hidden", "3", "--out", &out]);
    let dot = fs::read_to_string(&out).unwrap();
    assert!(dot.starts_with("digraph tape {"));
    assert_eq!(
        dot.matches(" [label=").count(),
        14,
        "one box per node:\n{dot}"
    );
    assert!(dot.contains("n0 -> n5;") && dot.contains("dense") && dot.contains("grad ["));
    let rendered = Path::new(&out).with_extension("png");
    if rendered.exists() {
        assert_valid_png(&rendered);
        assert!(run.stdout.contains("rendered"));
    } else {
        assert!(
            run.stdout.contains("`dot` is not installed"),
            "{}",
            run.stdout
        );
    }
}

/// Whether every tag of `xml` is closed in order (self-closing tags and the prologue aside):
/// a structural check of a generated SVG, not a full XML parser.
fn tags_balance(xml: &str) -> bool {
    let mut open = Vec::new();
    for piece in xml.split('<').skip(1) {
        let Some((tag, _)) = piece.split_once('>') else {
            return false;
        };
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name.trim().to_string()) {
                return false;
            }
        } else {
            open.push(tag.split_whitespace().next().unwrap_or("").to_string());
        }
    }
    open.is_empty()
}

#[test]
fn graph_draws_an_svg_with_one_box_per_node_without_graphviz() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_in(dir.path(), "graph.svg");
    let run = demo_ok(dir.path(), &["graph", "--hidden", "3", "--out", &out]);
    assert!(run.stdout.contains("(14 nodes)"), "{}", run.stdout);
    let svg = fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(tags_balance(&svg), "unbalanced tags:\n{svg}");
    assert_eq!(svg.matches("<g class=\"node\"").count(), 14, "{svg}");
    // One arrow per input of every op (the DOT of the same step has the same edges).
    let dot_out = path_in(dir.path(), "graph.dot");
    demo_ok(dir.path(), &["graph", "--hidden", "3", "--out", &dot_out]);
    let edges = fs::read_to_string(&dot_out)
        .unwrap()
        .matches(" -> ")
        .count();
    assert_eq!(svg.matches("<path class=\"edge\"").count(), edges);
    assert!(svg.contains(">%0 var<") && svg.contains("dense"), "{svg}");
    assert!(!Path::new(&out).with_extension("png").exists());
}

#[test]
fn graph_draws_a_png_without_graphviz() {
    let dir = tempfile::tempdir().unwrap();
    let out = path_in(dir.path(), "graph.png");
    demo_ok(dir.path(), &["graph", "--hidden", "4,2", "--out", &out]);
    assert_valid_png(Path::new(&out));
}

#[test]
fn tags_balance_catches_a_missing_close() {
    assert!(tags_balance("<svg><g><rect/></g></svg>"));
    assert!(!tags_balance("<svg><g><rect/></svg>"));
}
