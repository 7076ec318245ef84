//! `/gradcheck`: the session's model's gradients against finite differences, as `demo gradcheck`
//! checks them.

use autograd::GradcheckOptions;
use autograd::gradcheck::GradcheckMode;
use serde_json::{Value, json};

use super::frame::number;
use super::session::Session;
use crate::commands::gradcheck;

/// Models with at most this many parameter entries are checked entry by entry; larger ones
/// along [`DIRECTIONS`] random directions.
pub const ELEMENTWISE_UP_TO: usize = 2000;

/// Random directions checked for a model too large to check entry by entry.
pub const DIRECTIONS: usize = 32;

/// `{"passed", "checked", "worst": {"parameter", "index", "analytic", "numeric", "rel_error"}}`
/// for the current model's objective on the training rows (`demo gradcheck`'s check).
pub fn gradcheck_json(session: &mut Session) -> Value {
    let model = session.model();
    let entries = nn::Model::params(model).numel();
    let mode = if entries <= ELEMENTWISE_UP_TO {
        GradcheckMode::Elementwise
    } else {
        GradcheckMode::Directions {
            count: DIRECTIONS,
            seed: 0,
        }
    };
    let options = GradcheckOptions {
        mode,
        ..GradcheckOptions::default()
    };
    let rows = session.training_rows();
    let config = session.train_config();
    let report = gradcheck::check(
        model,
        &rows.features,
        &rows.labels,
        config.reduction,
        config.reg,
        &options,
        || {},
    );
    let names: Vec<&str> = nn::Model::params(model).names().collect();
    let worst = report.worst.as_ref().map_or(Value::Null, |worst| {
        let (parameter, index) = match gradcheck::entry(worst, &names) {
            Some((name, index)) => (json!(name), json!(index)),
            None => (json!(worst.at.to_string()), json!([])),
        };
        json!({
            "parameter": parameter,
            "index": index,
            "analytic": number(worst.analytic),
            "numeric": number(worst.numeric),
            "rel_error": number(worst.rel_error()),
        })
    });
    json!({
        "passed": report.passed,
        "checked": report.checked,
        "worst": worst,
    })
}
