//! Sequence models against finite differences (first and second order) and hand formulas:
//! cells unrolled over 16 steps, causal attention, layer norm, the causal mask.

use autograd::gradcheck::{gradgradcheck, scalar_function};
use autograd::{GradcheckOptions, Tape, Tensor, Var, gradcheck};
use nn::seq::{
    Attention, Block, Cell, GruCell, LstmCell, RnnCell, Transformer, TransformerConfig,
    causal_mask, layer_norm, unroll,
};
use nn::{ParamVars, Params};
use rand::SeedableRng;
use rand::rngs::StdRng;

const STEPS: usize = 16;
const BATCH: usize = 2;
const INPUT: usize = 3;
const HIDDEN: usize = 3;

/// `Σ w ⊙ y` with fixed, distinct weights, so every output entry matters differently.
fn weighted<'t>(y: Var<'t>) -> Var<'t> {
    autograd::cases::weighted_sum(y)
}

/// The cell's parameters (biases made non-zero) followed by the input sequence `[STEPS, B, I]`.
fn cell_inputs(cell: &impl Cell, seed: u64) -> (Params, Vec<Tensor>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut params = Params::new();
    cell.init(&mut params, &mut rng);
    for (_, t) in params.iter_mut() {
        *t = Tensor::randn(t.shape(), &mut rng).map(|x| 0.5 * x);
    }
    let mut inputs: Vec<Tensor> = params.iter().map(|(_, t)| t.clone()).collect();
    inputs.push(Tensor::randn([STEPS, BATCH, INPUT], &mut rng));
    (params, inputs)
}

/// The weighted sum of every step's hidden output, from the cell unrolled over the sequence.
fn unrolled_loss<'t>(cell: &impl Cell, params: &Params, vars: &[Var<'t>]) -> Var<'t> {
    let (sequence, weights) = vars.split_last().unwrap();
    let p = params.with_vars(weights);
    let steps: Vec<Var<'t>> = (0..STEPS)
        .map(|t| sequence.slice(0, t, 1).reshape([BATCH, INPUT]))
        .collect();
    let outputs = unroll(cell, &p, &steps);
    assert_eq!(outputs.len(), STEPS);
    weighted(Var::stack(&outputs, 0))
}

fn check_cell(cell: impl Cell, seed: u64) {
    let (params, inputs) = cell_inputs(&cell, seed);
    let f = scalar_function(|vars| unrolled_loss(&cell, &params, vars));
    let report = gradcheck(f, &inputs, &GradcheckOptions::default());
    assert!(report.passed, "first order: {report}");
    let numel: usize = inputs.iter().map(Tensor::len).sum();
    assert_eq!(report.checked, numel);
    let report = gradgradcheck(f, &inputs, seed, &GradcheckOptions::directions(6, seed));
    assert!(report.passed, "second order: {report}");
}

#[test]
fn an_rnn_unrolled_over_16_steps_matches_finite_differences_to_second_order() {
    check_cell(
        RnnCell {
            prefix: "rnn".into(),
            input: INPUT,
            hidden: HIDDEN,
        },
        1,
    );
}

#[test]
fn a_gru_unrolled_over_16_steps_matches_finite_differences_to_second_order() {
    check_cell(
        GruCell {
            prefix: "gru".into(),
            input: INPUT,
            hidden: HIDDEN,
        },
        2,
    );
}

#[test]
fn an_lstm_unrolled_over_16_steps_matches_finite_differences_to_second_order() {
    check_cell(
        LstmCell {
            prefix: "lstm".into(),
            input: INPUT,
            hidden: HIDDEN,
        },
        3,
    );
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `x · W[:, col]` for a row `x` and a matrix stored row-major with `columns` columns.
fn dot_column(x: &[f64], w: &Tensor, col: usize) -> f64 {
    let columns = w.dims()[1];
    x.iter()
        .enumerate()
        .map(|(i, v)| v * w.data()[i * columns + col])
        .sum()
}

#[test]
fn one_gru_step_follows_pytorchs_gate_equations_written_out_by_hand() {
    let cell = GruCell {
        prefix: "gru".into(),
        input: INPUT,
        hidden: HIDDEN,
    };
    let (params, inputs) = cell_inputs(&cell, 4);
    let x = inputs[4].data()[..INPUT].to_vec();
    let h: Vec<f64> = vec![0.3, -0.7, 0.2];
    let tape = Tape::new();
    let p = params.constants_on(&tape);
    let x_var = tape.constant(Tensor::from_vec(x.clone(), [1, INPUT]));
    let h_var = tape.constant(Tensor::from_vec(h.clone(), [1, HIDDEN]));
    let next = cell.step(&p, x_var, &[h_var])[0].value().clone();
    let get = |name: &str| params.get(&format!("gru.{name}")).unwrap().clone();
    let (w_i, b_i, w_h, b_h) = (get("W_i"), get("b_i"), get("W_h"), get("b_h"));
    for j in 0..HIDDEN {
        let gi = |k: usize| dot_column(&x, &w_i, k * HIDDEN + j) + b_i.data()[k * HIDDEN + j];
        let gh = |k: usize| dot_column(&h, &w_h, k * HIDDEN + j) + b_h.data()[k * HIDDEN + j];
        let r = sigmoid(gi(0) + gh(0));
        let z = sigmoid(gi(1) + gh(1));
        let n = (gi(2) + r * gh(2)).tanh();
        let expected = (1.0 - z) * n + z * h[j];
        assert!(
            (next.data()[j] - expected).abs() < 1e-14,
            "unit {j}: {} vs {expected}",
            next.data()[j]
        );
    }
}

/// A block's or attention's parameters with random values (gains and biases included), and an
/// input `[2, 4, width]`.
fn random_inputs(params: &Params, width: usize, seed: u64) -> Vec<Tensor> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut inputs: Vec<Tensor> = params
        .iter()
        .map(|(_, t)| Tensor::randn(t.shape(), &mut rng).map(|x| 0.6 * x))
        .collect();
    inputs.push(Tensor::randn([2, 4, width], &mut rng));
    inputs
}

fn check_both_orders<F>(f: F, inputs: &[Tensor], seed: u64)
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let report = gradcheck(&f, inputs, &GradcheckOptions::default());
    assert!(report.passed, "first order: {report}");
    let report = gradgradcheck(&f, inputs, seed, &GradcheckOptions::directions(6, seed));
    assert!(report.passed, "second order: {report}");
}

#[test]
fn single_and_multi_head_attention_match_finite_differences_to_second_order() {
    for heads in [1, 2] {
        let attention = Attention {
            prefix: "attn".into(),
            width: 4,
            heads,
        };
        let mut params = Params::new();
        attention.init(&mut params, &mut StdRng::seed_from_u64(5));
        let inputs = random_inputs(&params, 4, 6 + heads as u64);
        let f = scalar_function(|vars| {
            let (x, weights) = vars.split_last().unwrap();
            weighted(attention.forward(&params.with_vars(weights), *x).0)
        });
        check_both_orders(f, &inputs, heads as u64);
    }
}

#[test]
fn a_transformer_block_matches_finite_differences_to_second_order() {
    let block = Block {
        prefix: "block0".into(),
        width: 4,
        heads: 2,
    };
    let mut params = Params::new();
    block.init(&mut params, &mut StdRng::seed_from_u64(8));
    let inputs = random_inputs(&params, 4, 9);
    let f = scalar_function(|vars| {
        let (x, weights) = vars.split_last().unwrap();
        weighted(block.forward(&params.with_vars(weights), *x).0)
    });
    check_both_orders(f, &inputs, 10);
}

#[test]
fn the_transformers_loss_matches_finite_differences() {
    let config = TransformerConfig {
        vocab: 5,
        context: 6,
        width: 4,
        heads: 2,
        layers: 2,
    };
    let model = Transformer { config };
    let params = model.init(&mut StdRng::seed_from_u64(11));
    let inputs: Vec<Tensor> = params.iter().map(|(_, t)| t.clone()).collect();
    let ids = [0, 3, 1, 4, 4, 2, 1, 0];
    let targets = [3, 1, 4, 0, 2, 1, 0, 3];
    let f = scalar_function(|vars| {
        let (logits, _) = model.forward(&params.with_vars(vars), &ids, 2, 4);
        logits.softmax_cross_entropy(&targets).mean()
    });
    let report = gradcheck(f, &inputs, &GradcheckOptions::default());
    assert!(report.passed, "{report}");
}

#[test]
fn masked_attention_weights_are_exact_zeros_after_each_step_and_rows_sum_to_one() {
    let attention = Attention {
        prefix: "attn".into(),
        width: 4,
        heads: 2,
    };
    let mut params = Params::new();
    attention.init(&mut params, &mut StdRng::seed_from_u64(12));
    let tape = Tape::new();
    let x = tape.var(Tensor::randn([2, 5, 4], &mut StdRng::seed_from_u64(13)));
    let (y, weights) = attention.forward(&params.on_tape(&tape), x);
    let w = weights.value().clone();
    assert_eq!(w.dims(), &[2, 2, 5, 5]);
    for h in 0..2 {
        for b in 0..2 {
            for i in 0..5 {
                let row: Vec<f64> = (0..5).map(|j| w.get(&[b, h, i, j]).unwrap()).collect();
                assert!(row[i + 1..].iter().all(|&v| v == 0.0), "row {i}: {row:?}");
                assert!(row[..=i].iter().all(|&v| v > 0.0), "row {i}: {row:?}");
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-15);
            }
        }
    }
    let grads = weighted(y).backward();
    assert!(grads.get(x).unwrap().all_finite());
}

#[test]
fn a_softmax_over_a_row_with_minus_infinity_is_exact_and_its_gradient_has_no_nan() {
    let tape = Tape::new();
    let scores = tape.var(Tensor::from_rows(&[[0.5, 1.5, -2.0], [0.0, 0.0, 0.0]]));
    let mask = tape.constant(causal_mask(3).slice_axis(0, 1, 2));
    let y = (scores + mask).softmax(1);
    let e = (1.0f64).exp();
    let expected = [
        1.0 / (1.0 + e),
        e / (1.0 + e),
        0.0,
        1.0 / 3.0,
        1.0 / 3.0,
        1.0 / 3.0,
    ];
    for (got, want) in y.value().data().iter().zip(expected) {
        assert!((got - want).abs() < 1e-15, "{got} vs {want}");
    }
    assert_eq!(y.value().data()[2], 0.0);
    let grads = weighted(y).backward();
    let g = grads.get(scores).unwrap();
    assert!(g.all_finite(), "{g}");
    assert_eq!(g.data()[2], 0.0);
}

#[test]
fn an_earlier_step_of_the_transformer_does_not_see_later_tokens() {
    let config = TransformerConfig {
        vocab: 5,
        context: 6,
        width: 4,
        heads: 2,
        layers: 2,
    };
    let model = Transformer { config };
    let params = model.init(&mut StdRng::seed_from_u64(14));
    let logits = |ids: &[usize]| {
        let tape = Tape::new();
        let (y, _) = model.forward(&params.constants_on(&tape), ids, 1, 4);
        y.value().clone()
    };
    let (a, b) = (logits(&[1, 2, 3, 4]), logits(&[1, 2, 0, 0]));
    assert_eq!(a.data()[..10], b.data()[..10]);
    assert_ne!(a.data()[10..15], b.data()[10..15]);
}

#[test]
fn layer_norm_gives_each_lane_mean_zero_and_variance_one_before_gain_and_bias() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_rows(&[
        [1.0, 2.0, 3.0, 6.0],
        [-1.0, 0.0, 0.0, 1.0],
    ]));
    let gain = tape.var(Tensor::from_vec(vec![2.0; 4], [4]));
    let bias = tape.var(Tensor::from_vec(vec![0.5; 4], [4]));
    let y = layer_norm(x, gain, bias, 0.0).value().clone();
    // Row 0: mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5.
    let sd = 3.5f64.sqrt();
    for (j, v) in [1.0, 2.0, 3.0, 6.0].iter().enumerate() {
        let want = 2.0 * (v - 3.0) / sd + 0.5;
        assert!((y.data()[j] - want).abs() < 1e-14);
    }
    let report = gradcheck(
        |v| weighted(layer_norm(v[0], v[1], v[2], 1e-5)),
        &[
            Tensor::randn([3, 4], &mut StdRng::seed_from_u64(15)),
            Tensor::ones([4]),
            Tensor::zeros([4]),
        ],
        &GradcheckOptions::default(),
    );
    assert!(report.passed, "{report}");
}

/// The layer norm as composed from elementary ops: the definition the fused op is held to.
fn composed_layer_norm<'t>(x: Var<'t>, gain: Var<'t>, bias: Var<'t>, eps: f64) -> Var<'t> {
    let axis = x.shape().rank() - 1;
    let centred = x - x.mean_axis(axis, true);
    let variance = centred.square().mean_axis(axis, true);
    centred / (variance + eps).sqrt() * gain + bias
}

#[test]
fn layer_norm_gives_the_values_and_gradients_of_its_composition() {
    let mut rng = StdRng::seed_from_u64(16);
    let inputs = [
        Tensor::randn([2, 3, 5], &mut rng),
        Tensor::randn([5], &mut rng),
        Tensor::randn([5], &mut rng),
    ];
    let run = |norm: for<'t> fn(Var<'t>, Var<'t>, Var<'t>, f64) -> Var<'t>| {
        let tape = Tape::new();
        let vars: Vec<Var> = inputs.iter().map(|t| tape.var(t.clone())).collect();
        let y = norm(vars[0], vars[1], vars[2], 1e-5);
        let loss = weighted(y);
        let grads = loss.backward();
        let mut values = y.value().data().to_vec();
        for var in &vars {
            values.extend(grads.get(*var).expect("every input is used").data());
        }
        values
    };
    let (fused, composed) = (run(layer_norm), run(composed_layer_norm));
    for (i, (f, c)) in fused.iter().zip(&composed).enumerate() {
        assert!(
            (f - c).abs() <= 1e-12 * c.abs().max(1.0),
            "value or gradient {i}: fused {f}, composed {c}"
        );
    }
}

#[test]
#[should_panic(expected = "embedding: id 7 at position 1 is out of range for a table [5, 2]")]
fn an_embedding_id_out_of_range_names_the_op_and_the_table() {
    let tape = Tape::new();
    tape.var(Tensor::zeros([5, 2])).embedding(&[0, 7]);
}

#[test]
#[should_panic(expected = "batch_matmul: [2, 3, 4] · [3, 4, 2]: the batch sizes differ")]
fn batch_matmul_with_mismatched_batches_names_the_op_and_the_shapes() {
    let tape = Tape::new();
    tape.var(Tensor::zeros([2, 3, 4]))
        .batch_matmul(tape.var(Tensor::zeros([3, 4, 2])));
}

/// A tensor from the fixture's `{"shape": [...], "data": [...]}`.
fn fixture_tensor(value: &serde_json::Value) -> Tensor {
    let dims: Vec<usize> = value["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect();
    let data = value["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    Tensor::from_vec(data, autograd::Shape::new(&dims))
}

fn fixture_indices(value: &serde_json::Value) -> Vec<usize> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect()
}

/// A language model's logits `[batch·time, vocab]` for `batch` sequences of `time` ids.
trait LanguageModel {
    fn logits<'t>(&self, p: &ParamVars<'t>, ids: &[usize], batch: usize, time: usize) -> Var<'t>;
}

impl<C: nn::seq::Cell> LanguageModel for nn::seq::RecurrentLm<C> {
    fn logits<'t>(&self, p: &ParamVars<'t>, ids: &[usize], batch: usize, time: usize) -> Var<'t> {
        self.forward(p, ids, batch, time)
    }
}

impl LanguageModel for Transformer {
    fn logits<'t>(&self, p: &ParamVars<'t>, ids: &[usize], batch: usize, time: usize) -> Var<'t> {
        self.forward(p, ids, batch, time).0
    }
}

/// The fixture's size `name` (`{"sizes": {name: n}}`).
fn fixture_size(fixture: &serde_json::Value, name: &str) -> usize {
    fixture["sizes"][name].as_u64().unwrap() as usize
}

/// The fixture's parameters (`{name: {"shape", "data"}}`).
fn fixture_params(fixture: &serde_json::Value) -> Params {
    let mut params = Params::new();
    for (name, value) in fixture["params"].as_object().unwrap() {
        params.insert(name.clone(), fixture_tensor(value));
    }
    params
}

/// Trains `model` from `params` by plain gradient descent on the fixture's batch, as the numpy
/// reference did, holding each step's loss to the reference's within 1e-9; returns the
/// reference's losses.
fn follow_reference(
    fixture: &serde_json::Value,
    model: &impl LanguageModel,
    mut params: Params,
) -> Vec<f64> {
    use nn::Optimizer;
    use nn::optim::Sgd;
    let size = |name: &str| fixture_size(fixture, name);
    let (ids, rows) = (
        fixture_indices(&fixture["ids"]),
        fixture_indices(&fixture["rows"]),
    );
    let targets = fixture_indices(&fixture["targets"]);
    let expected: Vec<f64> = fixture["losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(expected.len() >= 100);
    let mut sgd = Sgd::new(fixture["rate"].as_f64().unwrap());
    for (step, want) in expected.iter().enumerate() {
        let tape = Tape::new();
        let p = params.on_tape(&tape);
        let logits = model.logits(&p, &ids, size("batch"), size("time"));
        let loss = logits
            .embedding(&rows)
            .softmax_cross_entropy(&targets)
            .mean();
        let got = loss.item();
        assert!(
            (got - want).abs() < 1e-9,
            "step {step}: ours {got}, numpy {want}"
        );
        let grads = p.gradients(&mut loss.backward());
        sgd.step(&mut params, &grads);
    }
    expected
}

#[test]
fn the_gru_language_model_follows_the_numpy_reference_for_100_steps() {
    use nn::seq::RecurrentLm;
    let text = include_str!("../golden/names_gru_reference.json");
    let fixture: serde_json::Value = serde_json::from_str(text).unwrap();
    let size = |name: &str| fixture_size(&fixture, name);
    let model = RecurrentLm {
        vocab: size("vocab"),
        embed: size("embed"),
        cell: GruCell {
            prefix: "gru".into(),
            input: size("embed"),
            hidden: size("hidden"),
        },
    };
    follow_reference(&fixture, &model, fixture_params(&fixture));
}

#[test]
fn the_transformer_follows_the_numpy_reference_for_100_steps() {
    let text = include_str!("../golden/names_transformer_reference.json");
    let fixture: serde_json::Value = serde_json::from_str(text).unwrap();
    let size = |name: &str| fixture_size(&fixture, name);
    let model = Transformer {
        config: TransformerConfig {
            vocab: size("vocab"),
            context: size("context"),
            width: size("width"),
            heads: size("heads"),
            layers: size("layers"),
        },
    };
    let params = fixture_params(&fixture);
    // The fixture holds exactly the parameters nn's own init creates, under the same names.
    let ours = model.init(&mut StdRng::seed_from_u64(0));
    let names = |p: &Params| {
        let mut names: Vec<(String, Vec<usize>)> = p
            .iter()
            .map(|(name, value)| (name.to_string(), value.shape().dims().to_vec()))
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&params), names(&ours));
    let expected = follow_reference(&fixture, &model, params);
    assert!(expected[99] < 0.1 * expected[0], "the reference run learns");
}
