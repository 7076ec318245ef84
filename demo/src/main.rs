//! The tutorial "a neural network from scratch" as a program: the default run, and subcommands.
//!
//! `cargo run --release -p demo` reproduces the tutorial into `out/`; `demo --help` lists the
//! subcommands for experiments on generated or your own data.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use demo::cli::{self, Command};
use demo::commands::training::classifier;
use demo::commands::tutorial::{self, SummaryRow};
use demo::error::{Error, Result};
use demo::plot::{LineLabels, Series};
use demo::{commands, moons, plot, say};

fn main() -> ExitCode {
    // Large data sets free and reallocate big tensors every pass: keep the pages for reuse.
    autograd::runtime::retain_freed_memory();
    autograd::runtime::enlist_this_thread_for_kernels();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let result = match (&cli.command, &cli.out_dir) {
        (None, out_dir) => tutorial(out_dir.as_deref().unwrap_or(Path::new("out"))),
        (Some(_), Some(_)) => Err(Error::InvalidFlag {
            flag: "--out-dir",
            reason: "applies only to the default run (no subcommand)".to_string(),
        }),
        (Some(Command::Moons(args)), None) => commands::moons::run(args),
        (Some(Command::Train(args)), None) => commands::train::run(args),
        (Some(Command::Predict(args)), None) => commands::predict::run(args),
        (Some(Command::Sweep(args)), None) => commands::sweep::run(args),
        (Some(Command::Gradcheck(args)), None) => commands::gradcheck::run(args),
        (Some(Command::Graph(args)), None) => commands::inspect::run(args),
        (Some(Command::Tutorial(args)), None) => commands::reproduce::run(args),
        (Some(Command::Names(args)), None) => commands::names::run(args),
        (Some(Command::Serve(args)), None) => demo::serve::run(args),
        (Some(Command::Digits(args)), None) => {
            commands::digits::run_into(&args.out_dir, args.epochs).map(drop)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            demo::output::warn(format_args!("error: {error}"));
            ExitCode::FAILURE
        }
    }
}

/// The tutorial, top to bottom: data, logistic regression, the sigmoid, the 3-layer net, the
/// hidden-size sweep, and a summary table; every figure goes into `out_dir`.
fn tutorial(out_dir: &Path) -> Result<()> {
    fs::create_dir_all(out_dir).map_err(|source| Error::Write {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let figure = |name: &str| -> PathBuf { out_dir.join(name) };

    // 1. The data: two interleaving half circles with noise.
    let data = moons::make_moons(
        tutorial::MOONS_POINTS,
        tutorial::MOONS_NOISE,
        tutorial::SEED,
    );
    let title = format!(
        "two moons: {} points, noise {}",
        data.labels.len(),
        tutorial::MOONS_NOISE
    );
    plot::scatter_figure(&figure("moons.png"), &data, &title)?;

    // 2. Logistic regression: a straight boundary, which cannot follow the moons.
    let (logistic, logistic_run) = tutorial::train_logistic(&data)?;
    let accuracy = logistic_run.summary.last().train_accuracy;
    let title = format!("logistic regression, training accuracy {accuracy:.3}");
    plot::boundary_figure(
        &figure("logistic.png"),
        &data,
        &classifier(&logistic),
        &title,
        &[],
    )?;

    // 3. The sigmoid, which squashes a score into a probability, and tanh, the net's activation,
    //    each with its slope as the tape computes it.
    let (sigmoid, sigmoid_slope) = tutorial::activation_curves(nn::Activation::Sigmoid);
    let (tanh, tanh_slope) = tutorial::activation_curves(nn::Activation::Tanh);
    let curves = [
        Series {
            name: "sigmoid(z)",
            points: &sigmoid,
        },
        Series {
            name: "sigmoid'(z), by backward",
            points: &sigmoid_slope,
        },
        Series {
            name: "tanh(z)",
            points: &tanh,
        },
        Series {
            name: "tanh'(z), by backward",
            points: &tanh_slope,
        },
    ];
    let labels = LineLabels {
        title: "sigmoid and tanh, with the slopes the tape computes",
        x: "z",
        y: "value",
        log_y: false,
    };
    plot::line_figure(&figure("sigmoid.png"), &curves, &labels)?;

    // 4. The 3-layer network (hidden size 3), trained as the tutorial trains it.
    let (network, network_run) = tutorial::train_network(&data)?;
    let accuracy = network_run.summary.last().train_accuracy;
    let title = format!("hidden layer size 3, training accuracy {accuracy:.3}");
    let classify = classifier(&network);
    plot::boundary_figure(&figure("nn_h3.png"), &data, &classify, &title, &[])?;
    let labels = LineLabels {
        title: "loss of the hidden-size-3 network",
        x: "pass",
        y: "loss (log scale)",
        log_y: true,
    };
    let loss = tutorial::loss_curve(&network_run);
    let curves = [Series {
        name: "",
        points: &loss,
    }];
    plot::line_figure(&figure("loss.png"), &curves, &labels)?;

    // 5. Varying the hidden layer size: more units, more wiggle.
    let sweep = commands::sweep::train_sizes(
        &data,
        data.class_count(),
        &tutorial::SWEEP_SIZES,
        nn::Activation::Tanh,
        &tutorial::tutorial_config(),
    )?;
    commands::sweep::draw(&figure("hidden_sweep.png"), &data, &sweep)?;

    // 6. The summary.
    let mut rows = vec![
        SummaryRow::new("logistic regression", "none", &logistic_run),
        SummaryRow::new("3-layer net", "[3] tanh", &network_run),
    ];
    for result in &sweep {
        let hidden = format!("[{}] tanh", result.hidden);
        rows.push(SummaryRow::new("sweep", &hidden, &result.trained));
    }
    let notes = [
        "the sweep's [3] tanh is the 3-layer net again (same seed, same numbers)".to_string(),
        tutorial::sweep_timing_note(sweep.len()),
    ];
    say!("\n{}", tutorial::format_summary(&rows, &notes));
    say!("\nfigures in {}", out_dir.display());
    Ok(())
}
