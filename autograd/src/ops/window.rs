//! `Window`: where a sliding 2-d window (kernel, stride, zero padding, dilation) reads an image.

use std::fmt;

/// A window sliding over the last two axes (height, width) of an `[N, C, H, W]` input, as
/// convolution and pooling use it: a `kernel` of `kH × kW` taps, `dilation` cells apart, moved
/// `stride` cells at a time over the input with `padding` cells added on every side.
///
/// Output position `(oy, ox)`, tap `(ky, kx)` reads input row `oy·sH + ky·dH − pH` and column
/// `ox·sW + kx·dW − pW`; a read outside the input falls in the padding. The output has
/// `OH = ⌊(H + 2·pH − dH·(kH − 1) − 1) / sH⌋ + 1` rows (PyTorch's and JAX's convention), and
/// likewise `OW` columns. Each pair is `[height, width]`.
///
/// ```
/// use autograd::Window;
/// let window = Window::square(3).with_padding(1).with_stride(2);
/// assert_eq!(window.output_size(8, 8), Ok([4, 4]));
/// assert!(Window::square(5).output_size(4, 4).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    /// Taps per axis, `[kH, kW]`.
    pub kernel: [usize; 2],
    /// Cells the window moves per output position, `[sH, sW]`.
    pub stride: [usize; 2],
    /// Cells added before and after the input on each axis, `[pH, pW]`.
    pub padding: [usize; 2],
    /// Cells between neighbouring taps (1: adjacent), `[dH, dW]`.
    pub dilation: [usize; 2],
}

/// Why a [`Window`] cannot slide over an input of a given size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowError {
    /// A kernel size of 0 on `axis` (0 height, 1 width).
    ZeroKernel {
        /// The axis, 0 for height and 1 for width.
        axis: usize,
    },
    /// A stride of 0 on `axis`.
    ZeroStride {
        /// The axis, 0 for height and 1 for width.
        axis: usize,
    },
    /// A dilation of 0 on `axis`.
    ZeroDilation {
        /// The axis, 0 for height and 1 for width.
        axis: usize,
    },
    /// The kernel spans more cells than the padded input has on `axis`.
    TooLarge {
        /// The axis, 0 for height and 1 for width.
        axis: usize,
        /// Cells the (dilated) kernel spans: `d·(k − 1) + 1`.
        span: usize,
        /// The input's size plus padding on both sides.
        padded: usize,
    },
}

fn axis_name(axis: usize) -> &'static str {
    if axis == 0 { "height" } else { "width" }
}

impl fmt::Display for WindowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WindowError::ZeroKernel { axis } => write!(f, "kernel {} is 0", axis_name(axis)),
            WindowError::ZeroStride { axis } => {
                write!(f, "stride is 0 along the {}", axis_name(axis))
            }
            WindowError::ZeroDilation { axis } => {
                write!(f, "dilation is 0 along the {}", axis_name(axis))
            }
            WindowError::TooLarge { axis, span, padded } => write!(
                f,
                "the kernel spans {span} cells along the {} but the padded input has {padded}",
                axis_name(axis)
            ),
        }
    }
}

impl std::error::Error for WindowError {}

impl Window {
    /// A `kernel_height × kernel_width` window with stride 1, no padding and no dilation.
    pub fn new(kernel_height: usize, kernel_width: usize) -> Window {
        Window {
            kernel: [kernel_height, kernel_width],
            stride: [1, 1],
            padding: [0, 0],
            dilation: [1, 1],
        }
    }

    /// A `size × size` window with stride 1, no padding and no dilation.
    pub fn square(size: usize) -> Window {
        Window::new(size, size)
    }

    /// The same window moving `stride` cells along both axes.
    pub fn with_stride(self, stride: usize) -> Window {
        Window {
            stride: [stride, stride],
            ..self
        }
    }

    /// The same window over the input padded by `padding` cells on every side.
    pub fn with_padding(self, padding: usize) -> Window {
        Window {
            padding: [padding, padding],
            ..self
        }
    }

    /// The same window with taps `dilation` cells apart along both axes.
    pub fn with_dilation(self, dilation: usize) -> Window {
        Window {
            dilation: [dilation, dilation],
            ..self
        }
    }

    /// The number of taps, `kH·kW`.
    pub fn taps(&self) -> usize {
        self.kernel[0] * self.kernel[1]
    }

    /// `[OH, OW]`, the output positions over an input of `height × width`, or why there are none.
    pub fn output_size(&self, height: usize, width: usize) -> Result<[usize; 2], WindowError> {
        let mut out = [0; 2];
        for (axis, size) in [height, width].into_iter().enumerate() {
            let (kernel, stride) = (self.kernel[axis], self.stride[axis]);
            let dilation = self.dilation[axis];
            if kernel == 0 {
                return Err(WindowError::ZeroKernel { axis });
            }
            if stride == 0 {
                return Err(WindowError::ZeroStride { axis });
            }
            if dilation == 0 {
                return Err(WindowError::ZeroDilation { axis });
            }
            let span = dilation * (kernel - 1) + 1;
            let padded = size + 2 * self.padding[axis];
            if span > padded {
                return Err(WindowError::TooLarge { axis, span, padded });
            }
            out[axis] = (padded - span) / stride + 1;
        }
        Ok(out)
    }

    /// The input cell that output position `out` and tap `tap` read along `axis`, or `None` in
    /// the padding.
    #[inline]
    pub(crate) fn source(&self, axis: usize, out: usize, tap: usize, size: usize) -> Option<usize> {
        (out * self.stride[axis] + tap * self.dilation[axis])
            .checked_sub(self.padding[axis])
            .filter(|&cell| cell < size)
    }

    /// The taps of output position `out` along `axis` that read inside an input of `size`
    /// cells, as a range of taps, and the cell the first of them reads (the others follow
    /// `dilation` cells apart); `None` when every tap falls in the padding. The cells a window
    /// reads increase with the tap, so the taps inside are always one run.
    #[inline]
    pub(crate) fn inside(
        &self,
        axis: usize,
        out: usize,
        size: usize,
    ) -> Option<(std::ops::Range<usize>, usize)> {
        let taps = 0..self.kernel[axis];
        let first = taps
            .clone()
            .find(|&tap| self.source(axis, out, tap, size).is_some())?;
        let end = taps
            .rev()
            .find(|&tap| self.source(axis, out, tap, size).is_some())?
            + 1;
        Some((first..end, self.source(axis, out, first, size)?))
    }
}

impl fmt::Display for Window {
    /// `kernel=3x3, stride=1x1, padding=1x1, dilation=1x1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pair = |p: [usize; 2]| format!("{}x{}", p[0], p[1]);
        write!(
            f,
            "kernel={}, stride={}, padding={}, dilation={}",
            pair(self.kernel),
            pair(self.stride),
            pair(self.padding),
            pair(self.dilation)
        )
    }
}

/// Inputs `[N, C, H, W]` and windows that every sliding-window op is checked on: the plain case,
/// padding, strides that skip cells, dilation, and uneven pairs mixing them all.
#[cfg(test)]
pub(crate) fn cases() -> Vec<([usize; 4], Window)> {
    let mixed = Window {
        kernel: [3, 2],
        stride: [2, 1],
        padding: [0, 1],
        dilation: [1, 2],
    };
    vec![
        ([1, 1, 4, 4], Window::square(2)),
        ([2, 2, 5, 4], Window::square(3).with_padding(1)),
        (
            [1, 2, 6, 5],
            Window::new(2, 3).with_stride(2).with_padding(1),
        ),
        ([1, 1, 7, 7], Window::square(3).with_dilation(2)),
        ([2, 1, 5, 5], mixed),
    ]
}

/// Asserts that `f` passes the first-order and the second-order gradient checks at `input`
/// through `Σ w ⊙ y²` (curved, so that a linear op's recorded rule is differentiated again).
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_gradients<F>(what: &str, f: F, input: crate::Tensor)
where
    F: for<'t> Fn(crate::Var<'t>) -> crate::Var<'t>,
{
    use crate::gradcheck::{GradcheckOptions, gradcheck, gradgradcheck, scalar_function};
    let curved = scalar_function(|v| {
        let y = f(v[0]);
        let count = y.shape().numel();
        let weights = (0..count).map(|i| 1.0 + 0.5 * (1.7 * i as f64 + 0.3).sin());
        let weights = crate::Tensor::from_vec(weights.collect(), y.shape());
        (y.square() * v[0].tape().constant(weights)).sum()
    });
    let options = GradcheckOptions::default();
    let first = gradcheck(curved, std::slice::from_ref(&input), &options);
    assert!(first.passed && first.checked > 0, "{what}: {first}");
    let second = gradgradcheck(curved, &[input], 5, &options);
    assert!(
        second.passed && second.checked > 0,
        "{what}: second order: {second}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_size_follows_the_frameworks_formula() {
        // ⌊(8 + 2 − 2·2 − 1) / 3⌋ + 1 = 2 rows; ⌊(5 + 0 − 1·1 − 1) / 1⌋ + 1 = 4 columns.
        let window = Window {
            kernel: [3, 2],
            stride: [3, 1],
            padding: [1, 0],
            dilation: [2, 1],
        };
        assert_eq!(window.output_size(8, 5), Ok([2, 4]));
        assert_eq!(Window::square(3).output_size(3, 3), Ok([1, 1]));
    }

    #[test]
    fn unusable_windows_say_why() {
        let too_large = Window::square(3).with_dilation(2).output_size(4, 9);
        assert_eq!(
            too_large,
            Err(WindowError::TooLarge {
                axis: 0,
                span: 5,
                padded: 4
            })
        );
        assert_eq!(
            too_large.unwrap_err().to_string(),
            "the kernel spans 5 cells along the height but the padded input has 4"
        );
        let zero_stride = Window::square(2).with_stride(0).output_size(4, 4);
        assert_eq!(zero_stride, Err(WindowError::ZeroStride { axis: 0 }));
        assert_eq!(
            Window::new(2, 0).output_size(4, 4),
            Err(WindowError::ZeroKernel { axis: 1 })
        );
        assert_eq!(
            Window::square(2).with_dilation(0).output_size(4, 4),
            Err(WindowError::ZeroDilation { axis: 0 })
        );
    }

    #[test]
    fn source_maps_taps_into_the_input_or_the_padding() {
        let window = Window::square(3).with_padding(1).with_stride(2);
        assert_eq!(window.source(0, 0, 0, 5), None);
        assert_eq!(window.source(0, 0, 1, 5), Some(0));
        assert_eq!(window.source(0, 2, 2, 5), None);
        assert_eq!(window.source(0, 2, 1, 5), Some(4));
    }

    #[test]
    fn the_taps_inside_are_exactly_those_source_finds_in_the_input() {
        for (dims, window) in cases() {
            for axis in 0..2 {
                let size = dims[2 + axis];
                let outputs = window.output_size(dims[2], dims[3]).unwrap()[axis];
                for out in 0..outputs {
                    let expected: Vec<(usize, usize)> = (0..window.kernel[axis])
                        .filter_map(|tap| Some((tap, window.source(axis, out, tap, size)?)))
                        .collect();
                    let found: Vec<(usize, usize)> = match window.inside(axis, out, size) {
                        Some((taps, first)) => taps
                            .clone()
                            .map(|tap| (tap, first + (tap - taps.start) * window.dilation[axis]))
                            .collect(),
                        None => Vec::new(),
                    };
                    assert_eq!(found, expected, "{window} axis {axis} position {out}");
                }
            }
        }
    }
}
