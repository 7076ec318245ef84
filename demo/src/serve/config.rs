//! `RunConfig`: what a playground session trains, read from the page's JSON with its limits, and
//! written back as JSON and as the `demo train` command line that reproduces it.

use serde_json::{Map, Value, json};

/// The most points a generated or uploaded data set may have.
pub const MAX_POINTS: usize = 5000;
/// The most hidden layers a session's network may have.
pub const MAX_HIDDEN_LAYERS: usize = 4;
/// The widest hidden layer a session's network may have.
pub const MAX_WIDTH: usize = 256;
/// The largest uploaded CSV text, in bytes.
pub const MAX_CSV_BYTES: usize = 1 << 20;
/// The largest noise a generator accepts (beyond it every data set is a cloud).
pub const MAX_NOISE: f64 = 10.0;
/// The longest run a session may be configured for.
pub const MAX_PASSES: usize = 1_000_000;

/// Where a session's points come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    /// Two interleaving half circles (the tutorial's).
    Moons,
    /// Two concentric circles.
    Circles,
    /// Two interleaved spirals.
    Spirals,
    /// Two to four Gaussian blobs.
    Blobs,
    /// The four quadrants, labelled by exclusive or.
    Xor,
    /// Points the page uploaded as CSV text.
    Csv,
}

impl DataKind {
    const ALL: [DataKind; 6] = [
        DataKind::Moons,
        DataKind::Circles,
        DataKind::Spirals,
        DataKind::Blobs,
        DataKind::Xor,
        DataKind::Csv,
    ];

    /// The name in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            DataKind::Moons => "moons",
            DataKind::Circles => "circles",
            DataKind::Spirals => "spirals",
            DataKind::Blobs => "blobs",
            DataKind::Xor => "xor",
            DataKind::Csv => "csv",
        }
    }
}

/// The data part of a [`RunConfig`].
#[derive(Clone, Debug, PartialEq)]
pub struct DataConfig {
    /// The generator, or an upload.
    pub kind: DataKind,
    /// Points to generate.
    pub n: usize,
    /// The generator's noise (a standard deviation).
    pub noise: f64,
    /// Classes of the blobs (2 to 4).
    pub classes: usize,
    /// The generator's seed.
    pub seed: u64,
    /// The uploaded text (kind csv only).
    pub csv: Option<String>,
}

/// Everything a session trains with; every field defaults to the tutorial's run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunConfig {
    /// The data set.
    pub data: DataConfig,
    /// Hidden layer widths (none: logistic regression).
    pub hidden: Vec<usize>,
    /// The hidden layers' activation, as `demo train --activation` writes it.
    pub activation: nn::Activation,
    /// `sum` or `mean`, as `--loss`.
    pub loss: &'static str,
    /// `sgd`, `momentum` or `adam`.
    pub optimizer: &'static str,
    /// The base learning rate.
    pub lr: f64,
    /// The schedule in `--schedule` syntax.
    pub schedule: String,
    /// Rows per mini-batch, 0 for full batch.
    pub batch: usize,
    /// The L2 strength.
    pub reg: f64,
    /// The fraction of rows held out, 0 for none.
    pub holdout: f64,
    /// The seed of the weights, the held-out split and the shuffles.
    pub seed: u64,
    /// The run's length: the schedule's horizon and the most passes the session trains.
    pub passes: usize,
}

impl Default for RunConfig {
    fn default() -> RunConfig {
        RunConfig {
            data: DataConfig {
                kind: DataKind::Moons,
                n: 200,
                noise: 0.2,
                classes: 2,
                seed: 0,
                csv: None,
            },
            hidden: vec![3],
            activation: nn::Activation::Tanh,
            loss: "sum",
            optimizer: "sgd",
            lr: 0.01,
            schedule: "constant".to_string(),
            batch: 0,
            reg: 0.01,
            holdout: 0.2,
            seed: 0,
            passes: 20000,
        }
    }
}

/// Reads one JSON object's fields, each once, refusing any it does not know.
struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: &'static str,
}

impl<'a> Fields<'a> {
    fn new(value: &'a Value, prefix: &'static str, what: &str) -> Result<Fields<'a>, String> {
        match value {
            Value::Object(object) => Ok(Fields { object, prefix }),
            other => Err(format!(
                "{what} must be a JSON object, not {}",
                kind_of(other)
            )),
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Refuses any field not in `known`.
    fn only(&self, known: &[&str]) -> Result<(), String> {
        match self
            .object
            .keys()
            .find(|key| !known.contains(&key.as_str()))
        {
            Some(key) => Err(format!(
                "unknown field \"{}\" (known: {})",
                self.name(key),
                known.join(", ")
            )),
            None => Ok(()),
        }
    }

    fn number(&self, key: &str) -> Result<Option<f64>, String> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(number)) => match number.as_f64() {
                Some(value) if value.is_finite() => Ok(Some(value)),
                _ => Err(format!(
                    "{} {number} is not a finite number",
                    self.name(key)
                )),
            },
            Some(other) => Err(format!(
                "{} must be a number, not {}",
                self.name(key),
                describe(other)
            )),
        }
    }

    fn count(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<u64>,
    ) -> Result<Option<u64>, String> {
        let Some(value) = self.number(key)? else {
            return Ok(None);
        };
        if value.fract() != 0.0 || value < *range.start() as f64 || value > *range.end() as f64 {
            return Err(format!(
                "{} {value} is not a whole number from {} to {}",
                self.name(key),
                range.start(),
                range.end()
            ));
        }
        Ok(Some(value as u64))
    }

    fn text(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(format!(
                "{} must be a string, not {}",
                self.name(key),
                describe(other)
            )),
        }
    }

    fn choice<T: Copy>(
        &self,
        key: &str,
        choices: &[(&'static str, T)],
    ) -> Result<Option<T>, String> {
        let Some(text) = self.text(key)? else {
            return Ok(None);
        };
        match choices.iter().find(|(name, _)| *name == text) {
            Some((_, value)) => Ok(Some(*value)),
            None => {
                let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
                Err(format!(
                    "{} \"{text}\" is not one of {}",
                    self.name(key),
                    names.join(", ")
                ))
            }
        }
    }
}

/// A JSON value in a few words, for messages.
fn describe(value: &Value) -> String {
    match value {
        Value::String(text) if text.len() <= 40 => format!("the string \"{text}\""),
        other => kind_of(other).to_string(),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl RunConfig {
    /// Reads a run configuration from the page's JSON, every field optional; a clear one-line
    /// message for any field out of its range or of the wrong type.
    pub fn from_json(value: &Value) -> Result<RunConfig, String> {
        let defaults = RunConfig::default();
        let fields = Fields::new(value, "", "the run configuration")?;
        fields.only(&[
            "data",
            "hidden",
            "activation",
            "loss",
            "optimizer",
            "lr",
            "schedule",
            "batch",
            "reg",
            "holdout",
            "seed",
            "passes",
        ])?;
        let data = match fields.object.get("data") {
            None | Some(Value::Null) => defaults.data,
            Some(data) => data_config(data, defaults.data)?,
        };
        let hidden = match fields.object.get("hidden") {
            None | Some(Value::Null) => defaults.hidden,
            Some(value) => hidden_layers(value)?,
        };
        let activation = match fields.text("activation")? {
            None => defaults.activation,
            Some(name) => name.parse().map_err(|_| {
                format!(
                    "activation \"{name}\" is not one of {}",
                    nn::Activation::ALL.map(|a| a.name()).join(", ")
                )
            })?,
        };
        let loss = fields
            .choice("loss", &[("sum", "sum"), ("mean", "mean")])?
            .unwrap_or(defaults.loss);
        let optimizer = fields
            .choice(
                "optimizer",
                &[("sgd", "sgd"), ("momentum", "momentum"), ("adam", "adam")],
            )?
            .unwrap_or(defaults.optimizer);
        let lr = fields.number("lr")?.unwrap_or(defaults.lr);
        if lr <= 0.0 {
            return Err(format!("lr {lr} is not a positive number"));
        }
        let schedule = match fields.text("schedule")? {
            None => defaults.schedule,
            Some(text) => {
                crate::cli::parse_schedule(text).map_err(|reason| format!("schedule: {reason}"))?;
                text.to_string()
            }
        };
        let batch = fields
            .count("batch", 0..=MAX_POINTS as u64)?
            .map_or(defaults.batch, |batch| batch as usize);
        let reg = fields.number("reg")?.unwrap_or(defaults.reg);
        if reg < 0.0 {
            return Err(format!("reg {reg} is negative"));
        }
        let holdout = fields.number("holdout")?.unwrap_or(defaults.holdout);
        if !(0.0..=0.9).contains(&holdout) {
            return Err(format!("holdout {holdout} is not between 0 and 0.9"));
        }
        let seed = fields
            .count("seed", 0..=u64::MAX >> 11)?
            .unwrap_or(defaults.seed);
        let passes = fields
            .count("passes", 1..=MAX_PASSES as u64)?
            .map_or(defaults.passes, |passes| passes as usize);
        Ok(RunConfig {
            data,
            hidden,
            activation,
            loss,
            optimizer,
            lr,
            schedule,
            batch,
            reg,
            holdout,
            seed,
            passes,
        })
    }

    /// The configuration as JSON with every field present (the uploaded text left out: the
    /// session's points are sent beside it).
    pub fn to_json(&self) -> Value {
        json!({
            "data": {
                "kind": self.data.kind.name(),
                "n": self.data.n,
                "noise": self.data.noise,
                "classes": self.data.classes,
                "seed": self.data.seed,
            },
            "hidden": self.hidden,
            "activation": self.activation.to_string(),
            "loss": self.loss,
            "optimizer": self.optimizer,
            "lr": self.lr,
            "schedule": self.schedule,
            "batch": self.batch,
            "reg": self.reg,
            "holdout": self.holdout,
            "seed": self.seed,
            "passes": self.passes,
        })
    }

    /// The arguments of the `demo train` run that trains this configuration on the data in
    /// `data_file` (the program's name first): the session is configured by parsing exactly
    /// these, so the command it shows is the one it runs.
    pub fn train_arguments(&self, data_file: &str) -> Vec<String> {
        let hidden = if self.hidden.is_empty() {
            "0".to_string()
        } else {
            let widths: Vec<String> = self.hidden.iter().map(usize::to_string).collect();
            widths.join(",")
        };
        let mut arguments = vec![
            "demo".to_string(),
            "train".to_string(),
            "--data".to_string(),
            data_file.to_string(),
            "--hidden".to_string(),
            hidden,
        ];
        if !self.hidden.is_empty() {
            arguments.extend(["--activation".to_string(), self.activation.to_string()]);
        }
        let optimizer = match self.optimizer {
            "sgd" => "gd",
            other => other,
        };
        arguments.extend([
            "--loss".to_string(),
            self.loss.to_string(),
            "--optimizer".to_string(),
            optimizer.to_string(),
            "--lr".to_string(),
            crate::data::exact(self.lr),
            "--schedule".to_string(),
            self.schedule.clone(),
            "--reg".to_string(),
            crate::data::exact(self.reg),
            "--seed".to_string(),
            self.seed.to_string(),
            "--passes".to_string(),
            self.passes.to_string(),
        ]);
        if self.batch > 0 {
            arguments.extend(["--batch-size".to_string(), self.batch.to_string()]);
        }
        if self.holdout > 0.0 {
            arguments.extend(["--holdout".to_string(), crate::data::exact(self.holdout)]);
        }
        arguments
    }
}

/// The `data` object, over `defaults`.
fn data_config(value: &Value, defaults: DataConfig) -> Result<DataConfig, String> {
    let fields = Fields::new(value, "data.", "data")?;
    fields.only(&["kind", "n", "noise", "classes", "seed", "csv"])?;
    let kinds: Vec<(&'static str, DataKind)> = DataKind::ALL
        .iter()
        .map(|kind| (kind.name(), *kind))
        .collect();
    let kind = fields.choice("kind", &kinds)?.unwrap_or(defaults.kind);
    let n = fields
        .count("n", 4..=MAX_POINTS as u64)?
        .map_or(defaults.n, |n| n as usize);
    let noise = fields.number("noise")?.unwrap_or(defaults.noise);
    if !(0.0..=MAX_NOISE).contains(&noise) {
        return Err(format!(
            "data.noise {noise} is not between 0 and {MAX_NOISE}"
        ));
    }
    let classes = fields
        .count("classes", 2..=4)?
        .map_or(defaults.classes, |classes| classes as usize);
    let seed = fields
        .count("seed", 0..=u64::MAX >> 11)?
        .unwrap_or(defaults.seed);
    let csv = fields.text("csv")?;
    let csv = match (kind, csv) {
        (DataKind::Csv, None) => return Err("data.kind \"csv\" needs the text in data.csv".into()),
        (DataKind::Csv, Some(text)) if text.len() > MAX_CSV_BYTES => {
            return Err(format!(
                "data.csv holds {} bytes, more than the {} allowed",
                text.len(),
                MAX_CSV_BYTES
            ));
        }
        (DataKind::Csv, Some(text)) => Some(text.to_string()),
        (_, Some(_)) => {
            return Err(format!(
                "data.csv is only read with data.kind \"csv\", not \"{}\"",
                kind.name()
            ));
        }
        (_, None) => None,
    };
    Ok(DataConfig {
        kind,
        n,
        noise,
        classes,
        seed,
        csv,
    })
}

/// The `hidden` array: at most [`MAX_HIDDEN_LAYERS`] widths of 1 to [`MAX_WIDTH`].
fn hidden_layers(value: &Value) -> Result<Vec<usize>, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "hidden must be an array of layer widths, not {}",
            describe(value)
        ));
    };
    if items.len() > MAX_HIDDEN_LAYERS {
        return Err(format!(
            "hidden has {} layers, more than the {MAX_HIDDEN_LAYERS} allowed",
            items.len()
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(layer, item)| match item.as_f64() {
            Some(width) if width.fract() == 0.0 && (1.0..=MAX_WIDTH as f64).contains(&width) => {
                Ok(width as usize)
            }
            _ => Err(format!(
                "hidden[{layer}] {item} is not a width from 1 to {MAX_WIDTH}"
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RunConfig, String> {
        RunConfig::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn an_empty_object_is_the_tutorials_run() {
        assert_eq!(parse("{}").unwrap(), RunConfig::default());
    }

    #[test]
    fn the_normalised_json_reads_back_as_the_same_configuration() {
        let config = parse(
            r#"{"data": {"kind": "blobs", "classes": 3, "n": 300}, "hidden": [8, 4],
                "activation": "relu", "optimizer": "adam", "lr": 0.005, "batch": 32,
                "schedule": "step:100:0.5", "holdout": 0, "passes": 500}"#,
        )
        .unwrap();
        assert_eq!(RunConfig::from_json(&config.to_json()).unwrap(), config);
    }

    #[test]
    fn values_out_of_range_are_refused_with_the_field_named() {
        let message = |text: &str| parse(text).unwrap_err();
        assert!(message(r#"{"hidden": [1000000000]}"#).contains("hidden[0]"));
        assert!(message(r#"{"hidden": [3, 3, 3, 3, 3]}"#).contains("5 layers"));
        assert!(message(r#"{"lr": "NaN"}"#).contains("lr must be a number"));
        assert!(message(r#"{"lr": 0}"#).contains("lr 0"));
        assert!(message(r#"{"reg": -1}"#).contains("reg -1"));
        assert!(message(r#"{"holdout": 0.95}"#).contains("holdout"));
        assert!(message(r#"{"data": {"kind": "rings"}}"#).contains("\"rings\""));
        assert!(message(r#"{"data": {"n": 5001}}"#).contains("data.n"));
        assert!(message(r#"{"data": {"kind": "csv"}}"#).contains("data.csv"));
        assert!(message(r#"{"activation": "swish"}"#).contains("swish"));
        assert!(message(r#"{"schedule": "step:0"}"#).contains("schedule"));
        assert!(message(r#"{"widths": [3]}"#).contains("unknown field \"widths\""));
        assert!(message(r#"[1, 2]"#).contains("JSON object"));
    }

    #[test]
    fn the_command_line_names_every_choice() {
        let config = parse(r#"{"optimizer": "sgd", "batch": 16, "holdout": 0.25}"#).unwrap();
        let line = config.train_arguments("data.csv").join(" ");
        assert_eq!(
            line,
            "demo train --data data.csv --hidden 3 --activation tanh --loss sum --optimizer gd \
             --lr 0.01 --schedule constant --reg 0.01 --seed 0 --passes 20000 --batch-size 16 \
             --holdout 0.25"
        );
    }
}
