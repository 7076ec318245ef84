//! Plain parameters files, `{"W1": [[...]], "b1": [...], "W2": ..., "b2": ...}` as numpy writes
//! them, read into a model.
//!
//! Each `Wl` is a matrix of rows (inputs × outputs, so a layer is `x·W + b`); each `bl` is a list,
//! or a one-row matrix (numpy's `(1, n)` bias). The layer sizes follow from the matrices.

use std::path::Path;

use autograd::Tensor;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The model whose parameters `text` (the file `path`) lists, with `activation` on every hidden
/// layer; every shape is checked against its neighbours first.
pub fn model(path: &Path, text: &str, activation: nn::Activation) -> Result<nn::Mlp> {
    let problem = |problem: String| Error::ParamsFile {
        path: path.to_path_buf(),
        problem,
    };
    let root: Value =
        serde_json::from_str(text).map_err(|error| problem(format!("not JSON: {error}")))?;
    let Some(entries) = root.as_object() else {
        return Err(problem(
            "the top level is not an object of parameters".to_string(),
        ));
    };
    let layers = (1..)
        .take_while(|&layer| entries.contains_key(&nn::weight_name(layer)))
        .count();
    if layers == 0 {
        return Err(problem("no W1 (the first layer's weights)".to_string()));
    }
    if let Some(name) = entries.keys().find(|name| {
        !(1..=layers).any(|l| **name == nn::weight_name(l) || **name == nn::bias_name(l))
    }) {
        return Err(problem(format!(
            "unexpected entry {name:?} (expected W1, b1, ... up to W{layers}, b{layers})"
        )));
    }
    let mut params = nn::Params::new();
    let mut sizes = Vec::new();
    for layer in 1..=layers {
        let name = nn::weight_name(layer);
        let weights = matrix(entries, &name).map_err(problem)?;
        let (rows, columns) = (weights.dims()[0], weights.dims()[1]);
        match sizes.last() {
            None => sizes.push(rows),
            Some(&previous) if previous != rows => {
                return Err(problem(format!(
                    "{name} has {rows} rows, but W{} has {previous} columns",
                    layer - 1
                )));
            }
            Some(_) => {}
        }
        sizes.push(columns);
        params.insert(name, weights);
        let bias_name = nn::bias_name(layer);
        params.insert(
            bias_name.clone(),
            vector(entries, &bias_name).map_err(problem)?,
        );
    }
    let activations = vec![activation; layers - 1];
    nn::Mlp::from_params(&sizes, &activations, params).map_err(|error| problem(error.to_string()))
}

/// The matrix `name`: an array of equally long arrays of numbers.
fn matrix(entries: &Map<String, Value>, name: &str) -> std::result::Result<Tensor, String> {
    let rows = entries
        .get(name)
        .and_then(Value::as_array)
        .filter(|rows| !rows.is_empty())
        .ok_or_else(|| format!("{name} is not a matrix (a list of rows)"))?;
    let mut data = Vec::new();
    let mut columns = None;
    for (index, row) in rows.iter().enumerate() {
        let numbers =
            numbers(row).ok_or_else(|| format!("{name}[{index}] is not a row of numbers"))?;
        if *columns.get_or_insert(numbers.len()) != numbers.len() || numbers.is_empty() {
            return Err(format!(
                "{name}[{index}] has {} numbers, but {name}[0] has {}",
                numbers.len(),
                columns.unwrap_or(0)
            ));
        }
        data.extend(numbers);
    }
    Ok(Tensor::from_vec(data, [rows.len(), columns.unwrap_or(0)]))
}

/// The vector `name`: an array of numbers, or a single row of them.
fn vector(entries: &Map<String, Value>, name: &str) -> std::result::Result<Tensor, String> {
    let value = entries
        .get(name)
        .ok_or_else(|| format!("{name} is missing"))?;
    let single_row = value
        .as_array()
        .filter(|rows| rows.len() == 1)
        .and_then(|rows| numbers(&rows[0]));
    let values = numbers(value)
        .or(single_row)
        .ok_or_else(|| format!("{name} is not a list of numbers"))?;
    let length = values.len();
    Ok(Tensor::from_vec(values, [length]))
}

fn numbers(value: &Value) -> Option<Vec<f64>> {
    value.as_array()?.iter().map(Value::as_f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TANH: nn::Activation = nn::Activation::Tanh;

    fn read(text: &str) -> Result<nn::Mlp> {
        model(Path::new("init.json"), text, TANH)
    }

    #[test]
    fn a_numpy_style_file_gives_the_network_it_describes() {
        let model = read(
            r#"{"W1": [[1, 2, 3], [4, 5, 6]], "b1": [[0.5, 0, 0]], "W2": [[1, 0], [0, 1], [1, 1]], "b2": [0, 0]}"#,
        )
        .unwrap();
        assert_eq!(model.sizes(), &[2, 3, 2]);
        assert_eq!(
            model.params().get("W1").unwrap().data(),
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        );
        assert_eq!(model.params().get("b1").unwrap().data(), &[0.5, 0.0, 0.0]);
    }

    #[test]
    fn shapes_that_do_not_chain_are_named() {
        let message = |text: &str| read(text).unwrap_err().to_string();
        let chain = message(r#"{"W1": [[1, 2]], "b1": [0, 0], "W2": [[1], [2], [3]], "b2": [0]}"#);
        assert!(
            chain.contains("init.json: W2 has 3 rows, but W1 has 2 columns"),
            "{chain}"
        );
        let bias = message(r#"{"W1": [[1, 2]], "b1": [0, 0, 0]}"#);
        assert!(bias.contains("b1"), "{bias}");
        let ragged = message(r#"{"W1": [[1, 2], [3]], "b1": [0, 0]}"#);
        assert!(
            ragged.contains("W1[1] has 1 numbers, but W1[0] has 2"),
            "{ragged}"
        );
        let stray = message(r#"{"W1": [[1, 2]], "b1": [0, 0], "W3": [[1]]}"#);
        assert!(stray.contains("unexpected entry \"W3\""), "{stray}");
        assert!(message("[1, 2]").contains("not an object"));
        assert!(message("{").contains("not JSON"));
    }
}
