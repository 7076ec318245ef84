//! The library's public surface: plain seeds instead of a rand generator, and one activation type
//! shared with the engine, every kind of which trains and survives a checkpoint.

use autograd::Tensor;
use nn::checkpoint::{from_json, to_json};
use nn::train::{TrainConfig, train};
use nn::{Activation, Dataset, Init, Mlp};

#[test]
fn models_are_built_from_plain_seeds() {
    // A u64 is all a caller passes: no rand type of any version is part of the signature.
    let seed: u64 = 5;
    let a = Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, seed);
    assert_eq!(
        a,
        Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, seed)
    );
    assert_ne!(a, Mlp::new(&[2, 3, 2], Activation::Tanh, Init::Tutorial, 6));
    // The first layer is the generator's first draw, as Init::weights draws it alone.
    assert_eq!(
        a.params().get("W1"),
        Some(&Init::Tutorial.weights(2, 3, seed))
    );
    let logistic = Mlp::logistic(2, 3, seed);
    assert_eq!(
        logistic.params().get("W1"),
        Some(&Init::Tutorial.weights(2, 3, seed))
    );
    let binary = Mlp::binary_logistic(4, seed);
    assert_eq!(
        binary.params().get("W1"),
        Some(&Init::Tutorial.weights(4, 1, seed))
    );
}

#[test]
fn nn_activation_is_the_engines_activation() {
    let engine: autograd::Activation = Activation::Gelu;
    let back: Activation = engine;
    assert_eq!(back, autograd::Activation::Gelu);
    assert_eq!(
        "leaky_relu:0.2".parse::<Activation>(),
        Ok(autograd::Activation::LeakyRelu { slope: 0.2 })
    );
}

/// Four points of each class at the corners of a square, class 1 on the diagonal (XOR): no line
/// separates them, so a net must bend its boundary with its activation.
fn xor() -> Dataset {
    let points = [
        [-1.0, -1.0],
        [1.0, 1.0],
        [-1.0, 1.0],
        [1.0, -1.0],
        [-0.8, -1.2],
        [1.2, 0.8],
        [-1.2, 0.8],
        [0.8, -1.2],
    ];
    Dataset::new(Tensor::from_rows(&points), vec![1, 1, 0, 0, 1, 1, 0, 0])
}

#[test]
fn every_activation_trains_a_net_and_survives_a_checkpoint() {
    let mut activations = Activation::ALL.to_vec();
    activations.push(Activation::LeakyRelu { slope: 0.2 });
    activations.push(Activation::Elu { alpha: 0.5 });
    let config = TrainConfig {
        passes: 400,
        learning_rate: 0.05,
        reg: 0.0,
        report_every: 400,
        ..TrainConfig::default()
    };
    for activation in activations {
        let mut model = Mlp::new(&[2, 8, 2], activation, Init::Xavier, 3);
        let summary = train(&mut model, &xor(), &config, |_| {}).unwrap();
        let (first, last) = (summary.history[0].loss, summary.last().loss);
        assert!(last < 0.5 * first, "{activation}: loss {first} -> {last}");
        assert_eq!(summary.last().train_accuracy, 1.0, "{activation}");
        let text = to_json(&model);
        let reloaded = from_json(&text).unwrap();
        assert_eq!(reloaded, model, "{activation}: {text}");
        assert_eq!(reloaded.activations(), &[activation]);
    }
}
