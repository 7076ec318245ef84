//! `demo train`: train a network on a CSV data set, with logs, checkpoints and figures.

use std::path::Path;

use crate::atomic;
use crate::classes;
use crate::cli::TrainArgs;
use crate::commands::network::Network;
use crate::commands::progress::Progress;
use crate::commands::{inspect, model_io, training};
use crate::data::{self, LabeledData};
use crate::error::{Error, Result};
use crate::images;
use crate::output;
use crate::plot::{self, Animation};
use crate::say;
use crate::standardize::Standardize;

/// Rows of the data set in the step that `--dump-tape` lists.
const DUMPED_ROWS: usize = 4;

/// Trains as the flags say and writes what they ask for.
pub fn run(args: &TrainArgs) -> Result<()> {
    let data = images::read_training_data(&args.data, args.image)?;
    check_outputs(args, &data)?;
    if let Some(path) = &args.save {
        model_io::check_save_format(path, args.standardize, args.arch.is_some())?;
    }

    let (mut model, saved_standardize) = match (&args.init, &args.arch) {
        (Some(_), _) if args.training.classes.is_some() => {
            return Err(Error::InvalidFlag {
                flag: "--classes",
                reason: "--init's model already has its classes".to_string(),
            });
        }
        (Some(path), _) => {
            let (model, standardize) = model_io::load_init(path, args.activation)?;
            model_io::check_image(&model, path, args.image)?;
            model_io::check_fits(&model, path, &data, &args.data)?;
            (model, standardize)
        }
        (None, Some(layers)) => {
            let input = match args.image {
                Some(shape) => shape.to_string(),
                None => data.feature_count().to_string(),
            };
            let classes = classes::class_count(&data, &args.data, args.training.classes)?;
            let model = training::new_sequential(&input, layers, classes, args.training.seed)?;
            (Network::Sequential(model), None)
        }
        (None, None) => {
            let hidden = args
                .hidden
                .as_ref()
                .map_or(&[3][..], |layers| &layers.0[..]);
            let activation = args.activation.unwrap_or_default();
            let classes = classes::class_count(&data, &args.data, args.training.classes)?;
            let model = training::new_model(
                data.feature_count(),
                hidden,
                classes,
                activation,
                args.training.seed,
            )?;
            (Network::Mlp(model), None)
        }
    };
    say!(
        "training {} on {} ({} rows, {} features, {} classes)",
        model.describe(),
        args.data.display(),
        data.labels.len(),
        data.feature_count(),
        nn::Model::classes(&model)
    );

    let config = training::config(&args.training, args.holdout, args.print_every);
    if let Network::Mlp(mlp) = &model {
        training::check_training_memory(&[mlp.sizes()], data.labels.len(), &config)?;
    }
    // A checkpoint trained with --standardize keeps its own transform; otherwise one is fitted
    // on the training rows. The figures keep the data as given (`raw`).
    let standardize = match saved_standardize {
        Some(standardize) => Some(standardize),
        None if args.standardize => Some(Standardize::fit_training_rows(&data, &config)),
        None => None,
    };
    let raw = data;
    let data = match &standardize {
        Some(standardize) => {
            say!(
                "standardizing the features: mean {:?}, standard deviation {:?}",
                standardize.mean,
                standardize.std
            );
            standardize.applied(&raw)
        }
        None => raw.clone(),
    };
    let dataset = data.to_dataset();
    // The rows nn holds out, to tell them apart in the figures.
    let held_out = args
        .holdout
        .and_then(|fraction| dataset.holdout_rows(fraction, config.seed))
        .unwrap_or_default();
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
            let frames = Frames {
                passes: plot::frame_passes(config.passes, args.frames as usize),
                held_out: &held_out,
            };
            let trained =
                train_with_frames(&mut model, &data, &config, &mut animation, &frames, |r| {
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
            model_io::save(&model, standardize.as_ref(), path)?;
            return Err(Error::Diverged {
                pass,
                loss,
                learning_rate,
                saved_to: Some(path.clone()),
            });
        }
        (
            Err(Error::LossRose {
                start,
                end,
                pass,
                learning_rate,
                ..
            }),
            Some(path),
        ) => {
            progress.finish();
            return Err(Error::LossRose {
                start,
                end,
                pass,
                learning_rate,
                not_saved: Some(path.clone()),
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
    say!(
        "final loss {:.6}, train accuracy {:.3}{}, {:.2} s",
        last.loss,
        last.train_accuracy,
        holdout,
        trained.elapsed.as_secs_f64()
    );
    if let Some(path) = &args.save {
        model_io::save(&model, standardize.as_ref(), path)?;
        say!("saved the model to {}", path.display());
    }
    if let Some(path) = &args.log {
        write_log(path, &log_rows)?;
        if !atomic::is_stdout(path) {
            say!("wrote the loss log to {}", path.display());
        }
    }
    if let Some(path) = &args.plot {
        let classify = |points: &autograd::Tensor| match &standardize {
            Some(standardize) => model.predict(&standardize.apply(points)),
            None => model.predict(points),
        };
        let accuracies = training::accuracy_caption(last.train_accuracy, last.holdout_accuracy);
        let title = format!("{}, {accuracies}", model.describe());
        plot::boundary_figure(path, &raw, &classify, &title, &held_out)?;
        say!("wrote {}", path.display());
    }
    if let Some(path) = &args.gif {
        say!("wrote {}", path.display());
    }
    if args.tape_stats {
        say!("{}", inspect::tape_stats(&model, &dataset, &config));
    }
    if args.dump_tape {
        let dump = inspect::tape_dump(&model, &dataset, &config, DUMPED_ROWS);
        say!("{}", dump.trim_end());
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
    for (flag, path) in [
        ("--save", &args.save),
        ("--plot", &args.plot),
        ("--gif", &args.gif),
    ] {
        if let Some(path) = path {
            atomic::refuse_stdout(flag, path)?;
        }
    }
    if args.log.as_deref().is_some_and(atomic::is_stdout) {
        output::reserve_stdout_for_data();
    }
    for path in [&args.save, &args.log, &args.plot, &args.gif]
        .into_iter()
        .flatten()
    {
        atomic::check_writable(path)?;
    }
    Ok(())
}

/// When an animation draws its frames, and which rows it marks as held out.
struct Frames<'a> {
    /// The passes after which a frame is drawn (see [`plot::frame_passes`]).
    passes: Vec<usize>,
    /// The rows nn holds out, drawn as squares and counted apart.
    held_out: &'a [usize],
}

/// Trains once, drawing the decision boundary into `animation` before the first pass and then
/// after each of `frames.passes`, from the model nn lends after each pass; each frame's title
/// gives the accuracy on the training rows and on the held-out rows.
fn train_with_frames(
    model: &mut Network,
    data: &LabeledData,
    config: &nn::TrainConfig,
    animation: &mut Animation,
    frames: &Frames,
    callback: impl FnMut(&nn::Progress),
) -> Result<training::Trained> {
    let dataset = data.to_dataset();
    let mut draw = |pass: usize, model: &Network| {
        let predictions = model.predict(&data.features);
        let (train, held) = training::split_accuracy(&predictions, &data.labels, frames.held_out);
        let title = format!("pass {pass}, {}", training::accuracy_caption(train, held));
        let classify = |points: &autograd::Tensor| model.predict(points);
        animation.add_frame(data, &classify, &title, frames.held_out)
    };
    draw(0, model)?;
    let mut next_frame = 0;
    let mut drawing = Ok(());
    let trained = training::run_observed(model, &dataset, config, callback, |pass, model| {
        if drawing.is_ok() && frames.passes.get(next_frame) == Some(&pass) {
            next_frame += 1;
            drawing = draw(pass, model);
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

/// Writes `pass,loss,accuracy` (and `holdout_loss,holdout_accuracy` when held out) rows,
/// numbers exact.
pub fn write_log(path: &Path, rows: &[nn::Progress]) -> Result<()> {
    let with_holdout = rows.iter().any(|row| row.holdout_accuracy.is_some());
    atomic::write_with(path, |writer| {
        if with_holdout {
            writeln!(writer, "pass,loss,accuracy,holdout_loss,holdout_accuracy")?;
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
            if let (Some(loss), Some(accuracy)) = (row.holdout_loss, row.holdout_accuracy) {
                write!(writer, ",{},{}", data::exact(loss), data::exact(accuracy))?;
            }
            writeln!(writer)?;
        }
        Ok(())
    })
}
