//! `/tape` and `/backward`: the graph of the session's objective on its training rows, recorded
//! op by op, and its backward pass step by step as the engine's own walk runs it.

use std::collections::HashMap;

use autograd::inspect::NodeKind;
use autograd::{NodeId, Tape, Tensor, Var};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::frame::number;
use super::session::Session;
use crate::commands::network::Network;

/// The most numbers of a tensor a summary shows.
pub const PREVIEW: usize = 64;

/// A tensor in brief: `{"shape", "preview": [the first numbers, row-major], "min", "max",
/// "mean"}` (`null` for numbers that are not finite, and for the range of an empty tensor).
pub fn summary(tensor: &Tensor) -> Value {
    let data = tensor.data();
    let preview: Vec<Value> = data.iter().take(PREVIEW).map(|&v| number(v)).collect();
    let (min, max, mean) = if data.is_empty() {
        (f64::NAN, f64::NAN, f64::NAN)
    } else {
        let min = data.iter().copied().fold(f64::INFINITY, f64::min);
        let max = data.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (min, max, data.iter().sum::<f64>() / data.len() as f64)
    };
    json!({
        "shape": tensor.dims(),
        "preview": preview,
        "min": number(min),
        "max": number(max),
        "mean": number(mean),
    })
}

/// The names [`nn::Explained`] gives the nodes of one recording.
struct Names {
    values: HashMap<NodeId, String>,
    gradients: HashMap<NodeId, String>,
}

/// Records the session's objective on its training rows op by op on `tape` (the same recording,
/// so the same node ids, every time), and returns the objective and the nodes' names.
fn record<'t>(session: &Session, tape: &'t Tape) -> Result<(Var<'t>, Names), ApiError> {
    let Network::Mlp(model) = session.model() else {
        return Err(ApiError::bad_request(
            "the tape view draws networks of --hidden layers only",
        ));
    };
    let rows = session.training_rows();
    let config = session.train_config();
    let vars = model.params().on_tape(tape);
    let x = tape.constant(rows.features.clone());
    let explained = model.record_explained(&vars, x, &rows.labels, config.reduction, config.reg);
    let names = Names {
        values: explained.value_names.into_iter().collect(),
        gradients: explained.gradient_names.into_iter().collect(),
    };
    Ok((explained.objective, names))
}

fn label(names: &HashMap<NodeId, String>, id: NodeId) -> Value {
    names.get(&id).map_or(Value::Null, |name| json!(name))
}

/// `GET /tape`: every node with its op, inputs, shape, kind, names, source line, backward rule,
/// value and gradient, the edges, and the loss node. `"layout"` places the nodes for the page.
pub fn tape_json(session: &mut Session) -> Result<Value, ApiError> {
    let tape = Tape::new();
    let (loss, names) = record(session, &tape)?;
    let grads = loss.backward();
    let mut edges = Vec::new();
    let nodes: Vec<Value> = tape
        .nodes_view()
        .into_iter()
        .map(|node| {
            for input in &node.inputs {
                edges.push(json!([input.index(), node.id.index()]));
            }
            let kind = match node.kind {
                NodeKind::Constant => "input",
                NodeKind::Variable => "parameter",
                NodeKind::Op => "op",
            };
            let (name, value_label) = match node.kind {
                NodeKind::Op => (Value::Null, label(&names.values, node.id)),
                _ => (label(&names.values, node.id), Value::Null),
            };
            json!({
                "id": node.id.index(),
                "op": node.op,
                "params": node.parameters,
                "inputs": node.inputs.iter().map(|id| id.index()).collect::<Vec<_>>(),
                "shape": node.value.dims(),
                "kind": kind,
                "name": name,
                "label": value_label,
                "gradient_label": label(&names.gradients, node.id),
                "source": format!("{}:{}", node.location.file(), node.location.line()),
                "rule": node.rule,
                "value": summary(&node.value),
                "gradient": grads.get_node(node.id).map_or(Value::Null, summary),
            })
        })
        .collect();
    Ok(json!({
        "nodes": nodes,
        "edges": edges,
        "loss": loss.id().index(),
        "layout": crate::graph_layout::page_layout_json(nodes.len(), &edges),
    }))
}

/// `GET /backward`: the steps of the engine's backward pass over the `/tape` graph, in the order
/// it runs them (each node's rule, the upstream gradient it received, and what it sent each
/// input), and the final gradients.
pub fn backward_json(session: &mut Session) -> Result<Value, ApiError> {
    let tape = Tape::new();
    let (loss, names) = record(session, &tape)?;
    let nodes = tape.nodes_view();
    let mut steps = Vec::new();
    let grads = loss.backward_observed(Tensor::scalar(1.0), &mut |step| {
        let contributions: Vec<Value> = step
            .contributions
            .iter()
            .map(|(input, share)| json!({"input": input.index(), "gradient": summary(share)}))
            .collect();
        steps.push(json!({
            "node": step.node.index(),
            "rule": nodes[step.node.index()].rule,
            "upstream": summary(step.upstream),
            "contributions": contributions,
        }));
    });
    let gradients: Vec<Value> = nodes
        .iter()
        .filter_map(|node| {
            let id = node.id;
            grads.get_node(id).map(|gradient| {
                json!({
                    "node": id.index(),
                    "label": label(&names.gradients, id),
                    "gradient": summary(gradient),
                })
            })
        })
        .collect();
    Ok(json!({ "steps": steps, "gradients": gradients }))
}
