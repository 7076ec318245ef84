//! Permute: the axes of a tensor in a new order (numpy's `transpose(axes)`).

use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::kernels::storage;
use crate::shape::{MAX_RANK, Shape};
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The tensor with its axes reordered: output axis `i` is input axis `axes[i]`, so that
    /// `y[i₀, …] = x` at the index whose axis `axes[k]` is `iₖ`. `permute(&[1, 0])` of a matrix is
    /// its transpose; `permute(&[0, 3, 1, 2])` turns `[N, H, W, C]` into `[N, C, H, W]`.
    ///
    /// Backward: `dL/dx = permute(dL/dy, axes⁻¹)`.
    ///
    /// # Panics
    /// If `axes` is not an ordering of `0..rank`.
    #[track_caller]
    pub fn permute(self, axes: &[usize]) -> Var<'t> {
        let shape = self.shape();
        let mut seen = [false; MAX_RANK];
        let valid = axes.len() == shape.rank()
            && axes
                .iter()
                .all(|&axis| axis < shape.rank() && !std::mem::replace(&mut seen[axis], true));
        if !valid {
            panic!(
                "permute: {axes:?} is not an ordering of the axes of {shape} (at {})",
                Location::caller()
            );
        }
        Var::apply(
            Permute {
                axes: Shape::new(axes),
            },
            [self],
        )
    }
}

/// `y = x` with its axes in the order `axes`.
#[derive(Clone)]
pub(crate) struct Permute {
    /// The ordering, held inline as a [`Shape`] holds its dimensions (at most `MAX_RANK`
    /// numbers), so that recording a permute, or its gradient, allocates nothing.
    pub(crate) axes: Shape,
}

impl Primitive for Permute {
    const NAME: &'static str = "permute";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = permute(dL/dy, axes⁻¹)";

    fn parameters(&self) -> String {
        format!("axes={:?}", self.axes.dims())
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        permute(inputs[0], self.axes.dims())
    }

    /// For `y = permute(x, axes)`: `dL/dx = permute(dL/dy, axes⁻¹)`. Each output element is a
    /// copy of one input element, so the gradient moves back to where the element came from:
    /// output axis `i` came from input axis `axes[i]`, and the inverse ordering puts it back.
    fn backward<C: Calc>(&self, c: &C, _saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let undo = Permute {
            axes: inverse(self.axes.dims()),
        };
        grads.set(0, || c.apply(undo, [g]));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[3, 4] (1, 0)", &[(&[3, 4], n)], |v| v[0].permute(&[1, 0])),
            OpCase::new(Self::NAME, "[2, 3, 4] (2, 0, 1)", &[(&[2, 3, 4], n)], |v| {
                v[0].permute(&[2, 0, 1])
            }),
            OpCase::new(Self::NAME, "[2, 3, 2, 3] (0, 3, 1, 2)", &[(&[2, 3, 2, 3], n)], |v| {
                v[0].permute(&[0, 3, 1, 2])
            }),
        ]
    }
}

/// `x` with its axes in the order `axes` (a valid ordering, see [`Var::permute`]).
///
/// The output is written in order, one run along its last axis at a time; a run that is also
/// contiguous in the input is copied whole.
pub(crate) fn permute(x: &Tensor, axes: &[usize]) -> Tensor {
    let (input, rank) = (x.shape(), axes.len());
    let mut dims = [0; MAX_RANK];
    for (dim, &axis) in dims.iter_mut().zip(axes) {
        *dim = input.dim(axis);
    }
    // Work in rank 4, leading axes of size 1, each output axis with the input stride it walks.
    let lead = MAX_RANK - rank;
    let mut size = [1; MAX_RANK];
    let mut stride = [0; MAX_RANK];
    let input_strides = input.strides();
    for (i, &axis) in axes.iter().enumerate() {
        size[lead + i] = dims[i];
        stride[lead + i] = input_strides[axis];
    }
    let data = x.data();
    let shape = Shape::new(&dims[..rank]);
    let mut output = storage::with_capacity(shape.numel());
    let (run, step) = (size[3], stride[3]);
    if run > 0 {
        for a in 0..size[0] {
            for b in 0..size[1] {
                for c in 0..size[2] {
                    let base = a * stride[0] + b * stride[1] + c * stride[2];
                    if step == 1 {
                        output.extend_from_slice(&data[base..][..run]);
                    } else {
                        output.extend((0..run).map(|d| data[base + d * step]));
                    }
                }
            }
        }
    }
    Tensor::from_vec(output, shape)
}

/// The ordering that undoes `axes`: `inverse[axes[i]] = i`.
pub(crate) fn inverse(axes: &[usize]) -> Shape {
    let mut inverse = [0; MAX_RANK];
    for (i, &axis) in axes.iter().enumerate() {
        inverse[axis] = i;
    }
    Shape::new(&inverse[..axes.len()])
}

#[cfg(test)]
mod tests {
    use super::super::window::assert_gradients;
    use super::*;
    use crate::tape::Tape;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// Shapes and orderings of ranks 1 to 4, the identity among them.
    fn cases() -> Vec<(Vec<usize>, Vec<usize>)> {
        vec![
            (vec![5], vec![0]),
            (vec![3, 4], vec![1, 0]),
            (vec![2, 3, 4], vec![2, 0, 1]),
            (vec![2, 3, 2, 3], vec![0, 3, 1, 2]),
            (vec![2, 1, 3, 2], vec![3, 2, 1, 0]),
        ]
    }

    #[test]
    fn each_output_element_comes_from_the_permuted_index() {
        for (dims, axes) in cases() {
            let x = Tensor::from_vec(
                (0..dims.iter().product::<usize>())
                    .map(|i| i as f64)
                    .collect(),
                &dims[..],
            );
            let y = permute(&x, &axes);
            let out_dims: Vec<usize> = axes.iter().map(|&axis| dims[axis]).collect();
            assert_eq!(y.dims(), &out_dims[..]);
            for flat in 0..y.len() {
                let mut rest = flat;
                let mut out_index = vec![0; dims.len()];
                for axis in (0..dims.len()).rev() {
                    out_index[axis] = rest % out_dims[axis];
                    rest /= out_dims[axis];
                }
                let mut in_index = vec![0; dims.len()];
                for (i, &axis) in axes.iter().enumerate() {
                    in_index[axis] = out_index[i];
                }
                assert_eq!(y.get(&out_index), x.get(&in_index), "{dims:?} {axes:?}");
            }
        }
    }

    #[test]
    fn the_inverse_ordering_restores_the_tensor() {
        let x = Tensor::randn([2, 3, 2, 3], &mut StdRng::seed_from_u64(1));
        let axes = [2, 0, 3, 1];
        assert_eq!(permute(&permute(&x, &axes), inverse(&axes).dims()), x);
    }

    #[test]
    fn permute_grads_match_finite_differences_to_second_order() {
        for (seed, (dims, axes)) in cases().into_iter().enumerate() {
            let x = Tensor::randn(&dims[..], &mut StdRng::seed_from_u64(seed as u64));
            assert_gradients(
                &format!("permute {dims:?} {axes:?}"),
                |x| x.permute(&axes),
                x,
            );
        }
    }

    #[test]
    #[should_panic(expected = "permute: [0, 0, 1] is not an ordering of the axes of [2, 3, 4]")]
    fn a_repeated_axis_panics() {
        let tape = Tape::new();
        tape.var(Tensor::zeros([2, 3, 4])).permute(&[0, 0, 1]);
    }
}
