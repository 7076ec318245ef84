//! The command line: subcommands, flags, their defaults (the tutorial's) and per-value validation.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::images::ImageShape;

/// The tutorial "a neural network from scratch", end to end, and tools to repeat it on your own data.
///
/// Without a subcommand, reproduces the tutorial and writes its figures into `out/`.
#[derive(Debug, Parser)]
#[command(name = "demo", version)]
pub struct Cli {
    /// What to do; without one, the tutorial's default run.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Where the default run writes its figures (created if missing) [default: out]
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the two-moons data set as CSV (x,y,label), like scikit-learn's make_moons.
    Moons(MoonsArgs),
    /// Train a network on a CSV data set.
    Train(TrainArgs),
    /// Predict classes and probabilities for a CSV data set with a saved model.
    Predict(PredictArgs),
    /// Train one network per hidden-layer size and compare them.
    Sweep(SweepArgs),
    /// Check a saved model's loss gradients against finite differences.
    Gradcheck(GradcheckArgs),
    /// Write the recorded graph of one training step as Graphviz DOT (rendered if `dot` exists).
    Graph(GraphArgs),
    /// Train logistic regression, an MLP and a CNN on the built-in 8x8 handwritten digits; print a
    /// table and draw figures.
    Digits(DigitsArgs),
}

/// Flags of `demo moons`.
#[derive(Debug, Args)]
pub struct MoonsArgs {
    /// Number of points
    #[arg(long, default_value_t = 200, value_parser = at_least_one)]
    pub n: usize,
    /// Standard deviation of the Gaussian noise added to each coordinate
    #[arg(long, default_value_t = 0.2, value_parser = non_negative, allow_negative_numbers = true)]
    pub noise: f64,
    /// Seed of the random generator
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The CSV file to write
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
    /// Also draw the points to this PNG
    #[arg(long, value_name = "FILE.png")]
    pub plot: Option<PathBuf>,
}

/// Flags of `demo train`; the defaults are the tutorial's.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The training data: CSV, feature columns then an integer label
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Hidden layer sizes, comma-separated (0: none, i.e. logistic regression)
    #[arg(long, value_name = "SIZES", value_parser = hidden_layers, conflicts_with = "init")]
    pub hidden: Option<HiddenLayers>,
    /// Activation of the hidden layers
    #[arg(long, value_enum, conflicts_with = "init")]
    pub activation: Option<ActivationArg>,
    /// The model as a list of layers instead of --hidden, e.g.
    /// "conv 8 3x3 pad 1, relu, maxpool 2, flatten, dense 10" (syntax in the README)
    #[arg(long, value_name = "LAYERS", conflicts_with_all = ["init", "hidden", "activation"])]
    pub arch: Option<String>,
    /// Read --data as images of this size: each row C·H·W pixel values, then the label (header optional)
    #[arg(long, value_name = "CxHxW")]
    pub image: Option<ImageShape>,
    /// Shared training flags.
    #[command(flatten)]
    pub training: TrainingArgs,
    /// Fraction of the rows held out to measure test accuracy (between 0 and 1)
    #[arg(long, value_name = "FRACTION", value_parser = fraction, allow_negative_numbers = true)]
    pub holdout: Option<f64>,
    /// Start from this checkpoint instead of random weights
    #[arg(long, value_name = "CKPT")]
    pub init: Option<PathBuf>,
    /// Write the trained model to this checkpoint
    #[arg(long, value_name = "CKPT")]
    pub save: Option<PathBuf>,
    /// Report (print and log) the loss every this many passes
    #[arg(long, default_value_t = 1000, value_name = "K", value_parser = at_least_one)]
    pub print_every: usize,
    /// Write pass,loss,accuracy rows to this CSV
    #[arg(long, value_name = "FILE.csv")]
    pub log: Option<PathBuf>,
    /// Draw the trained model's decision boundary (2-feature data only)
    #[arg(long, value_name = "FILE.png")]
    pub plot: Option<PathBuf>,
    /// Animate the decision boundary as it forms (2-feature data only)
    #[arg(long, value_name = "FILE.gif")]
    pub gif: Option<PathBuf>,
    /// After training, print the tape of one step on the first rows: every node with its op,
    /// shape, value, gradient and source line
    #[arg(long)]
    pub dump_tape: bool,
    /// Print how many nodes one full-batch step records and the memory its values hold
    #[arg(long)]
    pub tape_stats: bool,
}

/// Flags of `demo graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Hidden layer sizes, comma-separated (0: none, i.e. logistic regression)
    #[arg(long, value_name = "SIZES", default_value = "3", value_parser = hidden_layers)]
    pub hidden: HiddenLayers,
    /// Activation of the hidden layers
    #[arg(long, value_enum, default_value_t = ActivationArg::Tanh)]
    pub activation: ActivationArg,
    /// Rows of moons data in the recorded step (values are printed in nodes up to 6 numbers)
    #[arg(long, default_value_t = 2, value_parser = at_least_one)]
    pub rows: usize,
    /// The DOT file to write (a PNG beside it too, when Graphviz's `dot` is installed)
    #[arg(long, value_name = "FILE.dot")]
    pub out: PathBuf,
}

/// Training flags shared by `train` and `sweep`.
#[derive(Debug, Args)]
pub struct TrainingArgs {
    /// Passes over the data (each one parameter update per batch)
    #[arg(long, default_value_t = 20000, value_parser = at_least_one)]
    pub passes: usize,
    /// Learning rate (step size)
    #[arg(long = "lr", default_value_t = 0.01, value_name = "RATE", value_parser = positive, allow_negative_numbers = true)]
    pub learning_rate: f64,
    /// L2 regularisation strength on the weights
    #[arg(long, default_value_t = 0.01, value_parser = non_negative, allow_negative_numbers = true)]
    pub reg: f64,
    /// How the per-point losses are combined for the gradient
    #[arg(long, value_enum, default_value_t = LossArg::Sum)]
    pub loss: LossArg,
    /// Optimiser
    #[arg(long, value_enum, default_value_t = OptimizerArg::Gd)]
    pub optimizer: OptimizerArg,
    /// Rows per mini-batch (default: the whole data set)
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub batch_size: Option<usize>,
    /// Seed for weights, shuffling and the holdout split
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Check every value and gradient for NaN or infinity and stop at the first, naming the op
    #[arg(long)]
    pub detect_anomaly: bool,
}

/// Flags of `demo predict`.
#[derive(Debug, Args)]
pub struct PredictArgs {
    /// A checkpoint written by `train --save`
    #[arg(long, value_name = "CKPT")]
    pub model: PathBuf,
    /// Points to classify: CSV with the model's feature columns, and optionally a label column
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Read --data as labelled images of this size (pixel values, then the label; header optional)
    #[arg(long, value_name = "CxHxW")]
    pub image: Option<ImageShape>,
    /// Write predictions (class and probabilities per row) to this CSV instead of stdout
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
}

/// Flags of `demo sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The training data: CSV, feature columns then an integer label
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Sizes of the single hidden layer to try, comma-separated
    #[arg(long, value_name = "SIZES", default_value = "1,2,3,4,5,20,50", value_parser = positive_sizes)]
    pub hidden_sizes: PositiveSizes,
    /// Activation of the hidden layer
    #[arg(long, value_enum, default_value_t = ActivationArg::Tanh)]
    pub activation: ActivationArg,
    /// Shared training flags.
    #[command(flatten)]
    pub training: TrainingArgs,
    /// Draw one decision-boundary panel per size into this PNG (2-feature data only)
    #[arg(long, value_name = "FILE.png")]
    pub plot: Option<PathBuf>,
}

/// Flags of `demo gradcheck`.
#[derive(Debug, Args)]
pub struct GradcheckArgs {
    /// A checkpoint written by `train --save`
    #[arg(long, value_name = "CKPT")]
    pub model: PathBuf,
    /// Labelled data the loss is computed on
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Read --data as labelled images of this size (pixel values, then the label; header optional)
    #[arg(long, value_name = "CxHxW")]
    pub image: Option<ImageShape>,
    /// L2 regularisation strength included in the checked loss
    #[arg(long, default_value_t = 0.01, value_parser = non_negative, allow_negative_numbers = true)]
    pub reg: f64,
    /// How the per-point losses are combined
    #[arg(long, value_enum, default_value_t = LossArg::Mean)]
    pub loss: LossArg,
}

/// Flags of `demo digits`.
#[derive(Debug, Args)]
pub struct DigitsArgs {
    /// Where to write the figures (created if missing)
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,
    /// Passes over the training images for each model
    #[arg(long, default_value_t = crate::commands::digits::EPOCHS, value_parser = at_least_one)]
    pub epochs: usize,
}

/// Hidden-layer activations on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActivationArg {
    /// Hyperbolic tangent (the tutorial's)
    Tanh,
    /// Rectified linear unit
    Relu,
    /// Logistic sigmoid
    Sigmoid,
}

/// Loss reductions on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LossArg {
    /// Sum over the rows (the tutorial's gradient)
    Sum,
    /// Mean over the rows
    Mean,
}

/// Optimisers on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OptimizerArg {
    /// Plain gradient descent (the tutorial's)
    Gd,
    /// Gradient descent with momentum
    Momentum,
    /// Adam
    Adam,
}

/// Hidden layer sizes: empty for logistic regression (written `0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenLayers(pub Vec<usize>);

/// A non-empty list of positive sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositiveSizes(pub Vec<usize>);

fn hidden_layers(text: &str) -> Result<HiddenLayers, String> {
    if text.trim() == "0" {
        return Ok(HiddenLayers(Vec::new()));
    }
    positive_sizes(text)
        .map(|sizes| HiddenLayers(sizes.0))
        .map_err(|reason| format!("{reason} (or 0 alone for no hidden layer)"))
}

fn positive_sizes(text: &str) -> Result<PositiveSizes, String> {
    let sizes = text
        .split(',')
        .map(|part| match part.trim().parse::<usize>() {
            Ok(0) => Err("a layer of size 0 is not allowed".to_string()),
            Ok(size) => Ok(size),
            Err(_) => Err(format!(
                "{:?} is not a layer size (a positive integer)",
                part.trim()
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PositiveSizes(sizes))
}

fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(value) => Ok(value),
        Err(_) => Err("must be a positive integer".to_string()),
    }
}

fn finite(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err("must be a finite number".to_string()),
    }
}

fn positive(text: &str) -> Result<f64, String> {
    let value = finite(text)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err("must be greater than 0".to_string())
    }
}

fn non_negative(text: &str) -> Result<f64, String> {
    let value = finite(text)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err("must not be negative".to_string())
    }
}

fn fraction(text: &str) -> Result<f64, String> {
    let value = finite(text)?;
    if value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err("must be strictly between 0 and 1".to_string())
    }
}

/// Parses the command line; on a usage error prints one line and returns the exit code to use.
///
/// `--help` and `--version` print their text and return success.
pub fn parse() -> Result<Cli, ExitCode> {
    Cli::try_parse().map_err(|error| {
        use clap::error::ErrorKind;
        match error.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                // Printing help can only fail if stdout is gone, and then there is no one to tell.
                let _ = error.print();
                if error.exit_code() == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(2)
                }
            }
            _ => {
                let rendered = error.render().to_string();
                let first_line = rendered
                    .lines()
                    .next()
                    .unwrap_or("error: invalid arguments");
                let choices = rendered
                    .lines()
                    .map(str::trim)
                    .find(|line| line.starts_with("[possible values:"))
                    .map(|line| format!(" {line}"))
                    .unwrap_or_default();
                eprintln!("{first_line}{choices} (see --help)");
                ExitCode::from(2)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_accepts_lists_and_zero_for_none() {
        assert_eq!(hidden_layers("3").unwrap(), HiddenLayers(vec![3]));
        assert_eq!(hidden_layers("8,8").unwrap(), HiddenLayers(vec![8, 8]));
        assert_eq!(hidden_layers("0").unwrap(), HiddenLayers(vec![]));
        assert!(hidden_layers("8,0").unwrap_err().contains("size 0"));
        assert!(hidden_layers("x").is_err());
    }

    #[test]
    fn numeric_ranges_are_enforced() {
        assert!(positive("-0.1").is_err());
        assert!(positive("0").is_err());
        assert!(positive("NaN").is_err());
        assert_eq!(non_negative("0").unwrap(), 0.0);
        assert!(fraction("1").is_err());
        assert_eq!(fraction("0.25").unwrap(), 0.25);
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
