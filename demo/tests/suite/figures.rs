//! The figures and reports: antialiased edges, held-out rows marked, accuracies named by their
//! set, log-spaced animation frames, slopes from the tape, a log loss axis, an unambiguous summary.

use crate::common;

use std::fs;
use std::path::Path;

use autograd::Tensor;
use common::{demo_fails, demo_ok, moons_csv, path_in};
use demo::commands::{sweep, training, tutorial};
use demo::data::LabeledData;
use demo::plot::{self, LineLabels, Series, frame_passes};

/// The RGB pixels and width of the PNG at `path`.
fn decode(path: &Path) -> (Vec<[u8; 3]>, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut bytes = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut bytes).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = bytes[..info.buffer_size()]
        .chunks(3)
        .map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    (pixels, info.width as usize)
}

/// Four points, one near each corner of the square [−1, 1]², classes 0 and 1 alternating.
fn corners() -> LabeledData {
    LabeledData {
        feature_names: vec!["x".into(), "y".into()],
        features: Tensor::from_rows(&[[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]]),
        labels: vec![0, 1, 0, 1],
    }
}

/// The two most frequent colours of an image.
fn two_commonest(pixels: &[[u8; 3]]) -> [[u8; 3]; 2] {
    let mut counts = std::collections::HashMap::new();
    for pixel in pixels {
        *counts.entry(*pixel).or_insert(0usize) += 1;
    }
    let mut by_count: Vec<_> = counts.into_iter().collect();
    by_count.sort_by_key(|&(colour, count)| (std::cmp::Reverse(count), colour));
    [by_count[0].0, by_count[1].0]
}

#[test]
fn region_edges_have_intermediate_colours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("boundary.png");
    // A slanted boundary, x + 0.4·y = 0.1, between two regions that fill most of the figure.
    let classify = |points: &Tensor| -> Vec<usize> {
        (0..points.dims()[0])
            .map(|row| usize::from(points.row(row)[0] + 0.4 * points.row(row)[1] > 0.1))
            .collect()
    };
    plot::boundary_figure(&path, &corners(), &classify, "edges", &[]).unwrap();
    let (pixels, _) = decode(&path);
    let [a, b] = two_commonest(&pixels);
    // Pixels that mix the two region colours: each channel a + t·(b − a) with one t in (0, 1).
    let blended = pixels
        .iter()
        .filter(|pixel| {
            let ts: Vec<f64> = (0..3)
                .filter(|&c| a[c].abs_diff(b[c]) > 30)
                .map(|c| {
                    (f64::from(pixel[c]) - f64::from(a[c])) / (f64::from(b[c]) - f64::from(a[c]))
                })
                .collect();
            let inside = ts.iter().all(|t| (0.15..=0.85).contains(t));
            let agree = ts.iter().all(|t| (t - ts[0]).abs() < 0.08);
            !ts.is_empty() && inside && agree
        })
        .count();
    // Drawn without antialiasing, every cell is one region colour and no pixel mixes them.
    assert!(
        blended > 100,
        "only {blended} blended pixels along the edge"
    );
}

/// How many pixels are (nearly) `colour`.
fn count_near(pixels: &[[u8; 3]], colour: [u8; 3]) -> usize {
    pixels
        .iter()
        .filter(|pixel| (0..3).all(|c| pixel[c].abs_diff(colour[c]) <= 6))
        .count()
}

#[test]
fn held_out_rows_are_drawn_as_squares() {
    let dir = tempfile::tempdir().unwrap();
    let everywhere_zero = |points: &Tensor| vec![0; points.dims()[0]];
    let class_one = [54, 104, 176];
    let mut counts = Vec::new();
    for (name, held_out) in [("none.png", &[][..]), ("held.png", &[1, 3][..])] {
        let path = dir.path().join(name);
        plot::boundary_figure(&path, &corners(), &everywhere_zero, "marks", held_out).unwrap();
        counts.push(count_near(&decode(&path).0, class_one));
    }
    // A square of half-side r covers 4r² pixels, a disc of radius r only πr².
    assert!(counts[0] > 0, "{counts:?}");
    assert!(
        counts[1] as f64 > 1.15 * counts[0] as f64,
        "held-out rows look like training rows: {counts:?}"
    );
}

#[test]
fn accuracies_are_named_by_their_set() {
    // Rows 0 and 1 train (both right); rows 2 and 3 are held out (one right).
    let (train, held) = training::split_accuracy(&[0, 1, 1, 0], &[0, 1, 0, 0], &[2, 3]);
    assert_eq!((train, held), (1.0, Some(0.5)));
    assert_eq!(training::split_accuracy(&[0, 1], &[0, 0], &[]), (0.5, None));
    assert_eq!(
        training::accuracy_caption(0.907, Some(0.86)),
        "training accuracy 0.907, held-out 0.860"
    );
    assert_eq!(
        training::accuracy_caption(0.9, None),
        "training accuracy 0.900"
    );
}

#[test]
fn frames_are_spaced_logarithmically_and_end_at_the_last_pass() {
    let passes = frame_passes(20000, 40);
    assert_eq!(passes.len(), 40);
    assert!(
        passes.windows(2).all(|pair| pair[0] < pair[1]),
        "{passes:?}"
    );
    assert_eq!(passes.first(), Some(&1));
    assert_eq!(passes.last(), Some(&20000));
    // Half the frames within the first √20000 ≈ 141 passes (even spacing would put one there).
    assert!(passes[19] <= 150, "{passes:?}");
    assert_eq!(frame_passes(5, 40), [1, 2, 3, 4, 5]);
    assert_eq!(frame_passes(1000, 1), [1000]);
}

#[test]
fn the_gif_takes_a_frame_count_and_needs_a_gif() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    let gif = path_in(dir.path(), "g.gif");
    let args = ["train", "--data", &data, "--passes", "300", "--frames", "7"];
    demo_ok(dir.path(), &[&args[..], &["--gif", &gif]].concat());
    let decoder = gif::DecodeOptions::new();
    let mut reader = decoder.read_info(fs::File::open(&gif).unwrap()).unwrap();
    let mut frames = 0;
    while reader.read_next_frame().unwrap().is_some() {
        frames += 1;
    }
    assert_eq!(frames, 8, "the starting model and 7 frames");
    // --frames alone is refused, naming the flag it needs.
    demo_fails(dir.path(), &args, &["missing --gif"]);
}

#[test]
fn activation_slopes_come_from_the_tape() {
    let (sigmoid, sigmoid_slope) = tutorial::activation_curves(nn::Activation::Sigmoid);
    let (tanh, tanh_slope) = tutorial::activation_curves(nn::Activation::Tanh);
    assert_eq!(sigmoid.len(), sigmoid_slope.len());
    assert_eq!((sigmoid[0].0, sigmoid.last().unwrap().0), (-6.0, 6.0));
    for (index, &(z, s)) in sigmoid.iter().enumerate() {
        let expected = 1.0 / (1.0 + (-z).exp());
        assert!((s - expected).abs() < 1e-12, "sigmoid({z})");
        // σ' = σ(1 − σ) and tanh' = 1 − tanh², from the closed forms, independent of the tape.
        assert_eq!(sigmoid_slope[index].0, z);
        assert!((sigmoid_slope[index].1 - expected * (1.0 - expected)).abs() < 1e-12);
        let t = z.tanh();
        assert!((tanh[index].1 - t).abs() < 1e-12, "tanh({z})");
        assert!(
            (tanh_slope[index].1 - (1.0 - t * t)).abs() < 1e-12,
            "tanh'({z})"
        );
    }
}

/// The mean row of the pixels of `colour` in each column that has some, by column.
fn curve_rows(pixels: &[[u8; 3]], width: usize, colour: [u8; 3]) -> Vec<(usize, f64)> {
    let height = pixels.len() / width;
    (0..width)
        .filter_map(|column| {
            let rows: Vec<usize> = (0..height)
                .filter(|&row| {
                    let pixel = pixels[row * width + column];
                    (0..3).all(|c| pixel[c].abs_diff(colour[c]) <= 10)
                })
                .collect();
            (!rows.is_empty()).then(|| {
                (
                    column,
                    rows.iter().sum::<usize>() as f64 / rows.len() as f64,
                )
            })
        })
        .collect()
}

#[test]
fn a_log_loss_axis_draws_an_exponential_decay_as_a_straight_line() {
    let dir = tempfile::tempdir().unwrap();
    let decay: Vec<(f64, f64)> = (0..=400)
        .map(|step| (step as f64 / 100.0, 10f64.powf(-(step as f64) / 100.0)))
        .collect();
    let curves = [Series {
        name: "",
        points: &decay,
    }];
    let labels = LineLabels {
        title: "decay",
        x: "x",
        y: "loss",
        log_y: true,
    };
    let path = dir.path().join("loss.png");
    plot::line_figure(&path, &curves, &labels).unwrap();
    let (pixels, width) = decode(&path);
    let rows = curve_rows(&pixels, width, [54, 104, 176]);
    assert!(rows.len() > 200, "{} columns of curve", rows.len());
    let at = |fraction: f64| rows[((rows.len() - 1) as f64 * fraction) as usize].1;
    // On a linear axis 10^(−x) hugs the bottom after x = 1: the middle sits far below the chord.
    let (first, middle, last) = (at(0.1), at(0.5), at(0.9));
    assert!(last - first > 150.0, "the curve falls: {first} -> {last}");
    assert!(
        (middle - (first + last) / 2.0).abs() < 4.0,
        "rows {first}, {middle}, {last} are not on a line"
    );
}

#[test]
fn the_sweep_trains_each_size_from_the_same_seed_as_the_tutorial_net() {
    let data = demo::moons::make_moons(40, 0.2, 3);
    let config = nn::TrainConfig {
        passes: 30,
        report_every: 10,
        ..nn::TrainConfig::default()
    };
    let results = sweep::train_sizes(&data, 2, &[3, 5], nn::Activation::Tanh, &config).unwrap();
    let mut alone = training::new_model(2, &[3], 2, nn::Activation::Tanh, config.seed).unwrap();
    let trained = training::run(&mut alone, &data.to_dataset(), &config, |_| {}).unwrap();
    assert_eq!(results[0].model, alone);
    assert_eq!(
        results[0].trained.summary.last().loss,
        trained.summary.last().loss
    );
    let note = tutorial::sweep_timing_note(7);
    assert!(note.contains("7 networks trained at once"), "{note}");
    let rows = [tutorial::SummaryRow::new(
        "sweep",
        "[3] tanh",
        &results[0].trained,
    )];
    let table = tutorial::format_summary(&rows, std::slice::from_ref(&note));
    assert!(table.contains("train accuracy"), "{table}");
    assert!(table.ends_with(&format!("{note}\n")), "{table}");
}

#[test]
fn train_accepts_the_composed_activations_and_safetensors() {
    let dir = tempfile::tempdir().unwrap();
    let data = moons_csv(dir.path(), 40);
    let model = path_in(dir.path(), "m.safetensors");
    let run = demo_ok(
        dir.path(),
        &[
            "train",
            "--data",
            &data,
            "--passes",
            "20",
            "--hidden",
            "4",
            "--activation",
            "leaky_relu:0.2",
            "--save",
            &model,
        ],
    );
    assert!(run.stdout.contains("(leaky_relu)"), "{}", run.stdout);
    let loaded = nn::checkpoint::from_safetensors(&fs::read(&model).unwrap()).unwrap();
    assert_eq!(
        loaded.activations(),
        &[nn::Activation::LeakyRelu { slope: 0.2 }]
    );
    demo_ok(dir.path(), &["predict", "--model", &model, "--data", &data]);
    for name in ["softplus", "elu", "gelu"] {
        demo_ok(
            dir.path(),
            &[
                "train",
                "--data",
                &data,
                "--passes",
                "5",
                "--activation",
                name,
            ],
        );
    }
    demo_fails(
        dir.path(),
        &["train", "--data", &data, "--activation", "leaky_relu:x"],
        &["leaky_relu:x", "--activation"],
    );
}
