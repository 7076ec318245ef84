//! `demo sweep`: train one single-hidden-layer network per size and compare them.

use std::path::Path;

use crate::atomic;
use crate::classes;
use crate::cli::SweepArgs;
use crate::commands::progress::Progress;
use crate::commands::training::{self, Trained};
use crate::data::{LabeledData, Table};
use crate::error::{Error, Result};
use crate::plot::{self, BoundaryPanel};
use crate::say;

/// One trained network of a sweep.
pub struct SweepResult {
    /// Its hidden-layer size.
    pub hidden: usize,
    /// The trained model.
    pub model: nn::Mlp,
    /// How its training went.
    pub trained: Trained,
}

/// Trains one network per `--hidden-sizes` entry, prints a table and draws `--plot`.
pub fn run(args: &SweepArgs) -> Result<()> {
    let data = Table::read(&args.data)?.training_data()?;
    let classes = classes::class_count(&data, &args.data, args.training.classes)?;
    if let Some(path) = &args.plot {
        if data.feature_count() != 2 {
            return Err(Error::NotTwoFeatures {
                flag: "--plot",
                found: data.feature_count(),
            });
        }
        atomic::refuse_stdout("--plot", path)?;
        atomic::check_writable(path)?;
    }
    // Reports only feed the progress bar, so a few dozen are plenty.
    let config = training::config(&args.training, None, (args.training.passes / 50).max(1));
    let results = train_sizes(
        &data,
        classes,
        &args.hidden_sizes.0,
        args.activation,
        &config,
    )?;
    say!(
        "{:>6}  {:>10}  {:>14}  {:>8}",
        "hidden",
        "final loss",
        "train accuracy",
        "time"
    );
    for result in &results {
        let last = result.trained.summary.last();
        say!(
            "{:>6}  {:>10.6}  {:>14.3}  {:>7.2}s",
            result.hidden,
            last.loss,
            last.train_accuracy,
            result.trained.elapsed.as_secs_f64()
        );
    }
    if results.len() > 1 {
        say!("{}", super::tutorial::sweep_timing_note(results.len()));
    }
    if let Some(path) = &args.plot {
        draw(path, &data, &results)?;
        say!("wrote {}", path.display());
    }
    Ok(())
}

/// Trains a network `features → hidden → classes` for each size, in parallel, each from the
/// same seed `config.seed` (so a size also trained elsewhere with that seed gives the same
/// numbers); the results come back in the order of `sizes`.
pub fn train_sizes(
    data: &LabeledData,
    classes: usize,
    sizes: &[usize],
    activation: nn::Activation,
    config: &nn::TrainConfig,
) -> Result<Vec<SweepResult>> {
    let layer_sizes: Vec<[usize; 3]> = sizes
        .iter()
        .map(|&hidden| [data.feature_count(), hidden, classes])
        .collect();
    let layer_sizes: Vec<&[usize]> = layer_sizes.iter().map(|sizes| &sizes[..]).collect();
    training::check_training_memory(&layer_sizes, data.labels.len(), config)?;
    let dataset = data.to_dataset();
    let progress = Progress::new(config.passes * sizes.len(), "sweep");
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = sizes
            .iter()
            .map(|&hidden| {
                let (dataset, progress) = (&dataset, progress.clone());
                scope.spawn(move || {
                    let mut model = training::new_model(
                        data.feature_count(),
                        &[hidden],
                        classes,
                        activation,
                        config.seed,
                    )?;
                    let mut reported = 0;
                    let trained = training::run(&mut model, dataset, config, |report| {
                        progress.advance(report.pass - reported);
                        reported = report.pass;
                    })?;
                    Ok(SweepResult {
                        hidden,
                        model,
                        trained,
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect::<Result<Vec<_>>>()
    });
    progress.finish();
    results
}

/// Draws one decision-boundary panel per trained network, four to a row.
pub fn draw(path: &Path, data: &LabeledData, results: &[SweepResult]) -> Result<()> {
    let classifiers: Vec<_> = results
        .iter()
        .map(|result| training::classifier(&result.model))
        .collect();
    let panels: Vec<BoundaryPanel> = results
        .iter()
        .zip(&classifiers)
        .map(|(result, classify)| BoundaryPanel {
            title: format!(
                "hidden size {}, training accuracy {:.3}",
                result.hidden,
                result.trained.summary.last().train_accuracy
            ),
            classify,
        })
        .collect();
    plot::boundary_grid_figure(path, data, &panels, 4)
}
