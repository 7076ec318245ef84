//! `demo gradcheck`: compare a saved model's loss gradients with central finite differences.

use autograd::{GradcheckOptions, Tensor, Var, gradcheck};
use nn::Model;

use crate::cli::GradcheckArgs;
use crate::commands::{model_io, training};
use crate::error::{Error, Result};
use crate::images;

/// Checks d(objective)/d(parameter) for every parameter entry and prints the report.
pub fn run(args: &GradcheckArgs) -> Result<()> {
    let model = model_io::load(&args.model)?;
    model_io::check_image(&model, &args.model, args.image)?;
    let data = images::read_labeled(&args.data, args.image)?;
    model_io::check_fits(&model, &args.model, &data, &args.data)?;
    let reduction = training::reduction(args.loss);
    let inputs: Vec<Tensor> = model
        .params()
        .iter()
        .map(|(_, tensor)| tensor.clone())
        .collect();
    let objective = autograd::gradcheck::scalar_function(|vars: &[Var]| {
        let params = model.params().with_vars(vars);
        let features = vars[0].tape().constant(data.features.clone());
        model.objective(&params, features, &data.labels, reduction, args.reg)
    });
    let report = gradcheck(objective, &inputs, &GradcheckOptions::default());
    let names: Vec<&str> = model.params().names().collect();
    println!(
        "gradient check of the {} loss plus reg {} penalty over {} rows, parameters {}",
        reduction.name(),
        args.reg,
        data.labels.len(),
        names.join(", ")
    );
    println!("{report}");
    if report.passed {
        Ok(())
    } else {
        Err(Error::GradcheckFailed {
            failures: report.failures,
            checked: report.checked,
        })
    }
}
