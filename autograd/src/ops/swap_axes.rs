//! Two axes exchanged (`x.swapaxes(a, b)`): a batch of matrices transposed, or heads moved
//! beside the batch axis.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use super::permute::permute;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The var with axes `a` and `b` exchanged (numpy's `swapaxes`): `[B, T, D]` with `(1, 2)`
    /// gives `[B, D, T]`, each matrix of the batch transposed.
    ///
    /// Backward: `dL/dx = swap_axes(dL/dy, a, b)` (the swap is its own inverse).
    ///
    /// # Panics
    /// If `a` or `b` is not below the rank.
    #[track_caller]
    pub fn swap_axes(self, a: usize, b: usize) -> Var<'t> {
        let shape = self.shape();
        if a >= shape.rank() || b >= shape.rank() {
            panic!(
                "swap_axes: axes {a} and {b} are not both below the rank of {shape} (at {})",
                Location::caller()
            );
        }
        Var::apply(SwapAxes { a, b }, [self])
    }
}

/// `y = x` with axes `a` and `b` exchanged.
#[derive(Clone)]
pub(crate) struct SwapAxes {
    pub(crate) a: usize,
    pub(crate) b: usize,
}

impl Primitive for SwapAxes {
    const NAME: &'static str = "swap_axes";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = swap_axes(dL/dy, a, b)";

    fn parameters(&self) -> String {
        format!("axes=({}, {})", self.a, self.b)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        swap(inputs[0], self.a, self.b)
    }

    /// For `y = swapaxes(x, a, b)`, a permutation of the entries: `dL/dx = swapaxes(dL/dy, a, b)`.
    fn backward<C: Calc>(&self, c: &C, _: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        grads.set(0, || c.apply(self.clone(), [g]));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[2, 3, 4] axes 1, 2", &[(&[2, 3, 4], n)], |v| v[0].swap_axes(1, 2)),
            OpCase::new(Self::NAME, "[2, 3, 2, 2] axes 1, 2", &[(&[2, 3, 2, 2], n)], |v| {
                v[0].swap_axes(1, 2)
            }),
            OpCase::new(Self::NAME, "[3, 4] axes 0, 1", &[(&[3, 4], n)], |v| v[0].swap_axes(0, 1)),
        ]
    }
}

/// `x` with axes `a` and `b` exchanged, copied in the new row-major order: the permutation
/// that exchanges them.
fn swap(x: &Tensor, a: usize, b: usize) -> Tensor {
    let mut axes = [0, 1, 2, 3];
    axes.swap(a, b);
    permute(x, &axes[..x.rank()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapping_the_last_two_axes_transposes_each_matrix() {
        let x = Tensor::from_vec((0..12).map(f64::from).collect(), [2, 2, 3]);
        let y = swap(&x, 1, 2);
        assert_eq!(y.dims(), &[2, 3, 2]);
        assert_eq!(y.data(), &[0.0, 3.0, 1.0, 4.0, 2.0, 5.0, 6.0, 9.0, 7.0, 10.0, 8.0, 11.0]);
    }
}
