//! The default run (no subcommand) reproduces the tutorial: six figures and a summary.

use crate::common;

use common::{assert_valid_png, demo_ok};

#[test]
fn the_default_run_draws_six_figures_and_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let run = demo_ok(dir.path(), &[]);
    for pass in (0..=20000).step_by(1000) {
        let line = format!("Loss after iteration {pass}: ");
        assert!(
            run.stdout.contains(&line),
            "{line:?} missing from\n{}",
            run.stdout
        );
    }
    for header in ["model", "hidden layers", "final loss", "accuracy", "time"] {
        assert!(run.stdout.contains(header), "summary lacks {header:?}");
    }
    for model in ["logistic regression", "3-layer net", "[50] tanh"] {
        assert!(
            run.stdout.contains(model),
            "summary lacks {model:?}:\n{}",
            run.stdout
        );
    }
    for figure in [
        "moons",
        "logistic",
        "sigmoid",
        "nn_h3",
        "loss",
        "hidden_sweep",
    ] {
        assert_valid_png(&dir.path().join("out").join(format!("{figure}.png")));
    }
}
