//! Convolution, pooling and flattening of image batches, composed from unfold, matmul, reductions
//! and permute: no derivative is written here, every gradient comes from those ops' rules.

use super::unfold::image_geometry;
use super::window::Window;
use crate::var::Var;
use std::panic::Location;

/// The value max pooling pads with: the lowest finite number, which no input cell falls below, so
/// that a window's maximum is always one of its input cells (pooling padding is at most half the
/// kernel, so every window holds one). It is finite so that anomaly detection, which flags
/// infinities, does not stop at the padding.
const MAX_POOL_PAD: f64 = f64::MIN;

impl<'t> Var<'t> {
    /// The 2-d convolution (cross-correlation, as in PyTorch and JAX) of `self` `[N, C_in, H, W]`
    /// with `weight` `[C_out, C_in, kH, kW]`, plus `bias` `[C_out]` when given, with square
    /// `stride`, zero `padding` and `dilation` (see [`Window`]): the output `[N, C_out, OH, OW]` is
    ///
    /// `y[n, o, oy, ox] = b[o] + Σ_{c, ky, kx} w[o, c, ky, kx] · x[n, c, oy·s + ky·d − p, ox·s + kx·d − p]`
    ///
    /// with cells outside the input read as 0. It is computed as one matrix product (im2col):
    /// the patches `[N·OH·OW, C_in·kH·kW]` of [`unfold`](Var::unfold) times the weights reshaped
    /// to `[C_out, C_in·kH·kW]` and transposed, then the result `[N·OH·OW, C_out]` reshaped to
    /// `[N, OH, OW, C_out]` and permuted to `[N, C_out, OH, OW]`.
    ///
    /// # Panics
    /// If the input is not rank 4, the weight not rank 4 with `C_in` input channels, the bias not
    /// `[C_out]`, or the window does not fit the input (stride or dilation 0, or a kernel larger
    /// than the padded input).
    #[track_caller]
    pub fn conv2d(
        self,
        weight: Var<'t>,
        bias: Option<Var<'t>>,
        stride: usize,
        padding: usize,
        dilation: usize,
    ) -> Var<'t> {
        let (input, weights) = (self.shape(), weight.shape());
        let &[c_out, c_in, kh, kw] = weights.dims() else {
            panic!(
                "conv2d: the weight {weights} is not [C_out, C_in, kH, kW] (input {input}) (at {})",
                Location::caller()
            )
        };
        let window = Window::new(kh, kw)
            .with_stride(stride)
            .with_padding(padding)
            .with_dilation(dilation);
        let ([n, channels, _, _], [oh, ow]) = image_geometry("conv2d", input, &window);
        if channels != c_in {
            panic!(
                "conv2d: the input {input} has {channels} channels but the weight {weights} expects {c_in} (at {})",
                Location::caller()
            );
        }
        if let Some(bias) = bias
            && bias.shape().dims() != [c_out]
        {
            panic!(
                "conv2d: the bias {} is not [{c_out}] for the weight {weights} (at {})",
                bias.shape(),
                Location::caller()
            );
        }
        let patches = self.unfold(window, 0.0);
        let kernel_columns = weight.reshape([c_out, c_in * kh * kw]).transpose();
        let per_position = match bias {
            Some(bias) => patches.affine(kernel_columns, bias),
            None => patches.matmul(kernel_columns),
        };
        per_position
            .reshape([n, oh, ow, c_out])
            .permute(&[0, 3, 1, 2])
    }

    /// Max pooling of `[N, C, H, W]` over `kernel × kernel` windows moved by `stride`, the input
    /// padded by `padding` cells that never win: `[N, C, OH, OW]`. Each channel is pooled on its
    /// own: the input is viewed as `[N·C, 1, H, W]`, unfolded to one row per window, and
    /// [`max_axis`](Var::max_axis) takes each row's maximum, whose rule sends the gradient to
    /// the window's first maximal cell in row-major order when several tie (as PyTorch does);
    /// overlapping windows add their gradients in the cells they share.
    ///
    /// # Panics
    /// If the input is not rank 4, the window does not fit it, or `padding` is above half the
    /// kernel (a window could then lie wholly in the padding).
    #[track_caller]
    pub fn max_pool2d(self, kernel: usize, stride: usize, padding: usize) -> Var<'t> {
        let window = pooling_window("max_pool2d", kernel, stride, padding, self);
        self.pool("max_pool2d", window, MAX_POOL_PAD, |rows| {
            rows.max_axis(1, false)
        })
    }

    /// Average pooling of `[N, C, H, W]` over `kernel × kernel` windows moved by `stride`:
    /// `[N, C, OH, OW]`, each output the sum of its window divided by `kernel²`. Padding cells
    /// count as zeros in that average (PyTorch's default `count_include_pad=True`), so a window
    /// overlapping the border is pulled towards 0. Composed as unfold then
    /// [`mean_axis`](Var::mean_axis) per channel, as [`max_pool2d`](Var::max_pool2d).
    ///
    /// # Panics
    /// As [`max_pool2d`](Var::max_pool2d).
    #[track_caller]
    pub fn avg_pool2d(self, kernel: usize, stride: usize, padding: usize) -> Var<'t> {
        let window = pooling_window("avg_pool2d", kernel, stride, padding, self);
        self.pool("avg_pool2d", window, 0.0, |rows| rows.mean_axis(1, false))
    }

    /// `[N, C, H, W]` (or any rank) as `[N, C·H·W]`: each example's values in row-major order,
    /// channel by channel, as a dense layer after a convolution expects them.
    ///
    /// # Panics
    /// If the rank is 0.
    #[track_caller]
    pub fn flatten(self) -> Var<'t> {
        let shape = self.shape();
        let Some((&n, rest)) = shape.dims().split_first() else {
            panic!(
                "flatten: a scalar has no examples axis (at {})",
                Location::caller()
            )
        };
        self.reshape([n, rest.iter().product()])
    }

    /// Pools each channel: unfold of `[N·C, 1, H, W]` to one row per window, `reduce` on those
    /// rows, reshaped to `[N, C, OH, OW]`.
    #[track_caller]
    fn pool(
        self,
        op: &str,
        window: Window,
        pad_value: f64,
        reduce: impl FnOnce(Var<'t>) -> Var<'t>,
    ) -> Var<'t> {
        let ([n, c, h, w], [oh, ow]) = image_geometry(op, self.shape(), &window);
        let rows = self.reshape([n * c, 1, h, w]).unfold(window, pad_value);
        reduce(rows).reshape([n, c, oh, ow])
    }
}

/// The square pooling window, checked to fit `x` with `padding` at most half the kernel.
#[track_caller]
fn pooling_window(op: &str, kernel: usize, stride: usize, padding: usize, x: Var<'_>) -> Window {
    let window = Window::square(kernel)
        .with_stride(stride)
        .with_padding(padding);
    image_geometry(op, x.shape(), &window);
    if 2 * padding > kernel {
        panic!(
            "{op}: padding {padding} is above half the kernel {kernel} (input {}) (at {})",
            x.shape(),
            Location::caller()
        );
    }
    window
}
