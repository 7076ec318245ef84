//! `normalize_backward(x, g) = (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂))/σ`: the rule of
//! [`Var::normalize`] in one pass per lane.

use super::add::Add;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

/// `out = (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂))/σ` lane by lane along `axis`, for `x̂` the
/// standardised `x` and `σ = √(variance(x) + eps)`: the derivative op of [`Var::normalize`],
/// inputs `[x, g]`. As a function of `g` it is `J·g` for the (symmetric) Jacobian `J` of
/// `normalize` at `x`.
#[derive(Clone)]
pub(crate) struct NormalizeBackward {
    pub(crate) axis: usize,
    pub(crate) eps: f64,
}

impl Primitive for NormalizeBackward {
    const NAME: &'static str = "normalize_backward";
    const SAVES: Saves = Saves::INPUTS_AND_OUTPUT;
    const RULE: &'static str = "dL/dg = normalize_backward(x, dL/dout);  dL/dx = −(x̂ ⊙ mean(dL/dout ⊙ out) + mean(g ⊙ x̂) ⊙ normalize_backward(x, dL/dout) + mean(dL/dout ⊙ x̂) ⊙ out)/σ";

    fn parameters(&self) -> String {
        format!("axis={}, eps={}", self.axis, self.eps)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        inputs[0].normalize_slope(inputs[1], self.axis, self.eps)
    }

    /// With `u = dL/dout`, `s = 1/σ` and `b = mean(g ⊙ x̂)` (per lane), `out = J·g` where
    /// `J = s·(I − 11ᵀ/n − x̂x̂ᵀ/n)`:
    /// - `out` is linear in `g` and `J` is symmetric, so `dL/dg = J·u`, this op again;
    /// - in `x`, `out = s·(g − mean(g) − x̂·b)` moves through `s` (`ds = −s²·mean(x̂ ⊙ dx)`,
    ///   giving `−s·out·mean(x̂ ⊙ dx)`), through `x̂` (`dx̂ = J·dx`, giving `−s·b·J·dx`) and
    ///   through `b` (`db = mean(g ⊙ J·dx)`, giving `−s·x̂·mean(g ⊙ J·dx)`). Transposed:
    ///   `dL/dx = −s·(x̂ ⊙ mean(u ⊙ out) + b ⊙ J·u + mean(u ⊙ x̂) ⊙ out)`.
    ///
    /// Every term is recorded from ops with rules of their own, so the third order works too.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, u: &C::V, grads: &mut Grads<'_, C::V>) {
        let (axis, eps) = (self.axis, self.eps);
        let x = saved.input(0);
        let j_u = c.apply(self.clone(), [&x, u]);
        grads.set(0, || {
            let n = c.shape(&x).dims()[axis] as f64;
            let mean = |v: &C::V| c.scale(&c.sum_axis(v, axis, true), 1.0 / n);
            let centred = c.sub(&x, &mean(&x));
            let inverse_sigma = c.powf(&c.add_scalar(&mean(&c.mul(&centred, &centred)), eps), -0.5);
            let x_hat = c.mul(&centred, &inverse_sigma);
            let out = saved.output();
            let b = mean(&c.mul(&saved.input(1), &x_hat));
            let add = |a: &C::V, b: &C::V| c.apply(Add, [a, b]);
            let terms = add(
                &add(&c.mul(&x_hat, &mean(&c.mul(u, &out))), &c.mul(&b, &j_u)),
                &c.mul(&mean(&c.mul(u, &x_hat)), &out),
            );
            c.neg(&c.mul(&terms, &inverse_sigma))
        });
        grads.set(1, || j_u);
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[3, 4] axis 1", &[(&[3, 4], n), (&[3, 4], n)], |v| {
                Var::apply(NormalizeBackward { axis: 1, eps: 1e-5 }, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[3, 4] axis 0, eps 0.5", &[(&[3, 4], n), (&[3, 4], n)], |v| {
                Var::apply(NormalizeBackward { axis: 0, eps: 0.5 }, [v[0], v[1]])
            }),
            OpCase::new(Self::NAME, "[2, 3, 4] axis 2", &[(&[2, 3, 4], n), (&[2, 3, 4], n)], |v| {
                Var::apply(NormalizeBackward { axis: 2, eps: 1e-5 }, [v[0], v[1]])
            }),
        ]
    }
}
