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
//! across passes; heap allocations counted over the second half of the first loop's passes;
//! resident memory after pass 200 of the first loop and after the last loop), the
//! format that `bench/compare.sh` collects. `--trace` writes `passes,loss` for passes 0..=N;
//! `--check` first compares the tape's gradients with the hand-derived ones and exits 1 if they
//! differ beyond 1e-12.

// The workload table in this module serves the criterion benches only.
#[allow(dead_code)]
#[path = "../benches/support/mlp.rs"]
mod mlp;

use autograd::{Tape, Tensor};
use mlp::Batch;
use std::process::ExitCode;

#[path = "support/bench_harness.rs"]
mod bench_harness;
#[path = "support/counting_allocator.rs"]
mod counting_allocator;

use bench_harness::Common;

/// Which implementation of the step to time.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Tape,
    Hand,
}

/// The command line: the common flags, and this program's own.
struct Options {
    common: Common,
    reg: f64,
    step: Step,
    check: bool,
}

fn parse_options() -> Result<Options, String> {
    let (mut reg, mut step, mut check) = (0.01, Step::Tape, false);
    let common = bench_harness::parse(1500, |flag, value| {
        match flag {
            "--check" => check = true,
            "--reg" => reg = bench_harness::number(flag, &value()?)?,
            "--step" => {
                let value = value()?;
                step = match value.as_str() {
                    "tape" => Step::Tape,
                    "hand" => Step::Hand,
                    _ => return Err(format!("--step: {value:?} is neither tape nor hand")),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(Options {
        common,
        reg,
        step,
        check,
    })
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
    mlp::descend(params, &grads, options.common.learning_rate);
    loss
}

fn run(options: &Options) -> Result<(), String> {
    let common = &options.common;
    let batch = read_batch(&common.data)?;
    let init = read_params(&common.init)?;
    let mut tape = Tape::new();
    if options.check {
        let (tape_loss, tape_grads) = mlp::tape_gradients(&mut tape, &init, &batch, options.reg);
        let (hand_loss, hand_grads) = mlp::hand_gradients(&init, &batch, options.reg);
        let worst = mlp::worst_relative_difference(&hand_grads, &tape_grads)
            .max((tape_loss - hand_loss).abs() / hand_loss.abs());
        println!(
            "CHECK workload={} tape_vs_hand_worst_relative={worst:.2e}",
            common.workload
        );
        if worst > 1e-12 {
            return Err(format!(
                "tape and hand-derived gradients differ by {worst:.2e}"
            ));
        }
    }
    if let Some(path) = &common.trace {
        let mut params = init.clone();
        bench_harness::write_trace(path, common.trace_passes, |_| {
            train_pass(options.step, &mut tape, &mut params, &batch, options)
        })?;
    }
    let mut rss_after_200 = 0;
    let mut params = init.clone();
    let timing = bench_harness::time_loops(
        common,
        &mut params,
        |params| params.clone_from_slice(&init),
        |params, run, pass| {
            train_pass(options.step, &mut tape, params, &batch, options);
            if run == 0 && pass + 1 == 200 {
                rss_after_200 = resident_kib();
            }
        },
    );
    // Read after the loops, outside every timed one.
    let rss_end = resident_kib();
    let (final_loss, _) = mlp::hand_gradients(&params, &batch, options.reg);
    let name = match options.step {
        Step::Tape => "rust-tape",
        Step::Hand => "rust-hand",
    };
    println!(
        "{} rss_kib_after_200={rss_after_200} rss_kib_end={rss_end}",
        bench_harness::bench_line(name, common, &timing, final_loss)
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
