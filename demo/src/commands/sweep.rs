//! `demo sweep`: train one single-hidden-layer network per size and compare them.

use std::path::Path;

use crate::atomic;
use crate::cli::SweepArgs;
use crate::commands::progress::Progress;
use crate::commands::training::{self, Trained};
use crate::data::{LabeledData, Table};
use crate::error::{Error, Result};
use crate::plot::{self, BoundaryPanel};

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
    if let Some(path) = &args.plot {
        if data.feature_count() != 2 {
            return Err(Error::NotTwoFeatures {
                flag: "--plot",
                found: data.feature_count(),
            });
        }
        atomic::check_writable(path)?;
    }
    // Reports only feed the progress bar, so a few dozen are plenty.
    let config = training::config(&args.training, None, (args.training.passes / 50).max(1));
    let results = train_sizes(&data, &args.hidden_sizes.0, args.activation, &config)?;
    println!(
        "{:>6}  {:>10}  {:>14}  {:>8}",
        "hidden", "final loss", "train accuracy", "time"
    );
    for result in &results {
        let last = result.trained.summary.last();
        println!(
            "{:>6}  {:>10.6}  {:>14.3}  {:>7.2}s",
            result.hidden,
            last.loss,
            last.train_accuracy,
            result.trained.elapsed.as_secs_f64()
        );
    }
    if results.len() > 1 {
        println!("{}", super::tutorial::sweep_timing_note(results.len()));
    }
    if let Some(path) = &args.plot {
        draw(path, &data, &results)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Trains a network `features → hidden → classes` for each size, in parallel, each from the
/// same seed `config.seed` (so a size also trained elsewhere with that seed gives the same
/// numbers); the results come back in the order of `sizes`.
pub fn train_sizes(
    data: &LabeledData,
    sizes: &[usize],
    activation: nn::Activation,
    config: &nn::TrainConfig,
) -> Result<Vec<SweepResult>> {
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
                        data.class_count(),
                        activation,
                        config.seed,
                    );
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
