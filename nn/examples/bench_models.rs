//! Times training steps of the digits CNN and the small transformer through nn, for
//! `bench/compare.sh`'s model workloads (the same runs as `bench/ref_jax_models.py`).
//!
//! ```text
//! cargo run --release -p nn --features bench --example bench_models -- --workload cnn \
//!     --data demo/data/digits.csv --init target/bench-data/init_cnn.json \
//!     --passes 28 --learning-rate 0.1 [--runs 5] [--warm-up 0] [--trace losses.csv --trace-passes 28]
//! cargo run --release -p nn --features bench --example bench_models -- --workload transformer \
//!     --data target/bench-data/transformer.json --init target/bench-data/transformer.json ...
//! ```
//!
//! - `cnn`: `--init` is a `Sequential` checkpoint (the digits CNN of `demo digits`); `--data` the
//!   digits CSV (64 pixels 0–16, then the label, no header), seen as pixels / 16 and cut in order
//!   into ⌊N/64⌋ mini-batches of 64; pass `i` is one gradient-descent step on the mean
//!   cross-entropy of batch `i mod B`, through `Sequential::gradients` as `demo digits` trains.
//! - `transformer`: `--data` (and `--init`, the same file) holds the sizes, initial weights and
//!   one batch (`ids`, counted `rows`, `targets`); every pass is one gradient-descent step on the
//!   mean cross-entropy of the batch, as `demo names` computes it.
//!
//! Prints one `BENCH impl=rust-tape workload=... per_pass_us=... final_loss=... allocs_per_pass=...`
//! line: the median over `--runs` whole loops of `--passes` steps (after `--warm-up` untimed
//! ones), each from the initial weights; the final loss is the first batch's after the loop.
//! `--trace` writes `passes,loss`: the loss before each of the first `--trace-passes` steps and
//! after the last, which compare.sh holds against JAX's.

use autograd::{Tape, Tensor};
use nn::checkpoint::sequential_from_json;
use nn::optim::{Optimizer, Sgd};
use nn::seq::{Transformer, TransformerConfig};
use nn::{Params, Reduction, Sequential};
use serde_json::Value;
use std::process::ExitCode;

#[path = "../../autograd/examples/support/bench_harness.rs"]
mod bench_harness;
#[path = "../../autograd/examples/support/counting_allocator.rs"]
mod counting_allocator;

use bench_harness::Common;

/// Images per mini-batch of the cnn workload.
const BATCH: usize = 64;

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

/// One of the workloads, holding its model, data and optimiser.
enum Workload {
    Cnn(CnnWorkload),
    Transformer(TransformerWorkload),
}

impl Workload {
    fn load(options: &Common) -> Result<Workload, String> {
        match options.workload.as_str() {
            "cnn" => CnnWorkload::load(options).map(Workload::Cnn),
            "transformer" => TransformerWorkload::load(options).map(Workload::Transformer),
            other => Err(format!(
                "--workload: {other:?} is neither cnn nor transformer"
            )),
        }
    }

    /// Starts again from the initial weights.
    fn reset(&mut self) {
        match self {
            Workload::Cnn(w) => w.model.params_mut().copy_values_from(&w.init),
            Workload::Transformer(w) => w.params.copy_values_from(&w.init),
        }
    }

    /// One training step (`pass` picks the mini-batch); returns the loss before the update.
    fn step(&mut self, tape: &mut Tape, pass: usize) -> f64 {
        match self {
            Workload::Cnn(w) => w.step(tape, pass, true),
            Workload::Transformer(w) => w.step(tape, true),
        }
    }

    /// The first batch's loss, without an update.
    fn loss(&mut self, tape: &mut Tape) -> f64 {
        match self {
            Workload::Cnn(w) => w.step(tape, 0, false),
            Workload::Transformer(w) => w.step(tape, false),
        }
    }
}

/// The digits CNN, its mini-batches and plain gradient descent.
struct CnnWorkload {
    model: Sequential,
    init: Params,
    batches: Vec<(Tensor, Vec<usize>)>,
    sgd: Sgd,
}

impl CnnWorkload {
    fn load(options: &Common) -> Result<CnnWorkload, String> {
        let model = sequential_from_json(&read(&options.init)?)
            .map_err(|e| format!("{}: {e}", options.init))?;
        let text = read(&options.data)?;
        let mut pixels = Vec::new();
        let mut labels = Vec::new();
        for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
            let fields: Vec<&str> = line.split(',').collect();
            let bad = || format!("{}:{}: not 64 pixels and a label", options.data, index + 1);
            if fields.len() != 65 {
                return Err(bad());
            }
            for field in &fields[..64] {
                pixels.push(field.parse::<f64>().map_err(|_| bad())? / 16.0);
            }
            labels.push(fields[64].parse::<usize>().map_err(|_| bad())?);
        }
        let batches: Vec<(Tensor, Vec<usize>)> = (0..labels.len() / BATCH)
            .map(|b| {
                let rows = b * BATCH..(b + 1) * BATCH;
                let images = pixels[rows.start * 64..rows.end * 64].to_vec();
                (Tensor::from_vec(images, [BATCH, 64]), labels[rows].to_vec())
            })
            .collect();
        if batches.is_empty() {
            return Err(format!("{}: fewer than {BATCH} images", options.data));
        }
        Ok(CnnWorkload {
            init: model.params().clone(),
            model,
            batches,
            sgd: Sgd::new(options.learning_rate),
        })
    }

    fn step(&mut self, tape: &mut Tape, pass: usize, update: bool) -> f64 {
        let (features, labels) = &self.batches[pass % self.batches.len()];
        let (loss, grads) = self
            .model
            .gradients(tape, features, labels, Reduction::Mean, 0.0);
        if update {
            self.sgd.step(self.model.params_mut(), &grads);
        }
        loss
    }
}

/// The small transformer, its one batch and plain gradient descent.
struct TransformerWorkload {
    model: Transformer,
    params: Params,
    init: Params,
    ids: Vec<usize>,
    rows: Vec<usize>,
    targets: Vec<usize>,
    batch: usize,
    time: usize,
    sgd: Sgd,
}

fn indices(value: &Value, name: &str) -> Result<Vec<usize>, String> {
    value[name]
        .as_array()
        .ok_or_else(|| format!("{name} is not a list"))?
        .iter()
        .map(|v| {
            v.as_u64()
                .map(|v| v as usize)
                .ok_or_else(|| format!("{name} holds a non-index"))
        })
        .collect()
}

fn tensor(value: &Value, name: &str) -> Result<Tensor, String> {
    let dims = indices(value, "shape").map_err(|e| format!("{name}: {e}"))?;
    let data: Vec<f64> = value["data"]
        .as_array()
        .ok_or_else(|| format!("{name}: data is not a list"))?
        .iter()
        .map(|v| v.as_f64().ok_or_else(|| format!("{name}: a non-number")))
        .collect::<Result<_, _>>()?;
    if data.len() != dims.iter().product::<usize>() {
        return Err(format!("{name}: {} values for shape {dims:?}", data.len()));
    }
    Ok(Tensor::from_vec(data, autograd::Shape::new(&dims)))
}

impl TransformerWorkload {
    fn load(options: &Common) -> Result<TransformerWorkload, String> {
        let json: Value = serde_json::from_str(&read(&options.data)?)
            .map_err(|e| format!("{}: {e}", options.data))?;
        let inside = |e: String| format!("{}: {e}", options.data);
        let size = |name: &str| {
            json["sizes"][name]
                .as_u64()
                .map(|v| v as usize)
                .ok_or_else(|| inside(format!("sizes.{name} is missing")))
        };
        let model = Transformer {
            config: TransformerConfig {
                vocab: size("vocab")?,
                context: size("context")?,
                width: size("width")?,
                heads: size("heads")?,
                layers: size("layers")?,
            },
        };
        let mut params = Params::new();
        let stored = json["params"]
            .as_object()
            .ok_or_else(|| inside("no params".into()))?;
        for (name, value) in stored {
            params.insert(name.clone(), tensor(value, name).map_err(inside)?);
        }
        let (batch, time) = (size("batch")?, size("time")?);
        let ids = indices(&json, "ids").map_err(inside)?;
        let rows = indices(&json, "rows").map_err(inside)?;
        let targets = indices(&json, "targets").map_err(inside)?;
        let config = model.config;
        if ids.len() != batch * time
            || time > config.context
            || ids.iter().chain(&targets).any(|&id| id >= config.vocab)
            || rows.len() != targets.len()
            || rows.iter().any(|&row| row >= batch * time)
        {
            return Err(inside("ids, rows or targets do not fit the sizes".into()));
        }
        Ok(TransformerWorkload {
            model,
            init: params.clone(),
            params,
            ids,
            rows,
            targets,
            batch,
            time,
            sgd: Sgd::new(options.learning_rate),
        })
    }

    fn step(&mut self, tape: &mut Tape, update: bool) -> f64 {
        tape.clear();
        let (loss, grads) = {
            let p = self.params.on_tape(tape);
            let (logits, _) = self.model.forward(&p, &self.ids, self.batch, self.time);
            let loss = logits
                .embedding(&self.rows)
                .softmax_cross_entropy(&self.targets)
                .mean();
            let value = loss.item();
            if !update {
                return value;
            }
            (value, p.gradients(&mut loss.backward()))
        };
        self.sgd.step(&mut self.params, &grads);
        loss
    }
}

fn run(options: &Common) -> Result<(), String> {
    let mut workload = Workload::load(options)?;
    let mut tape = Tape::new();
    if let Some(path) = &options.trace {
        bench_harness::write_trace(path, options.trace_passes, |pass| {
            workload.step(&mut tape, pass)
        })?;
    }
    let timing =
        bench_harness::time_loops(options, &mut workload, Workload::reset, |w, _, pass| {
            w.step(&mut tape, pass);
        });
    let final_loss = workload.loss(&mut tape);
    println!(
        "{}",
        bench_harness::bench_line("rust-tape", options, &timing, final_loss)
    );
    Ok(())
}

fn main() -> ExitCode {
    autograd::runtime::retain_freed_memory();
    autograd::runtime::enlist_this_thread_for_kernels();
    match bench_harness::parse(20, |_, _| Ok(false)).and_then(|options| run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench_models: {message}");
            ExitCode::FAILURE
        }
    }
}
