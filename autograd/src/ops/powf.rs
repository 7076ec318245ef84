//! `x^p` for a constant exponent `p`.

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{self, Domain, OpCase};
use crate::tensor::Tensor;
use crate::var::Var;

impl<'t> Var<'t> {
    /// `x^p` elementwise for a constant exponent (IEEE `powf`: a negative base with a
    /// non-integer exponent gives NaN).
    ///
    /// Backward: `dL/dx = dL/dy ⊙ p·x^(p−1)` (0 for `p = 0`).
    #[track_caller]
    pub fn powf(self, exponent: f64) -> Var<'t> {
        Var::apply(PowScalar(exponent), [self])
    }
}

/// `y = x^p`.
#[derive(Clone)]
pub(crate) struct PowScalar(pub(crate) f64);

impl Primitive for PowScalar {
    const NAME: &'static str = "powf";
    const SAVES: Saves = Saves::INPUTS;
    const RULE: &'static str = "dL/dx = dL/dy ⊙ p·x^(p−1)  (0 for p = 0)";

    fn parameters(&self) -> String {
        format!("p={}", self.0)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        let exponent = self.0;
        inputs[0].map(|x| x.powf(exponent))
    }

    /// For `y = x^p`: `dL/dx = dL/dy ⊙ p·x^(p−1)`; for `p = 0` the slope is 0 everywhere.
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let exponent = self.0;
        grads.set(0, || {
            if exponent == 0.0 {
                return c.scale(g, 0.0);
            }
            let slope = c.scale(&c.powf(&saved.input(0), exponent - 1.0), exponent);
            c.mul(g, &slope)
        });
    }

    fn cases() -> Vec<OpCase> {
        let mut cases = cases::elementwise(Self::NAME, Domain::Positive, |v| v[0].powf(2.5));
        cases.extend(cases::elementwise(Self::NAME, Domain::Normal, |v| v[0].powf(3.0)));
        cases.extend(cases::elementwise(Self::NAME, Domain::Positive, |v| v[0].powf(-0.5)));
        cases
    }
}
