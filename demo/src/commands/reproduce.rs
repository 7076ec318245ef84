//! `demo tutorial`: the tutorial's 3-unit network alone, with `--exact` on the tutorial's own data
//! and initial weights (shipped in `demo/assets/tutorial/`), so its losses are numpy's.

use std::path::Path;

use crate::atomic;
use crate::cli::TutorialArgs;
use crate::commands::progress::Progress;
use crate::commands::{train, training, tutorial};
use crate::data::{LabeledData, Table};
use crate::error::Result;
use crate::{moons, output, params_file, say};

/// scikit-learn's `make_moons(200, noise=0.20, random_state=0)`, the tutorial's data.
const EXACT_DATA: &str = include_str!("../../assets/tutorial/moons200.csv");
/// The tutorial's initial weights for hidden size 3, as numpy drew them.
const EXACT_INIT: &str = include_str!("../../assets/tutorial/init_h3.json");

/// Trains the tutorial's network as the tutorial does, printing `Loss after iteration N: L`.
pub fn run(args: &TutorialArgs) -> Result<()> {
    if let Some(log) = &args.log {
        if atomic::is_stdout(log) {
            output::reserve_stdout_for_data();
        }
        atomic::check_writable(log)?;
    }
    let (data, mut model, source) = if args.exact {
        let data = Table::parse(Path::new("moons200.csv"), EXACT_DATA)?.training_data()?;
        let model =
            params_file::model(Path::new("init_h3.json"), EXACT_INIT, nn::Activation::Tanh)?;
        (data, model, "the tutorial's own data and initial weights")
    } else {
        let data = moons::make_moons(
            tutorial::MOONS_POINTS,
            tutorial::MOONS_NOISE,
            tutorial::SEED,
        );
        let model = training::new_model(2, &[3], 2, nn::Activation::Tanh, tutorial::SEED)?;
        (
            data,
            model,
            "this project's moons and seeded weights (--exact: the tutorial's)",
        )
    };
    say!(
        "the tutorial's network, hidden layer size 3 (tanh), {} passes at learning rate {}, on {source}",
        args.passes,
        args.learning_rate
    );
    let config = nn::TrainConfig {
        passes: args.passes,
        learning_rate: args.learning_rate,
        report_every: args.print_every,
        ..nn::TrainConfig::default()
    };
    let trained = train_logged(&mut model, &data, &config)?;
    let last = trained.summary.last();
    say!(
        "final loss {:.6}, train accuracy {:.3}, {:.2} s",
        last.loss,
        last.train_accuracy,
        trained.elapsed.as_secs_f64()
    );
    if let Some(log) = &args.log {
        train::write_log(log, &trained.summary.history)?;
        if !atomic::is_stdout(log) {
            say!("wrote the loss log to {}", log.display());
        }
    }
    Ok(())
}

fn train_logged(
    model: &mut nn::Mlp,
    data: &LabeledData,
    config: &nn::TrainConfig,
) -> Result<training::Trained> {
    let progress = Progress::new(config.passes, "tutorial");
    let trained = training::run(model, &data.to_dataset(), config, |report| {
        progress.set(report.pass);
        progress.println(&format!(
            "Loss after iteration {}: {:.6}",
            report.pass, report.loss
        ));
    });
    progress.finish();
    trained
}
