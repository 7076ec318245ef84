//! Standardising each lane along an axis, `(x − μ)/√(σ² + eps)`: a layer norm before its gain
//! and bias.

use super::normalize_backward::NormalizeBackward;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `(x − μ)/σ` along `axis`, with `μ` each lane's mean and `σ = √(variance + eps)`, the
    /// variance biased (the mean of `(x − μ)²`): each lane standardised to mean 0 and, for
    /// `eps` small beside its variance, mean square 1. A layer norm is this, times a gain, plus
    /// a bias.
    ///
    /// Backward, lane by lane, with `y` the output: `dL/dx = (dL/dy − mean(dL/dy) − y ⊙
    /// mean(dL/dy ⊙ y))/σ`. Both `μ` and `σ` depend on every value of the lane, which is where
    /// the two means come from.
    ///
    /// With `eps = 0`, a lane whose values are all equal has `σ = 0` and gives NaN (`0/0`), as the
    /// formula does; layer norms use a small positive `eps` (nn's is `1e-5`) for that reason.
    ///
    /// # Panics
    /// If `axis` is not below the rank, or `eps` is negative or not finite.
    #[track_caller]
    pub fn normalize(self, axis: usize, eps: f64) -> Var<'t> {
        self.check_axis("normalize", axis);
        assert!(
            eps >= 0.0 && eps.is_finite(),
            "normalize: eps must be finite and not negative, not {eps} (at {})",
            std::panic::Location::caller()
        );
        Var::apply(Normalize { axis, eps }, [self])
    }
}

/// `y = (x − μ)/√(σ² + eps)` along `axis`.
#[derive(Clone)]
pub(crate) struct Normalize {
    pub(crate) axis: usize,
    pub(crate) eps: f64,
}

impl Primitive for Normalize {
    const NAME: &'static str = "normalize";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = (dL/dy − mean(dL/dy) − y ⊙ mean(dL/dy ⊙ y))/σ  (lane by lane)";

    fn parameters(&self) -> String {
        format!("axis={}, eps={}", self.axis, self.eps)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].normalize_axis(self.axis, self.eps)
    }

    /// For one lane of `n` values, `y = (x − μ)·s` with `s = 1/σ`: `∂μ/∂xⱼ = 1/n` and
    /// `∂s/∂xⱼ = −s·yⱼ/n` (from `σ² = mean((x − μ)²) + eps`), so
    /// `∂yᵢ/∂xⱼ = s·(δᵢⱼ − 1/n − yᵢ·yⱼ/n)`, a symmetric Jacobian, and
    /// `dL/dx = s·(dL/dy − mean(dL/dy) − y ⊙ mean(dL/dy ⊙ y))`: the derivative op
    /// [`NormalizeBackward`] (one pass per lane, from `x` and `dL/dy`).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let op = NormalizeBackward {
            axis: self.axis,
            eps: self.eps,
        };
        grads.set(0, || c.apply(op, [&saved.input(0), g]));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[5] axis 0", &[(&[5], n)], |v| v[0].normalize(0, 1e-5)),
            OpCase::new(Self::NAME, "[3, 4] axis 1", &[(&[3, 4], n)], |v| v[0].normalize(1, 1e-5)),
            OpCase::new(Self::NAME, "[3, 4] axis 0, eps 0.5", &[(&[3, 4], n)], |v| {
                v[0].normalize(0, 0.5)
            }),
            OpCase::new(Self::NAME, "[2, 3, 4] axis 1", &[(&[2, 3, 4], n)], |v| {
                v[0].normalize(1, 1e-5)
            }),
        ]
    }
}
