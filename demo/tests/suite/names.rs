//! `demo names`: training a few models briefly, saving and loading them, and every bad input
//! answered with one line.

use crate::common::{demo_fails, demo_in, demo_ok, path_in, write_file};
use std::fs;
use std::path::Path;

/// Forty short names, enough for a train/validation split.
const NAMES: &str = "anna\nbob\ncarl\ndora\neve\nfred\ngina\nhugo\nida\njack\nkim\nleo\nmia\nned\nola\npia\n\
quin\nrosa\nsam\ntina\numa\nvic\nwill\nxena\nyves\nzoe\nadam\nbea\ncleo\ndan\nemil\nfay\ngus\nhal\niris\njo\n\
kai\nlola\nmax\nnora\n";

fn names_file(dir: &Path) -> String {
    write_file(dir, "names.txt", NAMES)
}

/// `demo names` on the names file `names`, training or loading `models`, with figures in
/// `figures`, then the flags in `extra`.
fn names_args<'a>(
    names: &'a str,
    models: &'a str,
    figures: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "names",
        "--names",
        names,
        "--models",
        models,
        "--figures",
        figures,
    ];
    args.extend_from_slice(extra);
    args
}

/// The table's row for `model`: its name, parameters, train and validation loss per character.
fn row<'a>(stdout: &'a str, model: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .find(|fields| fields.len() == 5 && fields[0] == model)
        .unwrap_or_else(|| panic!("no table row for {model} in:\n{stdout}"))
}

/// The line of sampled names for `model`.
fn samples<'a>(stdout: &'a str, model: &str) -> &'a str {
    stdout
        .lines()
        .find(|line| line.split_whitespace().count() > 5 && line.starts_with(model))
        .unwrap_or_else(|| panic!("no samples for {model} in:\n{stdout}"))
}

#[test]
fn saved_models_load_back_to_the_same_losses_and_samples() {
    let dir = tempfile::tempdir().unwrap();
    let names = names_file(dir.path());
    let saved = path_in(dir.path(), "models");
    let figures = path_in(dir.path(), "figures");
    let models = "bigram,gru,transformer";
    let trained = demo_ok(
        dir.path(),
        &names_args(
            &names,
            models,
            &figures,
            &["--steps", "5", "--save", &saved],
        ),
    )
    .stdout;
    for model in ["bigram", "gru", "transformer"] {
        assert!(Path::new(&saved).join(format!("{model}.json")).is_file());
    }
    assert!(
        !Path::new(&saved).join("rnn.json").exists(),
        "only the chosen models are trained"
    );

    let loaded = demo_ok(
        dir.path(),
        &names_args(&names, models, &figures, &["--load", &saved]),
    )
    .stdout;
    for model in ["bigram", "gru", "transformer"] {
        let (before, after) = (row(&trained, model), row(&loaded, model));
        assert_eq!(before[1..4], after[1..4], "{model}: params and losses");
        assert_eq!(after[4], "loaded");
        assert_eq!(samples(&trained, model), samples(&loaded, model));
    }
}

#[test]
fn a_checkpoint_of_another_model_is_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let names = names_file(dir.path());
    let saved = path_in(dir.path(), "models");
    let figures = path_in(dir.path(), "figures");
    demo_ok(
        dir.path(),
        &names_args(
            &names,
            "bigram",
            &figures,
            &["--steps", "2", "--save", &saved],
        ),
    );
    // The bigram's table under the GRU's name.
    fs::copy(
        Path::new(&saved).join("bigram.json"),
        Path::new(&saved).join("gru.json"),
    )
    .unwrap();
    demo_fails(
        dir.path(),
        &names_args(&names, "gru", &figures, &["--load", &saved]),
        &[
            "gru.json",
            "another model",
            "bigram: vocab 27",
            "gru: vocab 27",
        ],
    );

    // An MLP checkpoint from `demo train`.
    let data = crate::common::moons_csv(dir.path(), 40);
    let mlp = path_in(dir.path(), "mlp.json");
    demo_ok(
        dir.path(),
        &["train", "--data", &data, "--passes", "2", "--save", &mlp],
    );
    fs::copy(&mlp, Path::new(&saved).join("rnn.json")).unwrap();
    demo_fails(
        dir.path(),
        &names_args(&names, "rnn", &figures, &["--load", &saved]),
        &["rnn.json", "multilayer perceptron"],
    );

    // A missing checkpoint.
    demo_fails(
        dir.path(),
        &names_args(&names, "transformer", &figures, &["--load", &saved]),
        &["transformer.json"],
    );
}

#[test]
fn bad_names_flags_are_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let names = names_file(dir.path());
    let figures = path_in(dir.path(), "figures");
    let run = |extra: &[&str], expected: &[&str]| {
        let mut args = names_args(&names, "bigram", &figures, &["--steps", "2"]);
        args.extend_from_slice(extra);
        demo_fails(dir.path(), &args, expected);
    };
    run(&["--prefix", "Ab"], &["--prefix", "'A'", "vocabulary"]);
    run(&["--prefix", "abcdefghijkl"], &["--prefix", "context"]);
    let empty = write_file(dir.path(), "empty.txt", "\n\n");
    demo_fails(
        dir.path(),
        &["names", "--names", &empty, "--figures", &figures],
        &["--names", "holds no names"],
    );
    let one = write_file(dir.path(), "one.txt", "anna\n");
    demo_fails(
        dir.path(),
        &["names", "--names", &one, "--figures", &figures],
        &["--names", "two names"],
    );
    let clap = demo_in(dir.path(), &["names", "--models", "lstm,gru"]);
    assert!(!clap.success);
    assert!(
        clap.stderr.contains("\"lstm\" is not a model"),
        "{}",
        clap.stderr
    );
    let both = demo_in(dir.path(), &["names", "--save", "a", "--load", "b"]);
    assert!(!both.success && both.stderr.contains("cannot be used with"));
}
