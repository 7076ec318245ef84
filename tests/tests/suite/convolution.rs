//! Convolution, pooling and their primitives on random geometries: gradients against finite
//! differences (first and second order), unfold and fold as each other's adjoint, and max
//! pooling's gradient conserved under ties.

use autograd::gradcheck::scalar_function;
use autograd::{Tape, Tensor, Window};
use proptest::prelude::*;
use tests::check::gradients_match;
use tests::config::config;
use tests::probe::weighted_sum;
use tests::second_check::second_order_matches;
use tests::values::moderate;

/// Input `[N, C_in, H, W]`, weight `[C_out, C_in, kH, kW]`, stride, padding and dilation.
#[derive(Clone, Debug)]
struct Geometry([usize; 4], [usize; 4], usize, usize, usize);

/// Convolutions whose window fits the padded input.
fn conv_geometry() -> impl Strategy<Value = Geometry> {
    (1..=2usize, 1..=3usize, 1..=3usize, 3..=6usize, 3..=6usize)
        .prop_flat_map(|(n, c_in, c_out, h, w)| {
            (
                Just((n, c_in, c_out, h, w)),
                1..=3usize,
                1..=3usize,
                1..=2usize,
                0..=1usize,
                1..=2usize,
            )
        })
        .prop_filter_map(
            "the window must fit",
            |((n, c_in, c_out, h, w), kh, kw, stride, padding, dilation)| {
                let window = Window::new(kh, kw)
                    .with_stride(stride)
                    .with_padding(padding)
                    .with_dilation(dilation);
                window.output_size(h, w).ok()?;
                Some(Geometry(
                    [n, c_in, h, w],
                    [c_out, c_in, kh, kw],
                    stride,
                    padding,
                    dilation,
                ))
            },
        )
}

fn conv_operands() -> impl Strategy<Value = ((usize, usize, usize), [Tensor; 3])> {
    conv_geometry().prop_flat_map(|Geometry(input, weight, stride, padding, dilation)| {
        (
            Just((stride, padding, dilation)),
            moderate(input.to_vec()),
            moderate(weight.to_vec()),
            moderate(vec![weight[0]]),
        )
            .prop_map(|(spacing, x, w, b)| (spacing, [x, w, b]))
    })
}

proptest! {
    #![proptest_config(config("convolution", 24))]

    #[test]
    fn conv2d_grad_matches_finite_differences(
        ((stride, padding, dilation), inputs) in conv_operands(),
        seed in any::<u64>(),
    ) {
        let f = scalar_function(|v| {
            weighted_sum(v[0].conv2d(v[1], Some(v[2]), stride, padding, dilation), seed)
        });
        gradients_match(f, &inputs, &Default::default())?;
    }

    #[test]
    fn conv2d_second_derivatives_match_finite_differences(
        ((stride, padding, dilation), inputs) in conv_operands(),
        seed in any::<u64>(),
    ) {
        // Bilinear in (x, w): a weighted sum of squares makes the Hessian's every block nonzero.
        let f = scalar_function(|v| {
            weighted_sum(v[0].conv2d(v[1], Some(v[2]), stride, padding, dilation).square(), seed)
        });
        second_order_matches(f, &inputs, seed, &Default::default())?;
    }

    #[test]
    fn fold_is_the_adjoint_of_unfold(
        Geometry(input, weight, stride, padding, dilation) in conv_geometry(),
        seed in any::<u64>(),
    ) {
        let window = Window::new(weight[2], weight[3]).with_stride(stride).with_padding(padding).with_dilation(dilation);
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        let tape = Tape::new();
        let x = Tensor::randn(input, &mut rng);
        let patches = tape.constant(x.clone()).unfold(window, 0.0).value().clone();
        let p = Tensor::randn(patches.shape(), &mut rng);
        let folded = tape.constant(p.clone()).fold(window, [input[2], input[3]]).value().clone();
        let dot = |a: &Tensor, b: &Tensor| -> f64 { a.data().iter().zip(b.data()).map(|(a, b)| a * b).sum() };
        let (left, right) = (dot(&patches, &p), dot(&x, &folded));
        prop_assert!((left - right).abs() <= 1e-12 * left.abs().max(1.0), "{left} vs {right}");
    }

    #[test]
    fn max_pool2d_passes_on_the_whole_gradient_even_with_ties(
        Geometry(input, weight, stride, _, _) in conv_geometry(),
        cells in proptest::collection::vec(0..3u8, 2 * 3 * 6 * 6),
        seed in any::<u64>(),
    ) {
        // Values from {0, 1, 2} make ties in most windows; every window sends its upstream
        // gradient to exactly one cell, so Σ dL/dx = Σ dL/dy (padding disabled: kernel kH).
        let kernel = weight[2];
        let numel: usize = input.iter().product();
        let x = Tensor::from_vec(cells[..numel].iter().map(|&v| f64::from(v)).collect(), input);
        let tape = Tape::new();
        let xv = tape.var(x);
        let pooled = xv.max_pool2d(kernel, stride, 0);
        let upstream = tests::probe::weights(pooled.shape().dims(), seed);
        let total: f64 = upstream.data().iter().sum();
        let grads = (pooled * tape.constant(upstream)).sum().backward();
        let sent: f64 = grads[xv].data().iter().sum();
        prop_assert!((sent - total).abs() <= 1e-12 * total.abs().max(1.0), "{sent} vs {total}");
        prop_assert!(grads[xv].data().iter().filter(|&&g| g != 0.0).count() <= pooled.shape().numel());
    }
}
