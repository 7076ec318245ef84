//! Lesson: swapping the architecture — deeper, relu, Adam, mean loss — with no new derivative.
//!
//! Run with `cargo run --release -p nn --example swap_architecture`.
//!
//! The tutorial would need a fresh page of calculus for each of these changes. Here each is a
//! different value in `Mlp::with_activations` or `TrainConfig`; the tape derives the gradients.

mod support;

use nn::train::{TrainConfig, train};
use nn::{Activation, Dataset, Init, Mlp, OptimizerKind, Reduction};
use support::load_moons;

/// One architecture to try: hidden sizes, activations, optimiser, learning rate.
struct Variant {
    name: &'static str,
    hidden: &'static [usize],
    activations: &'static [Activation],
    optimizer: OptimizerKind,
    learning_rate: f64,
}

const VARIANTS: [Variant; 4] = [
    Variant {
        name: "the tutorial: 3 tanh, gradient descent",
        hidden: &[3],
        activations: &[Activation::Tanh],
        optimizer: OptimizerKind::Gd,
        learning_rate: 0.5,
    },
    Variant {
        name: "deeper: 8-8 tanh",
        hidden: &[8, 8],
        activations: &[Activation::Tanh, Activation::Tanh],
        optimizer: OptimizerKind::Gd,
        learning_rate: 0.5,
    },
    Variant {
        name: "relu: 16-16 relu, He init",
        hidden: &[16, 16],
        activations: &[Activation::Relu, Activation::Relu],
        optimizer: OptimizerKind::Gd,
        learning_rate: 0.2,
    },
    Variant {
        name: "Adam: 16-16 relu",
        hidden: &[16, 16],
        activations: &[Activation::Relu, Activation::Relu],
        optimizer: OptimizerKind::Adam,
        learning_rate: 0.01,
    },
];

fn main() {
    let data = load_moons();
    for variant in &VARIANTS {
        let accuracy = train_variant(variant, &data, 2000);
        println!("{:<40} train accuracy {accuracy:.3}", variant.name);
    }
}

/// Trains one variant on the mean cross-entropy and returns its final training accuracy.
fn train_variant(variant: &Variant, data: &Dataset, passes: usize) -> f64 {
    let mut sizes = vec![2];
    sizes.extend_from_slice(variant.hidden);
    sizes.push(2);
    let init = if variant.activations.contains(&Activation::Relu) {
        Init::He
    } else {
        Init::Tutorial
    };
    let mut model = Mlp::with_activations(&sizes, variant.activations, init, 1);
    let config = TrainConfig {
        passes,
        learning_rate: variant.learning_rate,
        reg: 1e-4,
        reduction: Reduction::Mean,
        optimizer: variant.optimizer,
        report_every: passes,
        ..TrainConfig::default()
    };
    let summary = train(&mut model, data, &config, |_| {}).expect("training converges");
    summary.last().train_accuracy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_learns_the_moons() {
        let data = load_moons();
        for variant in &VARIANTS {
            let accuracy = train_variant(variant, &data, 1500);
            assert!(accuracy > 0.85, "{}: accuracy {accuracy}", variant.name);
        }
    }
}
