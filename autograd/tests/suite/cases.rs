//! Every primitive op, through the table of cases its own file declares
//! (`autograd::cases::all()`): first- and second-order checks against finite differences, and
//! the eager backward against the recorded one, bit for bit, on ordinary and special values.

use autograd::cases::{self, OpCase, SPECIAL_VALUES, TIE_VALUES, fill_from};
use autograd::gradcheck::gradgradcheck;
use autograd::{GradcheckOptions, Tape, Tensor, Var, gradcheck};

/// Runs `check` on every case, and fails listing every case it rejected.
fn for_every_case(check: impl Fn(&OpCase) -> Option<String>) {
    let cases = cases::all();
    assert!(cases.len() > 40, "only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| check(case).map(|why| format!("{case:?}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_case_passes_gradcheck() {
    for_every_case(|case| {
        let inputs = case.sample(7);
        let report = gradcheck(
            |v| cases::weighted_sum((case.apply)(v)),
            &inputs,
            &GradcheckOptions::default(),
        );
        (!report.passed || report.checked == 0).then(|| report.to_string())
    });
}

#[test]
fn every_case_passes_gradgradcheck() {
    for_every_case(|case| {
        // Squaring the output curves even a linear op's loss, so that its recorded rule is
        // differentiated as a function of the upstream gradient.
        let inputs = case.sample(8);
        let report = gradgradcheck(
            |v| cases::weighted_sum((case.apply)(v).square()),
            &inputs,
            11,
            &GradcheckOptions::default(),
        );
        (!report.passed || report.checked == 0).then(|| report.to_string())
    });
}

/// The numbers of a tensor as bits: `−0` differs from `+0`; every NaN counts as one value.
fn bits(tensor: &Tensor) -> Vec<u64> {
    let nan = f64::NAN.to_bits();
    tensor
        .data()
        .iter()
        .map(|v| if v.is_nan() { nan } else { v.to_bits() })
        .collect()
}

/// Where the eager and the recorded gradients of `Σ upstream ⊙ op(inputs)` differ, if they do.
fn eager_against_recorded(
    case: &OpCase,
    inputs: &[Tensor],
    upstream: &[f64],
    seed: u64,
) -> Option<String> {
    let tape = Tape::new();
    let vars: Vec<Var<'_>> = inputs.iter().map(|x| tape.var(x.clone())).collect();
    let y = (case.apply)(&vars);
    let weights = tape.constant(fill_from(y.shape(), upstream, seed));
    let loss = (y * weights).sum();
    let eager = loss.backward();
    let recorded = loss.backward_graph();
    for (i, var) in vars.iter().enumerate() {
        let recorded = recorded.get(*var).map(|grad| grad.value().clone());
        let recorded = recorded.unwrap_or_else(|| Tensor::zeros(var.shape()));
        if bits(&eager[*var]) != bits(&recorded) {
            return Some(format!(
                "input {i} at {inputs:?}, upstream {:?}: eager {:?}, recorded {:?}",
                weights.value(),
                eager[*var],
                recorded
            ));
        }
    }
    None
}

#[test]
fn every_op_gives_the_same_bits_eager_and_recorded_on_ordinary_values() {
    for_every_case(|case| {
        let inputs = case.sample(3);
        eager_against_recorded(case, &inputs, &[0.5, -1.25, 2.0, 0.75, -0.3], 1)
    });
}

#[test]
fn every_op_gives_the_same_bits_eager_and_recorded_on_special_values() {
    for_every_case(|case| {
        (0..4).find_map(|seed| {
            let inputs = case.filled_from(SPECIAL_VALUES, seed);
            eager_against_recorded(case, &inputs, SPECIAL_VALUES, seed + 100)
        })
    });
}

#[test]
fn every_op_gives_the_same_bits_eager_and_recorded_at_ties_and_kinks() {
    for_every_case(|case| {
        (0..4).find_map(|seed| {
            let inputs = case.filled_from(TIE_VALUES, seed);
            let ordinary = eager_against_recorded(case, &inputs, &[1.0, -0.5, 2.0], seed);
            ordinary.or_else(|| eager_against_recorded(case, &inputs, SPECIAL_VALUES, seed + 7))
        })
    });
}

#[test]
fn equal_logits_give_the_same_bits_eager_and_recorded() {
    for_every_case(|case| {
        let inputs: Vec<Tensor> = case
            .inputs
            .iter()
            .map(|input| Tensor::full(input.shape, 0.75))
            .collect();
        eager_against_recorded(case, &inputs, &[1.0, -2.0, 0.5], 5)
    });
}

#[test]
fn relu_passes_the_upstream_gradient_only_where_its_input_is_positive() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(
        vec![1.0, 0.0, -0.0, -1.0, f64::NAN, 2.0],
        [6],
    ));
    let upstream = Tensor::from_vec(vec![f64::NAN, f64::NAN, f64::INFINITY, 3.0, 1.0, -0.0], [6]);
    let grads = x.relu().backward_with(upstream);
    let expected = [f64::NAN, 0.0, 0.0, 0.0, 0.0, -0.0];
    assert!(grads[x].data()[0].is_nan());
    assert_eq!(
        bits(&grads[x])[1..],
        bits(&Tensor::from_vec(expected.to_vec(), [6]))[1..]
    );
}

#[test]
fn logsumexp_of_a_scaled_pair_has_slope_200_and_no_curvature_exactly() {
    // (stack([s, s]) · 200).logsumexp() = 200·s + ln 2: slope 200, second derivative 0.
    for s in [0.3, -1.7, 0.0, 12.5] {
        let tape = Tape::new();
        let x = tape.var(Tensor::scalar(s));
        let y = (Var::stack(&[x, x], 0) * 200.0).logsumexp(0, false);
        let slope = autograd::higher::grad(y, &[x])[0];
        assert_eq!(slope.item(), 200.0, "at s = {s}");
        let curvature = autograd::higher::grad(slope, &[x])[0];
        assert_eq!(curvature.item(), 0.0, "at s = {s}");
    }
}
