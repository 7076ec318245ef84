//! After warm-up, a training step allocates nothing: tensors come from the storage pool, the
//! tape's nodes and the gradient table are reused, and the large products keep their packing
//! buffers on each thread. Its own test binary, because it counts every allocation the process
//! makes (through a counting global allocator) and no other test may run meanwhile, and because
//! it enlists its thread in the kernel pool, as a training program should: a thread outside the
//! pool hands each large kernel to it through rayon's queue of injected jobs, which allocates a
//! block of 1.5 KiB every 63 jobs.

#[path = "../examples/support/counting_allocator.rs"]
mod counting_allocator;

use autograd::runtime::enlist_this_thread_for_kernels;
use autograd::{Activation, Tape, Tensor};
use counting_allocator::allocations;

/// A `[rows, cols]` tensor of small values that vary with `seed`.
fn values(rows: usize, cols: usize, seed: usize) -> Tensor {
    let data = (0..rows * cols).map(|i| (((i * 7 + seed * 13) % 17) as f64 - 8.0) / 40.0);
    Tensor::from_vec(data.collect(), [rows, cols])
}

/// Whether this CPU runs one of the engine's own GEMMs (the fallback, matrixmultiply's, allocates
/// its packing buffer on every call).
fn engine_gemm() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            || (std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma"))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[test]
fn a_training_step_with_large_products_allocates_nothing_after_warm_up() {
    if !engine_gemm() {
        eprintln!("this CPU runs matrixmultiply's GEMM, which allocates per call: not checked");
        return;
    }
    assert!(
        enlist_this_thread_for_kernels(),
        "the pool was already running"
    );
    // The deep workload's shapes, a quarter of its rows: products large enough for the blocked
    // or packed GEMM on several threads, in all three layouts (forward, weight and input
    // gradients).
    let (examples, features, hidden, classes) = (2048, 64, 256, 10);
    let inputs = values(examples, features, 1);
    let labels: Vec<usize> = (0..examples).map(|i| (i * 7) % classes).collect();
    let mut weights = [
        values(features, hidden, 2),
        values(hidden, hidden, 3),
        values(hidden, classes, 4),
    ];
    let mut biases = [
        Tensor::zeros([hidden]),
        Tensor::zeros([hidden]),
        Tensor::zeros([classes]),
    ];
    let mut tape = Tape::new();
    let mut step = |weights: &mut [Tensor; 3], biases: &mut [Tensor; 3]| {
        tape.clear();
        let tape = &tape;
        let [w1, w2, w3] = weights.each_ref().map(|w| tape.var(w.clone()));
        let [b1, b2, b3] = biases.each_ref().map(|b| tape.var(b.clone()));
        let x = tape.constant(inputs.clone());
        let logits = x
            .dense(w1, b1, Activation::Tanh)
            .dense(w2, b2, Activation::Tanh)
            .affine(w3, b3);
        let loss = logits.softmax_cross_entropy(&labels).mean();
        let value = loss.item();
        let mut grads = loss.backward();
        for (param, var) in weights.iter_mut().zip([w1, w2, w3]) {
            let grad = grads.take(var).expect("a weight's gradient");
            param.add_scaled(-0.1, &grad);
        }
        for (param, var) in biases.iter_mut().zip([b1, b2, b3]) {
            let grad = grads.take(var).expect("a bias's gradient");
            param.add_scaled(-0.1, &grad);
        }
        value
    };
    let first = step(&mut weights, &mut biases);
    for _ in 0..4 {
        step(&mut weights, &mut biases);
    }
    let before = allocations();
    let mut last = first;
    for _ in 0..6 {
        last = step(&mut weights, &mut biases);
    }
    let made = allocations() - before;
    assert!(last < first, "the steps did not train: {first} then {last}");
    assert_eq!(made, 0, "six steps after warm-up made {made} allocations");
}
