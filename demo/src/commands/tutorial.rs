//! The pieces of the default run (the tutorial): its models, curves and the closing summary table.

use std::time::Duration;

use crate::commands::progress::Progress;
use crate::commands::training::{self, Trained};
use crate::data::LabeledData;
use crate::error::Result;

/// Points of the tutorial's moons figure, its noise and the generator's seed.
pub const MOONS_POINTS: usize = 200;
/// The moons' noise (standard deviation).
pub const MOONS_NOISE: f64 = 0.2;
/// The seed of the moons, and of each model's initial weights.
pub const SEED: u64 = 0;
/// The hidden-layer sizes the tutorial compares.
pub const SWEEP_SIZES: [usize; 7] = [1, 2, 3, 4, 5, 20, 50];
/// The tutorial prints the loss every this many passes.
pub const PRINT_EVERY: usize = 1000;
/// The loss curve samples the loss every this many passes.
const CURVE_EVERY: usize = 50;

/// Points `(x, y)` of a curve, in order of x.
pub type Curve = Vec<(f64, f64)>;

/// One row of the closing summary table.
pub struct SummaryRow {
    /// What the model is.
    pub model: String,
    /// Its hidden layers, in words.
    pub hidden: String,
    /// The loss after the last pass.
    pub final_loss: f64,
    /// Accuracy on the training data.
    pub accuracy: f64,
    /// Training wall time.
    pub time: Duration,
}

impl SummaryRow {
    /// The row for a trained model.
    pub fn new(model: &str, hidden: &str, trained: &Trained) -> SummaryRow {
        let last = trained.summary.last();
        SummaryRow {
            model: model.to_string(),
            hidden: hidden.to_string(),
            final_loss: last.loss,
            accuracy: last.train_accuracy,
            time: trained.elapsed,
        }
    }
}

/// The tutorial's training: 20000 full-batch passes of gradient descent, lr 0.01, reg 0.01, sum loss.
pub fn tutorial_config() -> nn::TrainConfig {
    nn::TrainConfig {
        report_every: CURVE_EVERY,
        ..nn::TrainConfig::default()
    }
}

/// Logistic regression (no hidden layer) trained on `data` as the tutorial trains its net.
pub fn train_logistic(data: &LabeledData) -> Result<(nn::Mlp, Trained)> {
    let mut model = training::new_model(2, &[], data.class_count(), nn::Activation::Tanh, SEED)?;
    let config = tutorial_config();
    let progress = Progress::new(config.passes, "logistic");
    let trained = training::run(&mut model, &data.to_dataset(), &config, |report| {
        progress.set(report.pass)
    })?;
    progress.finish();
    Ok((model, trained))
}

/// The 3-layer net (hidden size 3, tanh), printing `Loss after iteration N: L` every 1000 passes.
pub fn train_network(data: &LabeledData) -> Result<(nn::Mlp, Trained)> {
    let mut model = training::new_model(2, &[3], data.class_count(), nn::Activation::Tanh, SEED)?;
    let config = tutorial_config();
    let progress = Progress::new(config.passes, "hidden 3");
    let trained = training::run(&mut model, &data.to_dataset(), &config, |report| {
        progress.set(report.pass);
        if report.pass.is_multiple_of(PRINT_EVERY) {
            progress.println(&format!(
                "Loss after iteration {}: {:.6}",
                report.pass, report.loss
            ));
        }
    })?;
    progress.finish();
    Ok((model, trained))
}

/// The loss after each reported pass, as (pass, loss) points.
pub fn loss_curve(trained: &Trained) -> Vec<(f64, f64)> {
    trained
        .summary
        .history
        .iter()
        .map(|report| (report.pass as f64, report.loss))
        .collect()
}

/// An activation and its slope on [−6, 6], as (z, value) points, both from the engine: the
/// values from the activation's op, the slopes from a backward pass through the tape (for an
/// elementwise op, `d(Σ y)/dzᵢ = y'(zᵢ)`), not from a formula written here.
pub fn activation_curves(activation: nn::Activation) -> (Curve, Curve) {
    let z = autograd::Tensor::linspace(-6.0, 6.0, 241);
    let tape = autograd::Tape::new();
    let input = tape.var(z.clone());
    let output = activation.apply(input);
    let slopes = output.sum().backward()[input].clone();
    let values = output.value().clone();
    let points = |ys: &autograd::Tensor| {
        z.data()
            .iter()
            .copied()
            .zip(ys.data().iter().copied())
            .collect()
    };
    (points(&values), points(&slopes))
}

/// The summary table: model, hidden layers, final loss, accuracy on the training rows (all of
/// them: nothing is held out), training time; then `notes`, one line each.
pub fn format_summary(rows: &[SummaryRow], notes: &[String]) -> String {
    let mut table = format!(
        "{:<22} {:<14} {:>10} {:>14} {:>9}\n",
        "model", "hidden layers", "final loss", "train accuracy", "time"
    );
    for row in rows {
        table.push_str(&format!(
            "{:<22} {:<14} {:>10.6} {:>14.3} {:>8.2}s\n",
            row.model,
            row.hidden,
            row.final_loss,
            row.accuracy,
            row.time.as_secs_f64()
        ));
    }
    for note in notes {
        table.push_str(note);
        table.push('\n');
    }
    table
}

/// The note under the summary on how the sweep's times were taken: `networks` trained at once,
/// sharing the machine's cores.
pub fn sweep_timing_note(networks: usize) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
    format!(
        "sweep times are wall times of {networks} networks trained at once on {cores} core(s); \
         alone, each would take less"
    )
}
