//! The command line: subcommands, flags, their defaults (the tutorial's) and per-value validation.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::images::ImageShape;
use crate::output;

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
    /// Write the recorded graph of one training step as SVG, PNG or Graphviz DOT.
    Graph(GraphArgs),
    /// Train the tutorial's 3-unit network alone; --exact: on its own data and initial weights.
    Tutorial(TutorialArgs),
    /// Train five character-level language models on first names, compare them and sample names.
    Names(NamesArgs),
    /// Train logistic regression, an MLP and a CNN on the built-in 8x8 handwritten digits; print a
    /// table and draw figures.
    Digits(DigitsArgs),
    /// Start the playground: a local web page that trains a network live and steps through its
    /// backward pass.
    Serve(ServeArgs),
}

/// Flags of `demo serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port to listen on (0: any free port; the address is printed)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the page in a browser (with xdg-open or sensible-browser, when installed)
    #[arg(long)]
    pub open: bool,
}

/// Flags of `demo tutorial`.
#[derive(Debug, Args)]
pub struct TutorialArgs {
    /// Use the tutorial's own data (scikit-learn's moons, random_state 0) and initial weights
    /// (numpy's), shipped with the demo: the losses are then the tutorial's to about 1e-12
    #[arg(long)]
    pub exact: bool,
    /// Passes of full-batch gradient descent
    #[arg(long, default_value_t = 20000, value_parser = at_least_one)]
    pub passes: usize,
    /// Learning rate (the tutorial's epsilon)
    #[arg(long = "lr", default_value_t = 0.01, value_name = "RATE", value_parser = positive)]
    pub learning_rate: f64,
    /// Print (and log) the loss every this many passes
    #[arg(long, default_value_t = 1000, value_name = "K", value_parser = at_least_one)]
    pub print_every: usize,
    /// Write pass,loss,accuracy rows to this CSV (`-`: standard output)
    #[arg(long, value_name = "FILE.csv")]
    pub log: Option<PathBuf>,
}

/// Flags of `demo names`.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Training steps per model (32 names each)
    #[arg(long, default_value_t = 1500, value_parser = at_least_one)]
    pub steps: usize,
    /// Seed of the split, the initial weights, the batches and the samples
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// A names file to use instead of the embedded census lists (the first field of each line)
    #[arg(long, value_name = "FILE")]
    pub names: Option<PathBuf>,
    /// Letters every sampled name starts with (a-z)
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// Where the loss curves and the attention map are written
    #[arg(long, value_name = "DIR", default_value = "out/names")]
    pub figures: PathBuf,
    /// Which models to train or load, comma-separated (bigram, mlp, rnn, gru, transformer)
    #[arg(long, value_delimiter = ',', value_name = "LIST",
          default_value = "bigram,mlp,rnn,gru,transformer", value_parser = names_model)]
    pub models: Vec<String>,
    /// Save each trained model as DIR/MODEL.json (MODEL: bigram, mlp, ...)
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,
    /// Load each model from DIR/MODEL.json (as --save wrote it) instead of training it
    #[arg(long, value_name = "DIR", conflicts_with = "save")]
    pub load: Option<PathBuf>,
}

/// A model name of `demo names --models`.
fn names_model(text: &str) -> Result<String, String> {
    const MODELS: [&str; 5] = ["bigram", "mlp", "rnn", "gru", "transformer"];
    if MODELS.contains(&text) {
        Ok(text.to_string())
    } else {
        Err(format!("{text:?} is not a model: {}", MODELS.join(", ")))
    }
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
    /// The CSV file to write (`-`: standard output)
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
    /// Activation of the hidden layers (also of a plain parameters file given to --init): tanh,
    /// relu, sigmoid, leaky_relu (or leaky_relu:SLOPE), softplus, elu (or elu:ALPHA) or gelu
    /// (tanh approximation)
    #[arg(long, value_name = "NAME")]
    pub activation: Option<nn::Activation>,
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
    /// Start from these weights instead of random ones: a checkpoint, or a plain parameters file
    /// {"W1": [[...]], "b1": [...], "W2": ..., "b2": ...} (weights inputs × outputs)
    #[arg(long, value_name = "CKPT")]
    pub init: Option<PathBuf>,
    /// Shift and scale each feature to mean 0 and standard deviation 1, measured on the training
    /// rows (not the held-out ones); saved in the checkpoint, which `predict` then applies (the
    /// --gif is drawn in standardized coordinates)
    #[arg(long)]
    pub standardize: bool,
    /// Write the trained model to this checkpoint
    #[arg(long, value_name = "CKPT")]
    pub save: Option<PathBuf>,
    /// Report (print and log) the loss every this many passes
    #[arg(long, default_value_t = 1000, value_name = "K", value_parser = at_least_one)]
    pub print_every: usize,
    /// Write pass,loss,accuracy rows (and holdout_loss,holdout_accuracy with --holdout) to this CSV (`-`: standard output, the progress lines then go
    /// to standard error)
    #[arg(long, value_name = "FILE.csv")]
    pub log: Option<PathBuf>,
    /// Draw the trained model's decision boundary (2-feature data only)
    #[arg(long, value_name = "FILE.png")]
    pub plot: Option<PathBuf>,
    /// Animate the decision boundary as it forms (2-feature data only)
    #[arg(long, value_name = "FILE.gif")]
    pub gif: Option<PathBuf>,
    /// Frames of the --gif animation after the first, spaced logarithmically in the pass number
    /// (early passes, where the boundary moves most, get most frames)
    #[arg(long, value_name = "N", default_value_t = 40, requires = "gif",
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub frames: u64,
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
    /// Activation of the hidden layers (as for `train`)
    #[arg(long, value_name = "NAME", default_value_t = nn::Activation::Tanh)]
    pub activation: nn::Activation,
    /// Rows of moons data in the recorded step (values are printed in nodes up to 6 numbers)
    #[arg(long, default_value_t = 2, value_parser = at_least_one)]
    pub rows: usize,
    /// The file to write: `.svg` or `.png` are drawn by the demo itself (no Graphviz needed);
    /// any other name gets DOT (and a PNG beside it when Graphviz's `dot` is installed; `-`:
    /// standard output, not rendered)
    #[arg(long, value_name = "FILE")]
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
    /// L2 regularisation strength on the weights: reg/2·Σ‖W‖² is added to the summed loss (with
    /// --loss mean it is divided by the batch's rows as well, so both losses have the same
    /// minimiser for the same --reg)
    #[arg(long, default_value_t = 0.01, value_parser = non_negative, allow_negative_numbers = true)]
    pub reg: f64,
    /// How the per-point losses are combined for the gradient
    #[arg(long, value_enum, default_value_t = LossArg::Sum)]
    pub loss: LossArg,
    /// Optimiser
    #[arg(long, value_enum, default_value_t = OptimizerArg::Gd)]
    pub optimizer: OptimizerArg,
    /// Learning-rate schedule, from --lr at pass 1 (t: passes done, T: --passes):
    /// constant; step:EVERY or step:EVERY:FACTOR (×FACTOR, default 0.5, every EVERY passes);
    /// exponential:DECAY (×DECAY per pass); inverse-time:DECAY (lr/(1 + DECAY·t), the tutorial's
    /// annealing); cosine or cosine:FLOOR (half a cosine from lr down to FLOOR, default 0, at T)
    #[arg(long, value_name = "SCHEDULE", default_value = "constant", value_parser = parse_schedule)]
    pub schedule: nn::optim::Schedule,
    /// Rows per mini-batch (default: the whole data set)
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub batch_size: Option<usize>,
    /// Number of classes of a new model (default: the largest label plus one, every class having
    /// an example); lets some classes have no example in the data
    #[arg(long, value_name = "N", value_parser = class_count)]
    pub classes: Option<usize>,
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
    /// Write predictions (class and probabilities per row) to this CSV instead of standard output
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
    /// Activation of the hidden layer (as for `train`)
    #[arg(long, value_name = "NAME", default_value_t = nn::Activation::Tanh)]
    pub activation: nn::Activation,
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
    /// Check along this many random directions instead of entry by entry (two loss evaluations
    /// each, whatever the model's size)
    #[arg(long, value_name = "COUNT", value_parser = at_least_one)]
    pub directions: Option<usize>,
    /// Seed of the random directions
    #[arg(long, default_value_t = 0, requires = "directions")]
    pub seed: u64,
    /// A comparison passes when |backward − finite difference| ≤ abs + rel·|finite difference|:
    /// this is rel
    #[arg(long, value_name = "REL", default_value_t = 1e-5, value_parser = non_negative)]
    pub rel_tolerance: f64,
    /// The abs of --rel-tolerance's inequality
    #[arg(long, value_name = "ABS", default_value_t = 1e-6, value_parser = non_negative)]
    pub abs_tolerance: f64,
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

/// A `--schedule` text as the schedule it names, or why it names none.
pub fn parse_schedule(text: &str) -> Result<nn::optim::Schedule, String> {
    use nn::optim::Schedule;
    let mut parts = text.split(':');
    let name = parts.next().unwrap_or_default();
    let numbers: Vec<&str> = parts.collect();
    let number = |index: usize, what: &str| -> Result<Option<f64>, String> {
        numbers
            .get(index)
            .map(|text| {
                finite(text).map_err(|_| format!("{name}'s {what} {text:?} is not a finite number"))
            })
            .transpose()
    };
    let required = |value: Option<f64>, what: &str| {
        value.ok_or_else(|| format!("{name} needs its {what}, as in {name}:{what}"))
    };
    let (parsed, most) = match name {
        "constant" => (Schedule::Constant, 0),
        "step" => {
            let every = match numbers.first() {
                Some(text) => {
                    at_least_one(text).map_err(|reason| format!("step's EVERY {reason}"))?
                }
                None => {
                    return Err(
                        "step needs its EVERY, as in step:1000 or step:1000:0.5".to_string()
                    );
                }
            };
            let factor = number(1, "FACTOR")?.unwrap_or(0.5);
            (Schedule::Step { every, factor }, 2)
        }
        "exponential" => {
            let decay = required(number(0, "DECAY")?, "DECAY")?;
            (Schedule::Exponential { decay }, 1)
        }
        "inverse-time" => {
            let decay = required(number(0, "DECAY")?, "DECAY")?;
            (Schedule::InverseTime { decay }, 1)
        }
        "cosine" => {
            let floor = number(0, "FLOOR")?.unwrap_or(0.0);
            (Schedule::Cosine { floor }, 1)
        }
        other => {
            return Err(format!(
                "unknown schedule {other:?} (constant, step:EVERY[:FACTOR], exponential:DECAY, inverse-time:DECAY, cosine[:FLOOR])"
            ));
        }
    };
    if numbers.len() > most {
        return Err(format!(
            "{name} takes at most {most} number(s) after its name"
        ));
    }
    match parsed.invalid() {
        Some(reason) => Err(reason),
        None => Ok(parsed),
    }
}

fn class_count(text: &str) -> Result<usize, String> {
    let most = crate::data::MAX_LABEL + 1;
    match text.parse::<usize>() {
        Ok(count) if (2..=most).contains(&count) => Ok(count),
        _ => Err(format!("must be a whole number from 2 to {most}")),
    }
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
            ErrorKind::MissingRequiredArgument => {
                output::warn(format_args!(
                    "error: missing {} (see --help)",
                    missing_arguments(&error)
                ));
                ExitCode::from(2)
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
                output::warn(format_args!("{first_line}{choices} (see --help)"));
                ExitCode::from(2)
            }
        }
    })
}

/// The required arguments clap found missing, as `--data <FILE.csv>, --out <FILE.csv>`.
///
/// Clap renders them on the lines after its first, which the one-line rendering above would cut.
fn missing_arguments(error: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::Strings(names)) => names.join(", "),
        Some(ContextValue::String(name)) => name.clone(),
        _ => "a required argument".to_string(),
    }
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
    fn schedules_parse_with_their_parameters_and_defaults() {
        use nn::optim::Schedule;
        assert_eq!(parse_schedule("constant").unwrap(), Schedule::Constant);
        assert_eq!(
            parse_schedule("step:100").unwrap(),
            Schedule::Step {
                every: 100,
                factor: 0.5
            }
        );
        assert_eq!(
            parse_schedule("step:10:0.1").unwrap(),
            Schedule::Step {
                every: 10,
                factor: 0.1
            }
        );
        assert_eq!(
            parse_schedule("exponential:0.999").unwrap(),
            Schedule::Exponential { decay: 0.999 }
        );
        assert_eq!(
            parse_schedule("inverse-time:0.001").unwrap(),
            Schedule::InverseTime { decay: 0.001 }
        );
        assert_eq!(
            parse_schedule("cosine").unwrap(),
            Schedule::Cosine { floor: 0.0 }
        );
        assert!(parse_schedule("exponential").unwrap_err().contains("DECAY"));
        assert!(parse_schedule("step:0").unwrap_err().contains("at least 1"));
        assert!(
            parse_schedule("cosine:-1")
                .unwrap_err()
                .contains("floor -1")
        );
        assert!(
            parse_schedule("linear")
                .unwrap_err()
                .contains("unknown schedule")
        );
        assert!(
            parse_schedule("constant:3")
                .unwrap_err()
                .contains("at most 0")
        );
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
    fn a_missing_required_flag_is_named() {
        let error = Cli::try_parse_from(["demo", "train"]).unwrap_err();
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        assert_eq!(missing_arguments(&error), "--data <FILE.csv>");
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
