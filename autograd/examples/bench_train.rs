//! Times whole training loops of the benchmark MLP on a CSV data set and JSON initial weights.
//!
//! ```text
//! cargo run --release -p autograd --features bench --example bench_train -- \
//!     --workload small --data bench/data/moons200.csv --init bench/data/init_h3.json \
//!     --passes 20000 --learning-rate 0.01 [--reg 0.01] [--runs 5] [--warm-up 0] \
//!     [--step tape|hand] [--trace losses.csv --trace-passes 1500] [--check]
//! ```
//!
//! Prints one line `BENCH impl=rust-tape workload=... per_pass_us=... final_loss=...
//! allocs_per_pass=... rss_kib_after_200=... rss_kib_end=...` (the median over `--runs` loops,
//! after `--warm-up` untimed ones, each from the initial weights, one `Tape` reused with `clear`
//! across passes; heap allocations counted over the second half of the first loop's passes), the
//! format that `bench/compare.sh` collects. `--trace` writes `passes,loss` for passes 0..=N;
//! `--check` first compares the tape's gradients with the hand-derived ones and exits 1 if they
//! differ beyond 1e-12.

// The workload table in this module serves the criterion benches only.
#[allow(dead_code)]
#[path = "../benches/support/mlp.rs"]
mod mlp;

use autograd::{Tape, Tensor};
use mlp::Batch;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

#[path = "support/counting_allocator.rs"]
mod counting_allocator;

/// Which implementation of the step to time.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Tape,
    Hand,
}

/// The command line.
struct Options {
    workload: String,
    data: String,
    init: String,
    passes: usize,
    learning_rate: f64,
    reg: f64,
    runs: usize,
    /// Untimed whole training loops before the timed ones.
    warm_up: usize,
    step: Step,
    trace: Option<String>,
    trace_passes: usize,
    check: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        workload: String::new(),
        data: String::new(),
        init: String::new(),
        passes: 0,
        learning_rate: f64::NAN,
        reg: 0.01,
        runs: 5,
        warm_up: 0,
        step: Step::Tape,
        trace: None,
        trace_passes: 1500,
        check: false,
    };
    while let Some(flag) = args.next() {
        if flag == "--check" {
            options.check = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("{flag}: {v:?} is not a number"))
        };
        let count = |v: &str| {
            v.parse::<usize>()
                .map_err(|_| format!("{flag}: {v:?} is not a count"))
        };
        match flag.as_str() {
            "--workload" => options.workload = value,
            "--data" => options.data = value,
            "--init" => options.init = value,
            "--passes" => options.passes = count(&value)?,
            "--learning-rate" => options.learning_rate = number(&value)?,
            "--reg" => options.reg = number(&value)?,
            "--runs" => options.runs = count(&value)?,
            "--warm-up" => options.warm_up = count(&value)?,
            "--trace" => options.trace = Some(value),
            "--trace-passes" => options.trace_passes = count(&value)?,
            "--step" => {
                options.step = match value.as_str() {
                    "tape" => Step::Tape,
                    "hand" => Step::Hand,
                    _ => return Err(format!("--step: {value:?} is neither tape nor hand")),
                }
            }
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if options.data.is_empty() || options.init.is_empty() || options.passes == 0 {
        return Err("--data, --init and --passes (above 0) are required".into());
    }
    if !options.learning_rate.is_finite() || options.runs == 0 {
        return Err("--learning-rate is required and --runs must be above 0".into());
    }
    Ok(options)
}

/// Reads `header, then rows of features..., label` into a batch.
fn read_batch(path: &str) -> Result<Batch, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines();
    let header = lines.next().ok_or_else(|| format!("{path}: empty file"))?;
    let in_features = header.split(',').count() - 1;
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (index, line) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        let line_number = index + 2;
        if fields.len() != in_features + 1 {
            return Err(format!(
                "{path}:{line_number}: {} fields, expected {}",
                fields.len(),
                in_features + 1
            ));
        }
        for field in &fields[..in_features] {
            let value = field
                .parse::<f64>()
                .map_err(|_| format!("{path}:{line_number}: {field:?} is not a number"))?;
            features.push(value);
        }
        let label = fields[in_features].parse::<f64>().map_err(|_| {
            format!(
                "{path}:{line_number}: label {:?} is not a number",
                fields[in_features]
            )
        })?;
        labels.push(label as usize);
    }
    let examples = labels.len();
    Ok(Batch {
        features: Tensor::from_vec(features, [examples, in_features]),
        labels,
    })
}

/// Reads `{"W1": [[..]], "b1": [..], "W2": ...}` into `[W1, b1, W2, b2, ...]`.
fn read_params(path: &str) -> Result<Vec<Tensor>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let numbers = |value: &serde_json::Value, name: &str| -> Result<Vec<f64>, String> {
        value
            .as_array()
            .ok_or_else(|| format!("{path}: {name} is not a list"))?
            .iter()
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| format!("{path}: {name} holds a non-number"))
            })
            .collect()
    };
    let mut params = Vec::new();
    for layer in 1.. {
        let Some(weights) = json.get(format!("W{layer}")) else {
            break;
        };
        let rows = weights
            .as_array()
            .ok_or_else(|| format!("{path}: W{layer} is not a list of rows"))?;
        let mut data = Vec::new();
        for row in rows {
            data.extend(numbers(row, &format!("W{layer}"))?);
        }
        let columns = data.len() / rows.len().max(1);
        params.push(Tensor::from_vec(data, [rows.len(), columns]));
        let bias = json
            .get(format!("b{layer}"))
            .ok_or_else(|| format!("{path}: W{layer} has no b{layer}"))?;
        params.push(Tensor::from_vec(
            numbers(bias, &format!("b{layer}"))?,
            [columns],
        ));
    }
    if params.is_empty() {
        return Err(format!("{path}: no W1"));
    }
    Ok(params)
}

/// The resident set size in KiB (0 where /proc is unavailable).
fn resident_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

/// One training pass: the mean loss before the update, then the update.
fn train_pass(
    step: Step,
    tape: &mut Tape,
    params: &mut [Tensor],
    batch: &Batch,
    options: &Options,
) -> f64 {
    let (loss, grads) = match step {
        Step::Tape => mlp::tape_gradients(tape, params, batch, options.reg),
        Step::Hand => mlp::hand_gradients(params, batch, options.reg),
    };
    mlp::descend(params, &grads, options.learning_rate);
    loss
}

fn run(options: &Options) -> Result<(), String> {
    let batch = read_batch(&options.data)?;
    let init = read_params(&options.init)?;
    let mut tape = Tape::new();
    if options.check {
        let (tape_loss, tape_grads) = mlp::tape_gradients(&mut tape, &init, &batch, options.reg);
        let (hand_loss, hand_grads) = mlp::hand_gradients(&init, &batch, options.reg);
        let worst = mlp::worst_relative_difference(&hand_grads, &tape_grads)
            .max((tape_loss - hand_loss).abs() / hand_loss.abs());
        println!(
            "CHECK workload={} tape_vs_hand_worst_relative={worst:.2e}",
            options.workload
        );
        if worst > 1e-12 {
            return Err(format!(
                "tape and hand-derived gradients differ by {worst:.2e}"
            ));
        }
    }
    if let Some(path) = &options.trace {
        let mut params = init.clone();
        let mut text = String::from("passes,loss\n");
        for passes in 0..=options.trace_passes {
            let loss = train_pass(options.step, &mut tape, &mut params, &batch, options);
            writeln!(text, "{passes},{loss:?}").expect("writing to a String cannot fail");
        }
        std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))?;
    }
    let mut seconds = Vec::with_capacity(options.runs);
    let mut allocations_per_pass = f64::NAN;
    let (mut rss_after_200, mut rss_end) = (0, 0);
    let mut params = init.clone();
    // Allocations are counted over the second half of the process's first loop (timed or not),
    // after warm-up (the first passes fill the storage pool and the tape's node list).
    let counted_from = options.passes / 2;
    for run in 0..options.warm_up + options.runs {
        params.clone_from_slice(&init);
        let mut allocations_before = 0;
        let start = Instant::now();
        for pass in 0..options.passes {
            if pass == counted_from {
                allocations_before = counting_allocator::allocations();
            }
            train_pass(options.step, &mut tape, &mut params, &batch, options);
            if run == 0 && pass + 1 == 200 {
                rss_after_200 = resident_kib();
            }
        }
        if run >= options.warm_up {
            seconds.push(start.elapsed().as_secs_f64());
        }
        if run == 0 {
            rss_end = resident_kib();
            let allocations = counting_allocator::allocations() - allocations_before;
            allocations_per_pass = allocations as f64 / (options.passes - counted_from) as f64;
        }
    }
    let (final_loss, _) = mlp::hand_gradients(&params, &batch, options.reg);
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    let name = match options.step {
        Step::Tape => "rust-tape",
        Step::Hand => "rust-hand",
    };
    println!(
        "BENCH impl={name} workload={} passes={} runs={} median_s={median:.6} per_pass_us={:.3} \
         final_loss={final_loss:?} allocs_per_pass={allocations_per_pass:.1} \
         rss_kib_after_200={rss_after_200} rss_kib_end={rss_end}",
        options.workload,
        options.passes,
        options.runs,
        median / options.passes as f64 * 1e6,
    );
    Ok(())
}

fn main() -> ExitCode {
    autograd::runtime::retain_freed_memory();
    autograd::runtime::enlist_this_thread_for_kernels();
    let result = parse_options().and_then(|options| run(&options));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench_train: {message}");
            ExitCode::FAILURE
        }
    }
}
