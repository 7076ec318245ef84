//! The two-moons data set, generated the way scikit-learn's `make_moons` builds it, from a seed.

use std::f64::consts::PI;

use autograd::Tensor;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand_distr::{Distribution, Normal};

use crate::budget;
use crate::data::LabeledData;
use crate::error::Result;

/// Bytes per generated point while it is made and written: the point and its label, a copy of
/// each as a tensor, and its CSV line.
const BYTES_PER_POINT: u128 = 2 * 24 + 24 + 64;

/// Refuses a `count` (set by `flag`) whose points cannot fit in memory, before any is made.
pub fn check_memory(count: usize, flag: &'static str) -> Result<()> {
    budget::check("the moons data", BYTES_PER_POINT * count as u128, flag)
}

/// `count` points on two interleaving half circles with Gaussian noise of standard deviation `noise`.
///
/// The outer moon (label 0) is `(cos t, sin t)` for `count / 2` values of `t` evenly spaced on
/// `[0, π]`; the inner moon (label 1) is `(1 − cos t, 1 − sin t − 0.5)` for the rest. The points
/// are shuffled, then each coordinate gets its own noise draw; the same seed gives the same data.
///
/// # Panics
/// If `noise` is negative or not finite (the command line validates it first).
pub fn make_moons(count: usize, noise: f64, seed: u64) -> LabeledData {
    let Ok(normal) = Normal::new(0.0, noise) else {
        panic!("make_moons: noise {noise} is not a valid standard deviation")
    };
    let outer = count / 2;
    let inner = count - outer;
    let mut points: Vec<([f64; 2], usize)> = Vec::with_capacity(count);
    for t in evenly_spaced(outer) {
        points.push(([t.cos(), t.sin()], 0));
    }
    for t in evenly_spaced(inner) {
        points.push(([1.0 - t.cos(), 1.0 - t.sin() - 0.5], 1));
    }
    let mut rng = StdRng::seed_from_u64(seed);
    points.shuffle(&mut rng);
    let mut features = Vec::with_capacity(2 * count);
    let mut labels = Vec::with_capacity(count);
    for ([x, y], label) in points {
        features.push(x + normal.sample(&mut rng));
        features.push(y + normal.sample(&mut rng));
        labels.push(label);
    }
    LabeledData {
        feature_names: vec!["x".to_string(), "y".to_string()],
        features: Tensor::from_vec(features, [count, 2]),
        labels,
    }
}

/// `count` values evenly spaced on `[0, π]`, both ends included (one value: just 0).
fn evenly_spaced(count: usize) -> impl Iterator<Item = f64> {
    let step = if count > 1 {
        PI / (count - 1) as f64
    } else {
        0.0
    };
    (0..count).map(move |index| index as f64 * step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noiseless_moons_lie_on_their_half_circles() {
        let data = make_moons(101, 0.0, 7);
        assert_eq!(data.labels.iter().filter(|&&label| label == 0).count(), 50);
        assert_eq!(data.labels.iter().filter(|&&label| label == 1).count(), 51);
        for (row, &label) in data.labels.iter().enumerate() {
            let [x, y] = [data.features.row(row)[0], data.features.row(row)[1]];
            let (centre_x, centre_y) = if label == 0 { (0.0, 0.0) } else { (1.0, 0.5) };
            let radius = ((x - centre_x).powi(2) + (y - centre_y).powi(2)).sqrt();
            assert!((radius - 1.0).abs() < 1e-12, "row {row}: radius {radius}");
            let upper = if label == 0 {
                y >= -1e-12
            } else {
                y <= 0.5 + 1e-12
            };
            assert!(upper, "row {row} is on the wrong half: ({x}, {y})");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_points_and_another_seed_does_not() {
        let first = make_moons(50, 0.2, 3);
        let again = make_moons(50, 0.2, 3);
        let other = make_moons(50, 0.2, 4);
        assert_eq!(first.features.data(), again.features.data());
        assert_eq!(first.labels, again.labels);
        assert_ne!(first.features.data(), other.features.data());
    }

    #[test]
    fn the_points_are_shuffled() {
        let data = make_moons(200, 0.1, 0);
        assert_ne!(data.labels[..100], [0; 100]);
    }
}
