//! Toy two-feature data sets beside the moons: circles, spirals, blobs and XOR, each from a seed.

use std::f64::consts::PI;

use autograd::Tensor;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

use crate::data::LabeledData;

/// `count` points on two concentric circles, radius 1 (label 0) and 0.5 (label 1), evenly spaced
/// in angle, shuffled, each coordinate then moved by Gaussian noise of standard deviation `noise`
/// (scikit-learn's `make_circles` with `factor = 0.5`).
///
/// # Panics
/// If `noise` is negative or not finite.
pub fn circles(count: usize, noise: f64, seed: u64) -> LabeledData {
    let outer = count / 2;
    let mut points = Vec::with_capacity(count);
    for (label, radius, points_on) in [(0, 1.0, outer), (1, 0.5, count - outer)] {
        for i in 0..points_on {
            let angle = 2.0 * PI * i as f64 / points_on as f64;
            points.push(([radius * angle.cos(), radius * angle.sin()], label));
        }
    }
    shuffled_with_noise(points, noise, seed, "circles")
}

/// `count` points on two interleaved spirals (labels 0 and 1), each turning 1.75 times around
/// the origin as its radius grows from 0 to 1, the second the first turned by half a circle,
/// shuffled, with Gaussian noise of standard deviation `noise` on each coordinate.
///
/// # Panics
/// If `noise` is negative or not finite.
pub fn spirals(count: usize, noise: f64, seed: u64) -> LabeledData {
    let first = count / 2;
    let mut points = Vec::with_capacity(count);
    for (label, points_on) in [(0usize, first), (1, count - first)] {
        for i in 0..points_on {
            let radius = (i as f64 + 0.5) / points_on as f64;
            let angle = 3.5 * PI * radius + PI * label as f64;
            points.push(([radius * angle.cos(), radius * angle.sin()], label));
        }
    }
    shuffled_with_noise(points, noise, seed, "spirals")
}

/// `count` points in `classes` Gaussian blobs of standard deviation `noise` around centres
/// evenly spaced on the circle of radius 2 (class `k` at angle `2πk/classes`), as near equal
/// in size as `count` allows, shuffled.
///
/// # Panics
/// If `classes` is 0, or `noise` is negative or not finite.
pub fn blobs(count: usize, classes: usize, noise: f64, seed: u64) -> LabeledData {
    assert!(classes > 0, "blobs: 0 classes");
    let points = (0..count)
        .map(|i| {
            let class = i % classes;
            let angle = 2.0 * PI * class as f64 / classes as f64;
            ([2.0 * angle.cos(), 2.0 * angle.sin()], class)
        })
        .collect();
    shuffled_with_noise(points, noise, seed, "blobs")
}

/// `count` points drawn uniformly from the square `[−1, 1]²`, labelled 1 when exactly one
/// coordinate is positive (exclusive or) and 0 otherwise, then moved by Gaussian noise of
/// standard deviation `noise` (so that noise blurs the quadrants' borders).
///
/// # Panics
/// If `noise` is negative or not finite.
pub fn xor(count: usize, noise: f64, seed: u64) -> LabeledData {
    let mut rng = StdRng::seed_from_u64(seed);
    let points = (0..count)
        .map(|_| {
            let x: f64 = rng.random_range(-1.0..1.0);
            let y: f64 = rng.random_range(-1.0..1.0);
            ([x, y], usize::from((x > 0.0) != (y > 0.0)))
        })
        .collect();
    shuffled_with_noise(points, noise, seed.wrapping_add(1), "xor")
}

/// The points in a seeded random order, each coordinate moved by its own noise draw.
fn shuffled_with_noise(
    mut points: Vec<([f64; 2], usize)>,
    noise: f64,
    seed: u64,
    generator: &str,
) -> LabeledData {
    let Ok(normal) = Normal::new(0.0, noise) else {
        panic!("{generator}: noise {noise} is not a valid standard deviation")
    };
    let mut rng = StdRng::seed_from_u64(seed);
    points.shuffle(&mut rng);
    let mut features = Vec::with_capacity(2 * points.len());
    let mut labels = Vec::with_capacity(points.len());
    for ([x, y], label) in &points {
        features.push(x + normal.sample(&mut rng));
        features.push(y + normal.sample(&mut rng));
        labels.push(*label);
    }
    LabeledData {
        feature_names: vec!["x".to_string(), "y".to_string()],
        features: Tensor::from_vec(features, [points.len(), 2]),
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn radius(data: &LabeledData, row: usize) -> f64 {
        let point = data.features.row(row);
        point[0].hypot(point[1])
    }

    #[test]
    fn noiseless_circles_lie_on_their_radii() {
        let data = circles(9, 0.0, 3);
        assert_eq!(data.labels.iter().filter(|&&l| l == 0).count(), 4);
        for row in 0..9 {
            let expected = [1.0, 0.5][data.labels[row]];
            assert!((radius(&data, row) - expected).abs() < 1e-12);
        }
    }

    #[test]
    fn noiseless_spirals_grow_from_the_centre_half_a_turn_apart() {
        let data = spirals(200, 0.0, 1);
        for row in 0..200 {
            let point = data.features.row(row);
            let r = radius(&data, row);
            let expected = 3.5 * PI * r + PI * data.labels[row] as f64;
            let turned = (point[1].atan2(point[0]) - expected).rem_euclid(2.0 * PI);
            assert!(turned < 1e-9 || 2.0 * PI - turned < 1e-9, "row {row}");
            assert!(r > 0.0 && r < 1.0);
        }
    }

    #[test]
    fn blobs_have_every_class_around_its_centre() {
        let data = blobs(40, 4, 0.0, 0);
        for class in 0..4 {
            assert_eq!(data.labels.iter().filter(|&&l| l == class).count(), 10);
        }
        for row in 0..40 {
            let angle = 2.0 * PI * data.labels[row] as f64 / 4.0;
            let point = data.features.row(row);
            assert!((point[0] - 2.0 * angle.cos()).abs() < 1e-12);
            assert!((point[1] - 2.0 * angle.sin()).abs() < 1e-12);
        }
    }

    #[test]
    fn noiseless_xor_labels_are_the_quadrants() {
        let data = xor(100, 0.0, 5);
        for row in 0..100 {
            let point = data.features.row(row);
            assert_eq!(
                data.labels[row],
                usize::from((point[0] > 0.0) != (point[1] > 0.0))
            );
        }
        assert!(data.labels.contains(&0) && data.labels.contains(&1));
    }

    #[test]
    fn the_same_seed_gives_the_same_points() {
        assert_eq!(xor(30, 0.2, 7).features, xor(30, 0.2, 7).features);
        assert_ne!(xor(30, 0.2, 7).features, xor(30, 0.2, 8).features);
    }
}
