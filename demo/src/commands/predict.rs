//! `demo predict`: classify the rows of a CSV file with a saved model.

use autograd::Tensor;
use nn::Model;

use crate::atomic;
use crate::cli::PredictArgs;
use crate::commands::model_io;
use crate::data::{self, Table};
use crate::error::{Error, Result};
use crate::images;

/// Prints (or writes to `--out`) each row's predicted class and class probabilities.
pub fn run(args: &PredictArgs) -> Result<()> {
    let model = model_io::load(&args.model)?;
    model_io::check_image(&model, &args.model, args.image)?;
    if let Some(out) = &args.out {
        atomic::check_writable(out)?;
    }
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

    let predicted = model.predict(&features);
    let probabilities = model.predict_proba(&features);
    let csv = predictions_csv(&predicted, &probabilities);
    match &args.out {
        Some(out) => atomic::write_bytes(out, csv.as_bytes())?,
        None => print!("{csv}"),
    }
    if let Some(labels) = labels {
        let accuracy = nn::metrics::accuracy(&predicted, &labels);
        let correct = predicted
            .iter()
            .zip(&labels)
            .filter(|(p, l)| p == l)
            .count();
        let line = format!(
            "accuracy {accuracy:.3} ({correct} of {} rows)",
            labels.len()
        );
        // Keep stdout pure CSV when the predictions go there.
        if args.out.is_some() {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
    }
    if let Some(out) = &args.out {
        println!("wrote {} predictions to {}", predicted.len(), out.display());
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
