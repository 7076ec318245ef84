//! `demo gradcheck`: compare a saved model's loss gradients with central finite differences.

use std::sync::atomic::{AtomicUsize, Ordering};

use autograd::gradcheck::{CheckedAt, Comparison, GradcheckMode, GradcheckReport};
use autograd::{GradcheckOptions, Tensor, Var, gradcheck};
use nn::Model;

use crate::cli::GradcheckArgs;
use crate::commands::network::Network;
use crate::commands::progress::Progress;
use crate::commands::{model_io, training};
use crate::error::{Error, Result};
use crate::images;
use crate::say;

/// Checks d(objective)/d(parameter) for every parameter entry (or along random directions) and
/// prints the report.
pub fn run(args: &GradcheckArgs) -> Result<()> {
    let (model, standardize) = model_io::load(&args.model)?;
    model_io::check_image(&model, &args.model, args.image)?;
    let data = images::read_labeled(&args.data, args.image)?;
    model_io::check_fits(&model, &args.model, &data, &args.data)?;
    let data = match &standardize {
        Some(standardize) => standardize.applied(&data),
        None => data,
    };
    let reduction = training::reduction(args.loss);
    let names: Vec<&str> = model.params().names().collect();
    let options = options(args);
    let evaluations = evaluations(&options.mode, model.params().numel());
    say!(
        "gradient check of the {} loss plus reg {} penalty over {} rows: {}, {} loss evaluations",
        reduction.name(),
        args.reg,
        data.labels.len(),
        what_is_checked(&options.mode, model.params().numel(), &names),
        evaluations
    );
    let progress = Progress::new(evaluations, "gradcheck");
    let done = AtomicUsize::new(0);
    let report = check(
        &model,
        &data.features,
        &data.labels,
        reduction,
        args.reg,
        &options,
        || {
            progress.set(done.fetch_add(1, Ordering::Relaxed) + 1);
        },
    );
    progress.finish();
    say!("{}", describe(&report, &names, &options));
    if report.passed {
        Ok(())
    } else {
        Err(Error::GradcheckFailed {
            failures: report.failures,
            checked: report.checked,
        })
    }
}

/// Compares the gradients of `model`'s objective on `features` and `labels` with respect to its
/// parameters (in the model's order) with finite differences, calling `on_evaluation` before each
/// evaluation of the objective.
pub fn check(
    model: &Network,
    features: &Tensor,
    labels: &[usize],
    reduction: nn::Reduction,
    reg: f64,
    options: &GradcheckOptions,
    on_evaluation: impl Fn(),
) -> GradcheckReport {
    let inputs: Vec<Tensor> = model
        .params()
        .iter()
        .map(|(_, tensor)| tensor.clone())
        .collect();
    let objective = autograd::gradcheck::scalar_function(|vars: &[Var]| {
        on_evaluation();
        let params = model.params().with_vars(vars);
        let features = vars[0].tape().constant(features.clone());
        model.objective(&params, features, labels, reduction, reg)
    });
    gradcheck(objective, &inputs, options)
}

/// The checker's options from the flags.
fn options(args: &GradcheckArgs) -> GradcheckOptions {
    let mode = match args.directions {
        Some(count) => GradcheckMode::Directions {
            count,
            seed: args.seed,
        },
        None => GradcheckMode::Elementwise,
    };
    GradcheckOptions {
        rel_tolerance: args.rel_tolerance,
        abs_tolerance: args.abs_tolerance,
        mode,
        ..GradcheckOptions::default()
    }
}

/// Loss evaluations the check makes: one for backward, then two per entry or direction.
fn evaluations(mode: &GradcheckMode, entries: usize) -> usize {
    match mode {
        GradcheckMode::Elementwise => 1 + 2 * entries,
        GradcheckMode::Directions { count, .. } => 1 + 2 * count,
    }
}

fn what_is_checked(mode: &GradcheckMode, entries: usize, names: &[&str]) -> String {
    match mode {
        GradcheckMode::Elementwise => {
            format!("{entries} entries of {}", names.join(", "))
        }
        GradcheckMode::Directions { count, seed } => format!(
            "{count} random directions (seed {seed}) through {entries} entries of {}",
            names.join(", ")
        ),
    }
}

/// The report in words, every number about one comparison: the verdict and counts, then the
/// comparison furthest outside (or least inside) its tolerance, named by parameter and entry,
/// with its errors and what the tolerance allowed there.
pub fn describe(report: &GradcheckReport, names: &[&str], options: &GradcheckOptions) -> String {
    let verdict = if report.passed { "passed" } else { "FAILED" };
    let mut text = format!(
        "gradcheck {verdict}: {} of {} comparisons outside |backward − finite difference| ≤ {:e} + {:e}·|finite difference|",
        report.failures, report.checked, options.abs_tolerance, options.rel_tolerance
    );
    if let Some(worst) = &report.worst {
        let allowed = options.abs_tolerance + options.rel_tolerance * worst.numeric.abs();
        text.push_str(&format!(
            "\nclosest to failing: {}: backward {:.12e}, finite difference {:.12e}, error {:.3e} (relative {:.3e}) where {:.3e} is allowed",
            location(worst, names),
            worst.analytic,
            worst.numeric,
            worst.abs_error(),
            worst.rel_error(),
            allowed
        ));
    }
    text
}

/// The parameter (by name, `None` past the end of `names`) and the index within it of a
/// comparison of one entry; `None` for a random direction.
pub fn entry<'a>(
    comparison: &'a Comparison,
    names: &[&'a str],
) -> Option<(Option<&'a str>, &'a [usize])> {
    match &comparison.at {
        CheckedAt::Element { input, index } => Some((names.get(*input).copied(), index)),
        _ => None,
    }
}

/// `W2[1, 0]` for an entry, `direction 3` for a random direction.
pub fn location(comparison: &Comparison, names: &[&str]) -> String {
    match entry(comparison, names) {
        Some((name, index)) => {
            let index: Vec<String> = index.iter().map(usize::to_string).collect();
            format!("{}[{}]", name.unwrap_or("?"), index.join(", "))
        }
        None => comparison.at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(comparison: Comparison, passed: bool) -> GradcheckReport {
        GradcheckReport {
            passed,
            checked: 4,
            failures: usize::from(!passed),
            worst_abs_error: comparison.abs_error(),
            worst_rel_error: 1.0,
            worst: Some(comparison),
            missing_recorded_rule: None,
        }
    }

    #[test]
    fn the_worst_entry_is_named_by_its_parameter_and_described_once() {
        let worst = Comparison {
            at: CheckedAt::Element {
                input: 2,
                index: vec![1, 0],
            },
            analytic: 0.5,
            numeric: 0.25,
        };
        let text = describe(
            &report(worst, false),
            &["W1", "b1", "W2", "b2"],
            &GradcheckOptions::default(),
        );
        assert!(text.starts_with("gradcheck FAILED: 1 of 4"), "{text}");
        assert!(text.contains("W2[1, 0]: backward 5.0"), "{text}");
        // The relative error shown is that of the named entry, not of some other one.
        assert!(text.contains("(relative 5.000e-1)"), "{text}");
        assert!(!text.contains("input 2"), "{text}");
    }

    #[test]
    fn a_pass_with_a_tiny_gradient_does_not_claim_a_relative_error_of_one_elsewhere() {
        // backward 1e-12 against 0: relative error 1, yet far inside the absolute tolerance.
        let tiny = Comparison {
            at: CheckedAt::Element {
                input: 0,
                index: vec![0],
            },
            analytic: 1e-12,
            numeric: 0.0,
        };
        let text = describe(&report(tiny, true), &["b1"], &GradcheckOptions::default());
        assert!(text.starts_with("gradcheck passed: 0 of 4"), "{text}");
        assert!(text.contains("b1[0]"), "{text}");
        assert!(text.contains("where 1.000e-6 is allowed"), "{text}");
    }

    #[test]
    fn evaluations_count_the_backward_and_two_per_perturbation() {
        assert_eq!(evaluations(&GradcheckMode::Elementwise, 17), 35);
        assert_eq!(
            evaluations(&GradcheckMode::Directions { count: 5, seed: 0 }, 17),
            11
        );
    }
}
