//! Convolution and pooling: values against naive loops written from the definitions, gradients
//! (first and second order) against finite differences, and misuse.

use crate::common;

use autograd::gradcheck::scalar_function;
use autograd::{Tape, Tensor};
use common::{check, check_second_order, distinct, max_difference, normal, weighted};

/// One convolution to check: input `[N, C, H, W]`, weight `[C_out, C_in, kH, kW]`, and the
/// stride, padding and dilation.
struct ConvCase([usize; 4], [usize; 4], usize, usize, usize);

/// The plain case, padding, a stride that skips cells, dilation, a non-square kernel with all three.
const CONV_CASES: &[ConvCase] = &[
    ConvCase([1, 1, 4, 4], [1, 1, 2, 2], 1, 0, 1),
    ConvCase([2, 2, 5, 5], [3, 2, 3, 3], 1, 1, 1),
    ConvCase([1, 2, 6, 5], [2, 2, 3, 3], 2, 1, 1),
    ConvCase([1, 1, 7, 6], [2, 1, 3, 2], 1, 0, 2),
    ConvCase([2, 3, 6, 7], [2, 3, 2, 3], 2, 2, 2),
];

/// The convolution by its definition: six nested loops over the output and the kernel.
fn naive_conv2d(
    x: &Tensor,
    w: &Tensor,
    b: Option<&Tensor>,
    stride: usize,
    padding: usize,
    dilation: usize,
) -> Tensor {
    let &[n, c_in, h, width] = x.dims() else {
        unreachable!()
    };
    let &[c_out, _, kh, kw] = w.dims() else {
        unreachable!()
    };
    let oh = (h + 2 * padding - dilation * (kh - 1) - 1) / stride + 1;
    let ow = (width + 2 * padding - dilation * (kw - 1) - 1) / stride + 1;
    let mut y = Tensor::zeros([n, c_out, oh, ow]);
    for image in 0..n {
        for o in 0..c_out {
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut total = b.map_or(0.0, |b| b.data()[o]);
                    for c in 0..c_in {
                        for ky in 0..kh {
                            for kx in 0..kw {
                                let iy = (oy * stride + ky * dilation) as isize - padding as isize;
                                let ix = (ox * stride + kx * dilation) as isize - padding as isize;
                                if iy < 0 || ix < 0 || iy >= h as isize || ix >= width as isize {
                                    continue;
                                }
                                let cell = [image, c, iy as usize, ix as usize];
                                total += w[[o, c, ky, kx]] * x[cell];
                            }
                        }
                    }
                    y.data_mut()[((image * c_out + o) * oh + oy) * ow + ox] = total;
                }
            }
        }
    }
    y
}

/// Pooling by its definition: each channel's window reduced by `reduce` over the cells inside the
/// input and `kernel² − inside` padding cells of value `pad`.
fn naive_pool(
    x: &Tensor,
    kernel: usize,
    stride: usize,
    padding: usize,
    reduce: impl Fn(&[f64]) -> f64,
    pad: f64,
) -> Tensor {
    let &[n, c, h, w] = x.dims() else {
        unreachable!()
    };
    let oh = (h + 2 * padding - kernel) / stride + 1;
    let ow = (w + 2 * padding - kernel) / stride + 1;
    let mut y = Tensor::zeros([n, c, oh, ow]);
    let mut at = 0;
    for image in 0..n {
        for channel in 0..c {
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut cells = Vec::new();
                    for ky in 0..kernel {
                        for kx in 0..kernel {
                            let iy = (oy * stride + ky) as isize - padding as isize;
                            let ix = (ox * stride + kx) as isize - padding as isize;
                            let inside = iy >= 0 && ix >= 0 && iy < h as isize && ix < w as isize;
                            cells.push(if inside {
                                x[[image, channel, iy as usize, ix as usize]]
                            } else {
                                pad
                            });
                        }
                    }
                    y.data_mut()[at] = reduce(&cells);
                    at += 1;
                }
            }
        }
    }
    y
}

fn maximum(cells: &[f64]) -> f64 {
    cells.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

fn average(cells: &[f64]) -> f64 {
    cells.iter().sum::<f64>() / cells.len() as f64
}

#[test]
fn conv2d_values_match_the_six_fold_loop() {
    for (seed, &ConvCase(input, weight, stride, padding, dilation)) in CONV_CASES.iter().enumerate()
    {
        let seed = seed as u64;
        let (x, w, b) = (
            normal(&input, seed),
            normal(&weight, 100 + seed),
            normal(&[weight[0]], 200 + seed),
        );
        let tape = Tape::new();
        let (xv, wv, bv) = (
            tape.constant(x.clone()),
            tape.constant(w.clone()),
            tape.constant(b.clone()),
        );
        for bias in [None, Some((bv, &b))] {
            let y = xv.conv2d(wv, bias.map(|(v, _)| v), stride, padding, dilation);
            let expected = naive_conv2d(&x, &w, bias.map(|(_, b)| b), stride, padding, dilation);
            assert!(
                max_difference(&y.value(), &expected) < 1e-12,
                "{input:?} * {weight:?} stride {stride} padding {padding} dilation {dilation}"
            );
        }
    }
}

#[test]
fn conv2d_grads_match_finite_differences() {
    for (seed, &ConvCase(input, weight, stride, padding, dilation)) in CONV_CASES.iter().enumerate()
    {
        let seed = seed as u64;
        let inputs = [
            normal(&input, seed),
            normal(&weight, 100 + seed),
            normal(&[weight[0]], 200 + seed),
        ];
        let f =
            scalar_function(|v| weighted(v[0].conv2d(v[1], Some(v[2]), stride, padding, dilation)));
        let what = format!("conv2d {input:?} * {weight:?} s{stride} p{padding} d{dilation}");
        check(&what, f, &inputs);
        // Bilinear in (x, w): the Hessian's x–w block is what the second-order check sees.
        check_second_order(&what, f, &inputs);
    }
}

#[test]
fn max_pool2d_values_match_the_window_maxima() {
    for &(dims, kernel, stride, padding) in POOL_CASES {
        let x = normal(&dims, 7);
        let tape = Tape::new();
        let y = tape.constant(x.clone()).max_pool2d(kernel, stride, padding);
        let expected = naive_pool(&x, kernel, stride, padding, maximum, f64::NEG_INFINITY);
        assert_eq!(
            *y.value(),
            expected,
            "{dims:?} k{kernel} s{stride} p{padding}"
        );
    }
}

#[test]
fn avg_pool2d_counts_the_padding_as_zeros() {
    for &(dims, kernel, stride, padding) in POOL_CASES {
        let x = normal(&dims, 8);
        let tape = Tape::new();
        let y = tape.constant(x.clone()).avg_pool2d(kernel, stride, padding);
        let expected = naive_pool(&x, kernel, stride, padding, average, 0.0);
        assert!(
            max_difference(&y.value(), &expected) < 1e-15,
            "{dims:?} k{kernel} s{stride} p{padding}"
        );
    }
}

/// `(input, kernel, stride, padding)`: disjoint windows, overlapping windows, padding.
const POOL_CASES: &[([usize; 4], usize, usize, usize)] = &[
    ([1, 1, 4, 4], 2, 2, 0),
    ([2, 2, 5, 5], 3, 1, 0),
    ([1, 2, 5, 4], 3, 2, 1),
    ([2, 1, 6, 6], 2, 1, 1),
];

#[test]
fn pooling_grads_match_finite_differences() {
    for (seed, &(dims, kernel, stride, padding)) in POOL_CASES.iter().enumerate() {
        // Distinct values keep every window's maximum clear of a tie.
        let x = [distinct(&dims).zip_map(&normal(&dims, seed as u64), |d, e| d + 0.01 * e)];
        let what = format!("{dims:?} k{kernel} s{stride} p{padding}");
        let max = scalar_function(|v| weighted(v[0].max_pool2d(kernel, stride, padding).square()));
        check(&format!("max_pool2d {what}"), max, &x);
        check_second_order(&format!("max_pool2d {what}"), max, &x);
        let avg = scalar_function(|v| weighted(v[0].avg_pool2d(kernel, stride, padding).square()));
        check(&format!("avg_pool2d {what}"), avg, &x);
        check_second_order(&format!("avg_pool2d {what}"), avg, &x);
    }
}

#[test]
fn max_pool2d_sends_a_tied_gradient_to_the_first_maximum() {
    // One 2×2 window of equal cells, and a 3×3 input with overlapping 2×2 windows whose maximum
    // 5 is shared by the four windows: it receives all four gradients.
    let tape = Tape::new();
    let x = tape.var(Tensor::full([1, 1, 2, 2], 3.0));
    let grads = x.max_pool2d(2, 2, 0).sum().backward();
    assert_eq!(grads[x].data(), &[1.0, 0.0, 0.0, 0.0]);

    let tape = Tape::new();
    let cells = vec![1.0, 2.0, 1.0, 2.0, 5.0, 2.0, 1.0, 2.0, 1.0];
    let x = tape.var(Tensor::from_vec(cells, [1, 1, 3, 3]));
    let grads = x.max_pool2d(2, 1, 0).sum().backward();
    assert_eq!(
        grads[x].data(),
        &[0.0, 0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0]
    );

    // Ties between two cells of one window: row-major order picks the top one.
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(vec![0.0, 7.0, 0.0, 7.0], [1, 1, 2, 2]));
    let grads = x.max_pool2d(2, 2, 0).sum().backward();
    assert_eq!(grads[x].data(), &[0.0, 1.0, 0.0, 0.0]);
}

#[test]
fn flatten_keeps_channel_row_column_order() {
    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(
        (0..24).map(f64::from).collect(),
        [2, 3, 2, 2],
    ));
    let flat = x.flatten();
    assert_eq!(flat.shape().dims(), &[2, 12]);
    assert_eq!(flat.value().row(1)[..4], [12.0, 13.0, 14.0, 15.0]);
}

#[test]
#[should_panic(
    expected = "conv2d: the input [1, 2, 5, 5] has 2 channels but the weight [4, 3, 3, 3] expects 3"
)]
fn conv2d_with_mismatched_channels_panics() {
    let tape = Tape::new();
    let x = tape.var(Tensor::zeros([1, 2, 5, 5]));
    x.conv2d(tape.var(Tensor::zeros([4, 3, 3, 3])), None, 1, 0, 1);
}

#[test]
#[should_panic(
    expected = "conv2d: the kernel spans 5 cells along the height but the padded input has 4"
)]
fn conv2d_with_a_kernel_larger_than_the_padded_input_panics() {
    let tape = Tape::new();
    let x = tape.var(Tensor::zeros([1, 1, 2, 2]));
    x.conv2d(tape.var(Tensor::zeros([1, 1, 5, 5])), None, 1, 1, 1);
}

#[test]
#[should_panic(expected = "conv2d: stride is 0 along the height")]
fn conv2d_with_stride_zero_panics() {
    let tape = Tape::new();
    let x = tape.var(Tensor::zeros([1, 1, 4, 4]));
    x.conv2d(tape.var(Tensor::zeros([1, 1, 3, 3])), None, 0, 0, 1);
}

#[test]
#[should_panic(expected = "conv2d: the bias [3] is not [2] for the weight [2, 1, 3, 3]")]
fn conv2d_with_a_wrong_bias_panics() {
    let tape = Tape::new();
    let x = tape.var(Tensor::zeros([1, 1, 4, 4]));
    let bias = tape.var(Tensor::zeros([3]));
    x.conv2d(tape.var(Tensor::zeros([2, 1, 3, 3])), Some(bias), 1, 0, 1);
}

#[test]
#[should_panic(expected = "max_pool2d: padding 2 is above half the kernel 3 (input [1, 1, 6, 6])")]
fn max_pool2d_with_padding_above_half_the_kernel_panics() {
    let tape = Tape::new();
    tape.var(Tensor::zeros([1, 1, 6, 6])).max_pool2d(3, 1, 2);
}

#[test]
#[should_panic(expected = "avg_pool2d: the input [4, 4] is not an image batch [N, C, H, W]")]
fn pooling_a_matrix_panics() {
    let tape = Tape::new();
    tape.var(Tensor::zeros([4, 4])).avg_pool2d(2, 2, 0);
}
