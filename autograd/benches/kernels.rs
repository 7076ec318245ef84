//! Criterion benchmarks of the `Tensor` kernels a training step spends its time in.
//!
//! Run with `cargo bench -p autograd --features bench --bench kernels`. Sizes are the three workloads' own:
//! matrix products of the small (200×2·2×3), large (100000×2·2×64, and the weight gradient
//! 64×100000·100000×2) and deep (8192×64·64×256, 8192×256·256×256 and its transposed forms,
//! 64×8192·8192×256 and 8192×256·256×10) passes, each also through matrixmultiply's GEMM called directly, the baseline the engine's own
//! GEMMs (AVX-512 or AVX2) are measured against (compare `matmul/<case>` with `matmul/<case>/matrixmultiply`
//! in one run); elementwise maps over 600 (200×3) and 6.4M (100000×64) elements; softmax rows;
//! and `sum_to` for bias gradients.

#[path = "support/config.rs"]
mod config;
use autograd::{Layout, Shape, Tensor};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::hint::black_box;

fn random(dims: &[usize], seed: u64) -> Tensor {
    Tensor::randn(Shape::new(dims), &mut StdRng::seed_from_u64(seed))
}

fn matmul(c: &mut Criterion) {
    let mut group = c.benchmark_group("matmul");
    group.sampling_mode(SamplingMode::Flat);
    let cases: [(&str, [usize; 3], Layout, Layout); 9] = [
        (
            "small_forward_200x2x3",
            [200, 2, 3],
            Layout::AsIs,
            Layout::AsIs,
        ),
        (
            "large_forward_100000x2x64",
            [100_000, 2, 64],
            Layout::AsIs,
            Layout::AsIs,
        ),
        (
            "large_weight_grad_2x100000x64",
            [2, 100_000, 64],
            Layout::Transposed,
            Layout::AsIs,
        ),
        (
            "deep_forward_8192x64x256",
            [8192, 64, 256],
            Layout::AsIs,
            Layout::AsIs,
        ),
        (
            "deep_forward_8192x256x256",
            [8192, 256, 256],
            Layout::AsIs,
            Layout::AsIs,
        ),
        (
            "deep_weight_grad_256x8192x256",
            [256, 8192, 256],
            Layout::Transposed,
            Layout::AsIs,
        ),
        (
            "deep_input_grad_8192x256x256",
            [8192, 256, 256],
            Layout::AsIs,
            Layout::Transposed,
        ),
        (
            "deep_first_weight_grad_64x8192x256",
            [64, 8192, 256],
            Layout::Transposed,
            Layout::AsIs,
        ),
        (
            "deep_logits_8192x256x10",
            [8192, 256, 10],
            Layout::AsIs,
            Layout::AsIs,
        ),
    ];
    for (name, [m, k, n], layout_a, layout_b) in cases {
        let a = match layout_a {
            Layout::AsIs => random(&[m, k], 1),
            Layout::Transposed => random(&[k, m], 1),
        };
        let b = match layout_b {
            Layout::AsIs => random(&[k, n], 2),
            Layout::Transposed => random(&[n, k], 2),
        };
        group.throughput(Throughput::Elements((2 * m * k * n) as u64));
        group.bench_function(BenchmarkId::from_parameter(name), |bench| {
            bench.iter(|| black_box(&a).matmul_with(layout_a, black_box(&b), layout_b))
        });
        let mut out = vec![0.0; m * n];
        group.bench_function(BenchmarkId::new(name, "matrixmultiply"), |bench| {
            bench.iter(|| baseline_product(&a, layout_a, &b, layout_b, &mut out))
        });
    }
    group.finish();
}

/// `op(a)·op(b)` into `out` by matrixmultiply's GEMM (beta 0), the baseline for the engine's.
fn baseline_product(a: &Tensor, layout_a: Layout, b: &Tensor, layout_b: Layout, out: &mut [f64]) {
    let strides = |t: &Tensor, layout| match layout {
        Layout::AsIs => (t.dims()[0], t.dims()[1], t.dims()[1] as isize, 1),
        Layout::Transposed => (t.dims()[1], t.dims()[0], 1, t.dims()[1] as isize),
    };
    let (m, k, row_a, col_a) = strides(a, layout_a);
    let (_, n, row_b, col_b) = strides(b, layout_b);
    assert_eq!(out.len(), m * n);
    // SAFETY: the strides describe `a` and `b` as stored, read as `[m, k]` and `[k, n]`, and
    // `out` holds the `[m, n]` product row-major.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            black_box(a).data().as_ptr(),
            row_a,
            col_a,
            black_box(b).data().as_ptr(),
            row_b,
            col_b,
            0.0,
            out.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

fn elementwise(c: &mut Criterion) {
    let mut group = c.benchmark_group("elementwise");
    for (label, dims) in [("600", [200, 3]), ("6.4M", [100_000, 64])] {
        let x = random(&dims, 3);
        let positive = x.map(|v| v.abs() + 0.5);
        group.throughput(Throughput::Elements(x.len() as u64));
        group.bench_function(BenchmarkId::new("tanh", label), |bench| {
            bench.iter(|| black_box(&x).map(f64::tanh))
        });
        group.bench_function(BenchmarkId::new("exp", label), |bench| {
            bench.iter(|| black_box(&x).map(f64::exp))
        });
        group.bench_function(BenchmarkId::new("log", label), |bench| {
            bench.iter(|| black_box(&positive).map(f64::ln))
        });
        group.bench_function(BenchmarkId::new("tanh_backward", label), |bench| {
            bench.iter(|| black_box(&x).zip_map(&positive, |g, y| g * (1.0 - y * y)))
        });
    }
    group.finish();
}

fn rows_and_reductions(c: &mut Criterion) {
    let mut group = c.benchmark_group("rows");
    for (label, dims) in [
        ("200x2", [200, 2]),
        ("100000x2", [100_000, 2]),
        ("8192x10", [8192, 10]),
    ] {
        let logits = random(&dims, 4);
        group.bench_function(BenchmarkId::new("log_softmax", label), |bench| {
            bench.iter(|| black_box(&logits).log_softmax_axis(1))
        });
        group.bench_function(BenchmarkId::new("softmax", label), |bench| {
            bench.iter(|| black_box(&logits).softmax_axis(1))
        });
    }
    for (label, dims) in [
        ("200x3", [200, 3]),
        ("100000x64", [100_000, 64]),
        ("8192x256", [8192, 256]),
    ] {
        let grad = random(&dims, 5);
        let bias = Shape::new(&[dims[1]]);
        group.bench_function(BenchmarkId::new("sum_to_bias", label), |bench| {
            bench.iter(|| black_box(&grad).sum_to(bias))
        });
        // A tanh layer's backward: `dL/dZ = g ⊙ (1 − y²)` and its column sums `dL/db`, in two
        // passes (the baseline) and in the one pass `dense` makes.
        let output = random(&dims, 6).map(f64::tanh);
        let slope = |y: f64, g: f64| g * (1.0 - y * y);
        group.bench_function(BenchmarkId::new("slope_then_sum_to", label), |bench| {
            bench.iter(|| {
                let grad_z = black_box(&output).zip_map(&grad, slope);
                let grad_b = grad_z.sum_to(bias);
                (grad_z, grad_b)
            })
        });
        group.bench_function(
            BenchmarkId::new("slope_and_sum_in_one_pass", label),
            |bench| bench.iter(|| black_box(&output).zip_map_and_sum_columns(&grad, slope)),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = config::short();
    targets = matmul, elementwise, rows_and_reductions
}
criterion_main!(benches);
