//! Unfold (im2col): every window position of an image batch laid out as one row of patches.

use super::fold::Fold;
use super::window::Window;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The patches of an `[N, C, H, W]` input under `window`, as a `[N·OH·OW, C·kH·kW]` matrix:
    /// row `(n·OH + oy)·OW + ox` holds, at column `(c·kH + ky)·kW + kx`, the input cell that tap
    /// `(ky, kx)` of channel `c` reads at output position `(oy, ox)` of image `n` (see
    /// [`Window`]), or `pad_value` where the tap falls in the padding.
    ///
    /// A convolution is this matrix times the reshaped weights; a pooling is a reduction along
    /// its rows. Max pooling pads with a value no input beats; convolution and average pooling
    /// with 0.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window};
    /// let tape = Tape::new();
    /// let x = tape.var(Tensor::from_vec((1..=9).map(f64::from).collect(), [1, 1, 3, 3]));
    /// let patches = x.unfold(Window::square(2), 0.0);
    /// assert_eq!(patches.shape().dims(), &[4, 4]);
    /// assert_eq!(patches.value().row(1), &[2.0, 3.0, 5.0, 6.0]);
    /// ```
    ///
    /// Backward: `dL/dx = fold(dL/dP)`, each cell's gradient the sum over the patch entries
    /// that copied it.
    ///
    /// # Panics
    /// If the input is not rank 4 or the window does not fit it (a zero kernel, stride or
    /// dilation, or a kernel larger than the padded input).
    #[track_caller]
    pub fn unfold(self, window: Window, pad_value: f64) -> Var<'t> {
        image_geometry("unfold", self.shape(), &window);
        Var::apply(Unfold { window, pad_value }, [self])
    }
}

/// `P = unfold(x)` under `window`, `pad_value` in the padding.
#[derive(Clone)]
pub(crate) struct Unfold {
    pub(crate) window: Window,
    pub(crate) pad_value: f64,
}

impl Primitive for Unfold {
    const NAME: &'static str = "unfold";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dx = fold(dL/dP)";

    fn parameters(&self) -> String {
        format!("{}, pad_value={}", self.window, self.pad_value)
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        unfold(inputs[0], &self.window, self.pad_value)
    }

    /// For `P = unfold(x)`: `dL/dx = fold(dL/dP)`. Each patch entry is a copy of one input cell
    /// (or a constant in the padding), so `∂P[r, k]/∂x[i] = 1` where entry `(r, k)` reads cell
    /// `i`, and the chain rule adds up, for each cell, the gradients of every entry that copied
    /// it: that sum is [`Fold`], unfold's adjoint. Padding entries take no part (their value,
    /// whatever `pad_value` is, does not depend on `x`).
    fn backward<C: Calc>(&self, c: &C, saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let dims = saved.shape(0);
        let size = [dims.dim(2), dims.dim(3)];
        grads.set(0, || c.apply(Fold { window: self.window, size }, [g]));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            OpCase::new(Self::NAME, "[1, 1, 4, 4] 2x2", &[(&[1, 1, 4, 4], n)], |v| {
                v[0].unfold(Window::square(2), 0.0)
            }),
            OpCase::new(Self::NAME, "[2, 2, 3, 3] 2x2 pad 1 stride 2 pad_value 0.5", &[(&[2, 2, 3, 3], n)], |v| {
                v[0].unfold(Window::square(2).with_padding(1).with_stride(2), 0.5)
            }),
            OpCase::new(Self::NAME, "[1, 2, 5, 4] 3x2 dilation 2", &[(&[1, 2, 5, 4], n)], |v| {
                v[0].unfold(Window::new(3, 2).with_dilation(2), 0.0)
            }),
        ]
    }
}

/// `[N, C, H, W]` and `[OH, OW]` for an input of `shape` under `window`.
///
/// # Panics
/// As [`Var::unfold`], naming `op`.
#[track_caller]
pub(crate) fn image_geometry(op: &str, shape: Shape, window: &Window) -> ([usize; 4], [usize; 2]) {
    let &[n, c, h, w] = shape.dims() else {
        panic!(
            "{op}: the input {shape} is not an image batch [N, C, H, W] (at {})",
            Location::caller()
        )
    };
    match window.output_size(h, w) {
        Ok(out) => ([n, c, h, w], out),
        Err(error) => panic!(
            "{op}: {error} (input {shape}, {window}) (at {})",
            Location::caller()
        ),
    }
}

/// The patch matrix of `x` (see [`Var::unfold`]).
pub(crate) fn unfold(x: &Tensor, window: &Window, pad_value: f64) -> Tensor {
    let ([n, c, h, w], [oh, ow]) = image_geometry("unfold", x.shape(), window);
    let [kh, kw] = window.kernel;
    let columns = c * kh * kw;
    let mut patches = vec![pad_value; n * oh * ow * columns];
    let input = x.data();
    for (position, row) in patches.chunks_exact_mut(columns).enumerate() {
        let (image, oy, ox) = (position / (oh * ow), position / ow % oh, position % ow);
        for channel in 0..c {
            let plane = &input[(image * c + channel) * h * w..][..h * w];
            for ky in 0..kh {
                let Some(iy) = window.source(0, oy, ky, h) else {
                    continue;
                };
                let taps = &mut row[(channel * kh + ky) * kw..][..kw];
                for (kx, tap) in taps.iter_mut().enumerate() {
                    if let Some(ix) = window.source(1, ox, kx, w) {
                        *tap = plane[iy * w + ix];
                    }
                }
            }
        }
    }
    Tensor::from_vec(patches, [n * oh * ow, columns])
}

#[cfg(test)]
mod tests {
    use super::super::window::{assert_gradients, cases};
    use super::*;
    use crate::tape::Tape;

    #[test]
    fn patches_hold_the_window_cells_and_the_pad_value() {
        // A 3×3 image 1..9 with one cell of padding, kernel 2×2, stride 2: positions (0, 0),
        // (0, 1), (1, 0), (1, 1) read rows/columns {−1, 0} and {1, 2}.
        let x = Tensor::from_vec((1..=9).map(f64::from).collect(), [1, 1, 3, 3]);
        let window = Window::square(2).with_stride(2).with_padding(1);
        let patches = unfold(&x, &window, -7.0);
        assert_eq!(patches.dims(), &[4, 4]);
        let p = -7.0;
        assert_eq!(patches.row(0), &[p, p, p, 1.0]);
        assert_eq!(patches.row(1), &[p, p, 2.0, 3.0]);
        assert_eq!(patches.row(2), &[p, 4.0, p, 7.0]);
        assert_eq!(patches.row(3), &[5.0, 6.0, 8.0, 9.0]);
    }

    #[test]
    fn channels_and_images_keep_their_places() {
        // Two images of two channels, 2×2 each, kernel 1×1 dilation-free: every row is one
        // pixel's channel pair.
        let x = Tensor::from_vec((0..16).map(f64::from).collect(), [2, 2, 2, 2]);
        let patches = unfold(&x, &Window::square(1), 0.0);
        assert_eq!(patches.dims(), &[8, 2]);
        assert_eq!(patches.row(0), &[0.0, 4.0]);
        assert_eq!(patches.row(3), &[3.0, 7.0]);
        assert_eq!(patches.row(4), &[8.0, 12.0]);
    }

    #[test]
    fn unfold_grads_match_finite_differences_to_second_order() {
        for (seed, (dims, window)) in cases().into_iter().enumerate() {
            let x = Tensor::randn(
                dims,
                &mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed as u64),
            );
            assert_gradients(
                &format!("unfold {dims:?} {window}"),
                |x| x.unfold(window, 0.5),
                x,
            );
        }
    }

    #[test]
    #[should_panic(
        expected = "unfold: the kernel spans 5 cells along the width but the padded input has 4"
    )]
    fn a_kernel_wider_than_the_padded_input_panics_naming_the_shapes() {
        let tape = Tape::new();
        let x = tape.var(Tensor::zeros([1, 1, 6, 2]));
        x.unfold(Window::new(1, 5).with_padding(1), 0.0);
    }

    #[test]
    #[should_panic(expected = "unfold: the input [4, 4] is not an image batch [N, C, H, W]")]
    fn a_matrix_is_not_an_image_batch() {
        let tape = Tape::new();
        tape.var(Tensor::zeros([4, 4]))
            .unfold(Window::square(2), 0.0);
    }
}
