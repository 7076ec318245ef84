//! `Session`: one playground run: its data, its network, and the training loop between passes.

use autograd::Tensor;
use clap::Parser;
use nn::train::{PassHook, Trainer};
use serde_json::{Value, json};

use super::config::{DataKind, RunConfig};
use super::frame::{BOUNDARY_RES, Boundary, BoundaryGrid, Frame, number};
use super::upload;
use crate::budget;
use crate::cli::{Cli, Command, TrainArgs};
use crate::commands::network::Network;
use crate::commands::training;
use crate::data::LabeledData;
use crate::{moons, shapes};

/// The name the reproducing command gives the session's data file.
pub const DATA_FILE: &str = "playground.csv";

/// A run the page drives: the data, the network and its initial weights, and the training
/// loop's state, configured by parsing the `demo train` command it shows.
pub struct Session {
    config: RunConfig,
    arguments: Vec<String>,
    data: LabeledData,
    held_out: Vec<usize>,
    train_config: nn::TrainConfig,
    initial: Network,
    model: Network,
    trainer: Trainer,
    /// The grid the boundary is drawn on: the data's extent, which never changes.
    grid: BoundaryGrid,
}

/// Why a session could not do what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionError {
    /// The configuration or the data cannot be trained (a 400).
    Invalid(String),
    /// The run has reached its last pass (a 409).
    Finished(usize),
    /// Training gave a loss that is not finite (a 422); the model keeps its last finite weights.
    Diverged(String),
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionError::Invalid(reason) | SessionError::Diverged(reason) => f.write_str(reason),
            SessionError::Finished(passes) => write!(
                f,
                "the run is complete after its {passes} passes; reset it, or start a session \
                 with more \"passes\""
            ),
        }
    }
}

/// The training loop's hook: nothing to do around a pass.
struct Quiet;

impl PassHook<Network> for Quiet {}

/// The data a configuration describes: generated from its seed, or the uploaded text.
fn make_data(config: &RunConfig) -> Result<LabeledData, SessionError> {
    let data = &config.data;
    Ok(match data.kind {
        DataKind::Moons => moons::make_moons(data.n, data.noise, data.seed),
        DataKind::Circles => shapes::circles(data.n, data.noise, data.seed),
        DataKind::Spirals => shapes::spirals(data.n, data.noise, data.seed),
        DataKind::Blobs => shapes::blobs(data.n, data.classes, data.noise, data.seed),
        DataKind::Xor => shapes::xor(data.n, data.noise, data.seed),
        DataKind::Csv => {
            let text = data.csv.as_deref().unwrap_or_default();
            let points = upload::parse(text).map_err(SessionError::Invalid)?;
            if points.labels.len() > super::config::MAX_POINTS {
                return Err(SessionError::Invalid(format!(
                    "the upload has {} rows, more than the {} allowed",
                    points.labels.len(),
                    super::config::MAX_POINTS
                )));
            }
            points
        }
    })
}

impl Session {
    /// A new run of `config`, at pass 0.
    pub fn new(config: RunConfig) -> Result<Session, SessionError> {
        let data = make_data(&config)?;
        let arguments = config.train_arguments(DATA_FILE);
        let args = train_args(&arguments)?;
        let invalid = |error: crate::error::Error| SessionError::Invalid(error.to_string());
        let classes = crate::classes::class_count(
            &data,
            std::path::Path::new(DATA_FILE),
            args.training.classes,
        )
        .map_err(invalid)?;
        let hidden = args.hidden.as_ref().map_or(&[3][..], |h| &h.0[..]);
        let activation = args.activation.unwrap_or_default();
        let model = Network::Mlp(
            training::new_model(2, hidden, classes, activation, args.training.seed)
                .map_err(invalid)?,
        );
        let train_config = training::config(&args.training, args.holdout, args.print_every);
        if let Network::Mlp(mlp) = &model {
            training::check_training_memory(&[mlp.sizes()], data.labels.len(), &train_config)
                .map_err(invalid)?;
        }
        let dataset = data.to_dataset();
        let held_out = args
            .holdout
            .and_then(|fraction| dataset.holdout_rows(fraction, train_config.seed))
            .unwrap_or_default();
        let trainer = Trainer::new(&model, &dataset, &train_config)
            .map_err(|error| SessionError::Invalid(error.to_string()))?;
        let (x, y) = crate::plot::data_extent(&data);
        let grid = BoundaryGrid::new(x, y, BOUNDARY_RES);
        Ok(Session {
            config,
            arguments,
            data,
            held_out,
            train_config,
            initial: model.clone(),
            model,
            trainer,
            grid,
        })
    }

    /// The configuration, normalised.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// The network as it is now.
    pub fn model(&self) -> &Network {
        &self.model
    }

    /// The data, every row, in the order generated or uploaded.
    pub fn data(&self) -> &LabeledData {
        &self.data
    }

    /// The rows held out from training.
    pub fn held_out(&self) -> &[usize] {
        &self.held_out
    }

    /// The training configuration `demo train` would use.
    pub fn train_config(&self) -> &nn::TrainConfig {
        &self.train_config
    }

    /// The passes completed.
    pub fn pass(&self) -> usize {
        self.trainer.passes_done()
    }

    /// Whether the run has had all its passes.
    pub fn finished(&self) -> bool {
        self.pass() >= self.train_config.passes
    }

    /// The bytes a session of `config` holds while it trains (data, parameters, the training
    /// loop's tape), for the store's memory bound.
    pub fn memory_estimate(&self) -> u128 {
        let mut sizes = vec![2];
        sizes.extend(&self.config.hidden);
        sizes.push(nn::Model::classes(&self.model));
        let rows = self.data.labels.len();
        let batch_rows = self
            .train_config
            .batch_size
            .map_or(rows, |size| size.min(rows));
        // The training loop and a second evaluation (a boundary, a tape view) at once.
        2 * budget::training_bytes(&sizes, rows, batch_rows)
    }

    /// The `demo train` command line of the run, on the data file [`DATA_FILE`].
    pub fn train_command(&self) -> String {
        self.arguments.join(" ")
    }

    /// Up to `passes` more passes (fewer when the run ends first), then the frame.
    pub fn step(&mut self, passes: usize) -> Result<Frame, SessionError> {
        if self.finished() {
            return Err(SessionError::Finished(self.train_config.passes));
        }
        let passes = passes.min(self.train_config.passes - self.pass());
        for _ in 0..passes {
            self.trainer
                .pass(&mut self.model, &mut Quiet)
                .map_err(|error| SessionError::Diverged(format!("training stopped: {error}")))?;
        }
        self.frame()
    }

    /// Back to pass 0 with the same initial weights.
    pub fn reset(&mut self) -> Result<Frame, SessionError> {
        self.model = self.initial.clone();
        self.trainer = Trainer::new(&self.model, &self.data.to_dataset(), &self.train_config)
            .map_err(|error| SessionError::Invalid(error.to_string()))?;
        self.frame()
    }

    /// The training loop's report on the network as it is now: the pass, losses and accuracies.
    fn progress(&mut self) -> Result<nn::train::Progress, SessionError> {
        self.trainer
            .report(&mut self.model)
            .map_err(|error| SessionError::Diverged(format!("training stopped: {error}")))
    }

    /// The losses, accuracies and boundary of the network as it is now.
    pub fn frame(&mut self) -> Result<Frame, SessionError> {
        let progress = self.progress()?;
        let config = &self.train_config;
        let lr = config.schedule.rate(
            config.learning_rate,
            progress.pass.saturating_sub(1),
            config.passes,
        );
        Ok(Frame {
            pass: progress.pass,
            loss: progress.loss,
            accuracy: progress.train_accuracy,
            holdout_loss: progress.holdout_loss,
            holdout_accuracy: progress.holdout_accuracy,
            lr,
            boundary: Boundary::of(&self.model, &self.grid),
        })
    }

    /// The points as `[x, y, label]` rows: those trained on, and those held out.
    pub fn points_json(&self) -> (Value, Value) {
        let mut is_held_out = vec![false; self.data.labels.len()];
        for &row in &self.held_out {
            is_held_out[row] = true;
        }
        let (mut train, mut holdout) = (Vec::new(), Vec::new());
        for (row, &label) in self.data.labels.iter().enumerate() {
            let point = self.data.features.row(row);
            let entry = json!([number(point[0]), number(point[1]), label]);
            if is_held_out[row] {
                holdout.push(entry);
            } else {
                train.push(entry);
            }
        }
        (Value::Array(train), Value::Array(holdout))
    }

    /// The training rows (the held-out ones left out), as the training loop sees them.
    pub fn training_rows(&self) -> nn::Dataset {
        self.trainer.train_set().clone()
    }

    /// The decision boundary as `demo train --plot` draws it, as PNG bytes.
    pub fn boundary_png(&mut self) -> crate::error::Result<Vec<u8>> {
        let progress = self.progress().map_err(|error| crate::error::Error::Plot {
            path: "boundary.png".into(),
            reason: error.to_string(),
        })?;
        let accuracies =
            training::accuracy_caption(progress.train_accuracy, progress.holdout_accuracy);
        let title = format!("pass {}, {accuracies}", progress.pass);
        let classify = |points: &Tensor| self.model.predict(points);
        crate::plot::boundary_png(&self.data, &classify, &title, &self.held_out)
    }
}

/// The reproducing commands: fetch the data from `data_url`, then train on it with
/// `train_command` (a session's [`Session::train_command`]).
pub fn reproducing_command(data_url: &str, train_command: &str) -> String {
    format!("curl -o {DATA_FILE} {data_url}\n{train_command}")
}

/// The `demo train` flags of `arguments`, parsed by the command line's own parser.
fn train_args(arguments: &[String]) -> Result<TrainArgs, SessionError> {
    let cli = Cli::try_parse_from(arguments).map_err(|error| {
        SessionError::Invalid(format!(
            "the run's command line does not parse: {}",
            error.to_string().lines().next().unwrap_or_default()
        ))
    })?;
    match cli.command {
        Some(Command::Train(args)) => Ok(args),
        _ => Err(SessionError::Invalid(
            "the run's command line is not a train command".to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(json: &str) -> Session {
        Session::new(RunConfig::from_json(&serde_json::from_str(json).unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn steps_lower_the_loss_and_reset_returns_to_the_first_frame() {
        let mut session = session(r#"{"passes": 100}"#);
        let first = session.frame().unwrap();
        assert_eq!(first.pass, 0);
        let later = session.step(50).unwrap();
        assert_eq!(later.pass, 50);
        assert!(later.loss < first.loss);
        assert_eq!(session.reset().unwrap(), first);
    }

    #[test]
    fn a_run_stops_at_its_last_pass() {
        let mut session = session(r#"{"passes": 5}"#);
        assert_eq!(session.step(1000).unwrap().pass, 5);
        assert_eq!(session.step(1), Err(SessionError::Finished(5)));
    }

    #[test]
    fn held_out_rows_are_those_the_training_loop_leaves_out() {
        let session = session(r#"{"holdout": 0.25, "data": {"n": 100}}"#);
        let (train, holdout) = session.points_json();
        assert_eq!(
            (
                train.as_array().unwrap().len(),
                holdout.as_array().unwrap().len()
            ),
            (75, 25)
        );
        assert_eq!(session.training_rows().len(), 75);
    }

    #[test]
    fn a_bad_upload_is_refused_with_its_line() {
        let config = RunConfig::from_json(
            &serde_json::json!({"data": {"kind": "csv", "csv": "x,y,label\n0,0,0\n1,one,1\n"}}),
        )
        .unwrap();
        let Err(SessionError::Invalid(message)) = Session::new(config) else {
            panic!("the upload was accepted")
        };
        assert!(message.contains("upload.csv:3:2"), "{message}");
    }
}
