//! Looking at one recorded training step: its tape listing and its memory (`--dump-tape`,
//! `--tape-stats`), and its graph as Graphviz DOT (`demo graph`).

use std::path::Path;
use std::process::Command;

use autograd::{Gradients, Tape};

use crate::atomic;
use crate::cli::GraphArgs;
use crate::commands::network::Network;
use crate::commands::training;
use crate::error::{Error, Result};
use crate::moons;
use crate::output;
use crate::say;

/// Records one step of `model`'s objective on `data` (as training does) on `tape`, runs backward,
/// and returns the gradients.
fn record_step(
    model: &Network,
    data: &nn::Dataset,
    config: &nn::TrainConfig,
    tape: &Tape,
) -> Gradients {
    let vars = nn::Model::params(model).on_tape(tape);
    let x = tape.constant(data.features.clone());
    let objective = model.objective(&vars, x, &data.labels, config.reduction, config.reg);
    objective.backward()
}

/// The listing of one step on the first `rows` rows of `data`: every node with its op, inputs,
/// shape, value, gradient and the source line that recorded it.
pub fn tape_dump(
    model: &Network,
    data: &nn::Dataset,
    config: &nn::TrainConfig,
    rows: usize,
) -> String {
    let indices: Vec<usize> = (0..rows.min(data.len())).collect();
    let batch = data.subset(&indices);
    let tape = Tape::new();
    let grads = record_step(model, &batch, config, &tape);
    format!(
        "the tape of one step on the first {} rows (after backward):\n{}",
        batch.len(),
        tape.listing(Some(&grads))
    )
}

/// What one full-batch step records: node count and the bytes its values hold.
pub fn tape_stats(model: &Network, data: &nn::Dataset, config: &nn::TrainConfig) -> String {
    let tape = Tape::new();
    let _ = record_step(model, data, config, &tape);
    format!("one full-batch step records {}", tape.stats())
}

/// `demo graph`: the recorded graph of one step of a fresh network on a few moons points, as DOT,
/// rendered to PNG beside it when Graphviz's `dot` is on the PATH.
pub fn run(args: &GraphArgs) -> Result<()> {
    moons::check_memory(args.rows, "--rows")?;
    let data = moons::make_moons(args.rows.max(2), 0.2, 0);
    let dataset = data.to_dataset();
    let model = Network::Mlp(training::new_model(
        2,
        &args.hidden.0,
        2,
        args.activation,
        0,
    )?);
    let config = nn::TrainConfig::default();
    let tape = Tape::new();
    let grads = record_step(&model, &dataset, &config, &tape);
    let dot = tape.to_dot(Some(&grads));
    if atomic::is_stdout(&args.out) {
        // The DOT text is the output; there is no file for Graphviz to render.
        output::reserve_stdout_for_data();
        return atomic::write_bytes(&args.out, dot.as_bytes());
    }
    atomic::write_bytes(&args.out, dot.as_bytes())?;
    say!("wrote {} ({} nodes)", args.out.display(), tape.len());
    render(&args.out)
}

/// Runs `dot -Tpng` on the file when Graphviz is installed, and says which happened.
fn render(dot_file: &Path) -> Result<()> {
    let png = dot_file.with_extension("png");
    match Command::new("dot")
        .arg("-Tpng")
        .arg(dot_file)
        .arg("-o")
        .arg(&png)
        .output()
    {
        Ok(output) if output.status.success() => {
            say!("rendered {} with Graphviz", png.display());
            Ok(())
        }
        Ok(output) => Err(Error::InvalidFlag {
            flag: "--out",
            reason: format!(
                "Graphviz could not render {}: {}",
                dot_file.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        }),
        Err(_) => {
            say!(
                "Graphviz's `dot` is not installed, so no picture was drawn; render it with \
                 `dot -Tpng {} -o {}`",
                dot_file.display(),
                png.display()
            );
            Ok(())
        }
    }
}
