//! What the benchmark programs (`bench_train`, and nn's `bench_models`) share: the flags every
//! workload takes, the trace file, and the timed loops with their allocation count.

use super::counting_allocator;
use std::fmt::Write as _;
use std::time::Instant;

/// The flags every benchmark program takes.
pub struct Common {
    pub workload: String,
    pub data: String,
    pub init: String,
    pub passes: usize,
    pub learning_rate: f64,
    /// Timed whole training loops.
    pub runs: usize,
    /// Untimed whole training loops before the timed ones.
    pub warm_up: usize,
    pub trace: Option<String>,
    pub trace_passes: usize,
}

/// A flag's value, taken from the command line when a handler asks for it.
pub type TakeValue<'a> = dyn FnMut() -> Result<String, String> + 'a;

/// Parses the command line: the [`Common`] flags (`--trace-passes` defaulting to
/// `trace_passes`), and any other flag through `extra(flag, value)`, which returns whether it
/// knew the flag and calls `value()` only for flags that take one.
pub fn parse(
    trace_passes: usize,
    mut extra: impl FnMut(&str, &mut TakeValue) -> Result<bool, String>,
) -> Result<Common, String> {
    let mut args = std::env::args().skip(1);
    let mut options = Common {
        workload: String::new(),
        data: String::new(),
        init: String::new(),
        passes: 0,
        learning_rate: f64::NAN,
        runs: 5,
        warm_up: 0,
        trace: None,
        trace_passes,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let count = |v: String| {
            v.parse::<usize>()
                .map_err(|_| format!("{flag}: {v:?} is not a count"))
        };
        match flag.as_str() {
            "--workload" => options.workload = value()?,
            "--data" => options.data = value()?,
            "--init" => options.init = value()?,
            "--passes" => options.passes = count(value()?)?,
            "--learning-rate" => options.learning_rate = number(&flag, &value()?)?,
            "--runs" => options.runs = count(value()?)?,
            "--warm-up" => options.warm_up = count(value()?)?,
            "--trace" => options.trace = Some(value()?),
            "--trace-passes" => options.trace_passes = count(value()?)?,
            _ => {
                if !extra(&flag, &mut value)? {
                    return Err(format!("unknown flag {flag}"));
                }
            }
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

/// The value of `flag` as a number.
pub fn number(flag: &str, value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .map_err(|_| format!("{flag}: {value:?} is not a number"))
}

/// Writes `passes,loss` to `path` for passes `0..=passes`, each loss from `step(pass)`.
pub fn write_trace(
    path: &str,
    passes: usize,
    mut step: impl FnMut(usize) -> f64,
) -> Result<(), String> {
    let mut text = String::from("passes,loss\n");
    for pass in 0..=passes {
        let loss = step(pass);
        writeln!(text, "{pass},{loss:?}").expect("writing to a String cannot fail");
    }
    std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))
}

/// What [`time_loops`] measured.
pub struct Timing {
    /// The median wall time of one timed loop, in seconds.
    pub median_s: f64,
    /// Heap allocations per pass over the second half of the first loop (timed or not), after
    /// its first passes have filled the storage pool and the tape's node list.
    pub allocations_per_pass: f64,
}

/// Runs `warm_up + runs` whole training loops of `passes` passes on `state`, each after
/// `reset(state)`, a pass being `pass(state, run, pass)`.
pub fn time_loops<S>(
    options: &Common,
    state: &mut S,
    mut reset: impl FnMut(&mut S),
    mut pass: impl FnMut(&mut S, usize, usize),
) -> Timing {
    let mut seconds = Vec::with_capacity(options.runs);
    let mut allocations_per_pass = f64::NAN;
    let counted_from = options.passes / 2;
    for run in 0..options.warm_up + options.runs {
        reset(state);
        let mut allocations_before = 0;
        let start = Instant::now();
        for index in 0..options.passes {
            if index == counted_from {
                allocations_before = counting_allocator::allocations();
            }
            pass(state, run, index);
        }
        if run >= options.warm_up {
            seconds.push(start.elapsed().as_secs_f64());
        }
        if run == 0 {
            let allocations = counting_allocator::allocations() - allocations_before;
            allocations_per_pass = allocations as f64 / (options.passes - counted_from) as f64;
        }
    }
    seconds.sort_by(f64::total_cmp);
    Timing {
        median_s: seconds[seconds.len() / 2],
        allocations_per_pass,
    }
}

/// The start of the `BENCH` line that `bench/compare.sh` collects.
pub fn bench_line(
    implementation: &str,
    options: &Common,
    timing: &Timing,
    final_loss: f64,
) -> String {
    format!(
        "BENCH impl={implementation} workload={} passes={} runs={} median_s={:.6} \
         per_pass_us={:.3} final_loss={final_loss:?} allocs_per_pass={:.1}",
        options.workload,
        options.passes,
        options.runs,
        timing.median_s,
        timing.median_s / options.passes as f64 * 1e6,
        timing.allocations_per_pass,
    )
}
