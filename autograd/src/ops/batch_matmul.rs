//! The matrix product over a leading batch axis, as in attention's `Q·Kᵀ` and `weights·V`.

use super::matmul::{layout_parameters, product_rule};
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::{Layout, Tensor, batch_product_dims};
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
        if let Err(why) = batch_product_dims([a.dims(), b.dims()], [Layout::AsIs; 2]) {
            fail(why);
        }
        Var::apply(BatchMatMul::PLAIN, [self, other])
    }
}

/// `Y[b] = op_a(A[b]) · op_b(B[b])` for rank-3 `A` and `B`, each matrix read as stored or
/// transposed, a batch of 1 broadcast (the public method records [`BatchMatMul::PLAIN`]; the
/// rules record the transposed forms, which the kernel reads without copying).
#[derive(Clone)]
pub(crate) struct BatchMatMul {
    pub(crate) a: Layout,
    pub(crate) b: Layout,
}

impl BatchMatMul {
    /// `A[b] · B[b]`.
    pub(crate) const PLAIN: BatchMatMul = BatchMatMul {
        a: Layout::AsIs,
        b: Layout::AsIs,
    };
}

impl Primitive for BatchMatMul {
    const NAME: &'static str = "batch_matmul";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dA[b] = dL/dY[b] · B[b]ᵀ;  dL/dB[b] = A[b]ᵀ · dL/dY[b]  (summed over broadcast batches)";

    fn parameters(&self) -> String {
        layout_parameters([self.a, self.b])
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].batch_matmul_with(self.a, inputs[1], self.b)
    }

    /// For `Y[b] = A[b] · B[b]`: `dL/dA[b] = dL/dY[b] · B[b]ᵀ` and `dL/dB[b] = A[b]ᵀ · dL/dY[b]`,
    /// the matrix rule batch by batch; an operand broadcast from a batch of 1 gets the sum over
    /// the batch (`sum_to` its shape).
    ///
    /// With transposed operands the rule is `matmul`'s in other layouts (`product_rule` in
    /// `ops/matmul.rs`), each product this op again, so no transpose is ever copied.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        product_rule([self.a, self.b], saved, g, grads, |input, [a, b], operands| {
            c.sum_to(&c.apply(BatchMatMul { a, b }, operands), saved.shape(input))
        });
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
            OpCase::new(Self::NAME, "[2, 3, 4]·[2, 2, 4]ᵀ", &[(&[2, 3, 4], n), (&[2, 2, 4], n)], |v| {
                let op = BatchMatMul { a: Layout::AsIs, b: Layout::Transposed };
                Var::apply(op, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[1, 4, 3]ᵀ·[2, 4, 2]", &[(&[1, 4, 3], n), (&[2, 4, 2], n)], |v| {
                let op = BatchMatMul { a: Layout::Transposed, b: Layout::AsIs };
                Var::apply(op, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[2, 4, 3]ᵀ·[1, 2, 4]ᵀ", &[(&[2, 4, 3], n), (&[1, 2, 4], n)], |v| {
                let op = BatchMatMul { a: Layout::Transposed, b: Layout::Transposed };
                Var::apply(op, [v[0], v[1]])
            }),
        ]
    }
}
