//! `demo names`: five character-level language models trained on first names and compared.

pub mod data;
pub mod models;

use std::path::{Path, PathBuf};
use std::time::Instant;

use autograd::{Tape, Tensor};
use nn::Params;
use nn::optim::{Adam, Optimizer, clip_global_norm};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::cli::NamesArgs;
use crate::error::{Error, Result};
use crate::plot;
use data::{Batch, STEPS};
use models::Model;

/// Names per training step.
const BATCH: usize = 32;
/// Training losses averaged per point of the curves.
const CURVE_EVERY: usize = 25;
/// Gradients are clipped to this global norm.
const MAX_NORM: f64 = 1.0;

/// One trained model's results.
struct Trained {
    params: Params,
    curve: Vec<(f64, f64)>,
    train_loss: f64,
    validation_loss: f64,
    /// Training time; `None` for a model loaded with `--load`.
    seconds: Option<f64>,
}

/// Trains every model, prints the table and samples, and draws the figures.
pub fn run(args: &NamesArgs) -> Result<()> {
    let prefix = check_prefix(&args.prefix)?;
    let names = match &args.names {
        Some(path) => data::names_from_file(path)?,
        None => data::census_names(),
    };
    if names.len() < 2 {
        return Err(Error::InvalidFlag {
            flag: "--names",
            reason: "needs at least two names (one to train on, one to validate)".into(),
        });
    }
    let (train, validation) = data::split(names, args.seed);
    println!(
        "{} names: {} to train on, {} to validate; {} steps of {BATCH} names per model",
        train.len() + validation.len(),
        train.len(),
        validation.len(),
        args.steps
    );
    std::fs::create_dir_all(&args.figures).map_err(|source| Error::Write {
        path: args.figures.clone(),
        source,
    })?;
    println!(
        "{:<12} {:>8} {:>11} {:>11} {:>8}",
        "model", "params", "train/char", "valid/char", "seconds"
    );
    let mut results = Vec::new();
    let chosen = Model::all()
        .into_iter()
        .filter(|model| args.models.iter().any(|name| name == model.name()));
    for model in chosen {
        let trained = match &args.load {
            Some(dir) => load_model(&model, dir, &train, &validation)?,
            None => train_model(&model, &train, &validation, args),
        };
        if let Some(dir) = &args.save {
            save_model(&model, &trained.params, dir)?;
        }
        let seconds = match trained.seconds {
            Some(seconds) => format!("{seconds:.2}"),
            None => "loaded".to_string(),
        };
        println!(
            "{:<12} {:>8} {:>11.4} {:>11.4} {:>8}",
            model.name(),
            trained.params.numel(),
            trained.train_loss,
            trained.validation_loss,
            seconds
        );
        results.push((model, trained));
    }
    for (model, trained) in &results {
        let mut rng = StdRng::seed_from_u64(args.seed);
        let samples: Vec<String> = (0..20)
            .map(|_| sample(model, &trained.params, &prefix, &mut rng))
            .collect();
        println!("{:<12} {}", model.name(), samples.join(" "));
    }
    let mut figures = Vec::new();
    let curves: Vec<(&str, &[(f64, f64)])> = results
        .iter()
        .filter(|(_, t)| !t.curve.is_empty())
        .map(|(m, t)| (m.name(), t.curve.as_slice()))
        .collect();
    if !curves.is_empty() {
        let curve_path = args.figures.join("names_loss.png");
        plot::names::loss_curves(&curve_path, &curves)?;
        figures.push(curve_path);
    }
    let transformer = results
        .iter()
        .find(|(model, _)| matches!(model, Model::Transformer(_)));
    if let Some((model, trained)) = transformer {
        let word = validation
            .iter()
            .max_by_key(|n| n.len())
            .expect("validation names");
        let map_path = args.figures.join("names_attention.png");
        let (letters, weights) = attention_map(model, &trained.params, word);
        plot::names::attention_map(&map_path, &letters, &weights)?;
        figures.push(map_path);
    }
    if !figures.is_empty() {
        let shown: Vec<String> = figures.iter().map(|p| p.display().to_string()).collect();
        println!("figures: {}", shown.join(" and "));
    }
    Ok(())
}

/// Where `--save` and `--load` keep `model` in `dir`.
fn checkpoint_path(model: &Model, dir: &Path) -> PathBuf {
    dir.join(format!("{}.json", model.name()))
}

/// Writes the trained `params` of `model` to `dir/<model>.json`, atomically.
fn save_model(model: &Model, params: &Params, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = checkpoint_path(model, dir);
    nn::checkpoint::save_named(&model.description(), params, &path)
        .map_err(|source| Error::Checkpoint { path, source })
}

/// `model` with the parameters in `dir/<model>.json`, measured on both splits; a checkpoint of
/// any other model (another kind, other sizes) is refused with one line.
fn load_model(
    model: &Model,
    dir: &Path,
    train: &[String],
    validation: &[String],
) -> Result<Trained> {
    let path = checkpoint_path(model, dir);
    // A fresh initialisation gives the parameter names and shapes the file must hold.
    let like = model.init(&mut StdRng::seed_from_u64(0));
    let params = nn::checkpoint::load_named(&path, &model.description(), &like)
        .map_err(|source| Error::Checkpoint { path, source })?;
    Ok(Trained {
        train_loss: mean_loss(model, &params, train),
        validation_loss: mean_loss(model, &params, validation),
        params,
        curve: Vec::new(),
        seconds: None,
    })
}

/// The prefix's tokens, or one line naming the problem (a character outside `a`–`z`, or a
/// prefix that leaves the models no room to write).
fn check_prefix(prefix: &str) -> Result<Vec<usize>> {
    let bad = |reason: String| Error::InvalidFlag {
        flag: "--prefix",
        reason,
    };
    let tokens = prefix
        .chars()
        .map(|c| {
            data::token(c)
                .ok_or_else(|| bad(format!("{c:?} is not in the vocabulary (lowercase a-z)")))
        })
        .collect::<Result<Vec<usize>>>()?;
    if tokens.len() >= data::MAX_LETTERS {
        return Err(bad(format!(
            "{} letters leave no room: the models' context is {} letters",
            tokens.len(),
            data::MAX_LETTERS
        )));
    }
    Ok(tokens)
}

/// The mean loss per character of `params` on `batch`, on `tape`.
fn batch_loss<'t>(model: &Model, p: &nn::ParamVars<'t>, batch: &Batch) -> autograd::Var<'t> {
    let (logits, _) = model.forward(p, &batch.ids, batch.size, STEPS);
    logits
        .embedding(&batch.rows)
        .softmax_cross_entropy(&batch.targets)
        .mean()
}

fn train_model(
    model: &Model,
    train: &[String],
    validation: &[String],
    args: &NamesArgs,
) -> Trained {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut params = model.init(&mut rng);
    let rate = if matches!(model, Model::Transformer(_)) {
        3e-3
    } else {
        1e-2
    };
    let mut optimizer = Adam::new(rate);
    let mut curve = Vec::new();
    let mut window = 0.0;
    for step in 0..args.steps {
        let names: Vec<&str> = (0..BATCH)
            .map(|_| train[rng.random_range(0..train.len())].as_str())
            .collect();
        let batch = Batch::new(&names);
        let tape = Tape::new();
        let p = params.on_tape(&tape);
        let loss = batch_loss(model, &p, &batch);
        window += loss.item();
        let mut grads = p.gradients(&mut loss.backward());
        clip_global_norm(&mut grads, MAX_NORM);
        optimizer.step(&mut params, &grads);
        let in_window = (step % CURVE_EVERY) + 1;
        if in_window == CURVE_EVERY || step + 1 == args.steps {
            curve.push(((step + 1) as f64, window / in_window as f64));
            window = 0.0;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    Trained {
        train_loss: mean_loss(model, &params, train),
        validation_loss: mean_loss(model, &params, validation),
        params,
        curve,
        seconds: Some(seconds),
    }
}

/// The loss per character over every name of `names` (no gradients).
fn mean_loss(model: &Model, params: &Params, names: &[String]) -> f64 {
    let mut total = 0.0;
    let mut characters = 0;
    for chunk in names.chunks(256) {
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let batch = Batch::new(&refs);
        let tape = Tape::new();
        let loss = batch_loss(model, &params.constants_on(&tape), &batch);
        total += loss.item() * batch.targets.len() as f64;
        characters += batch.targets.len();
    }
    total / characters as f64
}

/// A name drawn letter by letter from the model's predictions, starting with `prefix`.
fn sample(model: &Model, params: &Params, prefix: &[usize], rng: &mut StdRng) -> String {
    let mut tokens = vec![0];
    tokens.extend_from_slice(prefix);
    while tokens.len() < model.context() {
        let tape = Tape::new();
        let (logits, _) = model.forward(&params.constants_on(&tape), &tokens, 1, tokens.len());
        let last = logits
            .slice(0, tokens.len() - 1, 1)
            .softmax(1)
            .value()
            .clone();
        let next = draw(last.data(), rng.random::<f64>());
        if next == 0 {
            break;
        }
        tokens.push(next);
    }
    tokens[1..].iter().map(|&t| data::letter(t)).collect()
}

/// The index where the cumulative sum of `probs` first passes `u`.
fn draw(probs: &[f64], u: f64) -> usize {
    let mut total = 0.0;
    for (i, p) in probs.iter().enumerate() {
        total += p;
        if u < total {
            return i;
        }
    }
    probs.len() - 1
}

/// The first head of the last block's attention weights over `word` (`.` then its letters).
fn attention_map(model: &Model, params: &Params, word: &str) -> (Vec<char>, Tensor) {
    let mut tokens = vec![0];
    tokens.extend(word.chars().filter_map(data::token));
    let tape = Tape::new();
    let (_, weights) = model.forward(&params.constants_on(&tape), &tokens, 1, tokens.len());
    let letters = tokens.iter().map(|&t| data::letter(t)).collect();
    // [1, heads, T, T] → head 0 as [1, T, T]
    let map = weights
        .last()
        .map(|w| {
            let t = tokens.len();
            w.value().slice_axis(1, 0, 1).reshape([1, t, t])
        })
        .unwrap_or_else(|| Tensor::zeros([1, 1, 1]));
    (letters, map)
}
