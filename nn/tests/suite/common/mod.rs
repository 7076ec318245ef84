//! Golden fixtures shared by the integration tests: the tutorial's data and initial weights.

#![allow(dead_code)]

use autograd::Tensor;
use nn::{Dataset, Params};
use serde_json::Value;

/// scikit-learn's `make_moons(200, noise=0.2, random_state=0)`, header `x,y,label`.
pub const MOONS: &str = include_str!("../../golden/moons200.csv");
/// The tutorial's initial weights for hidden size 3.
pub const INIT: &str = include_str!("../../golden/init_h3.json");

/// The golden moons data set.
pub fn moons() -> Dataset {
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for line in MOONS.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        features.push(fields[0].parse::<f64>().unwrap());
        features.push(fields[1].parse::<f64>().unwrap());
        labels.push(fields[2].parse::<usize>().unwrap());
    }
    let rows = labels.len();
    Dataset::new(Tensor::from_vec(features, [rows, 2]), labels)
}

/// The weights of a golden JSON file: `W` as nested rows, `b` as flat lists (stored as `[out]`).
pub fn golden_params(text: &str) -> Params {
    let root: Value = serde_json::from_str(text).unwrap();
    let mut params = Params::new();
    for name in ["W1", "b1", "W2", "b2"] {
        let value = &root[name];
        let items = value.as_array().unwrap();
        let tensor = if items[0].is_array() {
            let rows: Vec<Vec<f64>> = items
                .iter()
                .map(|row| {
                    row.as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_f64().unwrap())
                        .collect()
                })
                .collect();
            Tensor::from_rows(&rows)
        } else {
            let data: Vec<f64> = items.iter().map(|x| x.as_f64().unwrap()).collect();
            let len = data.len();
            Tensor::from_vec(data, [len])
        };
        params.insert(name, tensor);
    }
    params
}
