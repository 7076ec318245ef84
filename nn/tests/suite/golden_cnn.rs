//! The digits CNN against an independent numpy implementation (bench/reference/cnn_digits.py):
//! from the same initial weights and the same mini-batches, the same loss at every step.

use autograd::{Tape, Tensor};
use nn::checkpoint::sequential_from_json;
use nn::{OptimizerKind, Reduction};

const DIGITS: &str = include_str!("../golden/digits/digits320.csv");
const INIT: &str = include_str!("../golden/digits/cnn_init.json");
const BATCHES: &str = include_str!("../golden/digits/cnn_batches.csv");
const LOSSES: &str = include_str!("../golden/digits/cnn_losses.csv");

const LEARNING_RATE: f64 = 0.1;
const REG: f64 = 1e-3;

/// The images (pixels / 16, one row of 64 per image) and their labels.
fn digits() -> (Vec<Vec<f64>>, Vec<usize>) {
    DIGITS
        .lines()
        .map(|line| {
            let fields: Vec<u32> = line
                .split(',')
                .map(|field| field.parse().unwrap())
                .collect();
            let pixels = fields[..64].iter().map(|&p| f64::from(p) / 16.0).collect();
            (pixels, fields[64] as usize)
        })
        .unzip()
}

#[test]
fn digits_cnn_losses_match_the_numpy_reference_for_120_steps() {
    let mut model = sequential_from_json(INIT).unwrap();
    assert_eq!(model.params().len(), 8);
    let (images, labels) = digits();
    let expected: Vec<f64> = LOSSES
        .lines()
        .skip(1)
        .map(|line| line.split_once(',').unwrap().1.parse().unwrap())
        .collect();
    let mut optimizer = OptimizerKind::Gd.build(LEARNING_RATE);
    let mut tape = Tape::new();
    let mut steps = 0;
    for (step, line) in BATCHES.lines().enumerate() {
        let rows: Vec<usize> = line.split(',').map(|i| i.parse().unwrap()).collect();
        let pixels: Vec<f64> = rows.iter().flat_map(|&i| images[i].clone()).collect();
        let features = Tensor::from_vec(pixels, [rows.len(), 64]);
        let batch_labels: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
        // The reference adds REG/2·Σ‖W‖² to the mean loss; under the mean reduction nn divides
        // `reg` by the batch's rows (so that sum and mean share a minimiser), hence the factor.
        let reg = REG * rows.len() as f64;
        let (loss, grads) =
            model.gradients(&mut tape, &features, &batch_labels, Reduction::Mean, reg);
        let want = expected[step];
        assert!(
            (loss - want).abs() <= 1e-9 * want.abs(),
            "step {step}: loss {loss} vs numpy {want}"
        );
        optimizer.step(model.params_mut(), &grads);
        steps += 1;
    }
    assert_eq!(steps, 120);
    assert!(
        expected[119] < 0.3 * expected[0],
        "the reference run learns"
    );
}
