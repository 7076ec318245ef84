//! `demo train`: train a network on a CSV data set, with logs, checkpoints and figures.

use std::path::Path;

use crate::atomic;
use crate::cli::TrainArgs;
use crate::commands::network::Network;
use crate::commands::progress::Progress;
use crate::commands::{inspect, model_io, training};
use crate::data::{self, LabeledData};
use crate::error::{Error, Result};
use crate::images;
use crate::plot::{self, Animation};

/// Frames in a `--gif` animation (fewer when there are fewer passes).
const GIF_FRAMES: usize = 40;
/// Rows of the data set in the step that `--dump-tape` lists.
const DUMPED_ROWS: usize = 4;

/// Trains as the flags say and writes what they ask for.
pub fn run(args: &TrainArgs) -> Result<()> {
    let data = images::read_training_data(&args.data, args.image)?;
    check_outputs(args, &data)?;

    let mut model = match (&args.init, &args.arch) {
        (Some(path), _) => {
            let model = model_io::load(path)?;
            model_io::check_image(&model, path, args.image)?;
            model_io::check_fits(&model, path, &data, &args.data)?;
            model
        }
        (None, Some(layers)) => {
            let input = match args.image {
                Some(shape) => shape.to_string(),
                None => data.feature_count().to_string(),
            };
            Network::Sequential(training::new_sequential(
                &input,
                layers,
                data.class_count(),
                args.training.seed,
            )?)
        }
        (None, None) => {
            let hidden = args
                .hidden
                .as_ref()
                .map_or(&[3][..], |layers| &layers.0[..]);
            let activation =
                training::activation(args.activation.unwrap_or(crate::cli::ActivationArg::Tanh));
            Network::Mlp(training::new_model(
                data.feature_count(),
                hidden,
                data.class_count(),
                activation,
                args.training.seed,
            ))
        }
    };
    println!(
        "training {} on {} ({} rows, {} features, {} classes)",
        model.describe(),
        args.data.display(),
        data.labels.len(),
        data.feature_count(),
        data.class_count()
    );

    let config = training::config(&args.training, args.holdout, args.print_every);
    let dataset = data.to_dataset();
    let progress = Progress::new(config.passes, "train");
    let mut log_rows = Vec::new();
    let report = |report: &nn::Progress, log_rows: &mut Vec<nn::Progress>| {
        progress.set(report.pass);
        progress.println(&progress_line(report));
        log_rows.push(report.clone());
    };
    let trained = match &args.gif {
        None => training::run(&mut model, &dataset, &config, |r| report(r, &mut log_rows)),
        Some(gif) => {
            let mut animation = Animation::new(gif);
            let trained = train_with_frames(&mut model, &data, &config, &mut animation, |r| {
                report(r, &mut log_rows)
            });
            trained.and_then(|trained| animation.save().map(|()| trained))
        }
    };
    let trained = match (trained, &args.save) {
        (
            Err(Error::Diverged {
                pass,
                loss,
                learning_rate,
                ..
            }),
            Some(path),
        ) => {
            // nn rolled the model back to its last finite parameters: keep those.
            progress.finish();
            model_io::save(&model, path)?;
            return Err(Error::Diverged {
                pass,
                loss,
                learning_rate,
                saved_to: Some(path.clone()),
            });
        }
        (trained, _) => trained?,
    };
    progress.finish();

    let last = trained.summary.last();
    let holdout = last
        .holdout_accuracy
        .map(|accuracy| format!(", holdout accuracy {accuracy:.3}"))
        .unwrap_or_default();
    println!(
        "final loss {:.6}, train accuracy {:.3}{}, {:.2} s",
        last.loss,
        last.train_accuracy,
        holdout,
        trained.elapsed.as_secs_f64()
    );
    if let Some(path) = &args.save {
        model_io::save(&model, path)?;
        println!("saved the model to {}", path.display());
    }
    if let Some(path) = &args.log {
        write_log(path, &log_rows)?;
        println!("wrote the loss log to {}", path.display());
    }
    if let Some(path) = &args.plot {
        let classify = |points: &autograd::Tensor| model.predict(points);
        let title = format!("{}, accuracy {:.3}", model.describe(), last.train_accuracy);
        plot::boundary_figure(path, &data, &classify, &title)?;
        println!("wrote {}", path.display());
    }
    if let Some(path) = &args.gif {
        println!("wrote {}", path.display());
    }
    if args.tape_stats {
        println!("{}", inspect::tape_stats(&model, &dataset, &config));
    }
    if args.dump_tape {
        print!(
            "{}",
            inspect::tape_dump(&model, &dataset, &config, DUMPED_ROWS)
        );
    }
    Ok(())
}

/// Fails early, before training, on contradictory flags, figures the data cannot have and
/// outputs that cannot be written.
fn check_outputs(args: &TrainArgs, data: &LabeledData) -> Result<()> {
    let no_hidden = args
        .hidden
        .as_ref()
        .is_some_and(|layers| layers.0.is_empty());
    if no_hidden && args.activation.is_some() {
        return Err(Error::InvalidFlag {
            flag: "--activation",
            reason: "--hidden 0 has no hidden layer to activate".to_string(),
        });
    }
    for (flag, path) in [("--plot", &args.plot), ("--gif", &args.gif)] {
        if path.is_some() && data.feature_count() != 2 {
            return Err(Error::NotTwoFeatures {
                flag,
                found: data.feature_count(),
            });
        }
    }
    for path in [&args.save, &args.log, &args.plot, &args.gif]
        .into_iter()
        .flatten()
    {
        atomic::check_writable(path)?;
    }
    Ok(())
}

/// Trains once, drawing the decision boundary into `animation` before the first pass and then
/// at [`GIF_FRAMES`] evenly spaced passes, from the model nn lends after each pass.
fn train_with_frames(
    model: &mut Network,
    data: &LabeledData,
    config: &nn::TrainConfig,
    animation: &mut Animation,
    callback: impl FnMut(&nn::Progress),
) -> Result<training::Trained> {
    let dataset = data.to_dataset();
    let frames = GIF_FRAMES.min(config.passes);
    let title = |pass: usize, model: &Network| {
        let accuracy = nn::metrics::accuracy(&model.predict(&data.features), &data.labels);
        format!("pass {pass}, accuracy {accuracy:.3}")
    };
    animation.add_frame(data, &|points| model.predict(points), &title(0, model))?;
    let mut next_frame = 1;
    let mut drawing = Ok(());
    let trained = training::run_observed(model, &dataset, config, callback, |pass, model| {
        if drawing.is_ok() && pass == config.passes * next_frame / frames {
            next_frame += 1;
            drawing =
                animation.add_frame(data, &|points| model.predict(points), &title(pass, model));
        }
    })?;
    drawing?;
    Ok(trained)
}

/// `Loss after iteration N: L` with the accuracies, as the tutorial prints it.
fn progress_line(report: &nn::Progress) -> String {
    let holdout = report
        .holdout_accuracy
        .map(|accuracy| format!(", holdout accuracy {accuracy:.3}"))
        .unwrap_or_default();
    format!(
        "Loss after iteration {}: {:.6} (train accuracy {:.3}{})",
        report.pass, report.loss, report.train_accuracy, holdout
    )
}

/// Writes `pass,loss,accuracy` (and `holdout_accuracy` when held out) rows, numbers exact.
fn write_log(path: &Path, rows: &[nn::Progress]) -> Result<()> {
    let with_holdout = rows.iter().any(|row| row.holdout_accuracy.is_some());
    atomic::write_with(path, |writer| {
        if with_holdout {
            writeln!(writer, "pass,loss,accuracy,holdout_accuracy")?;
        } else {
            writeln!(writer, "pass,loss,accuracy")?;
        }
        for row in rows {
            write!(
                writer,
                "{},{},{}",
                row.pass,
                data::exact(row.loss),
                data::exact(row.train_accuracy)
            )?;
            if let Some(accuracy) = row.holdout_accuracy {
                write!(writer, ",{}", data::exact(accuracy))?;
            }
            writeln!(writer)?;
        }
        Ok(())
    })
}
