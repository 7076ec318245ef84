//! Fold (col2im): patches added back into the image cells they were read from.

use super::unfold::Unfold;
use super::window::Window;
use super::{Grads, Primitive, Saved, Saves};
use crate::calc::Calc;
use crate::cases::{Domain, OpCase};
use crate::shape::Shape;
use crate::tensor::Tensor;
use crate::var::Var;
use std::panic::Location;

impl<'t> Var<'t> {
    /// The adjoint of [`unfold`](Var::unfold): from patches `[N·OH·OW, C·kH·kW]` laid out as
    /// `unfold` lays them out for an image of `size = [H, W]`, the `[N, C, H, W]` image in which
    /// each cell is the sum of every patch entry that reads it; entries in the padding are dropped.
    ///
    /// `fold(unfold(x))` multiplies each cell by the number of windows that cover it.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window};
    /// let tape = Tape::new();
    /// let patches = tape.var(Tensor::ones([4, 4]));
    /// let counts = patches.fold(Window::square(2), [3, 3]);
    /// assert_eq!(counts.value().data(), &[1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]);
    /// ```
    ///
    /// Backward: `dL/dP = unfold(dL/dY)` with zero padding: each entry's gradient is that of
    /// the cell it is added into.
    ///
    /// # Panics
    /// If the window does not fit `size` (as [`Var::unfold`]), or the patches are not a matrix
    /// whose rows are a whole number of images and whose columns a whole number of channels.
    #[track_caller]
    pub fn fold(self, window: Window, size: [usize; 2]) -> Var<'t> {
        fold_geometry(self.shape(), &window, size);
        Var::apply(Fold { window, size }, [self])
    }
}

/// `Y = fold(P)` into images of `size = [H, W]` under `window`.
#[derive(Clone)]
pub(crate) struct Fold {
    pub(crate) window: Window,
    pub(crate) size: [usize; 2],
}

impl Primitive for Fold {
    const NAME: &'static str = "fold";
    const SAVES: Saves = Saves::NOTHING;
    const RULE: &'static str = "dL/dP = unfold(dL/dY)";

    fn parameters(&self) -> String {
        format!("{}, size={}x{}", self.window, self.size[0], self.size[1])
    }

    fn forward(&self, inputs: &[&Tensor]) -> Tensor {
        fold(inputs[0], &self.window, self.size)
    }

    /// For `Y = fold(P)`: `dL/dP = unfold(dL/dY)` with zero padding. Fold is linear with
    /// `∂Y[i]/∂P[r, k] = 1` where entry `(r, k)` reads cell `i` (0 for entries in the padding),
    /// so each entry's gradient is the gradient of the cell it reads, which is what unfolding
    /// `dL/dY` copies into that entry; padding entries get 0.
    fn backward<C: Calc>(&self, c: &C, _saved: &Saved<'_, C>, g: &C::V, grads: &mut Grads<'_, C::V>) {
        let unfold = Unfold {
            window: self.window,
            pad_value: 0.0,
        };
        grads.set(0, || c.apply(unfold, [g]));
    }

    fn cases() -> Vec<OpCase> {
        let n = Domain::Normal;
        vec![
            // A 3x3 image under 2x2 windows: 4 positions of 4 taps.
            OpCase::new(Self::NAME, "[4, 4] into 1x1x3x3, 2x2", &[(&[4, 4], n)], |v| {
                v[0].fold(Window::square(2), [3, 3])
            }),
            // Two images of two channels, 3x3, 2x2 windows padded by 1 with stride 2: 2x2
            // positions each.
            OpCase::new(Self::NAME, "[8, 8] into 2x2x3x3, 2x2 pad 1 stride 2", &[(&[8, 8], n)], |v| {
                v[0].fold(Window::square(2).with_padding(1).with_stride(2), [3, 3])
            }),
        ]
    }
}

/// `[N, C, H, W]` and `[OH, OW]` for patches of `shape` folded into images of `size`.
#[track_caller]
fn fold_geometry(shape: Shape, window: &Window, size: [usize; 2]) -> ([usize; 4], [usize; 2]) {
    let [h, w] = size;
    let [oh, ow] = match window.output_size(h, w) {
        Ok(out) => out,
        Err(error) => panic!(
            "fold: {error} (image {h}x{w}, {window}) (at {})",
            Location::caller()
        ),
    };
    let positions = oh * ow;
    match *shape.dims() {
        [rows, columns] if rows % positions == 0 && columns % window.taps() == 0 => {
            ([rows / positions, columns / window.taps(), h, w], [oh, ow])
        }
        _ => panic!(
            "fold: patches {shape} are not [N·{positions}, C·{}] for a {h}x{w} image under {window} (at {})",
            window.taps(),
            Location::caller()
        ),
    }
}

/// The image of `patches` (see [`Var::fold`]): the same loops as `unfold`, adding where it copies.
pub(crate) fn fold(patches: &Tensor, window: &Window, size: [usize; 2]) -> Tensor {
    let ([n, c, h, w], [oh, ow]) = fold_geometry(patches.shape(), window, size);
    let [kh, kw] = window.kernel;
    let mut image = vec![0.0; n * c * h * w];
    let columns = c * kh * kw;
    for (position, row) in patches.data().chunks_exact(columns).enumerate() {
        let (index, oy, ox) = (position / (oh * ow), position / ow % oh, position % ow);
        for channel in 0..c {
            let plane = &mut image[(index * c + channel) * h * w..][..h * w];
            for ky in 0..kh {
                let Some(iy) = window.source(0, oy, ky, h) else {
                    continue;
                };
                let taps = &row[(channel * kh + ky) * kw..][..kw];
                for (kx, &tap) in taps.iter().enumerate() {
                    if let Some(ix) = window.source(1, ox, kx, w) {
                        plane[iy * w + ix] += tap;
                    }
                }
            }
        }
    }
    Tensor::from_vec(image, [n, c, h, w])
}

#[cfg(test)]
mod tests {
    use super::super::unfold::unfold;
    use super::super::window::{assert_gradients, cases};
    use super::*;
    use crate::tape::Tape;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// `⟨unfold(x), P⟩ = ⟨x, fold(P)⟩` for every `x` and `P`: the two are each other's adjoint,
    /// which is what makes each one's rule the other.
    #[test]
    fn fold_is_the_adjoint_of_unfold() {
        for (seed, (dims, window)) in cases().into_iter().enumerate() {
            let mut rng = StdRng::seed_from_u64(seed as u64);
            let x = Tensor::randn(dims, &mut rng);
            let unfolded = unfold(&x, &window, 0.0);
            let p = Tensor::randn(unfolded.shape(), &mut rng);
            let folded = fold(&p, &window, [dims[2], dims[3]]);
            let dot = |a: &Tensor, b: &Tensor| -> f64 {
                a.data().iter().zip(b.data()).map(|(a, b)| a * b).sum()
            };
            let (left, right) = (dot(&unfolded, &p), dot(&x, &folded));
            assert!(
                (left - right).abs() < 1e-12 * left.abs().max(1.0),
                "{dims:?} {window}: {left} vs {right}"
            );
        }
    }

    #[test]
    fn fold_grads_match_finite_differences_to_second_order() {
        for (seed, (dims, window)) in cases().into_iter().enumerate() {
            let [n, c, h, w] = dims;
            let [oh, ow] = window.output_size(h, w).unwrap();
            let patches = [n * oh * ow, c * window.taps()];
            let p = Tensor::randn(patches, &mut StdRng::seed_from_u64(seed as u64));
            assert_gradients(
                &format!("fold {patches:?} {window}"),
                |p| p.fold(window, [h, w]),
                p,
            );
        }
    }

    #[test]
    #[should_panic(expected = "fold: patches [5, 4] are not [N·4, C·4] for a 3x3 image")]
    fn patches_that_are_not_whole_images_panic_naming_the_shapes() {
        let tape = Tape::new();
        tape.var(Tensor::zeros([5, 4]))
            .fold(Window::square(2), [3, 3]);
    }
}
