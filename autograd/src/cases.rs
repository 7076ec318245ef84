//! The table of test cases that every primitive op declares in its own file, which drives every
//! shared test suite: the first-order check against finite differences, the second-order check,
//! and the comparison of the eager backward with the recorded one, bit for bit, on ordinary
//! values and on special ones (±0, NaN, ±∞, ties).
//!
//! A new op's file gets all of these by listing its cases; see the `ops` module's "How to add
//! an op". Each case also says its op's [`Family`]: the random programs of the property tests
//! (in the workspace's `tests` crate) draw every unary and binary elementwise op from here, with
//! the domains its cases declare, so a new elementwise op appears in them too.
//!
//! ```
//! let cases = autograd::cases::all();
//! assert!(cases.iter().any(|case| case.op == "tanh"));
//! ```

use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Where an input's values are drawn from, so that the op is smooth there and finite
/// differences are valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Standard normal values.
    Normal,
    /// Uniform values in `[0.5, 2.5)`, for ops defined only on positive numbers.
    Positive,
    /// Values of either sign with magnitude in `[0.5, 2)`, for ops with a kink or a pole at 0.
    AwayFromZero,
    /// Distinct values at least 0.37 apart, so that a maximum has no near-ties.
    Distinct,
}

/// What kind of function a case's op is, for suites that compose ops into larger programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// An elementwise function of one operand: the output has the input's shape, and each
    /// value depends on the input's value at the same place only (`tanh`, `x + 1.5`, `x^2.5`).
    Unary,
    /// An elementwise function of two operands (of one shape, or broadcasting): each value
    /// depends on the operands' values at the same place only (`a + b`, `tanh_backward`).
    Binary,
    /// Anything else (products, reductions, shape changes, indexing).
    Other,
}

/// One input of a case: its shape and the domain its values come from.
#[derive(Clone, Debug)]
pub struct CaseInput {
    /// The input's shape.
    pub shape: Shape,
    /// Where its values are drawn from.
    pub domain: Domain,
}

/// One test case of one op: the inputs to draw and the function applying the op to them.
#[derive(Clone)]
pub struct OpCase {
    /// The op's name, as in tape listings.
    pub op: &'static str,
    /// What distinguishes this case from the op's others (shapes, parameters).
    pub label: String,
    /// The inputs, in order.
    pub inputs: Vec<CaseInput>,
    /// Applies the op (with the case's parameters) to vars holding the inputs.
    pub apply: for<'t> fn(&[Var<'t>]) -> Var<'t>,
    /// What kind of function the op is: [`Family::Unary`] and [`Family::Binary`] ops apply
    /// to operands of any one shape, which random programs use.
    pub family: Family,
}

impl std::fmt::Debug for OpCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.op, self.label)
    }
}

impl OpCase {
    /// A case of `op` on inputs of the given shapes and domains, of [`Family::Other`].
    pub(crate) fn new(
        op: &'static str,
        label: impl Into<String>,
        inputs: &[(&[usize], Domain)],
        apply: for<'t> fn(&[Var<'t>]) -> Var<'t>,
    ) -> OpCase {
        OpCase {
            op,
            label: label.into(),
            inputs: inputs
                .iter()
                .map(|&(dims, domain)| CaseInput {
                    shape: Shape::new(dims),
                    domain,
                })
                .collect(),
            apply,
            family: Family::Other,
        }
    }

    /// This case, of `family`.
    fn of(self, family: Family) -> OpCase {
        OpCase { family, ..self }
    }

    /// Inputs drawn from their domains, the same on every run for a given `seed`.
    pub fn sample(&self, seed: u64) -> Vec<Tensor> {
        let mut rng = StdRng::seed_from_u64(seed);
        self.inputs
            .iter()
            .map(|input| match input.domain {
                Domain::Normal => Tensor::randn(input.shape, &mut rng),
                Domain::Positive => Tensor::rand_uniform(input.shape, 0.5, 2.5, &mut rng),
                Domain::AwayFromZero => {
                    let magnitude = Tensor::rand_uniform(input.shape, 0.5, 2.0, &mut rng);
                    let sign = Tensor::rand_uniform(input.shape, -1.0, 1.0, &mut rng);
                    magnitude.zip_map(&sign, |m, s| if s < 0.0 { -m } else { m })
                }
                Domain::Distinct => {
                    let count = input.shape.numel();
                    let offset = (seed as usize) % count.max(1);
                    let data = (0..count)
                        .map(|i| ((i * 7 + 3 + offset) % count) as f64 * 0.37 - 1.5)
                        .collect();
                    Tensor::from_vec(data, input.shape)
                }
            })
            .collect()
    }

    /// Inputs filled from `points` in a pseudo-random order set by `seed`, whatever the domain:
    /// IEEE special values, or a few values that make ties, to run the op where rules must
    /// choose (see [`SPECIAL_VALUES`] and [`TIE_VALUES`]).
    pub fn filled_from(&self, points: &[f64], seed: u64) -> Vec<Tensor> {
        self.inputs
            .iter()
            .enumerate()
            .map(|(i, input)| fill_from(input.shape, points, seed.wrapping_add(31 * i as u64)))
            .collect()
    }
}

/// ±0, NaN, ±∞ and a few ordinary values, for inputs and upstream gradients.
pub const SPECIAL_VALUES: &[f64] = &[
    0.0,
    -0.0,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    1.0,
    -1.5,
    0.25,
];

/// Values that tie at relu's and abs's kink and in maxima and logits.
pub const TIE_VALUES: &[f64] = &[-1.0, 0.0, -0.0, 1.0, 1.0];

/// A tensor of `shape` whose values are picked from `points`, the same for a given `seed`.
pub fn fill_from(shape: Shape, points: &[f64], seed: u64) -> Tensor {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let data = (0..shape.numel())
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            points[(state % points.len() as u64) as usize]
        })
        .collect();
    Tensor::from_vec(data, shape)
}

/// `Σ w ⊙ y` with fixed, non-uniform weights in `[0.5, 1.5]`: a scalar whose gradient with
/// respect to `y` is `w`, different for every element (a plain sum of a softmax would be the
/// constant 1 and hide its rule).
pub fn weighted_sum<'t>(y: Var<'t>) -> Var<'t> {
    let count = y.shape().numel();
    let data = (0..count)
        .map(|i| 1.0 + 0.5 * (1.7 * i as f64 + 0.3).sin())
        .collect();
    let w = y.tape().constant(Tensor::from_vec(data, y.shape()));
    (y * w).sum()
}

/// Every primitive op's cases, op by op.
pub fn all() -> Vec<OpCase> {
    crate::ops::all_cases()
}

/// Shape pairs for binary elementwise ops: equal shapes, a row broadcast either way, an outer
/// product, rank 0 with a matrix either way, two rank-0 values, and rank 3 with rank 2.
const BROADCAST_PAIRS: &[(&[usize], &[usize])] = &[
    (&[3, 4], &[3, 4]),
    (&[3, 4], &[4]),
    (&[4], &[3, 4]),
    (&[3, 1], &[1, 4]),
    (&[], &[3, 4]),
    (&[3, 4], &[]),
    (&[], &[]),
    (&[2, 3, 4], &[3, 1]),
];

/// The cases of a binary elementwise op: every pair of [`BROADCAST_PAIRS`].
pub(crate) fn broadcasting(
    op: &'static str,
    domains: (Domain, Domain),
    apply: for<'t> fn(&[Var<'t>]) -> Var<'t>,
) -> Vec<OpCase> {
    BROADCAST_PAIRS
        .iter()
        .map(|&(a, b)| {
            OpCase::new(
                op,
                format!("{a:?} and {b:?}"),
                &[(a, domains.0), (b, domains.1)],
                apply,
            )
            .of(Family::Binary)
        })
        .collect()
}

/// The cases of a unary elementwise op: ranks 0 to 3.
pub(crate) fn elementwise(
    op: &'static str,
    domain: Domain,
    apply: for<'t> fn(&[Var<'t>]) -> Var<'t>,
) -> Vec<OpCase> {
    every_rank(op, domain, apply)
        .into_iter()
        .map(|case| case.of(Family::Unary))
        .collect()
}

/// The cases of an op of one operand of any shape that is not elementwise (a reduction over
/// all values): ranks 0 to 3, as for [`elementwise`].
pub(crate) fn every_rank(
    op: &'static str,
    domain: Domain,
    apply: for<'t> fn(&[Var<'t>]) -> Var<'t>,
) -> Vec<OpCase> {
    [&[][..], &[5], &[3, 4], &[2, 3, 2]]
        .iter()
        .map(|&dims| OpCase::new(op, format!("{dims:?}"), &[(dims, domain)], apply))
        .collect()
}

/// The cases of a derivative op `slope(at, grad)` of two same-shaped operands.
pub(crate) fn slope(
    op: &'static str,
    at: Domain,
    apply: for<'t> fn(&[Var<'t>]) -> Var<'t>,
) -> Vec<OpCase> {
    [&[5][..], &[3, 4]]
        .iter()
        .map(|&dims| {
            OpCase::new(
                op,
                format!("{dims:?}"),
                &[(dims, at), (dims, Domain::Normal)],
                apply,
            )
            .of(Family::Binary)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_op_has_a_case_and_every_case_runs() {
        let cases = all();
        for &name in crate::ops::NAMES {
            assert!(
                cases.iter().any(|case| case.op == name),
                "no case for {name}"
            );
        }
        let tape = crate::Tape::new();
        for case in &cases {
            let vars: Vec<Var<'_>> = case.sample(1).into_iter().map(|x| tape.var(x)).collect();
            let y = (case.apply)(&vars);
            assert!(y.value().data().iter().all(|v| v.is_finite()), "{case:?}");
        }
    }

    /// An op of the unary or binary family is elementwise on any shape, as random programs
    /// assume: on a `[2, 3]` operand (both operands, for a binary op) its output is `[2, 3]`,
    /// and changing one input value changes at most the output value at the same place.
    #[test]
    fn unary_and_binary_cases_are_elementwise_on_other_shapes() {
        let tape = crate::Tape::new();
        for case in all().iter().filter(|case| case.family != Family::Other) {
            let arity = match case.family {
                Family::Unary => 1,
                _ => 2,
            };
            assert_eq!(case.inputs.len(), arity, "{case:?}");
            let inputs: Vec<Tensor> = (0..arity)
                .map(|i| {
                    Tensor::from_vec(
                        (0..6).map(|j| 0.6 + 0.25 * (i + j) as f64).collect(),
                        [2, 3],
                    )
                })
                .collect();
            let vars: Vec<Var<'_>> = inputs.iter().map(|x| tape.var(x.clone())).collect();
            let base = (case.apply)(&vars).value().clone();
            assert_eq!(base.dims(), &[2, 3], "{case:?}");
            for (operand, place) in (0..arity).flat_map(|i| (0..6).map(move |j| (i, j))) {
                let mut moved = inputs.clone();
                moved[operand].data_mut()[place] += 0.125;
                let vars: Vec<Var<'_>> = moved.into_iter().map(|x| tape.var(x)).collect();
                let output = (case.apply)(&vars).value().clone();
                for (j, (a, b)) in base.data().iter().zip(output.data()).enumerate() {
                    assert!(
                        j == place || a == b,
                        "{case:?}: input {operand} at {place} moved output {j}"
                    );
                }
            }
        }
    }

    #[test]
    fn fill_from_uses_every_point_and_only_those() {
        let t = fill_from(Shape::new(&[64]), &[1.0, 2.0, 3.0], 5);
        for point in [1.0, 2.0, 3.0] {
            assert!(t.data().contains(&point));
        }
        assert!(t.data().iter().all(|v| [1.0, 2.0, 3.0].contains(v)));
    }
}
