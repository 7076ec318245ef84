//! Log-sum-exp along an axis, a primitive so that it is evaluated stably.

use super::sum_axis::restore_axis;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `log Σ exp(x)` along `axis`, stable for large values (the maximum is factored out), keeping
    /// the axis with size 1 when `keepdim`.
    ///
    /// Backward: `dL/dx = broadcast(dL/dy) ⊙ softmax(x)` along `axis`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn logsumexp(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("logsumexp", axis);
        Var::apply(LogSumExp { axis, keepdim }, [self])
    }
}

/// `y = log Σ_axis exp(x)`.
#[derive(Clone)]
pub(crate) struct LogSumExp {
    pub(crate) axis: usize,
    pub(crate) keepdim: bool,
}

impl Primitive for LogSumExp {
    const NAME: &'static str = "logsumexp";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = broadcast(dL/dy) ⊙ softmax(x)";

    fn parameters(&self) -> String {
        format!("axis={}, keepdim={}", self.axis, self.keepdim)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].logsumexp_axis(self.axis, self.keepdim)
    }

    /// For `y = log Σ_axis exp(x)`: `dL/dx = broadcast(dL/dy) ⊙ softmax(x)` along the axis.
    ///
    /// The slope is the `softmax` op, `exp(x − m) / Σ exp(x − m)` with `m` the lane's maximum,
    /// not `exp(x − y)`: `y` carries a rounding error that the exponential passes on, and a
    /// scale factor before the logsumexp multiplies it (and squares it in second order); the
    /// softmax is exact where the lane has equal entries (`1/n`), so `(stack([s, s])·200)`'s
    /// slope is 200 and its curvature 0 exactly.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let LogSumExp { axis, keepdim } = *self;
        grads.set(0, || {
            let x = saved.input(0);
            let kept = restore_axis(c, g, c.shape(&x), axis, keepdim);
            c.mul(&kept, &c.softmax(&x, axis))
        });
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[5] axis 0", &[(&[5], n)], |v| v[0].logsumexp(0, false)),
            OpCase::new(Self::NAME, "[3, 4] axis 1", &[(&[3, 4], n)], |v| v[0].logsumexp(1, false)),
            OpCase::new(Self::NAME, "[3, 4] axis 0 keepdim", &[(&[3, 4], n)], |v| v[0].logsumexp(0, true)),
            OpCase::new(Self::NAME, "[2, 3, 4] axis 1", &[(&[2, 3, 4], n)], |v| v[0].logsumexp(1, false)),
        ]
    }
}
