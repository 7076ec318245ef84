//! The matrix product over a leading batch axis, as in attention's `Q·Kᵀ` and `weights·V`.

use super::swap_axes::SwapAxes;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The products `self[b] · other[b]` of two rank-3 vars `[B, m, k] · [B, k, n] → [B, m, n]`;
    /// a batch size of 1 on either side is broadcast to the other's (numpy's `a @ b`).
    ///
    /// Backward: `dL/dA = sum_to(dL/dY · Bᵀ, [Bₐ, m, k])` and `dL/dB = sum_to(Aᵀ · dL/dY,
    /// [B_b, k, n])`, batch by batch, summed over the batch where an operand was broadcast.
    ///
    /// # Panics
    /// If an operand is not rank 3, the inner dimensions differ, or the batch sizes differ and
    /// neither is 1; the message names both shapes.
    #[track_caller]
    pub fn batch_matmul(self, other: Var<'t>) -> Var<'t> {
        self.assert_same_tape(&other, "batch_matmul");
        let (a, b) = (self.shape(), other.shape());
        let fail = |why: &str| -> ! {
            panic!("batch_matmul: {a} · {b}: {why} (at {})", Location::caller())
        };
        if a.rank() != 3 || b.rank() != 3 {
            fail("both operands must be rank 3 [batch, rows, columns]");
        }
        if a.dims()[2] != b.dims()[1] {
            fail("the inner dimensions differ");
        }
        let (ba, bb) = (a.dims()[0], b.dims()[0]);
        if ba != bb && ba != 1 && bb != 1 {
            fail("the batch sizes differ and neither is 1");
        }
        Var::apply(BatchMatMul, [self, other])
    }
}

/// `Y[b] = A[b] · B[b]` for rank-3 `A` and `B`, a batch of 1 broadcast.
#[derive(Clone)]
pub(crate) struct BatchMatMul;

impl Primitive for BatchMatMul {
    const NAME: &'static str = "batch_matmul";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dA[b] = dL/dY[b] · B[b]ᵀ;  dL/dB[b] = A[b]ᵀ · dL/dY[b]  (summed over broadcast batches)";

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        let (a, b) = (inputs[0], inputs[1]);
        let (ba, m, k) = (a.dims()[0], a.dims()[1], a.dims()[2]);
        let (bb, n) = (b.dims()[0], b.dims()[2]);
        let batch = ba.max(bb);
        let mut data = Vec::with_capacity(batch * m * n);
        for i in 0..batch {
            let a_i = matrix(a, if ba == 1 { 0 } else { i }, m, k);
            let b_i = matrix(b, if bb == 1 { 0 } else { i }, k, n);
            data.extend_from_slice(a_i.matmul(&b_i).data());
        }
        Tensor::from_vec(data, [batch, m, n])
    }

    /// For `Y[b] = A[b] · B[b]`: `dL/dA[b] = dL/dY[b] · B[b]ᵀ` and `dL/dB[b] = A[b]ᵀ · dL/dY[b]`
    /// (the matrix rule batch by batch, the transposes being swaps of the last two axes); an
    /// operand broadcast from a batch of 1 gets the sum over the batch (`sum_to` its shape).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let swap = |v: &C::V| c.apply(SwapAxes { a: 1, b: 2 }, [v]);
        let (a_shape, b_shape) = (saved.shape(0), saved.shape(1));
        grads.set(0, || c.sum_to(&c.apply(BatchMatMul, [g, &swap(&saved.input(1))]), a_shape));
        grads.set(1, || c.sum_to(&c.apply(BatchMatMul, [&swap(&saved.input(0)), g]), b_shape));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[2, 3, 4]·[2, 4, 2]", &[(&[2, 3, 4], n), (&[2, 4, 2], n)], |v| {
                v[0].batch_matmul(v[1])
            }),
            OpCase::new(Self::NAME, "[3, 2, 4]·[1, 4, 3]", &[(&[3, 2, 4], n), (&[1, 4, 3], n)], |v| {
                v[0].batch_matmul(v[1])
            }),
            OpCase::new(Self::NAME, "[1, 2, 3]·[2, 3, 2]", &[(&[1, 2, 3], n), (&[2, 3, 2], n)], |v| {
                v[0].batch_matmul(v[1])
            }),
        ]
    }
}

/// Matrix `index` of a rank-3 tensor whose matrices are `rows × columns`, copied out.
fn matrix(x: &Tensor, index: usize, rows: usize, columns: usize) -> Tensor {
    let size = rows * columns;
    let data = x.data()[index * size..(index + 1) * size].to_vec();
    Tensor::from_vec(data, Shape::new(&[rows, columns]))
}
