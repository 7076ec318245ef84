//! Second-order tools on top of the recording backward: `grad` as vars, Hessian-vector products, Hessians.

use crate::tape::Tape;
use crate::tensor::Tensor;
use crate::var::Var;

/// The gradients of the one-element `output` with respect to `inputs`, as vars that can be
/// differentiated again (zeros, as constants, for inputs the output does not depend on).
///
/// # Panics
/// If `output` has more than one element.
#[track_caller]
pub fn grad<'t>(output: Var<'t>, inputs: &[Var<'t>]) -> Vec<Var<'t>> {
    let grads = output.backward_graph();
    inputs
        .iter()
        .map(|&input| match grads.get(input) {
            Some(grad) => grad,
            None => input.tape().constant(Tensor::zeros(input.shape())),
        })
        .collect()
}

/// The Hessian-vector products `H·v` of the one-element `output` with respect to `inputs`, for
/// one direction tensor per input: the gradient of `Σᵢ ⟨∇ᵢ output, vᵢ⟩`, at the cost of two
/// backward passes.
///
/// # Panics
/// If `output` has more than one element, or the directions do not match the inputs' shapes.
#[track_caller]
pub fn hessian_vector_product<'t>(
    output: Var<'t>,
    inputs: &[Var<'t>],
    directions: &[Tensor],
) -> Vec<Tensor> {
    assert_eq!(
        inputs.len(),
        directions.len(),
        "hessian_vector_product: {} inputs but {} directions",
        inputs.len(),
        directions.len()
    );
    let tape = output.tape();
    let grads = grad(output, inputs);
    let mut inner: Option<Var<'t>> = None;
    for (grad, direction) in grads.iter().zip(directions) {
        assert_eq!(
            grad.shape(),
            direction.shape(),
            "hessian_vector_product: direction of shape {} for an input of shape {}",
            direction.shape(),
            grad.shape()
        );
        let term = (*grad * tape.constant(direction.clone())).sum();
        inner = Some(match inner {
            Some(total) => total + term,
            None => term,
        });
    }
    let Some(inner) = inner else {
        return Vec::new();
    };
    let second = inner.backward();
    inputs
        .iter()
        .map(|&input| {
            second
                .get(input)
                .cloned()
                .unwrap_or_else(|| Tensor::zeros(input.shape()))
        })
        .collect()
}

/// The full Hessian of a scalar function of one tensor, as an `[n, n]` tensor with `n` the input's
/// element count (row `i` is `∂(∂f/∂xᵢ)/∂x`). One recorded backward, then `n` plain ones: for small
/// inputs.
///
/// # Panics
/// If `f` does not return one element.
pub fn hessian<F>(f: F, x: &Tensor) -> Tensor
where
    F: for<'t> Fn(Var<'t>) -> Var<'t>,
{
    let n = x.len();
    let tape = Tape::new();
    let input = tape.var(x.clone());
    let output = f(input);
    let gradient = grad(output, &[input])[0].reshape([n]);
    let mut rows = Vec::with_capacity(n * n);
    for i in 0..n {
        let entry = gradient.pick_row_entry(i);
        let row = entry.backward();
        match row.get(input) {
            Some(row) => rows.extend_from_slice(row.data()),
            None => rows.extend(std::iter::repeat_n(0.0, n)),
        }
    }
    Tensor::from_vec(rows, [n, n])
}

impl<'t> Var<'t> {
    /// Entry `i` of a rank-1 var, as a rank-0 var.
    #[track_caller]
    fn pick_row_entry(self, i: usize) -> Var<'t> {
        self.slice(0, i, 1).reshape(crate::Shape::scalar())
    }
}
