//! Image CSVs (`--image`), layer lists (`--arch`) through train, predict and gradcheck, and
//! `demo digits`.

use crate::common;

use std::fs;
use std::path::Path;

use common::{assert_valid_png, demo_fails, demo_ok, path_in, write_file};

const ARCH: &str = "conv 3 3x3 pad 1, relu, maxpool 2, flatten, dense 3";

/// 30 labelled 2x4x4 images of three classes, told apart by which quarter of the first channel
/// is bright; `header` adds a header line.
fn image_csv(header: bool) -> String {
    let mut text = String::new();
    if header {
        let names: Vec<String> = (0..32).map(|i| format!("p{i}")).collect();
        text.push_str(&format!("{},label\n", names.join(",")));
    }
    for row in 0..30 {
        let class = row % 3;
        let pixels: Vec<String> = (0..32)
            .map(|i| {
                let (channel, y, x) = (i / 16, (i / 4) % 4, i % 4);
                let bright = channel == 0 && (y / 2) * 2 + x / 2 == class;
                let noise = ((row * 31 + i * 17) % 7) as f64 / 10.0;
                format!("{}", if bright { 3.0 + noise } else { noise })
            })
            .collect();
        text.push_str(&format!("{},{class}\n", pixels.join(",")));
    }
    text
}

fn train_args<'a>(data: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "train",
        "--data",
        data,
        "--image",
        "2x4x4",
        "--optimizer",
        "adam",
        "--loss",
        "mean",
        "--passes",
        "5",
        "--print-every",
        "5",
    ];
    args.extend_from_slice(extra);
    args
}

fn log_losses(path: &Path) -> Vec<f64> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap().parse().unwrap())
        .collect()
}

#[test]
fn an_arch_model_saves_every_parameter_and_resumes_predicts_and_gradchecks() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "images.csv", &image_csv(false));
    let (checkpoint, log) = (
        path_in(dir.path(), "cnn.json"),
        path_in(dir.path(), "log.csv"),
    );
    demo_ok(
        dir.path(),
        &train_args(
            &data,
            &["--arch", ARCH, "--save", &checkpoint, "--log", &log],
        ),
    );

    let text = fs::read_to_string(&checkpoint).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["input"], serde_json::json!([2, 4, 4]));
    assert_eq!(json["layers"], ARCH);
    let expected = [
        ("conv1.weight", serde_json::json!([3, 2, 3, 3])),
        ("conv1.bias", serde_json::json!([3])),
        ("dense5.W", serde_json::json!([12, 3])),
        ("dense5.b", serde_json::json!([3])),
    ];
    let params = json["params"].as_object().unwrap();
    assert_eq!(params.len(), expected.len());
    let mut last_place = 0;
    for (name, shape) in &expected {
        assert_eq!(&params[*name]["shape"], shape, "{name}");
        let count: u64 = shape
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap())
            .product();
        assert_eq!(
            params[*name]["data"].as_array().unwrap().len() as u64,
            count
        );
        let place = text.find(&format!("\"{name}\"")).unwrap();
        assert!(place > last_place, "{name} is out of layer order");
        last_place = place;
    }

    // Resuming starts from exactly the saved weights: its first reported loss is the last one
    // of the run that saved them (both evaluate the same objective on the same rows).
    let resumed_log = path_in(dir.path(), "resumed.csv");
    demo_ok(
        dir.path(),
        &train_args(&data, &["--init", &checkpoint, "--log", &resumed_log]),
    );
    let (first, resumed) = (
        log_losses(Path::new(&log)),
        log_losses(Path::new(&resumed_log)),
    );
    assert_eq!(first.last().unwrap().to_bits(), resumed[0].to_bits());

    let predictions = path_in(dir.path(), "predictions.csv");
    let run = demo_ok(
        dir.path(),
        &[
            "predict",
            "--model",
            &checkpoint,
            "--data",
            &data,
            "--image",
            "2x4x4",
            "--out",
            &predictions,
        ],
    );
    assert!(run.stdout.contains("of 30 rows"), "{}", run.stdout);
    let rows = fs::read_to_string(&predictions).unwrap();
    assert_eq!(rows.lines().count(), 31);
    assert!(rows.starts_with("prediction,probability_0,probability_1,probability_2\n"));

    let run = demo_ok(
        dir.path(),
        &[
            "gradcheck",
            "--model",
            &checkpoint,
            "--data",
            &data,
            "--image",
            "2x4x4",
        ],
    );
    assert!(run.stdout.contains("gradcheck passed"), "{}", run.stdout);
    assert!(run.stdout.contains("conv1.weight"), "{}", run.stdout);
}

#[test]
fn image_csvs_train_with_or_without_a_header() {
    let dir = tempfile::tempdir().unwrap();
    for (name, header) in [("plain.csv", false), ("named.csv", true)] {
        let data = write_file(dir.path(), name, &image_csv(header));
        let run = demo_ok(dir.path(), &train_args(&data, &["--arch", ARCH]));
        assert!(
            run.stdout.contains("30 rows, 32 features, 3 classes"),
            "{}",
            run.stdout
        );
    }
}

/// Runs `train` with `extra` flags that must fail with `expected`, and checks that neither the
/// checkpoint nor the log was written.
fn train_fails(data_text: &str, extra: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "images.csv", data_text);
    let (checkpoint, log) = (
        path_in(dir.path(), "out.json"),
        path_in(dir.path(), "log.csv"),
    );
    let mut args = train_args(&data, &["--save", &checkpoint, "--log", &log]);
    args.extend_from_slice(extra);
    demo_fails(dir.path(), &args, expected);
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left, ["images.csv"], "{extra:?} left files behind");
}

#[test]
fn a_pixel_count_that_does_not_match_the_image_size_names_the_line() {
    let mut text = image_csv(false);
    text.push_str("1,2,3,0\n");
    train_fails(
        &text,
        &["--arch", ARCH],
        &["images.csv:31: 4 field(s), but --image 2x4x4 needs 33 (32 pixel values"],
    );
}

#[test]
fn a_kernel_larger_than_the_padded_input_names_the_layer() {
    train_fails(
        &image_csv(false),
        &["--arch", "conv 3 5x5 pad 0, flatten, dense 3"],
        &["--arch: layer 1 (\"conv 3 5x5\") on input 2x4x4", "kernel"],
    );
}

#[test]
fn a_stride_of_zero_names_the_layer() {
    train_fails(
        &image_csv(false),
        &["--arch", "conv 3 3x3 stride 0, flatten, dense 3"],
        &["--arch: layer 1", "stride"],
    );
}

#[test]
fn an_architecture_that_does_not_parse_says_where() {
    train_fails(
        &image_csv(false),
        &["--arch", "conv 3 3x3, relu, maxpool two, flatten, dense 3"],
        &["--arch: layer 3 (\"maxpool two\")"],
    );
    train_fails(
        &image_csv(false),
        &["--arch", "conv 3 3x3 pad 1, flatten, dense 2"],
        &["--arch: the last layer gives 2 scores, but the data has 3 classes"],
    );
}

#[test]
fn a_checkpoint_for_another_architecture_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_file(dir.path(), "images.csv", &image_csv(false));
    let checkpoint = path_in(dir.path(), "cnn.json");
    demo_ok(
        dir.path(),
        &train_args(&data, &["--arch", ARCH, "--save", &checkpoint]),
    );
    let text = fs::read_to_string(&checkpoint).unwrap();
    let other = write_file(
        dir.path(),
        "other.json",
        &text.replace("conv 3 3x3 pad 1", "conv 4 3x3 pad 1"),
    );
    let expected = ["other.json", "conv1.weight", "[3, 2, 3, 3]", "[4, 2, 3, 3]"];
    let out = path_in(dir.path(), "out.json");
    demo_fails(
        dir.path(),
        &train_args(&data, &["--init", &other, "--save", &out]),
        &expected,
    );
    demo_fails(
        dir.path(),
        &[
            "predict", "--model", &other, "--data", &data, "--image", "2x4x4",
        ],
        &expected,
    );
    demo_fails(
        dir.path(),
        &[
            "gradcheck",
            "--model",
            &other,
            "--data",
            &data,
            "--image",
            "2x4x4",
        ],
        &expected,
    );
    // The same number of values in another image shape is another architecture too.
    demo_fails(
        dir.path(),
        &[
            "predict",
            "--model",
            &checkpoint,
            "--data",
            &data,
            "--image",
            "2x2x8",
        ],
        &["--image: model", "takes images of 2x4x4, not 2x2x8"],
    );
    assert!(!Path::new(&out).exists());
}

#[test]
fn demo_digits_trains_three_models_and_draws_four_figures_with_the_cnn_above_97_percent() {
    let dir = tempfile::tempdir().unwrap();
    let run = demo_ok(dir.path(), &["digits", "--out-dir", "figures"]);
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| {
            ["logistic ", "MLP ", "CNN "]
                .iter()
                .any(|m| line.starts_with(m))
        })
        .collect();
    assert_eq!(rows.len(), 3, "{}", run.stdout);
    let cnn_accuracy: f64 = rows[2].split_whitespace().nth(2).unwrap().parse().unwrap();
    assert!(cnn_accuracy >= 0.97, "{}", run.stdout);
    for name in [
        "digits_predictions.png",
        "digits_filters.png",
        "digits_confusion.png",
        "digits_history.png",
    ] {
        assert_valid_png(&dir.path().join("figures").join(name));
    }
}
