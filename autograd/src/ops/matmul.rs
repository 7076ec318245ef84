//! The matrix product, with numpy's conventions for rank-1 operands.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::{Layout, Tensor};
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The matrix product `self · other`.
    ///
    /// Rank-2 operands give `[m, k] · [k, n] → [m, n]`. As in numpy, a rank-1 left operand is a
    /// row vector and a rank-1 right operand a column vector, and the added dimension is removed
    /// from the result: `[k] · [k, n] → [n]`, `[m, k] · [k] → [m]`, `[k] · [k] → []`.
    ///
    /// Backward: `dL/dA = dL/dY · Bᵀ`, `dL/dB = Aᵀ · dL/dY`.
    ///
    /// # Panics
    /// If an operand has rank 0 or above 2, or the inner dimensions differ; the message names
    /// both shapes and the caller's line.
    #[track_caller]
    pub fn matmul(self, other: Var<'t>) -> Var<'t> {
        self.assert_same_tape(&other, "matmul");
        let at = Location::caller();
        let (a, b) = (self.shape(), other.shape());
        let fail = |why: String| -> ! { panic!("matmul: {a} · {b}: {why} (at {at})") };
        if !(1..=2).contains(&a.rank()) || !(1..=2).contains(&b.rank()) {
            fail(format!(
                "ranks {} and {} are not 1 or 2",
                a.rank(),
                b.rank()
            ));
        }
        let inner_a = a.dims()[a.rank() - 1];
        let inner_b = b.dims()[0];
        if inner_a != inner_b {
            fail(format!("inner dimensions {inner_a} and {inner_b} differ"));
        }
        match (a.rank(), b.rank()) {
            (2, 2) => Var::apply(MatMul::PLAIN, [self, other]),
            (1, 2) => self
                .reshape([1, inner_a])
                .matmul(other)
                .reshape([b.dims()[1]]),
            (2, 1) => self
                .matmul(other.reshape([inner_b, 1]))
                .reshape([a.dims()[0]]),
            _ => self
                .reshape([1, inner_a])
                .matmul(other.reshape([inner_b, 1]))
                .reshape(Shape::scalar()),
        }
    }
}

/// `Y = op_a(A) · op_b(B)` for rank-2 `A` and `B`, each read as stored or transposed (the
/// public method records [`MatMul::PLAIN`]; the rules of products record the transposed forms,
/// which the kernel reads without copying).
#[derive(Clone)]
pub(crate) struct MatMul {
    pub(crate) a: Layout,
    pub(crate) b: Layout,
}

impl MatMul {
    /// `A · B`.
    pub(crate) const PLAIN: MatMul = MatMul {
        a: Layout::AsIs,
        b: Layout::AsIs,
    };
}

/// The other layout: the transpose of a transpose is the matrix as stored.
fn flip(layout: Layout) -> Layout {
    match layout {
        Layout::AsIs => Layout::Transposed,
        Layout::Transposed => Layout::AsIs,
    }
}

/// How a product `op_a(A) · op_b(B)` reads its operands, for display: nothing for `A · B`,
/// else `aᵀ · b`, `a · bᵀ` or `aᵀ · bᵀ`. Shared by `matmul` and `batch_matmul`.
pub(crate) fn layout_parameters([a, b]: [Layout; 2]) -> String {
    let mark = |layout| if layout == Layout::Transposed { "ᵀ" } else { "" };
    if a == Layout::AsIs && b == Layout::AsIs {
        return String::new();
    }
    format!("a{} · b{}", mark(a), mark(b))
}

/// The product rule of `Y = A' · B'` for `A' = op_a(A)`, `B' = op_b(B)` (layouts `[la, lb]`),
/// shared by `matmul` and `batch_matmul`: `dL/dA' = dL/dY · B'ᵀ` and `dL/dB' = A'ᵀ · dL/dY`,
/// transposed back where the operand was read transposed. So `dL/dA = dL/dY · B'ᵀ`, or
/// `B' · dL/dYᵀ` when `A' = Aᵀ`; `dL/dB = A'ᵀ · dL/dY`, or `dL/dYᵀ · A'` when `B' = Bᵀ`. Each
/// is `product(input, layouts, operands)`: the same kind of product in other layouts (so no
/// transpose is copied), for input `input`'s gradient.
pub(crate) fn product_rule<C: Calc>(
    [la, lb]: [Layout; 2],
    saved: &Saved<'_, C>,
    g: &C::V,
    grads: &mut Grads<'_, C::V>,
    product: impl Fn(usize, [Layout; 2], [&C::V; 2]) -> C::V,
) {
    let (t, plain) = (Layout::Transposed, Layout::AsIs);
    grads.set(0, || {
        let b = saved.input(1);
        match la {
            Layout::AsIs => product(0, [plain, flip(lb)], [g, &b]),
            Layout::Transposed => product(0, [lb, t], [&b, g]),
        }
    });
    grads.set(1, || {
        let a = saved.input(0);
        match lb {
            Layout::AsIs => product(1, [flip(la), plain], [&a, g]),
            Layout::Transposed => product(1, [t, la], [g, &a]),
        }
    });
}

impl Primitive for MatMul {
    const NAME: &'static str = "matmul";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dA = dL/dY · Bᵀ;  dL/dB = Aᵀ · dL/dY";

    fn parameters(&self) -> String {
        layout_parameters([self.a, self.b])
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].matmul_with(self.a, inputs[1], self.b)
    }

    /// For `Y = A · B`: `dL/dA = dL/dY · Bᵀ` and `dL/dB = Aᵀ · dL/dY`.
    ///
    /// (Element by element, `Y[i,j] = Σₖ A[i,k]·B[k,j]`, so `dL/dA[i,k] = Σⱼ dL/dY[i,j]·B[k,j]`.)
    /// In the tutorial these are `dW2 = a1.T · delta3` and the first factor of `delta2`.
    ///
    /// With transposed operands, `Y = A' · B'` for `A' = op_a(A)`, `B' = op_b(B)`, the same
    /// rule holds for `A'` and `B'`, each gradient transposed back where its operand was read
    /// transposed: `product_rule` below spells out the four cases, each a product of this op
    /// in other layouts.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        product_rule([self.a, self.b], saved, g, grads, |_, [a, b], operands| {
            c.apply(MatMul { a, b }, operands)
        });
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[3, 4]·[4, 2]", &[(&[3, 4], n), (&[4, 2], n)], |v| {
                v[0].matmul(v[1])
            }),
            OpCase::new(Self::NAME, "[1, 5]·[5, 1]", &[(&[1, 5], n), (&[5, 1], n)], |v| {
                v[0].matmul(v[1])
            }),
            OpCase::new(Self::NAME, "[4]·[4, 3]", &[(&[4], n), (&[4, 3], n)], |v| {
                v[0].matmul(v[1])
            }),
            OpCase::new(Self::NAME, "[2, 4]·[4]", &[(&[2, 4], n), (&[4], n)], |v| {
                v[0].matmul(v[1])
            }),
            OpCase::new(Self::NAME, "[4]·[4]", &[(&[4], n), (&[4], n)], |v| v[0].matmul(v[1])),
            OpCase::new(Self::NAME, "[3, 4]·[2, 4]ᵀ", &[(&[3, 4], n), (&[2, 4], n)], |v| {
                let op = MatMul { a: Layout::AsIs, b: Layout::Transposed };
                Var::apply(op, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[4, 3]ᵀ·[4, 2]", &[(&[4, 3], n), (&[4, 2], n)], |v| {
                let op = MatMul { a: Layout::Transposed, b: Layout::AsIs };
                Var::apply(op, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[4, 3]ᵀ·[2, 4]ᵀ", &[(&[4, 3], n), (&[2, 4], n)], |v| {
                let op = MatMul { a: Layout::Transposed, b: Layout::Transposed };
                Var::apply(op, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[5, 1]ᵀ·[5, 1]", &[(&[5, 1], n), (&[5, 1], n)], |v| {
                let op = MatMul { a: Layout::Transposed, b: Layout::AsIs };
                Var::apply(op, [v[0], v[1]])
            }),
        ]
    }
}
