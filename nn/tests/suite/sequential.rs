//! Sequential models through the public API: the training loop, checkpoints, and architectures
//! that cannot work.

use autograd::Tensor;
use nn::checkpoint::{sequential_from_json, sequential_to_json};
use nn::train::{TrainConfig, train};
use nn::{Dataset, Init, OptimizerKind, Reduction, Sequential};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// 1×4×4 images whose class is the half (top 0, bottom 1) that holds a bright bar.
fn bars() -> Dataset {
    let mut rng = StdRng::seed_from_u64(3);
    let noise = Tensor::rand_uniform([40, 16], 0.0, 0.3, &mut rng);
    let mut features = noise.data().to_vec();
    let labels: Vec<usize> = (0..40).map(|i| i % 2).collect();
    for (image, &label) in labels.iter().enumerate() {
        let row = label * 2 + image % 2;
        for column in 0..4 {
            features[image * 16 + row * 4 + column] += 1.0;
        }
    }
    Dataset::new(Tensor::from_vec(features, [40, 16]), labels)
}

fn model() -> Sequential {
    let layers = "conv 2 3x3 pad 1, relu, maxpool 2, flatten, dense 2";
    Sequential::from_text("1x4x4", layers, Init::He, &mut StdRng::seed_from_u64(1)).unwrap()
}

#[test]
fn the_training_loop_trains_a_convolutional_model() {
    let mut model = model();
    let config = TrainConfig {
        passes: 40,
        learning_rate: 0.05,
        reg: 1e-4,
        reduction: Reduction::Mean,
        optimizer: OptimizerKind::Adam,
        batch_size: Some(8),
        report_every: 40,
        ..TrainConfig::default()
    };
    let summary = train(&mut model, &bars(), &config, |_| {}).unwrap();
    assert!(
        summary.last().loss < 0.25 * summary.history[0].loss,
        "{summary:?}"
    );
    assert_eq!(summary.last().train_accuracy, 1.0);
    assert_eq!(model.predict(&bars().features), bars().labels);
}

#[test]
fn a_checkpoint_gives_back_the_same_model_bit_for_bit() {
    let layers = "conv 2 3x3 pad 1, batchnorm, relu, avgpool 2, flatten, dense 3";
    let mut model =
        Sequential::from_text("1x4x4", layers, Init::Xavier, &mut StdRng::seed_from_u64(2))
            .unwrap();
    let mut tape = autograd::Tape::new();
    let data = bars();
    model.gradients(
        &mut tape,
        &data.features,
        &data.labels,
        Reduction::Mean,
        0.0,
    );
    let restored = sequential_from_json(&sequential_to_json(&model)).unwrap();
    assert_eq!(restored.params(), model.params());
    assert_eq!(restored.buffers(), model.buffers());
    assert_eq!(restored.description(), layers);
    assert_eq!(
        restored.logits(&data.features),
        model.logits(&data.features)
    );
}

#[test]
fn a_checkpoint_of_another_architecture_is_one_clear_error() {
    let json = sequential_to_json(&model());
    let wider = json.replace("conv 2 3x3 pad 1", "conv 4 3x3 pad 1");
    assert_eq!(
        sequential_from_json(&wider).unwrap_err().to_string(),
        "checkpoint: parameter \"conv1.weight\" has shape [2, 1, 3, 3], expected [4, 1, 3, 3]"
    );
    let broken = json.replace("maxpool 2", "maxpool");
    assert_eq!(
        sequential_from_json(&broken).unwrap_err().to_string(),
        "checkpoint: layer 3 (\"maxpool\"): missing kernel size: expected `maxpool K [stride S] [pad P]`"
    );
    let too_small = json.replace("\"input\": [1, 4, 4]", "\"input\": [1, 1, 1]");
    assert!(
        sequential_from_json(&too_small)
            .unwrap_err()
            .to_string()
            .starts_with("checkpoint: layer 3 (\"maxpool 2\") on input 2x1x1:"),
    );
    let mlp = nn::checkpoint::to_json(&nn::Mlp::logistic(2, 2, &mut StdRng::seed_from_u64(0)));
    assert_eq!(
        sequential_from_json(&mlp).unwrap_err().to_string(),
        "checkpoint: missing field \"input\""
    );
}
