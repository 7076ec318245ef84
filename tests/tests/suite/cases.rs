//! Every primitive op through the table of cases its own file declares (`autograd::cases`), on
//! random values: a new op's cases join these properties with no change here.

use autograd::cases::{self, OpCase, SPECIAL_VALUES, fill_from};
use autograd::{GradcheckOptions, Tape, Tensor, Var, gradcheck};
use proptest::prelude::*;
use std::sync::LazyLock;
use tests::config::config;

static CASES: LazyLock<Vec<OpCase>> = LazyLock::new(cases::all);

/// The numbers of a tensor as bits, every NaN as one value.
fn bits(tensor: &Tensor) -> Vec<u64> {
    let nan = f64::NAN.to_bits();
    tensor
        .data()
        .iter()
        .map(|v| if v.is_nan() { nan } else { v.to_bits() })
        .collect()
}

proptest! {
    #![proptest_config(config("cases", 256))]

    /// On values drawn from each input's domain, scaled by a random factor in `[0.5, 1.5]`
    /// (kept positive so that every domain still holds), the gradient matches central
    /// differences.
    #[test]
    fn every_case_matches_finite_differences_on_random_values(
        index in 0..CASES.len(),
        seed in any::<u64>(),
        scale in 0.5..1.5f64,
    ) {
        let case = &CASES[index];
        let inputs: Vec<Tensor> = case.sample(seed).iter().map(|x| x.map(|v| v * scale)).collect();
        let report = gradcheck(
            |v| cases::weighted_sum((case.apply)(v)),
            &inputs,
            &GradcheckOptions::default(),
        );
        prop_assert!(report.passed, "{case:?}: {report}");
    }

    /// On inputs and upstream gradients of ±0, NaN, ±∞ and ordinary values in random places,
    /// the eager and the recorded backward give the same bits.
    #[test]
    fn every_case_gives_the_same_bits_eager_and_recorded(
        index in 0..CASES.len(),
        seed in any::<u64>(),
    ) {
        let case = &CASES[index];
        let tape = Tape::new();
        let vars: Vec<Var<'_>> = case
            .filled_from(SPECIAL_VALUES, seed)
            .into_iter()
            .map(|x| tape.var(x))
            .collect();
        let y = (case.apply)(&vars);
        let upstream = tape.constant(fill_from(y.shape(), SPECIAL_VALUES, seed ^ 0x5eed));
        let loss = (y * upstream).sum();
        let eager = loss.backward();
        let recorded = loss.backward_graph();
        for var in &vars {
            let recorded = recorded
                .get(*var)
                .map_or_else(|| Tensor::zeros(var.shape()), |grad| grad.value().clone());
            prop_assert_eq!(bits(&eager[*var]), bits(&recorded), "{:?}", case);
        }
    }
}
