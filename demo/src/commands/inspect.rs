//! Looking at one recorded training step: its tape listing and its memory (`--dump-tape`,
//! `--tape-stats`), and its graph as Graphviz DOT, SVG or PNG (`demo graph`).

use std::path::Path;
use std::process::Command;

use autograd::inspect::NodeKind;
use autograd::{Gradients, Tape};

use crate::atomic;
use crate::cli::GraphArgs;
use crate::commands::network::Network;
use crate::commands::training;
use crate::error::{Error, Result};
use crate::graph_layout::svg::{self, NodeLabel};
use crate::graph_layout::{self, Size};
use crate::moons;
use crate::output;
use crate::plot;
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

/// `demo graph`: the recorded graph of one step of a fresh network on a few moons points: drawn
/// by the demo's own layered layout for `.svg` and `.png` outputs; otherwise as DOT, rendered
/// to PNG beside it when Graphviz's `dot` is on the PATH.
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
    match picture_format(&args.out) {
        Some(Picture::Svg) => {
            let (labels, edges) = node_labels(&tape);
            atomic::write_bytes(&args.out, svg::render(&labels, &edges).as_bytes())?;
            say!("wrote {} ({} nodes)", args.out.display(), tape.len());
            return Ok(());
        }
        Some(Picture::Png) => {
            let (labels, edges) = node_labels(&tape);
            let sizes: Vec<Size> = labels.iter().map(NodeLabel::size).collect();
            let layout = graph_layout::layered(&sizes, &edges);
            plot::graph_png(&args.out, &labels, &sizes, &layout)?;
            say!("wrote {} ({} nodes)", args.out.display(), tape.len());
            return Ok(());
        }
        None => {}
    }
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

/// The pictures `demo graph` draws itself, chosen by the output's extension.
enum Picture {
    Svg,
    Png,
}

fn picture_format(path: &Path) -> Option<Picture> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "svg" => Some(Picture::Svg),
        "png" => Some(Picture::Png),
        _ => None,
    }
}

/// Each node as drawn (`%id op[parameters]`, its shape, and its value when it has one number)
/// and the edges from inputs to the nodes they feed.
fn node_labels(tape: &Tape) -> (Vec<NodeLabel>, Vec<(usize, usize)>) {
    let mut edges = Vec::new();
    let labels = tape
        .nodes_view()
        .into_iter()
        .map(|node| {
            edges.extend(
                node.inputs
                    .iter()
                    .map(|input| (input.index(), node.id.index())),
            );
            let mut title = format!("{} {}", node.id, node.op);
            if !node.parameters.is_empty() {
                title.push_str(&format!("[{}]", node.parameters));
            }
            let mut lines = vec![title, node.value.shape().to_string()];
            if node.value.len() == 1 {
                lines.push(format!("value {:.4}", node.value.data()[0]));
            }
            let kind = match node.kind {
                NodeKind::Constant => svg::NodeKind::Input,
                NodeKind::Variable => svg::NodeKind::Parameter,
                NodeKind::Op => svg::NodeKind::Op,
            };
            NodeLabel { lines, kind }
        })
        .collect();
    (labels, edges)
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
