//! Softmax along an axis, a primitive for stability on large logits.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `exp(x) / Σ exp(x)` along `axis` (each lane sums to 1), shifted by the lane's maximum so
    /// that logits of ±1e4 stay finite.
    ///
    /// Backward: `dL/dx = y ⊙ (dL/dy − Σ_axis(dL/dy ⊙ y))`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn softmax(self, axis: usize) -> Var<'t> {
        self.check_axis("softmax", axis);
        Var::apply(Softmax { axis }, [self])
    }
}

/// `y = softmax(x)` along `axis`.
#[derive(Clone)]
pub(crate) struct Softmax {
    pub(crate) axis: usize,
}

impl Primitive for Softmax {
    const NAME: &'static str = "softmax";
    const SAVES: Saves = Saves::OUTPUT;
    const RULE: &'static str = "dL/dx = y ⊙ (dL/dy − Σ_axis(dL/dy ⊙ y))";

    fn parameters(&self) -> String {
        format!("axis={}", self.axis)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].softmax_axis(self.axis)
    }

    /// For `y = softmax(x)` along an axis: `dL/dx = y ⊙ (dL/dy − Σ_axis(dL/dy ⊙ y))`, from the
    /// Jacobian `∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ)`.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || {
            let y = saved.output();
            let projection = c.sum_axis(&c.mul(g, &y), self.axis, true);
            c.mul(&y, &c.sub(g, &projection))
        });
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[5] axis 0", &[(&[5], n)], |v| v[0].softmax(0)),
            OpCase::new(Self::NAME, "[3, 4] axis 1", &[(&[3, 4], n)], |v| v[0].softmax(1)),
            OpCase::new(Self::NAME, "[3, 4] axis 0", &[(&[3, 4], n)], |v| v[0].softmax(0)),
            OpCase::new(Self::NAME, "[2, 3, 4] axis 1", &[(&[2, 3, 4], n)], |v| v[0].softmax(1)),
        ]
    }
}
