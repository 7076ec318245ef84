//! The golden moons data the examples train on (scikit-learn's `make_moons(200, noise=0.2)`).

use autograd::Tensor;
use nn::Dataset;

const MOONS: &str = include_str!("../../tests/golden/moons200.csv");

/// The 200 golden moons points, features `[200, 2]` and their labels.
pub fn load_moons() -> Dataset {
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for line in MOONS.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        features.extend(
            fields[..2]
                .iter()
                .map(|v| v.parse::<f64>().expect("a number")),
        );
        labels.push(fields[2].parse().expect("a label"));
    }
    Dataset::new(Tensor::from_vec(features, [labels.len(), 2]), labels)
}
