//! Sums and means along one axis.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// The sum along `axis`; with `keepdim` the axis stays with size 1 (`[N, C] → [N, 1]`),
    /// otherwise it is removed (`[N, C] → [N]`).
    ///
    /// Backward: `dL/dx = broadcast(dL/dy)` back along `axis`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn sum_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("sum_axis", axis);
        Var::apply(SumAxis { axis, keepdim }, [self])
    }

    /// The mean along `axis` (the sum divided by the axis's length), keeping the axis with size
    /// 1 when `keepdim`.
    ///
    /// # Panics
    /// If `axis` is not below the rank.
    #[track_caller]
    pub fn mean_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("mean_axis", axis);
        let count = self.shape().dim(axis) as f64;
        self.sum_axis(axis, keepdim) / count
    }
}

/// `y = Σ_axis x`.
#[derive(Clone)]
pub(crate) struct SumAxis {
    pub(crate) axis: usize,
    pub(crate) keepdim: bool,
}

impl Primitive for SumAxis {
    const NAME: &'static str = "sum_axis";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = broadcast(dL/dy) back along the axis";

    fn parameters(&self) -> String {
        format!("axis={}, keepdim={}", self.axis, self.keepdim)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].sum_axis(self.axis, self.keepdim)
    }

    /// For `y = Σ_axis x`: `dL/dx = broadcast(dL/dy)` back along `axis` (each summand has slope
    /// 1); without `keepdim` the removed axis is first restored with size 1.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let x_shape = saved.shape(0);
        grads.set(0, || {
            let kept = restore_axis(c, g, x_shape, self.axis, self.keepdim);
            c.broadcast_to(&kept, x_shape)
        });
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[5] axis 0", &[(&[5], n)], |v| v[0].sum_axis(0, false)),
            OpCase::new(Self::NAME, "[3, 4] axis 0", &[(&[3, 4], n)], |v| v[0].sum_axis(0, false)),
            OpCase::new(Self::NAME, "[3, 4] axis 1 keepdim", &[(&[3, 4], n)], |v| v[0].sum_axis(1, true)),
            OpCase::new(Self::NAME, "[2, 3, 4] axis 1", &[(&[2, 3, 4], n)], |v| v[0].sum_axis(1, false)),
        ]
    }
}

/// `v` reshaped to `full` with `axis` of size 1, unless it was reduced with `keepdim` already.
pub(crate) fn restore_axis<C: Calc>(
    c: &C,
    v: &C::V,
    full: Shape,
    axis: usize,
    keepdim: bool,
) -> C::V {
    if keepdim {
        v.clone()
    } else {
        c.reshape(v, full.with_axis_kept(axis))
    }
}
