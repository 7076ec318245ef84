//! `demo predict`: classify the rows of a CSV file with a saved model.

use std::path::Path;

use autograd::Tensor;
use nn::Model;

use crate::atomic;
use crate::cli::PredictArgs;
use crate::commands::model_io;
use crate::data::{self, Table};
use crate::error::{Error, Result};
use crate::images;
use crate::output;
use crate::say;

/// Prints (or writes to `--out`; `-` is standard output) each row's predicted class and class probabilities.
pub fn run(args: &PredictArgs) -> Result<()> {
    let (model, standardize) = model_io::load(&args.model)?;
    model_io::check_image(&model, &args.model, args.image)?;
    // Without --out (or with `--out -`) the predictions are the standard output, and the
    // accuracy line goes to standard error so that the CSV stays clean.
    let out = args.out.as_deref().unwrap_or(Path::new("-"));
    if atomic::is_stdout(out) {
        output::reserve_stdout_for_data();
    }
    atomic::check_writable(out)?;
    let in_features = model.in_features();
    let (features, labels) = match args.image {
        Some(shape) => {
            let data = images::read(&args.data, shape)?.to_labeled();
            model_io::check_fits(&model, &args.model, &data, &args.data)?;
            (data.features, Some(data.labels))
        }
        None => {
            let table = Table::read(&args.data)?;
            if table.column_count() == in_features + 1 {
                let data = table.labeled()?;
                model_io::check_fits(&model, &args.model, &data, &args.data)?;
                (data.features, Some(data.labels))
            } else if table.column_count() == in_features {
                (table.unlabeled()?, None)
            } else {
                return Err(Error::ColumnMismatch {
                    model: args.model.clone(),
                    model_features: in_features,
                    data: args.data.clone(),
                    columns: table.column_count(),
                });
            }
        }
    };

    // A model trained with --standardize takes its inputs transformed as in training.
    let features = match &standardize {
        Some(standardize) => standardize.apply(&features),
        None => features,
    };
    let predicted = model.predict(&features);
    let probabilities = model.predict_proba(&features);
    let csv = predictions_csv(&predicted, &probabilities);
    atomic::write_bytes(out, csv.as_bytes())?;
    if let Some(labels) = labels {
        let accuracy = nn::metrics::accuracy(&predicted, &labels);
        let correct = predicted
            .iter()
            .zip(&labels)
            .filter(|(p, l)| p == l)
            .count();
        say!(
            "accuracy {accuracy:.3} ({correct} of {} rows)",
            labels.len()
        );
    }
    if !atomic::is_stdout(out) {
        say!("wrote {} predictions to {}", predicted.len(), out.display());
    }
    Ok(())
}

/// `prediction,probability_0,...` rows, probabilities in exact round-trip form.
fn predictions_csv(predicted: &[usize], probabilities: &Tensor) -> String {
    let classes = probabilities.dims()[1];
    let mut csv = String::from("prediction");
    for class in 0..classes {
        csv.push_str(&format!(",probability_{class}"));
    }
    csv.push('\n');
    for (row, class) in predicted.iter().enumerate() {
        csv.push_str(&class.to_string());
        for &probability in probabilities.row(row) {
            csv.push(',');
            csv.push_str(&data::exact(probability));
        }
        csv.push('\n');
    }
    csv
}
