//! The maximum along an axis.

use super::sum_axis::restore_axis;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// The maximum along `axis`, keeping the axis with size 1 when `keepdim`.
    ///
    /// Backward: `dL/dx = broadcast(dL/dy) ⊙ onehot(argmax)`; on ties the first maximum takes
    /// it all.
    ///
    /// # Panics
    /// If `axis` is not below the rank, or the axis is empty.
    #[track_caller]
    pub fn max_axis(self, axis: usize, keepdim: bool) -> Var<'t> {
        self.check_axis("max_axis", axis);
        Var::apply(MaxAxis { axis, keepdim }, [self])
    }
}

/// `y = max_axis(x)`.
#[derive(Clone)]
pub(crate) struct MaxAxis {
    pub(crate) axis: usize,
    pub(crate) keepdim: bool,
}

impl Primitive for MaxAxis {
    const NAME: &'static str = "max_axis";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = broadcast(dL/dy) ⊙ onehot(argmax)  (the first maximum on ties)";

    fn parameters(&self) -> String {
        format!("axis={}, keepdim={}", self.axis, self.keepdim)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].max_axis(self.axis, self.keepdim)
    }

    /// For `y = max_axis(x)`: `dL/dx = broadcast(dL/dy) ⊙ onehot(argmax)`: the gradient goes to
    /// the position of the maximum. On ties the first maximal position takes it all (a valid
    /// subgradient; it keeps `Σ dL/dx = Σ dL/dy`). The one-hot mask is a constant.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let MaxAxis { axis, keepdim } = *self;
        grads.set(0, || {
            let x = saved.input(0);
            let x_shape = c.shape(&x);
            let mask = c.constant_from(&x, |x| argmax_mask(x, axis));
            let kept = restore_axis(c, g, x_shape, axis, keepdim);
            c.mul(&c.broadcast_to(&kept, x_shape), &mask)
        });
    }

    fn cases() -> Vec<OpCase> {
        let d = Domain::Distinct;
        vec![
            OpCase::new(Self::NAME, "[5] axis 0", &[(&[5], d)], |v| v[0].max_axis(0, false)),
            OpCase::new(Self::NAME, "[3, 4] axis 1", &[(&[3, 4], d)], |v| v[0].max_axis(1, false)),
            OpCase::new(Self::NAME, "[3, 4] axis 0 keepdim", &[(&[3, 4], d)], |v| v[0].max_axis(0, true)),
            OpCase::new(Self::NAME, "[2, 3, 4] axis 1", &[(&[2, 3, 4], d)], |v| v[0].max_axis(1, false)),
        ]
    }
}

/// 1 at the first maximum of each lane along `axis`, 0 elsewhere.
fn argmax_mask(x: &Tensor, axis: usize) -> Tensor {
    let (_, len, inner) = x.shape().split_at_axis(axis);
    let mut mask = Tensor::zeros(x.shape());
    for (lane, best) in x.argmax_axis(axis).into_iter().enumerate() {
        let (o, i) = (lane / inner, lane % inner);
        mask.data_mut()[o * len * inner + best * inner + i] = 1.0;
    }
    mask
}
