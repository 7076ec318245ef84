//! Enlisting the calling thread in the kernel pool (its own test binary: it sets up the
//! process-wide pool, which the other tests must not see).

use autograd::runtime::enlist_this_thread_for_kernels;
use autograd::{Tape, Tensor};

/// A `[rows, cols]` matrix of small integers, whose products are exact in any summation order.
fn integers(rows: usize, cols: usize, seed: usize) -> Tensor {
    let values = (0..rows * cols).map(|i| ((i * 5 + seed) % 7) as f64 - 3.0);
    Tensor::from_vec(values.collect(), [rows, cols])
}

/// `a · b` by the definition.
fn naive_product(a: &Tensor, b: &Tensor) -> Tensor {
    let ([m, k], n) = ([a.dims()[0], a.dims()[1]], b.dims()[1]);
    let mut out = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            out[i * n + j] = (0..k).map(|p| a[[i, p]] * b[[p, j]]).sum();
        }
    }
    Tensor::from_vec(out, [m, n])
}

#[test]
fn an_enlisted_thread_splits_large_kernels_and_gets_the_same_numbers() {
    // Before any kernel has started the pool.
    assert!(
        enlist_this_thread_for_kernels(),
        "the pool was already running"
    );
    assert!(
        !enlist_this_thread_for_kernels(),
        "a second call set the pool up again"
    );
    let (a, b) = (integers(300, 200, 1), integers(200, 150, 2));
    let expected = naive_product(&a, &b);
    assert_eq!(a.matmul(&b), expected);

    let tape = Tape::new();
    let x = tape.var(Tensor::from_vec(
        (0..400 * 400)
            .map(|i| (i % 13) as f64 * 0.25 - 1.5)
            .collect(),
        [400, 400],
    ));
    let grad = x.tanh().sum().backward()[x].clone();
    for (slope, &value) in grad.data().iter().zip(x.value().data()) {
        let expected = 1.0 - value.tanh().powi(2);
        assert!((slope - expected).abs() < 1e-15, "{slope} vs {expected}");
    }

    // A thread outside the pool still gets its kernels done by it.
    let from_another = std::thread::scope(|scope| scope.spawn(|| a.matmul(&b)).join().unwrap());
    assert_eq!(from_another, expected);
}
