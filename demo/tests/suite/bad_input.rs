//! Bad input of every kind ends in a non-zero exit and one `error:` line saying what and where.

use crate::common;

use std::fs;

use common::{demo_fails, demo_ok, moons_csv, path_in, write_file};

const GOOD: &str = "x,y,label\n0,1,0\n1,0,1\n0.5,0.5,1\n";

fn train_on(text: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "data.csv", text);
    demo_fails(
        dir.path(),
        &["train", "--data", &data, "--passes", "5"],
        expected,
    );
}

#[test]
fn a_missing_data_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    demo_fails(
        dir.path(),
        &["train", "--data", "nowhere.csv"],
        &["cannot read nowhere.csv"],
    );
}

#[test]
fn a_non_numeric_field_names_its_line_and_column() {
    train_on(
        "x,y,label\n0,1,0\n1,abc,1\n",
        &["data.csv:3:2:", "\"abc\" is not a number"],
    );
}

#[test]
fn a_row_with_the_wrong_number_of_fields_names_its_line() {
    train_on(
        "x,y,label\n0,1,0\n1,0\n",
        &["data.csv:3:", "2 field(s), but the header has 3"],
    );
}

#[test]
fn a_nan_value_is_rejected() {
    train_on(
        "x,y,label\n0,NaN,0\n1,0,1\n",
        &["data.csv:2:2:", "not a finite number"],
    );
}

#[test]
fn a_negative_label_is_rejected() {
    train_on(
        "x,y,label\n0,1,0\n1,0,-1\n",
        &["data.csv:3:3:", "not a class label"],
    );
}

#[test]
fn a_fractional_label_is_rejected() {
    train_on(
        "x,y,label\n0,1,0.5\n1,0,1\n",
        &["data.csv:2:3:", "not a class label"],
    );
}

#[test]
fn an_empty_data_set_is_rejected() {
    train_on("x,y,label\n", &["data.csv", "no data rows"]);
}

#[test]
fn an_empty_file_is_rejected() {
    train_on("", &["data.csv", "empty file"]);
}

#[test]
fn a_single_class_is_rejected() {
    train_on("x,y,label\n0,1,0\n1,0,0\n", &["every row has label 0"]);
}

#[test]
fn a_checkpoint_for_other_features_does_not_fit_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let wide = write_file(dir.path(), "wide.csv", "a,b,c,label\n0,1,2,0\n1,0,2,1\n");
    let narrow = write_file(dir.path(), "narrow.csv", GOOD);
    let model = path_in(dir.path(), "wide.json");
    demo_ok(
        dir.path(),
        &["train", "--data", &wide, "--passes", "2", "--save", &model],
    );
    let expected = [
        "wide.json takes 3 input feature(s)",
        "narrow.csv has 2 feature column(s)",
    ];
    demo_fails(
        dir.path(),
        &["train", "--data", &narrow, "--init", &model],
        &expected,
    );
    let single = write_file(dir.path(), "single.csv", "x,label\n0,0\n1,1\n");
    demo_fails(
        dir.path(),
        &["predict", "--model", &model, "--data", &single],
        &[
            "wide.json takes 3 input feature(s)",
            "single.csv has 2 column(s)",
        ],
    );
}

#[test]
fn a_label_beyond_the_checkpoints_classes_does_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "two.csv", GOOD);
    let three = write_file(dir.path(), "three.csv", "x,y,label\n0,1,0\n1,0,2\n");
    let model = path_in(dir.path(), "model.json");
    demo_ok(
        dir.path(),
        &["train", "--data", &data, "--passes", "2", "--save", &model],
    );
    demo_fails(
        dir.path(),
        &["predict", "--model", &model, "--data", &three],
        &["2 output class(es)", "three.csv has label 2"],
    );
}

#[test]
fn a_malformed_checkpoint_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "data.csv", GOOD);
    let model = write_file(dir.path(), "broken.json", "{\"sizes\": [2, 3");
    demo_fails(
        dir.path(),
        &["predict", "--model", &model, "--data", &data],
        &["broken.json"],
    );
    demo_fails(
        dir.path(),
        &["predict", "--model", "absent.json", "--data", &data],
        &["absent.json"],
    );
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    demo_fails(
        dir.path(),
        &["train", "--data", "x.csv", "--colour", "red"],
        &["--colour"],
    );
}

#[test]
fn init_contradicts_an_architecture() {
    let dir = tempfile::tempdir().unwrap();
    demo_fails(
        dir.path(),
        &[
            "train", "--data", "x.csv", "--init", "m.json", "--hidden", "4",
        ],
        &["--hidden", "--init"],
    );
}

#[test]
fn out_dir_with_a_subcommand_is_contradictory() {
    let dir = tempfile::tempdir().unwrap();
    demo_fails(
        dir.path(),
        &["--out-dir", "figures", "moons", "--out", "m.csv"],
        &["--out-dir", "default run"],
    );
}

#[test]
fn an_activation_without_a_hidden_layer_is_contradictory() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "data.csv", GOOD);
    demo_fails(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--hidden",
            "0",
            "--activation",
            "relu",
        ],
        &["--activation", "--hidden 0"],
    );
}

#[test]
fn a_huge_label_is_rejected() {
    train_on(
        "x,y,label\n0,1,0\n1,0,123456789\n",
        &["data.csv:3:3:", "not a class label"],
    );
}

#[test]
fn out_of_range_values_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &[&str]); 7] = [
        (&["--lr", "-0.5"], &["--lr", "greater than 0"]),
        (&["--reg", "-1"], &["--reg", "not be negative"]),
        (&["--hidden", "3,0"], &["--hidden", "size 0"]),
        (&["--activation", "swish"], &["swish", "--activation"]),
        (&["--holdout", "1.5"], &["--holdout", "between 0 and 1"]),
        (&["--passes", "0"], &["--passes", "at least 1"]),
        (&["--loss", "median"], &["median", "--loss"]),
    ];
    for (flags, expected) in cases {
        let args = [&["train", "--data", "x.csv"][..], flags].concat();
        demo_fails(dir.path(), &args, expected);
    }
    demo_fails(
        dir.path(),
        &["moons", "--noise", "-1", "--out", "m.csv"],
        &["--noise"],
    );
}

#[test]
fn a_plot_of_data_that_is_not_two_dimensional_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "wide.csv", "a,b,c,label\n0,1,2,0\n1,0,2,1\n");
    let plot = path_in(dir.path(), "p.png");
    demo_fails(
        dir.path(),
        &["train", "--data", &data, "--plot", &plot],
        &["--plot", "2 features", "this has 3"],
    );
}

#[test]
fn an_unwritable_output_path_is_named_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "data.csv", GOOD);
    let log = path_in(dir.path(), "missing/log.csv");
    demo_fails(
        dir.path(),
        &["train", "--data", &data, "--log", &log],
        &["cannot write", "missing/log.csv"],
    );
    demo_fails(
        dir.path(),
        &["moons", "--out", &path_in(dir.path(), "no/m.csv")],
        &["no/m.csv"],
    );
}

#[test]
fn a_diverging_run_names_the_pass_and_saves_the_last_finite_model() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    let save = write_file(dir.path(), "model.json", "previous");
    let message = demo_fails(
        dir.path(),
        &[
            "train", "--data", &data, "--lr", "1e300", "--passes", "50", "--save", &save,
        ],
        &[
            "diverged",
            "at pass",
            "smaller learning rate",
            "last finite model was saved",
        ],
    );
    assert!(message.contains("--lr"), "{message}");
    // The checkpoint now holds the parameters from before the step that broke the loss: finite,
    // and loadable by predict.
    let saved = fs::read_to_string(&save).unwrap();
    let model = nn::checkpoint::from_json(&saved).expect("a valid checkpoint");
    assert!(model.params().all_finite());
    let leftovers = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "temporary files were left behind");
}

#[test]
fn detect_anomaly_names_the_first_op_that_overflowed() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    demo_fails(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--lr",
            "1e300",
            "--passes",
            "50",
            "--detect-anomaly",
        ],
        &[
            "training stopped at pass",
            "anomaly:",
            "made a non-finite value",
            ".rs:",
        ],
    );
}
