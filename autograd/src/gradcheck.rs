//! The gradient checker: backward's gradients against central finite differences.

use crate::ops::{CustomOp, Op};
use crate::tape::{NodeId, Tape};
use crate::tensor::Tensor;
use crate::var::Var;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::fmt;
use std::sync::Arc;

/// How [`gradcheck`] compares.
#[derive(Clone, Debug, PartialEq)]
pub struct GradcheckOptions {
    /// The finite-difference step `h` in `(f(x + h) − f(x − h)) / 2h`.
    pub step: f64,
    /// A comparison passes when `|analytic − numeric| ≤ abs_tolerance + rel_tolerance·|numeric|`.
    pub abs_tolerance: f64,
    /// See `abs_tolerance`.
    pub rel_tolerance: f64,
    /// Element by element, or along random directions.
    pub mode: GradcheckMode,
}

/// Which perturbations [`gradcheck`] makes.
#[derive(Clone, Debug, PartialEq)]
pub enum GradcheckMode {
    /// Perturb every element of every input on its own: the full check, two evaluations per element.
    Elementwise,
    /// For `count` random directions `v` (standard normal, from `seed`), compare `vᵀ·∇f` with
    /// `(f(x + hv) − f(x − hv)) / 2h`: two evaluations per direction, for inputs too large to
    /// perturb one element at a time.
    Directions {
        /// How many directions.
        count: usize,
        /// The seed of the directions' generator.
        seed: u64,
    },
}

impl Default for GradcheckOptions {
    /// Step 1e-6, tolerances 1e-6 absolute and 1e-5 relative, element by element: in f64, central
    /// differences are accurate to about `h²·f‴ + ε·|f|/h ≈ 1e-10` relative for smooth functions.
    fn default() -> GradcheckOptions {
        GradcheckOptions {
            step: 1e-6,
            abs_tolerance: 1e-6,
            rel_tolerance: 1e-5,
            mode: GradcheckMode::Elementwise,
        }
    }
}

impl GradcheckOptions {
    /// The defaults, along `count` random directions drawn from `seed`.
    pub fn directions(count: usize, seed: u64) -> GradcheckOptions {
        GradcheckOptions {
            mode: GradcheckMode::Directions { count, seed },
            ..GradcheckOptions::default()
        }
    }
}

/// Where one comparison was made: an element of an input, or a random direction.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckedAt {
    /// Element `index` (a multi-index) of input `input`.
    Element {
        /// Which input, counting from 0.
        input: usize,
        /// The element's multi-index within that input.
        index: Vec<usize>,
    },
    /// Random direction number `direction`.
    Direction {
        /// Which direction, counting from 0.
        direction: usize,
    },
    /// In [`gradgradcheck`]: the recorded gradient's value along the random weights, against the
    /// directional difference of the function itself.
    RecordedGradient,
}

impl fmt::Display for CheckedAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckedAt::Element { input, index } => write!(f, "input {input} element {index:?}"),
            CheckedAt::Direction { direction } => write!(f, "direction {direction}"),
            CheckedAt::RecordedGradient => write!(f, "the recorded gradient's value"),
        }
    }
}

/// One comparison of backward's value with the finite difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Where.
    pub at: CheckedAt,
    /// What backward gave (for a direction, `vᵀ·∇f`).
    pub analytic: f64,
    /// What central differences gave.
    pub numeric: f64,
}

impl Comparison {
    /// `|analytic − numeric|`.
    pub fn abs_error(&self) -> f64 {
        (self.analytic - self.numeric).abs()
    }

    /// `|analytic − numeric| / max(|analytic|, |numeric|)`, 0 when both are 0.
    pub fn rel_error(&self) -> f64 {
        let scale = self.analytic.abs().max(self.numeric.abs());
        if scale == 0.0 {
            0.0
        } else {
            self.abs_error() / scale
        }
    }

    /// The error as a multiple of what the tolerances allow (≤ 1 passes). NaN on either side fails.
    fn excess(&self, options: &GradcheckOptions) -> f64 {
        let allowed = options.abs_tolerance + options.rel_tolerance * self.numeric.abs();
        let excess = self.abs_error() / allowed;
        if excess.is_nan() {
            f64::INFINITY
        } else {
            excess
        }
    }
}

/// The outcome of [`gradcheck`].
#[derive(Clone, Debug, PartialEq)]
pub struct GradcheckReport {
    /// Whether every comparison was within tolerance.
    pub passed: bool,
    /// How many comparisons were made.
    pub checked: usize,
    /// How many were out of tolerance.
    pub failures: usize,
    /// The largest absolute error seen.
    pub worst_abs_error: f64,
    /// The largest relative error seen.
    pub worst_rel_error: f64,
    /// The comparison furthest outside (or least inside) its tolerance, if any was made.
    pub worst: Option<Comparison>,
    /// The name of a custom op that [`gradgradcheck`] met without a recorded backward rule
    /// ([`CustomOp::backward_recorded`]); the check then fails with no comparisons made.
    pub missing_recorded_rule: Option<String>,
}

impl fmt::Display for GradcheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = &self.missing_recorded_rule {
            return write!(
                f,
                "gradgradcheck FAILED: custom op `{name}` has no recorded backward rule \
                 (implement CustomOp::backward_recorded to take gradients of its gradients)"
            );
        }
        let verdict = if self.passed { "passed" } else { "FAILED" };
        write!(
            f,
            "gradcheck {verdict}: {} of {} comparisons out of tolerance; worst abs error {:.3e}, \
             worst rel error {:.3e}",
            self.failures, self.checked, self.worst_abs_error, self.worst_rel_error
        )?;
        if let Some(worst) = &self.worst {
            write!(
                f,
                "; worst at {}: backward {:.12e}, finite differences {:.12e}",
                worst.at, worst.analytic, worst.numeric
            )?;
        }
        Ok(())
    }
}

/// Checks the tape's gradients of `f` at `inputs` against central finite differences.
///
/// `f` receives one variable per input and must return a one-element var. It is evaluated on
/// fresh tapes, once for backward and twice per perturbation.
///
/// ```
/// use autograd::{gradcheck, GradcheckOptions, Tensor};
/// let x = Tensor::from_vec(vec![-1.0, 0.5, 2.0], [3]);
/// let report = gradcheck(|v| v[0].tanh().sum(), &[x], &GradcheckOptions::default());
/// assert!(report.passed, "{report}");
/// ```
///
/// # Panics
/// If `f`'s output does not have exactly one element.
pub fn gradcheck<F>(f: F, inputs: &[Tensor], options: &GradcheckOptions) -> GradcheckReport
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    summarise(comparisons(&f, inputs, options), options)
}

/// Every comparison [`gradcheck`] makes, before they are summarised.
fn comparisons<F>(f: &F, inputs: &[Tensor], options: &GradcheckOptions) -> Vec<Comparison>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let analytic = analytic_gradients(f, inputs);
    match &options.mode {
        GradcheckMode::Elementwise => elementwise(f, inputs, &analytic, options.step),
        GradcheckMode::Directions { count, seed } => {
            along_directions(f, inputs, &analytic, options.step, *count, *seed)
        }
    }
}

/// [`gradcheck`] with the default options, panicking with the report if it fails.
///
/// # Panics
/// If any gradient disagrees with finite differences beyond the default tolerances.
#[track_caller]
pub fn assert_gradcheck<F>(f: F, inputs: &[Tensor])
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let report = gradcheck(f, inputs, &GradcheckOptions::default());
    assert!(report.passed, "{report}");
}

/// The second-order check (PyTorch's `gradgradcheck`): differentiates the recorded gradient again
/// and compares with finite differences of the gradient.
///
/// For fixed random weights `v` (one standard-normal tensor per input, from `seed`), the scalar
/// `g(x) = Σᵢ ⟨vᵢ, ∇ᵢ f(x)⟩` is built with [`Var::backward_graph`], and [`gradcheck`] compares
/// its gradient (a Hessian-vector product of `f`, taken by a second backward through the recorded
/// first one) with central differences of `g`. One more comparison checks the recorded gradient's
/// own value: `g(x)` against the central difference of `f` along `v`, so that a recorded rule
/// that is off by a constant cannot pass unseen (its second derivative would still agree).
///
/// ```
/// use autograd::{gradcheck::gradgradcheck, GradcheckOptions, Tensor};
/// let x = Tensor::from_vec(vec![-1.0, 0.5, 2.0], [3]);
/// let report = gradgradcheck(|v| v[0].tanh().sum(), &[x], 7, &GradcheckOptions::default());
/// assert!(report.passed, "{report}");
/// ```
///
/// A custom op without a recorded rule ([`CustomOp::backward_recorded`]) cannot be differentiated
/// twice: the report then fails, naming the op in
/// [`missing_recorded_rule`](GradcheckReport::missing_recorded_rule).
///
/// # Panics
/// If `f`'s output does not have exactly one element.
pub fn gradgradcheck<F>(
    f: F,
    inputs: &[Tensor],
    seed: u64,
    options: &GradcheckOptions,
) -> GradcheckReport
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    if let Some(name) = custom_op_without_recorded_rule(&f, inputs) {
        return GradcheckReport {
            passed: false,
            checked: 0,
            failures: 0,
            worst_abs_error: 0.0,
            worst_rel_error: 0.0,
            worst: None,
            missing_recorded_rule: Some(name),
        };
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let weights: Vec<Tensor> = inputs
        .iter()
        .map(|x| Tensor::randn(x.shape(), &mut rng))
        .collect();
    let weighted_gradient = scalar_function(|vars| {
        let tape = vars[0].tape();
        let output = f(vars);
        let grads = crate::higher::grad(output, vars);
        grads
            .iter()
            .zip(&weights)
            .map(|(grad, weight)| (*grad * tape.constant(weight.clone())).sum())
            .reduce(|total, term| total + term)
            .expect("gradgradcheck: at least one input is needed")
    });
    let mut comparisons = comparisons(&weighted_gradient, inputs, options);
    let along_weights = |sign: f64| shifted(inputs, &weights, sign * options.step);
    comparisons.push(Comparison {
        at: CheckedAt::RecordedGradient,
        analytic: evaluate(&weighted_gradient, inputs),
        numeric: (evaluate(&f, &along_weights(1.0)) - evaluate(&f, &along_weights(-1.0)))
            / (2.0 * options.step),
    });
    summarise(comparisons, options)
}

/// The name of the first custom op on `f`'s tape that gradients flow through and whose
/// [`CustomOp::backward_recorded`] gives no rule, asked on a probe tape of its own.
fn custom_op_without_recorded_rule<F>(f: &F, inputs: &[Tensor]) -> Option<String>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let tape = Tape::new();
    let vars: Vec<Var<'_>> = inputs.iter().map(|x| tape.var(x.clone())).collect();
    f(&vars);
    let customs: Vec<(Arc<dyn CustomOp>, Vec<NodeId>, NodeId)> = tape
        .nodes
        .borrow()
        .iter()
        .enumerate()
        .filter_map(|(index, node)| match &node.op {
            Op::Custom(op) if node.requires_grad => {
                Some((op.clone(), node.inputs.as_slice().to_vec(), NodeId(index)))
            }
            _ => None,
        })
        .collect();
    customs.into_iter().find_map(|(op, input_ids, output_id)| {
        let op_inputs: Vec<Var<'_>> = input_ids.iter().map(|&id| Var::new(&tape, id)).collect();
        let output = Var::new(&tape, output_id);
        let output_value = output.value().clone();
        let grad_output = tape.constant(output_value);
        let rule = op.backward_recorded(&op_inputs, output, grad_output);
        rule.is_none().then(|| op.name().to_string())
    })
}

/// `inputs + distance · directions`, input by input.
fn shifted(inputs: &[Tensor], directions: &[Tensor], distance: f64) -> Vec<Tensor> {
    inputs
        .iter()
        .zip(directions)
        .map(|(x, v)| x.zip_map(v, |x, v| x + distance * v))
        .collect()
}

/// Checks a [`CustomOp`]'s backward rule against finite differences of its own forward at
/// `inputs`: the gradient of `Σ w ⊙ op(inputs)`, for fixed random weights `w` (so that every
/// output element matters, with a different weight), against central differences.
///
/// ```
/// use autograd::{CustomOp, GradcheckOptions, Tensor, gradcheck::check_custom_op};
/// use std::sync::Arc;
///
/// struct Cube;
/// impl CustomOp for Cube {
///     fn name(&self) -> &str { "cube" }
///     fn forward(&self, inputs: &[&Tensor]) -> Tensor { inputs[0].map(|x| x * x * x) }
///     fn backward(&self, inputs: &[&Tensor], _: &Tensor, grad: &Tensor) -> Vec<Tensor> {
///         vec![grad.zip_map(inputs[0], |g, x| 3.0 * x * x * g)]
///     }
/// }
///
/// let x = Tensor::from_vec(vec![-1.5, 0.5, 2.0], [3]);
/// let report = check_custom_op(Arc::new(Cube), &[x], &GradcheckOptions::default());
/// assert!(report.passed, "{report}");
/// ```
///
/// # Panics
/// If `inputs` is empty.
pub fn check_custom_op(
    op: Arc<dyn CustomOp>,
    inputs: &[Tensor],
    options: &GradcheckOptions,
) -> GradcheckReport {
    assert!(
        !inputs.is_empty(),
        "check_custom_op: {} needs at least one input",
        op.name()
    );
    let output_shape = {
        let refs: Vec<&Tensor> = inputs.iter().collect();
        op.forward(&refs).shape()
    };
    let weights = Tensor::randn(output_shape, &mut StdRng::seed_from_u64(0x0c05_7011));
    gradcheck(
        |vars| {
            let weights = vars[0].tape().constant(weights.clone());
            (Var::custom(op.clone(), vars) * weights).sum()
        },
        inputs,
        options,
    )
}

/// Pins a closure's signature to the higher-ranked form the checkers take, so that its
/// lifetimes are inferred for every tape rather than for one.
pub fn scalar_function<F>(f: F) -> F
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    f
}

/// `f` at `inputs`, as a number.
fn evaluate<F>(f: &F, inputs: &[Tensor]) -> f64
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let tape = Tape::new();
    let vars: Vec<Var<'_>> = inputs.iter().map(|x| tape.var(x.clone())).collect();
    scalar_output(f(&vars))
}

#[track_caller]
fn scalar_output(output: Var<'_>) -> f64 {
    let shape = output.shape();
    assert_eq!(
        shape.numel(),
        1,
        "gradcheck: the function returned shape {shape}; it must return one element"
    );
    output.item()
}

fn analytic_gradients<F>(f: &F, inputs: &[Tensor]) -> Vec<Tensor>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let tape = Tape::new();
    let vars: Vec<Var<'_>> = inputs.iter().map(|x| tape.var(x.clone())).collect();
    let output = f(&vars);
    scalar_output(output);
    let grads = output.backward();
    vars.iter().map(|&var| grads[var].clone()).collect()
}

fn elementwise<F>(f: &F, inputs: &[Tensor], analytic: &[Tensor], step: f64) -> Vec<Comparison>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let mut shifted = inputs.to_vec();
    let mut comparisons = Vec::new();
    for (input, grad) in analytic.iter().enumerate() {
        for flat in 0..inputs[input].len() {
            let original = inputs[input].data()[flat];
            shifted[input].data_mut()[flat] = original + step;
            let above = evaluate(f, &shifted);
            shifted[input].data_mut()[flat] = original - step;
            let below = evaluate(f, &shifted);
            shifted[input].data_mut()[flat] = original;
            comparisons.push(Comparison {
                at: CheckedAt::Element {
                    input,
                    index: unflatten(flat, inputs[input].dims()),
                },
                analytic: grad.data()[flat],
                numeric: (above - below) / (2.0 * step),
            });
        }
    }
    comparisons
}

fn along_directions<F>(
    f: &F,
    inputs: &[Tensor],
    analytic: &[Tensor],
    step: f64,
    count: usize,
    seed: u64,
) -> Vec<Comparison>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|direction| {
            let v: Vec<Tensor> = inputs
                .iter()
                .map(|x| Tensor::randn(x.shape(), &mut rng))
                .collect();
            let moved = |sign: f64| shifted(inputs, &v, sign * step);
            let numeric = (evaluate(f, &moved(1.0)) - evaluate(f, &moved(-1.0))) / (2.0 * step);
            let analytic = analytic
                .iter()
                .zip(&v)
                .map(|(g, v)| {
                    g.data()
                        .iter()
                        .zip(v.data())
                        .map(|(g, v)| g * v)
                        .sum::<f64>()
                })
                .sum();
            Comparison {
                at: CheckedAt::Direction { direction },
                analytic,
                numeric,
            }
        })
        .collect()
}

fn summarise(comparisons: Vec<Comparison>, options: &GradcheckOptions) -> GradcheckReport {
    let checked = comparisons.len();
    let failures = comparisons
        .iter()
        .filter(|c| c.excess(options) > 1.0)
        .count();
    let worst_abs_error = comparisons
        .iter()
        .map(Comparison::abs_error)
        .fold(0.0, f64::max);
    let worst_rel_error = comparisons
        .iter()
        .map(Comparison::rel_error)
        .fold(0.0, f64::max);
    let worst = comparisons
        .into_iter()
        .max_by(|a, b| a.excess(options).total_cmp(&b.excess(options)));
    GradcheckReport {
        passed: failures == 0,
        checked,
        failures,
        worst_abs_error,
        worst_rel_error,
        worst,
        missing_recorded_rule: None,
    }
}

/// The multi-index of flat position `flat` in a row-major array of dimensions `dims`.
fn unflatten(mut flat: usize, dims: &[usize]) -> Vec<usize> {
    let mut index = vec![0; dims.len()];
    for (axis, &dim) in dims.iter().enumerate().rev() {
        index[axis] = flat % dim;
        flat /= dim;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CustomOp;

    /// x³ with a correct plain rule and a recorded rule that is off by `offset` in value only
    /// (the offset does not depend on x, so the second derivative stays right).
    struct Cube {
        offset: f64,
    }

    impl CustomOp for Cube {
        fn name(&self) -> &str {
            "cube"
        }
        fn forward(&self, inputs: &[&Tensor]) -> Tensor {
            inputs[0].map(|x| x * x * x)
        }
        fn backward(&self, inputs: &[&Tensor], _: &Tensor, grad: &Tensor) -> Vec<Tensor> {
            vec![grad.zip_map(inputs[0], |g, x| 3.0 * x * x * g)]
        }
        fn backward_recorded<'t>(
            &self,
            inputs: &[Var<'t>],
            _: Var<'t>,
            grad: Var<'t>,
        ) -> Option<Vec<Var<'t>>> {
            Some(vec![grad * inputs[0].square() * 3.0 + self.offset])
        }
    }

    fn check(offset: f64) -> GradcheckReport {
        let x = Tensor::from_vec(vec![-1.5, 0.5, 2.0], [3]);
        gradgradcheck(
            |vars| Var::custom(Arc::new(Cube { offset }), vars).sum(),
            &[x],
            3,
            &GradcheckOptions::default(),
        )
    }

    #[test]
    fn gradgradcheck_passes_an_exact_recorded_rule() {
        let report = check(0.0);
        assert!(report.passed, "{report}");
    }

    #[test]
    fn gradgradcheck_fails_a_recorded_rule_wrong_in_value_only() {
        let report = check(0.5);
        assert!(!report.passed, "{report}");
        let worst = report.worst.expect("comparisons were made");
        assert_eq!(worst.at, CheckedAt::RecordedGradient);
    }
}
