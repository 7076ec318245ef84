use autograd::{Layout, Tensor};
use std::time::Instant;
fn main() {
    autograd::runtime::enlist_this_thread_for_kernels();
    let shapes: &[(usize, usize, usize, Layout, Layout, &str)] = &[
        (384, 32, 32, Layout::AsIs, Layout::AsIs, "X·Wq"),
        (384, 32, 128, Layout::AsIs, Layout::AsIs, "X·W1"),
        (384, 128, 32, Layout::AsIs, Layout::AsIs, "H·W2"),
        (384, 32, 32, Layout::AsIs, Layout::Transposed, "G·Wqᵀ"),
        (384, 128, 32, Layout::AsIs, Layout::Transposed, "G·W1ᵀ"),
        (384, 32, 128, Layout::AsIs, Layout::Transposed, "G·W2ᵀ"),
        (32, 384, 32, Layout::Transposed, Layout::AsIs, "Xᵀ·G (Wq)"),
        (32, 384, 128, Layout::Transposed, Layout::AsIs, "Xᵀ·G (W1)"),
        (128, 384, 32, Layout::Transposed, Layout::AsIs, "Hᵀ·G (W2)"),
    ];
    let mut total = 0.0;
    for &(m, k, n, la, lb, name) in shapes {
        let a = match la {
            Layout::AsIs => Tensor::ones([m, k]),
            Layout::Transposed => Tensor::ones([k, m]),
        };
        let b = match lb {
            Layout::AsIs => Tensor::ones([k, n]),
            Layout::Transposed => Tensor::ones([n, k]),
        };
        let sets: Vec<(Tensor, Tensor)> = (0..40)
            .map(|_| (a.map(|x| x * 1.0), b.map(|x| x * 1.0)))
            .collect();
        for _ in 0..50 {
            let _ = a.matmul_with(la, &b, lb);
        }
        let reps = 2000;
        let t = Instant::now();
        for r in 0..reps {
            let (a, b) = &sets[r % 40];
            let _ = a.matmul_with(la, b, lb);
        }
        let us = t.elapsed().as_secs_f64() / reps as f64 * 1e6;
        total += us;
        println!(
            "{name:12} [{m},{k}]·[{k},{n}] {us:8.2} us  {:6.1} GFLOP/s",
            2.0 * (m * k * n) as f64 / us / 1e3
        );
    }
    println!("sum {total:.1} us");
}
